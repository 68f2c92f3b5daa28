/**
 * The errors of the use cases and of the ports they call, in one list: persistence first, then the
 * workflow's, the API's, paged inventory and the dispatcher. Each has a stable `name` (what
 * Retry/Catch match on), a stable snake_case `code` and a `kind` (the HTTP status and whether it is
 * retried: `shared/domain/errors.ts`). They say which record, never its content.
 */
import { DomainError, type ProblemHints } from '../../domain/errors.js';

/** A conditional write lost: the record changed (or does not exist) as the condition expected. */
export class RecordNotFoundError extends DomainError {
  override readonly name = 'RecordNotFoundError';
  readonly code = 'not_found';
  readonly kind = 'not_found';
  override get problemDetail(): string {
    return `${this.entity} '${this.id}' was not found`;
  }
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} '${id}' does not exist`);
  }
}

/** A create of a record whose id already exists (ids are never reused). */
export class RecordAlreadyExistsError extends DomainError {
  override readonly name = 'RecordAlreadyExistsError';
  readonly code = 'already_exists';
  readonly kind = 'conflict';
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} '${id}' already exists`);
  }
}

/** Items were written to (or a completion asked of) a snapshot that is no longer `building`. */
export class SnapshotNotBuildingError extends DomainError {
  override readonly name = 'SnapshotNotBuildingError';
  readonly code = 'snapshot_not_building';
  readonly kind = 'conflict';
  override readonly problem = { type: 'snapshot-not-building', title: 'Snapshot not building' };
  constructor(
    readonly snapshotId: string,
    readonly status: string | undefined,
  ) {
    super(
      `snapshot '${snapshotId}' is ${status === undefined ? 'missing' : `'${status}'`}: only a building snapshot takes items; a complete snapshot is immutable`,
    );
  }
}

/** A snapshot item would overwrite a different item stored under the same subject key. */
export class SnapshotItemConflictError extends DomainError {
  override readonly name = 'SnapshotItemConflictError';
  readonly code = 'snapshot_item_conflict';
  readonly kind = 'internal';
  constructor(
    readonly snapshotId: string,
    readonly subjectKeys: string[],
  ) {
    super(
      `snapshot '${snapshotId}' already holds a different item for ${subjectKeys.length} subject key(s) (${subjectKeys.slice(0, 5).join(', ')}): ` +
        'pass every subject of a policy type in one call so duplicates become one ambiguous marker',
    );
  }
}

/** A run that is already completed was asked to move (status and outcome only move forward). */
export class RunAlreadyCompletedError extends DomainError {
  override readonly name = 'RunAlreadyCompletedError';
  readonly code = 'run_already_completed';
  readonly kind = 'conflict';
  override readonly problem = { type: 'run-completed', title: 'Run already completed' };
  constructor(readonly runId: string) {
    super(`operation run '${runId}' is already completed`);
  }
}

/** A profile status move outside draft <-> active -> archived, or any change to an archived profile. */
export class ProfileStatusTransitionError extends DomainError {
  override readonly name = 'ProfileStatusTransitionError';
  readonly code = 'profile_status_transition_refused';
  readonly kind = 'conflict';
  override readonly problem = { type: 'profile-status-transition', title: 'Profile status transition refused' };
  constructor(
    readonly profileId: string,
    readonly from: string | undefined,
    readonly to: string,
  ) {
    super(
      from === 'archived'
        ? `profile '${profileId}' is archived: an archived profile is final`
        : `profile '${profileId}' cannot move from '${from ?? 'unknown'}' to '${to}' (allowed: draft <-> active, active -> archived)`,
    );
  }
}

/** An optimistic-concurrency write kept losing to concurrent writers. */
export class ConcurrentUpdateError extends DomainError {
  override readonly name = 'ConcurrentUpdateError';
  readonly code = 'concurrent_update';
  readonly kind = 'conflict';
  override readonly problem = { type: 'concurrent-update', title: 'Concurrent update' };
  constructor(
    readonly entity: string,
    readonly id: string,
    readonly attempts: number,
  ) {
    super(`${entity} '${id}' changed concurrently ${attempts} times in a row: retry the operation`);
  }
}

/** A listing cursor that this listing did not produce. */
export class InvalidCursorError extends DomainError {
  override readonly name = 'InvalidCursorError';
  readonly code = 'invalid_cursor';
  readonly kind = 'invalid';
  override readonly problem = { type: 'invalid-cursor', title: 'Invalid cursor', path: 'query.cursor' };
  constructor() {
    super('the cursor is not valid for this listing: start again without a cursor');
  }
}

/** An id that cannot be part of a composite key (it holds the key separator `#`, or is empty). */
export class InvalidKeyPartError extends DomainError {
  override readonly name = 'InvalidKeyPartError';
  readonly code = 'invalid_key_part';
  readonly kind = 'invalid';
  override readonly problem: ProblemHints;
  constructor(
    readonly field: string,
    readonly value: string,
  ) {
    super(`${field} must be non-empty and must not contain '#': '${value.slice(0, 80)}'`);
    this.problem = { path: field };
  }
}

/** A batch request still had unprocessed items after every retry (sustained throttling). */
export class UnprocessedItemsError extends DomainError {
  override readonly name = 'UnprocessedItemsError';
  readonly code = 'unprocessed_items';
  readonly kind = 'transient';
  constructor(
    readonly operation: string,
    readonly remaining: number,
  ) {
    super(`${operation}: ${remaining} item(s) still unprocessed after retries`);
  }
}

/**
 * The names (or `code`s) of adapter failures worth retrying: AWS throttling and service faults, a
 * transaction in progress, a timeout or a reset connection. The one list for the API (503 with
 * `Retry-After`) and the workflow (renamed `TransientError`, which the shared Retry policy matches).
 */
export const TRANSIENT_ERROR_NAMES: ReadonlySet<string> = new Set([
  'TransientError',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TooManyRequestsException',
  'TransactionInProgressException',
  'TransactionConflictException',
  'TimeoutError',
  'ECONNRESET',
  'ETIMEDOUT',
]);

/** True for an error of kind `transient`, a listed name or code, or an AWS SDK error marked retryable. */
export function isTransientError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof DomainError) return err.kind === 'transient';
  const code = (err as { code?: unknown }).code;
  if (TRANSIENT_ERROR_NAMES.has(err.name) || (typeof code === 'string' && TRANSIENT_ERROR_NAMES.has(code))) return true;
  return (err as { $retryable?: unknown }).$retryable !== undefined;
}

// Use cases of the workflow (a run, its profile and snapshot).

/** A failure worth retrying (throttling, a timeout): the workflow's shared Retry policy matches it. */
export class TransientError extends DomainError {
  override readonly name = 'TransientError';
  readonly code = 'transient';
  readonly kind = 'transient';
}

export class RunNotFoundError extends DomainError {
  override readonly name = 'RunNotFoundError';
  readonly code = 'run_not_found';
  readonly kind = 'not_found';
  override get problemDetail(): string {
    return `operation run '${this.runId}' was not found`;
  }
  constructor(readonly runId: string) {
    super(`operation run ${runId} does not exist: start the compare again`);
  }
}

export class RunNotComparableError extends DomainError {
  override readonly name = 'RunNotComparableError';
  readonly code = 'run_not_comparable';
  readonly kind = 'unprocessable';
  constructor(
    readonly runId: string,
    why = 'it is not a baseline compare run',
  ) {
    super(`operation run ${runId} cannot be compared: ${why}`);
  }
}

export class NoActiveProfileError extends DomainError {
  override readonly name = 'NoActiveProfileError';
  readonly code = 'profile_not_active';
  readonly kind = 'conflict';
  override readonly problem = { type: 'profile-not-active', title: 'Profile not active' };
  constructor(
    readonly profileId: string,
    status: string | undefined,
  ) {
    super(
      status === undefined
        ? `baseline profile ${profileId} does not exist: assign the tenant to an existing profile`
        : `baseline profile ${profileId} is ${status}, not active: activate it before comparing`,
    );
  }
}

export class NoCompleteSnapshotError extends DomainError {
  override readonly name = 'NoCompleteSnapshotError';
  readonly code = 'no_complete_snapshot';
  readonly kind = 'conflict';
  override readonly problem = { type: 'snapshot-not-complete', title: 'Snapshot not complete' };
  constructor(
    readonly profileId: string,
    snapshotId: string | null,
    status: string | undefined,
  ) {
    super(
      snapshotId === null
        ? `baseline profile ${profileId} has no active snapshot: capture one from the golden tenant first`
        : `snapshot ${snapshotId} of profile ${profileId} is ${status ?? 'missing'}, not complete: capture a new snapshot`,
    );
  }
}

export class ProfileNotFoundError extends DomainError {
  override readonly name = 'ProfileNotFoundError';
  readonly code = 'profile_not_found';
  readonly kind = 'not_found';
  override get problemDetail(): string {
    return `baseline profile '${this.profileId}' was not found`;
  }
  constructor(readonly profileId: string) {
    super(`baseline profile ${profileId} does not exist`);
  }
}

export class TenantNotAssignedError extends DomainError {
  override readonly name = 'TenantNotAssignedError';
  readonly code = 'tenant_not_assigned';
  readonly kind = 'conflict';
  override readonly problem = { type: 'tenant-not-assigned', title: 'Tenant not assigned' };
  constructor(
    readonly profileId: string,
    readonly tenantId: string,
  ) {
    super(`tenant ${tenantId} is not assigned to baseline profile ${profileId}: assign it first`);
  }
}

export class DispatchFailedError extends DomainError {
  override readonly name = 'DispatchFailedError';
  readonly code = 'dispatch_failed';
  readonly kind = 'unavailable';
  constructor(
    readonly runId: string,
    reason: string,
  ) {
    super(`operation run ${runId} could not be started (${reason}): it was recorded as failed; try again later`);
  }
}

// Use cases of the API. A resource the caller may not see raises the same `NotVisibleError` as one that
// does not exist, with the same message: a caller never learns that another workspace's data exists.

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
    super(`tenant '${tenantId}' is already assigned to profile '${profileId}' with another scope override or other ignored properties: unassign it first to change them`);
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

/** A capture of the same profile from the same source tenant is already queued or running. */
export class CaptureAlreadyActiveError extends DomainError {
  override readonly name = 'CaptureAlreadyActiveError';
  readonly code = 'capture_already_active';
  readonly kind = 'conflict';
  override readonly problem = { type: 'capture-already-active', title: 'Capture already active' };
  override problemExtensions(): Record<string, unknown> {
    return { activeRunId: this.activeRunId };
  }
  constructor(
    readonly profileId: string,
    readonly activeRunId: string,
  ) {
    super(`a capture of profile '${profileId}' from this source tenant is already active (run ${activeRunId}): follow that run, then capture again if needed`);
  }
}

// Inventory uploaded in pages.

/** 409: another inventory sync of the tenant is queued or running. */
export class SyncAlreadyActiveError extends DomainError {
  override readonly name = 'SyncAlreadyActiveError';
  readonly code = 'sync_already_active';
  readonly kind = 'conflict';
  override readonly problem = { type: 'sync-already-active', title: 'Inventory sync already active' };
  override problemExtensions(): Record<string, unknown> {
    return typeof this.activeRunId === 'string' ? { activeRunId: this.activeRunId } : {};
  }
  constructor(
    readonly tenantId: string,
    readonly activeRunId: string,
  ) {
    super(`an inventory sync of tenant ${tenantId} is already active (run ${activeRunId}): send its pages with that runId, or wait until it completes`);
  }
}

/** 404: no paged inventory sync with this id for this tenant and workspace. */
export class InventorySyncNotFoundError extends DomainError {
  override readonly name = 'InventorySyncNotFoundError';
  readonly code = 'inventory_sync_not_found';
  readonly kind = 'not_found';
  override get problemDetail(): string {
    return `inventory sync '${this.runId}' was not found`;
  }
  constructor(readonly runId: string) {
    super(`inventory sync ${runId} does not exist for this tenant: start a new one by sending page 1 without a runId`);
  }
}

/** 409: the sync already completed; it takes no more pages. */
export class InventorySyncAlreadyCompletedError extends DomainError {
  override readonly name = 'InventorySyncAlreadyCompletedError';
  readonly code = 'inventory_sync_already_completed';
  readonly kind = 'conflict';
  override readonly problem = { type: 'inventory-sync-completed', title: 'Inventory sync already completed' };
  constructor(readonly runId: string) {
    super(`inventory sync ${runId} is already completed: start a new one by sending page 1 without a runId`);
  }
}

/** 409: a page number already staged with other content. */
export class InventoryPageConflictError extends DomainError {
  override readonly name = 'InventoryPageConflictError';
  readonly code = 'inventory_page_conflict';
  readonly kind = 'conflict';
  override readonly problem = { type: 'inventory-page-conflict', title: 'Inventory page conflict' };
  constructor(
    readonly runId: string,
    readonly pageNumber: number,
  ) {
    super(`page ${pageNumber} of inventory sync ${runId} was already received with other content: number every page once`);
  }
}

/** 409: the last page arrived but earlier pages are missing (they may be sent, then the last page again). */
export class InventoryPagesMissingError extends DomainError {
  override readonly name = 'InventoryPagesMissingError';
  readonly code = 'inventory_pages_missing';
  readonly kind = 'conflict';
  override readonly problem = { type: 'inventory-pages-missing', title: 'Inventory pages missing' };
  constructor(
    readonly runId: string,
    readonly missing: number[],
  ) {
    super(
      `inventory sync ${runId} cannot be applied: page(s) ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', ...' : ''} ` +
        'were not received; send them, then send the last page again',
    );
  }
}

/** 400/422: a page that cannot be taken (unknown type key, bad page number, a page after the last). */
export class InvalidInventoryPageError extends DomainError {
  override readonly name = 'InvalidInventoryPageError';
  readonly code = 'invalid_inventory_page';
  readonly kind = 'invalid';
  override readonly problem = { type: 'invalid-inventory-page', title: 'Invalid inventory page' };
}

// The scheduled dispatcher.

export class InvalidDispatchRequestError extends DomainError {
  override readonly name = 'InvalidDispatchRequestError';
  readonly code = 'invalid_dispatch_request';
  readonly kind = 'invalid';
}

// The evidence export.

/** A run with no evidence to export: not a compare, not completed, or its results no longer stored. */
export class EvidenceNotAvailableError extends DomainError {
  override readonly name = 'EvidenceNotAvailableError';
  readonly code = 'evidence_not_available';
  readonly kind = 'conflict';
  override readonly problem = { type: 'evidence-not-available', title: 'Evidence not available' };
}
