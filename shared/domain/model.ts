/**
 * The entities of the drift domain (docs/model.md and docs/compare.md). Pure types and constants: every layer
 * (domain logic, adapters, functions, the local stack) speaks in these names.
 *
 * Key casing: documents that mirror TenantAtlas (summary counts, run context, coverage, evidence) keep
 * snake_case keys; entity fields and API envelopes are camelCase.
 */

import type { NormalizedAssignment } from './assignments.js';
import type { PolicyGroupList } from './policy-groups.js';

/** Registry keys of every policy type the product reads (see `registry.ts` for each type's rules). */
export const POLICY_TYPE_KEYS = [
  'deviceConfiguration',
  'windowsUpdateRing',
  'deviceCompliancePolicy',
  'compliancePolicy',
  'settingsCatalogPolicy',
  'endpointSecurityPolicy',
  'securityBaselinePolicy',
  'securityBaselineIntent',
  'administrativeTemplate',
  'appProtectionPolicy',
  'mobileAppConfiguration',
  'targetedManagedAppConfiguration',
  'conditionalAccessPolicy',
  'autopilotDeploymentProfile',
  'enrollmentStatusPage',
  'enrollmentRestriction',
  'enrollmentLimit',
  'enrollmentConfiguration',
  'featureUpdateProfile',
  'qualityUpdateProfile',
  'driverUpdateProfile',
  'powershellScript',
  'shellScript',
] as const;

/** Foundation types: objects other policies refer to; in scope only when a profile names them. */
export const FOUNDATION_TYPE_KEYS = ['roleScopeTag', 'assignmentFilter', 'notificationMessageTemplate'] as const;

export type PolicyTypeKey = (typeof POLICY_TYPE_KEYS)[number];
export type FoundationTypeKey = (typeof FOUNDATION_TYPE_KEYS)[number];
/** Any registry key: a policy type or a foundation type. */
export type RegistryTypeKey = PolicyTypeKey | FoundationTypeKey;

export const CHANGE_TYPES = ['missing_policy', 'unexpected_policy', 'different_version'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type SeverityMapping = Record<ChangeType, Severity>;

/** What a side's hash covers: the full normalized object, or only the meta contract. */
export type Fidelity = 'content' | 'meta';
/** A finding's fidelity: both sides content, both meta (or the best both had), or one of each. */
export type FindingFidelity = 'content' | 'meta' | 'mixed';

export const OPEN_FINDING_STATUSES = ['new', 'triaged', 'in_progress', 'reopened'] as const;
export const TERMINAL_FINDING_STATUSES = ['resolved', 'closed', 'risk_accepted'] as const;
export type FindingStatus = (typeof OPEN_FINDING_STATUSES)[number] | (typeof TERMINAL_FINDING_STATUSES)[number];

/**
 * One subject (policy) on one side of a compare, as compare reads it for every subject: small, no
 * content. Stored in items of its own (snapshot items, inventory items) so that reading unchanged
 * subjects stays cheap.
 */
export interface SubjectSummary {
  policyType: RegistryTypeKey;
  /** `policyType + ':' + normalized name` (NFKC, trimmed, inner whitespace collapsed, case-folded). */
  subjectKey: string;
  /** The policy's own name as found. */
  displayName: string;
  /** SHA-256 (hex) over the canonical JSON of the meta contract. */
  metaHash: string;
  /** SHA-256 (hex) over the canonical JSON of the normalized, redacted content; absent = meta only. */
  contentHash?: string;
  /** For types whose content can be incomplete: SHA-256 (hex) over the comparable remainder (the
   *  top-level configuration without the content parts and assignments), complete or not. */
  surfaceHash?: string;
  /** The Graph object id in the tenant it came from (inventory side only; never stored in snapshots). */
  externalId?: string;
  /** Set on a snapshot marker item: this many source policies share the subject key (>= 2). */
  ambiguousCount?: number;
  /**
   * The assignments dimension (`assignments.ts`): SHA-256 over what the assignments mean, without
   * tenant-specific ids; absent when the side's assignments were not collected (not compared).
   */
  assignmentsHash?: string;
  /** Group references among the assignments (an explicit mapping may apply to them). */
  assignmentGroups?: number;
  /** References (groups, filters) without a name among the assignments. */
  assignmentsUnresolved?: number;
  /** Set on a current subject a subject link moved to the baseline subject's key: its own key and the link. */
  linkedFrom?: { subjectKey: string; linkId: string };
  /** SHA-256 over the assignments with their ids: tells a changed id from a stored one (never compared across tenants). */
  assignmentsStoredHash?: string;
  /** Groups named inside the policy (`policy-groups.ts`); absent when it names none. */
  policyGroupCount?: number;
  /** Of those, the groups without a name. */
  policyGroupsUnresolved?: number;
  /** SHA-256 over the policy's group lists with their ids and names: tells a changed id from a stored one; equal on both sides, the same groups. */
  policyGroupsHash?: string;
}

/** A subject with its normalized (redacted) meta and content: what is hashed and diffed. */
export interface NormalizedSubject extends SubjectSummary {
  meta: Record<string, unknown>;
  content?: Record<string, unknown>;
  /** The comparable remainder of a subject without content (what `surfaceHash` covers). */
  surface?: Record<string, unknown>;
  /** Normalized assignments with their references; absent = not collected. */
  assignments?: NormalizedAssignment[];
  /** The groups named inside the policy, list by list; absent when it names none. */
  policyGroups?: PolicyGroupList[];
}

export interface DriftedProperty {
  /** JSON pointer into the normalized content; settings addressed by definition id. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  baseline?: unknown;
  current?: unknown;
}

/** Evidence stored on a finding (snake_case: mirrors TenantAtlas). */
export interface FindingEvidence {
  change_type: ChangeType;
  policy_type: RegistryTypeKey;
  subject_key: string;
  display_name: string;
  baseline: {
    hash: string | null;
    fidelity: Fidelity | null;
    provenance: { snapshot_id: string; captured_at: string };
  };
  current: {
    hash: string | null;
    fidelity: Fidelity | null;
    provenance: { inventory_sync_run_id: string | null; observed_at: string | null; external_id: string | null };
  };
  drifted_properties: DriftedProperty[];
  truncated: boolean;
  /** Set when the finding reopened because its acceptance ended: what was accepted, beside what is there now. */
  accepted?: AcceptedEvidenceBlock;
  /** Which dimensions drifted (`different_version`); empty for a missing or unexpected policy. */
  dimensions?: ('settings' | 'assignments')[];
  /** Each dimension's hash on both sides (`assignments` only when it was compared). */
  dimension_hashes?: Partial<Record<'settings' | 'assignments', { baseline: string | null; current: string | null }>>;
  /** Dimensions not compared: `assignments` when a side's assignments were not collected. */
  not_compared?: 'assignments'[];
  /** References of the assignments that could not be resolved (settings drifted, assignments undecided). */
  unresolved_references?: string[];
  /** The profile's (and the assignment's) ignored paths that removed something from a side. */
  ignored_paths?: string[];
  /** Set when a subject link paired the tenant's policy (another name) with this baseline subject. */
  subject_link?: { link_id: string; tenant_subject_key: string };
  /**
   * An assignments drift of a subject whose settings could be compared on meta only (a side lacked its
   * content, design 3.6; the meta hashes were equal): which side lacked what. The settings were not
   * proven equal.
   */
  content_incomplete?: { side: IncompleteSide; missing: string[] };
  provenance: {
    baseline_profile_id: string;
    baseline_snapshot_id: string;
    compare_operation_run_id: string;
    inventory_sync_run_id: string | null;
  };
}

/** Why a finding was reopened: its drift came back after a resolve, or its acceptance ended. */
export const REOPEN_REASONS = ['drift_returned', 'accepted_value_changed', 'acceptance_expired'] as const;
export type ReopenReason = (typeof REOPEN_REASONS)[number];

/** The dimensions of a subject that are hashed on their own (`settings`: the policy's content or meta). */
export type DriftDimensionKey = 'settings' | 'assignments';

/**
 * The tenant side's hash per dimension at the moment a deviation was accepted (`null`: the tenant did
 * not have the subject, as for `missing_policy`), with the fidelity of the settings hash (a content
 * hash and a meta hash are never compared with each other).
 */
export interface AcceptedHash {
  settings: string | null;
  settingsFidelity: Fidelity | null;
  assignments?: string | null;
}

/** What the evidence of a reopened, formerly accepted finding says was accepted (snake_case: evidence). */
export interface AcceptedEvidenceBlock {
  accepted_at: string;
  accepted_by: string;
  expires_at: string | null;
  hash: AcceptedHash;
  drifted_properties: DriftedProperty[];
  truncated: boolean;
}

export interface Finding {
  tenantId: string;
  fingerprint: string;
  recurrenceKey: string;
  scopeKey: string;
  source: 'baseline.compare';
  changeType: ChangeType;
  policyType: RegistryTypeKey;
  subjectKey: string;
  displayName: string;
  status: FindingStatus;
  severity: Severity;
  firstSeenAt: string;
  lastSeenAt: string;
  timesSeen: number;
  reopenCount: number;
  reopenedAt?: string;
  resolvedAt?: string;
  resolvedReason?: string;
  triagedAt?: string;
  inProgressAt?: string;
  closedAt?: string;
  closedBy?: string;
  closedReason?: string;
  riskAcceptedBy?: string;
  riskAcceptedReason?: string;
  /** Why the finding was last reopened (every reopen says why). */
  reopenReason?: ReopenReason;
  /**
   * The accepted value of the last acceptance (`risk_accepted`): when and by whom, the current side's
   * hash per dimension at that moment, the evidence as it then was, and when the acceptance ends
   * (absent: it does not expire). Kept after the acceptance ended (reopen, resolve) as its history;
   * a person's reopen (`risk_accepted -> triaged`) withdraws it.
   */
  acceptedAt?: string;
  acceptedBy?: string;
  acceptedHash?: AcceptedHash;
  acceptedEvidence?: FindingEvidence;
  expiresAt?: string;
  assignee?: string;
  dueAt: string;
  /** The compare run that last observed (or resolved) this finding: makes an observation once per run. */
  currentOperationRunId: string;
  evidence: FindingEvidence;
  evidenceFidelity: FindingFidelity;
  /**
   * When an opened/reopened event was last claimed for this finding (docs/lifecycle.md, "Events": at most one event per
   * fingerprint in the cooldown window), by which compare run, and which kind. Written in the same
   * conditional write as the observation that made the event due.
   */
  lastAlertedAt?: string;
  lastAlertRunId?: string;
  lastAlertKind?: 'opened' | 'reopened';
}

export type ProfileStatus = 'draft' | 'active' | 'archived';

export interface ProfileScope {
  policy_types: RegistryTypeKey[];
  foundation_types: FoundationTypeKey[];
}

export interface BaselineProfile {
  id: string;
  workspaceId: string;
  name: string;
  description?: string;
  versionLabel?: string;
  status: ProfileStatus;
  scope: ProfileScope;
  activeSnapshotId?: string;
  severityMapping: SeverityMapping;
  alertMinSeverity: Severity;
  autoResolve: boolean;
  /** Whether assignments are a compared dimension (default on). Off: neither compared nor shown. */
  compareAssignments?: boolean;
  /** Properties that never produce drift (removed from both sides before hashing). */
  ignoredProperties?: IgnoredProperty[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * A property a profile (or one tenant's assignment) does not compare: `path` is a JSON pointer into
 * the normalized content of `policyType`, `*` standing for one segment (`ignored-properties.ts`).
 */
export interface IgnoredProperty {
  policyType: RegistryTypeKey;
  path: string;
  /** Why it differs for good reason (shown beside the path). */
  reason: string;
}

export interface BaselineTenantAssignment {
  profileId: string;
  tenantId: string;
  workspaceId: string;
  scopeOverride?: ProfileScope;
  /** This tenant's own ignored properties, added to the profile's. */
  ignoredProperties?: IgnoredProperty[];
  assignedAt: string;
  assignedBy: string;
}

/** One explicit group mapping of a tenant: a baseline group (its name or id) is this tenant group. */
export interface TenantGroupMapping {
  baselineGroup: string;
  tenantGroupId: string;
}

/**
 * A subject link (the issue "Tenant exceptions", part 3): the tenant's policy named
 * `tenantDisplayName` is compared with the baseline subject `baselineSubjectKey` (a policy renamed in
 * the tenant), instead of the one being missing and the other unexpected.
 */
export interface SubjectLink {
  linkId: string;
  policyType: RegistryTypeKey;
  baselineSubjectKey: string;
  tenantDisplayName: string;
  createdAt: string;
  createdBy: string;
}

/** A tenant's subject links, as one record (like its group mappings). */
export interface TenantSubjectLinks {
  tenantId: string;
  workspaceId: string;
  links: SubjectLink[];
  updatedAt: string;
  updatedBy: string;
  /** 1 for the first record, + 1 per replace (a replace is conditional on it). */
  revision: number;
}

/** A tenant's explicit group mappings (design 3.5: the first way a group is resolved across tenants). */
export interface TenantGroupMappings {
  tenantId: string;
  workspaceId: string;
  mappings: TenantGroupMapping[];
  updatedAt: string;
  updatedBy: string;
}

export type SnapshotStatus = 'building' | 'complete' | 'failed';

export interface BaselineSnapshot {
  id: string;
  profileId: string;
  status: SnapshotStatus;
  capturedAt: string;
  identityHash: string;
  itemCount: number;
  operationRunId: string;
  /** Item counts per policy type. */
  summary: Record<string, number>;
}

/** A snapshot item: a normalized, redacted subject without tenant identifiers. */
export interface BaselineSnapshotItem extends Omit<NormalizedSubject, 'externalId'> {
  snapshotId: string;
}

/** The last observed state of one policy in one tenant. */
export interface InventoryItem extends NormalizedSubject {
  tenantId: string;
  externalId: string;
  observedAt: string;
  inventorySyncRunId: string;
}

export type OperationRunType = 'inventory_sync' | 'baseline_capture' | 'baseline_compare';
export type OperationRunStatus = 'queued' | 'running' | 'completed';
export type OperationRunOutcome = 'pending' | 'succeeded' | 'partially_succeeded' | 'failed' | 'cancelled';

export interface FailureSummaryEntry {
  code: string;
  message: string;
  count: number;
}

export interface OperationRun {
  id: string;
  tenantId: string;
  workspaceId?: string;
  type: OperationRunType;
  status: OperationRunStatus;
  outcome: OperationRunOutcome;
  identityHash: string;
  summaryCounts: Record<string, number>;
  failureSummary: FailureSummaryEntry[];
  context: Record<string, unknown>;
  initiator: string;
  createdAt: string;
  startedAt?: string;
  completedAt?: string;
}

/** Coverage of one type in an inventory sync run (`context.inventory.coverage`). */
export interface TypeCoverage {
  status: 'succeeded' | 'failed';
  item_count?: number;
  /**
   * Of the type's stored policies after the sync, how many carry the sync's run id (written or
   * confirmed by it). A compare checks its eventually consistent listing against this and
   * `item_count`, and reads again strongly consistent when they differ.
   */
  items_from_run?: number;
  error?: string;
}

export interface InventoryCoverage {
  policy_types: Partial<Record<string, TypeCoverage>>;
  foundation_types: Partial<Record<string, TypeCoverage>>;
}

/** Summary counts of a compare run (docs/compare.md, "Summary counts"): numbers only. */
export interface CompareSummaryCounts {
  total: number;
  processed: number;
  failed: number;
  errors_recorded: number;
  subjects: number;
  /** Subjects equal on both sides by content hash (content-verified). */
  aligned: number;
  /** Subjects equal by meta hash while a side lacked its content: `content_incomplete` gaps. */
  aligned_meta: number;
  gaps: number;
  findings_new: number;
  findings_seen: number;
  findings_reopened: number;
  findings_resolved: number;
  missing_policy: number;
  unexpected_policy: number;
  different_version: number;
  severity_low: number;
  severity_medium: number;
  severity_high: number;
  severity_critical: number;
  /** Subjects on both sides whose assignments were not compared (a side had none collected). */
  assignments_not_compared: number;
}

export const GAP_REASONS = ['ambiguous_match', 'content_incomplete', 'assignment_target_unresolved', 'subject_link_broken'] as const;
export type GapReason = (typeof GAP_REASONS)[number];
export type IncompleteSide = 'baseline' | 'current' | 'both';

/**
 * A subject that yields no finding because the compare cannot tell (docs/identity.md, "Subjects", 3.6):
 * `ambiguous_match` (two or more subjects share the key on a side), `content_incomplete` (equal
 * meta hashes while a side lacked its content: not proven aligned) or `assignment_target_unresolved`
 * (assignments equal only if unresolved group or filter references were the ones they face, design 3.5).
 */
export interface CompareGap {
  reason: GapReason;
  policyType: RegistryTypeKey;
  subjectKey: string;
  displayName: string;
  /** How many subjects share the key on each side. */
  baselineCount: number;
  currentCount: number;
  /** `content_incomplete`: which side lacked its content, and what it lacked (the type's content parts). */
  incompleteSide?: IncompleteSide;
  missing?: string[];
  /** `assignment_target_unresolved` (and a `content_incomplete` gap whose assignments were undecided): what could not be resolved. */
  unresolved?: string[];
  /** `subject_link_broken`: the link whose tenant policy no longer exists. */
  link?: { linkId: string; tenantDisplayName: string };
}

export type AuditAction =
  | 'profile.created'
  | 'profile.updated'
  | 'snapshot.captured'
  | 'assignment.created'
  | 'assignment.removed'
  | 'inventory.ingested'
  | 'compare.started'
  | 'finding.transitioned'
  | 'finding.reopened'
  | 'finding.acceptance_expired'
  | 'group_mappings.updated'
  | 'subject_link.created'
  | 'subject_link.replaced'
  | 'subject_link.deleted'
  | 'tenant.renamed'
  | 'webhook.created'
  | 'webhook.deleted';

export interface AuditEntry {
  id: string;
  workspaceId: string;
  tenantId?: string;
  profileId?: string;
  actor: string;
  at: string;
  action: AuditAction;
  correlationId: string;
  details: Record<string, unknown>;
}
