/**
 * Named errors. Each class has a stable `name` (what the state machine's Retry/Catch match on), a
 * stable snake_case `code` (what run failure summaries carry) and a `kind`: the one mapper of the API
 * (functions/api/problems.ts) turns a kind into an HTTP status, and `transient` is the kind the
 * workflow retries, so a new error needs no table row anywhere. Where the kind's default problem does
 * not say enough, the class names its problem (`problem`: type, title, the request path at fault) and
 * adds members (`problemExtensions`). Keep this a flat list of small classes: add new ones at the end.
 *
 * Messages say what is wrong and what to do. They never quote policy content, so no secret can reach
 * a log or an API response through an error.
 */

/**
 * What kind of failure an error is: `invalid` (the request is malformed: 400), `not_found` (404),
 * `conflict` (the state refuses it: 409), `unprocessable` (well-formed but refused: 422), `unavailable`
 * (try again later, said to the caller: 503), `transient` (retried by the workflow; a 503 without
 * detail from the API), `internal` (a fault of the service: 500 without detail).
 */
export type ErrorKind = 'invalid' | 'not_found' | 'conflict' | 'unprocessable' | 'unavailable' | 'transient' | 'internal';

/** How the API names a problem where its kind's default does not say enough. */
export interface ProblemHints {
  /** The problem type's slug (the tail of its `type` URI). */
  type?: string;
  title?: string;
  /** Where in the request the fault is (`body.expiresAt`): the problem then lists it under `errors`. */
  path?: string;
}

/** Base of every named error: `name`, `code` and `kind` are stable identifiers, never reworded. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly kind: ErrorKind;
  readonly problem: ProblemHints = {};
  /** What the API says as the problem's detail (the message unless a class words it for callers). */
  get problemDetail(): string {
    return this.message;
  }
  /** Members the problem body carries besides type, title, status and detail. */
  problemExtensions(): Record<string, unknown> {
    return {};
  }
}

/** A registry key that is not in the policy type registry. */
export class UnknownPolicyTypeError extends DomainError {
  override readonly name = 'UnknownPolicyTypeError';
  readonly code = 'unknown_policy_type';
  readonly kind = 'unprocessable';
  constructor(readonly policyType: string) {
    super(`"${policyType}" is not a policy type of the registry: use one of the keys listed by the registry`);
  }
}

/** A Graph collection key (an export folder name) the registry does not read. */
export class UnknownGraphCollectionError extends DomainError {
  override readonly name = 'UnknownGraphCollectionError';
  readonly code = 'unknown_graph_collection';
  readonly kind = 'unprocessable';
  constructor(
    readonly collections: string[],
    readonly knownCollections: readonly string[],
    where?: string,
  ) {
    const names = collections.map((c) => `"${c}"`).join(', ');
    super(
      `${where ? `${where}: ` : ''}unknown Graph collection${collections.length > 1 ? 's' : ''} ${names}: ` +
        `rename or remove ${collections.length > 1 ? 'them' : 'it'}; known collections are ${knownCollections.join(', ')}`,
    );
  }
}

/** A Graph object no registry type of its collection claims (or more than one claims). */
export class UnclassifiableGraphObjectError extends DomainError {
  override readonly name = 'UnclassifiableGraphObjectError';
  readonly code = 'unclassifiable_graph_object';
  readonly kind = 'unprocessable';
  constructor(
    readonly collection: string,
    readonly odataType: string | undefined,
    detail: string,
  ) {
    super(detail);
  }
}

/** A file (or request body) that does not hold Graph objects. */
export class MalformedGraphObjectError extends DomainError {
  override readonly name = 'MalformedGraphObjectError';
  readonly code = 'malformed_graph_object';
  readonly kind = 'unprocessable';
  constructor(
    readonly source: string,
    detail: string,
  ) {
    super(detail);
  }
}

/** A policy without a usable name: its subject key (its identity across tenants) cannot be built. */
export class MissingPolicyNameError extends DomainError {
  override readonly name = 'MissingPolicyNameError';
  readonly code = 'missing_policy_name';
  readonly kind = 'unprocessable';
  constructor(
    readonly policyType: string,
    readonly nameField: string,
    readonly externalId?: string,
  ) {
    super(
      `a ${policyType} object${externalId ? ` (id ${externalId})` : ''} has no usable "${nameField}": ` +
        `a policy needs a non-blank name to be matched across tenants; name it in Intune and export it again`,
    );
  }
}

/** A value that has no canonical JSON form (NaN, Infinity, undefined, a function, a bigint, a symbol). */
export class NonCanonicalValueError extends DomainError {
  override readonly name = 'NonCanonicalValueError';
  readonly code = 'non_canonical_value';
  readonly kind = 'unprocessable';
  constructor(
    readonly path: string,
    readonly valueKind: string,
  ) {
    super(`the value at "${path || '/'}" is ${valueKind}, which JSON cannot represent: only JSON data can be hashed`);
  }
}

/** An unusable key for secret digests (shorter than 16 bytes). */
export class InvalidSecretKeyError extends DomainError {
  override readonly name = 'InvalidSecretKeyError';
  readonly code = 'invalid_secret_key';
  readonly kind = 'internal';
  constructor() {
    super('the secret digest key is too short: configure a per-workspace key of at least 16 bytes (32 random bytes recommended)');
  }
}

/** An export directory (or one of its files) that cannot be read. */
export class UnreadableGraphExportError extends DomainError {
  override readonly name = 'UnreadableGraphExportError';
  readonly code = 'unreadable_graph_export';
  readonly kind = 'unprocessable';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(detail);
  }
}

// Compare, findings and scope.

const ACCEPTANCE_EXPIRY_PROBLEM: ProblemHints = { type: 'acceptance-expiry-invalid', title: 'Acceptance expiry refused', path: 'body.expiresAt' };

/** A person asked for a finding move that docs/lifecycle.md does not allow from the finding's status. */
export class FindingTransitionRefusedError extends DomainError {
  override readonly name = 'FindingTransitionRefusedError';
  readonly code = 'transition_refused';
  readonly kind = 'conflict';
  override readonly problem = { type: 'transition-refused', title: 'Transition refused' };
  override problemExtensions(): Record<string, unknown> {
    return { from: this.from, to: this.to, allowed: this.allowed };
  }
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
  readonly kind = 'unprocessable';
  override readonly problem = { type: 'reason-required', title: 'Reason required', path: 'body.reason' };
  constructor(readonly to: string) {
    super(`Moving a finding to '${to}' needs a reason.`);
  }
}

/** An acceptance's `expiresAt` that is not a date-time, not in the future, or beyond the configured maximum. */
export class AcceptanceExpiryInvalidError extends DomainError {
  override readonly name = 'AcceptanceExpiryInvalidError';
  readonly code = 'acceptance_expiry_invalid';
  readonly kind = 'unprocessable';
  override readonly problem = ACCEPTANCE_EXPIRY_PROBLEM;
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
  readonly kind = 'unprocessable';
  override readonly problem = ACCEPTANCE_EXPIRY_PROBLEM;
  constructor(readonly to: string) {
    super(`expiresAt applies only to a move to 'risk_accepted', not to '${to}'. Leave it out.`);
  }
}

/** An observation was applied to a finding with another identity (a caller bug, never data). */
export class FindingIdentityMismatchError extends DomainError {
  override readonly name = 'FindingIdentityMismatchError';
  readonly code = 'finding_identity_mismatch';
  readonly kind = 'internal';
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
  readonly kind = 'invalid';
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
  readonly kind = 'invalid';
  override readonly problem = { path: 'body.scope' };
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
  readonly kind = 'internal';
  constructor(
    readonly expected: string,
    readonly actual: string,
    readonly subjectKey: string,
  ) {
    super(`compareSubjects for '${expected}' was given subject '${subjectKey}' of type '${actual}'.`);
  }
}

/** An ignored property whose pointer is none, or one the type's normalized content can never contain. */
export class InvalidIgnoredPropertyError extends DomainError {
  override readonly name = 'InvalidIgnoredPropertyError';
  readonly code = 'ignored_property_invalid';
  readonly kind = 'unprocessable';
  override readonly problem: ProblemHints;
  constructor(
    readonly index: number,
    readonly path: string,
    readonly why: string,
  ) {
    super(`ignoredProperties[${index}] '${path.slice(0, 200)}' is refused: ${why}`);
    this.problem = { type: 'ignored-property-invalid', title: 'Ignored property refused', path: `body.ignoredProperties.${index}.path` };
  }
}

/** A subject link that cannot be one (a key of another type, the same subject already, a policy taken): the message says what to send. */
export class InvalidSubjectLinkError extends DomainError {
  override readonly name = 'InvalidSubjectLinkError';
  readonly code = 'subject_link_invalid';
  readonly kind = 'unprocessable';
  override readonly problem: ProblemHints;
  constructor(
    readonly field: 'baselineSubjectKey' | 'tenantDisplayName',
    message: string,
  ) {
    super(message);
    this.problem = { type: 'subject-link-invalid', title: 'Subject link refused', path: `body.${field}` };
  }
}

// Webhooks.

/** A destination URL (or an address it resolves to) that may not be used. */
export class WebhookUrlRefusedError extends DomainError {
  override readonly name = 'WebhookUrlRefusedError';
  readonly code = 'webhook_url_refused';
  readonly kind = 'unprocessable';
  override readonly problem = { type: 'webhook-url-refused', title: 'Webhook URL refused', path: 'body.url' };
}
