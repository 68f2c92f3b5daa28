/**
 * Stale runs: a run whose worker died (a crashed Lambda, a timed-out or aborted execution that never
 * reached FailRun, a dispatch that died between taking the lock and starting the workflow) keeps its
 * active-run lock, and with it blocks every later run of the same (tenant, identity). A run that shows
 * no sign of life (created, started) for longer than the stale timeout is completed `failed` with the
 * failure code `stale_run`, which releases its lock in the same transaction.
 *
 * The timeout must exceed the longest time a healthy run can hold its lock: the BaselineCompare
 * execution timeout (1 hour by default; an execution stopped by it never runs FailRun) and the Lambda
 * limit of the sync and capture functions (15 minutes). The default is twice the execution timeout.
 */
import type { OperationRunRepository } from './ports/persistence.js';
import { DispatchFailedError } from './ports/errors.js';
import type { OperationRun, OperationRunType } from '../domain/model.js';

/** Default stale timeout: 2 hours (the BaselineCompare execution timeout is 1 hour). */
export const DEFAULT_STALE_RUN_TIMEOUT_MS = 2 * 3600 * 1000;

/** The failure code a stale run is completed with. */
export const STALE_RUN_CODE = 'stale_run';

export interface StaleRunDeps {
  runs: OperationRunRepository;
  now: () => Date;
}

export interface SweepStaleRunsDeps extends StaleRunDeps {
  /** How long a run may go without a sign of life (default DEFAULT_STALE_RUN_TIMEOUT_MS). */
  staleAfterMs?: number;
}

export interface SweepStaleRunsRequest {
  /** Only runs of these types (default every type). */
  types?: OperationRunType[];
  /** Most runs to complete in one sweep (default 100); the next sweep takes the rest. */
  limit?: number;
}

export interface SweepStaleRunsResult {
  /** Locks older than the timeout that were examined. */
  examined: number;
  /** Runs this sweep completed `failed` (`stale_run`). */
  completed: string[];
  /** Runs that finished on their own (or were completed by a concurrent sweep) meanwhile. */
  alreadyCompleted: string[];
  /** Locks of runs that showed a sign of life within the timeout (started recently): left alone. */
  alive: string[];
  /** Runs whose completion failed (the error message, never content); the next sweep tries again. */
  errors: { runId: string; message: string }[];
}

/** The latest sign of life of a run: when it started, or when it was created. */
export function lastSignOfLife(run: Pick<OperationRun, 'createdAt' | 'startedAt'>): string {
  return run.startedAt !== undefined && run.startedAt > run.createdAt ? run.startedAt : run.createdAt;
}

/** Whether a queued/running run is stale at `now` (a completed run never is). */
export function isStale(run: Pick<OperationRun, 'status' | 'createdAt' | 'startedAt'>, now: Date, staleAfterMs: number): boolean {
  if (run.status === 'completed') return false;
  const last = Date.parse(lastSignOfLife(run));
  if (Number.isNaN(last)) return true; // a run without a readable timestamp cannot prove it is alive
  return now.getTime() - last > staleAfterMs;
}

export type CompleteStaleResult = 'completed' | 'already_completed' | 'alive' | 'missing';

/**
 * Completes one run `failed` (`stale_run`) if it is still queued/running and stale. Safe to race:
 * the repository's completion is conditional, so of two callers exactly one completes the run.
 */
export async function completeStaleRun(deps: StaleRunDeps, runId: string, staleAfterMs: number): Promise<CompleteStaleResult> {
  const run = await deps.runs.get(runId);
  if (run === undefined) return 'missing';
  if (run.status === 'completed') return 'already_completed';
  const now = deps.now();
  if (!isStale(run, now, staleAfterMs)) return 'alive';
  const minutes = Math.round(staleAfterMs / 60_000);
  const result = await deps.runs.complete(runId, {
    outcome: 'failed',
    summaryCounts: run.summaryCounts,
    failureSummary: [
      ...run.failureSummary,
      {
        code: STALE_RUN_CODE,
        message: `the run showed no progress for more than ${minutes} minute(s) since ${lastSignOfLife(run)} (its worker stopped): completed as failed so that a new run can start`,
        count: 1,
      },
    ],
    context: { stale_run: { detected_at: now.toISOString(), timeout_seconds: Math.round(staleAfterMs / 1000) } },
    completedAt: now.toISOString(),
  });
  return result.completed ? 'completed' : 'already_completed';
}

/**
 * Completes every stale run (oldest lock first). Meant for the scheduled dispatcher (before it
 * starts a round) or a schedule of its own; running two sweeps at once is safe.
 */
export async function sweepStaleRuns(deps: SweepStaleRunsDeps, req: SweepStaleRunsRequest = {}): Promise<SweepStaleRunsResult> {
  const staleAfterMs = deps.staleAfterMs ?? DEFAULT_STALE_RUN_TIMEOUT_MS;
  const limit = req.limit ?? 100;
  const cutoff = new Date(deps.now().getTime() - staleAfterMs).toISOString();
  const locks = (await deps.runs.findStale(cutoff)).filter((l) => req.types === undefined || req.types.includes(l.type));
  const result: SweepStaleRunsResult = { examined: 0, completed: [], alreadyCompleted: [], alive: [], errors: [] };
  for (const lock of locks) {
    if (result.completed.length >= limit) break;
    result.examined += 1;
    try {
      const outcome = await completeStaleRun(deps, lock.runId, staleAfterMs);
      if (outcome === 'completed') result.completed.push(lock.runId);
      else if (outcome === 'alive') result.alive.push(lock.runId);
      else result.alreadyCompleted.push(lock.runId);
    } catch (err) {
      result.errors.push({ runId: lock.runId, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return result;
}

/**
 * Starting the work of a queued run failed (the workflow or the capture was not accepted): the run is
 * completed `failed` (`dispatch_failed`), so its lock is free and the run says why, and the caller gets
 * `DispatchFailedError` (503: try again).
 */
export async function failUndispatchedRun(
  deps: { runs: OperationRunRepository; now: () => Date },
  run: { runId: string; what: string; context: Record<string, unknown> },
  err: unknown,
): Promise<never> {
  const message = err instanceof Error ? err.message : String(err);
  await deps.runs.complete(run.runId, {
    outcome: 'failed',
    summaryCounts: {},
    failureSummary: [{ code: 'dispatch_failed', message: `the ${run.what} could not be started: ${message}`.slice(0, 500), count: 1 }],
    context: run.context,
    completedAt: deps.now().toISOString(),
  });
  throw new DispatchFailedError(run.runId, message);
}
