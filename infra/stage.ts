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
  const config: StageConfig = {
    stage: v.stage,
    retain,
    schedule: v.schedule,
    scheduleEnabled: v.scheduleEnabled,
    logRetentionDays: v.logRetentionDays ?? (RETAINING_STAGES.has(v.stage) ? 365 : 14),
    mapMaxConcurrency: v.mapMaxConcurrency,
    executionTimeoutMinutes: v.executionTimeoutMinutes,
    logLevel: v.logLevel,
    eventSource: v.eventSource,
  };
  if (v.alarmEmail !== undefined) config.alarmEmail = v.alarmEmail;
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
