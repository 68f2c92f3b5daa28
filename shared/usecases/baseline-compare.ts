/**
 * The tasks of the BaselineCompare workflow (docs/workflow.md), each a function of its input and the
 * injected ports. Handlers in `functions/` only parse input, build the ports and call these.
 *
 * State payloads carry ids and counts only: ComparePolicyType stages its observations (evidence
 * included) through `CompareStageRepository` and UpsertFindings reads them back.
 */
import type { FindingObservation } from '../domain/lifecycle.js';
import { autoResolveAllowed } from '../domain/lifecycle.js';
import type { CompareGap, CompareSummaryCounts, Finding, OperationRun, RegistryTypeKey } from '../domain/model.js';
import { effectiveScope, scopeTypes } from '../domain/scope.js';
import { gapsContext } from '../domain/compare.js';
import { coverageContext, gateCoverage } from '../domain/coverage.js';
import { buildObservation, type CompareRunContext } from '../domain/evidence.js';
import { compareFailureSummary, compareOutcome, emptyCompareCounts, mergeCompareCounts, addTypeResult } from '../domain/outcome.js';
import { claimedFindingEvents, compareCompletedEvent, compareFailedEvent, resolvedFindingEvents } from '../domain/events.js';
import { scopeKeyOf } from '../domain/identity.js';
import { effectiveIgnoredProperties } from '../domain/ignored-properties.js';
import { policyTypeDefinition } from '../domain/registry.js';
import { canonicalJson, sha256Hex } from '../domain/canonical.js';
import type { EventPublisher } from './ports/events.js';
import type {
  AuditRepository,
  CompareStageRepository,
  FindingRepository,
  FleetRepository,
  InventoryRepository,
  InventorySummary,
  OperationRunRepository,
  GroupMappingRepository,
  ProfileRepository,
  SubjectLinkRepository,
  SnapshotRepository,
  SubjectContent,
} from './ports/persistence.js';
import { comparePolicyType } from './compare-policy-type.js';
import { recordReopens } from './acceptance-ends.js';
import { NoActiveProfileError, NoCompleteSnapshotError, RunNotComparableError, RunNotFoundError } from './ports/errors.js';

export interface CompareDeps {
  runs: OperationRunRepository;
  profiles: ProfileRepository;
  snapshots: SnapshotRepository;
  inventory: InventoryRepository;
  findings: FindingRepository;
  stage: CompareStageRepository;
  /** Where FinalizeRun records each tenant's last compare for the fleet view (not recorded when absent). */
  fleet?: FleetRepository;
  /** The tenants' explicit group mappings (none when absent). */
  groupMappings?: GroupMappingRepository;
  /** The tenants' subject links (none when absent). */
  subjectLinks?: SubjectLinkRepository;
  events: EventPublisher;
  /** The audit trail: UpsertFindings records each automatic reopen there (actor `system`). */
  audit: AuditRepository;
  now: () => Date;
  /** The cooldown of finding events per fingerprint, in hours (default DEFAULT_COOLDOWN_HOURS, docs/lifecycle.md, "Events"). */
  findingEventCooldownHours?: number;
}

/** What a compare run keeps in `context.baseline_compare`. */
export interface BaselineCompareContext {
  profile_id: string;
  /** The profile's version label when the compare ran (provenance of the evidence export). */
  profile_version?: string | null;
  /** A snapshot named when the compare was started (else the profile's active snapshot). */
  requested_snapshot_id?: string | null;
  snapshot_id?: string | null;
  effective_scope?: { policy_types: string[]; foundation_types: string[] };
  coverage?: ReturnType<typeof coverageContext>;
  /** The inventory sync this compare was started after (see `StartCompareRequest.afterInventorySyncRunId`). */
  requested_inventory_sync_run_id?: string | null;
  inventory_sync_run_id?: string | null;
  inventory_observed_at?: string | null;
  /** Per comparable type, what the sync left stored: the check of an eventually consistent listing. */
  inventory_expected?: Record<string, InventoryExpectation>;
  observed_at?: string;
  gaps?: unknown[];
  fidelity?: Record<string, number>;
  types?: Record<string, unknown>;
  capacity?: Record<string, number>;
  /** The profile's ignored properties plus the assignment's, as CheckSyncCoverage found them: the
   *  whole run compares with this list. */
  ignored_properties?: { policy_type: RegistryTypeKey; path: string }[];
  /** The types the tenant's subject links name (ComparePolicyType reads the links only for them). */
  subject_link_types?: RegistryTypeKey[];
}

/** What a sync left stored for one type: `items` policies, `from_run` of them carrying its run id. */
export interface InventoryExpectation {
  items: number;
  from_run: number;
}

export function compareContextOf(run: OperationRun): BaselineCompareContext {
  const ctx = run.context.baseline_compare;
  if (typeof ctx !== 'object' || ctx === null || typeof (ctx as { profile_id?: unknown }).profile_id !== 'string') {
    throw new RunNotComparableError(run.id);
  }
  return ctx as BaselineCompareContext;
}

async function loadRun(deps: Pick<CompareDeps, 'runs'>, runId: string): Promise<OperationRun> {
  const run = await deps.runs.get(runId);
  if (run === undefined) throw new RunNotFoundError(runId);
  return run;
}

// ------------------------------------------------------------------------------------------------
// CheckSyncCoverage
// ------------------------------------------------------------------------------------------------

export interface CoverageResult {
  runId: string;
  /** The Map's items: the covered types of the effective scope. */
  comparableTypes: RegistryTypeKey[];
  total: number;
  uncovered: number;
  proof: boolean;
}

export async function checkSyncCoverage(deps: CompareDeps, input: { runId: string }): Promise<CoverageResult> {
  const run = await loadRun(deps, input.runId);
  if (run.status === 'completed') throw new RunNotComparableError(run.id, 'it is already completed');
  const ctx = compareContextOf(run);
  const startedAt = run.startedAt ?? deps.now().toISOString();
  await deps.runs.markRunning(run.id, startedAt);

  const profile = await deps.profiles.get(ctx.profile_id);
  if (profile === undefined || profile.status !== 'active') throw new NoActiveProfileError(ctx.profile_id, profile?.status);
  const assignment = await deps.profiles.getAssignment(profile.id, run.tenantId);
  const scope = effectiveScope(profile.scope, assignment?.scopeOverride);
  const sync = await inventorySyncToCompare(deps, run.tenantId, ctx.requested_inventory_sync_run_id ?? undefined);
  const inventoryCtx = sync?.context.inventory as { coverage?: unknown } | undefined;
  const gate = gateCoverage({ scope, coverage: sync === undefined ? undefined : (inventoryCtx?.coverage ?? null) });
  const expected = inventoryExpectations(inventoryCtx?.coverage, gate.comparable);
  const ignored = effectiveIgnoredProperties(profile.ignoredProperties, assignment?.ignoredProperties);
  const linkTypes = deps.subjectLinks !== undefined ? [...new Set((await deps.subjectLinks.list(run.tenantId)).map((l) => l.policyType))] : [];

  const next: BaselineCompareContext = {
    ...ctx,
    profile_version: profile.versionLabel ?? null,
    observed_at: startedAt,
    effective_scope: { policy_types: scope.policyTypes, foundation_types: scope.foundationTypes },
    coverage: coverageContext(gate),
    inventory_sync_run_id: sync?.id ?? null,
    inventory_observed_at: sync?.completedAt ?? null,
    ...(Object.keys(expected).length > 0 ? { inventory_expected: expected } : {}),
    ...(ignored.length > 0 ? { ignored_properties: ignored.map((e) => ({ policy_type: e.policyType, path: e.path })) } : {}),
    ...(linkTypes.length > 0 ? { subject_link_types: linkTypes } : {}),
  };
  await deps.runs.setContextEntry(run.id, 'baseline_compare', next);
  return {
    runId: run.id,
    comparableTypes: gate.comparable,
    total: scopeTypes(scope).length,
    uncovered: gate.uncovered.length,
    proof: gate.proof,
  };
}

/**
 * The completed inventory sync a compare reads. The index of completed runs is eventually consistent:
 * right after a sync it may still name the one before. A compare started after a given sync reads that
 * run by its id (strongly consistent) whenever the index does not name it, and takes the newer of both.
 */
async function inventorySyncToCompare(deps: Pick<CompareDeps, 'runs'>, tenantId: string, requestedRunId: string | undefined): Promise<OperationRun | undefined> {
  const latest = await deps.runs.latestCompleted(tenantId, 'inventory_sync');
  if (requestedRunId === undefined || latest?.id === requestedRunId) return latest;
  const requested = await deps.runs.get(requestedRunId);
  if (requested === undefined || requested.status !== 'completed' || requested.type !== 'inventory_sync' || requested.tenantId !== tenantId) return latest;
  if (latest !== undefined && (latest.completedAt ?? '') > (requested.completedAt ?? '')) return latest;
  return requested;
}

/** `item_count` and `items_from_run` of each comparable type's coverage entry, where the sync recorded both. */
function inventoryExpectations(coverage: unknown, types: readonly string[]): Record<string, InventoryExpectation> {
  const out: Record<string, InventoryExpectation> = {};
  if (typeof coverage !== 'object' || coverage === null) return out;
  const sections = coverage as { policy_types?: Record<string, unknown>; foundation_types?: Record<string, unknown> };
  for (const type of types) {
    const entry = (sections.policy_types?.[type] ?? sections.foundation_types?.[type]) as { item_count?: unknown; items_from_run?: unknown } | undefined;
    if (typeof entry?.item_count === 'number' && typeof entry.items_from_run === 'number') {
      out[type] = { items: entry.item_count, from_run: entry.items_from_run };
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// LoadSnapshot
// ------------------------------------------------------------------------------------------------

export interface SnapshotResult {
  runId: string;
  snapshotId: string;
  capturedAt: string;
  /** Baseline items per comparable type (counts, never content). */
  itemCounts: Record<string, number>;
}

export async function loadSnapshot(deps: CompareDeps, input: { runId: string; coverage?: { comparableTypes?: string[] } }): Promise<SnapshotResult> {
  const run = await loadRun(deps, input.runId);
  const ctx = compareContextOf(run);
  const profile = await deps.profiles.get(ctx.profile_id);
  if (profile === undefined || profile.status !== 'active') throw new NoActiveProfileError(ctx.profile_id, profile?.status);
  const snapshotId = ctx.requested_snapshot_id ?? profile.activeSnapshotId;
  const snapshot = snapshotId ? await deps.snapshots.get(snapshotId) : undefined;
  if (snapshot === undefined || snapshot.status !== 'complete' || snapshot.profileId !== profile.id) {
    throw new NoCompleteSnapshotError(profile.id, snapshotId ?? null, snapshot?.status);
  }
  const itemCounts: Record<string, number> = {};
  for (const t of input.coverage?.comparableTypes ?? []) itemCounts[t] = snapshot.summary[t] ?? 0;
  await deps.runs.setContextEntry(run.id, 'baseline_compare', { ...ctx, snapshot_id: snapshot.id });
  return { runId: run.id, snapshotId: snapshot.id, capturedAt: snapshot.capturedAt, itemCounts };
}

// ------------------------------------------------------------------------------------------------
// ComparePolicyType
// ------------------------------------------------------------------------------------------------

/** Gaps listed per policy type in the state payload. */
export const MAX_GAPS_IN_STATE = 100;
/** Gaps listed in the run context (the run item stays far below DynamoDB's 400 KB). */
export const MAX_GAPS_IN_CONTEXT = 500;

export interface TypeCompareResult {
  policyType: RegistryTypeKey;
  counts: Partial<CompareSummaryCounts>;
  gaps: (Omit<CompareGap, 'policyType' | 'reason'> & { reason?: CompareGap['reason'] })[];
  fidelity: Record<string, number>;
  observations: number;
}

export async function comparePolicyTypeTask(
  deps: CompareDeps,
  input: { runId: string; snapshotId: string; policyType: RegistryTypeKey },
): Promise<TypeCompareResult> {
  const run = await loadRun(deps, input.runId);
  const ctx = compareContextOf(run);
  const profile = await deps.profiles.get(ctx.profile_id);
  if (profile === undefined) throw new NoActiveProfileError(ctx.profile_id, undefined);
  const snapshot = await deps.snapshots.get(input.snapshotId);
  if (snapshot === undefined || snapshot.status !== 'complete') throw new NoCompleteSnapshotError(profile.id, input.snapshotId, snapshot?.status);
  policyTypeDefinition(input.policyType); // an unknown type is a permanent error

  // Eventually consistent reads (half the read units): the snapshot is complete and immutable, and
  // the inventory was written by a sync completed before this compare started. Right after that sync
  // a listing may still show what was there before it: checked against what the sync left stored,
  // and read again strongly consistent when it differs (see readCurrentInventory).
  const eventual = { consistent: false };
  const [baseline, current] = await Promise.all([
    deps.snapshots.listSummaries(snapshot.id, input.policyType, eventual),
    readCurrentInventory(deps, run.tenantId, input.policyType, ctx),
  ]);
  const compareAssignments = profile.compareAssignments !== false;
  // Mappings pair groups of assignments and groups named inside a policy: read whatever compareAssignments says.
  const groupMappings = deps.groupMappings !== undefined ? await deps.groupMappings.list(run.tenantId) : [];
  // Read only where CheckSyncCoverage saw links of this type: a tenant without links pays nothing.
  const subjectLinks = deps.subjectLinks !== undefined && (ctx.subject_link_types ?? []).includes(input.policyType) ? await deps.subjectLinks.list(run.tenantId) : [];
  const ignoredPaths = (ctx.ignored_properties ?? []).filter((e) => e.policy_type === input.policyType).map((e) => e.path);
  const { result, drifted } = await comparePolicyType({
    policyType: input.policyType,
    baseline,
    current,
    loadBaseline: (keys) => deps.snapshots.getContents(snapshot.id, input.policyType, [...keys], eventual),
    loadCurrent: (ids) => readCurrentContents(deps, run.tenantId, input.policyType, current, [...ids]),
    compareAssignments,
    groupMappings: groupMappings.map((m) => ({ baselineGroup: m.baselineGroup, tenantGroup: m.tenantGroupId })),
    subjectLinks,
    ignoredPaths,
  });

  const context: CompareRunContext = {
    tenantId: run.tenantId,
    profileId: profile.id,
    snapshotId: snapshot.id,
    capturedAt: snapshot.capturedAt,
    runId: run.id,
    inventorySyncRunId: ctx.inventory_sync_run_id ?? null,
    observedAt: ctx.observed_at ?? run.startedAt ?? run.createdAt,
    inventoryObservedAt: ctx.inventory_observed_at ?? null,
    severityMapping: profile.severityMapping,
  };
  const observations: FindingObservation[] = result.drift.map((candidate) => {
    const found = drifted.get(candidate.subjectKey);
    return buildObservation({ candidate, context, ...(found ? { drifted: found } : {}) });
  });
  // Every gap is staged too (the state payload lists at most MAX_GAPS_IN_STATE): with the observations
  // and the snapshot, what the evidence export and the fleet view need of this type.
  await deps.stage.put(run.id, input.policyType, { observations, gaps: result.gaps, alertMinSeverity: profile.alertMinSeverity, workspaceId: profile.workspaceId });

  const fidelity: Record<string, number> = {};
  for (const d of result.drift) fidelity[d.fidelity] = (fidelity[d.fidelity] ?? 0) + 1;
  const counts = addTypeResult(emptyCompareCounts(), result, profile.severityMapping);
  return {
    policyType: input.policyType,
    counts: nonZero(counts),
    // The state payload stays small whatever the tenant: at most MAX_GAPS_IN_STATE gaps are listed
    // (the count in `counts.gaps` is exact).
    gaps: result.gaps.slice(0, MAX_GAPS_IN_STATE).map(({ policyType: _type, unresolved, ...gap }) => ({
      ...gap,
      ...(unresolved !== undefined ? { unresolved: unresolved.slice(0, 10) } : {}),
    })),
    fidelity,
    observations: observations.length,
  };
}

/**
 * The tenant's stored policies of one type as the compare's sync left them. The eventually consistent
 * listing is kept when it shows exactly what the sync recorded (as many policies, as many carrying its
 * run id): a listing that misses a write of that sync, still shows a policy it removed or an older
 * version of one it rewrote cannot match both counts. Otherwise (or with nothing recorded to check
 * against, right after a named sync) the listing is read again strongly consistent.
 */
async function readCurrentInventory(
  deps: Pick<CompareDeps, 'inventory'>,
  tenantId: string,
  policyType: RegistryTypeKey,
  ctx: BaselineCompareContext,
): Promise<InventorySummary[]> {
  const syncRunId = ctx.inventory_sync_run_id ?? undefined;
  const expected = ctx.inventory_expected?.[policyType];
  if (syncRunId !== undefined && expected === undefined && ctx.requested_inventory_sync_run_id === syncRunId) {
    return deps.inventory.listSummaries(tenantId, policyType, { consistent: true });
  }
  const listed = await deps.inventory.listSummaries(tenantId, policyType, { consistent: false });
  if (expected === undefined || syncRunId === undefined) return listed;
  const fromRun = listed.filter((s) => s.inventorySyncRunId === syncRunId).length;
  if (listed.length === expected.items && fromRun === expected.from_run) return listed;
  return deps.inventory.listSummaries(tenantId, policyType, { consistent: true });
}

/**
 * Meta and content of the current policies whose hashes differ from the baseline: eventually
 * consistent, each checked against the hashes of its summary; one that does not match (an older
 * version of a policy the sync just rewrote) is read again strongly consistent.
 */
async function readCurrentContents(
  deps: Pick<CompareDeps, 'inventory'>,
  tenantId: string,
  policyType: RegistryTypeKey,
  summaries: readonly InventorySummary[],
  externalIds: string[],
): Promise<Map<string, SubjectContent>> {
  const contents = await deps.inventory.getContents(tenantId, policyType, externalIds, { consistent: false });
  const byId = new Map(summaries.map((s) => [s.externalId, s]));
  const stale = externalIds.filter((id) => {
    const summary = byId.get(id);
    const content = contents.get(id);
    return summary !== undefined && (content === undefined || !matchesSummary(content, summary));
  });
  if (stale.length === 0) return contents;
  for (const [id, content] of await deps.inventory.getContents(tenantId, policyType, stale, { consistent: true })) contents.set(id, content);
  return contents;
}

/** The hashes of `content` are its summary's (meta hashed as the normalizer wrote it, content canonical). */
function matchesSummary(content: SubjectContent, summary: InventorySummary): boolean {
  const metaHash = sha256Hex(JSON.stringify(content.meta));
  if (metaHash !== summary.metaHash && sha256Hex(canonicalJson(content.meta)) !== summary.metaHash) return false;
  if (summary.contentHash === undefined) return content.content === undefined;
  return content.content !== undefined && sha256Hex(canonicalJson(content.content)) === summary.contentHash;
}

function nonZero(counts: CompareSummaryCounts): Partial<CompareSummaryCounts> {
  return Object.fromEntries(Object.entries(counts).filter(([, v]) => v !== 0));
}

// ------------------------------------------------------------------------------------------------
// UpsertFindings
// ------------------------------------------------------------------------------------------------

export interface UpsertResult {
  policyType: RegistryTypeKey;
  findings_new: number;
  findings_seen: number;
  findings_reopened: number;
  already_applied: number;
}

export async function upsertFindingsTask(
  deps: CompareDeps,
  input: { runId: string; policyType: RegistryTypeKey },
): Promise<UpsertResult> {
  const staged = await deps.stage.get(input.runId, input.policyType);
  if (staged === undefined) throw new RunNotComparableError(input.runId, `no staged compare results for ${input.policyType}`);
  const observedAt = staged.observations[0]?.observedAt ?? deps.now().toISOString();
  const applied = await deps.findings.observe(staged.observations, {
    ...(staged.alertMinSeverity !== undefined
      ? {
          alert: {
            alertMinSeverity: staged.alertMinSeverity,
            runId: input.runId,
            at: observedAt,
            ...(deps.findingEventCooldownHours !== undefined ? { cooldownHours: deps.findingEventCooldownHours } : {}),
          },
        }
      : {}),
  });
  const effects = { new: 0, seen: 0, reopened: 0, already_applied: 0 };
  const reopenedHere: Finding[] = [];
  for (const { finding, effect } of applied) {
    // Reopened in this run (by this attempt, or by an earlier one of a retried task).
    if (finding.status === 'reopened' && finding.reopenedAt === observedAt && finding.currentOperationRunId === input.runId) reopenedHere.push(finding);
    effects[effect] += 1;
    if (effect !== 'already_applied') continue;
    // A retried task: an earlier attempt of this run applied the observation. Count it from the
    // finding's state, so a retry reports what a single attempt would.
    if (finding.firstSeenAt === observedAt) effects.new += 1;
    else if (finding.reopenedAt === observedAt) effects.reopened += 1;
    else effects.seen += 1;
  }

  // Each automatic reopen in the audit trail, once (ids derived from the reopen: a retry adds nothing).
  if (reopenedHere.length > 0) {
    // A stage written before the workspace was staged: the run names it.
    const workspaceId = staged.workspaceId ?? (await deps.runs.get(input.runId))?.workspaceId;
    if (workspaceId !== undefined) await recordReopens(deps, reopenedHere, { workspaceId, correlationId: input.runId });
  }

  // Finding events (docs/lifecycle.md, "Events"): claimed in the same write as the observation, published here, and
  // recorded as published on the stage. A retry re-sends them only if the earlier attempt stopped
  // between publishing and that record (at-least-once).
  if (staged.eventsPublishedAt === undefined) {
    const events = claimedFindingEvents(
      applied.map((a) => a.finding),
      input.runId,
    );
    if (events.length > 0) {
      await deps.events.publish(events);
      await deps.stage.markEventsPublished(input.runId, input.policyType, deps.now().toISOString());
    }
  }
  return {
    policyType: input.policyType,
    findings_new: effects.new,
    findings_seen: effects.seen,
    findings_reopened: effects.reopened,
    already_applied: effects.already_applied,
  };
}

// ------------------------------------------------------------------------------------------------
// FinalizeRun
// ------------------------------------------------------------------------------------------------

/** One Map iteration's result as the state machine hands it over. */
export interface ComparedTypeState {
  policyType: RegistryTypeKey;
  compare?: TypeCompareResult;
  upsert?: UpsertResult;
  failed?: boolean;
  error?: { Error?: string; Cause?: string };
}

export interface FinalizeInput {
  runId: string;
  coverage: CoverageResult;
  snapshot: SnapshotResult;
  compared: ComparedTypeState[];
}

export interface FinalizeResult {
  runId: string;
  outcome: string;
  summaryCounts: CompareSummaryCounts;
}

export async function finalizeRun(deps: CompareDeps, input: FinalizeInput, capacity?: () => Record<string, number>): Promise<FinalizeResult> {
  const run = await loadRun(deps, input.runId);
  const ctx = compareContextOf(run);
  const profile = await deps.profiles.get(ctx.profile_id);
  const now = deps.now().toISOString();

  const ok = input.compared.filter((c) => !c.failed && c.compare !== undefined && c.upsert !== undefined);
  const failedTypes = input.compared.filter((c) => !ok.includes(c));
  let counts = mergeCompareCounts(
    ...ok.map((c) => ({ ...c.compare!.counts })),
    ...ok.map((c) => ({ findings_new: c.upsert!.findings_new, findings_seen: c.upsert!.findings_seen, findings_reopened: c.upsert!.findings_reopened })),
  );
  counts.total = input.coverage.total;
  counts.processed = ok.length;
  counts.failed = failedTypes.length;
  counts.errors_recorded = input.coverage.total === 0 ? 1 : input.coverage.uncovered;
  const outcome = compareOutcome({
    proof: input.coverage.proof,
    total: input.coverage.total,
    processed: ok.length,
    failed: failedTypes.length,
    uncovered: input.coverage.uncovered,
  });

  const scopeKey = scopeKeyOf(ctx.profile_id);
  const resolved: Finding[] = [];
  if (
    autoResolveAllowed({
      outcome,
      processed: counts.processed,
      total: counts.total,
      failed: counts.failed,
      autoResolve: profile?.autoResolve ?? false,
    })
  ) {
    counts = { ...counts, findings_resolved: await deps.findings.resolveUnobserved(run.tenantId, scopeKey, run.id, now, (f) => resolved.push(f)) };
  }

  const fidelity: Record<string, number> = {};
  const compareGaps: CompareGap[] = [];
  const types: Record<string, unknown> = {};
  for (const c of input.compared) {
    for (const [k, v] of Object.entries(c.compare?.fidelity ?? {})) fidelity[k] = (fidelity[k] ?? 0) + v;
    for (const g of c.compare?.gaps ?? []) compareGaps.push({ ...g, reason: g.reason ?? 'ambiguous_match', policyType: c.policyType });
    types[c.policyType] = c.failed || !c.compare ? { status: 'failed', error: c.error?.Error ?? 'unknown' } : { status: 'compared', observations: c.compare.observations };
  }
  const gapRecord = gapsContext(compareGaps, MAX_GAPS_IN_CONTEXT);
  const gaps = gapRecord.items;
  // Each type lists at most MAX_GAPS_IN_STATE gaps in its state; `summaryCounts.gaps` is exact.
  const gapsTruncated = gapRecord.truncated || counts.gaps > gaps.length;
  const coverageGate = ctx.coverage;
  const failureSummary = compareFailureSummary({
    proof: input.coverage.proof,
    total: input.coverage.total,
    uncovered: coverageGate?.uncovered_types ?? [],
    failed: failedTypes.length,
  });
  const context = {
    ...run.context,
    baseline_compare: {
      ...ctx,
      snapshot_id: input.snapshot.snapshotId,
      gaps,
      ...(gapsTruncated ? { gaps_truncated: true } : {}),
      fidelity,
      types,
      ...(capacity ? { capacity: capacity() } : {}),
    },
  };
  const completed = await deps.runs.complete(run.id, { outcome, summaryCounts: { ...counts }, failureSummary, context, completedAt: now });
  if (deps.fleet !== undefined) {
    const scope = ctx.effective_scope ?? { policy_types: [], foundation_types: [] };
    const completedAt = completed.run.completedAt ?? now;
    await deps.fleet.put({
      profileId: ctx.profile_id,
      snapshotId: input.snapshot.snapshotId,
      tenantId: run.tenantId,
      runId: run.id,
      outcome: completed.run.outcome === 'pending' ? outcome : completed.run.outcome,
      completedAt,
      scopeTypes: [...scope.policy_types, ...scope.foundation_types],
      comparedTypes: ok.map((c) => c.policyType),
      uncoveredTypes: (coverageGate?.uncovered_types ?? []).map((u) => u.type),
      proof: input.coverage.proof,
      counts: { aligned: counts.aligned, aligned_meta: counts.aligned_meta, gaps: counts.gaps },
    });
  }
  // Resolved events (design 2.13 thresholds): every finding this run resolved, a retry included.
  await deps.events.publish([
    ...(profile !== undefined ? resolvedFindingEvents(resolved, profile.alertMinSeverity) : []),
    compareCompletedEvent({
      tenantId: run.tenantId,
      profileId: ctx.profile_id,
      snapshotId: input.snapshot.snapshotId,
      operationRunId: run.id,
      outcome,
      summaryCounts: counts,
      completedAt: now,
    }),
  ]);
  return { runId: run.id, outcome, summaryCounts: counts };
}

// ------------------------------------------------------------------------------------------------
// FailRun
// ------------------------------------------------------------------------------------------------

export async function failRun(
  deps: Pick<CompareDeps, 'runs' | 'events' | 'now'>,
  input: { runId: string; error?: { Error?: string; Cause?: string } },
): Promise<{ runId: string; outcome: 'failed'; completed: boolean }> {
  const run = await loadRun(deps, input.runId);
  const now = deps.now().toISOString();
  const code = errorCode(input.error?.Error);
  const message = causeMessage(input.error?.Cause) ?? 'the compare failed';
  const failureSummary = [{ code, message: message.slice(0, 500), count: 1 }];
  const result = await deps.runs.complete(run.id, { outcome: 'failed', summaryCounts: { ...run.summaryCounts }, failureSummary, context: run.context, completedAt: now });
  if (result.completed) {
    const ctx = run.context.baseline_compare as { profile_id?: string } | undefined;
    await deps.events.publish([
      compareFailedEvent({ tenantId: run.tenantId, profileId: ctx?.profile_id ?? null, operationRunId: run.id, failureSummary, completedAt: now }),
    ]);
  }
  return { runId: run.id, outcome: 'failed', completed: result.completed };
}

/** A stable snake_case code from an error name (`NoCompleteSnapshotError` -> `no_complete_snapshot`). */
export function errorCode(name: string | undefined): string {
  if (!name) return 'unknown_error';
  const base = name.replace(/Error$/, '').replace(/^States\./, 'states_');
  return base.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9_]+/g, '_').toLowerCase();
}

/** The message of a Step Functions error cause: plain text locally, a JSON string on AWS. */
export function causeMessage(cause: string | undefined): string | undefined {
  if (cause === undefined) return undefined;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // plain text
  }
  return cause;
}
