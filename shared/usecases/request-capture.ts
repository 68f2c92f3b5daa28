/**
 * Asking for a baseline snapshot capture from the API: the profile must be the caller's and not
 * archived; the run id is chosen here (from the idempotency key when one is given), the queued run is
 * created (holding the profile and source's capture lock: another active capture answers 409 with its
 * run id) and answered at once (202) while the capture itself runs elsewhere: CaptureSnapshot invoked
 * asynchronously on AWS, the capture use case in the same process locally. The answered run always
 * exists; an invoke that is refused completes it `failed`. A retried request with the same key starts
 * nothing new.
 */
import { randomUUID } from 'node:crypto';
import type { CaptureStarter } from './ports/workflow.js';
import type { OperationRunRepository, ProfileRepository } from './ports/persistence.js';
import { recordAudit, type ActorContext, type AuditDeps } from './audit-trail.js';
import { idForIdempotencyKey, visibleProfile } from './manage-profiles.js';
import { CaptureAlreadyActiveError, IdempotencyKeyReusedError, ProfileArchivedError } from './ports/errors.js';
import { failUndispatchedRun } from './sweep-stale-runs.js';
import { openCaptureRun } from './capture-snapshot.js';

export interface RequestCaptureDeps extends AuditDeps {
  profiles: ProfileRepository;
  runs: OperationRunRepository;
  capture: CaptureStarter;
}

export async function requestCapture(
  deps: RequestCaptureDeps,
  ctx: ActorContext,
  req: { profileId: string; sourceTenantId: string; activate: boolean; idempotencyKey?: string },
): Promise<{ runId: string; replayed: boolean }> {
  const profile = await visibleProfile(deps.profiles, ctx.workspaceId, req.profileId);
  if (profile.status === 'archived') throw new ProfileArchivedError(profile.id);
  const runId = req.idempotencyKey !== undefined ? idForIdempotencyKey(ctx.workspaceId, 'capture', req.idempotencyKey) : (deps.newId ?? randomUUID)();
  if (req.idempotencyKey !== undefined) {
    const existing = await deps.runs.get(runId);
    if (existing !== undefined) {
      const sameRequest =
        existing.type === 'baseline_capture' &&
        existing.tenantId === req.sourceTenantId &&
        (existing.context.baseline_capture as { profile_id?: unknown } | undefined)?.profile_id === profile.id;
      if (!sameRequest) throw new IdempotencyKeyReusedError(req.idempotencyKey);
      return { runId, replayed: true };
    }
  }
  const opened = await openCaptureRun(deps.runs, { runId, profile, sourceTenantId: req.sourceTenantId, initiator: ctx.actor, createdAt: deps.now().toISOString() });
  if (!opened.created) throw new CaptureAlreadyActiveError(profile.id, opened.activeRunId);
  try {
    await deps.capture.start({ profileId: profile.id, sourceTenantId: req.sourceTenantId, initiator: ctx.actor, runId, activate: req.activate });
  } catch (err) {
    await failUndispatchedRun(deps, { runId, what: 'capture', context: opened.run.context }, err);
  }
  await recordAudit(deps, ctx, {
    action: 'snapshot.captured',
    tenantId: req.sourceTenantId,
    profileId: profile.id,
    details: { runId, activate: req.activate, ...(req.idempotencyKey ? { idempotencyKey: req.idempotencyKey } : {}) },
  });
  return { runId, replayed: false };
}
