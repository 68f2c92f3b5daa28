/**
 * Persistence errors: each has a stable `name` (what Retry/Catch and the HTTP error mapper match on)
 * and a stable snake_case `code`. They say which record, never its content.
 */
import { DomainError } from '../../domain/errors.js';

/** A conditional write lost: the record changed (or does not exist) as the condition expected. */
export class RecordNotFoundError extends DomainError {
  override readonly name = 'RecordNotFoundError';
  readonly code = 'not_found';
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
  constructor(readonly runId: string) {
    super(`operation run '${runId}' is already completed`);
  }
}

/** A profile status move outside draft <-> active -> archived, or any change to an archived profile. */
export class ProfileStatusTransitionError extends DomainError {
  override readonly name = 'ProfileStatusTransitionError';
  readonly code = 'profile_status_transition_refused';
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
  constructor() {
    super('the cursor is not valid for this listing: start again without a cursor');
  }
}

/** An id that cannot be part of a composite key (it holds the key separator `#`, or is empty). */
export class InvalidKeyPartError extends DomainError {
  override readonly name = 'InvalidKeyPartError';
  readonly code = 'invalid_key_part';
  constructor(
    readonly field: string,
    readonly value: string,
  ) {
    super(`${field} must be non-empty and must not contain '#': '${value.slice(0, 80)}'`);
  }
}

/** A batch request still had unprocessed items after every retry (sustained throttling). */
export class UnprocessedItemsError extends DomainError {
  override readonly name = 'UnprocessedItemsError';
  readonly code = 'unprocessed_items';
  constructor(
    readonly operation: string,
    readonly remaining: number,
  ) {
    super(`${operation}: ${remaining} item(s) still unprocessed after retries`);
  }
}
