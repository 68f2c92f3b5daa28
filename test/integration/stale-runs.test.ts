/**
 * Stale runs on DynamoDB Local: a compare whose worker died is completed `failed` (`stale_run`) by
 * the next start (exactly once, however many starters race) or by the sweep, and its lock is released.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { lockKeys } from '../../shared/adapters/dynamodb/keys.js';
import type { Repositories } from '../../shared/adapters/dynamodb/index.js';
import { DEFAULT_SEVERITY_MAPPING } from '../../shared/domain/severity.js';
import { compareIdentityHash, startCompare, type StartCompareDeps } from '../../shared/usecases/start-compare.js';
import { DEFAULT_STALE_RUN_TIMEOUT_MS, sweepStaleRuns } from '../../shared/usecases/sweep-stale-runs.js';
import { dynamoTestContext, testRepositories, uniqueId } from '../support/dynamodb.js';
import { profileRecord } from '../support/records.js';

async function activeProfile(repos: Repositories, tenantIds: string[]): Promise<string> {
  const profileId = uniqueId('profile');
  const at = '2026-01-01T00:00:00.000Z';
  await repos.profiles.create(profileRecord('ws-stale', { id: profileId, name: 'Stale test baseline', status: 'active', severityMapping: { ...DEFAULT_SEVERITY_MAPPING }, createdAt: at, updatedAt: at }));
  for (const tenantId of tenantIds) {
    await repos.profiles.assign({ profileId, tenantId, workspaceId: 'ws-stale', assignedAt: at, assignedBy: 'admin' });
  }
  return profileId;
}

function deps(repos: Repositories, clock: { now: Date }, started: string[]): StartCompareDeps {
  return {
    runs: repos.runs,
    profiles: repos.profiles,
    starter: { start: (input) => (started.push(input.runId), Promise.resolve()) },
    now: () => clock.now,
  };
}

describe('stale compare runs on DynamoDB Local', () => {
  it('exactly one of 8 racing starters replaces a dead run; the others get its run id', async () => {
    const repos = testRepositories();
    const tenantId = uniqueId('tenant');
    const profileId = await activeProfile(repos, [tenantId]);
    const clock = { now: new Date('2026-02-01T10:00:00.000Z') };
    const started: string[] = [];
    const first = await startCompare(deps(repos, clock, started), { tenantId, profileId, initiator: 'user-1' });
    if (!first.started) throw new Error('the first compare did not start');
    await repos.runs.markRunning(first.runId, '2026-02-01T10:00:01.000Z');
    // Its worker dies here: nothing completes the run.

    clock.now = new Date(Date.parse('2026-02-01T10:00:01.000Z') + DEFAULT_STALE_RUN_TIMEOUT_MS - 60_000);
    const blocked = await startCompare(deps(repos, clock, started), { tenantId, profileId, initiator: 'user-2' });
    expect(blocked).toEqual({ started: false, activeRunId: first.runId });

    clock.now = new Date(Date.parse('2026-02-01T10:00:01.000Z') + DEFAULT_STALE_RUN_TIMEOUT_MS + 60_000);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => startCompare(deps(repos, clock, started), { tenantId, profileId, initiator: `user-${i}` })),
    );
    const winners = results.filter((r) => r.started);
    expect(winners).toHaveLength(1);
    const winner = winners[0]!;
    if (!winner.started) throw new Error('unreachable');
    for (const r of results.filter((x) => !x.started)) expect(r).toEqual({ started: false, activeRunId: winner.runId });
    expect(started).toEqual([first.runId, winner.runId]);

    const dead = await repos.runs.get(first.runId);
    expect(dead).toMatchObject({ status: 'completed', outcome: 'failed' });
    expect(dead!.failureSummary).toEqual([expect.objectContaining({ code: 'stale_run', count: 1 })]);
    const { db, tables } = dynamoTestContext();
    const lock = await db.send(new GetCommand({ TableName: tables.operationRuns, Key: lockKeys.primary(tenantId, compareIdentityHash(tenantId, profileId)) }));
    expect(lock.Item?.runId).toBe(winner.runId);
  });

  it('the sweep completes dead runs of every tenant and leaves live ones alone', async () => {
    const repos = testRepositories();
    const dead = uniqueId('tenant');
    const live = uniqueId('tenant');
    const profileId = await activeProfile(repos, [dead, live]);
    // Lock times older than any other test uses keep their locks out of this sweep (one shared table).
    const clock = { now: new Date('1990-01-01T00:00:00.000Z') };
    const started: string[] = [];
    const deadRun = await startCompare(deps(repos, clock, started), { tenantId: dead, profileId, initiator: 'system' });
    clock.now = new Date(clock.now.getTime() + DEFAULT_STALE_RUN_TIMEOUT_MS + 1000);
    const liveRun = await startCompare(deps(repos, clock, started), { tenantId: live, profileId, initiator: 'system' });
    if (!deadRun.started || !liveRun.started) throw new Error('compares did not start');

    const swept = await sweepStaleRuns({ runs: repos.runs, now: () => clock.now });
    expect(swept.completed).toContain(deadRun.runId);
    expect(swept.completed).not.toContain(liveRun.runId);
    expect(swept.errors).toEqual([]);
    expect(await repos.runs.get(deadRun.runId)).toMatchObject({ status: 'completed', outcome: 'failed' });
    expect(await repos.runs.get(liveRun.runId)).toMatchObject({ status: 'queued' });

    // Two sweeps at once: neither completes the dead run again, nothing fails.
    const again = await Promise.all([sweepStaleRuns({ runs: repos.runs, now: () => clock.now }), sweepStaleRuns({ runs: repos.runs, now: () => clock.now })]);
    for (const s of again) {
      expect(s.completed).not.toContain(deadRun.runId);
      expect(s.errors).toEqual([]);
    }
    // A new compare for the dead tenant starts without a stale check (the lock is gone).
    const next = await startCompare(deps(repos, clock, started), { tenantId: dead, profileId, initiator: 'system' });
    expect(next).toMatchObject({ started: true });
    expect(next).not.toHaveProperty('replacedStaleRunId');
  });
});
