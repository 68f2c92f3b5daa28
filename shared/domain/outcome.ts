/**
 * Summary counts (docs/compare.md, "Summary counts") and outcome (docs/compare.md, "Outcome", with docs/coverage.md) of a compare run.
 *
 * `total`, `processed`, `failed` and `errors_recorded` count policy TYPES: `total` the effective
 * types (policy and foundation types in scope), `processed` the types compared, `failed` the types
 * whose compare failed, `errors_recorded` the uncovered types (with unproven coverage every type in
 * scope is uncovered), or 1 for an empty scope. The rest count subjects and findings:
 * `subjects`/`aligned`/`aligned_meta`/`gaps` from each compared type, `missing_policy`/`unexpected_policy`/
 * `different_version` and `severity_*` from its drift candidates (every finding the run observed,
 * whatever its status), `findings_new`/`findings_seen`/`findings_reopened` from the lifecycle's
 * observation effects (`already_applied` is not counted again), `findings_resolved` from auto-resolve.
 */
import type { CompareSummaryCounts, FailureSummaryEntry, OperationRunOutcome, SeverityMapping } from './model.js';
import type { CompareTypeResult } from './compare.js';
import type { ObservationEffect } from './lifecycle.js';
import type { UncoveredType } from './coverage.js';
import { severityFor } from './severity.js';

export function emptyCompareCounts(): CompareSummaryCounts {
  return {
    total: 0,
    processed: 0,
    failed: 0,
    errors_recorded: 0,
    subjects: 0,
    aligned: 0,
    aligned_meta: 0,
    gaps: 0,
    findings_new: 0,
    findings_seen: 0,
    findings_reopened: 0,
    findings_resolved: 0,
    missing_policy: 0,
    unexpected_policy: 0,
    different_version: 0,
    severity_low: 0,
    severity_medium: 0,
    severity_high: 0,
    severity_critical: 0,
    assignments_not_compared: 0,
  };
}

/** Adds one compared type: processed + 1, its subjects, aligned, gaps and drift by change type and severity. */
export function addTypeResult(
  counts: CompareSummaryCounts,
  result: Pick<CompareTypeResult, 'subjects' | 'aligned' | 'gaps' | 'drift'> & { alignedMeta?: number; assignmentsNotCompared?: number },
  severityMapping?: Partial<SeverityMapping>,
): CompareSummaryCounts {
  const next = { ...counts };
  next.processed += 1;
  next.subjects += result.subjects;
  next.aligned += result.aligned;
  next.aligned_meta += result.alignedMeta ?? 0;
  next.gaps += result.gaps.length;
  next.assignments_not_compared += result.assignmentsNotCompared ?? 0;
  for (const d of result.drift) {
    next[d.changeType] += 1;
    next[`severity_${severityFor(d.changeType, severityMapping)}`] += 1;
  }
  return next;
}

/** Adds the lifecycle effects of applying a type's observations. */
export function addObservationEffects(counts: CompareSummaryCounts, effects: readonly ObservationEffect[]): CompareSummaryCounts {
  const next = { ...counts };
  for (const e of effects) {
    if (e === 'new') next.findings_new += 1;
    else if (e === 'seen') next.findings_seen += 1;
    else if (e === 'reopened') next.findings_reopened += 1;
  }
  return next;
}

/** Adds the counts of several partial summaries (e.g. one per type from a Map state), field by field. */
export function mergeCompareCounts(...parts: readonly Partial<CompareSummaryCounts>[]): CompareSummaryCounts {
  const out = emptyCompareCounts();
  for (const p of parts) {
    for (const k of Object.keys(out) as (keyof CompareSummaryCounts)[]) {
      const v = p[k];
      if (typeof v === 'number' && Number.isFinite(v)) out[k] += v;
    }
  }
  return out;
}

/** `errors_recorded`: the uncovered types, or 1 for an empty scope. */
export function errorsRecorded(input: { total: number; uncovered: number }): number {
  return input.total === 0 ? 1 : input.uncovered;
}

export interface SummarizeCompareInput {
  /** Number of effective types (policy and foundation types in scope). */
  total: number;
  uncovered: readonly UncoveredType[] | number;
  /** Results of the types that were compared. */
  typeResults: readonly (Pick<CompareTypeResult, 'subjects' | 'aligned' | 'gaps' | 'drift'> & { alignedMeta?: number; assignmentsNotCompared?: number })[];
  /** Number of types whose compare failed. */
  failed: number;
  effects?: readonly ObservationEffect[];
  resolved?: number;
  severityMapping?: Partial<SeverityMapping>;
}

/** The whole summary of a compare run from its parts. */
export function summarizeCompare(input: SummarizeCompareInput): CompareSummaryCounts {
  let counts = emptyCompareCounts();
  for (const r of input.typeResults) counts = addTypeResult(counts, r, input.severityMapping);
  counts = addObservationEffects(counts, input.effects ?? []);
  const uncovered = typeof input.uncovered === 'number' ? input.uncovered : input.uncovered.length;
  counts.total = input.total;
  counts.failed = input.failed;
  counts.errors_recorded = errorsRecorded({ total: input.total, uncovered });
  counts.findings_resolved = input.resolved ?? 0;
  return counts;
}

/**
 * The outcome of a compare that got as far as comparing (docs/compare.md, "Outcome", and docs/coverage.md), checked in this order:
 * empty scope -> partially_succeeded; unproven coverage -> partially_succeeded; no type compared and
 * at least one failed -> failed; any uncovered or failed type -> partially_succeeded; every type
 * compared -> succeeded; anything else (types neither compared, failed nor uncovered) ->
 * partially_succeeded, so auto-resolve never runs on an incomplete run.
 * (`failed` before any compare: no active profile, no complete snapshot, a failed dispatch, and
 * `cancelled` are decided where they happen, not here.)
 */
export function compareOutcome(input: { proof: boolean; total: number; processed: number; failed: number; uncovered: number }): Exclude<
  OperationRunOutcome,
  'pending' | 'cancelled'
> {
  if (input.total === 0) return 'partially_succeeded';
  if (!input.proof) return 'partially_succeeded';
  if (input.processed === 0 && input.failed > 0) return 'failed';
  if (input.uncovered > 0 || input.failed > 0) return 'partially_succeeded';
  if (input.processed === input.total) return 'succeeded';
  return 'partially_succeeded';
}

/**
 * `failureSummary` entries of a compare run that explain a non-succeeded outcome: `empty_scope`,
 * `coverage_unproven`, `type_uncovered` (one entry per reason) and `type_failed`.
 */
export function compareFailureSummary(input: {
  proof: boolean;
  total: number;
  uncovered: readonly UncoveredType[];
  failed: number;
}): FailureSummaryEntry[] {
  const out: FailureSummaryEntry[] = [];
  if (input.total === 0) {
    out.push({ code: 'empty_scope', message: 'The effective scope has no policy types: nothing was compared.', count: 1 });
    return out;
  }
  if (!input.proof) {
    const reason = input.uncovered[0]?.reason;
    out.push({
      code: 'coverage_unproven',
      message:
        reason === 'coverage_unreadable'
          ? 'The latest completed inventory sync has no readable coverage: no findings were recorded.'
          : 'The tenant has no completed inventory sync: no findings were recorded.',
      count: input.uncovered.length,
    });
  } else {
    const byReason = new Map<string, string[]>();
    for (const u of input.uncovered) byReason.set(u.reason, [...(byReason.get(u.reason) ?? []), u.type]);
    for (const [reason, types] of [...byReason].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      out.push({ code: 'type_uncovered', message: `Not covered by the latest inventory sync (${reason}): ${types.join(', ')}.`, count: types.length });
    }
  }
  if (input.failed > 0) {
    out.push({ code: 'type_failed', message: 'The compare of some policy types failed.', count: input.failed });
  }
  return out;
}
