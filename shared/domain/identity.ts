/**
 * Finding identity (design 2.7). Hashes of content are not part of the identity: the same subject
 * drifting in a new way stays the same finding; a new snapshot gives new identities.
 */
import { createHash } from 'node:crypto';
import type { ChangeType, RegistryTypeKey } from './model.js';

export interface RecurrenceKeyInput {
  tenantId: string;
  snapshotId: string;
  policyType: RegistryTypeKey;
  subjectKey: string;
  changeType: ChangeType;
}

/**
 * SHA-256 (hex) of the canonical JSON array `[tenantId, snapshotId, policyType, subjectKey, changeType]`.
 * For an array of strings the canonical JSON (RFC 8785) is exactly `JSON.stringify` of the array:
 * no object keys to sort, no whitespace, the same string escaping.
 */
export function recurrenceKey(input: RecurrenceKeyInput): string {
  const canonical = JSON.stringify([input.tenantId, input.snapshotId, input.policyType, input.subjectKey, input.changeType]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** The finding's fingerprint is its recurrence key (unique per tenant). */
export function fingerprint(input: RecurrenceKeyInput): string {
  return recurrenceKey(input);
}

const SCOPE_KEY_PREFIX = 'baseline_profile:';

/** `"baseline_profile:" + profileId`: the findings of one tenant under one profile. */
export function scopeKeyOf(profileId: string): string {
  return SCOPE_KEY_PREFIX + profileId;
}

/** The profile id of a scope key, or undefined when it is not a baseline profile scope key. */
export function profileIdOfScopeKey(scopeKey: string): string | undefined {
  return scopeKey.startsWith(SCOPE_KEY_PREFIX) && scopeKey.length > SCOPE_KEY_PREFIX.length
    ? scopeKey.slice(SCOPE_KEY_PREFIX.length)
    : undefined;
}
