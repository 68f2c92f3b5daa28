import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addObservationEffects,
  addTypeResult,
  compareFailureSummary,
  compareOutcome,
  emptyCompareCounts,
  errorsRecorded,
  mergeCompareCounts,
  summarizeCompare,
} from '../../shared/domain/outcome.js';
import { compareSubjects } from '../../shared/domain/compare.js';
import { autoResolveAllowed } from '../../shared/domain/lifecycle.js';
import type { SubjectSummary } from '../../shared/domain/model.js';

const T = 'deviceConfiguration' as const;
function subj(name: string, content: string): SubjectSummary {
  return { policyType: T, subjectKey: `${T}:${name}`, displayName: name, metaHash: 'm'.repeat(64), contentHash: content.repeat(64) };
}

/** aligned 1, gap 1, missing 1, unexpected 1, different 1 -> 5 subjects */
const result = compareSubjects({
  policyType: T,
  baseline: [subj('same', 'a'), subj('dup', 'a'), subj('dup', 'b'), subj('gone', 'a'), subj('changed', 'a')],
  current: [subj('same', 'a'), subj('dup', 'a'), subj('extra', 'a'), subj('changed', 'b')],
});

const KEYS = [
  'total',
  'processed',
  'failed',
  'errors_recorded',
  'subjects',
  'aligned',
  'aligned_meta',
  'gaps',
  'findings_new',
  'findings_seen',
  'findings_reopened',
  'findings_resolved',
  'missing_policy',
  'unexpected_policy',
  'different_version',
  'severity_low',
  'severity_medium',
  'severity_high',
  'severity_critical',
  'assignments_not_compared',
];

describe('summary counts (design 2.11)', () => {
  it('emptyCompareCounts has every key, all zero, numbers only', () => {
    const c = emptyCompareCounts();
    expect(Object.keys(c).sort()).toEqual([...KEYS].sort());
    expect(Object.values(c).every((v) => v === 0)).toBe(true);
    expect(emptyCompareCounts()).not.toBe(c);
  });

  it('addTypeResult counts one processed type, its subjects, aligned, gaps, change types and severities', () => {
    const c = addTypeResult(emptyCompareCounts(), result);
    expect(c).toMatchObject({
      processed: 1,
      subjects: 5,
      aligned: 1,
      gaps: 1,
      missing_policy: 1,
      unexpected_policy: 1,
      different_version: 1,
      severity_high: 1,
      severity_medium: 1,
      severity_low: 1,
      severity_critical: 0,
      total: 0,
    });
    const mapped = addTypeResult(emptyCompareCounts(), result, { missing_policy: 'critical', unexpected_policy: 'critical' });
    expect(mapped).toMatchObject({ severity_critical: 2, severity_medium: 1, severity_high: 0, severity_low: 0 });
  });

  it('addTypeResult does not change its input', () => {
    const c = emptyCompareCounts();
    addTypeResult(c, result);
    expect(c).toEqual(emptyCompareCounts());
  });

  it('addObservationEffects counts new, seen and reopened; already_applied is not counted again', () => {
    const c = addObservationEffects(emptyCompareCounts(), ['new', 'new', 'seen', 'reopened', 'already_applied']);
    expect(c).toMatchObject({ findings_new: 2, findings_seen: 1, findings_reopened: 1 });
  });

  it('errors_recorded: uncovered types, or 1 for an empty scope', () => {
    expect(errorsRecorded({ total: 0, uncovered: 0 })).toBe(1);
    expect(errorsRecorded({ total: 5, uncovered: 2 })).toBe(2);
    expect(errorsRecorded({ total: 5, uncovered: 0 })).toBe(0);
  });

  it('summarizeCompare: the first four count policy types, the rest subjects and findings', () => {
    const c = summarizeCompare({
      total: 4,
      uncovered: [{ type: 'conditionalAccessPolicy', reason: 'sync_failed' }],
      typeResults: [result, compareSubjects({ policyType: T, baseline: [subj('x', 'a')], current: [subj('x', 'a')] })],
      failed: 1,
      effects: ['new', 'new', 'seen'],
      resolved: 4,
    });
    expect(c).toEqual({
      total: 4,
      processed: 2,
      failed: 1,
      errors_recorded: 1,
      subjects: 6,
      aligned: 2,
      aligned_meta: 0,
      gaps: 1,
      findings_new: 2,
      findings_seen: 1,
      findings_reopened: 0,
      findings_resolved: 4,
      missing_policy: 1,
      unexpected_policy: 1,
      different_version: 1,
      severity_low: 1,
      severity_medium: 1,
      severity_high: 1,
      severity_critical: 0,
      // Subjects on both sides whose assignments no side collected.
      assignments_not_compared: 3,
    });
  });

  it('summarizeCompare of an empty scope records one error', () => {
    expect(summarizeCompare({ total: 0, uncovered: 0, typeResults: [], failed: 0 })).toMatchObject({ total: 0, processed: 0, errors_recorded: 1 });
  });

  it('mergeCompareCounts adds partial summaries field by field and ignores non-numbers', () => {
    const a = addTypeResult(emptyCompareCounts(), result);
    const m = mergeCompareCounts(a, a, { findings_new: 3 }, { aligned: Number.NaN });
    expect(m.processed).toBe(2);
    expect(m.subjects).toBe(10);
    expect(m.findings_new).toBe(3);
    expect(m.aligned).toBe(2);
    expect(mergeCompareCounts()).toEqual(emptyCompareCounts());
  });
});

describe('compareOutcome (design 2.12 and 2.2)', () => {
  const ok = { proof: true, total: 3, processed: 3, failed: 0, uncovered: 0 };

  it.each([
    ['every type covered and compared', ok, 'succeeded'],
    ['empty scope', { ...ok, total: 0, processed: 0 }, 'partially_succeeded'],
    ['coverage unproven', { ...ok, proof: false, processed: 0, uncovered: 3 }, 'partially_succeeded'],
    ['coverage unproven even if counts look complete', { ...ok, proof: false }, 'partially_succeeded'],
    ['one uncovered type', { ...ok, processed: 2, uncovered: 1 }, 'partially_succeeded'],
    ['every type uncovered', { ...ok, processed: 0, uncovered: 3 }, 'partially_succeeded'],
    ['some failed, some processed', { ...ok, processed: 2, failed: 1 }, 'partially_succeeded'],
    ['none processed because all failed', { ...ok, processed: 0, failed: 3 }, 'failed'],
    ['none processed: the comparable ones failed, the rest uncovered', { ...ok, processed: 0, failed: 1, uncovered: 2 }, 'failed'],
    ['types neither compared, failed nor uncovered', { ...ok, processed: 2 }, 'partially_succeeded'],
  ] as const)('%s -> %s', (_label, input, expected) => {
    expect(compareOutcome(input)).toBe(expected);
  });

  it('property: auto-resolve is allowed only when every type was compared and none failed or went uncovered', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.nat(6), fc.nat(6), fc.nat(6), fc.nat(6), fc.boolean(), (proof, processed, failed, uncovered, extra, autoResolve) => {
        const total = processed + failed + uncovered + extra;
        const outcome = compareOutcome({ proof, total, processed, failed, uncovered });
        const allowed = autoResolveAllowed({ outcome, processed, total, failed, autoResolve });
        expect(allowed).toBe(autoResolve && proof && total > 0 && processed === total);
        expect(outcome !== 'succeeded' || processed === total).toBe(true);
      }),
    );
  });
});

describe('compareFailureSummary', () => {
  it('empty scope', () => {
    expect(compareFailureSummary({ proof: true, total: 0, uncovered: [], failed: 0 })).toEqual([
      { code: 'empty_scope', message: expect.stringContaining('no policy types'), count: 1 },
    ]);
  });

  it('unproven coverage says why', () => {
    const none = compareFailureSummary({ proof: false, total: 2, uncovered: [{ type: T, reason: 'no_completed_sync' }, { type: 'shellScript', reason: 'no_completed_sync' }], failed: 0 });
    expect(none).toEqual([{ code: 'coverage_unproven', message: expect.stringContaining('no completed inventory sync'), count: 2 }]);
    const unreadable = compareFailureSummary({ proof: false, total: 1, uncovered: [{ type: T, reason: 'coverage_unreadable' }], failed: 0 });
    expect(unreadable[0]?.message).toContain('no readable coverage');
  });

  it('uncovered types grouped by reason, and failed types', () => {
    const s = compareFailureSummary({
      proof: true,
      total: 5,
      uncovered: [
        { type: T, reason: 'sync_failed', error: 'Forbidden' },
        { type: 'shellScript', reason: 'not_synced' },
        { type: 'windowsUpdateRing', reason: 'sync_failed' },
      ],
      failed: 1,
    });
    expect(s).toEqual([
      { code: 'type_uncovered', message: 'Not covered by the latest inventory sync (not_synced): shellScript.', count: 1 },
      { code: 'type_uncovered', message: 'Not covered by the latest inventory sync (sync_failed): deviceConfiguration, windowsUpdateRing.', count: 2 },
      { code: 'type_failed', message: 'The compare of some policy types failed.', count: 1 },
    ]);
  });

  it('nothing to explain for a clean run', () => {
    expect(compareFailureSummary({ proof: true, total: 3, uncovered: [], failed: 0 })).toEqual([]);
  });
});
