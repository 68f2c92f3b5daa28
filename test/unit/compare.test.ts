import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareFidelity, compareSubjects, gapsContext, sideFidelity, type CompareTypeResult } from '../../shared/domain/compare.js';
import { SubjectTypeMismatchError } from '../../shared/domain/errors.js';
import { subjectKeyOf } from '../../shared/domain/subject.js';
import type { SubjectSummary } from '../../shared/domain/model.js';

const T = 'deviceConfiguration' as const;

function h(c: string): string {
  return c.repeat(64).slice(0, 64);
}

/** A subject of type T named `name`; `content`/`meta` are one-letter hash seeds (content undefined = meta only). */
function subj(name: string, meta: string, content?: string, extra: Partial<SubjectSummary> = {}): SubjectSummary {
  const s: SubjectSummary = { policyType: T, subjectKey: subjectKeyOf(T, name), displayName: name, metaHash: h(meta), ...extra };
  if (content !== undefined) s.contentHash = h(content);
  return s;
}

describe('compareSubjects: change types (design 2.4)', () => {
  it('baseline only -> missing_policy; tenant only -> unexpected_policy; both and equal -> aligned; differ -> different_version', () => {
    const r = compareSubjects({
      policyType: T,
      baseline: [subj('Gone', 'm', 'a'), subj('Same', 'm', 'b'), subj('Changed', 'm', 'c')],
      current: [subj('Same', 'm', 'b', { externalId: 'x1' }), subj('Changed', 'm', 'd', { externalId: 'x2' }), subj('Extra', 'm', 'e')],
    });
    expect(r.policyType).toBe(T);
    expect(r.subjects).toBe(4);
    expect(r.aligned).toBe(1);
    expect(r.gaps).toEqual([]);
    expect(r.drift.map((d) => [d.subjectKey, d.changeType])).toEqual([
      ['deviceConfiguration:changed', 'different_version'],
      ['deviceConfiguration:extra', 'unexpected_policy'],
      ['deviceConfiguration:gone', 'missing_policy'],
    ]);
    const [changed, extra, gone] = r.drift;
    expect(changed).toMatchObject({ baseline: { contentHash: h('c') }, current: { contentHash: h('d'), externalId: 'x2' }, fidelity: 'content', comparedBy: 'content' });
    expect(extra?.baseline).toBeUndefined();
    expect(extra?.current?.displayName).toBe('Extra');
    expect(gone?.current).toBeUndefined();
    expect(gone?.baseline?.displayName).toBe('Gone');
  });

  it('empty sides give nothing', () => {
    expect(compareSubjects({ policyType: T, baseline: [], current: [] })).toEqual({ policyType: T, subjects: 0, aligned: 0, alignedMeta: 0, assignmentsNotCompared: 0, gaps: [], drift: [] });
  });
});

describe('compareSubjects: hashing and fidelity (design 2.5)', () => {
  it('content hashes when both have them: equal content aligns even if meta hashes differ', () => {
    const r = compareSubjects({ policyType: T, baseline: [subj('P', 'm1', 'a')], current: [subj('P', 'm2', 'a')] });
    expect(r.aligned).toBe(1);
    expect(r.drift).toEqual([]);
  });

  it('both content, contents differ -> different_version at content fidelity', () => {
    const r = compareSubjects({ policyType: T, baseline: [subj('P', 'm', 'a')], current: [subj('P', 'm', 'b')] });
    expect(r.drift[0]).toMatchObject({ changeType: 'different_version', fidelity: 'content', comparedBy: 'content' });
  });

  it('both meta only -> compared by meta hash, fidelity meta; equal meta is a content_incomplete gap, never aligned', () => {
    const same = compareSubjects({ policyType: T, baseline: [subj('P', 'm')], current: [subj('P', 'm')] });
    expect(same).toMatchObject({ subjects: 1, aligned: 0, alignedMeta: 1, drift: [] });
    expect(same.gaps).toEqual([
      { reason: 'content_incomplete', policyType: T, subjectKey: `${T}:p`, displayName: 'P', baselineCount: 1, currentCount: 1, incompleteSide: 'both', missing: [] },
    ]);
    const r = compareSubjects({ policyType: T, baseline: [subj('P', 'm')], current: [subj('P', 'n')] });
    expect(r.drift[0]).toMatchObject({ changeType: 'different_version', fidelity: 'meta', comparedBy: 'meta' });
  });

  it('one side content, the other meta only -> compared by meta hash, fidelity mixed; equal meta is a gap naming the side', () => {
    const same = compareSubjects({ policyType: T, baseline: [subj('P', 'm', 'a')], current: [subj('P', 'm')] });
    expect(same).toMatchObject({ aligned: 0, alignedMeta: 1, drift: [] });
    expect(same.gaps).toMatchObject([{ reason: 'content_incomplete', incompleteSide: 'current', missing: [] }]);
    const baselineSide = compareSubjects({ policyType: T, baseline: [subj('P', 'm')], current: [subj('P', 'm', 'a')] });
    expect(baselineSide.gaps).toMatchObject([{ reason: 'content_incomplete', incompleteSide: 'baseline' }]);
    const diff = compareSubjects({ policyType: T, baseline: [subj('P', 'm')], current: [subj('P', 'n', 'a')] });
    expect(diff.drift[0]).toMatchObject({ changeType: 'different_version', fidelity: 'mixed', comparedBy: 'meta' });
  });

  it('a side without content is still compared on its comparable remainder: a difference there is a mixed finding', () => {
    const b = { ...subj('P', 'm', 'a'), surfaceHash: 's1' };
    const changed = compareSubjects({ policyType: T, baseline: [b], current: [{ ...subj('P', 'm'), surfaceHash: 's2' }] });
    expect(changed).toMatchObject({ aligned: 0, alignedMeta: 0, gaps: [] });
    expect(changed.drift).toMatchObject([{ changeType: 'different_version', fidelity: 'mixed', comparedBy: 'meta', comparedOnSurface: true }]);
    const bothIncomplete = compareSubjects({ policyType: T, baseline: [{ ...subj('P', 'm'), surfaceHash: 's1' }], current: [{ ...subj('P', 'm'), surfaceHash: 's2' }] });
    expect(bothIncomplete.drift).toMatchObject([{ changeType: 'different_version', fidelity: 'meta', comparedOnSurface: true }]);
    const equal = compareSubjects({ policyType: T, baseline: [b], current: [{ ...subj('P', 'm'), surfaceHash: 's1' }] });
    expect(equal).toMatchObject({ alignedMeta: 1, drift: [], gaps: [{ reason: 'content_incomplete', incompleteSide: 'current' }] });
    // Both complete: content decides, the remainder is never consulted.
    const complete = compareSubjects({ policyType: T, baseline: [b], current: [{ ...subj('P', 'm', 'a'), surfaceHash: 's2' }] });
    expect(complete).toMatchObject({ aligned: 1, alignedMeta: 0, drift: [], gaps: [] });
  });

  it('one-sided findings take the fidelity of the side that has the subject', () => {
    const r = compareSubjects({ policyType: T, baseline: [subj('A', 'm', 'a'), subj('B', 'm')], current: [subj('C', 'm', 'c'), subj('D', 'm')] });
    expect(r.drift.map((d) => [d.displayName, d.fidelity])).toEqual([
      ['A', 'content'],
      ['B', 'meta'],
      ['C', 'content'],
      ['D', 'meta'],
    ]);
  });

  it('sideFidelity and compareFidelity', () => {
    expect(sideFidelity(subj('P', 'm', 'a'))).toBe('content');
    expect(sideFidelity(subj('P', 'm'))).toBe('meta');
    expect(sideFidelity({ ...subj('P', 'm'), contentHash: '' })).toBe('meta');
    expect(compareFidelity(subj('P', 'm'), subj('P', 'm', 'a'))).toEqual({ comparedBy: 'meta', fidelity: 'mixed' });
  });
});

describe('compareSubjects: subject matching (design 2.3)', () => {
  it('a change of case or spacing alone is the same subject; any other rename is missing + unexpected', () => {
    const cased = compareSubjects({ policyType: T, baseline: [subj('Require  MFA', 'm', 'a')], current: [subj(' require mfa ', 'm', 'a')] });
    expect(cased.aligned).toBe(1);
    expect(cased.subjects).toBe(1);
    const renamed = compareSubjects({ policyType: T, baseline: [subj('Require MFA', 'm', 'a')], current: [subj('Require MFA v2', 'm', 'a')] });
    expect(renamed.drift.map((d) => d.changeType).sort()).toEqual(['missing_policy', 'unexpected_policy']);
  });

  it('different_version names the subject as the tenant has it', () => {
    const r = compareSubjects({ policyType: T, baseline: [subj('Require MFA', 'm', 'a')], current: [subj('REQUIRE MFA', 'm', 'b')] });
    expect(r.drift[0]?.displayName).toBe('REQUIRE MFA');
  });

  it('two subjects with one key in the tenant -> one ambiguous_match gap, no finding', () => {
    const r = compareSubjects({
      policyType: T,
      baseline: [subj('Dup', 'm', 'a')],
      current: [subj('Dup', 'm', 'b'), subj('DUP', 'm', 'c')],
    });
    expect(r.drift).toEqual([]);
    expect(r.aligned).toBe(0);
    expect(r.subjects).toBe(1);
    expect(r.gaps).toEqual([
      { reason: 'ambiguous_match', policyType: T, subjectKey: 'deviceConfiguration:dup', displayName: 'DUP', baselineCount: 1, currentCount: 2 },
    ]);
  });

  it('two subjects with one key in the baseline, even if the tenant has none -> gap', () => {
    const r = compareSubjects({ policyType: T, baseline: [subj('Dup', 'm', 'a'), subj('dup', 'm', 'a')], current: [] });
    expect(r.gaps).toMatchObject([{ subjectKey: 'deviceConfiguration:dup', baselineCount: 2, currentCount: 0 }]);
    expect(r.drift).toEqual([]);
  });

  it('a snapshot marker with ambiguousCount >= 2 -> gap carrying that count', () => {
    const r = compareSubjects({
      policyType: T,
      baseline: [subj('Dup', 'm', undefined, { ambiguousCount: 3 })],
      current: [subj('Dup', 'm', 'b')],
    });
    expect(r.gaps).toMatchObject([{ baselineCount: 3, currentCount: 1 }]);
    expect(r.drift).toEqual([]);
    // a count below 2 is no marker
    const plain = compareSubjects({ policyType: T, baseline: [subj('Dup', 'm', 'b', { ambiguousCount: 1 })], current: [subj('Dup', 'm', 'b')] });
    expect(plain.aligned).toBe(1);
  });

  it('output is sorted by subjectKey (code unit order)', () => {
    const names = ['b', 'B2', 'a', 'Z', '_', 'ä'];
    const r = compareSubjects({ policyType: T, baseline: names.map((n) => subj(n, 'm', 'x')), current: [] });
    const keys = r.drift.map((d) => d.subjectKey);
    expect(keys).toEqual([...keys].sort());
    expect(keys[0]).toBe('deviceConfiguration:_');
  });

  it('refuses subjects of another policy type', () => {
    const other: SubjectSummary = { ...subj('P', 'm'), policyType: 'windowsUpdateRing' };
    expect(() => compareSubjects({ policyType: T, baseline: [other], current: [] })).toThrow(SubjectTypeMismatchError);
    expect(() => compareSubjects({ policyType: T, baseline: [], current: [other] })).toThrow(SubjectTypeMismatchError);
  });
});

describe('gapsContext', () => {
  it('records gaps snake_case, capped, with the full count', () => {
    const r = compareSubjects({
      policyType: T,
      baseline: ['a', 'b', 'c'].flatMap((n) => [subj(n, 'm'), subj(n.toUpperCase(), 'm')]),
      current: [],
    });
    const ctx = gapsContext(r.gaps, 2);
    expect(ctx.count).toBe(3);
    expect(ctx.truncated).toBe(true);
    expect(ctx.items).toEqual([
      { reason: 'ambiguous_match', policy_type: T, subject_key: 'deviceConfiguration:a', display_name: 'A', baseline_count: 2, current_count: 0 },
      { reason: 'ambiguous_match', policy_type: T, subject_key: 'deviceConfiguration:b', display_name: 'B', baseline_count: 2, current_count: 0 },
    ]);
    expect(gapsContext(r.gaps).truncated).toBe(false);
  });
});

// ------------------------------------------------------------------------------------------------
// Properties
// ------------------------------------------------------------------------------------------------

/** Subjects from a small alphabet of names and hash seeds, so collisions (gaps, aligned) are common. */
const arbSubject: fc.Arbitrary<SubjectSummary> = fc
  .record({
    name: fc.constantFrom('Alpha', 'alpha', 'Beta', 'Gamma', 'Delta', 'Epsilon', 'Zeta', 'Eta'),
    meta: fc.constantFrom('1', '2'),
    content: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }),
    marker: fc.option(fc.integer({ min: 2, max: 4 }), { nil: undefined, freq: 8 }),
  })
  .map(({ name, meta, content, marker }) => subj(name, meta, content, marker === undefined ? {} : { ambiguousCount: marker }));
const arbSide = fc.array(arbSubject, { maxLength: 12 });

function swapResult(r: CompareTypeResult) {
  return {
    subjects: r.subjects,
    aligned: r.aligned,
    gaps: r.gaps.map((g) => ({
      ...g,
      baselineCount: g.currentCount,
      currentCount: g.baselineCount,
      ...(g.incompleteSide !== undefined ? { incompleteSide: ({ baseline: 'current', current: 'baseline', both: 'both' } as const)[g.incompleteSide] } : {}),
    })),
    drift: r.drift.map((d) => ({
      subjectKey: d.subjectKey,
      changeType: d.changeType === 'missing_policy' ? 'unexpected_policy' : d.changeType === 'unexpected_policy' ? 'missing_policy' : d.changeType,
      fidelity: d.fidelity,
    })),
  };
}

function view(r: CompareTypeResult) {
  return {
    subjects: r.subjects,
    aligned: r.aligned,
    gaps: r.gaps,
    drift: r.drift.map((d) => ({ subjectKey: d.subjectKey, changeType: d.changeType, fidelity: d.fidelity })),
  };
}

describe('compareSubjects properties', () => {
  it('swapping the sides swaps missing <-> unexpected and keeps everything else', () => {
    fc.assert(
      fc.property(arbSide, arbSide, (b, c) => {
        const r = compareSubjects({ policyType: T, baseline: b, current: c });
        const s = compareSubjects({ policyType: T, baseline: c, current: b });
        expect(view(s)).toEqual(swapResult(r));
      }),
    );
  });

  it('counts add up: aligned + gaps + findings == subjects == distinct keys', () => {
    fc.assert(
      fc.property(arbSide, arbSide, (b, c) => {
        const r = compareSubjects({ policyType: T, baseline: b, current: c });
        expect(r.aligned + r.gaps.length + r.drift.length).toBe(r.subjects);
        expect(r.subjects).toBe(new Set([...b, ...c].map((s) => s.subjectKey)).size);
        const keys = [...r.gaps.map((g) => g.subjectKey), ...r.drift.map((d) => d.subjectKey)];
        expect(new Set(keys).size).toBe(keys.length);
      }),
    );
  });

  it('shuffling the input order never changes the output', () => {
    fc.assert(
      fc.property(
        arbSide.chain((b) => fc.tuple(fc.constant(b), fc.shuffledSubarray(b, { minLength: b.length }))),
        arbSide.chain((c) => fc.tuple(fc.constant(c), fc.shuffledSubarray(c, { minLength: c.length }))),
        ([b, b2], [c, c2]) => {
          expect(compareSubjects({ policyType: T, baseline: b2, current: c2 })).toEqual(compareSubjects({ policyType: T, baseline: b, current: c }));
        },
      ),
    );
  });

  it('a key with a gap never yields a finding; ambiguous gaps are shared keys, incomplete gaps equal meta without content', () => {
    fc.assert(
      fc.property(arbSide, arbSide, (b, c) => {
        const r = compareSubjects({ policyType: T, baseline: b, current: c });
        const weight = (s: SubjectSummary) => (s.ambiguousCount !== undefined && s.ambiguousCount >= 2 ? s.ambiguousCount : 1);
        const count = (side: SubjectSummary[], k: string) => side.filter((s) => s.subjectKey === k).reduce((n, s) => n + weight(s), 0);
        for (const g of r.gaps) {
          const counts = [count(b, g.subjectKey), count(c, g.subjectKey)];
          const bs = b.find((s) => s.subjectKey === g.subjectKey);
          const cs = c.find((s) => s.subjectKey === g.subjectKey);
          // content_incomplete: one subject per side, equal meta, and a side without content.
          const incomplete = counts[0] === 1 && counts[1] === 1 && bs?.metaHash === cs?.metaHash && (bs?.contentHash === undefined || cs?.contentHash === undefined);
          expect(g.reason === 'ambiguous_match' ? Math.max(...counts) >= 2 : incomplete).toBe(true);
          expect(g.baselineCount).toBe(count(b, g.subjectKey));
          expect(g.currentCount).toBe(count(c, g.subjectKey));
        }
        for (const d of r.drift) {
          expect(count(b, d.subjectKey)).toBeLessThanOrEqual(1);
          expect(count(c, d.subjectKey)).toBeLessThanOrEqual(1);
        }
      }),
    );
  });
});

describe('compareSubjects performance', () => {
  it('compares 10,000 subjects per side in well under 100 ms', () => {
    const n = 10_000;
    const baseline: SubjectSummary[] = [];
    const current: SubjectSummary[] = [];
    for (let i = 0; i < n; i++) {
      const name = `Policy ${i.toString().padStart(5, '0')}`;
      baseline.push(subj(name, 'm', i % 10 === 0 ? 'a' : 'b'));
      // 90 % present in the tenant, a tenth of those changed, plus 1,000 extra
      if (i % 10 !== 9) current.push(subj(name, 'm', i % 7 === 0 ? 'c' : i % 10 === 0 ? 'a' : 'b'));
    }
    for (let i = 0; i < 1000; i++) current.push(subj(`Extra ${i}`, 'm', 'x'));
    compareSubjects({ policyType: T, baseline, current }); // warm up the JIT
    const times: number[] = [];
    let r: CompareTypeResult | undefined;
    // The best of several runs: the machine is shared, and other processes only ever add time.
    for (let k = 0; k < 7; k++) {
      const t0 = performance.now();
      r = compareSubjects({ policyType: T, baseline, current });
      times.push(performance.now() - t0);
    }
    const best = Math.min(...times);
    expect(r!.subjects).toBe(11_000);
    expect(r!.drift.filter((d) => d.changeType === 'missing_policy')).toHaveLength(1000);
    expect(r!.drift.filter((d) => d.changeType === 'unexpected_policy')).toHaveLength(1000);
    expect(best).toBeLessThan(100);
  });
});
