/**
 * Starting a compare (docs/workflow.md), shared by the API, the scheduled dispatcher and the CLI: the
 * run is created `queued` with a conditional write on (tenant, identity hash) — a compare already
 * active answers with that run's id — then the workflow execution is started with the run id in its
 * input and a deterministic name. A failed start completes the run `failed` (`dispatch_failed`).
 *
 * A compare that holds the lock without a sign of life for longer than the stale timeout (its worker
 * died) is completed `failed` (`stale_run`) here, and the lock is taken once more: a dead run never
 * blocks its tenant and profile for longer than the timeout.
 */
import { randomUUID } from 'node:crypto';
import { canonicalHash } from '../domain/canonical.js';
import type { OperationRunRepository, ProfileRepository } from './ports/persistence.js';
import type { BaselineCompareContext } from './baseline-compare.js';
import type { WorkflowStarter } from './ports/workflow.js';
import { completeStaleRun, DEFAULT_STALE_RUN_TIMEOUT_MS, failUndispatchedRun } from './sweep-stale-runs.js';
import { NoActiveProfileError, ProfileNotFoundError, TenantNotAssignedError } from './ports/errors.js';

export interface StartCompareDeps {
  runs: OperationRunRepository;
  profiles: ProfileRepository;
  starter: WorkflowStarter;
  now: () => Date;
  newId?: () => string;
  /** A compare holding the lock without a sign of life for longer than this is stale (default 2 h). */
  staleAfterMs?: number;
}

export interface StartCompareRequest {
  tenantId: string;
  profileId: string;
  /** Compare against this snapshot instead of the profile's active one. */
  snapshotId?: string;
  /** A user id, or `system` for schedules. */
  initiator: string;
  /** Name of the execution; defaults to one derived from the run id. Schedules pass one per time window. */
  executionName?: string;
  /**
   * The inventory sync this compare follows (a sync that starts its compare when it completes): the
   * compare reads that sync's inventory at least, even while the index of completed runs and the
   * eventually consistent listings still show the one before.
   */
  afterInventorySyncRunId?: string;
}

export type StartCompareResult =
  | { started: true; runId: string; /** The stale run completed `failed` to make room for this one. */ replacedStaleRunId?: string }
  | { started: false; activeRunId: string };

/** The identity of a compare: at most one queued/running compare per (type, tenant, profile). */
export function compareIdentityHash(tenantId: string, profileId: string): string {
  return canonicalHash(['baseline_compare', tenantId, profileId]);
}

export async function startCompare(deps: StartCompareDeps, req: StartCompareRequest): Promise<StartCompareResult> {
  const profile = await deps.profiles.get(req.profileId);
  if (profile === undefined) throw new ProfileNotFoundError(req.profileId);
  if (profile.status !== 'active') throw new NoActiveProfileError(profile.id, profile.status);
  const assignment = await deps.profiles.getAssignment(profile.id, req.tenantId);
  if (assignment === undefined) throw new TenantNotAssignedError(profile.id, req.tenantId);

  const runId = (deps.newId ?? randomUUID)();
  const context: { baseline_compare: BaselineCompareContext } = {
    baseline_compare: {
      profile_id: profile.id,
      requested_snapshot_id: req.snapshotId ?? null,
      ...(req.afterInventorySyncRunId !== undefined ? { requested_inventory_sync_run_id: req.afterInventorySyncRunId } : {}),
    },
  };
  const createQueued = () =>
    deps.runs.createQueued({
      id: runId,
      tenantId: req.tenantId,
      workspaceId: profile.workspaceId,
      type: 'baseline_compare',
      identityHash: compareIdentityHash(req.tenantId, profile.id),
      initiator: req.initiator,
      createdAt: deps.now().toISOString(),
      context,
    });
  let created = await createQueued();
  let replacedStaleRunId: string | undefined;
  if (!created.created) {
    // The active run may be dead: complete it if stale, then try once more (a concurrent starter
    // may win the lock meanwhile; then its run is the active one).
    const stale = await completeStaleRun(deps, created.activeRunId, deps.staleAfterMs ?? DEFAULT_STALE_RUN_TIMEOUT_MS);
    if (stale !== 'completed' && stale !== 'already_completed') return { started: false, activeRunId: created.activeRunId };
    if (stale === 'completed') replacedStaleRunId = created.activeRunId;
    created = await createQueued();
    if (!created.created) return { started: false, activeRunId: created.activeRunId };
  }

  try {
    await deps.starter.start({ runId }, req.executionName ?? `compare-${runId}`);
  } catch (err) {
    await failUndispatchedRun(deps, { runId, what: 'workflow', context }, err);
  }
  return { started: true, runId, ...(replacedStaleRunId !== undefined ? { replacedStaleRunId } : {}) };
}
