import { describe, expect, it } from 'vitest';
import { effectiveScope, scopeTypes, validateScope } from '../../shared/domain/scope.js';
import { InvalidScopeError } from '../../shared/domain/errors.js';
import { FOUNDATION_TYPE_KEYS, POLICY_TYPE_KEYS } from '../../shared/domain/model.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('effectiveScope (design 2.1)', () => {
  it('empty policy_types = every policy type except foundations; empty foundation_types = none', () => {
    const s = effectiveScope({ policy_types: [], foundation_types: [] });
    expect(s.policyTypes).toEqual([...POLICY_TYPE_KEYS]);
    expect(s.foundationTypes).toEqual([]);
    for (const f of FOUNDATION_TYPE_KEYS) expect(s.policyTypes).not.toContain(f);
  });

  it('keeps named types, deduplicated, in registry order', () => {
    const s = effectiveScope({
      policy_types: ['conditionalAccessPolicy', 'deviceConfiguration', 'conditionalAccessPolicy'],
      foundation_types: ['assignmentFilter', 'roleScopeTag'],
    });
    expect(s.policyTypes).toEqual(['deviceConfiguration', 'conditionalAccessPolicy']);
    expect(s.foundationTypes).toEqual(['roleScopeTag', 'assignmentFilter']);
    expect(scopeTypes(s)).toEqual(['deviceConfiguration', 'conditionalAccessPolicy', 'roleScopeTag', 'assignmentFilter']);
  });

  it("the assignment's override replaces the profile scope whole", () => {
    const profile = { policy_types: ['deviceConfiguration'], foundation_types: ['roleScopeTag'] };
    const s = effectiveScope(profile, { policy_types: ['windowsUpdateRing'], foundation_types: [] });
    expect(s).toEqual({ policyTypes: ['windowsUpdateRing'], foundationTypes: [] });
    expect(effectiveScope(profile)).toEqual({ policyTypes: ['deviceConfiguration'], foundationTypes: ['roleScopeTag'] });
    expect(effectiveScope(profile, { policy_types: [], foundation_types: [] }).policyTypes).toHaveLength(POLICY_TYPE_KEYS.length);
  });

  it('missing lists count as empty', () => {
    expect(effectiveScope({}).policyTypes).toEqual([...POLICY_TYPE_KEYS]);
  });

  it('rejects a stored scope that is not valid (stored data is input too)', () => {
    expect(() => effectiveScope({ policy_types: ['nope'], foundation_types: [] })).toThrow(InvalidScopeError);
  });
});

describe('validateScope (design 2.1)', () => {
  it('accepts valid keys and returns them deduplicated in registry order', () => {
    expect(validateScope({ policy_types: ['shellScript', 'deviceConfiguration', 'shellScript'], foundation_types: [] })).toEqual({
      policy_types: ['deviceConfiguration', 'shellScript'],
      foundation_types: [],
    });
  });

  it('rejects unknown keys with a named error that lists them and the valid ones', () => {
    const e = thrown(() => validateScope({ policy_types: ['deviceConfiguration', 'bogus'], foundation_types: ['alsoBogus'] }));
    expect(e).toBeInstanceOf(InvalidScopeError);
    const err = e as InvalidScopeError;
    expect(err.name).toBe('InvalidScopeError');
    expect(err.code).toBe('invalid_scope');
    expect(err.unknown).toEqual({ policy_types: ['bogus'], foundation_types: ['alsoBogus'] });
    expect(err.message).toContain('bogus');
    expect(err.message).toContain('alsoBogus');
    for (const k of [...POLICY_TYPE_KEYS, ...FOUNDATION_TYPE_KEYS]) expect(err.message).toContain(k);
    expect(err.validPolicyTypes).toEqual([...POLICY_TYPE_KEYS]);
    expect(err.validFoundationTypes).toEqual([...FOUNDATION_TYPE_KEYS]);
  });

  it('rejects foundation keys in policy_types and policy keys in foundation_types', () => {
    const e = thrown(() => validateScope({ policy_types: ['roleScopeTag'], foundation_types: ['deviceConfiguration'] })) as InvalidScopeError;
    expect(e).toBeInstanceOf(InvalidScopeError);
    expect(e.misplaced).toEqual({ policy_types: ['roleScopeTag'], foundation_types: ['deviceConfiguration'] });
    expect(e.unknown).toEqual({ policy_types: [], foundation_types: [] });
    expect(e.message).toContain('foundation types in policy_types: roleScopeTag');
  });

  it('rejects non-string keys and prototype names', () => {
    const e = thrown(() => validateScope({ policy_types: [42, null, 'constructor', '__proto__'], foundation_types: [] })) as InvalidScopeError;
    expect(e).toBeInstanceOf(InvalidScopeError);
    expect(e.unknown.policy_types).toEqual(['42', 'null', 'constructor', '__proto__']);
  });

  it('key matching is exact (case matters)', () => {
    expect(() => validateScope({ policy_types: ['DeviceConfiguration'], foundation_types: [] })).toThrow(InvalidScopeError);
  });
});
