/**
 * Key design: every access pattern of the product, named once, beside the key builder it uses.
 * Index names come from `table-specs.ts`, which the CDK construct also builds the tables from.
 *
 * Composite keys join parts with `#`; ids that go into a composite partition key (tenant, snapshot,
 * profile, run ids, identity hashes) must not contain `#` (checked: `InvalidKeyPartError`). Subject
 * keys, fingerprints and external ids are whole sort keys and may hold any character.
 *
 * Content placement (snapshot items and inventory): the small summary a compare reads for every
 * subject is one item; its normalized meta + content lives in the SAME table but in a partition of its
 * own (`<summary partition>#content`), one or more items keyed `<subject or external id>#<part>`.
 * Why the same table: summary and content share a lifecycle (written, replaced and deleted together,
 * retained and restored together, one grant); why another partition: a summary listing is a plain
 * Query of the summary partition and never reads (or pays for) a content byte, while a subject's
 * content is fetched by exact keys (BatchGetItem), so no key prefix can ever catch a neighbour.
 */
import type { Finding, OperationRunType } from '../../domain/model.js';
import { InvalidKeyPartError } from '../../usecases/ports/errors.js';
import { INDEX } from './table-specs.js';

export const SEP = '#';

/** Rejects ids that would make a composite key ambiguous. */
export function keyPart(field: string, value: string): string {
  if (value.length === 0 || value.includes(SEP)) throw new InvalidKeyPartError(field, value);
  return value;
}

// A type alias (not an interface) so a key is assignable to the SDK's attribute maps.
export type TableKey = { pk: string; sk: string };

/** Content part `n` of a subject: zero-padded so parts sort in order. */
export function contentSortKey(id: string, part: number): string {
  return `${id}${SEP}${String(part).padStart(4, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// findings table
// ---------------------------------------------------------------------------------------------
export const findingKeys = {
  /** AP upsertFinding / resolveUnobserved: the findings of one tenant + scope (base table partition). */
  scopePartition: (tenantId: string, scopeKey: string): string => `${keyPart('tenantId', tenantId)}${SEP}${scopeKey}`,
  /** AP getFinding (base table): one finding by tenant, scope and fingerprint. */
  primary: (tenantId: string, scopeKey: string, fingerprint: string): TableKey => ({
    pk: findingKeys.scopePartition(tenantId, scopeKey),
    sk: fingerprint,
  }),
  /** AP listFindings: a tenant's findings, newest lastSeenAt first. */
  byTenantLastSeen: { index: INDEX.findings.byTenantLastSeen, partition: 'tenantId', sort: 'lastSeenAt' },
  /** AP listFindingsByStatus: a tenant's findings of one status, newest lastSeenAt first. */
  byTenantStatus: { index: INDEX.findings.byTenantStatus, partition: 'tenantStatus', sort: 'lastSeenAt' },
  tenantStatus: (tenantId: string, status: string): string => `${keyPart('tenantId', tenantId)}${SEP}${status}`,
  /** AP listFindingsByPolicyType: a tenant's findings of one policy type, newest lastSeenAt first. */
  byTenantPolicyType: { index: INDEX.findings.byTenantPolicyType, partition: 'tenantPolicyType', sort: 'lastSeenAt' },
  tenantPolicyType: (tenantId: string, policyType: string): string => `${keyPart('tenantId', tenantId)}${SEP}${policyType}`,
  /** AP getFindingByFingerprint: routes carry tenant + fingerprint, not the scope (keys-only index). */
  byTenantFingerprint: { index: INDEX.findings.byTenantFingerprint, partition: 'tenantId', sort: 'fingerprint' },
  /** Every key attribute a stored finding carries (table + indexes). */
  item: (f: Finding): TableKey & { tenantStatus: string; tenantPolicyType: string } => ({
    ...findingKeys.primary(f.tenantId, f.scopeKey, f.fingerprint),
    tenantStatus: findingKeys.tenantStatus(f.tenantId, f.status),
    tenantPolicyType: findingKeys.tenantPolicyType(f.tenantId, f.policyType),
  }),
} as const;

// ---------------------------------------------------------------------------------------------
// snapshotItems table
// ---------------------------------------------------------------------------------------------
export const snapshotItemKeys = {
  /** AP listSnapshotSummaries: every subject summary of one snapshot and policy type. */
  summaryPartition: (snapshotId: string, policyType: string): string =>
    `${keyPart('snapshotId', snapshotId)}${SEP}${keyPart('policyType', policyType)}`,
  /** AP getSnapshotSummary: one subject of a snapshot. */
  summary: (snapshotId: string, policyType: string, subjectKey: string): TableKey => ({
    pk: snapshotItemKeys.summaryPartition(snapshotId, policyType),
    sk: subjectKey,
  }),
  /** AP getSnapshotContents: the content parts of the subjects whose hashes differ (exact keys). */
  contentPartition: (snapshotId: string, policyType: string): string =>
    `${snapshotItemKeys.summaryPartition(snapshotId, policyType)}${SEP}content`,
  content: (snapshotId: string, policyType: string, subjectKey: string, part: number): TableKey => ({
    pk: snapshotItemKeys.contentPartition(snapshotId, policyType),
    sk: contentSortKey(subjectKey, part),
  }),
} as const;

// ---------------------------------------------------------------------------------------------
// inventory table
// ---------------------------------------------------------------------------------------------
export const inventoryKeys = {
  /** AP listInventorySummaries: a tenant's last observed policies of one type. */
  summaryPartition: (tenantId: string, policyType: string): string =>
    `${keyPart('tenantId', tenantId)}${SEP}${keyPart('policyType', policyType)}`,
  summary: (tenantId: string, policyType: string, externalId: string): TableKey => ({
    pk: inventoryKeys.summaryPartition(tenantId, policyType),
    sk: externalId,
  }),
  /** AP getInventoryContents: content parts of chosen policies (exact keys). */
  contentPartition: (tenantId: string, policyType: string): string =>
    `${inventoryKeys.summaryPartition(tenantId, policyType)}${SEP}content`,
  content: (tenantId: string, policyType: string, externalId: string, part: number): TableKey => ({
    pk: inventoryKeys.contentPartition(tenantId, policyType),
    sk: contentSortKey(externalId, part),
  }),
} as const;

// ---------------------------------------------------------------------------------------------
// baselines table: profiles, snapshot headers, assignments, group mappings, subject links (gsi1 / gsi2 are overloaded)
// ---------------------------------------------------------------------------------------------
export const profileKeys = {
  /** AP getProfile. */
  primary: (profileId: string): TableKey => ({ pk: `profile${SEP}${keyPart('profileId', profileId)}`, sk: 'profile' }),
  /** AP listProfilesByWorkspace (gsi1): a workspace's profiles, newest first. */
  byWorkspace: (workspaceId: string): { index: string; gsi1pk: string } => ({
    index: INDEX.baselines.gsi1,
    gsi1pk: `workspace${SEP}${keyPart('workspaceId', workspaceId)}${SEP}profiles`,
  }),
  gsi1sk: (createdAt: string, profileId: string): string => `${createdAt}${SEP}${profileId}`,
} as const;

export const snapshotKeys = {
  /** AP getSnapshot. */
  primary: (snapshotId: string): TableKey => ({ pk: `snapshot${SEP}${keyPart('snapshotId', snapshotId)}`, sk: 'snapshot' }),
  /** AP listSnapshotsByProfile (gsi1): a profile's snapshots, newest capturedAt first. */
  byProfile: (profileId: string): { index: string; gsi1pk: string } => ({
    index: INDEX.baselines.gsi1,
    gsi1pk: `profile${SEP}${keyPart('profileId', profileId)}${SEP}snapshots`,
  }),
  gsi1sk: (capturedAt: string, snapshotId: string): string => `${capturedAt}${SEP}${snapshotId}`,
  /** AP findSnapshotByIdentity (gsi2): dedupe of a capture with identical content. */
  byIdentity: (profileId: string, identityHash: string): { index: string; gsi2pk: string } => ({
    index: INDEX.baselines.gsi2,
    gsi2pk: `profile${SEP}${keyPart('profileId', profileId)}${SEP}identity${SEP}${keyPart('identityHash', identityHash)}`,
  }),
} as const;

export const assignmentKeys = {
  /** AP getAssignment / listAssignmentsByProfile (sort-key prefix `assignment#` in the profile's partition). */
  primary: (profileId: string, tenantId: string): TableKey => ({
    pk: `profile${SEP}${keyPart('profileId', profileId)}`,
    sk: `${assignmentKeys.sortPrefix}${keyPart('tenantId', tenantId)}`,
  }),
  sortPrefix: `assignment${SEP}`,
  /** AP listAssignmentsByTenant (gsi1): the profiles a tenant is assigned to. */
  byTenant: (tenantId: string): { index: string; gsi1pk: string } => ({
    index: INDEX.baselines.gsi1,
    gsi1pk: `tenant${SEP}${keyPart('tenantId', tenantId)}${SEP}assignments`,
  }),
  gsi1sk: (profileId: string): string => `profile${SEP}${profileId}`,
} as const;

/** AP getTenantRecord: what a tenant keeps as one item per kind (`group-mappings`, `subject-links`). */
export const tenantRecordKeys = {
  primary: (tenantId: string, kind: 'group-mappings' | 'subject-links'): TableKey => ({ pk: `tenant${SEP}${keyPart('tenantId', tenantId)}`, sk: kind }),
} as const;

export const groupMappingKeys = {
  /** AP getGroupMappings: a tenant's explicit group mappings, one item. */
  primary: (tenantId: string): TableKey => tenantRecordKeys.primary(tenantId, 'group-mappings'),
} as const;

export const subjectLinkKeys = {
  /** AP getSubjectLinks: a tenant's subject links, one item (at most MAX_SUBJECT_LINKS links). */
  primary: (tenantId: string): TableKey => tenantRecordKeys.primary(tenantId, 'subject-links'),
} as const;

// ---------------------------------------------------------------------------------------------
// operationRuns table: runs and active-run locks
// ---------------------------------------------------------------------------------------------
export const runKeys = {
  /** AP getRun: one run by id. */
  primary: (runId: string): TableKey => ({ pk: `run${SEP}${keyPart('runId', runId)}`, sk: 'run' }),
  /** Sort key of the listing indexes: creation time, then id (stable order for equal timestamps). */
  createdKey: (createdAt: string, runId: string): string => `${createdAt}${SEP}${runId}`,
  /** AP listRunsByTenant (byTenant): a tenant's runs newest first. */
  byTenant: { index: INDEX.operationRuns.byTenant, partition: 'tenantId', sort: 'createdKey' },
  /** AP listRunsByTenantAndType (byTenantType): a tenant's runs of one type newest first. */
  byTenantType: { index: INDEX.operationRuns.byTenantType, partition: 'tenantType', sort: 'createdKey' },
  tenantType: (tenantId: string, type: OperationRunType): string => `${keyPart('tenantId', tenantId)}${SEP}${type}`,
  /** AP latestCompletedRun (byTenantTypeCompleted, sparse: set on completion): newest completedAt first. */
  byTenantTypeCompleted: { index: INDEX.operationRuns.byTenantTypeCompleted, partition: 'completedTenantType', sort: 'completedKey' },
  completedKey: (completedAt: string, runId: string): string => `${completedAt}${SEP}${runId}`,
} as const;

export const lockKeys = {
  /** AP activeRunLock: at most one queued/running run per (tenant, identityHash). */
  primary: (tenantId: string, identityHash: string): TableKey => ({
    pk: `lock${SEP}${keyPart('tenantId', tenantId)}${SEP}${keyPart('identityHash', identityHash)}`,
    sk: 'lock',
  }),
  /** AP findStaleRuns (activeLocks, sparse: only lock items): every held lock, oldest first. */
  activeLocks: { index: INDEX.operationRuns.activeLocks, partition: 'lockShard', sort: 'lockCreatedKey' },
  shard: 'active',
  lockCreatedKey: (createdAt: string, runId: string): string => `${createdAt}${SEP}${runId}`,
} as const;

/** Staged compare results (operationRuns table, disposable: TTL), see `compare-stage-repository.ts`. */
export const compareStageKeys = {
  /** AP stagedCompareResults: what ComparePolicyType hands UpsertFindings for one (run, policy type). */
  partition: (runId: string, policyType: string): string =>
    `stage${SEP}${keyPart('runId', runId)}${SEP}${keyPart('policyType', policyType)}`,
  header: 'header',
  part: (index: number): string => `part${SEP}${String(index).padStart(5, '0')}`,
} as const;

/** The fleet view's record of each tenant's last compare (operationRuns table, kept as long as the run). */
export const fleetKeys = {
  /**
   * AP listFleetCompares: the last finalized compare of every tenant of one profile against one
   * snapshot (one Query of one partition: nothing of another profile or snapshot is read).
   */
  partition: (profileId: string, snapshotId: string): string =>
    `fleet${SEP}${keyPart('profileId', profileId)}${SEP}${keyPart('snapshotId', snapshotId)}`,
  /** AP putFleetCompare: one item per tenant. */
  primary: (profileId: string, snapshotId: string, tenantId: string): TableKey => ({
    pk: fleetKeys.partition(profileId, snapshotId),
    sk: keyPart('tenantId', tenantId),
  }),
} as const;

// ---------------------------------------------------------------------------------------------
// audit table
// ---------------------------------------------------------------------------------------------
export const auditKeys = {
  /** AP appendAuditEntry: one entry by id (append-only: attribute_not_exists). */
  primary: (entryId: string): { pk: string } => ({ pk: keyPart('auditEntryId', entryId) }),
  /** Sort key of both listings: time, then id. */
  atKey: (at: string, entryId: string): string => `${at}${SEP}${entryId}`,
  /** AP listAuditByTenant: a tenant's entries newest first. */
  byTenant: { index: INDEX.audit.byTenant, partition: 'tenantId', sort: 'atKey' },
  /** AP listAuditByWorkspace: a workspace's entries newest first. */
  byWorkspace: { index: INDEX.audit.byWorkspace, partition: 'workspaceId', sort: 'atKey' },
} as const;

// ---------------------------------------------------------------------------------------------
// baselines table: what a workspace keeps about itself (tenant names, webhook destinations)
// ---------------------------------------------------------------------------------------------
export const workspaceKeys = {
  /** AP listTenantNames / listWebhooks: one partition per workspace, items told apart by sort-key prefix. */
  partition: (workspaceId: string): string => `workspace${SEP}${keyPart('workspaceId', workspaceId)}`,
  tenantNamePrefix: `tenant${SEP}`,
  /** AP getTenantName / putTenantName. */
  tenantName: (workspaceId: string, tenantId: string): TableKey => ({
    pk: workspaceKeys.partition(workspaceId),
    sk: `${workspaceKeys.tenantNamePrefix}${keyPart('tenantId', tenantId)}`,
  }),
  webhookPrefix: `webhook${SEP}`,
  /** AP getWebhook / deleteWebhook. */
  webhook: (workspaceId: string, webhookId: string): TableKey => ({
    pk: workspaceKeys.partition(workspaceId),
    sk: `${workspaceKeys.webhookPrefix}${keyPart('webhookId', webhookId)}`,
  }),
} as const;

// ---------------------------------------------------------------------------------------------
// operationRuns table: webhook deliveries (disposable: TTL)
// ---------------------------------------------------------------------------------------------
export const webhookDeliveryKeys = {
  /** AP webhookDelivered: what was delivered (or refused for good) per event id and destination. */
  primary: (eventId: string, webhookId: string): TableKey => ({
    pk: `webhook-delivery${SEP}${keyPart('eventId', eventId)}`,
    sk: keyPart('webhookId', webhookId),
  }),
} as const;
