/**
 * Named domain errors of compare, findings and scope. Each has a stable `name` (the error type the
 * state machine's Retry/Catch and the HTTP error mapper match on) and a stable `code` (the problem
 * type shown to API callers).
 */

/** A person asked for a finding move that design 2.8 does not allow from the finding's status. */
export class FindingTransitionRefusedError extends Error {
  override readonly name = 'FindingTransitionRefusedError';
  readonly code = 'transition_refused';
  constructor(
    readonly from: string,
    readonly to: string,
    readonly allowed: readonly string[],
  ) {
    super(
      `A finding cannot move from '${from}' to '${to}'. Allowed from '${from}': ${
        allowed.length > 0 ? allowed.map((s) => `'${s}'`).join(', ') : 'none (the status is final for people)'
      }.`,
    );
  }
}

/** `closed` and `risk_accepted` need a non-empty reason. */
export class FindingTransitionReasonRequiredError extends Error {
  override readonly name = 'FindingTransitionReasonRequiredError';
  readonly code = 'reason_required';
  constructor(readonly to: string) {
    super(`Moving a finding to '${to}' needs a reason.`);
  }
}

/** An observation was applied to a finding with another identity (a caller bug, never data). */
export class FindingIdentityMismatchError extends Error {
  override readonly name = 'FindingIdentityMismatchError';
  readonly code = 'finding_identity_mismatch';
  constructor(
    readonly expected: { tenantId: string; fingerprint: string },
    readonly actual: { tenantId: string; fingerprint: string },
  ) {
    super(
      `Observation for tenant '${actual.tenantId}' fingerprint '${actual.fingerprint}' applied to finding of tenant '${expected.tenantId}' fingerprint '${expected.fingerprint}'.`,
    );
  }
}

/** A timestamp that is not a valid ISO 8601 date-time. */
export class InvalidTimestampError extends Error {
  override readonly name = 'InvalidTimestampError';
  readonly code = 'invalid_timestamp';
  constructor(
    readonly field: string,
    readonly value: string,
  ) {
    super(`'${field}' is not a valid ISO 8601 timestamp: '${value}'.`);
  }
}
