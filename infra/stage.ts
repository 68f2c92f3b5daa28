import { z } from 'zod';

/**
 * Stage configuration of a deployment (dev, test, prod, ...): parsed once with zod from the CDK
 * context (`cdk synth -c stage=prod -c mapMaxConcurrency=8`), with defaults that depend on the stage.
 * Constructs receive the parsed values; nothing below `infra/app.ts` reads the context itself.
 */

/** Retention periods CloudWatch Logs accepts (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Stages whose data and logs are kept when a stack is deleted, unless the context says otherwise. */
const RETAINING_STAGES = new Set(['prod', 'production']);

/** Context values arrive as strings from the command line and as JSON values from cdk.json. */
const booleanish = z.union([
  z.boolean(),
  z.enum(['true', 'false']).transform((v) => v === 'true'),
]);
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
/** A list from cdk.json (a JSON array) or from the command line (`-c jwtAudience=a,b`). */
const stringList = z.union([
  z.array(z.string()),
  z.string().transform((s) => s.split(',').map((v) => v.trim()).filter((v) => v.length > 0)),
]);
const httpsUrl = z.url({ protocol: /^https$/, error: 'must be an https:// URL' });

/** An IANA time zone name the runtime knows (EventBridge Scheduler takes the same names). */
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * The issuer of the local development tokens (`infra/local/dev-auth.ts`): accepted as a default only
 * by stages that keep nothing (dev, test); a retained stage must name its identity provider.
 */
export const DEV_JWT_ISSUER = 'https://baseline-drift.local/dev';
/** The audience the API expects in its tokens unless the stage names others. */
export const DEFAULT_JWT_AUDIENCE = 'baseline-drift-api';
export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com';
export const DEFAULT_GRAPH_TOKEN_URL_TEMPLATE = 'https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token';

/**
 * How a compare executes on AWS:
 * - `standard`: one Standard execution per compare (every state visible in the console and history).
 * - `standard-express-children`: a Standard parent per compare (run bookkeeping: coverage, snapshot,
 *   finalize, fail) that runs the per-policy-type Map in one synchronous Express child. Fewer Standard
 *   state transitions per compare; the child is bounded by Express's 5-minute limit and logged to
 *   CloudWatch Logs only. Locally the Standard definition always runs.
 */
export const WORKFLOW_TYPES = ['standard', 'standard-express-children'] as const;
export type WorkflowType = (typeof WORKFLOW_TYPES)[number];

const stageInputSchema = z.object({
  /** Lower-case name, used in stack names and resource tags. */
  stage: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,19}$/, 'a stage name is 1-20 characters: lower-case letters, digits, dashes; starts with a letter')
    .default('dev'),
  /** Keep tables and log groups when the stack is deleted (default: on for prod only). */
  retain: booleanish.optional(),
  /** EventBridge Scheduler expression for the compare dispatcher: `rate(...)`, `cron(...)` or `at(...)`. */
  schedule: z
    .string()
    .regex(/^(rate|cron|at)\(.+\)$/, 'a schedule is an EventBridge Scheduler expression: rate(...), cron(...) or at(...)')
    .default('cron(0 3 * * ? *)'),
  /** Whether the dispatcher schedule is enabled (default: on). */
  scheduleEnabled: booleanish.default(true),
  /** IANA time zone the schedule expression is read in (default UTC). */
  scheduleTimezone: z
    .string()
    .refine(isTimeZone, { message: 'a schedule time zone is an IANA name such as UTC or Europe/Berlin' })
    .default('UTC'),
  /**
   * Length of a dispatch window in minutes: a compare's execution name is derived from (tenant,
   * profile, window start), so a trigger repeated inside one window starts nothing new.
   */
  scheduleWindowMinutes: integer(1, 24 * 60).default(60),
  /** Run an inventory sync of each assigned tenant before its scheduled compare (default: off). */
  syncBeforeCompare: booleanish.default(false),
  /** How the compare workflow executes on AWS (see `WORKFLOW_TYPES`). */
  workflowType: z.enum(WORKFLOW_TYPES).default('standard'),
  /** Issuer (`iss`) the API's JWT authorizer accepts; required for retained stages. */
  jwtIssuer: httpsUrl.optional(),
  /** Audiences (`aud`) the JWT authorizer accepts (comma-separated on the command line). */
  jwtAudience: stringList
    .pipe(z.array(z.string().min(1).max(256)).min(1, 'at least one audience'))
    .default([DEFAULT_JWT_AUDIENCE]),
  /** Steady-state requests per second of the API's default stage (API Gateway throttling). */
  apiThrottleRateLimit: integer(1, 10_000).default(50),
  /** Burst of the API's default stage (API Gateway throttling). */
  apiThrottleBurstLimit: integer(1, 5_000).default(100),
  /**
   * Largest request body the API function accepts (413 above it). API Gateway HTTP APIs accept up to
   * 10 MB, but a synchronous Lambda invocation carries at most 6 MB, so the function's limit stays
   * well below both (default 1 MiB; large inventories are pushed in pages).
   */
  apiMaxBodyBytes: integer(1024, 5 * 1024 * 1024).default(1024 * 1024),
  /** Origins allowed by CORS (comma-separated); CORS stays off when none are given. */
  apiCorsOrigins: stringList.pipe(z.array(z.string().regex(/^(https?:\/\/[^\s/]+|\*)$/, 'an origin is scheme://host[:port] or *'))).default([]),
  /**
   * The console's OpenID Connect client id (a public client with authorization code + PKCE, registered
   * at the stage's JWT issuer, redirecting to the console's URL). Set: the console is deployed
   * (CloudFront + S3) and the API's CORS allows its origin.
   */
  consoleClientId: z.string().regex(/^[\x21-\x7e]{1,256}$/, 'a client id is 1-256 visible ASCII characters').optional(),
  /** Scopes the console asks for at sign-in. */
  consoleScope: z.string().regex(/^[\x21-\x7e]+( [\x21-\x7e]+)*$/, 'scopes are separated by single spaces').default('openid profile'),
  /** Further origins the console's sign-in talks to (comma-separated), e.g. a token endpoint on another host. */
  consoleAuthOrigins: stringList.pipe(z.array(httpsUrl)).default([]),
  /** Secrets Manager name prefix of the tenant credential secrets: `<prefix><tenantId>`. */
  tenantSecretPrefix: z
    .string()
    .regex(/^[A-Za-z0-9/_+=.@-]{1,256}$/, 'a secret name prefix is letters, digits and /_+=.@-')
    .optional(),
  /** Microsoft Graph base URL (sovereign clouds differ). */
  graphBaseUrl: httpsUrl.default(DEFAULT_GRAPH_BASE_URL),
  /** OAuth 2.0 token endpoint; `{tenantId}` is replaced by the tenant's id. */
  graphTokenUrlTemplate: z
    .string()
    .refine((v) => v.includes('{tenantId}') && httpsUrl.safeParse(v.replace('{tenantId}', 'tenant')).success, {
      message: 'a token URL template is an https:// URL containing {tenantId}',
    })
    .default(DEFAULT_GRAPH_TOKEN_URL_TEMPLATE),
  /** Log retention in days for functions and the state machine (default: 365 for prod, 14 otherwise). */
  logRetentionDays: z.coerce
    .number()
    .refine((n): n is LogRetentionDays => (LOG_RETENTION_DAYS as readonly number[]).includes(n), {
      message: `log retention must be one of ${LOG_RETENTION_DAYS.join(', ')} days`,
    })
    .optional(),
  /** How many policy types one compare execution processes at once (the Map's MaxConcurrency). */
  mapMaxConcurrency: integer(1, 40).default(4),
  /** A compare execution that runs longer than this is stopped and counted as timed out. */
  executionTimeoutMinutes: integer(1, 24 * 60).default(60),
  /** Powertools log level of every function. */
  logLevel: z.enum(LOG_LEVELS).default('INFO'),
  /** Where alarm notifications go (optional: the alarm topic exists either way). */
  alarmEmail: z.email().optional(),
  /** `source` of every event the engine puts on the default event bus. */
  eventSource: z
    .string()
    .regex(/^[a-zA-Z0-9._-]{1,256}$/, 'an event source is letters, digits, dots, dashes and underscores')
    .default('baseline-drift-engine'),
});

export type StageInput = z.input<typeof stageInputSchema>;

export interface StageConfig {
  stage: string;
  retain: boolean;
  schedule: string;
  scheduleEnabled: boolean;
  scheduleTimezone: string;
  scheduleWindowMinutes: number;
  syncBeforeCompare: boolean;
  workflowType: WorkflowType;
  jwtIssuer: string;
  jwtAudience: string[];
  apiThrottleRateLimit: number;
  apiThrottleBurstLimit: number;
  apiMaxBodyBytes: number;
  /** Empty: CORS off. */
  apiCorsOrigins: string[];
  /** Set: the console is deployed and signs in with this OpenID Connect client. */
  consoleClientId?: string;
  consoleScope: string;
  consoleAuthOrigins: string[];
  tenantSecretPrefix: string;
  graphBaseUrl: string;
  graphTokenUrlTemplate: string;
  logRetentionDays: LogRetentionDays;
  mapMaxConcurrency: number;
  executionTimeoutMinutes: number;
  logLevel: LogLevel;
  alarmEmail?: string;
  eventSource: string;
}

/** The context keys `stageConfigFromContext` reads (each one a field of `StageInput`). */
export const STAGE_CONTEXT_KEYS = Object.keys(stageInputSchema.shape) as (keyof StageInput)[];

export class StageConfigError extends Error {
  override readonly name = 'StageConfigError';
}

/** Parses a stage configuration; throws `StageConfigError` naming every invalid field. */
export function parseStageConfig(input: Partial<Record<keyof StageInput, unknown>> = {}): StageConfig {
  const parsed = stageInputSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new StageConfigError(`Invalid stage configuration: ${problems.join('; ')}`);
  }
  const v = parsed.data;
  const retain = v.retain ?? RETAINING_STAGES.has(v.stage);
  const problems: string[] = [];
  if (retain && (v.jwtIssuer === undefined || v.jwtIssuer === DEV_JWT_ISSUER)) {
    problems.push('jwtIssuer: a retained stage must name its identity provider (the development issuer is refused)');
  }
  if (v.apiThrottleBurstLimit < v.apiThrottleRateLimit) {
    problems.push('apiThrottleBurstLimit: the burst must be at least the rate limit');
  }
  if (problems.length > 0) throw new StageConfigError(`Invalid stage configuration: ${problems.join('; ')}`);
  const config: StageConfig = {
    stage: v.stage,
    retain,
    schedule: v.schedule,
    scheduleEnabled: v.scheduleEnabled,
    scheduleTimezone: v.scheduleTimezone,
    scheduleWindowMinutes: v.scheduleWindowMinutes,
    syncBeforeCompare: v.syncBeforeCompare,
    workflowType: v.workflowType,
    jwtIssuer: v.jwtIssuer ?? DEV_JWT_ISSUER,
    jwtAudience: v.jwtAudience,
    apiThrottleRateLimit: v.apiThrottleRateLimit,
    apiThrottleBurstLimit: v.apiThrottleBurstLimit,
    apiMaxBodyBytes: v.apiMaxBodyBytes,
    apiCorsOrigins: v.apiCorsOrigins,
    consoleScope: v.consoleScope,
    consoleAuthOrigins: v.consoleAuthOrigins,
    tenantSecretPrefix: v.tenantSecretPrefix ?? `baseline-drift/${v.stage}/tenants/`,
    graphBaseUrl: v.graphBaseUrl,
    graphTokenUrlTemplate: v.graphTokenUrlTemplate,
    logRetentionDays: v.logRetentionDays ?? (RETAINING_STAGES.has(v.stage) ? 365 : 14),
    mapMaxConcurrency: v.mapMaxConcurrency,
    executionTimeoutMinutes: v.executionTimeoutMinutes,
    logLevel: v.logLevel,
    eventSource: v.eventSource,
  };
  if (v.alarmEmail !== undefined) config.alarmEmail = v.alarmEmail;
  if (v.consoleClientId !== undefined) config.consoleClientId = v.consoleClientId;
  return config;
}

/** Reads the stage configuration from a construct's context (`-c stage=dev`, cdk.json `context`). */
export function stageConfigFromContext(tryGetContext: (key: string) => unknown): StageConfig {
  const input: Partial<Record<keyof StageInput, unknown>> = {};
  for (const key of STAGE_CONTEXT_KEYS) {
    const value = tryGetContext(key);
    if (value !== undefined) input[key] = value;
  }
  return parseStageConfig(input);
}
