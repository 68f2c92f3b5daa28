/**
 * Errors of the use cases. Each has a stable `name` (the error type the state machine's Retry/Catch
 * match and FailRun turns into a failure code) and a message that says what to do next.
 */

/** A failure worth retrying (throttling, a timeout): the workflow's shared Retry policy matches it. */
export class TransientError extends Error {
  override readonly name = 'TransientError';
}

export class RunNotFoundError extends Error {
  override readonly name = 'RunNotFoundError';
  constructor(readonly runId: string) {
    super(`operation run ${runId} does not exist: start the compare again`);
  }
}

export class RunNotComparableError extends Error {
  override readonly name = 'RunNotComparableError';
  constructor(
    readonly runId: string,
    why = 'it is not a baseline compare run',
  ) {
    super(`operation run ${runId} cannot be compared: ${why}`);
  }
}

export class NoActiveProfileError extends Error {
  override readonly name = 'NoActiveProfileError';
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

export class NoCompleteSnapshotError extends Error {
  override readonly name = 'NoCompleteSnapshotError';
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

export class ProfileNotFoundError extends Error {
  override readonly name = 'ProfileNotFoundError';
  constructor(readonly profileId: string) {
    super(`baseline profile ${profileId} does not exist`);
  }
}

export class TenantNotAssignedError extends Error {
  override readonly name = 'TenantNotAssignedError';
  constructor(
    readonly profileId: string,
    readonly tenantId: string,
  ) {
    super(`tenant ${tenantId} is not assigned to baseline profile ${profileId}: assign it first`);
  }
}

export class DispatchFailedError extends Error {
  override readonly name = 'DispatchFailedError';
  constructor(
    readonly runId: string,
    reason: string,
  ) {
    super(`compare run ${runId} could not be started (${reason}): it was recorded as failed; try again later`);
  }
}
