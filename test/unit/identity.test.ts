import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fingerprint, profileIdOfScopeKey, recurrenceKey, scopeKeyOf, type RecurrenceKeyInput } from '../../shared/domain/identity.js';
import { CHANGE_TYPES, POLICY_TYPE_KEYS } from '../../shared/domain/model.js';

const base: RecurrenceKeyInput = {
  tenantId: 'tenant-a',
  snapshotId: 'snap-1',
  policyType: 'conditionalAccessPolicy',
  subjectKey: 'conditionalAccessPolicy:require mfa',
  changeType: 'missing_policy',
};

/** Independent reference: SHA-256 over the compact JSON array (an array of strings has no keys to sort). */
function reference(i: RecurrenceKeyInput): string {
  return createHash('sha256')
    .update(JSON.stringify([i.tenantId, i.snapshotId, i.policyType, i.subjectKey, i.changeType]), 'utf8')
    .digest('hex');
}

describe('identity (design 2.7)', () => {
  it('recurrenceKey is sha256 over the canonical array [tenantId, snapshotId, policyType, subjectKey, changeType]', () => {
    expect(recurrenceKey(base)).toBe(reference(base));
    expect(recurrenceKey(base)).toMatch(/^[0-9a-f]{64}$/);
    // a literal check: the canonical text is exactly this
    const text = '["tenant-a","snap-1","conditionalAccessPolicy","conditionalAccessPolicy:require mfa","missing_policy"]';
    expect(recurrenceKey(base)).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('fingerprint = recurrenceKey', () => {
    expect(fingerprint(base)).toBe(recurrenceKey(base));
  });

  it.each(['tenantId', 'snapshotId', 'policyType', 'subjectKey', 'changeType'] as const)('changes when %s changes', (field) => {
    const other = { ...base, [field]: field === 'policyType' ? 'deviceConfiguration' : field === 'changeType' ? 'different_version' : 'x' };
    expect(recurrenceKey(other)).not.toBe(recurrenceKey(base));
  });

  it('a new snapshot gives new identities', () => {
    expect(recurrenceKey({ ...base, snapshotId: 'snap-2' })).not.toBe(recurrenceKey(base));
  });

  it('is insensitive to property order of the input object and stable across calls', () => {
    const reordered: RecurrenceKeyInput = {
      changeType: base.changeType,
      subjectKey: base.subjectKey,
      policyType: base.policyType,
      snapshotId: base.snapshotId,
      tenantId: base.tenantId,
    };
    expect(recurrenceKey(reordered)).toBe(recurrenceKey(base));
  });

  it('property: distinct tuples never share a key (no concatenation ambiguity) and match the reference', () => {
    const tuple = fc.record({
      tenantId: fc.string(),
      snapshotId: fc.string(),
      policyType: fc.constantFrom(...POLICY_TYPE_KEYS),
      subjectKey: fc.string(),
      changeType: fc.constantFrom(...CHANGE_TYPES),
    });
    fc.assert(
      fc.property(tuple, tuple, (a, b) => {
        expect(recurrenceKey(a)).toBe(reference(a));
        const same = JSON.stringify(Object.values(a)) === JSON.stringify(Object.values(b));
        expect(recurrenceKey(a) === recurrenceKey(b)).toBe(same);
      }),
    );
    // the classic separator trap
    expect(recurrenceKey({ ...base, tenantId: 'a","b', snapshotId: 'c' })).not.toBe(recurrenceKey({ ...base, tenantId: 'a', snapshotId: 'b","c' }));
  });

  it('scopeKey is "baseline_profile:" + profileId, and reads back', () => {
    expect(scopeKeyOf('prof-1')).toBe('baseline_profile:prof-1');
    expect(profileIdOfScopeKey(scopeKeyOf('prof-1'))).toBe('prof-1');
    expect(profileIdOfScopeKey('other:prof-1')).toBeUndefined();
    expect(profileIdOfScopeKey('baseline_profile:')).toBeUndefined();
  });
});
