import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FindingObservation } from '../../shared/domain/lifecycle.js';
import { CapacityMeter } from '../../shared/adapters/dynamodb/capacity.js';
import { DynamoCompareStageRepository } from '../../shared/adapters/dynamodb/compare-stage-repository.js';
import { DynamoGateway } from '../../shared/adapters/dynamodb/gateway.js';
import { dynamoTestContext, uniqueId } from '../support/dynamodb.js';

function observation(i: number, runId: string, padding: string): FindingObservation {
  return {
    tenantId: 'tenant-1',
    scopeKey: 'baseline_profile:p1',
    fingerprint: `fp-${i}`,
    recurrenceKey: `fp-${i}`,
    changeType: 'different_version',
    policyType: 'settingsCatalogPolicy',
    subjectKey: `settingsCatalogPolicy:policy ${i}`,
    displayName: `Policy ${i}`,
    severity: 'medium',
    evidence: {
      change_type: 'different_version',
      policy_type: 'settingsCatalogPolicy',
      subject_key: `settingsCatalogPolicy:policy ${i}`,
      display_name: `Policy ${i}`,
      baseline: { hash: 'a', fidelity: 'content', provenance: { snapshot_id: 's', captured_at: '2025-01-01T00:00:00.000Z' } },
      current: { hash: 'b', fidelity: 'content', provenance: { inventory_sync_run_id: 'i', observed_at: '2025-01-01T00:00:00.000Z', external_id: 'e' } },
      drifted_properties: [{ path: '/settings/x', kind: 'changed', baseline: padding, current: 'y' }],
      truncated: false,
      provenance: { baseline_profile_id: 'p1', baseline_snapshot_id: 's', compare_operation_run_id: runId, inventory_sync_run_id: 'i' },
    },
    evidenceFidelity: 'content',
    runId,
    observedAt: '2025-01-01T00:00:00.000Z',
  };
}

describe('CompareStageRepository on DynamoDB Local', () => {
  it('round-trips staged observations larger than one item, and answers undefined when nothing was staged', async () => {
    const { db, tables } = dynamoTestContext();
    const meter = new CapacityMeter();
    const stage = new DynamoCompareStageRepository(new DynamoGateway(db, meter), tables.operationRuns);
    const runId = uniqueId('run');
    // Random evidence values barely compress: about 800 KB staged, so more than one part.
    const staged = { observations: Array.from({ length: 400 }, (_, i) => observation(i, runId, randomBytes(1500).toString('base64'))) };

    const written = await stage.put(runId, 'settingsCatalogPolicy', staged);
    expect(written.parts).toBeGreaterThan(1);
    expect(await stage.get(runId, 'settingsCatalogPolicy')).toEqual(staged);
    expect(await stage.get(runId, 'deviceConfiguration')).toBeUndefined();

    // A retried compare replaces what was staged.
    const smaller = { observations: staged.observations.slice(0, 3) };
    expect((await stage.put(runId, 'settingsCatalogPolicy', smaller)).parts).toBe(1);
    expect(await stage.get(runId, 'settingsCatalogPolicy')).toEqual(smaller);
    expect(meter.totals().writeUnits).toBeGreaterThan(0);
  });
});
