/**
 * Finding identity (docs/identity.md, "Finding identity"). Hashes of content are not part of the identity: the same subject
 * drifting in a new way stays the same finding; a new snapshot gives new identities.
 */
import { canonicalJson, sha256Hex } from './canonical.js';
import type { ChangeType, RegistryTypeKey } from './model.js';

export interface RecurrenceKeyInput {
  tenantId: string;
  snapshotId: string;
  policyType: RegistryTypeKey;
  subjectKey: string;
  changeType: ChangeType;
}

/** SHA-256 (hex) of the canonical JSON array `[tenantId, snapshotId, policyType, subjectKey, changeType]`. */
export function recurrenceKey(input: RecurrenceKeyInput): string {
  return sha256Hex(canonicalJson([input.tenantId, input.snapshotId, input.policyType, input.subjectKey, input.changeType]));
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
