/**
 * Asking for a compare from the API: the profile must be the caller's, a named snapshot must be one of
 * the profile's complete snapshots; then the shared start use case creates the run (one active compare
 * per tenant and profile: a duplicate answers with the active run's id) and starts the workflow. A
 * started compare is recorded in the audit trail.
 */
import type { AuditRepository, OperationRunRepository, ProfileRepository, SnapshotRepository } from './ports/persistence.js';
import { startCompare } from './start-compare.js';
import { recordAudit, type ActorContext } from './audit-trail.js';
import { visibleProfile } from './manage-profiles.js';
import type { WorkflowStarter } from './ports/workflow.js';
import { CompareAlreadyActiveError, NotVisibleError, SnapshotNotCompleteError } from './ports/errors.js';

export interface RequestCompareDeps {
  profiles: ProfileRepository;
  snapshots: SnapshotRepository;
  runs: OperationRunRepository;
  audit: AuditRepository;
  starter: WorkflowStarter;
  now: () => Date;
  newId?: () => string;
}

/** Starts the compare or throws CompareAlreadyActiveError (with the active run's id). */
export async function requestCompare(
  deps: RequestCompareDeps,
  ctx: ActorContext,
  req: { tenantId: string; profileId: string; snapshotId?: string },
): Promise<{ runId: string }> {
  const profile = await visibleProfile(deps.profiles, ctx.workspaceId, req.profileId);
  if (req.snapshotId !== undefined) {
    const snapshot = await deps.snapshots.get(req.snapshotId);
    if (snapshot === undefined || snapshot.profileId !== profile.id) throw new NotVisibleError('snapshot', req.snapshotId);
    if (snapshot.status !== 'complete') throw new SnapshotNotCompleteError(snapshot.id, snapshot.status);
  }
  const result = await startCompare(
    { runs: deps.runs, profiles: deps.profiles, starter: deps.starter, now: deps.now, ...(deps.newId ? { newId: deps.newId } : {}) },
    { tenantId: req.tenantId, profileId: profile.id, initiator: ctx.actor, ...(req.snapshotId !== undefined ? { snapshotId: req.snapshotId } : {}) },
  );
  if (!result.started) throw new CompareAlreadyActiveError(req.tenantId, profile.id, result.activeRunId);
  await recordAudit(deps, ctx, {
    action: 'compare.started',
    tenantId: req.tenantId,
    profileId: profile.id,
    details: { runId: result.runId, ...(req.snapshotId !== undefined ? { snapshotId: req.snapshotId } : {}) },
  });
  return { runId: result.runId };
}
