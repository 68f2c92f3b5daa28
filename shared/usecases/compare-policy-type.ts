/**
 * Compare of one policy type, shared by the offline `compare` command and the ComparePolicyType task:
 * match the small per-subject summaries of both sides, then read full content only for the subjects
 * whose hashes differ and work out which properties drifted.
 */
import { compareSubjects, settleAssignments, type CompareTypeResult, type DriftCandidate } from '../domain/compare.js';
import { combineDrift, resolveAssignments, type AssignmentsResolution, type GroupMapping } from '../domain/assignments.js';
import { driftedProperties, type DriftResult } from '../domain/drift.js';
import type { RegistryTypeKey, SubjectSummary } from '../domain/model.js';
import { policyTypeDefinition, type PolicyTypeDefinition } from '../domain/registry.js';
import { surfaceOf } from '../domain/normalize.js';
import { canonicalJson, sha256Hex } from '../domain/canonical.js';
import { ASSIGNMENTS_POINTER, stripIgnored } from '../domain/ignored-properties.js';
import { applySubjectLinks } from '../domain/subject-links.js';
import type { SubjectLink } from '../domain/model.js';
import { policyGroupListsOfContent, resolvePolicyGroups, type PolicyGroupsResolution } from '../domain/policy-groups.js';
import type { SubjectContent } from './ports/persistence.js';

export type { SubjectContent };

/** Reads the normalized content of the given subjects of one side (by subject key or external id). */
export type ContentLoader = (ids: readonly string[]) => Promise<ReadonlyMap<string, SubjectContent>>;

export interface ComparedPolicyType {
  result: CompareTypeResult;
  /** Drifted properties of each `different_version` candidate (settings, then `/assignments/...`), by subject key. */
  drifted: ReadonlyMap<string, DriftResult>;
  /** Normalized content of both sides of each `different_version` candidate that has it, by subject key. */
  contents: ReadonlyMap<string, { baseline: Record<string, unknown>; current: Record<string, unknown> }>;
}

const NO_DRIFT: DriftResult = { properties: [], truncated: false };

/**
 * `loadBaseline` is called with baseline subject keys; `loadCurrent` with the current subjects'
 * `externalId` (or subject key where a side has no external id). Both are called once, with only the
 * subjects whose settings or assignments may differ. `compareAssignments` is the profile's switch
 * (default on); `groupMappings` are the tenant's explicit mappings of baseline groups.
 *
 * `subjectLinks` (the tenant's) are applied to the current side first. `ignoredPaths` (the profile's
 * and the assignment's paths of this type) are removed from both sides before hashing: then the
 * stored hashes cannot decide, so the contents of every subject on both sides are read (once, in
 * the same two calls) and hashed again without those paths. Without ignored paths nothing more is
 * read than the subjects whose stored hashes differ. `/assignments` leaves that dimension out.
 */
export async function comparePolicyType(input: {
  policyType: RegistryTypeKey;
  baseline: readonly SubjectSummary[];
  current: readonly SubjectSummary[];
  loadBaseline: ContentLoader;
  loadCurrent: ContentLoader;
  compareAssignments?: boolean;
  groupMappings?: readonly GroupMapping[];
  subjectLinks?: readonly Pick<SubjectLink, 'linkId' | 'policyType' | 'baselineSubjectKey' | 'tenantDisplayName'>[];
  ignoredPaths?: readonly string[];
}): Promise<ComparedPolicyType> {
  const mappings = input.groupMappings ?? [];
  const linked = applySubjectLinks(input.policyType, input.baseline, input.current, input.subjectLinks ?? []);
  const ignored = input.ignoredPaths ?? [];
  const contentPaths = ignored.filter((p) => p !== ASSIGNMENTS_POINTER);
  const ignoreAssignments = ignored.includes(ASSIGNMENTS_POINTER);
  const stripped = contentPaths.length > 0 ? await loadStripped(input, input.baseline, linked.current, contentPaths) : undefined;
  const compared = compareSubjects({
    policyType: input.policyType,
    baseline: stripped?.baseline ?? input.baseline,
    current: stripped?.current ?? linked.current,
    options: {
      compareAssignments: input.compareAssignments !== false && !ignoreAssignments,
      groupMappings: mappings.length > 0,
      brokenLinks: linked.broken,
    },
  });
  if (ignored.length > 0) {
    compared.drift = compared.drift.map((d) => {
      const paths = [...(stripped?.applied.get(d.subjectKey) ?? [])];
      const hadAssignments = d.changeType === 'different_version' && (d.baseline?.assignmentsHash !== undefined || d.current?.assignmentsHash !== undefined);
      if (ignoreAssignments && hadAssignments) paths.push(ASSIGNMENTS_POINTER);
      return paths.length > 0 ? { ...d, ignoredPaths: ignored.filter((p) => paths.includes(p)) } : d;
    });
  }
  const changed = compared.drift.filter(
    (d): d is DriftCandidate & { baseline: SubjectSummary; current: SubjectSummary } =>
      d.changeType === 'different_version' && d.baseline !== undefined && d.current !== undefined,
  );
  const drifted = new Map<string, DriftResult>();
  const contents = new Map<string, { baseline: Record<string, unknown>; current: Record<string, unknown> }>();
  if (changed.length === 0) return { result: compared, drifted, contents };

  const [baseContents, curContents] = stripped
    ? [stripped.baseContents, stripped.curContents]
    : await Promise.all([input.loadBaseline(changed.map((d) => d.baseline.subjectKey)), input.loadCurrent(changed.map((d) => currentId(d.current)))]);
  const resolutions = new Map<string, AssignmentsResolution>();
  for (const d of changed) {
    if (d.assignments !== 'pending') continue;
    const b = baseContents.get(d.baseline.subjectKey)?.assignments;
    const c = curContents.get(currentId(d.current))?.assignments;
    if (b !== undefined && c !== undefined) resolutions.set(d.subjectKey, resolveAssignments(b, c, { mappings }));
  }
  // Settings that name groups inside the policy: compared as mapped references (`policy-groups.ts`).
  const groupResolutions = new Map<string, PolicyGroupsResolution>();
  for (const d of changed) {
    if (d.settings !== 'pending') continue;
    const b = baseContents.get(d.baseline.subjectKey);
    const c = curContents.get(currentId(d.current));
    if (b?.content === undefined || c?.content === undefined) continue;
    groupResolutions.set(
      d.subjectKey,
      resolvePolicyGroups({
        baseline: b.content,
        current: c.content,
        // A side stored before its group lists were kept: read from its content (names, or unresolved).
        baselineLists: b.policyGroups ?? policyGroupListsOfContent(b.content),
        currentLists: c.policyGroups ?? policyGroupListsOfContent(c.content),
        mappings,
      }),
    );
  }
  const result = settleAssignments(compared, resolutions, groupResolutions);

  const definition = policyTypeDefinition(input.policyType);
  const { keyedArrays } = definition;
  for (const d of result.drift) {
    if (d.changeType !== 'different_version' || d.baseline === undefined || d.current === undefined) continue;
    const b = comparable(definition, d, baseContents.get(d.baseline.subjectKey));
    const c = comparable(definition, d, curContents.get(currentId(d.current)));
    const assignments = d.assignments === 'drift' ? resolutions.get(d.subjectKey)?.drift : undefined;
    // Drifted properties are paths into normalized content: listed when both sides have content
    // (or, compared on their remainder, both remainders).
    if (b?.content === undefined || c?.content === undefined) {
      drifted.set(d.subjectKey, assignments ?? NO_DRIFT);
      continue;
    }
    contents.set(d.subjectKey, { baseline: b.content, current: c.content });
    // Where groups named inside the policy were resolved, paths are computed with the groups by name
    // (paired groups by the baseline's), so only what differs shows.
    const groups = groupResolutions.get(d.subjectKey);
    const settings = (d.dimensions ?? []).includes('settings')
      ? driftedProperties(groups?.baseline ?? b.content, groups?.current ?? c.content, { keyedArrays })
      : undefined;
    drifted.set(d.subjectKey, combineDrift(settings, assignments));
  }
  return { result, drifted, contents };
}

/** What a candidate compared on: the content, or for a remainder compare the remainders of both sides. */
function comparable(definition: PolicyTypeDefinition, d: DriftCandidate, stored: SubjectContent | undefined): { content?: Record<string, unknown> } | undefined {
  if (stored === undefined || d.comparedOnSurface !== true) return stored;
  const surface = stored.surface ?? (stored.content !== undefined ? surfaceOf(definition, stored.content) : undefined);
  return surface === undefined ? {} : { content: surface };
}

export function currentId(s: SubjectSummary): string {
  return s.externalId ?? s.linkedFrom?.subjectKey ?? s.subjectKey;
}

interface StrippedSides {
  baseline: SubjectSummary[];
  current: SubjectSummary[];
  /** Contents without the ignored paths: baseline by subject key, current by `currentId`. */
  baseContents: Map<string, SubjectContent>;
  curContents: Map<string, SubjectContent>;
  /** Subject key -> the paths that removed something from either side. */
  applied: Map<string, Set<string>>;
}

/**
 * Both sides' subjects present once on each side, read and hashed again without `paths` (a subject
 * on one side only needs no hash to be missing or unexpected). A side whose content the paths do not
 * touch keeps its stored hashes (they are the canonical hashes of the same content).
 */
async function loadStripped(
  input: { policyType: RegistryTypeKey; loadBaseline: ContentLoader; loadCurrent: ContentLoader },
  baseline: readonly SubjectSummary[],
  current: readonly SubjectSummary[],
  paths: readonly string[],
): Promise<StrippedSides> {
  const count = (list: readonly SubjectSummary[]) => {
    const n = new Map<string, number>();
    for (const s of list) n.set(s.subjectKey, (n.get(s.subjectKey) ?? 0) + (s.ambiguousCount ?? 1));
    return n;
  };
  const nb = count(baseline);
  const nc = count(current);
  const paired = (s: SubjectSummary) => nb.get(s.subjectKey) === 1 && nc.get(s.subjectKey) === 1 && (s.contentHash !== undefined || s.surfaceHash !== undefined);
  const [baseContents, curContents] = await Promise.all([
    input.loadBaseline(baseline.filter(paired).map((s) => s.subjectKey)),
    input.loadCurrent(current.filter(paired).map(currentId)),
  ]);
  const definition = policyTypeDefinition(input.policyType);
  const applied = new Map<string, Set<string>>();
  const strip = (s: SubjectSummary, id: string, contents: ReadonlyMap<string, SubjectContent>, out: Map<string, SubjectContent>): SubjectSummary => {
    const stored = contents.get(id);
    if (stored === undefined || !paired(s)) return s;
    const target = stored.content ?? stored.surface;
    if (target === undefined) {
      out.set(id, stored);
      return s;
    }
    const result = stripIgnored(target, paths, definition.keyedArrays);
    if (result.applied.length === 0) {
      out.set(id, stored);
      return s;
    }
    const seen = applied.get(s.subjectKey) ?? new Set<string>();
    for (const p of result.applied) seen.add(p);
    applied.set(s.subjectKey, seen);
    const hash = (v: unknown) => sha256Hex(canonicalJson(v));
    if (stored.content !== undefined) {
      out.set(id, { ...stored, content: result.content });
      return { ...s, contentHash: hash(result.content), ...(s.surfaceHash !== undefined ? { surfaceHash: hash(surfaceOf(definition, result.content)) } : {}) };
    }
    out.set(id, { ...stored, surface: result.content });
    return { ...s, surfaceHash: hash(result.content) };
  };
  const base = new Map<string, SubjectContent>();
  const cur = new Map<string, SubjectContent>();
  return {
    baseline: baseline.map((s) => strip(s, s.subjectKey, baseContents, base)),
    current: current.map((s) => strip(s, currentId(s), curContents, cur)),
    baseContents: base,
    curContents: cur,
    applied,
  };
}

/** The hash a side was compared by (content when both sides had content, else meta). */
export function comparedHash(d: DriftCandidate, side: 'baseline' | 'current'): string | null {
  const s = side === 'baseline' ? d.baseline : d.current;
  if (s === undefined) return null;
  if (d.comparedOnSurface === true && s.surfaceHash !== undefined) return s.surfaceHash;
  return d.comparedBy === 'content' && s.contentHash ? s.contentHash : s.metaHash;
}
