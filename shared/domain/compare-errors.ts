/**
 * Named domain errors of compare, findings and scope. Each has a stable `name` (the error type the
 * state machine's Retry/Catch and the HTTP error mapper match on) and a stable `code` (the problem
 * type shown to API callers); all are `DomainError`s.
 */
import { DomainError } from './errors.js';

/** A person asked for a finding move that docs/lifecycle.md does not allow from the finding's status. */
export class FindingTransitionRefusedError extends DomainError {
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
export class FindingTransitionReasonRequiredError extends DomainError {
  override readonly name = 'FindingTransitionReasonRequiredError';
  readonly code = 'reason_required';
  constructor(readonly to: string) {
    super(`Moving a finding to '${to}' needs a reason.`);
  }
}

/** An acceptance's `expiresAt` that is not a date-time, not in the future, or beyond the configured maximum. */
export class AcceptanceExpiryInvalidError extends DomainError {
  override readonly name = 'AcceptanceExpiryInvalidError';
  readonly code = 'acceptance_expiry_invalid';
  constructor(
    readonly expiresAt: string,
    readonly why: string,
  ) {
    super(`expiresAt '${expiresAt}' is refused: ${why}. Send a later date within the limit, or none for an acceptance that does not expire.`);
  }
}

/** `expiresAt` sent with a move other than `risk_accepted`. */
export class AcceptanceExpiryNotApplicableError extends DomainError {
  override readonly name = 'AcceptanceExpiryNotApplicableError';
  readonly code = 'acceptance_expiry_not_applicable';
  constructor(readonly to: string) {
    super(`expiresAt applies only to a move to 'risk_accepted', not to '${to}'. Leave it out.`);
  }
}

/** An observation was applied to a finding with another identity (a caller bug, never data). */
export class FindingIdentityMismatchError extends DomainError {
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
export class InvalidTimestampError extends DomainError {
  override readonly name = 'InvalidTimestampError';
  readonly code = 'invalid_timestamp';
  constructor(
    readonly field: string,
    readonly value: string,
  ) {
    super(`'${field}' is not a valid ISO 8601 timestamp: '${value}'.`);
  }
}

/** A scope names keys the registry does not know, or puts a key in the wrong list (docs/coverage.md, "Effective scope"). */
export class InvalidScopeError extends DomainError {
  override readonly name = 'InvalidScopeError';
  readonly code = 'invalid_scope';
  constructor(
    /** Keys that are no registry key at all, per list. */
    readonly unknown: { policy_types: string[]; foundation_types: string[] },
    /** Registry keys in the wrong list (a foundation key in policy_types, or the other way). */
    readonly misplaced: { policy_types: string[]; foundation_types: string[] },
    readonly validPolicyTypes: readonly string[],
    readonly validFoundationTypes: readonly string[],
  ) {
    const parts: string[] = [];
    if (unknown.policy_types.length > 0) parts.push(`unknown policy_types: ${unknown.policy_types.join(', ')}`);
    if (unknown.foundation_types.length > 0) parts.push(`unknown foundation_types: ${unknown.foundation_types.join(', ')}`);
    if (misplaced.policy_types.length > 0) parts.push(`foundation types in policy_types: ${misplaced.policy_types.join(', ')}`);
    if (misplaced.foundation_types.length > 0) parts.push(`policy types in foundation_types: ${misplaced.foundation_types.join(', ')}`);
    super(
      `Invalid scope (${parts.join('; ')}). Valid policy_types: ${validPolicyTypes.join(', ')}. Valid foundation_types: ${validFoundationTypes.join(', ')}.`,
    );
  }
}

/** compareSubjects was given a subject of another policy type (a caller bug). */
export class SubjectTypeMismatchError extends DomainError {
  override readonly name = 'SubjectTypeMismatchError';
  readonly code = 'subject_type_mismatch';
  constructor(
    readonly expected: string,
    readonly actual: string,
    readonly subjectKey: string,
  ) {
    super(`compareSubjects for '${expected}' was given subject '${subjectKey}' of type '${actual}'.`);
  }
}
