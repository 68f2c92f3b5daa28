/**
 * The coverage gate (docs/coverage.md, "Coverage gate"). Coverage is what the tenant's latest *completed* inventory sync
 * recorded in `context.inventory.coverage`; it is untrusted input and parsed defensively here.
 *
 * - No completed sync (`coverage` undefined/null) or unreadable coverage: coverage is unproven,
 *   `proof` false, nothing is comparable and every type in scope is uncovered.
 * - A type in scope whose status is not `succeeded` (failed, absent, or an unreadable entry) is
 *   uncovered: it yields no findings and resolves nothing. A failed collection is never taken for a
 *   deletion.
 */
import type { InventoryCoverage, RegistryTypeKey } from './model.js';
import type { EffectiveScope } from './scope.js';

export type UncoveredReason =
  /** No completed inventory sync exists for the tenant. */
  | 'no_completed_sync'
  /** The sync's coverage document is not an object with a `policy_types` object. */
  | 'coverage_unreadable'
  /** The sync did not record this type at all. */
  | 'not_synced'
  /** The sync recorded the type as failed. */
  | 'sync_failed'
  /** The type's entry is not `{ status: succeeded|failed, item_count?: n >= 0, error?: string }`. */
  | 'entry_unreadable';

export interface UncoveredType {
  type: RegistryTypeKey;
  reason: UncoveredReason;
  /** The sync's error text for a failed type, when it gave one (capped at 500 characters). */
  error?: string;
}

export interface CoverageGateResult {
  /** `context.baseline_compare.coverage.proof`: a completed sync with readable coverage exists. */
  proof: boolean;
  /** Types in scope that may be compared, in scope order (policy types, then foundation types). */
  comparable: RegistryTypeKey[];
  /** Types in scope that may not be compared, in scope order. */
  uncovered: UncoveredType[];
}

type Entry = { ok: true; status: 'succeeded' | 'failed'; error?: string } | { ok: false };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readEntry(section: Record<string, unknown>, type: string): Entry | undefined {
  if (!Object.hasOwn(section, type)) return undefined;
  const raw = section[type];
  if (!isPlainObject(raw)) return { ok: false };
  const { status, item_count: itemCount, error } = raw;
  if (status !== 'succeeded' && status !== 'failed') return { ok: false };
  if (itemCount !== undefined && !(typeof itemCount === 'number' && Number.isInteger(itemCount) && itemCount >= 0)) {
    return { ok: false };
  }
  if (error !== undefined && typeof error !== 'string') return { ok: false };
  return error === undefined ? { ok: true, status } : { ok: true, status, error: error.slice(0, 500) };
}

/** Reads an untrusted coverage document; undefined when it is not readable. */
export function parseCoverage(coverage: unknown): InventoryCoverage | undefined {
  if (!isPlainObject(coverage) || !isPlainObject(coverage.policy_types)) return undefined;
  const foundation = coverage.foundation_types;
  if (foundation !== undefined && !isPlainObject(foundation)) return undefined;
  return {
    policy_types: coverage.policy_types as InventoryCoverage['policy_types'],
    foundation_types: (foundation ?? {}) as InventoryCoverage['foundation_types'],
  };
}

/**
 * Gates a compare's scope on the coverage of the latest completed inventory sync. `coverage` is an
 * `InventoryCoverage` when all is well, `undefined` when there is no completed sync, and anything at
 * all when the stored document is damaged: it is typed `unknown` and read defensively.
 */
export function gateCoverage(input: { scope: EffectiveScope; coverage: unknown }): CoverageGateResult {
  const inScope: { type: RegistryTypeKey; foundation: boolean }[] = [
    ...input.scope.policyTypes.map((type) => ({ type, foundation: false })),
    ...input.scope.foundationTypes.map((type) => ({ type, foundation: true })),
  ];
  const seen = new Set<RegistryTypeKey>();
  const types = inScope.filter(({ type }) => (seen.has(type) ? false : (seen.add(type), true)));

  if (input.coverage === undefined || input.coverage === null) {
    return { proof: false, comparable: [], uncovered: types.map(({ type }) => ({ type, reason: 'no_completed_sync' })) };
  }
  const parsed = parseCoverage(input.coverage);
  if (parsed === undefined) {
    return { proof: false, comparable: [], uncovered: types.map(({ type }) => ({ type, reason: 'coverage_unreadable' })) };
  }

  const comparable: RegistryTypeKey[] = [];
  const uncovered: UncoveredType[] = [];
  for (const { type, foundation } of types) {
    const section = (foundation ? parsed.foundation_types : parsed.policy_types) as Record<string, unknown>;
    const entry = readEntry(section, type);
    if (entry === undefined) uncovered.push({ type, reason: 'not_synced' });
    else if (!entry.ok) uncovered.push({ type, reason: 'entry_unreadable' });
    else if (entry.status === 'succeeded') comparable.push(type);
    else uncovered.push(entry.error === undefined ? { type, reason: 'sync_failed' } : { type, reason: 'sync_failed', error: entry.error });
  }
  return { proof: true, comparable, uncovered };
}

/** `context.baseline_compare.coverage` of a compare run (snake_case: mirrors TenantAtlas). */
export function coverageContext(result: CoverageGateResult): {
  proof: boolean;
  comparable_types: RegistryTypeKey[];
  uncovered_types: { type: RegistryTypeKey; reason: UncoveredReason; error?: string }[];
} {
  return { proof: result.proof, comparable_types: [...result.comparable], uncovered_types: result.uncovered.map((u) => ({ ...u })) };
}
