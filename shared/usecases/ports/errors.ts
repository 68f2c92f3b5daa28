/**
 * Persistence errors: each has a stable `name` (what Retry/Catch and the HTTP error mapper match on)
 * and a stable snake_case `code`. They say which record, never its content.
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
