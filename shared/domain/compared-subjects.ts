/**
 * What a compare saw of every subject, and the fleet matrix built from it (docs/compare.md).
 *
 * A compare stores its drift (the finding observations, evidence included) and its gaps per policy
 * type; it does not store the aligned subjects one by one. It need not: a subject is aligned only when
 * both sides hold it once with equal content hashes, so the aligned subjects of a compared type are
 * exactly the baseline's subjects of that type that are neither drift nor gap, and their hash on both
 * sides is the baseline's content hash. The snapshot is immutable, so this is as exact later as at
 * compare time (`comparedSubjects`).
 *
 * Fleet states per (subject, tenant), from the tenant's last compare against the snapshot:
 * `not_compared` (no such compare, the type outside the tenant's scope, or the type's compare failed),
 * `uncovered` (the type's inventory was not proven: design 2.2), else what the compare saw:
 * `aligned`, `gap`, a change type, or `accepted` for drift whose finding is `risk_accepted` now.
 * A subject neither side holds (another tenant's unexpected policy) is `aligned` for this tenant.
 */
import { createHash } from 'node:crypto';
import type { ChangeType, CompareGap, DriftDimensionKey, FindingFidelity, FindingStatus, GapReason, RegistryTypeKey } from './model.js';
import { OPEN_FINDING_STATUSES } from './model.js';
import type { FindingObservation } from './lifecycle.js';

/** What a compare made of one subject. */
export type ComparedState = 'aligned' | ChangeType | 'gap';

export const FLEET_STATES = ['aligned', 'missing_policy', 'unexpected_policy', 'different_version', 'gap', 'uncovered', 'accepted', 'not_compared'] as const;
export type FleetState = (typeof FLEET_STATES)[number];

/** One compared subject, as the evidence export lists it. */
export interface ComparedSubject {
  subjectKey: string;
  displayName: string;
  policyType: RegistryTypeKey;
  state: ComparedState;
  changeType?: ChangeType;
  gapReason?: GapReason;
  /** The finding's fingerprint (drift only). */
  fingerprint?: string;
  baselineHash: string | null;
  currentHash: string | null;
  fidelity: FindingFidelity | null;
  /** The dimensions that drifted (`different_version`); empty otherwise. */
  dimensions: DriftDimensionKey[];
}

/** What the snapshot holds of a subject (its summary). */
export interface BaselineSubject {
  subjectKey: string;
  displayName: string;
  policyType: RegistryTypeKey;
  metaHash: string;
  contentHash?: string;
  ambiguousCount?: number;
}

/** A drifted subject as a compare observed it. */
export type DriftedSubject = Omit<ComparedSubject, 'state' | 'gapReason'> & { changeType: ChangeType };

export function driftedSubjectOf(o: FindingObservation): DriftedSubject {
  return {
    subjectKey: o.subjectKey,
    displayName: o.displayName,
    policyType: o.policyType,
    changeType: o.changeType,
    fingerprint: o.fingerprint,
    baselineHash: o.evidence.baseline.hash,
    currentHash: o.evidence.current.hash,
    fidelity: o.evidenceFidelity,
    dimensions: [...(o.evidence.dimensions ?? [])],
  };
}

function byKey(a: { subjectKey: string }, b: { subjectKey: string }): number {
  return a.subjectKey < b.subjectKey ? -1 : a.subjectKey > b.subjectKey ? 1 : 0;
}

/**
 * Every subject one compared type saw, in subject key order: its drift, its gaps, and the rest of the
 * baseline's subjects of the type (aligned, hashed alike on both sides).
 */
export function comparedSubjects(input: { baseline: readonly BaselineSubject[]; drift: readonly DriftedSubject[]; gaps: readonly CompareGap[] }): ComparedSubject[] {
  const baseline = new Map(input.baseline.map((b) => [b.subjectKey, b]));
  const out = new Map<string, ComparedSubject>();
  for (const d of input.drift) out.set(d.subjectKey, { ...d, state: d.changeType });
  for (const g of input.gaps) {
    if (out.has(g.subjectKey)) continue;
    const b = baseline.get(g.subjectKey);
    const markerOrAbsent = b === undefined || (b.ambiguousCount ?? 0) >= 2;
    // content_incomplete: equal meta hashes on both sides (that is what made it a gap).
    const metaEqual = g.reason === 'content_incomplete' && !markerOrAbsent;
    out.set(g.subjectKey, {
      subjectKey: g.subjectKey,
      displayName: g.displayName,
      policyType: g.policyType,
      state: 'gap',
      gapReason: g.reason,
      baselineHash: markerOrAbsent ? null : metaEqual ? b.metaHash : (b.contentHash ?? b.metaHash),
      currentHash: metaEqual ? b.metaHash : null,
      fidelity: metaEqual ? 'meta' : null,
      dimensions: [],
    });
  }
  for (const b of input.baseline) {
    if (out.has(b.subjectKey)) continue;
    const hash = b.contentHash ?? b.metaHash;
    out.set(b.subjectKey, {
      subjectKey: b.subjectKey,
      displayName: b.displayName,
      policyType: b.policyType,
      state: 'aligned',
      baselineHash: hash,
      currentHash: hash,
      fidelity: b.contentHash !== undefined ? 'content' : 'meta',
      dimensions: [],
    });
  }
  return [...out.values()].sort(byKey);
}

// ------------------------------------------------------------------------------------------------
// the fleet matrix
// ------------------------------------------------------------------------------------------------

export interface FleetCounts {
  aligned: number;
  aligned_meta: number;
  missing_policy: number;
  unexpected_policy: number;
  different_version: number;
  gaps: number;
  uncovered_types: number;
  accepted: number;
}

/** A tenant's last compare against the snapshot, with what it saw (drift and gaps) and its findings now. */
export interface FleetCompare {
  runId: string;
  outcome: string;
  completedAt: string;
  scopeTypes: readonly string[];
  comparedTypes: readonly string[];
  uncoveredTypes: readonly string[];
  proof: boolean;
  counts: { aligned: number; aligned_meta: number; gaps: number };
  /** Drift and gaps of the compared types (aligned subjects are the baseline's rest). */
  seen: readonly Pick<ComparedSubject, 'subjectKey' | 'displayName' | 'policyType' | 'state' | 'changeType' | 'fingerprint'>[];
  /** The current status of each observed finding, by fingerprint (absent: counted open). */
  findingStatus: ReadonlyMap<string, FindingStatus>;
}

export interface FleetTenantInput {
  tenantId: string;
  displayName: string;
  compare?: FleetCompare;
}

export interface FleetTenant {
  tenantId: string;
  displayName: string;
  lastCompare: { runId: string; outcome: string; completedAt: string } | null;
  counts: FleetCounts;
}

export interface FleetSubject {
  subjectKey: string;
  displayName: string;
  policyType: RegistryTypeKey;
  states: Record<string, FleetState>;
}

const OPEN: ReadonlySet<string> = new Set(OPEN_FINDING_STATUSES);

function emptyCounts(): FleetCounts {
  return { aligned: 0, aligned_meta: 0, missing_policy: 0, unexpected_policy: 0, different_version: 0, gaps: 0, uncovered_types: 0, accepted: 0 };
}

/** The state of a seen drift subject: `accepted` while its finding is risk_accepted, else its change type. */
function driftState(s: FleetCompare['seen'][number], compare: FleetCompare): FleetState {
  if (s.state !== 'gap' && s.fingerprint !== undefined && compare.findingStatus.get(s.fingerprint) === 'risk_accepted') return 'accepted';
  return s.state === 'gap' ? 'gap' : (s.changeType ?? (s.state));
}

function tenantCounts(compare: FleetCompare): FleetCounts {
  const counts = emptyCounts();
  counts.aligned = compare.counts.aligned;
  counts.aligned_meta = compare.counts.aligned_meta;
  counts.gaps = compare.counts.gaps;
  counts.uncovered_types = compare.proof ? compare.uncoveredTypes.length : compare.scopeTypes.length;
  for (const s of compare.seen) {
    if (s.state === 'gap' || s.changeType === undefined) continue;
    const status = s.fingerprint !== undefined ? compare.findingStatus.get(s.fingerprint) : undefined;
    if (status === 'risk_accepted') counts.accepted += 1;
    // Open findings count by change type; closed (or resolved since) count nowhere.
    else if (status === undefined || OPEN.has(status)) counts[s.changeType] += 1;
  }
  return counts;
}

/**
 * The whole matrix: every tenant with its last compare and counts, every subject (the baseline's,
 * plus those any tenant's compare saw beyond it) with its state per tenant, in subject key order.
 */
export function fleetMatrix(input: { baseline: readonly Pick<BaselineSubject, 'subjectKey' | 'displayName' | 'policyType'>[]; tenants: readonly FleetTenantInput[] }): {
  tenants: FleetTenant[];
  subjects: FleetSubject[];
} {
  const subjects = new Map<string, { subjectKey: string; displayName: string; policyType: RegistryTypeKey }>();
  for (const b of input.baseline) subjects.set(b.subjectKey, { subjectKey: b.subjectKey, displayName: b.displayName, policyType: b.policyType });
  const inBaseline = new Set(subjects.keys());
  const seenByTenant = new Map<string, Map<string, FleetCompare['seen'][number]>>();
  for (const t of input.tenants) {
    const seen = new Map<string, FleetCompare['seen'][number]>();
    for (const s of t.compare?.seen ?? []) {
      seen.set(s.subjectKey, s);
      if (inBaseline.has(s.subjectKey)) continue;
      // Beyond the baseline: labelled by the smallest name seen, whatever the tenants' order.
      const known = subjects.get(s.subjectKey);
      if (known === undefined || s.displayName < known.displayName) subjects.set(s.subjectKey, { subjectKey: s.subjectKey, displayName: s.displayName, policyType: s.policyType });
    }
    seenByTenant.set(t.tenantId, seen);
  }
  const rows: FleetSubject[] = [...subjects.values()].sort(byKey).map((s) => {
    const states: Record<string, FleetState> = {};
    for (const t of input.tenants) states[t.tenantId] = stateOf(s, t.compare, seenByTenant.get(t.tenantId)!);
    return { ...s, states };
  });
  const tenants: FleetTenant[] = input.tenants.map((t) => ({
    tenantId: t.tenantId,
    displayName: t.displayName,
    lastCompare: t.compare ? { runId: t.compare.runId, outcome: t.compare.outcome, completedAt: t.compare.completedAt } : null,
    counts: t.compare ? tenantCounts(t.compare) : emptyCounts(),
  }));
  return { tenants, subjects: rows };
}

function stateOf(s: { subjectKey: string; policyType: RegistryTypeKey }, compare: FleetCompare | undefined, seen: Map<string, FleetCompare['seen'][number]>): FleetState {
  if (compare === undefined || !compare.scopeTypes.includes(s.policyType)) return 'not_compared';
  if (!compare.comparedTypes.includes(s.policyType)) return !compare.proof || compare.uncoveredTypes.includes(s.policyType) ? 'uncovered' : 'not_compared';
  const hit = seen.get(s.subjectKey);
  return hit === undefined ? 'aligned' : driftState(hit, compare);
}

/** Filters and one page of the matrix's subjects (after the subject key `after`). */
export function fleetPage(
  subjects: readonly FleetSubject[],
  options: { policyType?: string; state?: FleetState; after?: string; limit: number },
): { items: FleetSubject[]; last?: string } {
  const matching = subjects.filter(
    (s) =>
      (options.policyType === undefined || s.policyType === options.policyType) &&
      (options.state === undefined || Object.values(s.states).includes(options.state)) &&
      (options.after === undefined || s.subjectKey > options.after),
  );
  const items = matching.slice(0, options.limit);
  return matching.length > items.length ? { items, last: items.at(-1)!.subjectKey } : { items };
}

/** An opaque cursor naming the last subject key of a page, tied to the filters it was made under. */
export function fleetCursor(lastKey: string, filters: unknown): string {
  return Buffer.from(JSON.stringify({ k: lastKey, f: filterTag(filters) }), 'utf8').toString('base64url');
}

/** The subject key a cursor names; undefined when it is not one of `fleetCursor`'s under these filters. */
export function readFleetCursor(cursor: string, filters: unknown): string | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown; f?: unknown };
    return typeof parsed.k === 'string' && parsed.f === filterTag(filters) ? parsed.k : undefined;
  } catch {
    return undefined;
  }
}

function filterTag(filters: unknown): string {
  return createHash('sha256').update(JSON.stringify(filters ?? null)).digest('base64url').slice(0, 12);
}
