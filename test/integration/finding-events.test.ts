/**
 * Finding events of UpsertFindings (docs/lifecycle.md, "Events") on DynamoDB Local: opened/reopened at or above the
 * profile's threshold, once per fingerprint in the cooldown, and not sent twice by a retried task.
 */
import { describe, expect, it } from 'vitest';
import type { FindingObservation } from '../../shared/domain/lifecycle.js';
import type { DomainEvent } from '../../shared/domain/events.js';
import type { ChangeType, Severity } from '../../shared/domain/model.js';
import { DynamoGateway } from '../../shared/adapters/dynamodb/gateway.js';
import { DynamoCompareStageRepository } from '../../shared/adapters/dynamodb/compare-stage-repository.js';
import { CapacityMeter } from '../../shared/adapters/dynamodb/capacity.js';
import { upsertFindingsTask, type CompareDeps } from '../../shared/usecases/baseline-compare.js';
import { dynamoTestContext, testRepositories, uniqueId } from '../support/dynamodb.js';
import { recordingPublisher } from '../support/recording-publisher.js';

const SCOPE = 'baseline_profile:profile-ev';

function observation(tenantId: string, fp: string, runId: string, observedAt: string, changeType: ChangeType, severity: Severity): FindingObservation {
  const subjectKey = `deviceConfiguration:${fp}`;
  return {
    tenantId,
    scopeKey: SCOPE,
    fingerprint: fp,
    recurrenceKey: fp,
    changeType,
    policyType: 'deviceConfiguration',
    subjectKey,
    displayName: fp,
    severity,
    evidence: {
      change_type: changeType,
      policy_type: 'deviceConfiguration',
      subject_key: subjectKey,
      display_name: fp,
      baseline: { hash: 'b'.repeat(64), fidelity: 'content', provenance: { snapshot_id: 's', captured_at: '2025-01-01T00:00:00.000Z' } },
      current: { hash: 'c'.repeat(64), fidelity: 'content', provenance: { inventory_sync_run_id: 'i', observed_at: null, external_id: 'x' } },
      drifted_properties: [],
      truncated: false,
      provenance: { baseline_profile_id: 'profile-ev', baseline_snapshot_id: 's', compare_operation_run_id: runId, inventory_sync_run_id: 'i' },
    },
    evidenceFidelity: 'content',
    runId,
    observedAt,
  };
}

/** Deps for UpsertFindings on DynamoDB Local with a publisher that records (and may fail). */
function deps(cooldownHours?: number) {
  const { tables } = dynamoTestContext();
  const repos = testRepositories();
  const stage = new DynamoCompareStageRepository(new DynamoGateway(dynamoTestContext().db, new CapacityMeter()), tables.operationRuns);
  const { publisher, sent, failNext } = recordingPublisher();
  const d = {
    findings: repos.findings,
    runs: repos.runs,
    audit: repos.audit,
    stage,
    events: publisher,
    now: () => new Date('2025-06-01T00:00:00.000Z'),
    ...(cooldownHours !== undefined ? { findingEventCooldownHours: cooldownHours } : {}),
  } as unknown as CompareDeps;
  return { d, stage, sent, failPublish: failNext, repos };
}

const kinds = (events: DomainEvent[]) => events.map((e) => [e.detailType, (e.detail as { fingerprint: string }).fingerprint]);

describe('finding events of UpsertFindings', () => {
  it('sends opened for new findings at or above alertMinSeverity only, and nothing for a seen one', async () => {
    const { d, stage, sent } = deps();
    const tenantId = uniqueId('tenant');
    const t1 = '2025-06-01T00:00:00.000Z';
    await stage.put('run-1', 'deviceConfiguration', {
      alertMinSeverity: 'high',
      observations: [
        observation(tenantId, 'fp-high', 'run-1', t1, 'missing_policy', 'high'),
        observation(tenantId, 'fp-medium', 'run-1', t1, 'different_version', 'medium'),
        observation(tenantId, 'fp-critical', 'run-1', t1, 'different_version', 'critical'),
      ],
    });
    const result = await upsertFindingsTask(d, { runId: 'run-1', policyType: 'deviceConfiguration' });
    expect(result).toMatchObject({ findings_new: 3, findings_seen: 0 });
    expect(kinds(sent)).toEqual([
      ['Drift Finding Opened', 'fp-high'],
      ['Drift Finding Opened', 'fp-critical'],
    ]);
    expect(sent[0]!.detail).toMatchObject({ tenantId, operationRunId: 'run-1', severity: 'high', status: 'new' });

    const t2 = '2025-06-02T00:00:00.000Z';
    await stage.put('run-2', 'deviceConfiguration', { alertMinSeverity: 'high', observations: [observation(tenantId, 'fp-high', 'run-2', t2, 'missing_policy', 'high')] });
    await upsertFindingsTask(d, { runId: 'run-2', policyType: 'deviceConfiguration' });
    expect(sent).toHaveLength(2);
  });

  it('sends reopened after the cooldown, and not within it', async () => {
    const { d, stage, sent, repos } = deps(24);
    const tenantId = uniqueId('tenant');
    const obs = (run: string, at: string) => observation(tenantId, 'fp-r', run, at, 'missing_policy', 'high');
    const upsert = async (run: string, at: string) => {
      await stage.put(run, 'deviceConfiguration', { alertMinSeverity: 'high', observations: [obs(run, at)] });
      return upsertFindingsTask(d, { runId: run, policyType: 'deviceConfiguration' });
    };
    await upsert('run-a', '2025-06-01T00:00:00.000Z');
    await repos.findings.resolveUnobserved(tenantId, SCOPE, 'run-b', '2025-06-01T06:00:00.000Z');
    // Reopened 12 h after the opened event: within the 24 h cooldown, no event.
    expect(await upsert('run-c', '2025-06-01T12:00:00.000Z')).toMatchObject({ findings_reopened: 1 });
    await repos.findings.resolveUnobserved(tenantId, SCOPE, 'run-d', '2025-06-02T00:00:00.000Z');
    // Reopened 3 days later: sent.
    expect(await upsert('run-e', '2025-06-04T00:00:00.000Z')).toMatchObject({ findings_reopened: 1 });
    expect(kinds(sent)).toEqual([
      ['Drift Finding Opened', 'fp-r'],
      ['Drift Finding Reopened', 'fp-r'],
    ]);
    const stored = await repos.findings.get(tenantId, 'fp-r');
    expect(stored).toMatchObject({ lastAlertedAt: '2025-06-04T00:00:00.000Z', lastAlertRunId: 'run-e', lastAlertKind: 'reopened', status: 'reopened' });
  });

  it('a retry after a failed publish sends the claimed events; a retry after a successful one sends none', async () => {
    const { d, stage, sent, failPublish } = deps();
    const tenantId = uniqueId('tenant');
    const t = '2025-06-01T00:00:00.000Z';
    await stage.put('run-x', 'deviceConfiguration', {
      alertMinSeverity: 'low',
      observations: [observation(tenantId, 'fp-1', 'run-x', t, 'unexpected_policy', 'low'), observation(tenantId, 'fp-2', 'run-x', t, 'missing_policy', 'high')],
    });
    failPublish(1);
    await expect(upsertFindingsTask(d, { runId: 'run-x', policyType: 'deviceConfiguration' })).rejects.toMatchObject({ name: 'TransientError' });
    expect(sent).toEqual([]);
    // The retry finds the observations applied: same counts as one attempt, and the events are owed.
    const retried = await upsertFindingsTask(d, { runId: 'run-x', policyType: 'deviceConfiguration' });
    expect(retried).toMatchObject({ findings_new: 2, findings_seen: 0, already_applied: 2 });
    expect(kinds(sent)).toEqual([
      ['Drift Finding Opened', 'fp-1'],
      ['Drift Finding Opened', 'fp-2'],
    ]);
    await upsertFindingsTask(d, { runId: 'run-x', policyType: 'deviceConfiguration' });
    expect(sent).toHaveLength(2);
  });
});
