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
 * `alignedMeta` (and `aligned` stays content-verified). Such a subject's assignments are still
 * compared: a provable assignments drift is a finding (`dimensions: ["assignments"]`, with
 * `contentIncomplete` saying what its settings lacked), never hidden behind the gap.
 *
 * Dimensions (design 3.5): a subject on both sides is compared on its settings (content or meta
 * hash, as before) and on its assignments (`assignmentsHash`), unless the profile leaves assignments
 * out or a side did not collect them (counted in `assignmentsNotCompared`). Equal assignment hashes
 * decide only when every reference is named and no explicit group mapping may apply; otherwise the
 * candidate's assignments are `pending` and `settleAssignments` decides them once both sides'
 * assignments are loaded: aligned, a finding with `assignments` among its dimensions, or an
 * `assignment_target_unresolved` gap (a subject whose settings drifted stays a finding, the
 * unresolved references on its evidence).
 *
 * Subject links (`subject-links.ts`) are applied to the current side before this compare: a linked
 * tenant policy arrives under its baseline subject's key. A baseline subject whose link lost its
 * tenant policy (`brokenLinks`) is a `subject_link_broken` gap instead of a `missing_policy`.
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
import { SubjectTypeMismatchError } from './errors.js';
import { policyTypeDefinition, typeHasAssignments } from './registry.js';
import type { AssignmentsResolution, DriftDimension } from './assignments.js';
import type { PolicyGroupsResolution } from './policy-groups.js';

/** The assignments dimension of a candidate: decided, waiting for the loaded assignments, or not compared. */
export type AssignmentsState = 'equal' | 'drift' | 'pending' | 'unresolved' | 'not_compared' | 'off';

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
  /** `different_version`: the dimensions that drifted (settings, assignments). */
  dimensions?: DriftDimension[];
  /** `different_version`: the state of the assignments dimension. */
  assignments?: AssignmentsState;
  /** `pending`: the settings are decided by the groups named inside the policy (`settleAssignments`). */
  settings?: 'pending';
  /** What could not be resolved among the assignments (state `unresolved`). */
  unresolvedReferences?: string[];
  /** Ignored paths (the profile's and the assignment's) that removed something from a side. */
  ignoredPaths?: string[];
  /**
   * Set when the settings were compared on meta only and found equal while a side lacked its content
   * (design 3.6): the candidate stands for its assignments alone. A provable assignments drift stays a
   * finding (this records what its settings could not show); otherwise it settles as the
   * `content_incomplete` gap it would have been.
   */
  contentIncomplete?: { side: IncompleteSide; missing: string[] };
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
  /** Subjects on both sides whose assignments were not compared (a side did not collect them). */
  assignmentsNotCompared: number;
}

export interface CompareSubjectsOptions {
  /** The profile's `compareAssignments` (default on). */
  compareAssignments?: boolean;
  /** The tenant has explicit group mappings: equal hashes of assignments naming groups do not decide. */
  groupMappings?: boolean;
  /** Baseline subject key -> its link whose tenant policy no longer exists (`applySubjectLinks`). */
  brokenLinks?: ReadonlyMap<string, { linkId: string; tenantDisplayName: string }>;
}

function assignmentsState(b: SubjectSummary, c: SubjectSummary, options: CompareSubjectsOptions): AssignmentsState {
  if (options.compareAssignments === false) return 'off';
  if (b.assignmentsHash === undefined || c.assignmentsHash === undefined) return 'not_compared';
  if (b.assignmentsHash !== c.assignmentsHash) return 'pending';
  if ((b.assignmentsUnresolved ?? 0) > 0 || (c.assignmentsUnresolved ?? 0) > 0) return 'pending';
  if (options.groupMappings === true && ((b.assignmentGroups ?? 0) > 0 || (c.assignmentGroups ?? 0) > 0)) return 'pending';
  return 'equal';
}

/**
 * Whether the settings of two sides compared by content wait for their group lists
 * (`policy-groups.ts`): a side names groups inside the policy and the hashes differ (the groups may
 * still be the same by id or mapping), a group has no name, or the tenant has explicit mappings.
 */
function settingsPending(b: SubjectSummary, c: SubjectSummary, equalHashes: boolean, options: CompareSubjectsOptions): boolean {
  if ((b.policyGroupCount ?? 0) === 0 && (c.policyGroupCount ?? 0) === 0) return false;
  if (!equalHashes || options.groupMappings === true) return true;
  // The same lists, ids and names alike (a tenant compared with its own capture): the same groups.
  if (b.policyGroupsHash !== undefined && b.policyGroupsHash === c.policyGroupsHash) return false;
  return (b.policyGroupsUnresolved ?? 0) > 0 || (c.policyGroupsUnresolved ?? 0) > 0;
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
  options?: CompareSubjectsOptions;
}): CompareTypeResult {
  const options = input.options ?? {};
  const { policyType } = input;
  // Types Graph gives no assignments (conditional access, filters, ...) have no such dimension to miss.
  const assignable = typeHasAssignments(policyType);
  const base = group(policyType, input.baseline);
  const cur = group(policyType, input.current);

  const keys = new Set<string>(base.keys());
  for (const k of cur.keys()) keys.add(k);
  const sorted = [...keys].sort(); // the default sort is UTF-16 code unit order, as byKey

  let aligned = 0;
  let alignedMeta = 0;
  let assignmentsNotCompared = 0;
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

    const broken = options.brokenLinks?.get(subjectKey);
    if (b !== undefined && c === undefined && broken !== undefined) {
      gaps.push({ reason: 'subject_link_broken', policyType, subjectKey, displayName: b.first.displayName, baselineCount, currentCount, link: { ...broken } });
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
    // A type Graph gives no assignments has no such dimension: not "not compared", simply none.
    const assignments = assignable ? assignmentsState(b.first, c.first, options) : 'off';
    if (assignments === 'not_compared') assignmentsNotCompared++;
    const changed = (onSurface: boolean, settingsDrifted: boolean): DriftCandidate => ({
      changeType: 'different_version',
      policyType,
      subjectKey,
      displayName: c.first.displayName,
      baseline: b.first,
      current: c.first,
      comparedBy,
      fidelity,
      ...(onSurface ? { comparedOnSurface: true as const } : {}),
      dimensions: settingsDrifted ? ['settings'] : [],
      assignments,
    });
    if (comparedBy === 'content' && settingsPending(b.first, c.first, equal, options)) {
      // Groups named inside the policy: decided once both sides' group lists are loaded.
      drift.push({ ...changed(false, false), settings: 'pending' });
    } else if (!equal) {
      drift.push(changed(false, true));
    } else if (comparedBy === 'content') {
      // Equal settings: the assignments decide (`pending` ones once both sides are loaded).
      if (assignments === 'pending') drift.push(changed(false, false));
      else aligned++;
    } else if (b.first.surfaceHash !== undefined && c.first.surfaceHash !== undefined && b.first.surfaceHash !== c.first.surfaceHash) {
      drift.push(changed(true, true));
    } else if (assignments === 'pending') {
      // Settings not provably different (a side lacks its content), assignments to be decided: a
      // provable assignments drift is a finding, anything else the content_incomplete gap (settled).
      const contentIncomplete = { side: incompleteSide(b.first, c.first), missing: [...policyTypeDefinition(policyType).contentParts] };
      drift.push({ ...changed(false, false), contentIncomplete });
    } else {
      alignedMeta++;
      gaps.push(contentIncompleteGap(policyType, subjectKey, [b.minName, c.minName], incompleteSide(b.first, c.first)));
    }
  }

  return { policyType, subjects: sorted.length, aligned, alignedMeta, gaps, drift, assignmentsNotCompared };
}

function unresolvedGap(d: DriftCandidate, unresolved: string[]): CompareGap {
  return {
    reason: 'assignment_target_unresolved',
    policyType: d.policyType,
    subjectKey: d.subjectKey,
    displayName: d.displayName,
    baselineCount: 1,
    currentCount: 1,
    unresolved,
  };
}

function contentIncompleteGap(policyType: RegistryTypeKey, subjectKey: string, names: string[], side: IncompleteSide, unresolved?: string[]): CompareGap {
  return {
    reason: 'content_incomplete',
    policyType,
    subjectKey,
    // Like every gap's label, independent of which side is which.
    displayName: [...names].sort(byKey)[0]!,
    baselineCount: 1,
    currentCount: 1,
    incompleteSide: side,
    missing: [...policyTypeDefinition(policyType).contentParts],
    ...(unresolved !== undefined && unresolved.length > 0 ? { unresolved } : {}),
  };
}

function incompleteSide(baseline: SubjectSummary, current: SubjectSummary): IncompleteSide {
  const b = sideFidelity(baseline) === 'meta';
  const c = sideFidelity(current) === 'meta';
  return b && c ? 'both' : b ? 'baseline' : 'current';
}

/**
 * Decides the `pending` assignments of a compare's candidates from their resolutions (by subject
 * key; a pending candidate without one was not loaded and counts as not compared): equal ->
 * aligned unless its settings drifted; drift -> `assignments` joins its dimensions; unresolved -> an
 * `assignment_target_unresolved` gap, or, when its settings drifted, a finding on its settings with
 * the unresolved references. A candidate standing for its assignments alone because a side lacked
 * its content (`contentIncomplete`) is a finding only on a provable drift, otherwise the
 * `content_incomplete` gap (with the unresolved references, if any) counted in `alignedMeta`.
 * Keeps `subjects == aligned + gaps + drift`; gaps stay sorted by key.
 */
export function settleAssignments(
  result: CompareTypeResult,
  resolutions: ReadonlyMap<string, AssignmentsResolution>,
  settingsResolutions: ReadonlyMap<string, PolicyGroupsResolution> = new Map(),
): CompareTypeResult {
  let aligned = result.aligned;
  let alignedMeta = result.alignedMeta;
  let assignmentsNotCompared = result.assignmentsNotCompared;
  const gaps = [...result.gaps];
  const drift: DriftCandidate[] = [];
  for (const pendingCandidate of result.drift) {
    let d = pendingCandidate;
    if (d.settings === 'pending') {
      // Settings decided by the groups named inside the policy; unloaded, the hashes decide.
      const { settings: _pending, ...rest } = d;
      const groups = settingsResolutions.get(d.subjectKey);
      const verdict = groups?.verdict ?? (d.baseline?.contentHash === d.current?.contentHash ? 'equal' : 'drift');
      const groupsUnresolved = verdict === 'unresolved' ? (groups?.unresolved ?? []) : [];
      d = { ...rest, dimensions: verdict === 'drift' ? ['settings'] : [], ...(groupsUnresolved.length > 0 ? { unresolvedReferences: groupsUnresolved } : {}) };
      if (d.assignments !== 'pending') {
        if (verdict === 'drift') drift.push(d);
        else if (groupsUnresolved.length > 0) gaps.push(unresolvedGap(d, groupsUnresolved));
        else aligned++;
        continue;
      }
    }
    if (d.assignments !== 'pending') {
      drift.push(d);
      continue;
    }
    const settingsDrifted = (d.dimensions ?? []).includes('settings');
    const settingsUnresolved = d.unresolvedReferences ?? [];
    const resolution = resolutions.get(d.subjectKey);
    if (d.contentIncomplete !== undefined && resolution?.verdict !== 'drift') {
      // Not provably different: the gap a side without its content is (design 3.6), with whatever
      // of its assignments could not be resolved.
      if (resolution === undefined) assignmentsNotCompared++;
      alignedMeta++;
      const names = [d.baseline?.displayName ?? d.displayName, d.current?.displayName ?? d.displayName];
      gaps.push(contentIncompleteGap(d.policyType, d.subjectKey, names, d.contentIncomplete.side, resolution?.unresolved));
      continue;
    }
    // Settings undecided (their groups unresolved) and assignments equal or not compared: the gap.
    const settingsOnlyGap = !settingsDrifted && settingsUnresolved.length > 0;
    if (resolution === undefined) {
      assignmentsNotCompared++;
      if (settingsDrifted) drift.push({ ...d, assignments: 'not_compared' });
      else if (settingsOnlyGap) gaps.push(unresolvedGap(d, settingsUnresolved));
      else aligned++;
      continue;
    }
    if (resolution.verdict === 'equal') {
      if (settingsDrifted) drift.push({ ...d, assignments: 'equal' });
      else if (settingsOnlyGap) gaps.push(unresolvedGap(d, settingsUnresolved));
      else aligned++;
    } else if (resolution.verdict === 'drift') {
      drift.push({ ...d, assignments: 'drift', dimensions: [...(d.dimensions ?? []), 'assignments'] });
    } else if (settingsDrifted) {
      drift.push({ ...d, assignments: 'unresolved', unresolvedReferences: [...settingsUnresolved, ...resolution.unresolved] });
    } else {
      gaps.push(unresolvedGap(d, [...settingsUnresolved, ...resolution.unresolved]));
    }
  }
  gaps.sort((a, b) => byKey(a.subjectKey, b.subjectKey));
  return { ...result, aligned, alignedMeta, gaps, drift, assignmentsNotCompared };
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
  unresolved?: string[];
  /** `subject_link_broken`: the link and the tenant policy name it waits for. */
  link_id?: string;
  tenant_display_name?: string;
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
      ...(g.unresolved !== undefined ? { unresolved: g.unresolved.slice(0, 20) } : {}),
      ...(g.link !== undefined ? { link_id: g.link.linkId, tenant_display_name: g.link.tenantDisplayName } : {}),
    })),
  };
}
