/**
 * The fleet view's records and what the export reads back on DynamoDB Local: one record per tenant of
 * (profile, snapshot), never replaced by an older compare, kept apart per snapshot; staged gaps
 * round-trip with their TTL as long as the run's; findings read by exact key.
 */
import { describe, expect, it } from 'vitest';
import { createDynamoRepositories } from '../../shared/adapters/dynamodb/index.js';
import { RUN_RETENTION_DAYS } from '../../shared/adapters/dynamodb/operation-run-repository.js';
import { DynamoGateway } from '../../shared/adapters/dynamodb/gateway.js';
import { CapacityMeter } from '../../shared/adapters/dynamodb/capacity.js';
import type { FleetCompareRecord } from '../../shared/usecases/ports/persistence.js';
import { dynamoTestContext, uniqueId } from '../support/dynamodb.js';

function record(over: Partial<FleetCompareRecord>): FleetCompareRecord {
  return {
    profileId: 'p',
    snapshotId: 's',
    tenantId: 't',
    runId: 'r',
    outcome: 'succeeded',
    completedAt: '2026-12-01T10:00:00.000Z',
    scopeTypes: ['deviceConfiguration'],
    comparedTypes: ['deviceConfiguration'],
    uncoveredTypes: [],
    proof: true,
    counts: { aligned: 3, aligned_meta: 0, gaps: 1 },
    ...over,
  };
}

describe('fleet records and staged gaps on DynamoDB Local', () => {
  it('keeps the newest compare per tenant, per profile and snapshot', async () => {
    const { db, tables } = dynamoTestContext();
    const repos = createDynamoRepositories({ db, tables });
    const profileId = uniqueId('profile');
    await repos.fleet.put(record({ profileId, tenantId: 't1', runId: 'new', completedAt: '2026-12-02T10:00:00.000Z' }));
    // A retried FinalizeRun of an older compare arrives late: ignored.
    await repos.fleet.put(record({ profileId, tenantId: 't1', runId: 'old', completedAt: '2026-12-01T10:00:00.000Z' }));
    await repos.fleet.put(record({ profileId, tenantId: 't2', runId: 'r2' }));
    await repos.fleet.put(record({ profileId, snapshotId: 'other', tenantId: 't1', runId: 'elsewhere' }));
    const listed = (await repos.fleet.list(profileId, 's')).sort((a, b) => (a.tenantId < b.tenantId ? -1 : 1));
    expect(listed.map((r) => `${r.tenantId}:${r.runId}`)).toEqual(['t1:new', 't2:r2']);
    expect(listed[0]).toEqual(record({ profileId, tenantId: 't1', runId: 'new', completedAt: '2026-12-02T10:00:00.000Z' }));
    expect((await repos.fleet.list(profileId, 'other')).map((r) => r.runId)).toEqual(['elsewhere']);
  });

  it('stages every gap with the observations, kept as long as the run', async () => {
    const { db, tables } = dynamoTestContext();
    const repos = createDynamoRepositories({ db, tables });
    const runId = uniqueId('run');
    const gaps = Array.from({ length: 150 }, (_, i) => ({
      reason: 'ambiguous_match' as const,
      policyType: 'deviceConfiguration' as const,
      subjectKey: `deviceConfiguration:dup ${i}`,
      displayName: `Dup ${i}`,
      baselineCount: 2,
      currentCount: 1,
    }));
    await repos.compareStage.put(runId, 'deviceConfiguration', { observations: [], gaps });
    expect((await repos.compareStage.get(runId, 'deviceConfiguration'))?.gaps).toEqual(gaps);
    const header = await new DynamoGateway(db, new CapacityMeter()).get(tables.operationRuns, { pk: `stage#${runId}#deviceConfiguration`, sk: 'header' });
    const days = ((header!.expiresAt as number) - Date.now() / 1000) / 86_400;
    expect(days).toBeGreaterThan(RUN_RETENTION_DAYS);
  });

  it('reads findings by exact key and leaves unknown fingerprints out', async () => {
    const { db, tables } = dynamoTestContext();
    const repos = createDynamoRepositories({ db, tables });
    expect(await repos.findings.getMany(uniqueId('tenant'), 'baseline_profile:p', ['nope-1', 'nope-2'])).toEqual([]);
    expect(await repos.findings.getMany(uniqueId('tenant'), 'baseline_profile:p', [])).toEqual([]);
  });
});
