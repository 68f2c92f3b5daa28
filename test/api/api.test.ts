/**
 * The portal API over real HTTP on loopback: the local HTTP server (JWT checked first, as API Gateway
 * does), the API app, the local stack on DynamoDB Local with the BaselineCompare workflow really running.
 * Seeded once through the API itself: a profile, the golden tenant's inventory (two pages), a capture,
 * an assignment, a drifted tenant's inventory and one compare (held at its first task so that a second
 * start meets the active one).
 */
import { randomUUID } from 'node:crypto';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskHandler } from '../../infra/local/workflow-runner.js';
import { forgeToken, startApiHarness, unsignedToken, type ApiHarness, type ApiResponse } from './support.js';
import './problem-matcher.js';
import { DRIFTED_INVENTORY, GOLDEN_INVENTORY, SCOPE } from './fixtures.js';

const WS = `ws-${randomUUID().slice(0, 8)}`;
const OTHER_WS = `ws-${randomUUID().slice(0, 8)}`;
const GOLDEN = `golden-${randomUUID()}`;
const TENANT = `tenant-${randomUUID()}`;
const FOREIGN = `foreign-${randomUUID()}`;

let api: ApiHarness;
let admin: string;
let operator: string;
let reader: string;
let otherAdmin: string;
let releaseCompare: () => void = () => undefined;

const seeded = {} as {
  profileId: string;
  profileCreate: ApiResponse;
  profileReplay: ApiResponse;
  goldenPage1: ApiResponse;
  goldenPage2: ApiResponse;
  capture: ApiResponse;
  assign: ApiResponse;
  assignAgain: ApiResponse;
  tenantSync: ApiResponse;
  compare: ApiResponse;
  duplicateCompare: ApiResponse;
  compareRunId: string;
};


beforeAll(async () => {
  let gate: Promise<void> | undefined = new Promise<void>((resolve) => (releaseCompare = resolve));
  // The first compare waits at CheckSyncCoverage until released: a second start meets an active run.
  const wrapHandler = (fn: string, handler: TaskHandler): TaskHandler =>
    fn === 'CheckSyncCoverage'
      ? async (event) => {
          if (gate) await gate;
          return handler(event);
        }
      : handler;
  api = await startApiHarness({ wrapHandler });
  admin = await api.token({ workspaceId: WS, tenantIds: [GOLDEN, TENANT], role: 'admin', subject: 'alice@example.test' });
  operator = await api.token({ workspaceId: WS, tenantIds: [GOLDEN, TENANT], role: 'operator', subject: 'oscar@example.test' });
  reader = await api.token({ workspaceId: WS, tenantIds: [GOLDEN, TENANT], role: 'reader', subject: 'rita@example.test' });
  otherAdmin = await api.token({ workspaceId: OTHER_WS, tenantIds: [GOLDEN, TENANT], role: 'admin', subject: 'mallory@example.test' });

  const profileBody = { name: 'Windows baseline', versionLabel: '2026.11', scope: SCOPE, status: 'draft' };
  seeded.profileCreate = await api.call('POST', '/baseline-profiles', { token: admin, body: profileBody, headers: { 'idempotency-key': 'create-1', 'x-correlation-id': 'corr-create-1' } });
  seeded.profileId = seeded.profileCreate.body.id;
  seeded.profileReplay = await api.call('POST', '/baseline-profiles', { token: admin, body: profileBody, headers: { 'idempotency-key': 'create-1' } });
  await api.call('PATCH', `/baseline-profiles/${seeded.profileId}`, { token: admin, body: { status: 'active' } });

  seeded.goldenPage1 = await api.call('POST', `/tenants/${GOLDEN}/inventory-syncs`, {
    token: operator,
    body: { pageNumber: 1, last: false, items: { deviceConfiguration: GOLDEN_INVENTORY.deviceConfiguration } },
  });
  seeded.goldenPage2 = await api.call('POST', `/tenants/${GOLDEN}/inventory-syncs`, {
    token: operator,
    body: {
      runId: seeded.goldenPage1.body.runId,
      pageNumber: 2,
      last: true,
      items: { conditionalAccessPolicy: GOLDEN_INVENTORY.conditionalAccessPolicy },
      coverage: {
        policy_types: { deviceConfiguration: { status: 'succeeded', item_count: 2 }, conditionalAccessPolicy: { status: 'succeeded', item_count: 1 } },
        foundation_types: {},
      },
    },
  });
  seeded.capture = await api.call('POST', `/baseline-profiles/${seeded.profileId}/snapshots`, { token: admin, body: { sourceTenantId: GOLDEN } });
  seeded.assign = await api.call('PUT', `/baseline-profiles/${seeded.profileId}/assignments/${TENANT}`, { token: admin });
  seeded.assignAgain = await api.call('PUT', `/baseline-profiles/${seeded.profileId}/assignments/${TENANT}`, { token: admin, body: {} });
  seeded.tenantSync = await api.call('POST', `/tenants/${TENANT}/inventory-syncs`, { token: operator, body: { pageNumber: 1, last: true, items: DRIFTED_INVENTORY } });

  seeded.compare = await api.call('POST', `/tenants/${TENANT}/baseline-compares`, { token: operator, body: { profileId: seeded.profileId }, headers: { 'x-correlation-id': 'corr-compare-1' } });
  seeded.duplicateCompare = await api.call('POST', `/tenants/${TENANT}/baseline-compares`, { token: operator, body: { profileId: seeded.profileId } });
  releaseCompare();
  gate = undefined;
  seeded.compareRunId = seeded.compare.body?.runId;
  if (seeded.compareRunId) await api.stack.starter.wait(seeded.compareRunId);
});

afterAll(async () => {
  releaseCompare();
  await api?.stop();
});

describe('meta routes', () => {
  it('answers /health without a token', async () => {
    const res = await api.call('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
  });

  it('serves an OpenAPI 3.1 document that validates and lists every route', async () => {
    const res = await api.call('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const result = await new Validator().validate(res.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(Object.keys(res.body.paths).sort()).toEqual(
      [
        '/audit',
        '/baseline-profiles',
        '/baseline-profiles/{profileId}',
        '/baseline-profiles/{profileId}/assignments',
        '/baseline-profiles/{profileId}/assignments/{tenantId}',
        '/baseline-profiles/{profileId}/fleet',
        '/baseline-profiles/{profileId}/snapshots',
        '/baseline-profiles/{profileId}/snapshots/{snapshotId}',
        '/health',
        '/openapi.json',
        '/operation-runs/{runId}',
        '/operation-runs/{runId}/evidence',
        '/tenants/{tenantId}/assignments',
        '/tenants/{tenantId}/audit',
        '/tenants/{tenantId}/baseline-compares',
        '/tenants/{tenantId}/findings',
        '/tenants/{tenantId}/findings/{fingerprint}',
        '/tenants/{tenantId}/findings/{fingerprint}/transitions',
        '/tenants/{tenantId}/group-mappings',
        '/tenants/{tenantId}/inventory-syncs',
        '/tenants/{tenantId}/operation-runs',
        '/tenants/{tenantId}/subject-links',
        '/tenants/{tenantId}/subject-links/{linkId}',
        '/tenants',
        '/tenants/{tenantId}',
        '/webhooks',
        '/webhooks/{webhookId}',
      ].sort(),
    );
    expect(Object.keys(res.body.paths['/operation-runs/{runId}/evidence'].get.responses['200'].content)).toEqual(['application/json', 'text/csv', 'text/html']);
    expect(res.body.paths['/tenants/{tenantId}/findings'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['tenantId', 'status', 'policyType', 'changeType', 'severity', 'scopeKey', 'limit', 'cursor']),
    );
  });

  it('answers an unknown route with 404 and a wrong method with 405, both as problems', async () => {
    expect(await api.call('GET', '/nope', { token: reader })).toBeProblem(404, 'not-found');
    const res = await api.call('DELETE', '/baseline-profiles', { token: admin });
    expect(res).toBeProblem(405, 'method-not-allowed');
    expect(res.headers.get('allow')).toBe('GET, POST');
  });
});

describe('authentication and authorization', () => {
  const path = () => `/tenants/${TENANT}/findings`;

  it('refuses a request without a token, or with a malformed one (401)', async () => {
    expect(await api.call('GET', path())).toBeProblem(401, 'unauthorized');
    expect(await api.call('GET', path(), { token: 'not-a-jwt' })).toBeProblem(401, 'unauthorized');
  });

  it('refuses an expired token, a wrong issuer or audience, alg none, another key and another algorithm (401)', async () => {
    const claims = { sub: 'eve', workspace_id: WS, tenant_ids: [TENANT], role: 'admin' };
    const tokens = [
      await api.token({ workspaceId: WS, tenantIds: [TENANT], role: 'admin', ttlSeconds: -120 }),
      await forgeToken(claims, { key: api.key, issuer: 'https://evil.example/issuer' }),
      await forgeToken(claims, { key: api.key, audience: 'another-api' }),
      unsignedToken(claims),
      await forgeToken(claims),
      await forgeToken(claims, { alg: 'ES384' }),
    ];
    for (const token of tokens) {
      const res = await api.call('GET', path(), { token });
      expect(res).toBeProblem(401, 'unauthorized');
      expect(JSON.stringify(res.body)).not.toContain(TENANT);
    }
  });

  it('refuses a valid token that lacks the claims the API needs (401)', async () => {
    const noRole = await forgeToken({ sub: 'x', workspace_id: WS, tenant_ids: [TENANT] }, { key: api.key });
    const badRole = await forgeToken({ sub: 'x', workspace_id: WS, tenant_ids: [TENANT], role: 'root' }, { key: api.key });
    const noWorkspace = await forgeToken({ sub: 'x', tenant_ids: [TENANT], role: 'admin' }, { key: api.key });
    for (const token of [noRole, badRole, noWorkspace]) expect(await api.call('GET', path(), { token })).toBeProblem(401, 'unauthorized');
  });

  it('refuses a role too weak for the route (403), before reading the body', async () => {
    expect(await api.call('POST', '/baseline-profiles', { token: reader, body: { name: 'x' } })).toBeProblem(403, 'forbidden');
    expect(await api.call('POST', '/baseline-profiles', { token: operator, body: { name: 'x' } })).toBeProblem(403, 'forbidden');
    expect(await api.call('POST', `/tenants/${TENANT}/baseline-compares`, { token: reader, rawBody: '{oops' })).toBeProblem(403, 'forbidden');
    expect(await api.call('PUT', `/baseline-profiles/${seeded.profileId}/assignments/${TENANT}`, { token: operator })).toBeProblem(403, 'forbidden');
  });

  it('answers a tenant outside the token exactly like a tenant that does not exist (404)', async () => {
    const foreign = await api.call('GET', `/tenants/${FOREIGN}/findings`, { token: admin });
    expect(foreign).toBeProblem(404, 'not-found');
    const limited = await api.token({ workspaceId: WS, tenantIds: [GOLDEN], role: 'admin' });
    const hidden = await api.call('GET', `/tenants/${TENANT}/findings`, { token: limited });
    expect(hidden).toBeProblem(404, 'not-found');
    expect(hidden.body.detail).toBe(`tenant '${TENANT}' was not found`);
    expect(foreign.body.detail).toBe(`tenant '${FOREIGN}' was not found`);
    expect(await api.call('GET', `/tenants/${TENANT}/findings/${'a'.repeat(64)}`, { token: limited })).toBeProblem(404);
    expect(await api.call('GET', `/tenants/${TENANT}/operation-runs`, { token: limited })).toBeProblem(404);
    expect(await api.call('GET', `/operation-runs/${seeded.compareRunId}`, { token: limited })).toBeProblem(404);
    expect(await api.call('POST', `/tenants/${TENANT}/baseline-compares`, { token: limited, body: { profileId: seeded.profileId } })).toBeProblem(404);
  });

  it('hides another workspace\'s profile, snapshots, runs and audit (404 or absent)', async () => {
    const other = await api.call('GET', `/baseline-profiles/${seeded.profileId}`, { token: otherAdmin });
    const missing = await api.call('GET', `/baseline-profiles/${randomUUID()}`, { token: otherAdmin });
    expect(other).toBeProblem(404, 'not-found');
    expect(missing).toBeProblem(404, 'not-found');
    expect(Object.keys(other.body).sort()).toEqual(Object.keys(missing.body).sort());
    expect(await api.call('PATCH', `/baseline-profiles/${seeded.profileId}`, { token: otherAdmin, body: { name: 'taken over' } })).toBeProblem(404);
    expect(await api.call('GET', `/baseline-profiles/${seeded.profileId}/snapshots`, { token: otherAdmin })).toBeProblem(404);
    expect(await api.call('GET', `/operation-runs/${seeded.compareRunId}`, { token: otherAdmin })).toBeProblem(404);
    expect(await api.call('POST', `/tenants/${TENANT}/baseline-compares`, { token: otherAdmin, body: { profileId: seeded.profileId } })).toBeProblem(404);
    const list = await api.call('GET', '/baseline-profiles', { token: otherAdmin });
    expect(list.body.items).toEqual([]);
    const audit = await api.call('GET', '/audit', { token: otherAdmin });
    expect(audit.body.items).toEqual([]);
    const tenantAudit = await api.call('GET', `/tenants/${TENANT}/audit`, { token: otherAdmin });
    expect(tenantAudit.body.items).toEqual([]);
    const runs = await api.call('GET', `/tenants/${TENANT}/operation-runs`, { token: otherAdmin });
    expect(runs.body.items).toEqual([]);
  });
});

describe('validation problems', () => {
  it('lists zod issues as errors with their paths (400)', async () => {
    const res = await api.call('POST', '/baseline-profiles', { token: admin, body: { name: '', scope: { policy_types: ['notAType'] }, extra: 1 } });
    expect(res).toBeProblem(400, 'validation');
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.scope.policy_types.0']));
    expect(res.body.errors.every((e: { message: string }) => typeof e.message === 'string' && e.message.length > 0)).toBe(true);
  });

  it('refuses malformed JSON (400), a non-JSON body (415), an oversized body (413) and deep nesting (400)', async () => {
    expect(await api.call('POST', '/baseline-profiles', { token: admin, rawBody: '{"name": ', headers: { 'content-type': 'application/json' } })).toBeProblem(400, 'malformed-json');
    expect(await api.call('POST', '/baseline-profiles', { token: admin, rawBody: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).toBeProblem(415);
    const huge = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) });
    expect(await api.call('POST', '/baseline-profiles', { token: admin, rawBody: huge, headers: { 'content-type': 'application/json' } })).toBeProblem(413, 'payload-too-large');
    const deep = '['.repeat(200) + ']'.repeat(200);
    expect(await api.call('POST', `/tenants/${TENANT}/inventory-syncs`, { token: operator, rawBody: deep, headers: { 'content-type': 'application/json' } })).toBeProblem(400, 'validation');
  });

  it('validates path parameters and query strings', async () => {
    const badFingerprint = await api.call('GET', `/tenants/${TENANT}/findings/not-a-fingerprint`, { token: reader });
    expect(badFingerprint).toBeProblem(400, 'validation');
    expect(badFingerprint.body.errors[0].path).toBe('path.fingerprint');
    expect(await api.call('GET', `/tenants/${encodeURIComponent('a#b')}/findings`, { token: reader })).toBeProblem(400, 'validation');
    expect(await api.call('GET', `/tenants/${TENANT}/findings?status=open`, { token: reader })).toBeProblem(400, 'validation');
    expect(await api.call('GET', `/tenants/${TENANT}/findings?limit=0`, { token: reader })).toBeProblem(400, 'validation');
    expect(await api.call('GET', `/tenants/${TENANT}/findings?unknown=1`, { token: reader })).toBeProblem(400, 'validation');
    expect(await api.call('GET', `/tenants/${TENANT}/findings?cursor=bm90LWEtY3Vyc29y`, { token: reader })).toBeProblem(400, 'invalid-cursor');
  });

  it('refuses unknown policy types in an inventory page (400) and a page of a sync that does not exist (404)', async () => {
    expect(await api.call('POST', `/tenants/${TENANT}/inventory-syncs`, { token: operator, body: { pageNumber: 1, last: true, items: { madeUpType: [] } } })).toBeProblem(400, 'validation');
    expect(
      await api.call('POST', `/tenants/${TENANT}/inventory-syncs`, { token: operator, body: { runId: randomUUID(), pageNumber: 2, last: true, items: {} } })).toBeProblem(404,);
  });
});

describe('profiles', () => {
  it('creates a profile once per Idempotency-Key (201, then 200 with the same profile)', () => {
    expect(seeded.profileCreate.status).toBe(201);
    expect(seeded.profileCreate.body).toMatchObject({ workspaceId: WS, name: 'Windows baseline', status: 'draft', autoResolve: true, alertMinSeverity: 'high', createdBy: 'alice@example.test' });
    expect(seeded.profileCreate.body.severityMapping).toEqual({ missing_policy: 'high', different_version: 'medium', unexpected_policy: 'low' });
    expect(seeded.profileReplay.status).toBe(200);
    expect(seeded.profileReplay.body.id).toBe(seeded.profileId);
    expect(seeded.profileCreate.headers.get('x-correlation-id')).toBe('corr-create-1');
  });

  it('refuses the same Idempotency-Key for a different profile (409)', async () => {
    const res = await api.call('POST', '/baseline-profiles', { token: admin, body: { name: 'Something else' }, headers: { 'idempotency-key': 'create-1' } });
    expect(res).toBeProblem(409, 'idempotency-key-reused');
  });

  it('gets, lists (newest first, paged) and updates profiles', async () => {
    const second = await api.call('POST', '/baseline-profiles', { token: admin, body: { name: 'macOS baseline', alertMinSeverity: 'medium' } });
    expect(second.status).toBe(201);
    const got = await api.call('GET', `/baseline-profiles/${seeded.profileId}`, { token: reader });
    expect(got.status).toBe(200);
    expect(got.body.status).toBe('active');
    const page1 = await api.call('GET', '/baseline-profiles?limit=1', { token: reader });
    expect(page1.body.items.map((p: { id: string }) => p.id)).toEqual([second.body.id]);
    expect(typeof page1.body.nextCursor).toBe('string');
    const page2 = await api.call('GET', `/baseline-profiles?limit=1&cursor=${encodeURIComponent(page1.body.nextCursor)}`, { token: reader });
    expect(page2.body.items.map((p: { id: string }) => p.id)).toEqual([seeded.profileId]);
    const active = await api.call('GET', '/baseline-profiles?status=active', { token: reader });
    expect(active.body.items.map((p: { id: string }) => p.id)).toEqual([seeded.profileId]);

    const patched = await api.call('PATCH', `/baseline-profiles/${second.body.id}`, {
      token: admin,
      body: { severityMapping: { unexpected_policy: 'high' }, autoResolve: false, versionLabel: 'v2', scope: { policy_types: ['deviceConfiguration'] } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ autoResolve: false, versionLabel: 'v2', scope: { policy_types: ['deviceConfiguration'], foundation_types: [] } });
    expect(patched.body.severityMapping).toEqual({ missing_policy: 'high', different_version: 'medium', unexpected_policy: 'high' });
    expect(await api.call('PATCH', `/baseline-profiles/${second.body.id}`, { token: admin, body: {} })).toBeProblem(400, 'validation');
    expect(await api.call('PATCH', `/baseline-profiles/${second.body.id}`, { token: admin, body: { scope: { foundation_types: ['deviceConfiguration'] } } })).toBeProblem(400, 'validation');
  });

  it('moves status draft <-> active -> archived and nothing else (409), archiving twice is a retry', async () => {
    const created = await api.call('POST', '/baseline-profiles', { token: admin, body: { name: 'To archive' } });
    const id = created.body.id;
    expect(await api.call('PATCH', `/baseline-profiles/${id}`, { token: admin, body: { status: 'archived' } })).toBeProblem(409, 'profile-status-transition');
    expect((await api.call('PATCH', `/baseline-profiles/${id}`, { token: admin, body: { status: 'active' } })).body.status).toBe('active');
    expect((await api.call('PATCH', `/baseline-profiles/${id}`, { token: admin, body: { status: 'draft' } })).body.status).toBe('draft');
    expect((await api.call('PATCH', `/baseline-profiles/${id}`, { token: admin, body: { status: 'active' } })).body.status).toBe('active');
    expect((await api.call('PATCH', `/baseline-profiles/${id}`, { token: admin, body: { status: 'archived' } })).body.status).toBe('archived');
    expect((await api.call('PATCH', `/baseline-profiles/${id}`, { token: admin, body: { status: 'archived' } })).status).toBe(200);
    expect(await api.call('PATCH', `/baseline-profiles/${id}`, { token: admin, body: { status: 'active' } })).toBeProblem(409, 'profile-archived');
    expect(await api.call('PUT', `/baseline-profiles/${id}/assignments/${TENANT}`, { token: admin })).toBeProblem(409, 'profile-archived');
  });
});

describe('inventory, snapshots and assignments', () => {
  it('accepts inventory in pages: 202 while receiving, 200 when the last page completes the sync', async () => {
    expect(seeded.goldenPage1.status).toBe(202);
    expect(seeded.goldenPage1.body).toMatchObject({ status: 'receiving', pagesReceived: 1 });
    expect(seeded.goldenPage2.status).toBe(200);
    expect(seeded.goldenPage2.body).toMatchObject({ runId: seeded.goldenPage1.body.runId, status: 'completed', outcome: 'succeeded' });
    const run = await api.call('GET', `/operation-runs/${seeded.goldenPage1.body.runId}`, { token: reader });
    expect(run.body).toMatchObject({ type: 'inventory_sync', status: 'completed', outcome: 'succeeded', tenantId: GOLDEN });
    expect(seeded.tenantSync.status).toBe(200);
  });

  it('refuses a reader on ingest (403) and a page after completion (409)', async () => {
    expect(await api.call('POST', `/tenants/${GOLDEN}/inventory-syncs`, { token: reader, body: { pageNumber: 1, last: true, items: {} } })).toBeProblem(403);
    const late = await api.call('POST', `/tenants/${GOLDEN}/inventory-syncs`, {
      token: operator,
      body: { runId: seeded.goldenPage1.body.runId, pageNumber: 3, last: true, items: {} },
    });
    expect(late).toBeProblem(409);
  });

  it('captures a snapshot (202 with the run id) and shows it with item counts per type', async () => {
    expect(seeded.capture.status).toBe(202);
    const runId = seeded.capture.body.runId;
    const run = await api.call('GET', `/operation-runs/${runId}`, { token: reader });
    expect(run.body).toMatchObject({ type: 'baseline_capture', status: 'completed', outcome: 'succeeded' });
    const list = await api.call('GET', `/baseline-profiles/${seeded.profileId}/snapshots`, { token: reader });
    expect(list.body.items).toHaveLength(1);
    const snapshot = list.body.items[0];
    expect(snapshot).toMatchObject({ status: 'complete', operationRunId: runId, itemCount: 3, itemCounts: { deviceConfiguration: 2, conditionalAccessPolicy: 1 } });
    const got = await api.call('GET', `/baseline-profiles/${seeded.profileId}/snapshots/${snapshot.id}`, { token: reader });
    expect(got.body).toEqual(snapshot);
    expect(JSON.stringify(got.body)).not.toContain(GOLDEN);
    const profile = await api.call('GET', `/baseline-profiles/${seeded.profileId}`, { token: reader });
    expect(profile.body.activeSnapshotId).toBe(snapshot.id);
    expect(await api.call('GET', `/baseline-profiles/${seeded.profileId}/snapshots/${randomUUID()}`, { token: reader })).toBeProblem(404);
  });

  it('refuses a capture from a tenant outside the token (404)', async () => {
    expect(await api.call('POST', `/baseline-profiles/${seeded.profileId}/snapshots`, { token: admin, body: { sourceTenantId: FOREIGN } })).toBeProblem(404);
  });

  it('assigns idempotently (201, then 200), lists by profile and by tenant, and unassigns idempotently (204)', async () => {
    expect(seeded.assign.status).toBe(201);
    expect(seeded.assign.body).toMatchObject({ profileId: seeded.profileId, tenantId: TENANT, workspaceId: WS, assignedBy: 'alice@example.test' });
    expect(seeded.assignAgain.status).toBe(200);
    const byProfile = await api.call('GET', `/baseline-profiles/${seeded.profileId}/assignments`, { token: reader });
    expect(byProfile.body.items.map((a: { tenantId: string }) => a.tenantId)).toEqual([TENANT]);
    const byTenant = await api.call('GET', `/tenants/${TENANT}/assignments`, { token: reader });
    expect(byTenant.body.items.map((a: { profileId: string }) => a.profileId)).toEqual([seeded.profileId]);
    const conflict = await api.call('PUT', `/baseline-profiles/${seeded.profileId}/assignments/${TENANT}`, { token: admin, body: { scopeOverride: { policy_types: ['deviceConfiguration'] } } });
    expect(conflict).toBeProblem(409, 'assignment-conflict');

    // A second tenant of the token, assigned then unassigned twice.
    expect((await api.call('PUT', `/baseline-profiles/${seeded.profileId}/assignments/${GOLDEN}`, { token: admin })).status).toBe(201);
    expect((await api.call('DELETE', `/baseline-profiles/${seeded.profileId}/assignments/${GOLDEN}`, { token: admin })).status).toBe(204);
    expect((await api.call('DELETE', `/baseline-profiles/${seeded.profileId}/assignments/${GOLDEN}`, { token: admin })).status).toBe(204);
    expect(await api.call('PUT', `/baseline-profiles/${seeded.profileId}/assignments/${FOREIGN}`, { token: admin })).toBeProblem(404);
    expect(await api.call('POST', `/tenants/${GOLDEN}/baseline-compares`, { token: operator, body: { profileId: seeded.profileId } })).toBeProblem(409, 'tenant-not-assigned');
  });
});

describe('compares and runs', () => {
  it('starts a compare (202 with the run id) and answers a duplicate with 409 and the active run id', () => {
    expect(seeded.compare.status).toBe(202);
    expect(seeded.compare.headers.get('location')).toBe(`/operation-runs/${seeded.compareRunId}`);
    expect(seeded.duplicateCompare).toBeProblem(409, 'compare-already-active');
    expect(seeded.duplicateCompare.body.activeRunId).toBe(seeded.compareRunId);
  });

  it('shows the completed run, and lists the tenant\'s runs by type, newest first', async () => {
    const run = await api.call('GET', `/operation-runs/${seeded.compareRunId}`, { token: reader });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ id: seeded.compareRunId, type: 'baseline_compare', status: 'completed', outcome: 'succeeded', initiator: 'oscar@example.test' });
    expect(run.body.summaryCounts).toMatchObject({ total: 2, processed: 2, findings_new: 3 });
    const compares = await api.call('GET', `/tenants/${TENANT}/operation-runs?type=baseline_compare`, { token: reader });
    expect(compares.body.items.map((r: { id: string }) => r.id)).toEqual([seeded.compareRunId]);
    const all = await api.call('GET', `/tenants/${TENANT}/operation-runs`, { token: reader });
    expect(all.body.items.map((r: { type: string }) => r.type)).toEqual(['baseline_compare', 'inventory_sync']);
    expect(await api.call('GET', `/operation-runs/${randomUUID()}`, { token: reader })).toBeProblem(404);
  });

  it('refuses a compare against a snapshot of another profile (404)', async () => {
    expect(await api.call('POST', `/tenants/${TENANT}/baseline-compares`, { token: operator, body: { profileId: seeded.profileId, snapshotId: randomUUID() } })).toBeProblem(404);
  });
});

describe('findings', () => {
  const findingsPath = () => `/tenants/${TENANT}/findings`;

  it('lists the three kinds of drift, newest first, without evidence; filters narrow the list', async () => {
    const res = await api.call('GET', findingsPath(), { token: reader });
    expect(res.status).toBe(200);
    const items = res.body.items as { changeType: string; displayName: string; severity: string; lastSeenAt: string; evidence?: unknown }[];
    expect(items.map((f) => f.changeType).sort()).toEqual(['different_version', 'missing_policy', 'unexpected_policy']);
    expect(items.every((f) => f.evidence === undefined)).toBe(true);
    const seen = items.map((f) => f.lastSeenAt);
    expect([...seen].sort().reverse()).toEqual(seen);
    const missing = await api.call('GET', `${findingsPath()}?changeType=missing_policy`, { token: reader });
    expect(missing.body.items.map((f: { displayName: string; severity: string }) => [f.displayName, f.severity])).toEqual([['Win10 - Defender', 'high']]);
    const low = await api.call('GET', `${findingsPath()}?severity=low&policyType=deviceConfiguration&status=new&scopeKey=baseline_profile:${seeded.profileId}`, { token: reader });
    expect(low.body.items.map((f: { changeType: string }) => f.changeType)).toEqual(['unexpected_policy']);
    const none = await api.call('GET', `${findingsPath()}?policyType=conditionalAccessPolicy`, { token: reader });
    expect(none.body.items).toEqual([]);
  });

  it('pages with an opaque cursor: every finding once, then no cursor', async () => {
    const all = (await api.call('GET', findingsPath(), { token: reader })).body.items.map((f: { fingerprint: string }) => f.fingerprint);
    const paged: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const res = await api.call('GET', `${findingsPath()}?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: reader });
      expect(res.status).toBe(200);
      paged.push(...res.body.items.map((f: { fingerprint: string }) => f.fingerprint));
      cursor = res.body.nextCursor;
      if (cursor === undefined) break;
    }
    expect(paged).toEqual(all);
    expect(cursor).toBeUndefined();
    // A cursor of this tenant's listing is refused for another listing.
    const first = await api.call('GET', `${findingsPath()}?limit=1`, { token: reader });
    const reused = await api.call('GET', `/tenants/${GOLDEN}/findings?cursor=${encodeURIComponent(first.body.nextCursor)}`, { token: reader });
    expect(reused).toBeProblem(400, 'invalid-cursor');
  });

  it('gets a finding with its evidence down to the drifted property', async () => {
    const list = await api.call('GET', `${findingsPath()}?changeType=different_version`, { token: reader });
    const fp = list.body.items[0].fingerprint;
    const res = await api.call('GET', `${findingsPath()}/${fp}`, { token: reader });
    expect(res.status).toBe(200);
    expect(res.body.evidence).toMatchObject({ change_type: 'different_version', policy_type: 'deviceConfiguration', display_name: 'Win10 - Device restrictions' });
    expect(res.body.evidence.drifted_properties).toEqual([expect.objectContaining({ path: '/passwordMinimumLength', kind: 'changed', baseline: 12, current: 8 })]);
    expect(res.body.evidence.provenance.compare_operation_run_id).toBe(seeded.compareRunId);
    expect(await api.call('GET', `${findingsPath()}/${'0'.repeat(64)}`, { token: reader })).toBeProblem(404);
  });

  it('moves a finding only along design 2.8, with reasons where needed, and audits each move', async () => {
    const list = await api.call('GET', `${findingsPath()}?changeType=unexpected_policy`, { token: reader });
    const fp = list.body.items[0].fingerprint;
    const move = (body: unknown, token = operator, correlation?: string) =>
      api.call('POST', `${findingsPath()}/${fp}/transitions`, { token, body, ...(correlation ? { headers: { 'x-correlation-id': correlation } } : {}) });

    expect(await move({ to: 'triaged' }, reader)).toBeProblem(403);
    expect(await move({ to: 'resolved' })).toBeProblem(400, 'validation');
    const triaged = await move({ to: 'triaged', assignee: 'oscar@example.test' }, operator, 'corr-move-1');
    expect(triaged.status).toBe(200);
    expect(triaged.body).toMatchObject({ status: 'triaged', assignee: 'oscar@example.test' });
    expect(typeof triaged.body.triagedAt).toBe('string');
    expect(await move({ to: 'triaged' })).toBeProblem(409, 'transition-refused');
    const noReason = await move({ to: 'closed' });
    expect(noReason).toBeProblem(422, 'reason-required');
    expect(await move({ to: 'risk_accepted', reason: '   ' })).toBeProblem(422, 'reason-required');
    const closed = await move({ to: 'closed', reason: 'Kiosk pilot approved' });
    expect(closed.body).toMatchObject({ status: 'closed', closedBy: 'oscar@example.test', closedReason: 'Kiosk pilot approved' });
    const refused = await move({ to: 'in_progress' });
    expect(refused).toBeProblem(409, 'transition-refused');
    expect(refused.body.allowed).toEqual(['triaged']);
    const reopened = await move({ to: 'triaged' });
    expect(reopened.body.status).toBe('triaged');
    expect(reopened.body.closedReason).toBeUndefined();
    expect(await move({ to: 'risk_accepted', reason: 'Compensating control', expiresAt: '2020-01-01T00:00:00Z' })).toBeProblem(422, 'acceptance-expiry-invalid');
    const tooFar = new Date(Date.now() + 366 * 86_400_000).toISOString();
    expect(await move({ to: 'risk_accepted', reason: 'Compensating control', expiresAt: tooFar })).toBeProblem(422, 'acceptance-expiry-invalid');
    expect(await move({ to: 'in_progress', expiresAt: new Date(Date.now() + 86_400_000).toISOString() })).toBeProblem(422, 'acceptance-expiry-invalid');
    const expiresAt = new Date(Date.now() + 90 * 86_400_000).toISOString();
    const accepted = await move({ to: 'risk_accepted', reason: 'Compensating control', expiresAt });
    expect(accepted.body).toMatchObject({
      status: 'risk_accepted',
      riskAcceptedBy: 'oscar@example.test',
      riskAcceptedReason: 'Compensating control',
      acceptedBy: 'oscar@example.test',
      expiresAt,
      acceptedHash: { settings: expect.any(String), settingsFidelity: 'content' },
    });
    expect(accepted.body.acceptedEvidence).toMatchObject({ change_type: 'unexpected_policy' });

    const audit = await api.call('GET', `/tenants/${TENANT}/audit?limit=100`, { token: reader });
    const moves = audit.body.items.filter((e: { action: string }) => e.action === 'finding.transitioned');
    expect(moves.map((e: { details: { to: string } }) => e.details.to)).toEqual(['risk_accepted', 'triaged', 'closed', 'triaged']);
    const first = moves[moves.length - 1];
    expect(first).toMatchObject({ actor: 'oscar@example.test', correlationId: 'corr-move-1', workspaceId: WS, tenantId: TENANT });
    expect(first.details).toMatchObject({ fingerprint: fp, from: 'new', to: 'triaged' });
    expect(moves[0].details).toMatchObject({ to: 'risk_accepted', expiresAt });
  });
});

describe('group mappings', () => {
  const path = `/tenants/${TENANT}/group-mappings`;
  const body = { mappings: [{ baselineGroup: 'Finance Devices', tenantGroupId: '6a1d2f3e-aaaa-4b5c-9d8e-000000000002' }] };

  it('has none at first, takes a replacement from an operator (audited), and refuses a reader (403)', async () => {
    const empty = await api.call('GET', path, { token: reader });
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ tenantId: TENANT, mappings: [] });
    expect(await api.call('PUT', path, { token: reader, body })).toBeProblem(403);
    const put = await api.call('PUT', path, { token: operator, body, headers: { 'x-correlation-id': 'corr-map-1' } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ tenantId: TENANT, mappings: body.mappings, updatedBy: 'oscar@example.test' });
    const read = await api.call('GET', path, { token: reader });
    expect(read.body.mappings).toEqual(body.mappings);
    const audit = await api.call('GET', `/tenants/${TENANT}/audit?limit=100`, { token: reader });
    const entry = (audit.body.items as { action: string; correlationId: string; details: Record<string, unknown> }[]).find((e) => e.action === 'group_mappings.updated');
    expect(entry).toMatchObject({ correlationId: 'corr-map-1', details: { mappings: 1, previous: 0 } });
  });

  it('refuses a baseline group mapped twice or an empty reference (400), and a tenant outside the token (404)', async () => {
    const twice = { mappings: [...body.mappings, { baselineGroup: 'finance devices', tenantGroupId: 'x' }] };
    expect(await api.call('PUT', path, { token: operator, body: twice })).toBeProblem(400);
    expect(await api.call('PUT', path, { token: operator, body: { mappings: [{ baselineGroup: ' ', tenantGroupId: 'x' }] } })).toBeProblem(400);
    expect(await api.call('GET', `/tenants/${FOREIGN}/group-mappings`, { token: reader })).toBeProblem(404);
    expect(await api.call('PUT', `/tenants/${FOREIGN}/group-mappings`, { token: operator, body })).toBeProblem(404);
  });
});

describe('audit trail', () => {
  it('records every write with who, when, what and the correlation id, newest first', async () => {
    const res = await api.call('GET', '/audit?limit=100', { token: reader });
    expect(res.status).toBe(200);
    const entries = res.body.items as { action: string; at: string; actor: string; correlationId: string; profileId?: string; tenantId?: string; details: Record<string, unknown> }[];
    const ats = entries.map((e) => e.at);
    expect([...ats].sort().reverse()).toEqual(ats);
    const actions = new Set(entries.map((e) => e.action));
    for (const a of ['profile.created', 'profile.updated', 'inventory.ingested', 'snapshot.captured', 'assignment.created', 'assignment.removed', 'compare.started', 'finding.transitioned']) {
      expect(actions).toContain(a);
    }
    const created = entries.filter((e) => e.action === 'profile.created' && e.profileId === seeded.profileId);
    expect(created).toHaveLength(1); // the replayed create wrote nothing
    expect(created[0]).toMatchObject({ actor: 'alice@example.test', correlationId: 'corr-create-1' });
    const started = entries.find((e) => e.action === 'compare.started')!;
    expect(started).toMatchObject({ tenantId: TENANT, profileId: seeded.profileId, actor: 'oscar@example.test', correlationId: 'corr-compare-1' });
    expect(started.details.runId).toBe(seeded.compareRunId);
    // Without a correlation header, the request id is the correlation id.
    const capture = entries.find((e) => e.action === 'snapshot.captured')!;
    expect(capture.correlationId).toBe(seeded.capture.headers.get('x-request-id'));
  });

  it('pages the tenant\'s audit trail with a cursor', async () => {
    const first = await api.call('GET', `/tenants/${TENANT}/audit?limit=2`, { token: reader });
    expect(first.body.items).toHaveLength(2);
    const second = await api.call('GET', `/tenants/${TENANT}/audit?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`, { token: reader });
    expect(second.body.items.length).toBeGreaterThan(0);
    const ids = [...first.body.items, ...second.body.items].map((e: { id: string }) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
