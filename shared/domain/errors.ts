/**
 * Named domain errors. Each class has a stable `name` (what the state machine's Retry/Catch and the
 * HTTP error mapper match on) and a stable snake_case `code` (what run failure summaries and
 * problem+json bodies carry). Keep this a flat list of small classes: add new ones at the end.
 *
 * Messages say what is wrong and what to do. They never quote policy content, so no secret can reach
 * a log or an API response through an error.
 */

/** Base of every domain error: `name` and `code` are stable identifiers, never reworded. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
}

/** A registry key that is not in the policy type registry. */
export class UnknownPolicyTypeError extends DomainError {
  override readonly name = 'UnknownPolicyTypeError';
  readonly code = 'unknown_policy_type';
  constructor(readonly policyType: string) {
    super(`"${policyType}" is not a policy type of the registry: use one of the keys listed by the registry`);
  }
}

/** A Graph collection key (an export folder name) the registry does not read. */
export class UnknownGraphCollectionError extends DomainError {
  override readonly name = 'UnknownGraphCollectionError';
  readonly code = 'unknown_graph_collection';
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
  constructor() {
    super('the secret digest key is too short: configure a per-workspace key of at least 16 bytes (32 random bytes recommended)');
  }
}

/** An export directory (or one of its files) that cannot be read. */
export class UnreadableGraphExportError extends DomainError {
  override readonly name = 'UnreadableGraphExportError';
  readonly code = 'unreadable_graph_export';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(detail);
  }
}
