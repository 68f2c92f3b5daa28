/**
 * Accepted deviations on DynamoDB Local (the issue "Tenant exceptions"): an acceptance pinned to its
 * value stays accepted while the tenant holds it, reopens with `accepted_value_changed` or
 * `acceptance_expired` (one event, one audit entry, also when UpsertFindings is retried), the expiry
 * sweep ends acceptances of tenants no compare looks at, and an accepted finding whose drift is gone
 * auto-resolves with its acceptance kept.
 */
import { describe, expect, it } from 'vitest';
import type { FindingObservation } from '../../shared/domain/lifecycle.js';
import type { AuditEntry } from '../../shared/domain/model.js';
import { DynamoGateway } from '../../shared/adapters/dynamodb/gateway.js';
import { DynamoCompareStageRepository } from '../../shared/adapters/dynamodb/compare-stage-repository.js';
import { CapacityMeter } from '../../shared/adapters/dynamodb/capacity.js';
import { upsertFindingsTask, type CompareDeps } from '../../shared/usecases/baseline-compare.js';
import { moveFinding } from '../../shared/usecases/findings.js';
import { sweepExpiredAcceptances } from '../../shared/usecases/acceptance-ends.js';
import { dynamoTestContext, testRepositories, uniqueId } from '../support/dynamodb.js';
import { recordingPublisher } from '../support/recording-publisher.js';

const PROFILE = 'profile-acc';
const SCOPE = `baseline_profile:${PROFILE}`;
const WORKSPACE = 'ws-acc';
const FP = 'e'.repeat(64);

function observation(tenantId: string, runId: string, observedAt: string, currentHash: string, minutes: number): FindingObservation {
  const subjectKey = 'deviceConfiguration:win - screen lock';
  return {
    tenantId,
    scopeKey: SCOPE,
    fingerprint: FP,
    recurrenceKey: FP,
    changeType: 'different_version',
    policyType: 'deviceConfiguration',
    subjectKey,
    displayName: 'Win - Screen lock',
    severity: 'medium',
    evidence: {
      change_type: 'different_version',
      policy_type: 'deviceConfiguration',
      subject_key: subjectKey,
      display_name: 'Win - Screen lock',
      baseline: { hash: 'b'.repeat(64), fidelity: 'content', provenance: { snapshot_id: 's', captured_at: '2026-01-01T00:00:00.000Z' } },
      current: { hash: currentHash, fidelity: 'content', provenance: { inventory_sync_run_id: 'i', observed_at: null, external_id: 'x' } },
      drifted_properties: [{ path: '/passwordMinutesOfInactivityBeforeScreenTimeout', kind: 'changed', baseline: 5, current: minutes }],
      truncated: false,
      provenance: { baseline_profile_id: PROFILE, baseline_snapshot_id: 's', compare_operation_run_id: runId, inventory_sync_run_id: 'i' },
    },
    evidenceFidelity: 'content',
    runId,
    observedAt,
  };
}

function setup() {
  const { tables, db } = dynamoTestContext();
  const repos = testRepositories();
  const stage = new DynamoCompareStageRepository(new DynamoGateway(db, new CapacityMeter()), tables.operationRuns);
  const { publisher: events, sent, failNext } = recordingPublisher();
  const clock = { now: new Date('2026-03-01T10:00:00.000Z') };
  const deps = { findings: repos.findings, runs: repos.runs, audit: repos.audit, stage, events, now: () => clock.now } as unknown as CompareDeps;
  const tenantId = uniqueId('tenant');
  const upsert = async (runId: string, observedAt: string, hash: string, minutes: number) => {
    await stage.put(runId, 'deviceConfiguration', { alertMinSeverity: 'high', workspaceId: WORKSPACE, observations: [observation(tenantId, runId, observedAt, hash, minutes)] });
    return upsertFindingsTask(deps, { runId, policyType: 'deviceConfiguration' });
  };
  const accept = (expiresAt?: string) =>
    moveFinding(
      { findings: repos.findings, audit: repos.audit, now: () => clock.now },
      { workspaceId: WORKSPACE, actor: 'oscar@example.test', correlationId: 'corr-accept' },
      { tenantId, fingerprint: FP, to: 'risk_accepted', reason: 'Customer needs a longer screen lock', ...(expiresAt ? { expiresAt } : {}) },
    );
  const audit = async (): Promise<AuditEntry[]> => (await repos.audit.listByTenant(tenantId, { limit: 100 })).items;
  const reopenEvents = () => sent.filter((e) => e.detailType === 'Drift Finding Reopened');
  return { repos, deps, tenantId, clock, upsert, accept, audit, sent, reopenEvents, failPublish: failNext };
}

/** A finding accepted until 2026-03-04, and a sweep of its tenant on the same clock and publisher. */
async function acceptedUntilMarch4() {
  const t = setup();
  await t.upsert('run-1', '2026-03-01T03:00:00.000Z', 'c'.repeat(64), 15);
  await t.accept('2026-03-04T00:00:00Z');
  const sweepDeps = { findings: t.repos.findings, audit: t.repos.audit, events: t.deps.events, now: () => t.clock.now };
  const sweep = (sweepId: string) => sweepExpiredAcceptances(sweepDeps, { tenants: [{ tenantId: t.tenantId, workspaceId: WORKSPACE }], sweepId });
  return { ...t, sweep };
}

describe('accepted deviations on DynamoDB Local', () => {
  it('accept with expiry -> same value seen -> still accepted; value changed -> reopened with an event and an audit entry', async () => {
    const t = setup();
    await t.upsert('run-1', '2026-03-01T03:00:00.000Z', 'c'.repeat(64), 15);
    const accepted = await t.accept('2026-09-01T00:00:00Z');
    expect(accepted).toMatchObject({ status: 'risk_accepted', acceptedBy: 'oscar@example.test', acceptedHash: { settings: 'c'.repeat(64) }, expiresAt: '2026-09-01T00:00:00.000Z' });

    const same = await t.upsert('run-2', '2026-03-02T03:00:00.000Z', 'c'.repeat(64), 15);
    expect(same).toMatchObject({ findings_seen: 1, findings_reopened: 0 });
    expect((await t.repos.findings.get(t.tenantId, FP))?.status).toBe('risk_accepted');

    const changed = await t.upsert('run-3', '2026-03-03T03:00:00.000Z', 'd'.repeat(64), 30);
    expect(changed).toMatchObject({ findings_reopened: 1 });
    const f = await t.repos.findings.get(t.tenantId, FP);
    expect(f).toMatchObject({ status: 'reopened', reopenReason: 'accepted_value_changed', acceptedAt: '2026-03-01T10:00:00.000Z' });
    expect(f?.evidence.accepted?.drifted_properties[0]?.current).toBe(15);
    expect(f?.evidence.drifted_properties[0]?.current).toBe(30);
    // Medium is below the profile's `high` threshold: the end of an acceptance is told anyway.
    expect(t.reopenEvents().map((e) => (e.detail as { reopenReason?: string }).reopenReason)).toEqual(['accepted_value_changed']);

    const entries = await t.audit();
    expect(entries.map((e) => e.action).sort()).toEqual(['finding.reopened', 'finding.transitioned']);
    const accept = entries.find((e) => e.action === 'finding.transitioned')!;
    expect(accept.details).toMatchObject({ to: 'risk_accepted', expiresAt: '2026-09-01T00:00:00.000Z' });
    const reopen = entries.find((e) => e.action === 'finding.reopened')!;
    expect(reopen).toMatchObject({ actor: 'system', workspaceId: WORKSPACE, correlationId: 'run-3', details: { reopenReason: 'accepted_value_changed', from: 'risk_accepted' } });
  });

  it('a compare past the expiry reopens with acceptance_expired', async () => {
    const t = setup();
    await t.upsert('run-1', '2026-03-01T03:00:00.000Z', 'c'.repeat(64), 15);
    await t.accept('2026-03-05T00:00:00Z');
    await t.upsert('run-2', '2026-03-06T03:00:00.000Z', 'c'.repeat(64), 15);
    expect(await t.repos.findings.get(t.tenantId, FP)).toMatchObject({ status: 'reopened', reopenReason: 'acceptance_expired' });
    expect((await t.audit()).filter((e) => e.action === 'finding.acceptance_expired')).toHaveLength(1);
    expect(t.reopenEvents()).toHaveLength(1);
  });

  it('a retried UpsertFindings reopens once: one reopen, one event, one audit entry', async () => {
    const t = setup();
    await t.upsert('run-1', '2026-03-01T03:00:00.000Z', 'c'.repeat(64), 15);
    await t.accept();
    t.failPublish(1);
    await expect(t.upsert('run-2', '2026-03-02T03:00:00.000Z', 'd'.repeat(64), 30)).rejects.toMatchObject({ name: 'TransientError' });
    const retried = await upsertFindingsTask(t.deps, { runId: 'run-2', policyType: 'deviceConfiguration' });
    expect(retried).toMatchObject({ findings_reopened: 1, already_applied: 1 });
    const again = await upsertFindingsTask(t.deps, { runId: 'run-2', policyType: 'deviceConfiguration' });
    expect(again.findings_reopened).toBe(1);
    const f = await t.repos.findings.get(t.tenantId, FP);
    expect(f).toMatchObject({ status: 'reopened', reopenCount: 1, timesSeen: 2 });
    expect(t.reopenEvents()).toHaveLength(1);
    expect((await t.audit()).filter((e) => e.action === 'finding.reopened')).toHaveLength(1);
  });

  it('the sweep expires an acceptance of a tenant no compare looks at: one event, one audit entry, repeated sweeps add none', async () => {
    const t = await acceptedUntilMarch4();
    const { sweep } = t;

    t.clock.now = new Date('2026-03-03T23:00:00.000Z');
    expect((await sweep('sweep-a')).expired).toBe(0);
    expect((await t.repos.findings.get(t.tenantId, FP))?.status).toBe('risk_accepted');

    t.clock.now = new Date('2026-03-04T03:00:00.000Z');
    expect(await sweep('sweep-b')).toEqual({ expired: 1, failed: [] });
    const f = await t.repos.findings.get(t.tenantId, FP);
    expect(f).toMatchObject({ status: 'reopened', reopenReason: 'acceptance_expired', reopenedAt: '2026-03-04T03:00:00.000Z', timesSeen: 1 });
    expect(t.reopenEvents().map((e) => (e.detail as { reopenReason?: string }).reopenReason)).toEqual(['acceptance_expired']);

    // A repeated trigger of the same round, and the next round, find nothing left to do.
    expect((await sweep('sweep-b')).expired).toBe(0);
    expect((await sweep('sweep-c')).expired).toBe(0);
    expect((await t.audit()).filter((e) => e.action === 'finding.acceptance_expired')).toHaveLength(1);
    expect(t.reopenEvents()).toHaveLength(1);

    // A compare after the sweep sees an open finding: no second reopen, no second event.
    const seen = await t.upsert('run-2', '2026-03-05T03:00:00.000Z', 'c'.repeat(64), 15);
    expect(seen).toMatchObject({ findings_seen: 1, findings_reopened: 0 });
    expect(new Set(t.reopenEvents().map((e) => (e.detail as { fingerprint: string }).fingerprint)).size).toBe(1);
  });

  it('a sweep stopped before its event went out: the repeated sweep of the window sends it and audits it, once', async () => {
    const t = await acceptedUntilMarch4();
    const { sweep } = t;
    t.clock.now = new Date('2026-03-04T03:00:00.000Z');
    t.failPublish(1);
    const failed = await sweep('sweep-x');
    expect(failed.failed.map((f) => f.tenantId)).toEqual([t.tenantId]);
    expect((await t.repos.findings.get(t.tenantId, FP))?.status).toBe('reopened');
    expect(t.reopenEvents()).toHaveLength(0);

    t.clock.now = new Date('2026-03-04T03:05:00.000Z');
    expect(await sweep('sweep-x')).toEqual({ expired: 1, failed: [] });
    expect(await sweep('sweep-x')).toEqual({ expired: 0, failed: [] });
    expect(t.reopenEvents()).toHaveLength(1);
    expect((await t.audit()).filter((e) => e.action === 'finding.acceptance_expired')).toHaveLength(1);
  });

  it('an accepted finding whose drift is gone resolves like an open one, and its drift can return', async () => {
    const t = setup();
    await t.upsert('run-1', '2026-03-01T03:00:00.000Z', 'c'.repeat(64), 15);
    await t.accept();
    expect(await t.repos.findings.resolveUnobserved(t.tenantId, SCOPE, 'run-2', '2026-03-02T03:10:00.000Z')).toBe(1);
    expect(await t.repos.findings.get(t.tenantId, FP)).toMatchObject({ status: 'resolved', resolvedReason: 'no_longer_drifting', acceptedBy: 'oscar@example.test' });
    await t.upsert('run-3', '2026-03-03T03:00:00.000Z', 'c'.repeat(64), 15);
    expect(await t.repos.findings.get(t.tenantId, FP)).toMatchObject({ status: 'reopened', reopenReason: 'drift_returned' });
  });
});
