import { describe, expect, it } from 'vitest';
import { RunAlreadyCompletedError, RecordNotFoundError } from '../../shared/usecases/ports/errors.js';
import { lockKeys, runKeys } from '../../shared/adapters/dynamodb/keys.js';
import type { NewOperationRun } from '../../shared/usecases/ports/persistence.js';
import { RUN_RETENTION_DAYS } from '../../shared/adapters/dynamodb/operation-run-repository.js';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoTestContext, testRepositories, uniqueId } from '../support/dynamodb.js';

function newRun(tenantId: string, overrides: Partial<NewOperationRun> = {}): NewOperationRun {
  return {
    id: uniqueId('run'),
    tenantId,
    type: 'baseline_compare',
    identityHash: 'compare-identity-1',
    initiator: 'user-1',
    createdAt: '2025-03-01T10:00:00.000Z',
    ...overrides,
  };
}

describe('OperationRunRepository on DynamoDB Local', () => {
  it('creates exactly one run when 12 starters race on one (tenant, identityHash)', async () => {
    const { runs } = testRepositories();
    const tenantId = uniqueId('tenant');
    const attempts = Array.from({ length: 12 }, () => newRun(tenantId));
    const results = await Promise.all(attempts.map((r) => runs.createQueued(r)));

    const created = results.filter((r) => r.created);
    expect(created).toHaveLength(1);
    const winner = created[0]!;
    if (!winner.created) throw new Error('unreachable');
    for (const r of results.filter((x) => !x.created)) {
      expect(r).toEqual({ created: false, activeRunId: winner.run.id });
    }
    // Only the winner's run record exists.
    const stored = await Promise.all(attempts.map((r) => runs.get(r.id)));
    expect(stored.filter((s) => s !== undefined).map((s) => s.id)).toEqual([winner.run.id]);
    expect(stored.find((s) => s !== undefined)).toMatchObject({ status: 'queued', outcome: 'pending' });
  });

  it('lets another identity of the same tenant run at the same time', async () => {
    const { runs } = testRepositories();
    const tenantId = uniqueId('tenant');
    const a = await runs.createQueued(newRun(tenantId, { identityHash: 'identity-a' }));
    const b = await runs.createQueued(newRun(tenantId, { identityHash: 'identity-b' }));
    expect(a.created).toBe(true);
    expect(b.created).toBe(true);
  });

  it('moves status and outcome only forward and releases the lock on completion', async () => {
    const { runs } = testRepositories();
    const { db, tables } = dynamoTestContext();
    const tenantId = uniqueId('tenant');
    const run = newRun(tenantId);
    expect((await runs.createQueued(run)).created).toBe(true);

    const running = await runs.markRunning(run.id, '2025-03-01T10:00:05.000Z');
    expect(running).toMatchObject({ status: 'running', startedAt: '2025-03-01T10:00:05.000Z' });
    // A retried markRunning keeps the first start time.
    expect((await runs.markRunning(run.id, '2025-03-01T10:09:00.000Z')).startedAt).toBe('2025-03-01T10:00:05.000Z');
    await runs.setContextEntry(run.id, 'scope', { policy_types: ['deviceConfiguration'] });

    const done = await runs.complete(run.id, {
      outcome: 'succeeded',
      summaryCounts: { total: 1, processed: 1 },
      failureSummary: [],
      context: { baseline_compare: { coverage: { proof: true } } },
      completedAt: '2025-03-01T10:05:00.000Z',
    });
    expect(done.completed).toBe(true);
    expect(done.run).toMatchObject({
      status: 'completed',
      outcome: 'succeeded',
      completedAt: '2025-03-01T10:05:00.000Z',
      summaryCounts: { total: 1, processed: 1 },
      context: { scope: { policy_types: ['deviceConfiguration'] }, baseline_compare: { coverage: { proof: true } } },
    });

    // Completing again (a retried FinalizeRun or a late FailRun) changes nothing.
    const again = await runs.complete(run.id, {
      outcome: 'failed',
      summaryCounts: {},
      failureSummary: [{ code: 'late', message: 'late', count: 1 }],
      context: {},
      completedAt: '2025-03-01T11:00:00.000Z',
    });
    expect(again.completed).toBe(false);
    expect(again.run.outcome).toBe('succeeded');
    await expect(runs.markRunning(run.id, '2025-03-01T12:00:00.000Z')).rejects.toBeInstanceOf(RunAlreadyCompletedError);
    await expect(runs.setContextEntry(run.id, 'x', 1)).rejects.toBeInstanceOf(RunAlreadyCompletedError);

    // Kept 90 days after completion (TTL attribute), and the lock is gone: a new run can start.
    const raw = await db.send(new GetCommand({ TableName: tables.operationRuns, Key: runKeys.primary(run.id) }));
    expect(raw.Item?.expiresAt).toBe(Date.parse('2025-03-01T10:05:00.000Z') / 1000 + RUN_RETENTION_DAYS * 86_400);
    const lock = await db.send(new GetCommand({ TableName: tables.operationRuns, Key: lockKeys.primary(tenantId, run.identityHash) }));
    expect(lock.Item).toBeUndefined();
    expect((await runs.createQueued(newRun(tenantId))).created).toBe(true);
  });

  it('refuses to complete or start a run that does not exist', async () => {
    const { runs } = testRepositories();
    await expect(runs.markRunning(uniqueId('run'), '2025-03-01T10:00:00.000Z')).rejects.toBeInstanceOf(RecordNotFoundError);
    await expect(
      runs.complete(uniqueId('run'), { outcome: 'failed', summaryCounts: {}, failureSummary: [], context: {}, completedAt: '2025-03-01T10:00:00.000Z' }),
    ).rejects.toBeInstanceOf(RecordNotFoundError);
  });

  it('lists a tenant runs newest first, by type, across pages, and finds the latest completed sync', async () => {
    const { runs } = testRepositories();
    const tenantId = uniqueId('tenant');
    const created: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const type = i % 2 === 0 ? 'inventory_sync' : 'baseline_compare';
      const run = newRun(tenantId, { type, identityHash: `identity-${i}`, createdAt: `2025-03-0${i + 1}T08:00:00.000Z` });
      expect((await runs.createQueued(run)).created).toBe(true);
      created.push(run.id);
    }
    // Complete two syncs; the later completion is the latest even though it was created earlier.
    await runs.complete(created[2]!, { outcome: 'succeeded', summaryCounts: {}, failureSummary: [], context: {}, completedAt: '2025-03-09T00:00:00.000Z' });
    await runs.complete(created[4]!, { outcome: 'partially_succeeded', summaryCounts: {}, failureSummary: [], context: {}, completedAt: '2025-03-08T00:00:00.000Z' });

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await runs.listByTenant(tenantId, { limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((r) => r.id));
      cursor = page.cursor;
      pages += 1;
    } while (cursor !== undefined);
    expect(seen).toEqual([...created].reverse());
    expect(pages).toBe(3);

    const syncs = await runs.listByTenant(tenantId, { limit: 10, type: 'inventory_sync' });
    expect(syncs.items.map((r) => r.id)).toEqual([created[6], created[4], created[2], created[0]]);
    expect(syncs.cursor).toBeUndefined();

    expect((await runs.latestCompleted(tenantId, 'inventory_sync'))?.id).toBe(created[2]);
    expect(await runs.latestCompleted(tenantId, 'baseline_capture')).toBeUndefined();
  });

  it('finds runs whose lock is older than a threshold so they can be completed failed', async () => {
    const { runs } = testRepositories();
    const tenantId = uniqueId('tenant');
    const old = newRun(tenantId, { identityHash: 'stale', createdAt: '2000-01-01T00:00:00.000Z' });
    const fresh = newRun(tenantId, { identityHash: 'fresh', createdAt: '2000-01-01T05:00:00.000Z' });
    await runs.createQueued(old);
    await runs.createQueued(fresh);
    await runs.markRunning(old.id, '2000-01-01T00:00:10.000Z');

    const stale = (await runs.findStale('2000-01-01T01:00:00.000Z')).filter((l) => l.tenantId === tenantId);
    expect(stale).toEqual([
      expect.objectContaining({ runId: old.id, identityHash: 'stale', startedAt: '2000-01-01T00:00:10.000Z', type: 'baseline_compare' }),
    ]);
    await runs.complete(old.id, {
      outcome: 'failed',
      summaryCounts: {},
      failureSummary: [{ code: 'stale_run', message: 'no progress', count: 1 }],
      context: {},
      completedAt: '2000-01-02T00:00:00.000Z',
    });
    expect((await runs.findStale('2000-01-01T01:00:00.000Z')).filter((l) => l.tenantId === tenantId)).toEqual([]);
  });
});
