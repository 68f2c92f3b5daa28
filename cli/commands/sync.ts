/**
 * `drift sync`: reads a tenant's Intune inventory from Microsoft Graph with the product's Graph client
 * (paging, follow-ups, retries, per-type coverage) and writes it to disk in the layout `drift compare`
 * reads: `<out>/<collection>/<id>.json`, one object per file as Graph returned it (sub-collections such
 * as settings merged in, as `$expand` would return them), every declared secret replaced by its keyed
 * digest. `<out>/sync-result.json` (ignored by the loader) keeps the per-type result.
 *
 * Credentials come from the options or from the environment (`DRIFT_GRAPH_CLIENT_ID`,
 * `DRIFT_GRAPH_CLIENT_SECRET`), so a secret need not appear in shell history. Exit 0 when every type
 * succeeded, 1 when some failed, 2 on error (including a token endpoint that refuses the credentials).
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Option, type Command } from 'commander';
import { FOUNDATION_TYPE_KEYS, POLICY_TYPE_KEYS, type RegistryTypeKey } from '../../shared/domain/model.js';
import { isRegistryTypeKey, POLICY_TYPES } from '../../shared/domain/registry.js';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import { createGraphClient, type GraphClientConfig } from '../../shared/adapters/graph/client.js';
import type { InventoryProgress } from '../../shared/adapters/graph/collector.js';
import { redactGraphObject } from '../../shared/adapters/graph/redact.js';
import { collectRegistryInventory } from '../../shared/adapters/graph/registry-inventory.js';
import { tokenUrlFor, DEFAULT_TOKEN_URL_TEMPLATE } from '../../shared/adapters/graph/tenant-client.js';
import { createClientCredentialsTokenProvider, DEFAULT_GRAPH_BASE_URL } from '../../shared/adapters/graph/token-provider.js';
import { defaultFormat, parseFormat, parseList, progress as terminalProgress, renderTable, UsageError, type OutputFormat, type Progress } from '../../infra/local/terminal.js';

export interface SyncCommandOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  tokenUrl?: string;
  graphUrl?: string;
  types?: string[];
  out: string;
  /** Key of the secret digests (see `resolveExportKey`). */
  secretKey: string;
  progress?: Progress;
  /** Graph client settings (tests: fetch, sleep, clock). */
  client?: Partial<Omit<GraphClientConfig, 'tokenProvider' | 'baseUrl'>>;
}

export interface SyncTypeResult {
  type: RegistryTypeKey;
  collection: string;
  status: 'succeeded' | 'failed';
  itemCount?: number;
  error?: string;
}

export interface SyncReport {
  tenantId: string;
  out: string;
  types: SyncTypeResult[];
  succeeded: number;
  failed: number;
  filesWritten: number;
  requests: number;
  batchedRequests: number;
  retries: number;
  durationMs: number;
}

export const RESULT_FILE = 'sync-result.json';

function parseTypes(types: string[] | undefined): RegistryTypeKey[] {
  if (types === undefined || types.length === 0) return [...POLICY_TYPE_KEYS, ...FOUNDATION_TYPE_KEYS];
  const unknown = types.filter((t) => !isRegistryTypeKey(t));
  if (unknown.length > 0) {
    throw new UsageError(`unknown type(s) ${unknown.join(', ')}: use registry keys such as ${[...POLICY_TYPE_KEYS.slice(0, 3), FOUNDATION_TYPE_KEYS[0]].join(', ')}`);
  }
  return [...new Set(types as RegistryTypeKey[])];
}

/** A file name from a Graph id: ids are GUIDs or short tokens; anything unusual becomes `_`. */
function fileNameOf(id: unknown, index: number): string {
  const raw = typeof id === 'string' || typeof id === 'number' ? String(id) : `object-${index}`;
  const safe = raw.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, 150);
  return `${safe || `object-${index}`}.json`;
}

async function checkOutDir(out: string): Promise<void> {
  const info = await stat(out).catch(() => undefined);
  if (info === undefined) return;
  if (!info.isDirectory()) throw new UsageError(`--out ${out} is not a directory`);
  const entries = (await readdir(out)).filter((name) => !name.startsWith('.'));
  if (entries.length > 0) throw new UsageError(`--out ${out} is not empty: give a new or empty directory, so no earlier export mixes with this one`);
}

export async function runSync(options: SyncCommandOptions): Promise<SyncReport> {
  const types = parseTypes(options.types);
  await checkOutDir(options.out);
  const graphUrl = (options.graphUrl ?? DEFAULT_GRAPH_BASE_URL).replace(/\/+$/, '');
  const tokenProvider = createClientCredentialsTokenProvider({
    tenantId: options.tenantId,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    graphBaseUrl: graphUrl,
    tokenUrl: options.tokenUrl ?? tokenUrlFor(DEFAULT_TOKEN_URL_TEMPLATE, options.tenantId),
    ...(options.client?.fetch ? { fetch: options.client.fetch } : {}),
    ...(options.client?.clock ? { clock: options.client.clock } : {}),
  });
  const client = createGraphClient({ ...options.client, tokenProvider, baseUrl: graphUrl });
  const show = options.progress;
  const collection = await collectRegistryInventory({
    types,
    client,
    onProgress: (p: InventoryProgress<RegistryTypeKey>) => show?.update(`[${p.done}/${p.total}] ${p.type} ${p.status}`),
  });
  show?.done();

  const digester = createSecretDigester(options.secretKey);
  const results: SyncTypeResult[] = [];
  let filesWritten = 0;
  await mkdir(options.out, { recursive: true });
  for (const type of types) {
    const read = collection.types[type];
    const folder = POLICY_TYPES[type].collection;
    if (read.status === 'failed') {
      results.push({ type, collection: folder, status: 'failed', error: read.error });
      continue;
    }
    const dir = join(options.out, folder);
    await mkdir(dir, { recursive: true });
    const used = new Set((await readdir(dir)).map((n) => n.toLowerCase()));
    let index = 0;
    for (const obj of read.objects) {
      let name = fileNameOf(obj.id, index);
      // Two objects with one id (or ids differing in case only) never overwrite each other.
      for (let n = 2; used.has(name.toLowerCase()); n += 1) name = fileNameOf(`${String(obj.id)}-${n}`, index);
      used.add(name.toLowerCase());
      await writeFile(join(dir, name), JSON.stringify(redactGraphObject(type, obj, digester), null, 2) + '\n', { encoding: 'utf8', mode: 0o600 });
      filesWritten += 1;
      index += 1;
    }
    results.push({ type, collection: folder, status: 'succeeded', itemCount: read.item_count });
  }
  const report: SyncReport = {
    tenantId: options.tenantId,
    out: options.out,
    types: results,
    succeeded: results.filter((r) => r.status === 'succeeded').length,
    failed: results.filter((r) => r.status === 'failed').length,
    filesWritten,
    requests: collection.requestCount,
    batchedRequests: collection.batchedRequestCount,
    retries: collection.retryCount,
    durationMs: collection.durationMs,
  };
  await writeFile(join(options.out, RESULT_FILE), JSON.stringify(report, null, 2) + '\n', 'utf8');
  return report;
}

/** Every type failed on the token endpoint: the credentials (or the URL) are wrong, not the tenant. */
export function credentialsRefused(report: SyncReport): boolean {
  return report.types.length > 0 && report.types.every((t) => t.status === 'failed' && t.error?.startsWith('token request failed'));
}

export function formatSync(report: SyncReport, format: OutputFormat): string {
  if (format === 'json') return JSON.stringify(report, null, 2);
  const table = renderTable(
    ['type', 'collection', 'status', 'items / error'],
    report.types.map((t) => [t.type, t.collection, t.status, t.status === 'succeeded' ? (t.itemCount ?? 0) : (t.error ?? '')]),
  );
  return (
    `${table}\n${report.succeeded} type(s) succeeded, ${report.failed} failed; ${report.filesWritten} file(s) in ${report.out}; ` +
    `${report.requests} request(s) (${report.batchedRequests} inside $batch), ${report.retries} retr${report.retries === 1 ? 'y' : 'ies'}, ${(report.durationMs / 1000).toFixed(1)} s`
  );
}

/**
 * The key of the export's secret digests: `--secret-key`, else `DRIFT_SECRET_KEY`, else one kept in
 * `.drift/export-secret-key` (created once), so that exports made on this machine stay comparable.
 */
export async function resolveExportKey(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env, stateDir = '.drift'): Promise<string> {
  if (explicit) return explicit;
  if (env.DRIFT_SECRET_KEY) return env.DRIFT_SECRET_KEY;
  const file = join(stateDir, 'export-secret-key');
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing !== undefined && existing.trim().length >= 16) return existing.trim();
  const key = randomBytes(32).toString('hex');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, key + '\n', { encoding: 'utf8', mode: 0o600 });
  await chmod(file, 0o600);
  return key;
}

interface SyncCliOptions {
  tenantId: string;
  clientId?: string;
  clientSecret?: string;
  tokenUrl?: string;
  graphUrl?: string;
  types?: string[];
  out: string;
  secretKey?: string;
  format?: OutputFormat;
}

/** Adds `sync` to the program; `out.exitCode` receives 0, 1 or 2. */
export function registerSyncCommand(program: Command, out: { exitCode: number }): void {
  program
    .command('sync')
    .description("read a tenant's Intune inventory from Microsoft Graph into <out>/<collection>/<id>.json (secrets as digests)")
    .requiredOption('--tenant-id <id>', 'Entra tenant id (GUID) or verified domain')
    .option('--client-id <id>', 'app registration (client) id (default: env DRIFT_GRAPH_CLIENT_ID)')
    .option('--client-secret <secret>', 'client secret (default: env DRIFT_GRAPH_CLIENT_SECRET, which keeps it out of shell history)')
    .option('--token-url <url>', `token endpoint (default: env GRAPH_TOKEN_URL_TEMPLATE, else ${DEFAULT_TOKEN_URL_TEMPLATE})`)
    .option('--graph-url <url>', `Graph base URL (default: env GRAPH_BASE_URL, else ${DEFAULT_GRAPH_BASE_URL})`)
    .option('--types <t1,t2>', 'only these registry types (default: every policy and foundation type)', parseList)
    .requiredOption('--out <dir>', 'a new or empty directory for the export')
    .option('--secret-key <key>', 'key of the secret digests (default: env DRIFT_SECRET_KEY, else a key kept in .drift/)')
    .addOption(new Option('--format <format>', 'table or json (default: table on a terminal, json when piped)').argParser(parseFormat))
    .action(async (opts: SyncCliOptions) => {
      const format = opts.format ?? defaultFormat();
      const clientId = opts.clientId ?? process.env.DRIFT_GRAPH_CLIENT_ID;
      const clientSecret = opts.clientSecret ?? process.env.DRIFT_GRAPH_CLIENT_SECRET;
      if (!clientId) throw new UsageError('no client id: give --client-id or set DRIFT_GRAPH_CLIENT_ID');
      if (!clientSecret) throw new UsageError('no client secret: give --client-secret or set DRIFT_GRAPH_CLIENT_SECRET');
      const tokenUrl = opts.tokenUrl ?? (process.env.GRAPH_TOKEN_URL_TEMPLATE ? tokenUrlFor(process.env.GRAPH_TOKEN_URL_TEMPLATE, opts.tenantId) : undefined);
      const graphUrl = opts.graphUrl ?? process.env.GRAPH_BASE_URL;
      const report = await runSync({
        tenantId: opts.tenantId,
        clientId,
        clientSecret,
        ...(tokenUrl ? { tokenUrl } : {}),
        ...(graphUrl ? { graphUrl } : {}),
        ...(opts.types ? { types: opts.types } : {}),
        out: opts.out,
        secretKey: await resolveExportKey(opts.secretKey),
        progress: terminalProgress(format),
      });
      process.stdout.write(formatSync(report, format) + '\n');
      if (credentialsRefused(report)) {
        process.stderr.write(`drift: ${report.types[0]?.error ?? 'token request failed'}: check the tenant id, client id, secret and token URL\n`);
        out.exitCode = 2;
      } else {
        out.exitCode = report.failed > 0 ? 1 : 0;
      }
    });
}
