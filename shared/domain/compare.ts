/**
 * Compare of one policy type (docs/identity.md and docs/compare.md): baseline subjects against the tenant's current
 * subjects, matched by `subjectKey`. Pure and linear: one Map pass per side, one sort of the keys.
 *
 * Counting: `subjects` is the number of distinct subject keys across both sides. Every key ends up in
 * exactly one bucket, so `subjects == aligned + gaps.length + drift.length` always holds.
 *
 * Content that is not all there is never "aligned" (design 3.6): when a side lacks its content
 * (no content hash) and the meta hashes are equal, the comparable remainders (`surfaceHash`, the
 * top-level configuration without the content parts) decide: different -> `different_version`
 * (compared on the remainder, at `mixed` fidelity when the other side had content); equal or not
 * comparable -> a `content_incomplete` gap naming the side and what it lacked, counted in
 * `alignedMeta` (and `aligned` stays content-verified).
 *
 * Output order: `gaps` and `drift` are sorted by `subjectKey` (UTF-16 code unit order, so the result
 * does not depend on the locale); the order of the inputs never changes the output.
 */
import type {
  ChangeType,
  CompareGap,
  Fidelity,
  FindingFidelity,
  IncompleteSide,
  RegistryTypeKey,
  SubjectSummary,
} from './model.js';
import { SubjectTypeMismatchError } from './compare-errors.js';
import { policyTypeDefinition } from './registry.js';

/** One subject that drifted: becomes a finding observation. */
export interface DriftCandidate {
  changeType: ChangeType;
  policyType: RegistryTypeKey;
  subjectKey: string;
  /** The tenant's name when the tenant has the subject, else the baseline's. */
  displayName: string;
  /** Absent for `unexpected_policy`. */
  baseline?: SubjectSummary;
  /** Absent for `missing_policy`. */
  current?: SubjectSummary;
  /** What the two sides were compared by (`different_version`), or what the one side has. */
  comparedBy: Fidelity;
  /** Finding fidelity: both content, both (or best common) meta, or `mixed` (one side content only). */
  fidelity: FindingFidelity;
  /** Set when a side lacked its content and the two differ in their comparable remainder
   *  (`surfaceHash`), with equal meta hashes. */
  comparedOnSurface?: true;
}

export interface CompareTypeResult {
  policyType: RegistryTypeKey;
  /** Distinct subject keys across both sides. */
  subjects: number;
  /** Keys present once on each side with equal content hashes (content-verified). */
  aligned: number;
  /** Keys present once on each side with equal meta hashes while a side lacked its content: each is
   *  also a `content_incomplete` gap. */
  alignedMeta: number;
  /** Keys shared by two or more subjects on one side: no finding for them. */
  gaps: CompareGap[];
  drift: DriftCandidate[];
}

export function sideFidelity(s: SubjectSummary): Fidelity {
  return s.contentHash !== undefined && s.contentHash !== '' ? 'content' : 'meta';
}

/**
 * The best fidelity both sides have (`comparedBy`) and the finding fidelity: `mixed` when one side had
 * content and the other only meta (they are then compared by meta hash).
 */
export function compareFidelity(baseline: SubjectSummary, current: SubjectSummary): { comparedBy: Fidelity; fidelity: FindingFidelity } {
  const b = sideFidelity(baseline);
  const c = sideFidelity(current);
  if (b === 'content' && c === 'content') return { comparedBy: 'content', fidelity: 'content' };
  if (b === 'meta' && c === 'meta') return { comparedBy: 'meta', fidelity: 'meta' };
  return { comparedBy: 'meta', fidelity: 'mixed' };
}

interface Group {
  first: SubjectSummary;
  /** Subjects sharing the key on this side (a snapshot marker counts as its `ambiguousCount`). */
  count: number;
  /** Smallest display name among them: an order-independent label for gaps. */
  minName: string;
}

function weight(s: SubjectSummary): number {
  return s.ambiguousCount !== undefined && s.ambiguousCount >= 2 ? s.ambiguousCount : 1;
}

function group(policyType: RegistryTypeKey, subjects: readonly SubjectSummary[]): Map<string, Group> {
  const out = new Map<string, Group>();
  for (const s of subjects) {
    if (s.policyType !== policyType) throw new SubjectTypeMismatchError(policyType, s.policyType, s.subjectKey);
    const g = out.get(s.subjectKey);
    if (g === undefined) out.set(s.subjectKey, { first: s, count: weight(s), minName: s.displayName });
    else {
      g.count += weight(s);
      if (s.displayName < g.minName) g.minName = s.displayName;
    }
  }
  return out;
}

function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareSubjects(input: {
  policyType: RegistryTypeKey;
  baseline: readonly SubjectSummary[];
  current: readonly SubjectSummary[];
}): CompareTypeResult {
  const { policyType } = input;
  const base = group(policyType, input.baseline);
  const cur = group(policyType, input.current);

  const keys = new Set<string>(base.keys());
  for (const k of cur.keys()) keys.add(k);
  const sorted = [...keys].sort(); // the default sort is UTF-16 code unit order, as byKey

  let aligned = 0;
  let alignedMeta = 0;
  const gaps: CompareGap[] = [];
  const drift: DriftCandidate[] = [];

  for (const subjectKey of sorted) {
    const b = base.get(subjectKey);
    const c = cur.get(subjectKey);
    const baselineCount = b?.count ?? 0;
    const currentCount = c?.count ?? 0;

    if (baselineCount >= 2 || currentCount >= 2) {
      const names = [b?.minName, c?.minName].filter((n): n is string => n !== undefined).sort(byKey);
      gaps.push({ reason: 'ambiguous_match', policyType, subjectKey, displayName: names[0] ?? subjectKey, baselineCount, currentCount });
      continue;
    }

    if (b !== undefined && c === undefined) {
      const f = sideFidelity(b.first);
      drift.push({ changeType: 'missing_policy', policyType, subjectKey, displayName: b.first.displayName, baseline: b.first, comparedBy: f, fidelity: f });
      continue;
    }
    if (b === undefined && c !== undefined) {
      const f = sideFidelity(c.first);
      drift.push({ changeType: 'unexpected_policy', policyType, subjectKey, displayName: c.first.displayName, current: c.first, comparedBy: f, fidelity: f });
      continue;
    }
    if (b === undefined || c === undefined) continue; // unreachable: every key comes from one side

    const { comparedBy, fidelity } = compareFidelity(b.first, c.first);
    const equal = comparedBy === 'content' ? b.first.contentHash === c.first.contentHash : b.first.metaHash === c.first.metaHash;
    const changed = (onSurface: boolean): DriftCandidate => ({
      changeType: 'different_version',
      policyType,
      subjectKey,
      displayName: c.first.displayName,
      baseline: b.first,
      current: c.first,
      comparedBy,
      fidelity,
      ...(onSurface ? { comparedOnSurface: true as const } : {}),
    });
    if (!equal) {
      drift.push(changed(false));
    } else if (comparedBy === 'content') {
      aligned++;
    } else if (b.first.surfaceHash !== undefined && c.first.surfaceHash !== undefined && b.first.surfaceHash !== c.first.surfaceHash) {
      drift.push(changed(true));
    } else {
      alignedMeta++;
      gaps.push({
        reason: 'content_incomplete',
        policyType,
        subjectKey,
        // Like every gap's label, independent of which side is which.
        displayName: [b.minName, c.minName].sort(byKey)[0]!,
        baselineCount,
        currentCount,
        incompleteSide: incompleteSide(b.first, c.first),
        missing: [...policyTypeDefinition(policyType).contentParts],
      });
    }
  }

  return { policyType, subjects: sorted.length, aligned, alignedMeta, gaps, drift };
}

function incompleteSide(baseline: SubjectSummary, current: SubjectSummary): IncompleteSide {
  const b = sideFidelity(baseline) === 'meta';
  const c = sideFidelity(current) === 'meta';
  return b && c ? 'both' : b ? 'baseline' : 'current';
}

/** One gap as recorded in `context.baseline_compare.gaps` (snake_case: mirrors TenantAtlas). */
export interface GapContextEntry {
  reason: CompareGap['reason'];
  policy_type: RegistryTypeKey;
  subject_key: string;
  display_name: string;
  baseline_count: number;
  current_count: number;
  /** `content_incomplete`: the side that lacked its content and what it lacked. */
  incomplete_side?: IncompleteSide;
  missing?: string[];
}

/**
 * The run context's record of gaps: all of them up to `max` (default 100, to keep the run item
 * small), in the order given, with the full count and a `truncated` flag.
 */
export function gapsContext(gaps: readonly CompareGap[], max = 100): { count: number; truncated: boolean; items: GapContextEntry[] } {
  return {
    count: gaps.length,
    truncated: gaps.length > max,
    items: gaps.slice(0, Math.max(0, max)).map((g) => ({
      reason: g.reason,
      policy_type: g.policyType,
      subject_key: g.subjectKey,
      display_name: g.displayName,
      baseline_count: g.baselineCount,
      current_count: g.currentCount,
      ...(g.incompleteSide !== undefined ? { incomplete_side: g.incompleteSide } : {}),
      ...(g.missing !== undefined ? { missing: [...g.missing] } : {}),
    })),
  };
}
