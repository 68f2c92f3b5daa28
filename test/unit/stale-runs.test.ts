/**
 * Stale run detection and the start of a compare over a dead run, on an in-memory run store with the
 * same lock guarantees as the DynamoDB one (the DynamoDB Local version is in test/integration).
 */
import { describe, expect, it } from 'vitest';
import type {
  CompleteRunInput,
  CompleteRunResult,
  CreateQueuedResult,
  NewOperationRun,
  OperationRunRepository,
  ProfileRepository,
} from '../../shared/usecases/ports/persistence.js';
import type { BaselineProfile, OperationRun } from '../../shared/domain/model.js';
import { DEFAULT_SEVERITY_MAPPING } from '../../shared/domain/severity.js';
import { startCompare, type StartCompareDeps } from '../../shared/usecases/start-compare.js';
import { DEFAULT_STALE_RUN_TIMEOUT_MS, isStale, lastSignOfLife, sweepStaleRuns } from '../../shared/usecases/sweep-stale-runs.js';
import { profileRecord } from '../support/records.js';

class MemoryRuns implements Pick<OperationRunRepository, 'createQueued' | 'markRunning' | 'complete' | 'get' | 'findStale'> {
  readonly runs = new Map<string, OperationRun>();
  readonly locks = new Map<string, string>();

  createQueued(input: NewOperationRun): Promise<CreateQueuedResult> {
    const key = `${input.tenantId}|${input.identityHash}`;
    const held = this.locks.get(key);
    if (held !== undefined) return Promise.resolve({ created: false, activeRunId: held });
    const run: OperationRun = {
      ...input,
      status: 'queued',
      outcome: 'pending',
      summaryCounts: input.summaryCounts ?? {},
      failureSummary: [],
      context: input.context ?? {},
    };
    this.runs.set(run.id, run);
    this.locks.set(key, run.id);
    return Promise.resolve({ created: true, run });
  }
  markRunning(runId: string, startedAt: string): Promise<OperationRun> {
    const run = this.runs.get(runId)!;
    run.status = 'running';
    run.startedAt ??= startedAt;
    return Promise.resolve(run);
  }
  complete(runId: string, result: CompleteRunInput): Promise<CompleteRunResult> {
    const run = this.runs.get(runId)!;
    if (run.status === 'completed') return Promise.resolve({ completed: false, run });
    Object.assign(run, { status: 'completed', outcome: result.outcome, summaryCounts: result.summaryCounts, failureSummary: result.failureSummary, completedAt: result.completedAt });
    run.context = { ...run.context, ...result.context };
    const key = `${run.tenantId}|${run.identityHash}`;
    if (this.locks.get(key) === runId) this.locks.delete(key);
    return Promise.resolve({ completed: true, run });
  }
  get(runId: string): Promise<OperationRun | undefined> {
    return Promise.resolve(this.runs.get(runId));
  }
  findStale(olderThan: string) {
    return Promise.resolve(
      [...this.locks.values()]
        .map((id) => this.runs.get(id)!)
        .filter((r) => r.createdAt < olderThan)
        .map((r) => ({ runId: r.id, tenantId: r.tenantId, identityHash: r.identityHash, type: r.type, createdAt: r.createdAt, expiresAt: 0 })),
    );
  }
}

const profile: BaselineProfile = profileRecord('ws-1', { id: 'profile-1', name: 'Baseline', status: 'active', severityMapping: { ...DEFAULT_SEVERITY_MAPPING }, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' });

const profiles = {
  get: (id: string) => Promise.resolve(id === profile.id ? profile : undefined),
  getAssignment: (profileId: string, tenantId: string) =>
    Promise.resolve({ profileId, tenantId, workspaceId: 'ws-1', assignedAt: profile.createdAt, assignedBy: 'admin' }),
} as unknown as ProfileRepository;

function harness(start = '2026-03-01T10:00:00.000Z') {
  const runs = new MemoryRuns();
  let clock = new Date(start);
  const started: string[] = [];
  let ids = 0;
  const deps: StartCompareDeps = {
    runs: runs as unknown as OperationRunRepository,
    profiles,
    starter: { start: (input) => (started.push(input.runId), Promise.resolve()) },
    now: () => clock,
    newId: () => `run-${++ids}`,
  };
  return { runs, deps, started, advance: (ms: number) => (clock = new Date(clock.getTime() + ms)) };
}

const request = { tenantId: 'tenant-1', profileId: profile.id, initiator: 'user-1' };

describe('isStale and lastSignOfLife', () => {
  const now = new Date('2026-03-01T12:00:00.000Z');
  it('takes the later of createdAt and startedAt as the last sign of life', () => {
    expect(lastSignOfLife({ createdAt: '2026-03-01T09:00:00.000Z', startedAt: '2026-03-01T11:00:00.000Z' })).toBe('2026-03-01T11:00:00.000Z');
    expect(lastSignOfLife({ createdAt: '2026-03-01T09:00:00.000Z' })).toBe('2026-03-01T09:00:00.000Z');
  });
  it('calls a queued or running run stale only after the timeout, a completed run never', () => {
    const hour = 3600_000;
    expect(isStale({ status: 'running', createdAt: '2026-03-01T09:59:00.000Z' }, now, 2 * hour)).toBe(true);
    expect(isStale({ status: 'running', createdAt: '2026-03-01T10:00:00.000Z' }, now, 2 * hour)).toBe(false);
    expect(isStale({ status: 'queued', createdAt: '2026-03-01T08:00:00.000Z', startedAt: '2026-03-01T11:00:00.000Z' }, now, 2 * hour)).toBe(false);
    expect(isStale({ status: 'completed', createdAt: '2000-01-01T00:00:00.000Z' }, now, 2 * hour)).toBe(false);
    expect(isStale({ status: 'running', createdAt: 'not a date' }, now, 2 * hour)).toBe(true);
  });
  it('defaults to a timeout longer than the workflow execution timeout (1 hour)', () => {
    expect(DEFAULT_STALE_RUN_TIMEOUT_MS).toBeGreaterThan(3600_000);
  });
});

describe('startCompare over a dead run', () => {
  it('answers with the active run while it is within the timeout', async () => {
    const h = harness();
    const first = await startCompare(h.deps, request);
    expect(first).toEqual({ started: true, runId: 'run-1' });
    h.advance(DEFAULT_STALE_RUN_TIMEOUT_MS - 1000);
    expect(await startCompare(h.deps, request)).toEqual({ started: false, activeRunId: 'run-1' });
    expect(h.runs.runs.get('run-1')!.status).toBe('queued');
    expect(h.started).toEqual(['run-1']);
  });

  it('completes a run older than the timeout failed (stale_run) and starts a new one', async () => {
    const h = harness();
    await startCompare(h.deps, request);
    await h.runs.markRunning('run-1', '2026-03-01T10:00:05.000Z');
    h.advance(DEFAULT_STALE_RUN_TIMEOUT_MS + 10_000);
    const second = await startCompare(h.deps, request);
    expect(second).toEqual({ started: true, runId: 'run-2', replacedStaleRunId: 'run-1' });
    const dead = h.runs.runs.get('run-1')!;
    expect(dead).toMatchObject({ status: 'completed', outcome: 'failed' });
    expect(dead.failureSummary.map((f) => f.code)).toEqual(['stale_run']);
    expect(dead.context).toMatchObject({ stale_run: { timeout_seconds: DEFAULT_STALE_RUN_TIMEOUT_MS / 1000 } });
    expect(h.started).toEqual(['run-1', 'run-2']);
  });

  it('honours a shorter timeout given by the caller', async () => {
    const h = harness();
    await startCompare(h.deps, request);
    h.advance(61_000);
    expect(await startCompare({ ...h.deps, staleAfterMs: 60_000 }, request)).toMatchObject({ started: true, replacedStaleRunId: 'run-1' });
  });
});

describe('sweepStaleRuns', () => {
  it('completes only the runs past the timeout, and a second sweep finds nothing', async () => {
    const h = harness();
    await startCompare(h.deps, request);
    h.advance(DEFAULT_STALE_RUN_TIMEOUT_MS + 1);
    await startCompare(h.deps, { ...request, tenantId: 'tenant-2' });
    const swept = await sweepStaleRuns({ runs: h.deps.runs, now: h.deps.now });
    expect(swept).toEqual({ examined: 1, completed: ['run-1'], alreadyCompleted: [], alive: [], errors: [] });
    expect(h.runs.runs.get('run-2')!.status).toBe('queued');
    expect((await sweepStaleRuns({ runs: h.deps.runs, now: h.deps.now })).completed).toEqual([]);
  });

  it('leaves a run that started recently although its lock is old', async () => {
    const h = harness();
    await startCompare(h.deps, request);
    h.advance(DEFAULT_STALE_RUN_TIMEOUT_MS + 1);
    await h.runs.markRunning('run-1', h.deps.now().toISOString());
    const swept = await sweepStaleRuns({ runs: h.deps.runs, now: h.deps.now });
    expect(swept.alive).toEqual(['run-1']);
    expect(h.runs.runs.get('run-1')!.status).toBe('running');
  });

  it('filters by type and stops at the limit', async () => {
    const h = harness();
    for (const t of ['a', 'b', 'c']) await startCompare(h.deps, { ...request, tenantId: `tenant-${t}` });
    h.advance(DEFAULT_STALE_RUN_TIMEOUT_MS + 1);
    expect((await sweepStaleRuns({ runs: h.deps.runs, now: h.deps.now }, { types: ['inventory_sync'] })).examined).toBe(0);
    expect((await sweepStaleRuns({ runs: h.deps.runs, now: h.deps.now }, { limit: 2 })).completed).toHaveLength(2);
    expect((await sweepStaleRuns({ runs: h.deps.runs, now: h.deps.now })).completed).toHaveLength(1);
  });
});
