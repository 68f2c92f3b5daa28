/**
 * The fleet view and the evidence export on the `npm start` flow (the demo seeded on the run's
 * DynamoDB Local, its compares run through the synthesized workflow by the dispatcher): the fleet
 * matrix equals the findings of each tenant's last compare, and each compare's evidence JSON has the
 * run's summary counts and a hash that verifies.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { createDynamoRepositories, type Repositories } from '../../shared/adapters/dynamodb/index.js';
import { verifyEvidenceDocument } from '../../shared/domain/evidence-export.js';
import { scopeKeyOf } from '../../shared/domain/identity.js';
import { OPEN_FINDING_STATUSES, type Finding, type OperationRun } from '../../shared/domain/model.js';
import { LOCAL_REGION } from '../../infra/local/dynamodb-local.js';
import { DEMO_GOLDEN_TENANT, DEMO_PROFILE_ID, DEMO_WORKSPACE_ID, FABRIKAM_TENANT_ID, NORTHWIND_TENANT_ID } from '../../infra/local/demo/data.js';
import { readFleet, renderFleetTable } from '../../cli/commands/fleet.js';
import { mintDevToken, loadOrCreateDevKey } from '../../infra/local/dev-auth.js';
import type { LocalSession } from '../../infra/local/start.js';
import { startTestSession, type TestSession } from '../support/local-session.js';

const require = createRequire(import.meta.url);
const rfc8785 = require('canonicalize') as (value: unknown) => string | undefined;

let started: TestSession | undefined;
let session: LocalSession;
let repos: Repositories;

beforeAll(async () => {
  started = await startTestSession('fleet');
  session = started.session;
  repos = createDynamoRepositories({ db: createDocumentClient({ endpoint: session.stack.endpoint, region: LOCAL_REGION }), tables: session.stack.tables });
}, 240_000);

afterAll(async () => {
  await started?.stop();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers read by the tests
async function get(path: string, token = session.summary.token): Promise<{ status: number; type: string; text: string; json: any }> {
  const res = await fetch(`${session.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json };
}

async function findingsOf(tenantId: string): Promise<Finding[]> {
  const out: Finding[] = [];
  let cursor: string | undefined;
  do {
    const page = await repos.findings.list(tenantId, { limit: 100, scopeKey: scopeKeyOf(DEMO_PROFILE_ID), ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

async function compares(tenantId: string): Promise<OperationRun[]> {
  return (await repos.runs.listByTenant(tenantId, { limit: 20, type: 'baseline_compare' })).items;
}

/** What the last compare observed: the findings it saw (not those it resolved). */
function observedBy(findings: Finding[], runId: string): Finding[] {
  return findings.filter((f) => f.currentOperationRunId === runId && f.status !== 'resolved');
}

describe('GET /baseline-profiles/{profileId}/fleet', () => {
  it('equals the findings of each tenant\'s last compare, subject by subject, with the tenants\' names', async () => {
    const { status, json: fleet } = await get(`/baseline-profiles/${DEMO_PROFILE_ID}/fleet?limit=100`);
    expect(status).toBe(200);
    expect(fleet.snapshotId).toBe(session.summary.snapshotId);
    // The assigned tenants, by name (the golden tenant is not assigned).
    expect(fleet.tenants.map((t: { displayName: string }) => t.displayName)).toEqual(['Fabrikam', 'Northwind']);
    expect(fleet.nextCursor).toBeUndefined();
    for (const tenant of fleet.tenants) {
      const last = (await compares(tenant.tenantId)).filter((r) => r.status === 'completed').sort((a, b) => (a.completedAt! < b.completedAt! ? 1 : -1))[0]!;
      expect(tenant.lastCompare).toEqual({ runId: last.id, outcome: last.outcome, completedAt: last.completedAt });
      const observed = observedBy(await findingsOf(tenant.tenantId), last.id);
      expect(observed.length).toBeGreaterThan(0);
      const expected = new Map(observed.map((f) => [f.subjectKey, f.status === 'risk_accepted' ? 'accepted' : f.changeType]));
      const drifted = new Map<string, string>();
      for (const s of fleet.subjects) {
        const state = s.states[tenant.tenantId] as string;
        if (['missing_policy', 'unexpected_policy', 'different_version', 'accepted'].includes(state)) drifted.set(s.subjectKey, state);
      }
      expect(drifted).toEqual(expected);
      const open = observed.filter((f) => (OPEN_FINDING_STATUSES as readonly string[]).includes(f.status));
      for (const c of ['missing_policy', 'unexpected_policy', 'different_version'] as const) expect(tenant.counts[c]).toBe(open.filter((f) => f.changeType === c).length);
      expect(tenant.counts.accepted).toBe(observed.filter((f) => f.status === 'risk_accepted').length);
      expect(tenant.counts.aligned).toBe(last.summaryCounts.aligned);
      expect(tenant.counts.gaps).toBe(last.summaryCounts.gaps);
      expect(fleet.subjects.filter((s: { states: Record<string, string> }) => s.states[tenant.tenantId] === 'aligned').length).toBeGreaterThanOrEqual(last.summaryCounts.aligned!);
    }
    // Northwind's app protection policies could not be read: uncovered, never missing.
    const appProtection = fleet.subjects.filter((s: { policyType: string }) => s.policyType === 'appProtectionPolicy');
    expect(appProtection.length).toBeGreaterThan(0);
    for (const s of appProtection) expect(s.states[NORTHWIND_TENANT_ID]).toBe('uncovered');
    expect(fleet.tenants.find((t: { tenantId: string }) => t.tenantId === NORTHWIND_TENANT_ID).counts.uncovered_types).toBe(1);
    // Another tenant's unexpected policy is a subject of the matrix; for the tenant without it, aligned.
    const kiosk = fleet.subjects.find((s: { displayName: string }) => s.displayName === 'Legacy - Kiosk restrictions');
    expect(kiosk.states).toEqual({ [FABRIKAM_TENANT_ID]: 'unexpected_policy', [NORTHWIND_TENANT_ID]: 'aligned' });
  });

  it('shows an acceptance at once (no compare needed) and counts it under accepted only', async () => {
    const last = (await compares(NORTHWIND_TENANT_ID)).find((r) => r.status === 'completed')!;
    const target = observedBy(await findingsOf(NORTHWIND_TENANT_ID), last.id).find((f) => f.changeType === 'unexpected_policy')!;
    const before = (await get(`/baseline-profiles/${DEMO_PROFILE_ID}/fleet?limit=100`)).json;
    const res = await fetch(`${session.url}/tenants/${NORTHWIND_TENANT_ID}/findings/${target.fingerprint}/transitions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.summary.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'risk_accepted', reason: 'printers need it until the spring' }),
    });
    expect(res.status).toBe(200);
    const after = (await get(`/baseline-profiles/${DEMO_PROFILE_ID}/fleet?limit=100`)).json;
    const row = after.subjects.find((s: { subjectKey: string }) => s.subjectKey === target.subjectKey);
    expect(row.states[NORTHWIND_TENANT_ID]).toBe('accepted');
    const countsOf = (f: { tenants: { tenantId: string; counts: Record<string, number> }[] }) => f.tenants.find((t) => t.tenantId === NORTHWIND_TENANT_ID)!.counts;
    expect(countsOf(after).accepted).toBe(countsOf(before).accepted! + 1);
    expect(countsOf(after).unexpected_policy).toBe(countsOf(before).unexpected_policy! - 1);
  });

  it('pages by subject and filters by policy type and state', async () => {
    const all = (await get(`/baseline-profiles/${DEMO_PROFILE_ID}/fleet?limit=100`)).json.subjects.map((s: { subjectKey: string }) => s.subjectKey);
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = (await get(`/baseline-profiles/${DEMO_PROFILE_ID}/fleet?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json;
      expect(page.subjects.length).toBeLessThanOrEqual(4);
      expect(page.tenants).toHaveLength(2);
      paged.push(...page.subjects.map((s: { subjectKey: string }) => s.subjectKey));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
    const missing = (await get(`/baseline-profiles/${DEMO_PROFILE_ID}/fleet?state=missing_policy`)).json.subjects;
    expect(missing.map((s: { displayName: string }) => s.displayName).sort()).toEqual(['CA002 - All users - Block legacy authentication', 'iOS - Device restrictions']);
    const ca = (await get(`/baseline-profiles/${DEMO_PROFILE_ID}/fleet?policyType=conditionalAccessPolicy`)).json.subjects;
    expect(ca.length).toBeGreaterThan(0);
    expect(ca.every((s: { policyType: string }) => s.policyType === 'conditionalAccessPolicy')).toBe(true);
    // A cursor made under other filters is refused, saying what to do.
    const first = (await get(`/baseline-profiles/${DEMO_PROFILE_ID}/fleet?limit=1`)).json.nextCursor as string;
    const refused = await get(`/baseline-profiles/${DEMO_PROFILE_ID}/fleet?limit=1&state=gap&cursor=${encodeURIComponent(first)}`);
    expect(refused.status).toBe(400);
    expect(refused.type).toBe('application/problem+json');
  });

  it('shows only the token\'s tenants, and another workspace\'s profile as not found', async () => {
    const key = await loadOrCreateDevKey(started!.stateDir);
    const one = await mintDevToken(key, { workspaceId: DEMO_WORKSPACE_ID, tenantIds: [FABRIKAM_TENANT_ID], role: 'reader' });
    const fleet = (await get(`/baseline-profiles/${DEMO_PROFILE_ID}/fleet`, one)).json;
    expect(fleet.tenants.map((t: { tenantId: string }) => t.tenantId)).toEqual([FABRIKAM_TENANT_ID]);
    expect(Object.keys(fleet.subjects[0].states)).toEqual([FABRIKAM_TENANT_ID]);
    const other = await mintDevToken(key, { workspaceId: 'ws-other', tenantIds: [FABRIKAM_TENANT_ID], role: 'reader' });
    expect((await get(`/baseline-profiles/${DEMO_PROFILE_ID}/fleet`, other)).status).toBe(404);
  });

  it('drift fleet prints the matrix as tables with the tenants\' names', async () => {
    const doc = await readFleet({ profile: DEMO_PROFILE_ID, api: session.url, token: session.summary.token });
    const all = (await get(`/baseline-profiles/${DEMO_PROFILE_ID}/fleet?limit=100`)).json;
    expect(doc.subjects).toEqual(all.subjects);
    const table = renderFleetTable(doc);
    expect(table).toContain('Fabrikam');
    expect(table).toContain('Northwind');
    expect(table).toMatch(/Legacy - Kiosk restrictions.*unexpected_policy/);
    expect(table).not.toContain(DEMO_GOLDEN_TENANT.name);
  });
});

describe('GET /operation-runs/{runId}/evidence', () => {
  it('has the run\'s summary counts, every compared subject, and a SHA-256 that verifies', async () => {
    const runs = [...(await compares(FABRIKAM_TENANT_ID)), ...(await compares(NORTHWIND_TENANT_ID))];
    expect(runs.length).toBe(3);
    for (const run of runs) {
      const { status, type, text, json: doc } = await get(`/operation-runs/${run.id}/evidence?format=json`);
      expect(status).toBe(200);
      expect(type).toContain('application/json');
      expect(verifyEvidenceDocument(doc)).toBe(true);
      // The hash is over RFC 8785 canonical JSON, checked with an independent implementation.
      const { sha256, ...rest } = doc;
      const { createHash } = await import('node:crypto');
      expect(createHash('sha256').update(rfc8785(rest)!).digest('hex')).toBe(sha256);
      expect(verifyEvidenceDocument({ ...doc, gaps: [...doc.gaps, { reason: 'forged' }] })).toBe(false);
      expect(text.length).toBeGreaterThan(0);

      expect(doc.run.summaryCounts).toEqual(run.summaryCounts);
      const c = (key: string): number => run.summaryCounts[key] ?? 0;
      expect(doc.subjects).toHaveLength(c('subjects'));
      expect(doc.subjects.filter((s: { state: string }) => s.state === 'aligned')).toHaveLength(c('aligned'));
      expect(doc.gaps).toHaveLength(c('gaps'));
      expect(doc.subjects.filter((s: { state: string }) => s.state === 'gap')).toHaveLength(c('gaps'));
      for (const change of ['missing_policy', 'unexpected_policy', 'different_version']) {
        expect(doc.findings.filter((f: { changeType: string }) => f.changeType === change)).toHaveLength(c(change));
        expect(doc.subjects.filter((s: { state: string }) => s.state === change)).toHaveLength(c(change));
      }
      for (const s of doc.subjects.filter((x: { state: string }) => x.state === 'aligned')) {
        expect(s.baselineHash).toMatch(/^[0-9a-f]{64}$/);
        expect(s.currentHash).toBe(s.baselineHash);
      }
      expect(doc.run.tenantName).toBe(run.tenantId === FABRIKAM_TENANT_ID ? 'Fabrikam' : 'Northwind');
      expect(doc.coverage.proof).toBe(true);
      expect(doc.provenance).toMatchObject({ profileId: DEMO_PROFILE_ID, snapshotId: session.summary.snapshotId, inventorySyncRunId: expect.any(String) });
      expect(doc.findings.every((f: { evidence: { provenance: { compare_operation_run_id: string } } }) => f.evidence.provenance.compare_operation_run_id === run.id)).toBe(true);

      const csv = await get(`/operation-runs/${run.id}/evidence?format=csv`);
      expect(csv.type).toContain('text/csv');
      const lines = csv.text.split('\r\n').filter((l) => l !== '');
      expect(lines[0]).toBe('subjectKey,displayName,policyType,state,changeType,gapReason,severity,findingStatus,fingerprint,baselineHash,currentHash,fidelity,dimensions,driftedProperties');
      expect(lines).toHaveLength(c('subjects') + 1);

      const html = await get(`/operation-runs/${run.id}/evidence?format=html`);
      expect(html.type).toContain('text/html');
      expect(html.text).toMatch(/^<!doctype html>/);
      expect(html.text).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3)/i);
      expect(html.text).toContain(run.id);
      expect(html.text).toContain(`<h1>Compare evidence: ${doc.run.tenantName as string} against Windows and iOS baseline`);
    }
  });

  it('lists Northwind\'s uncovered type in its coverage and none of its subjects', async () => {
    const run = (await compares(NORTHWIND_TENANT_ID))[0]!;
    const doc = (await get(`/operation-runs/${run.id}/evidence`)).json;
    expect(doc.run.outcome).toBe('partially_succeeded');
    expect(doc.coverage.uncovered_types.map((u: { type: string }) => u.type)).toEqual(['appProtectionPolicy']);
    expect(doc.subjects.some((s: { policyType: string }) => s.policyType === 'appProtectionPolicy')).toBe(false);
    const one = (await get(`/operation-runs/${run.id}/evidence?policyType=conditionalAccessPolicy`)).json;
    expect(verifyEvidenceDocument(one)).toBe(true);
    expect(one.subjects.length).toBeGreaterThan(0);
    expect(one.subjects.every((s: { policyType: string }) => s.policyType === 'conditionalAccessPolicy')).toBe(true);
  });

  it('answers 409 for a run that is no compare and 404 outside the token', async () => {
    const sync = (await repos.runs.listByTenant(FABRIKAM_TENANT_ID, { limit: 5, type: 'inventory_sync' })).items[0]!;
    const refused = await get(`/operation-runs/${sync.id}/evidence`);
    expect(refused.status).toBe(409);
    expect(refused.json.detail).toContain('not a baseline compare');
    const key = await loadOrCreateDevKey(started!.stateDir);
    const other = await mintDevToken(key, { workspaceId: DEMO_WORKSPACE_ID, tenantIds: [NORTHWIND_TENANT_ID], role: 'reader' });
    const run = (await compares(FABRIKAM_TENANT_ID))[0]!;
    expect((await get(`/operation-runs/${run.id}/evidence`, other)).status).toBe(404);
  });
});

describe('PATCH /baseline-profiles/{profileId} { activeSnapshotId }', () => {
  it('makes another complete snapshot of the profile active (audited); the fleet is then against it', async () => {
    const key = await loadOrCreateDevKey(started!.stateDir);
    const tenants = [DEMO_GOLDEN_TENANT.tenantId, FABRIKAM_TENANT_ID, NORTHWIND_TENANT_ID];
    const admin = await mintDevToken(key, { workspaceId: DEMO_WORKSPACE_ID, tenantIds: tenants, role: 'admin' });
    const call = (method: string, path: string, body?: unknown, token = admin) =>
      fetch(`${session.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    const original = session.summary.snapshotId;
    // A candidate captured from Fabrikam, not activated.
    const captured = await call('POST', `/baseline-profiles/${DEMO_PROFILE_ID}/snapshots`, { sourceTenantId: FABRIKAM_TENANT_ID, activate: false });
    expect(captured.status).toBe(202);
    await session.stack.starter.wait(captured.body.runId as string).catch(() => undefined);
    const snapshots = (await call('GET', `/baseline-profiles/${DEMO_PROFILE_ID}/snapshots`)).body.items as { id: string; status: string }[];
    const candidate = snapshots.find((s) => s.id !== original && s.status === 'complete');
    expect(candidate).toBeDefined();

    expect((await call('PATCH', `/baseline-profiles/${DEMO_PROFILE_ID}`, { activeSnapshotId: 'no-such-snapshot' })).status).toBe(404);
    expect((await call('PATCH', `/baseline-profiles/${DEMO_PROFILE_ID}`, { activeSnapshotId: candidate!.id }, session.summary.token)).status).toBe(403);
    const patched = await call('PATCH', `/baseline-profiles/${DEMO_PROFILE_ID}`, { activeSnapshotId: candidate!.id });
    expect(patched.status).toBe(200);
    expect(patched.body.activeSnapshotId).toBe(candidate!.id);
    const fleet = (await get(`/baseline-profiles/${DEMO_PROFILE_ID}/fleet?limit=100`)).json;
    expect(fleet.snapshotId).toBe(candidate!.id);
    expect(fleet.tenants.map((t: { lastCompare: unknown }) => t.lastCompare)).toEqual([null, null]);
    expect(new Set(fleet.subjects.flatMap((s: { states: Record<string, string> }) => Object.values(s.states)))).toEqual(new Set(['not_compared']));
    const audit = (await call('GET', '/audit?limit=20')).body.items as { action: string; profileId?: string; details?: Record<string, unknown> }[];
    expect(audit.find((e) => e.action === 'profile.updated' && e.details?.activeSnapshotTo === candidate!.id)?.details).toMatchObject({ activeSnapshotFrom: original });

    // Back to the original: the fleet of its compares again.
    expect((await call('PATCH', `/baseline-profiles/${DEMO_PROFILE_ID}`, { activeSnapshotId: original })).status).toBe(200);
    expect((await get(`/baseline-profiles/${DEMO_PROFILE_ID}/fleet`)).json.tenants.every((t: { lastCompare: unknown }) => t.lastCompare !== null)).toBe(true);
  });
});
