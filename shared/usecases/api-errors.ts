/**
 * Errors of the API's use cases. Each has a stable `name` and `code` (the HTTP error mapper turns them
 * into problem+json). A resource the caller may not see raises the same `NotVisibleError` as one that
 * does not exist, with the same message: a caller never learns that another workspace's data exists.
 */
import { DomainError } from '../domain/errors.js';

/** Absent, or not visible to the caller (another workspace, a tenant outside the token). */
export class NotVisibleError extends DomainError {
  override readonly name = 'NotVisibleError';
  readonly code = 'not_found';
  readonly kind = 'not_found';
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} '${id}' was not found`);
  }
}

/** An Idempotency-Key sent again with a different request. */
export class IdempotencyKeyReusedError extends DomainError {
  override readonly name = 'IdempotencyKeyReusedError';
  readonly code = 'idempotency_key_reused';
  readonly kind = 'conflict';
  override readonly problem = { type: 'idempotency-key-reused', title: 'Idempotency key reused' };
  constructor(readonly key: string) {
    super(`the Idempotency-Key '${key.slice(0, 80)}' was already used for a different request: use a new key for a new request`);
  }
}

/** A tenant already assigned to the profile with a different scope override. */
export class AssignmentConflictError extends DomainError {
  override readonly name = 'AssignmentConflictError';
  readonly code = 'assignment_conflict';
  readonly kind = 'conflict';
  override readonly problem = { type: 'assignment-conflict', title: 'Assignment conflict' };
  constructor(
    readonly profileId: string,
    readonly tenantId: string,
  ) {
    super(`tenant '${tenantId}' is already assigned to profile '${profileId}' with another scope override: unassign it first to change the override`);
  }
}

/** A write to an archived profile (archived is final). */
export class ProfileArchivedError extends DomainError {
  override readonly name = 'ProfileArchivedError';
  readonly code = 'profile_archived';
  readonly kind = 'conflict';
  override readonly problem = { type: 'profile-archived', title: 'Profile archived' };
  constructor(readonly profileId: string) {
    super(`profile '${profileId}' is archived: an archived profile is final`);
  }
}

/** A compare asked for a snapshot that cannot be consumed (not complete). */
export class SnapshotNotCompleteError extends DomainError {
  override readonly name = 'SnapshotNotCompleteError';
  readonly code = 'snapshot_not_complete';
  readonly kind = 'conflict';
  override readonly problem = { type: 'snapshot-not-complete', title: 'Snapshot not complete' };
  constructor(
    readonly snapshotId: string,
    readonly status: string,
  ) {
    super(`snapshot '${snapshotId}' is ${status}, not complete: only complete snapshots can be compared`);
  }
}

/** A compare of the same tenant and profile is already queued or running. */
export class CompareAlreadyActiveError extends DomainError {
  override readonly name = 'CompareAlreadyActiveError';
  readonly code = 'compare_already_active';
  readonly kind = 'conflict';
  override readonly problem = { type: 'compare-already-active', title: 'Compare already active' };
  override problemExtensions(): Record<string, unknown> {
    return { activeRunId: this.activeRunId };
  }
  constructor(
    readonly tenantId: string,
    readonly profileId: string,
    readonly activeRunId: string,
  ) {
    super(`a compare of tenant '${tenantId}' against profile '${profileId}' is already active (run ${activeRunId}): wait for it to complete`);
  }
}
