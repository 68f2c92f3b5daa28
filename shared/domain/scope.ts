/**
 * Effective scope of a compare (docs/coverage.md, "Effective scope"): the profile's scope, or the assignment's override
 * (which replaces it whole). Empty `policy_types` = every non-foundation registry type; empty
 * `foundation_types` = none. Keys are returned deduplicated, in registry order.
 */
import type { FoundationTypeKey, PolicyTypeKey, ProfileScope, RegistryTypeKey } from './model.js';
import { ALL_FOUNDATION_TYPES, ALL_POLICY_TYPES } from './registry.js';
import { InvalidScopeError } from './errors.js';

export interface EffectiveScope {
  policyTypes: PolicyTypeKey[];
  foundationTypes: FoundationTypeKey[];
}

/** A scope as it arrives from outside (API body, stored profile): keys not yet checked. */
export interface ScopeInput {
  policy_types?: readonly unknown[] | undefined;
  foundation_types?: readonly unknown[] | undefined;
}

const POLICY_SET: ReadonlySet<string> = new Set(ALL_POLICY_TYPES);
const FOUNDATION_SET: ReadonlySet<string> = new Set(ALL_FOUNDATION_TYPES);

function describeKey(k: unknown): string {
  return typeof k === 'string' ? k : JSON.stringify(k) ?? String(k);
}

/**
 * Checks a scope when a profile or assignment is written: every key must be a registry key and in
 * the right list. Throws InvalidScopeError listing the offending keys and the valid ones; returns the
 * scope with keys deduplicated in registry order.
 */
export function validateScope(scope: ScopeInput): ProfileScope {
  const policyIn = scope.policy_types ?? [];
  const foundationIn = scope.foundation_types ?? [];
  const unknown = { policy_types: [] as string[], foundation_types: [] as string[] };
  const misplaced = { policy_types: [] as string[], foundation_types: [] as string[] };
  for (const k of policyIn) {
    if (typeof k === 'string' && FOUNDATION_SET.has(k)) misplaced.policy_types.push(k);
    else if (typeof k !== 'string' || !POLICY_SET.has(k)) unknown.policy_types.push(describeKey(k));
  }
  for (const k of foundationIn) {
    if (typeof k === 'string' && POLICY_SET.has(k)) misplaced.foundation_types.push(k);
    else if (typeof k !== 'string' || !FOUNDATION_SET.has(k)) unknown.foundation_types.push(describeKey(k));
  }
  if (
    unknown.policy_types.length + unknown.foundation_types.length + misplaced.policy_types.length + misplaced.foundation_types.length >
    0
  ) {
    throw new InvalidScopeError(unknown, misplaced, ALL_POLICY_TYPES, ALL_FOUNDATION_TYPES);
  }
  const p = new Set(policyIn);
  const f = new Set(foundationIn);
  return {
    policy_types: ALL_POLICY_TYPES.filter((k) => p.has(k)),
    foundation_types: ALL_FOUNDATION_TYPES.filter((k) => f.has(k)),
  };
}

/**
 * The scope a compare uses. The override, when given, replaces the profile scope whole. The scope is
 * validated again (stored data is input too): an invalid one throws InvalidScopeError.
 */
export function effectiveScope(profileScope: ScopeInput, assignmentOverride?: ScopeInput): EffectiveScope {
  const chosen = validateScope(assignmentOverride ?? profileScope);
  return {
    policyTypes: chosen.policy_types.length === 0 ? [...ALL_POLICY_TYPES] : (chosen.policy_types as PolicyTypeKey[]),
    foundationTypes: chosen.foundation_types,
  };
}

/** Every type of an effective scope: policy types, then foundation types. */
export function scopeTypes(scope: EffectiveScope): RegistryTypeKey[] {
  return [...scope.policyTypes, ...scope.foundationTypes];
}
