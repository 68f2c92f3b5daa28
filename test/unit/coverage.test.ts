import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { coverageContext, gateCoverage, parseCoverage } from '../../shared/domain/coverage.js';
import type { EffectiveScope } from '../../shared/domain/scope.js';
import { FOUNDATION_TYPE_KEYS, POLICY_TYPE_KEYS } from '../../shared/domain/model.js';

const scope: EffectiveScope = {
  policyTypes: ['deviceConfiguration', 'conditionalAccessPolicy', 'settingsCatalogPolicy'],
  foundationTypes: ['assignmentFilter'],
};

const good = {
  policy_types: {
    deviceConfiguration: { status: 'succeeded', item_count: 12 },
    conditionalAccessPolicy: { status: 'succeeded', item_count: 0 },
    settingsCatalogPolicy: { status: 'succeeded' },
  },
  foundation_types: { assignmentFilter: { status: 'succeeded', item_count: 3 } },
};

describe('gateCoverage (design 2.2)', () => {
  it('all types in scope succeeded: proof, all comparable, none uncovered', () => {
    expect(gateCoverage({ scope, coverage: good })).toEqual({
      proof: true,
      comparable: ['deviceConfiguration', 'conditionalAccessPolicy', 'settingsCatalogPolicy', 'assignmentFilter'],
      uncovered: [],
    });
  });

  it('no completed sync: unproven, nothing comparable, every type uncovered', () => {
    for (const coverage of [undefined, null]) {
      const r = gateCoverage({ scope, coverage });
      expect(r.proof).toBe(false);
      expect(r.comparable).toEqual([]);
      expect(r.uncovered.map((u) => u.reason)).toEqual(Array(4).fill('no_completed_sync'));
    }
  });

  it.each([
    ['a string', 'succeeded'],
    ['a number', 42],
    ['an array', [good]],
    ['no policy_types', { foundation_types: {} }],
    ['policy_types is an array', { policy_types: [], foundation_types: {} }],
    ['policy_types is null', { policy_types: null, foundation_types: {} }],
    ['foundation_types is a string', { policy_types: good.policy_types, foundation_types: 'x' }],
  ])('unreadable coverage (%s): unproven, nothing comparable', (_label, coverage) => {
    const r = gateCoverage({ scope, coverage });
    expect(r.proof).toBe(false);
    expect(r.comparable).toEqual([]);
    expect(r.uncovered).toHaveLength(4);
    expect(new Set(r.uncovered.map((u) => u.reason))).toEqual(new Set(['coverage_unreadable']));
  });

  it('a failed type is uncovered, never compared (a failed collection is not a deletion)', () => {
    const coverage = {
      ...good,
      policy_types: { ...good.policy_types, conditionalAccessPolicy: { status: 'failed', error: 'Forbidden (403)' } },
    };
    const r = gateCoverage({ scope, coverage });
    expect(r.proof).toBe(true);
    expect(r.comparable).toEqual(['deviceConfiguration', 'settingsCatalogPolicy', 'assignmentFilter']);
    expect(r.uncovered).toEqual([{ type: 'conditionalAccessPolicy', reason: 'sync_failed', error: 'Forbidden (403)' }]);
  });

  it('a type the sync did not record is uncovered', () => {
    const coverage = { policy_types: { deviceConfiguration: { status: 'succeeded' } }, foundation_types: {} };
    const r = gateCoverage({ scope, coverage });
    expect(r.comparable).toEqual(['deviceConfiguration']);
    expect(r.uncovered).toEqual([
      { type: 'conditionalAccessPolicy', reason: 'not_synced' },
      { type: 'settingsCatalogPolicy', reason: 'not_synced' },
      { type: 'assignmentFilter', reason: 'not_synced' },
    ]);
  });

  it.each([
    ['status missing', {}],
    ['status unknown', { status: 'running' }],
    ['status in other case', { status: 'Succeeded' }],
    ['negative item_count', { status: 'succeeded', item_count: -1 }],
    ['fractional item_count', { status: 'succeeded', item_count: 1.5 }],
    ['string item_count', { status: 'succeeded', item_count: '3' }],
    ['non-string error', { status: 'failed', error: { code: 1 } }],
    ['entry is a string', 'succeeded'],
    ['entry is null', null],
  ])('an unreadable entry (%s) is uncovered', (_label, entry) => {
    const coverage = { policy_types: { ...good.policy_types, deviceConfiguration: entry }, foundation_types: good.foundation_types };
    const r = gateCoverage({ scope, coverage });
    expect(r.proof).toBe(true);
    expect(r.comparable).not.toContain('deviceConfiguration');
    expect(r.uncovered).toEqual([{ type: 'deviceConfiguration', reason: 'entry_unreadable' }]);
  });

  it('foundation types are read from foundation_types only, and a missing foundation_types covers none', () => {
    const misplaced = { policy_types: { ...good.policy_types, assignmentFilter: { status: 'succeeded' } }, foundation_types: {} };
    expect(gateCoverage({ scope, coverage: misplaced }).uncovered).toEqual([{ type: 'assignmentFilter', reason: 'not_synced' }]);
    const noFoundations = { policy_types: good.policy_types };
    const r = gateCoverage({ scope, coverage: noFoundations });
    expect(r.proof).toBe(true);
    expect(r.uncovered).toEqual([{ type: 'assignmentFilter', reason: 'not_synced' }]);
  });

  it('inherited properties are no coverage', () => {
    const s: EffectiveScope = { policyTypes: ['deviceConfiguration'], foundationTypes: [] };
    const coverage = { policy_types: Object.create({ deviceConfiguration: { status: 'succeeded' } }) as object, foundation_types: {} };
    expect(gateCoverage({ scope: s, coverage }).uncovered).toEqual([{ type: 'deviceConfiguration', reason: 'not_synced' }]);
  });

  it('caps a long error text', () => {
    const s: EffectiveScope = { policyTypes: ['deviceConfiguration'], foundationTypes: [] };
    const coverage = { policy_types: { deviceConfiguration: { status: 'failed', error: 'e'.repeat(5000) } }, foundation_types: {} };
    expect(gateCoverage({ scope: s, coverage }).uncovered[0]?.error).toHaveLength(500);
  });

  it('an empty scope gives nothing comparable and nothing uncovered', () => {
    expect(gateCoverage({ scope: { policyTypes: [], foundationTypes: [] }, coverage: good })).toEqual({ proof: true, comparable: [], uncovered: [] });
  });

  it('property: comparable and uncovered partition the scope, in scope order; comparable = succeeded entries', () => {
    const status = fc.constantFrom('succeeded', 'failed', 'absent', 'garbage');
    fc.assert(
      fc.property(
        fc.subarray([...POLICY_TYPE_KEYS]),
        fc.subarray([...FOUNDATION_TYPE_KEYS]),
        fc.dictionary(fc.constantFrom(...POLICY_TYPE_KEYS, ...FOUNDATION_TYPE_KEYS), status),
        (policyTypes, foundationTypes, statuses) => {
          const entry = (t: string) => {
            const st = statuses[t];
            return st === undefined || st === 'absent' ? undefined : st === 'garbage' ? { status: 7 } : { status: st };
          };
          const section = (types: readonly string[]) =>
            Object.fromEntries(types.flatMap((t) => (entry(t) === undefined ? [] : [[t, entry(t)]])));
          const coverage = { policy_types: section(POLICY_TYPE_KEYS), foundation_types: section(FOUNDATION_TYPE_KEYS) };
          const r = gateCoverage({ scope: { policyTypes, foundationTypes }, coverage });
          const all = [...policyTypes, ...foundationTypes];
          expect([...r.comparable, ...r.uncovered.map((u) => u.type)].sort()).toEqual([...all].sort());
          expect(r.comparable).toEqual(all.filter((t) => statuses[t] === 'succeeded'));
          expect(r.uncovered.map((u) => u.type)).toEqual(all.filter((t) => statuses[t] !== 'succeeded'));
        },
      ),
    );
  });
});

describe('parseCoverage and coverageContext', () => {
  it('parseCoverage returns undefined for unreadable documents', () => {
    expect(parseCoverage('x')).toBeUndefined();
    expect(parseCoverage({ policy_types: {} })).toEqual({ policy_types: {}, foundation_types: {} });
  });

  it('coverageContext is the snake_case run context record', () => {
    const r = gateCoverage({ scope, coverage: undefined });
    expect(coverageContext(r)).toEqual({
      proof: false,
      comparable_types: [],
      uncovered_types: r.uncovered.map((u) => ({ type: u.type, reason: 'no_completed_sync' })),
    });
  });
});
