/**
 * Errors of the use cases. Each has a stable `name` (the error type the state machine's Retry/Catch
 * match and FailRun turns into a failure code) and a message that says what to do next.
 */
import { DomainError } from '../domain/errors.js';

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
    super(`compare run ${runId} could not be started (${reason}): it was recorded as failed; try again later`);
  }
}
