/**
 * The scheduled compare round (docs/workflow.md, "Starting a compare"): every
 * assignment of every active profile gets one compare per schedule window, started through the same
 * `startCompare` as the API and the CLI, with an execution name derived from (tenant, profile, window
 * start). A repeated trigger in the same window therefore starts nothing new:
 *
 * - a compare of the window that is still active answers through the run lock (`alreadyActive`);
 * - a compare of the window that already finished is recognised from the tenant's runs before anything
 *   is written (`alreadyStartedInWindow`);
 * - should both checks be passed by a race, the workflow refuses the duplicate execution name
 *   (`ExecutionAlreadyExists` on Step Functions and on the local runner), also `alreadyStartedInWindow`.
 *
 * Assignments are dispatched with bounded concurrency; one assignment's failure is counted and
 * reported, never aborts the round.
 */
import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import type { BaselineProfile, BaselineTenantAssignment, OperationRun } from '../domain/model.js';
import { startCompare } from './start-compare.js';
import { sweepStaleRuns } from './sweep-stale-runs.js';
import type { ActiveProfileSource, OperationRunRepository, ProfileRepository } from './ports/persistence.js';
import type { InventorySyncTrigger, WorkflowStarter } from './ports/workflow.js';
import { sweepExpiredAcceptances, type ExpirySweepDeps } from './acceptance-ends.js';
import { DispatchFailedError, InvalidDispatchRequestError } from './ports/errors.js';

export interface DispatchDeps {
  profiles: ProfileRepository;
  activeProfiles: ActiveProfileSource;
  runs: OperationRunRepository;
  starter: WorkflowStarter;
  now: () => Date;
  /**
   * The expiry sweep of accepted deviations (every round, for every assigned tenant): acceptances past
   * their expiry are reopened even for tenants no compare looks at. Absent: no sweep.
   */
  acceptances?: Omit<ExpirySweepDeps, 'now'>;
  /** Needed only when a round asks for a sync before each compare. */
  sync?: InventorySyncTrigger;
  /** Assignments dispatched at once (default 8). */
  concurrency?: number;
  /** Stale-run timeout of the sweep that opens each round (default: the sweep's own). */
  staleAfterMs?: number;
  newId?: () => string;
}

export interface DispatchRequest {
  /** When the schedule fired (the EventBridge Scheduler event's `time`), ISO 8601. */
  scheduledAt: string;
  /** Length of a schedule window; the window is `scheduledAt` rounded down to a multiple of it (epoch based). */
  windowMinutes: number;
  /** Sync each tenant's inventory first; the sync then starts the compare. */
  syncBeforeCompare?: boolean;
  /** Default `system`. */
  initiator?: string;
}

export type AssignmentDispatchStatus = 'started' | 'sync_requested' | 'already_active' | 'already_started_in_window' | 'failed';

export interface AssignmentDispatch {
  tenantId: string;
  profileId: string;
  workspaceId: string;
  executionName: string;
  status: AssignmentDispatchStatus;
  /** The run started (started), the active one (already_active), the window's one (already_started_in_window, when known). */
  runId?: string;
  /** Why it failed (failed only): the error's name and message. */
  error?: string;
}

export interface DispatchResult {
  windowStart: string;
  windowEnd: string;
  /** Assignments of active profiles considered in this round. */
  assignments: number;
  /** Compares started now (or, with a sync before compare, syncs requested that will start them). */
  started: number;
  /** Of `started`: syncs requested (sync before compare). */
  syncRequested: number;
  alreadyActive: number;
  alreadyStartedInWindow: number;
  failed: number;
  /** Dead runs (no sign of life for longer than the stale timeout) completed `failed` before the round. */
  staleRunsCompleted: number;
  /** Accepted deviations whose acceptance expired, reopened by this round's sweep. */
  acceptancesExpired: number;
  results: AssignmentDispatch[];
}


export const DISPATCH_INITIATOR = 'system';
const DEFAULT_CONCURRENCY = 8;
/** How far back (pages of runs, newest first) a tenant's runs are read to find this window's compare. */
const WINDOW_LOOKUP_PAGES = 4;
const WINDOW_LOOKUP_PAGE_SIZE = 25;

/** The id of a round's expiry sweep (its audit entries' correlation id, its events' claim). */
export function acceptanceSweepId(windowStart: Date): string {
  return `acceptance-sweep-${windowStart.toISOString()}`;
}

/** The schedule window that `scheduledAt` falls in: [start, end), aligned on multiples of the window since the epoch. */
export function scheduleWindow(scheduledAt: string, windowMinutes: number): { start: Date; end: Date } {
  const at = Date.parse(scheduledAt);
  if (Number.isNaN(at)) throw new InvalidDispatchRequestError(`scheduledAt is not a date: ${scheduledAt}`);
  if (!Number.isInteger(windowMinutes) || windowMinutes < 1 || windowMinutes > 31 * 24 * 60) {
    throw new InvalidDispatchRequestError(`windowMinutes must be a whole number of minutes from 1 to 44640, not ${windowMinutes}`);
  }
  const ms = windowMinutes * 60_000;
  const start = Math.floor(at / ms) * ms;
  return { start: new Date(start), end: new Date(start + ms) };
}

/**
 * The execution name of the scheduled compare of (tenant, profile) in the window starting at
 * `windowStart`: `sched-<window start, UTC minute>-<40 hex of SHA-256(tenant, profile, window start)>`
 * (61 characters; Step Functions allows 80 of [A-Za-z0-9_-]).
 */
export function scheduledExecutionName(tenantId: string, profileId: string, windowStart: Date): string {
  const iso = windowStart.toISOString();
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
  const digest = createHash('sha256').update(JSON.stringify([tenantId, profileId, iso])).digest('hex').slice(0, 40);
  return `sched-${stamp}-${digest}`;
}

/** What the dispatcher records in a run's context (`context.dispatch`), so a later trigger can find it. */
export interface DispatchContext {
  execution_name: string;
  window_start: string;
  scheduled_at: string;
}

function isExecutionAlreadyExists(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExecutionAlreadyExists' || (err as { code?: string }).code === 'ExecutionAlreadyExists');
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 500) : String(err).slice(0, 500);
}

/** The runs repository, with `context.dispatch` added to every run it creates. */
function recordingDispatch(runs: OperationRunRepository, dispatch: DispatchContext): OperationRunRepository {
  return new Proxy(runs, {
    get(target, prop) {
      if (prop === 'createQueued') {
        return (run: Parameters<OperationRunRepository['createQueued']>[0]) =>
          target.createQueued({ ...run, context: { ...(run.context ?? {}), dispatch } });
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function profileOf(run: OperationRun): string | undefined {
  const ctx = run.context.baseline_compare as { profile_id?: unknown } | undefined;
  return typeof ctx?.profile_id === 'string' ? ctx.profile_id : undefined;
}

/**
 * The tenant's compare of this window, if one was already started: a run carrying the execution name,
 * or (a compare started by the sync before compare, which records no dispatch context) a run of the
 * same profile by the same initiator created inside the window.
 */
async function windowRun(
  runs: OperationRunRepository,
  a: { tenantId: string; profileId: string; executionName: string; initiator: string },
  window: { start: Date; end: Date },
): Promise<OperationRun | undefined> {
  const startIso = window.start.toISOString();
  const endIso = window.end.toISOString();
  let cursor: string | undefined;
  for (let page = 0; page < WINDOW_LOOKUP_PAGES; page++) {
    const listed = await runs.listByTenant(a.tenantId, { type: 'baseline_compare', limit: WINDOW_LOOKUP_PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    for (const run of listed.items) {
      const dispatch = run.context.dispatch as Partial<DispatchContext> | undefined;
      if (dispatch?.execution_name === a.executionName) return run;
      if (
        dispatch === undefined &&
        run.initiator === a.initiator &&
        profileOf(run) === a.profileId &&
        run.createdAt >= startIso &&
        run.createdAt < endIso
      ) {
        return run;
      }
    }
    const oldest = listed.items.at(-1);
    // Newest first: once a page reaches before the window, older pages cannot hold this window's run.
    if (listed.cursor === undefined || oldest === undefined || oldest.createdAt < startIso) return undefined;
    cursor = listed.cursor;
  }
  return undefined;
}

async function dispatchOne(
  deps: DispatchDeps,
  assignment: BaselineTenantAssignment,
  profile: BaselineProfile,
  window: { start: Date; end: Date },
  req: DispatchRequest,
  initiator: string,
): Promise<AssignmentDispatch> {
  const executionName = scheduledExecutionName(assignment.tenantId, profile.id, window.start);
  const base = { tenantId: assignment.tenantId, profileId: profile.id, workspaceId: profile.workspaceId, executionName };
  try {
    const earlier = await windowRun(deps.runs, { ...base, initiator }, window);
    if (earlier !== undefined) return { ...base, status: 'already_started_in_window', runId: earlier.id };

    if (req.syncBeforeCompare) {
      if (deps.sync === undefined) throw new InvalidDispatchRequestError('a sync before compare was asked for, but no inventory sync is configured');
      await deps.sync.requestSync({
        tenantId: assignment.tenantId,
        workspaceId: profile.workspaceId,
        initiator,
        thenCompare: { profileId: profile.id, executionName },
      });
      return { ...base, status: 'sync_requested' };
    }

    let duplicateName = false;
    const starter: WorkflowStarter = {
      start: (input, name) =>
        deps.starter.start(input, name).catch((err: unknown) => {
          duplicateName = isExecutionAlreadyExists(err);
          throw err;
        }),
    };
    const dispatch: DispatchContext = { execution_name: executionName, window_start: window.start.toISOString(), scheduled_at: req.scheduledAt };
    try {
      const result = await startCompare(
        { runs: recordingDispatch(deps.runs, dispatch), profiles: deps.profiles, starter, now: deps.now, ...(deps.newId ? { newId: deps.newId } : {}) },
        { tenantId: assignment.tenantId, profileId: profile.id, initiator, executionName },
      );
      return result.started ? { ...base, status: 'started', runId: result.runId } : { ...base, status: 'already_active', runId: result.activeRunId };
    } catch (err) {
      // The workflow already has this window's execution: nothing new was started.
      if (err instanceof DispatchFailedError && duplicateName) return { ...base, status: 'already_started_in_window' };
      throw err;
    }
  } catch (err) {
    return { ...base, status: 'failed', error: describe(err) };
  }
}

/** One scheduled round: a compare for every assignment of every active profile (see the module comment). */
export async function dispatchCompares(deps: DispatchDeps, req: DispatchRequest): Promise<DispatchResult> {
  const window = scheduleWindow(req.scheduledAt, req.windowMinutes);
  if (req.syncBeforeCompare && deps.sync === undefined) {
    throw new InvalidDispatchRequestError('a sync before compare was asked for, but no inventory sync is configured');
  }
  const initiator = req.initiator ?? DISPATCH_INITIATOR;
  const limit = pLimit(Math.max(1, deps.concurrency ?? DEFAULT_CONCURRENCY));

  // Dead runs first: their locks would otherwise keep this round's compares from starting.
  const sweep = await sweepStaleRuns({ runs: deps.runs, now: deps.now, ...(deps.staleAfterMs !== undefined ? { staleAfterMs: deps.staleAfterMs } : {}) }).catch(
    () => undefined, // a failed sweep is retried by the next round; startCompare also frees a stale lock it meets
  );

  const profiles = (await deps.activeProfiles.listActiveProfiles()).filter((p) => p.status === 'active');
  const work: Promise<AssignmentDispatch>[] = [];
  const listingFailures: AssignmentDispatch[] = [];
  const assignedTenants: { tenantId: string; workspaceId: string }[] = [];
  for (const profile of profiles) {
    let assignments: BaselineTenantAssignment[];
    try {
      assignments = await deps.profiles.listAssignmentsByProfile(profile.id);
    } catch (err) {
      // The profile's assignments are unknown: counted as one failure, the round goes on.
      listingFailures.push({ tenantId: '*', profileId: profile.id, workspaceId: profile.workspaceId, executionName: '', status: 'failed', error: describe(err) });
      continue;
    }
    for (const assignment of assignments) {
      assignedTenants.push({ tenantId: assignment.tenantId, workspaceId: assignment.workspaceId });
      work.push(limit(() => dispatchOne(deps, assignment, profile, window, req, initiator)));
    }
  }
  // Acceptances past their expiry end now, also for tenants no compare of this round reaches; a
  // compare that sees the same finding afterwards finds it reopened and only refreshes it.
  const expiry = deps.acceptances
    ? await sweepExpiredAcceptances(
        { ...deps.acceptances, now: deps.now },
        { tenants: assignedTenants, sweepId: acceptanceSweepId(window.start) },
      ).catch(() => undefined) // retried by the next round
    : undefined;
  const results = [...(await Promise.all(work)), ...listingFailures];
  const count = (s: AssignmentDispatchStatus) => results.filter((r) => r.status === s).length;
  return {
    windowStart: window.start.toISOString(),
    windowEnd: window.end.toISOString(),
    assignments: work.length,
    started: count('started') + count('sync_requested'),
    syncRequested: count('sync_requested'),
    alreadyActive: count('already_active'),
    alreadyStartedInWindow: count('already_started_in_window'),
    failed: count('failed'),
    staleRunsCompleted: sweep?.completed.length ?? 0,
    acceptancesExpired: expiry?.expired ?? 0,
    results,
  };
}
