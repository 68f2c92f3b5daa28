/**
 * Compare of one policy type, shared by the offline `compare` command and the ComparePolicyType task:
 * match the small per-subject summaries of both sides, then read full content only for the subjects
 * whose hashes differ and work out which properties drifted.
 */
import { compareSubjects, type CompareTypeResult, type DriftCandidate } from '../domain/compare.js';
import { driftedProperties, type DriftResult } from '../domain/drift.js';
import type { RegistryTypeKey, SubjectSummary } from '../domain/model.js';
import { policyTypeDefinition, type PolicyTypeDefinition } from '../domain/registry.js';
import { surfaceOf } from '../domain/normalize.js';
import type { SubjectContent } from './ports/persistence.js';

export type { SubjectContent };

/** Reads the normalized content of the given subjects of one side (by subject key or external id). */
export type ContentLoader = (ids: readonly string[]) => Promise<ReadonlyMap<string, SubjectContent>>;

export interface ComparedPolicyType {
  result: CompareTypeResult;
  /** Drifted properties of each `different_version` candidate, by subject key. */
  drifted: ReadonlyMap<string, DriftResult>;
  /** Normalized content of both sides of each `different_version` candidate that has it, by subject key. */
  contents: ReadonlyMap<string, { baseline: Record<string, unknown>; current: Record<string, unknown> }>;
}

const NO_DRIFT: DriftResult = { properties: [], truncated: false };

/**
 * `loadBaseline` is called with baseline subject keys; `loadCurrent` with the current subjects'
 * `externalId` (or subject key where a side has no external id). Both are called once, with only the
 * subjects that differ.
 */
export async function comparePolicyType(input: {
  policyType: RegistryTypeKey;
  baseline: readonly SubjectSummary[];
  current: readonly SubjectSummary[];
  loadBaseline: ContentLoader;
  loadCurrent: ContentLoader;
}): Promise<ComparedPolicyType> {
  const result = compareSubjects({ policyType: input.policyType, baseline: input.baseline, current: input.current });
  const changed = result.drift.filter(
    (d): d is DriftCandidate & { baseline: SubjectSummary; current: SubjectSummary } =>
      d.changeType === 'different_version' && d.baseline !== undefined && d.current !== undefined,
  );
  const drifted = new Map<string, DriftResult>();
  const contents = new Map<string, { baseline: Record<string, unknown>; current: Record<string, unknown> }>();
  if (changed.length === 0) return { result, drifted, contents };

  const [baseContents, curContents] = await Promise.all([
    input.loadBaseline(changed.map((d) => d.baseline.subjectKey)),
    input.loadCurrent(changed.map((d) => currentId(d.current))),
  ]);
  const definition = policyTypeDefinition(input.policyType);
  const { keyedArrays } = definition;
  for (const d of changed) {
    const b = comparable(definition, d, baseContents.get(d.baseline.subjectKey));
    const c = comparable(definition, d, curContents.get(currentId(d.current)));
    // Drifted properties are paths into normalized content: listed when both sides have content
    // (or, compared on their remainder, both remainders).
    if (b?.content === undefined || c?.content === undefined) {
      drifted.set(d.subjectKey, NO_DRIFT);
      continue;
    }
    contents.set(d.subjectKey, { baseline: b.content, current: c.content });
    drifted.set(d.subjectKey, driftedProperties(b.content, c.content, { keyedArrays }));
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
  return s.externalId ?? s.subjectKey;
}

/** The hash a side was compared by (content when both sides had content, else meta). */
export function comparedHash(d: DriftCandidate, side: 'baseline' | 'current'): string | null {
  const s = side === 'baseline' ? d.baseline : d.current;
  if (s === undefined) return null;
  if (d.comparedOnSurface === true && s.surfaceHash !== undefined) return s.surfaceHash;
  return d.comparedBy === 'content' && s.contentHash ? s.contentHash : s.metaHash;
}
