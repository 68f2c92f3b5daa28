/**
 * The portal API under attack, over real HTTP on loopback: the same app, HTTP server and development
 * JWT verifier as `npm start`, on the chaos environment's tables. Two workspaces are seeded (a
 * victim with drift findings and an attacker with its own), with unique marker strings in the
 * victim's data so that any leak shows up in a response body.
 */
import { createHash, randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { importJWK, SignJWT } from 'jose';
import { createApiApp, type ApiApp } from '../../../functions/api/app.js';
import { wireApiDeps } from '../../../functions/api/wiring.js';
import { createDevKey, createDevVerifier, DEV_AUDIENCE, DEV_ISSUER, mintDevToken, type DevKey, type DevRole } from '../../../infra/local/dev-auth.js';
import { startHttpServer, type RunningHttpServer } from '../../../infra/local/http-server.js';
import { getDocumentClient } from '../../../shared/adapters/dynamodb/client.js';
import { workspaceKeySourceFromEnv } from '../../../shared/adapters/secrets/workspace-key.js';
import type { Finding } from '../../../shared/domain/model.js';
import { captureSnapshot } from '../../../shared/usecases/capture-snapshot.js';
import { ingestInventory } from '../../../shared/usecases/ingest-inventory.js';
import { startCompare } from '../../../shared/usecases/start-compare.js';
import { installWriteObserver, type WriteObserver } from '../../support/faults/write-observer.js';
import { Random, seedOf } from '../../support/faults/random.js';
import { allFindings, type ChaosEnv } from './faults.js';
import { chaosDigester, collected, generateWorld, policyObject, seedProfile, type Inventory } from './world.js';
import type { CaptureRequest } from '../../../shared/usecases/ports/workflow.js';

export const API_SECRET_KEY = 'chaos-api-master-key-0123456789abcdef';

export interface Party {
  workspaceId: string;
  tenantId: string;
  /** A second tenant of the same workspace (not granted to single-tenant tokens). */
  otherTenantId: string;
  profileId: string;
  snapshotId: string;
  runIds: string[];
  /** The seed compare of `tenantId` (not of the second tenant). */
  compareRunId: string;
  findings: Finding[];
}

export interface ApiHarness {
  url: string;
  key: DevKey;
  app: ApiApp;
  victim: Party;
  attacker: Party;
  /** Strings only the victim's data holds: none may reach the attacker. */
  victimMarkers: string[];
  writes: WriteObserver;
  /** Server faults the app reported (it answers them with a 500 and a request id). */
  serverErrors: unknown[];
  /** Waits for every compare and capture the API started. */
  settle(): Promise<void>;
  token(party: Party, role: DevRole, tenants?: string[]): Promise<string>;
  /** SHA-256 over every item of every table (sorted): equal digests, equal tables. */
  tablesDigest(): Promise<string>;
  request(method: string, path: string, options?: { token?: string; body?: string | Buffer; contentType?: string; headers?: Record<string, string> }): Promise<ApiResponse>;
  close(): Promise<void>;
}

export interface ApiResponse {
  status: number;
  contentType: string;
  text: string;
}

async function seedParty(env: ChaosEnv, name: string, marker: string, seed: number): Promise<Party> {
  const tag = `${env.nonce}-${name}`;
  const world = generateWorld(new Random(seedOf(seed, 'api', name)), 1);
  // A policy the baseline lacks, named with the marker: an unexpected_policy finding carries it.
  const type = world.types[0]!;
  const tenantInventory: Inventory = { ...world.rounds[0]!, [type]: [...(world.rounds[0]![type] ?? []), policyObject(type, randomUUID(), `${marker} policy`, 1)] };
  const party: Party = {
    workspaceId: `ws-${tag}`,
    tenantId: `tenant-${tag}`,
    otherTenantId: `tenant-${tag}-second`,
    profileId: `profile-${tag}`,
    snapshotId: '',
    runIds: [],
    compareRunId: '',
    findings: [],
  };
  const seeded = await seedProfile(env.repos, world, {
    profileId: party.profileId,
    goldenTenantId: `golden-${tag}`,
    tenantIds: [party.tenantId, party.otherTenantId],
    workspaceId: party.workspaceId,
    profileName: `${marker} profile`,
  });
  party.snapshotId = seeded.snapshotId;
  const now = () => new Date();
  for (const tenantId of [party.tenantId, party.otherTenantId]) {
    const sync = await ingestInventory(
      { runs: env.repos.runs, inventory: env.repos.inventory, digester: chaosDigester(), now },
      { tenantId, workspaceId: party.workspaceId, initiator: 'chaos', types: collected(tenantInventory, world.types) },
    );
    if (sync.status === 'completed') party.runIds.push(sync.runId);
    const started = await startCompare({ runs: env.repos.runs, profiles: env.repos.profiles, starter: env.stack.starter, now }, { tenantId, profileId: party.profileId, initiator: 'chaos' });
    if (!started.started) throw new Error('seed compare did not start');
    await env.stack.starter.wait(started.runId);
    party.runIds.push(started.runId);
    if (tenantId === party.tenantId) party.compareRunId = started.runId;
  }
  party.findings = await allFindings(env.repos, party.tenantId);
  if (party.findings.length === 0) throw new Error(`seeding ${name}: no findings`);
  return party;
}

export async function startApiHarness(env: ChaosEnv, seed: number): Promise<ApiHarness> {
  const victimMarker = `VictimMarker${env.nonce}`;
  const victim = await seedParty(env, 'victim', victimMarker, seed);
  const attacker = await seedParty(env, 'attacker', `AttackerMarker${env.nonce}`, seed);
  const pending: Promise<unknown>[] = [];
  const serverErrors: unknown[] = [];
  const now = () => new Date();
  const deps = wireApiDeps({
    repos: env.repos,
    db: getDocumentClient(),
    tables: env.stack.tables,
    workflow: {
      start: async (input, name) => {
        await env.stack.starter.start(input, name);
        pending.push(env.stack.starter.wait(input.runId));
      },
    },
    capture: {
      start: (req: CaptureRequest) => {
        pending.push(
          captureSnapshot({ runs: env.repos.runs, profiles: env.repos.profiles, snapshots: env.repos.snapshots, inventory: env.repos.inventory, now }, req).catch((e: unknown) => e),
        );
        return Promise.resolve();
      },
    },
    keys: workspaceKeySourceFromEnv({ DRIFT_SECRET_KEY: API_SECRET_KEY }),
    onServerError: (error) => serverErrors.push(error),
  });
  const app = createApiApp(deps);
  const key = await createDevKey();
  const server: RunningHttpServer = await startHttpServer({ port: 0, handle: app, verify: createDevVerifier(key) });
  const writes = installWriteObserver(getDocumentClient());
  const db = getDocumentClient();
  const markers = [
    victimMarker,
    victim.tenantId,
    victim.otherTenantId,
    victim.profileId,
    victim.snapshotId,
    victim.workspaceId,
    ...victim.runIds,
    ...victim.findings.map((f) => f.fingerprint),
  ];
  return {
    url: server.url,
    key,
    app,
    victim,
    attacker,
    victimMarkers: markers,
    writes,
    serverErrors,
    async settle() {
      while (pending.length > 0) await Promise.allSettled(pending.splice(0));
    },
    token: (party, role, tenants) => mintDevToken(key, { workspaceId: party.workspaceId, tenantIds: tenants ?? [party.tenantId, party.otherTenantId], role }),
    async tablesDigest() {
      const hash = createHash('sha256');
      for (const table of Object.values(env.stack.tables).sort()) {
        const lines: string[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          const out = await db.send(new ScanCommand({ TableName: table, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
          for (const item of out.Items ?? []) lines.push(stableJson(item));
          start = out.LastEvaluatedKey;
        } while (start !== undefined);
        hash.update(`${table}\n${lines.sort().join('\n')}\n`);
      }
      return hash.digest('hex');
    },
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
      if (options.body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
      const res = await fetch(`${server.url}${path}`, { method, headers, ...(options.body !== undefined ? { body: options.body } : {}) });
      return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
    },
    async close() {
      writes.uninstall();
      await server.close();
      await Promise.allSettled(pending);
    },
  };
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value instanceof Set) return stableJson([...(value as Set<unknown>)].map(String).sort());
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

// ---------------------------------------------------------------------------------------------
// bad tokens
// ---------------------------------------------------------------------------------------------

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export type BadTokenKind = 'none' | 'garbage' | 'expired' | 'wrong_issuer' | 'wrong_audience' | 'alg_none' | 'foreign_key' | 'not_yet_valid';
export const BAD_TOKEN_KINDS: readonly BadTokenKind[] = ['none', 'garbage', 'expired', 'wrong_issuer', 'wrong_audience', 'alg_none', 'foreign_key', 'not_yet_valid'];

/** A token that must be refused (401) for the victim's own workspace and tenant, with the admin role. */
export async function badToken(h: ApiHarness, kind: BadTokenKind): Promise<string | undefined> {
  const claims = { sub: 'intruder', workspace_id: h.victim.workspaceId, tenant_ids: [h.victim.tenantId], role: 'admin' };
  const nowS = Math.floor(Date.now() / 1000);
  const sign = async (key: DevKey, payload: Record<string, unknown>) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' }).sign(await importJWK(key.privateJwk, 'ES256'));
  switch (kind) {
    case 'none':
      return undefined;
    case 'garbage':
      return 'not-a-jwt';
    case 'expired':
      return sign(h.key, { ...claims, iss: DEV_ISSUER, aud: DEV_AUDIENCE, iat: nowS - 7200, exp: nowS - 3600 });
    case 'not_yet_valid':
      return sign(h.key, { ...claims, iss: DEV_ISSUER, aud: DEV_AUDIENCE, iat: nowS, nbf: nowS + 3600, exp: nowS + 7200 });
    case 'wrong_issuer':
      return sign(h.key, { ...claims, iss: 'https://issuer.example.com/', aud: DEV_AUDIENCE, iat: nowS, exp: nowS + 600 });
    case 'wrong_audience':
      return sign(h.key, { ...claims, iss: DEV_ISSUER, aud: 'another-api', iat: nowS, exp: nowS + 600 });
    case 'alg_none':
      return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ ...claims, iss: DEV_ISSUER, aud: DEV_AUDIENCE, iat: nowS, exp: nowS + 600 })}.`;
    case 'foreign_key':
      return sign(await createDevKey(), { ...claims, iss: DEV_ISSUER, aud: DEV_AUDIENCE, iat: nowS, exp: nowS + 600 });
  }
}
