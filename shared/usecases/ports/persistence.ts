/**
 * The persistence ports: what use cases depend on. The DynamoDB repositories in
 * `shared/adapters/dynamodb/` implement them; tests of use cases may pass in-memory fakes with the
 * same guarantees. Errors a port promises (RecordAlreadyExistsError, ...) are declared in `./errors.ts`.
 */
import type { NormalizedAssignment } from '../../domain/assignments.js';
import type { PolicyGroupList } from '../../domain/policy-groups.js';
import type { FindingMove, FindingObservation, ObservationEffect } from '../../domain/lifecycle.js';
import type { FindingAlertPolicy } from '../../domain/events.js';
import type {
  AuditEntry,
  BaselineProfile,
  BaselineSnapshot,
  BaselineTenantAssignment,
  ChangeType,
  CompareGap,
  FailureSummaryEntry,
  Finding,
  FindingStatus,
  NormalizedSubject,
  OperationRun,
  OperationRunOutcome,
  OperationRunType,
  ProfileStatus,
  RegistryTypeKey,
  Severity,
  SubjectSummary,
  SubjectLink,
  TenantGroupMapping,
  TenantGroupMappings,
  TenantSubjectLinks,
} from '../../domain/model.js';

/** Normalized meta and content of one subject, as stored. */
export interface SubjectContent {
  meta: Record<string, unknown>;
  content?: Record<string, unknown>;
  /** The comparable remainder of a subject without content (design 3.6). */
  surface?: Record<string, unknown>;
  /** Normalized assignments with their references; absent = not collected. */
  assignments?: NormalizedAssignment[];
  /** The groups named inside the policy with their ids and names (`policy-groups.ts`). */
  policyGroups?: PolicyGroupList[];
}

/**
 * How a compare reads: strongly consistent by default; `consistent: false` halves the read units
 * (eventually consistent), which is sound for data completed before the read started (a complete
 * snapshot, a completed inventory sync).
 */
export interface ReadOptions {
  consistent?: boolean;
}

/** A page of a listing; `cursor` (opaque) is present when more items may follow. */
export interface Page<T> {
  items: T[];
  cursor?: string;
}

export interface PageRequest {
  /** Most items to return (at least 1). */
  limit: number;
  /** The cursor of the previous page. */
  cursor?: string;
}

/**
 * Who a listing is for: items outside it are left out by the query itself, so a page is full (or the
 * last) whatever share of the items the caller may see.
 */
export interface Visibility {
  /** Only items of this workspace (items without a workspace, written before workspaces, stay visible where noted). */
  workspaceId?: string;
  /** Only items of these tenants (items about no tenant stay visible). */
  tenantIds?: ReadonlySet<string>;
}

// ---------------------------------------------------------------------------------------------
// inventory
// ---------------------------------------------------------------------------------------------

/** The small inventory record compare reads for every policy (no content). */
export interface InventorySummary extends SubjectSummary {
  externalId: string;
  observedAt: string;
  inventorySyncRunId: string;
}

export interface PutTypeInventoryResult {
  /** Policies written because they were new or their name or hashes changed. */
  written: number;
  /** Policies left as stored (same displayName, metaHash and contentHash). */
  unchanged: number;
  /** Stored policies removed because `removeMissing` and they were absent from the sync. */
  removed: number;
  /**
   * Policies of the type that carry this run's id once the write is done (written now, or left
   * unchanged from an earlier attempt of the same run): with the number of policies, what a reader
   * checks an eventually consistent listing against.
   */
  stampedByRun: number;
}

export interface InventoryRepository {
  /**
   * Stores one policy type's inventory of a tenant as observed by a sync run. Subjects arrive
   * normalized with their hashes and an `externalId`. Unchanged policies are not rewritten;
   * policies absent from `subjects` are removed only when `removeMissing` (a succeeded sync of the type).
   */
  putTypeInventory(
    tenantId: string,
    policyType: RegistryTypeKey,
    subjects: NormalizedSubject[],
    run: { runId: string; observedAt: string },
    options: { removeMissing: boolean },
  ): Promise<PutTypeInventoryResult>;
  /** Every stored policy of the type (summaries only), in externalId order. */
  listSummaries(tenantId: string, policyType: RegistryTypeKey, options?: ReadOptions): Promise<InventorySummary[]>;
  /** Meta + content of the given policies, by externalId; unknown ids are absent from the map. */
  getContents(tenantId: string, policyType: RegistryTypeKey, externalIds: string[], options?: ReadOptions): Promise<Map<string, SubjectContent>>;
}

// ---------------------------------------------------------------------------------------------
// staged inventory pages (a portal's upload, applied when its last page arrives)
// ---------------------------------------------------------------------------------------------

/** One type's part of a page: normalized subjects, or why the type could not be taken. */
export type StagedPageType = { subjects: NormalizedSubject[] } | { error: string };

export interface StagedIngestPage {
  /** Per registry key. */
  types: Record<string, StagedPageType>;
}

export interface StagedPageHeader {
  pageNumber: number;
  /** SHA-256 of the page as it was sent (a repeated page must be the same page). */
  pageHash: string;
  /** Objects the page carried, over all types. */
  items: number;
  last: boolean;
}

export interface IngestStageRepository {
  /** Stores a page (parts first, the header last). Writing the same page again is harmless. */
  putPage(runId: string, header: StagedPageHeader, page: StagedIngestPage): Promise<void>;
  /** The headers of every page staged for the run, by page number. */
  listPages(runId: string): Promise<StagedPageHeader[]>;
  /** The content of one staged page, or undefined when it is not (completely) staged. */
  getPage(runId: string, pageNumber: number): Promise<StagedIngestPage | undefined>;
  /** Removes everything staged for the run. */
  clear(runId: string): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// snapshots
// ---------------------------------------------------------------------------------------------

/** What a capture writes per subject: a normalized subject, or a marker for an ambiguous key. */
export type SnapshotItemInput = Omit<NormalizedSubject, 'externalId'>;

/** The small snapshot record compare reads for every subject (no content, no tenant identifiers). */
export interface SnapshotItemSummary extends Omit<SubjectSummary, 'externalId'> {
  snapshotId: string;
}

export interface PutSnapshotItemsResult {
  /** Items stored by this call (markers count once). */
  written: number;
  /** Items that were already stored identically (a retried call). */
  alreadyStored: number;
  /** Subject keys stored as ambiguous markers by this call. */
  ambiguous: number;
}

export interface SnapshotRepository {
  /** Stores a new snapshot header with status `building` (its id must be new). */
  createBuilding(snapshot: Omit<BaselineSnapshot, 'status' | 'itemCount' | 'summary'> & Partial<Pick<BaselineSnapshot, 'itemCount' | 'summary'>>): Promise<BaselineSnapshot>;
  /**
   * Adds items to a building snapshot; every write is conditional on the snapshot still being
   * `building` (SnapshotNotBuildingError otherwise). Items sharing a subject key in one call become
   * ONE marker item with `ambiguousCount` (no content); a key already stored with a different item is
   * refused (SnapshotItemConflictError), never overwritten. Pass all items of a policy type in one call.
   */
  putItems(snapshotId: string, items: SnapshotItemInput[]): Promise<PutSnapshotItemsResult>;
  /** building -> complete in one conditional step; from then on the snapshot's items are immutable. */
  complete(snapshotId: string, result: { itemCount: number; summary: Record<string, number> }): Promise<BaselineSnapshot>;
  /** building -> failed (a capture that could not finish); its items are never consumed. */
  markFailed(snapshotId: string): Promise<BaselineSnapshot>;
  get(snapshotId: string): Promise<BaselineSnapshot | undefined>;
  /** The newest complete snapshot of the profile with this identity hash (capture dedupe). */
  findByIdentityHash(profileId: string, identityHash: string): Promise<BaselineSnapshot | undefined>;
  /** A profile's snapshots, newest capturedAt first. */
  listByProfile(profileId: string, page: PageRequest): Promise<Page<BaselineSnapshot>>;
  /** Every item summary of one policy type, in subjectKey order. */
  listSummaries(snapshotId: string, policyType: RegistryTypeKey, options?: ReadOptions): Promise<SnapshotItemSummary[]>;
  /** Meta + content of the given subjects; markers and unknown keys are absent from the map. */
  getContents(snapshotId: string, policyType: RegistryTypeKey, subjectKeys: string[], options?: ReadOptions): Promise<Map<string, SubjectContent>>;
}

// ---------------------------------------------------------------------------------------------
// operation runs
// ---------------------------------------------------------------------------------------------

export type NewOperationRun = Pick<OperationRun, 'id' | 'tenantId' | 'type' | 'identityHash' | 'initiator' | 'createdAt'> &
  Partial<Pick<OperationRun, 'workspaceId' | 'context' | 'summaryCounts'>>;

export type CreateQueuedResult = { created: true; run: OperationRun } | { created: false; activeRunId: string };

export interface CompleteRunInput {
  outcome: Exclude<OperationRunOutcome, 'pending'>;
  summaryCounts: Record<string, number>;
  failureSummary: FailureSummaryEntry[];
  context: Record<string, unknown>;
  completedAt: string;
}

export type CompleteRunResult = { completed: true; run: OperationRun } | { completed: false; run: OperationRun };

/** A run that still holds its active-run lock. */
export interface ActiveRunLock {
  runId: string;
  tenantId: string;
  identityHash: string;
  type: OperationRunType;
  createdAt: string;
  startedAt?: string;
  /** Epoch seconds after which TTL may delete the lock (a safety net; stale runs are completed failed). */
  expiresAt: number;
}

export interface OperationRunRepository {
  /**
   * Creates the run `queued` together with the active-run lock of (tenantId, identityHash) in one
   * transaction: at most one queued/running run per pair. When another run holds the lock, nothing is
   * written and its id is returned.
   */
  createQueued(run: NewOperationRun): Promise<CreateQueuedResult>;
  /** queued -> running (idempotent for a running run; RunAlreadyCompletedError for a completed one). */
  markRunning(runId: string, startedAt: string): Promise<OperationRun>;
  /** Sets one top-level key of a running or queued run's context. */
  setContextEntry(runId: string, key: string, value: unknown): Promise<void>;
  /**
   * Completes a queued or running run and releases its lock in one transaction. A run already
   * completed is returned unchanged with `completed: false` (status and outcome only move forward).
   */
  complete(runId: string, result: CompleteRunInput): Promise<CompleteRunResult>;
  get(runId: string): Promise<OperationRun | undefined>;
  /** A tenant's runs newest first, optionally of one type; with `visibleTo.workspaceId`, that workspace's runs (and runs of none). */
  listByTenant(tenantId: string, options: PageRequest & { type?: OperationRunType; visibleTo?: Visibility }): Promise<Page<OperationRun>>;
  /** The tenant's most recently completed run of a type (any outcome). */
  latestCompleted(tenantId: string, type: OperationRunType): Promise<OperationRun | undefined>;
  /** Locks taken before `olderThan` (ISO): runs that may be dead; complete them `failed`. */
  findStale(olderThan: string): Promise<ActiveRunLock[]>;
}

// ---------------------------------------------------------------------------------------------
// staged compare results (ComparePolicyType -> UpsertFindings, so no payload carries policy content)
// ---------------------------------------------------------------------------------------------

/** What ComparePolicyType hands to UpsertFindings for one policy type. */
export interface StagedCompare {
  observations: FindingObservation[];
  /**
   * Every gap of the type (none listed when absent: a stage written before gaps were staged). With the
   * observations and the snapshot, the whole of what the type's compare saw: the evidence export and
   * the fleet view read it back (the stage is kept as long as its run).
   */
  gaps?: CompareGap[];
  /** The profile's threshold for finding events, as read by ComparePolicyType (absent: no events). */
  alertMinSeverity?: Severity;
  /** The profile's workspace (the audit entries of automatic reopens are recorded there). */
  workspaceId?: string;
  /** Set (from the header) once UpsertFindings has published the finding events of this stage. */
  eventsPublishedAt?: string;
}

export interface CompareStageRepository {
  /** Replaces the staged results of (run, policy type): a retried compare writes the same again. */
  put(runId: string, policyType: string, staged: StagedCompare): Promise<{ parts: number; bytes: number }>;
  /** The staged results, or undefined when nothing was staged. */
  get(runId: string, policyType: string): Promise<StagedCompare | undefined>;
  /** Records that the finding events of (run, policy type) were published (a retry sends them no more). */
  markEventsPublished(runId: string, policyType: string, at: string): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// the fleet view: each tenant's last finalized compare against a profile's snapshot
// ---------------------------------------------------------------------------------------------

/** What FinalizeRun records of a compare for the fleet view (counts of the run, types by what became of them). */
export interface FleetCompareRecord {
  profileId: string;
  snapshotId: string;
  tenantId: string;
  runId: string;
  outcome: OperationRunOutcome;
  completedAt: string;
  /** The effective scope's types; of those, the compared ones and the uncovered ones (the rest failed). */
  scopeTypes: string[];
  comparedTypes: string[];
  uncoveredTypes: string[];
  /** Whether coverage was proven (false: no completed sync, every type in scope is uncovered). */
  proof: boolean;
  /** The run's summary counts the fleet shows (`aligned`, `aligned_meta`, `gaps`). */
  counts: { aligned: number; aligned_meta: number; gaps: number };
}

export interface FleetRepository {
  /** Records the compare; a record of a compare completed later for the same tenant is kept instead. */
  put(record: FleetCompareRecord): Promise<void>;
  /** Every tenant's record for one profile and snapshot (one partition). */
  list(profileId: string, snapshotId: string): Promise<FleetCompareRecord[]>;
}

// ---------------------------------------------------------------------------------------------
// findings
// ---------------------------------------------------------------------------------------------

export type ApplyObservationsResult = Record<ObservationEffect, number>;

/** One observation as applied: the finding as stored afterwards and what the observation did. */
export interface AppliedObservation {
  finding: Finding;
  effect: ObservationEffect;
}

export interface ObserveOptions {
  /**
   * Claims the finding events due (docs/lifecycle.md, "Events") in the same write as each observation
   * (`claimFindingAlert`): `lastAlertedAt`, `lastAlertRunId`, `lastAlertKind` on the finding.
   */
  alert?: FindingAlertPolicy;
}

export interface FindingListFilter {
  status?: FindingStatus;
  policyType?: RegistryTypeKey;
  changeType?: ChangeType;
  severity?: Severity;
  scopeKey?: string;
}

export interface FindingRepository {
  /**
   * Applies compare observations with the domain lifecycle. Once per run: replaying an observation of
   * a run changes nothing. Concurrent runs on one fingerprint never lose a count (optimistic
   * concurrency on `version`, retried). Returns counts per effect.
   */
  applyObservations(observations: FindingObservation[]): Promise<ApplyObservationsResult>;
  /**
   * Like `applyObservations` (same guarantees), returning each observation's finding as stored and its
   * effect, in input order; an observation already applied in its run returns the stored finding with
   * `already_applied`. With `alert`, due finding events are claimed in the same write.
   */
  observe(observations: FindingObservation[], options?: ObserveOptions): Promise<AppliedObservation[]>;
  /**
   * Resolves (`no_longer_drifting`) the open findings of tenant + scope not observed in `runId`; the
   * caller checks the auto-resolve gate first. Returns how many this run resolved, counting those an
   * earlier attempt of the same run resolved (a retry reports the same number and writes nothing more).
   * `onResolved` is called with each of those findings as resolved (the run's resolved events).
   */
  resolveUnobserved(tenantId: string, scopeKey: string, runId: string, at: string, onResolved?: (finding: Finding) => void): Promise<number>;
  /**
   * The expiry sweep of one tenant: every accepted finding whose `expiresAt` is at or before `at`
   * becomes `reopened` (`acceptance_expired`) with its event claimed by `sweepId`, in a write
   * conditional on the version read. Returns the findings this call reopened (`expired`) and those an
   * earlier attempt of the same sweep reopened (`earlier`: the caller knows whether their events went out).
   */
  expireAcceptances(tenantId: string, at: string, sweepId: string): Promise<{ expired: Finding[]; earlier: Finding[] }>;
  /**
   * The findings of one tenant and scope with these fingerprints (exact keys, eventually consistent):
   * what a compare observed, as it stands now. Unknown fingerprints are left out.
   */
  getMany(tenantId: string, scopeKey: string, fingerprints: readonly string[]): Promise<Finding[]>;
  /** One finding by tenant and fingerprint (whatever its scope). */
  get(tenantId: string, fingerprint: string): Promise<Finding | undefined>;
  /** A tenant's findings, newest lastSeenAt first, filtered. */
  list(tenantId: string, filter: FindingListFilter & PageRequest): Promise<Page<Finding>>;
  /** A person's move (domain rules), written only if the finding did not change meanwhile. */
  transition(tenantId: string, fingerprint: string, move: FindingMove): Promise<Finding>;
}

// ---------------------------------------------------------------------------------------------
// profiles and assignments
// ---------------------------------------------------------------------------------------------

export type ProfilePatch = Partial<
  Pick<
    BaselineProfile,
    'name' | 'description' | 'versionLabel' | 'status' | 'scope' | 'activeSnapshotId' | 'severityMapping' | 'alertMinSeverity' | 'autoResolve' | 'compareAssignments' | 'ignoredProperties'
  >
> & { updatedAt: string };

export interface ProfileRepository {
  create(profile: BaselineProfile): Promise<BaselineProfile>;
  get(profileId: string): Promise<BaselineProfile | undefined>;
  /** A workspace's profiles, newest first, optionally of one status. */
  listByWorkspace(workspaceId: string, options: PageRequest & { status?: ProfileStatus }): Promise<Page<BaselineProfile>>;
  /**
   * Updates fields; a status move must be draft <-> active or active -> archived, and an archived
   * profile takes no change (ProfileStatusTransitionError), checked by the write's condition.
   */
  update(profileId: string, patch: ProfilePatch): Promise<BaselineProfile>;
  /** Creates the assignment; an existing one is left as is (`created: false`). */
  assign(assignment: BaselineTenantAssignment): Promise<{ created: boolean; assignment: BaselineTenantAssignment }>;
  /** Removes the assignment; returns whether it existed. */
  unassign(profileId: string, tenantId: string): Promise<boolean>;
  getAssignment(profileId: string, tenantId: string): Promise<BaselineTenantAssignment | undefined>;
  listAssignmentsByProfile(profileId: string): Promise<BaselineTenantAssignment[]>;
  listAssignmentsByTenant(tenantId: string): Promise<BaselineTenantAssignment[]>;
}

// ---------------------------------------------------------------------------------------------
// group mappings
// ---------------------------------------------------------------------------------------------

/** A tenant's explicit group mappings (baseline group -> this tenant's group), as one record. */
export interface GroupMappingRepository {
  /** The tenant's mappings; none when it has no record. */
  list(tenantId: string): Promise<TenantGroupMapping[]>;
  /** The whole record of the tenant, or undefined. */
  get(tenantId: string): Promise<TenantGroupMappings | undefined>;
  /** Replaces the tenant's mappings as a whole. */
  put(record: TenantGroupMappings): Promise<TenantGroupMappings>;
}

// ---------------------------------------------------------------------------------------------
// subject links
// ---------------------------------------------------------------------------------------------

/** A tenant's subject links, as one record (the shape of its group mappings). */
export interface SubjectLinkRepository {
  /** The tenant's links; none when it has no record. */
  list(tenantId: string): Promise<SubjectLink[]>;
  /** The whole record of the tenant, or undefined. */
  get(tenantId: string): Promise<TenantSubjectLinks | undefined>;
  /**
   * Replaces the tenant's links as a whole, if the stored record is still the one read
   * (`expectedRevision`, null: none stored); else `ConcurrentUpdateError` (read again and retry).
   */
  put(record: TenantSubjectLinks, expectedRevision: number | null): Promise<TenantSubjectLinks>;
}

// ---------------------------------------------------------------------------------------------
// audit
// ---------------------------------------------------------------------------------------------

export interface AuditRepository {
  /** Appends an entry; an id already present is refused (RecordAlreadyExistsError), never overwritten. */
  append(entry: AuditEntry): Promise<void>;
  /** A tenant's entries newest first; with `visibleTo.workspaceId`, only that workspace's. */
  listByTenant(tenantId: string, page: PageRequest & { visibleTo?: Visibility }): Promise<Page<AuditEntry>>;
  /** A workspace's entries newest first; with `visibleTo.tenantIds`, only those about these tenants (or about none). */
  listByWorkspace(workspaceId: string, page: PageRequest & { visibleTo?: Visibility }): Promise<Page<AuditEntry>>;
}

// ---------------------------------------------------------------------------------------------
// active profiles (the scheduled dispatcher's access pattern)
// ---------------------------------------------------------------------------------------------

/** Every active profile, across workspaces. */
export interface ActiveProfileSource {
  listActiveProfiles(): Promise<BaselineProfile[]>;
}
