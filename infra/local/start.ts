/**
 * `npm start`: the whole product on one machine. DynamoDB Local (in memory) with the tables of the
 * synthesized data stack, the BaselineCompare workflow run in-process, the HTTP API on loopback with
 * development JWTs, the local scheduler on the stage's schedule; on an empty database (always: DynamoDB
 * Local keeps nothing between starts) the demo workspace is seeded and one compare round runs through
 * the scheduled dispatcher, then a summary is printed with curl examples and a ready token.
 *
 *   npm start                      serve on http://127.0.0.1:3000 (PORT or --port) until Ctrl+C
 *   npm start -- --once            seed, run the round, print the summary, exit 0 (for checks)
 *   npm start -- --webhook <url>   also deliver every webhook event of the demo workspace to <url>
 *
 * Progress goes to stderr, the summary to stdout. Local state (development key, secret key, events
 * file) lives under `.drift/`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { stageConfigFromContext, type StageConfig } from '../stage.js';
import { createDynamoRepositories } from '../../shared/adapters/dynamodb/index.js';
import { workspaceKeySourceFromEnv } from '../../shared/adapters/secrets/workspace-key.js';
import { resolveHostAddresses, webhookUrlPolicyFromEnv } from '../../shared/adapters/http/webhook-transport.js';
import { webhookSecretsFromEnv } from '../../shared/adapters/secrets/webhook-secrets.js';
import { WEBHOOK_EVENT_TYPES } from '../../shared/domain/webhooks.js';
import { createWebhook } from '../../shared/usecases/manage-webhooks.js';
import { createDevVerifier, loadOrCreateDevKey, mintDevToken } from './dev-auth.js';
import { startHttpServer, type RunningHttpServer } from './http-server.js';
import { CONSOLE_DIST, ensureConsoleBuild } from './console.js';
import { localDispatchDeps, localDispatcher, startLocalScheduler, type LocalScheduler } from './scheduler.js';
import { startLocalStack, type LocalStack } from './stack.js';
import { collectSummary, renderSummary, runDemoRound, type DemoSummary } from './demo/summary.js';
import { runDemoAcceptance, type DemoAcceptance } from './demo/exception.js';
import { needsSeed, seedDemo, type DemoSeed } from './demo/seed.js';
import { DEMO_GOLDEN_TENANT, DEMO_WORKSPACE_ID, demoTenants } from './demo/data.js';

export const DEFAULT_PORT = 3000;
export const DEFAULT_HOST = '127.0.0.1';
export const STATE_DIR = '.drift';
/** Where the local API serves the console. */
export const CONSOLE_PATH = '/console/';
/** Lifetime of the token printed in the summary. */
const SUMMARY_TOKEN_TTL_SECONDS = 12 * 3600;

export interface StartOptions {
  host?: string;
  /** 0 = any free port. */
  port: number;
  /** Local state folder (development key, secret key, events file); default `.drift`. */
  stateDir?: string;
  /** Use a running DynamoDB Local instead of starting one (tests). */
  endpoint?: string;
  /** Table name prefix (tests sharing one DynamoDB Local). */
  prefix?: string;
  /** The stage whose schedule the local scheduler follows (default: the CDK context's, see `localStageConfig`). */
  stage?: StageConfig;
  /** Start the local scheduler (default true; `--once` does not). */
  schedule?: boolean;
  /** A progress line (stderr). */
  progress?: (line: string) => void;
  now?: () => Date;
  /** A receiver (`--webhook`): a destination of the demo workspace for every event type is created before the round. */
  webhookUrl?: string;
}

export interface LocalSession {
  url: string;
  summary: DemoSummary;
  /** The summary as printed. */
  text: string;
  seed: DemoSeed | undefined;
  stack: LocalStack;
  scheduler: LocalScheduler | undefined;
  /** Stops the scheduler, the API and the local stack (DynamoDB Local included). */
  stop(): Promise<void>;
}

/** The stage configuration the CDK app would use (cdk.json context, `DRIFT_STAGE` names the stage). */
export function localStageConfig(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): StageConfig {
  const file = join(cwd, 'cdk.json');
  const context = existsSync(file) ? ((JSON.parse(readFileSync(file, 'utf8')) as { context?: Record<string, unknown> }).context ?? {}) : {};
  const values: Record<string, unknown> = { ...context, ...(env.DRIFT_STAGE ? { stage: env.DRIFT_STAGE } : {}) };
  return stageConfigFromContext((key) => values[key]);
}

/** The local master key of the secret digests: `DRIFT_SECRET_KEY`, else one kept in the state folder. */
function ensureSecretKey(stateDir: string): void {
  if (process.env.DRIFT_SECRET_KEY) return;
  const file = join(stateDir, 'secret-key');
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  process.env.DRIFT_SECRET_KEY = readFileSync(file, 'utf8').trim();
}

/** The local webhook master key: `DRIFT_WEBHOOK_KEY`, else one kept in the state folder (destinations outlive nothing: the database is in memory). */
function ensureWebhookKey(stateDir: string): void {
  if (process.env.DRIFT_WEBHOOK_KEY) return;
  const file = join(stateDir, 'webhook-key');
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  process.env.DRIFT_WEBHOOK_KEY = readFileSync(file, 'utf8').trim();
}

/** Runs the local stack, seeds and compares (see the module comment); serving goes on until `stop()`. */
export async function startLocal(options: StartOptions): Promise<LocalSession> {
  const progress = options.progress ?? (() => undefined);
  const now = options.now ?? (() => new Date());
  const stateDir = resolve(options.stateDir ?? STATE_DIR);
  mkdirSync(stateDir, { recursive: true });
  // The functions' loggers read the level when they load: keep them quiet unless asked otherwise.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  const stage = options.stage ?? localStageConfig();
  process.env.SCHEDULE_WINDOW_MINUTES ??= String(stage.scheduleWindowMinutes);
  // Locally the round compares the inventories already recorded (no Graph sync before compare).
  process.env.SYNC_BEFORE_COMPARE = 'false';
  ensureSecretKey(stateDir);
  ensureWebhookKey(stateDir);

  const eventsFile = join(stateDir, 'events.jsonl');
  writeFileSync(eventsFile, ''); // the database starts empty, so do the events
  progress(options.endpoint ? 'creating the tables on DynamoDB Local…' : 'starting DynamoDB Local (in memory) and creating the tables…');
  // The console builds (when its build is missing or stale) while DynamoDB Local boots.
  const consoleBuild = ensureConsoleBuild(progress);
  consoleBuild.catch(() => undefined); // awaited below; this only keeps an early failure from counting as unhandled
  const deadLetterFile = join(stateDir, 'webhook-dead-letters.jsonl');
  writeFileSync(deadLetterFile, '');
  let stack: LocalStack;
  try {
    stack = await startLocalStack({ eventsFile, webhookDeadLetterFile: deadLetterFile, ...(options.endpoint ? { endpoint: options.endpoint } : {}), ...(options.prefix ? { prefix: options.prefix } : {}) });
  } catch (err) {
    await consoleBuild.catch(() => undefined);
    throw err;
  }
  let server: RunningHttpServer | undefined;
  let scheduler: LocalScheduler | undefined;
  const stop = async () => {
    scheduler?.stop();
    await server?.close();
    await stack.stop();
  };
  try {
    const repos = createDynamoRepositories();
    const keys = workspaceKeySourceFromEnv();
    let seed: DemoSeed | undefined;
    if (await needsSeed(repos.profiles)) {
      progress('seeding the demo workspace: golden tenant, baseline snapshot, two assigned tenants…');
      seed = await seedDemo({ repos, digesterFor: (ws) => keys.digesterFor(ws), now });
    } else {
      progress('the database already holds the demo workspace: not seeding');
    }

    const key = await loadOrCreateDevKey(stateDir);
    await consoleBuild;
    progress('starting the API and the console…');
    const [{ createApiApp }, { localApiDeps }] = await Promise.all([import('../../functions/api/app.js'), import('./api-deps.js')]);
    server = await startHttpServer({
      host: options.host ?? DEFAULT_HOST,
      port: options.port,
      handle: createApiApp(await localApiDeps(stack)),
      verify: createDevVerifier(key),
      staticSite: { prefix: CONSOLE_PATH, dir: CONSOLE_DIST },
    });

    // Links in webhook messages point at this API (read by each delivery).
    process.env.WEBHOOK_LINK_BASE_URL = server.url;
    let webhook: { id: string; url: string; secret: string } | undefined;
    if (options.webhookUrl !== undefined) {
      const created = await createWebhook(
        { webhooks: repos.webhooks, webhookSecrets: webhookSecretsFromEnv(), resolveHost: resolveHostAddresses, webhookUrlPolicy: webhookUrlPolicyFromEnv(), audit: repos.audit, now },
        { workspaceId: DEMO_WORKSPACE_ID, actor: 'demo-seed', correlationId: 'npm-start' },
        { url: options.webhookUrl, events: [...WEBHOOK_EVENT_TYPES], minSeverity: 'low', format: 'standard' },
      );
      webhook = { id: created.webhook.id, url: created.webhook.url, secret: created.secret };
      progress(`webhook ${webhook.id}: every event of the demo workspace goes to ${options.webhookUrl}`);
    }

    progress('running one compare round through the scheduled dispatcher…');
    const round = await runDemoRound(
      { ...localDispatchDeps(stack), now, wait: (runId) => stack.starter.wait(runId) },
      { scheduledAt: now(), windowMinutes: stage.scheduleWindowMinutes },
    );

    let acceptance: DemoAcceptance | undefined;
    if (seed !== undefined) {
      progress('accepting Fabrikam\'s update deferral, then Fabrikam raises it further: comparing Fabrikam again…');
      acceptance = await runDemoAcceptance({ repos, digesterFor: (ws) => keys.digesterFor(ws), starter: stack.starter, now });
    }

    const tenants = [DEMO_GOLDEN_TENANT.tenantId, ...demoTenants().map((t) => t.tenantId)];
    const token = await mintDevToken(key, { workspaceId: DEMO_WORKSPACE_ID, tenantIds: tenants, role: 'operator', subject: 'demo-operator', ttlSeconds: SUMMARY_TOKEN_TTL_SECONDS });
    const effectiveSeed: DemoSeed = seed ?? (await reconstructSeed(repos));
    if (webhook !== undefined) progress('waiting for the webhook deliveries of the round (retries included)…');
    await stack.webhooks.idle();
    const summary = await collectSummary({
      repos,
      seed: effectiveSeed,
      round,
      eventsFile: stack.eventsFile,
      apiUrl: server.url,
      token,
      consolePath: CONSOLE_PATH,
      ...(acceptance ? { acceptance } : {}),
      ...(webhook !== undefined ? { webhook: { ...webhook, ...webhookCounts(stack, webhook.id) } } : {}),
    });

    if (options.schedule !== false && stage.scheduleEnabled) {
      const dispatch = localDispatcher(stack);
      scheduler = startLocalScheduler({
        expression: stage.schedule,
        timeZone: stage.scheduleTimezone,
        trigger: async (at) => {
          const r = await dispatch(at);
          progress(`scheduled round ${at.toISOString()}: ${r.started} started, ${r.alreadyActive} already active, ${r.alreadyStartedInWindow} already started in this window, ${r.failed} failed`);
        },
        onError: (err) => progress(`scheduled round failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`),
      });
    }
    return { url: server.url, summary, text: renderSummary(summary), seed, stack, scheduler, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

/** What reached a destination in this session: delivered events by type, and dead-lettered ones. */
function webhookCounts(stack: LocalStack, webhookId: string): { delivered: Record<string, number>; deadLettered: number } {
  const delivered: Record<string, number> = {};
  for (const o of stack.webhooks.delivered) if (o.type !== undefined && o.delivered.includes(webhookId)) delivered[o.type] = (delivered[o.type] ?? 0) + 1;
  return { delivered, deadLettered: stack.webhooks.deadLetters.filter((d) => d.failures.some((f) => f.webhookId === webhookId || f.webhookId === '*')).length };
}

/** The demo seed as stored, for a database seeded before (only when reusing a running DynamoDB Local). */
async function reconstructSeed(repos: ReturnType<typeof createDynamoRepositories>): Promise<DemoSeed> {
  const { DEMO_PROFILE_ID } = await import('./demo/data.js');
  const profile = await repos.profiles.get(DEMO_PROFILE_ID);
  const snapshot = profile?.activeSnapshotId ? await repos.snapshots.get(profile.activeSnapshotId) : undefined;
  return {
    workspaceId: DEMO_WORKSPACE_ID,
    profileId: DEMO_PROFILE_ID,
    profileName: profile?.name ?? DEMO_PROFILE_ID,
    snapshotId: snapshot?.id ?? '',
    snapshotItems: snapshot?.itemCount ?? 0,
    golden: { tenantId: DEMO_GOLDEN_TENANT.tenantId, name: DEMO_GOLDEN_TENANT.name, syncRunId: '' },
    tenants: demoTenants().map((t) => ({ tenantId: t.tenantId, name: t.name, story: t.story, syncRunId: '', syncOutcome: '', failedTypes: Object.keys(t.failedTypes) })),
  };
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError(`a port is 0-65535, not "${value}"`);
  return n;
}

function stderrProgress(): (line: string) => void {
  const started = Date.now();
  return (line) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);
}

/** Waits for SIGINT or SIGTERM. */
function interrupted(): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolveSignal(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command('start')
    .description('the Baseline Drift Engine on this machine: DynamoDB Local, the workflow, the API, the scheduler, and a demo')
    .option('--once', 'seed, run one compare round, print the summary and exit')
    .option('--port <port>', `port of the API (default: PORT, else ${DEFAULT_PORT})`, parsePort)
    .option('--host <host>', 'interface of the API', DEFAULT_HOST)
    .option('--webhook <url>', 'send every webhook event of the demo workspace to this receiver (a loopback URL, or public https)')
    .exitOverride();
  let opts: { once?: boolean; port?: number; host: string; webhook?: string };
  try {
    program.parse(argv, { from: 'user' });
    opts = program.opts();
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  const port = opts.port ?? (process.env.PORT !== undefined ? parsePort(process.env.PORT) : DEFAULT_PORT);
  const progress = stderrProgress();
  let session: LocalSession;
  try {
    session = await startLocal({ host: opts.host, port, schedule: !opts.once, progress, ...(opts.webhook !== undefined ? { webhookUrl: opts.webhook } : {}) });
  } catch (err) {
    process.stderr.write(`start: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\n`);
    if (process.env.DRIFT_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
  process.stdout.write(`${session.text}\n`);
  if (opts.once) {
    progress('--once: stopping');
    await session.stop();
    return 0;
  }
  const next = session.scheduler?.next();
  progress(
    `serving ${session.url}; ${next ? `next scheduled compare round ${next.toISOString()}` : 'no schedule'}. ` +
      'DynamoDB Local runs in memory: the next start seeds afresh. Ctrl+C stops.',
  );
  const signal = await interrupted();
  progress(`${signal}: stopping the scheduler, the API and DynamoDB Local…`);
  await session.stop();
  progress('stopped');
  return 0;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === new URL(`file://${resolve(process.argv[1])}`).href;
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`start: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
