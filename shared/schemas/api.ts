/**
 * Schemas of the portal HTTP API: path parameters, query strings, request bodies and response
 * envelopes. The API validates every request with them and the OpenAPI document is generated from the
 * same objects (`.meta({ id })` names a component). Envelopes are camelCase; documents that mirror
 * TenantAtlas (coverage, summary counts, run context, evidence) keep their snake_case keys.
 */
import { z } from 'zod';
import {
  CHANGE_TYPES,
  FOUNDATION_TYPE_KEYS,
  OPEN_FINDING_STATUSES,
  POLICY_TYPE_KEYS,
  REOPEN_REASONS,
  SEVERITIES,
  TERMINAL_FINDING_STATUSES,
} from '../domain/model.js';

// ---------------------------------------------------------------------------------------------
// building blocks
// ---------------------------------------------------------------------------------------------

/** Ids in paths and bodies: never empty, never the key separator `#`, no slashes or spaces. */
export const idSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]*$/, 'must be 1-128 letters, digits or . _ : @ - (starting with a letter or digit)');

export const tenantIdSchema = idSchema.meta({ description: 'A tenant id (Entra tenant id or the portal\'s tenant key).' });
export const fingerprintSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits').meta({ description: 'A finding fingerprint (SHA-256 hex).' });

export const policyTypeKeySchema = z.enum(POLICY_TYPE_KEYS).meta({ id: 'PolicyType', description: 'A policy type of the registry.' });
export const foundationTypeKeySchema = z.enum(FOUNDATION_TYPE_KEYS).meta({ id: 'FoundationType', description: 'A foundation type of the registry.' });
export const registryTypeKeySchema = z.enum([...POLICY_TYPE_KEYS, ...FOUNDATION_TYPE_KEYS]).meta({ id: 'RegistryType' });
export const changeTypeSchema = z.enum(CHANGE_TYPES).meta({ id: 'ChangeType' });
export const severitySchema = z.enum(SEVERITIES).meta({ id: 'Severity' });
export const findingStatusSchema = z.enum([...OPEN_FINDING_STATUSES, ...TERMINAL_FINDING_STATUSES]).meta({ id: 'FindingStatus' });
export const profileStatusSchema = z.enum(['draft', 'active', 'archived']).meta({ id: 'ProfileStatus' });
export const runTypeSchema = z.enum(['inventory_sync', 'baseline_capture', 'baseline_compare']).meta({ id: 'OperationRunType' });

const isoDateTime = z.string().meta({ format: 'date-time' });

export const scopeSchema = z
  .strictObject({
    policy_types: z.array(policyTypeKeySchema).max(POLICY_TYPE_KEYS.length * 2).default([]),
    foundation_types: z.array(foundationTypeKeySchema).max(FOUNDATION_TYPE_KEYS.length * 2).default([]),
  })
  .meta({ id: 'ProfileScope', description: 'Empty policy_types = every policy type; empty foundation_types = none.' });

export const severityMappingSchema = z
  .strictObject({
    missing_policy: severitySchema.optional(),
    unexpected_policy: severitySchema.optional(),
    different_version: severitySchema.optional(),
  })
  .meta({ id: 'SeverityMapping', description: 'Severity per change type; an absent one keeps its default (missing high, different medium, unexpected low).' });

export const ignoredPropertySchema = z
  .strictObject({
    policyType: registryTypeKeySchema,
    path: z
      .string()
      .min(2)
      .max(512)
      .meta({ description: "A JSON pointer into the type's normalized content, `*` for any one segment (e.g. `/settings/*/settingInstance/choiceSettingValue/children`, or `/assignments` for the whole dimension)." }),
    reason: z.string().trim().min(1).max(500).meta({ description: 'Why this property differs for good reason.' }),
  })
  .meta({ id: 'IgnoredProperty', description: 'A property that never produces drift: removed from both sides before hashing.' });
const ignoredPropertiesSchema = z.array(ignoredPropertySchema).max(100);

// ---------------------------------------------------------------------------------------------
// paging
// ---------------------------------------------------------------------------------------------

export const pageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25).meta({ description: 'Most items per page (1-100, default 25).' }),
  cursor: z.string().min(1).max(2048).optional().meta({ description: 'The `nextCursor` of the previous page (opaque).' }),
});

function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z.string().optional().meta({ description: 'Present when more items may follow.' }),
    })
    .meta({ id });
}

// ---------------------------------------------------------------------------------------------
// problems
// ---------------------------------------------------------------------------------------------

export const problemSchema = z
  .object({
    type: z.string().meta({ description: 'A stable URI naming the kind of problem.' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    correlationId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    activeRunId: z.string().optional(),
    allowed: z.array(z.string()).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json).' });

// ---------------------------------------------------------------------------------------------
// path parameters
// ---------------------------------------------------------------------------------------------

export const profileParams = z.strictObject({ profileId: idSchema });
export const snapshotParams = z.strictObject({ profileId: idSchema, snapshotId: idSchema });
export const assignmentParams = z.strictObject({ profileId: idSchema, tenantId: tenantIdSchema });
export const tenantParams = z.strictObject({ tenantId: tenantIdSchema });
export const runParams = z.strictObject({ runId: idSchema });
export const findingParams = z.strictObject({ tenantId: tenantIdSchema, fingerprint: fingerprintSchema });

// ---------------------------------------------------------------------------------------------
// profiles
// ---------------------------------------------------------------------------------------------

export const createProfileBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(2000).optional(),
    versionLabel: z.string().trim().min(1).max(64).optional(),
    status: z.enum(['draft', 'active']).default('draft'),
    scope: scopeSchema.default({ policy_types: [], foundation_types: [] }),
    severityMapping: severityMappingSchema.optional(),
    alertMinSeverity: severitySchema.default('high'),
    autoResolve: z.boolean().default(true),
    compareAssignments: z.boolean().default(true).meta({ description: 'Assignments are a compared dimension of drift (default on).' }),
    ignoredProperties: ignoredPropertiesSchema.optional(),
  })
  .meta({ id: 'CreateProfileRequest' });
export type CreateProfileBody = z.infer<typeof createProfileBody>;

export const updateProfileBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(2000).optional(),
    versionLabel: z.string().trim().min(1).max(64).optional(),
    status: profileStatusSchema.optional(),
    scope: scopeSchema.optional(),
    severityMapping: severityMappingSchema.optional(),
    alertMinSeverity: severitySchema.optional(),
    autoResolve: z.boolean().optional(),
    compareAssignments: z.boolean().optional(),
    ignoredProperties: ignoredPropertiesSchema.optional().meta({ description: 'Replaces the list (empty: none); applies from the next compare on.' }),
    activeSnapshotId: idSchema.optional().meta({ description: 'Make this complete snapshot of the profile the active one (the baseline compares and the fleet view use).' }),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'name at least one field to change' })
  .meta({ id: 'UpdateProfileRequest', description: 'Status moves: draft <-> active, active -> archived (archived is final).' });
export type UpdateProfileBody = z.infer<typeof updateProfileBody>;

export const listProfilesQuery = pageQuerySchema.extend({ status: profileStatusSchema.optional() });

export const profileSchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    name: z.string(),
    description: z.string().optional(),
    versionLabel: z.string().optional(),
    status: profileStatusSchema,
    scope: z.object({ policy_types: z.array(z.string()), foundation_types: z.array(z.string()) }),
    activeSnapshotId: z.string().optional(),
    severityMapping: z.record(z.string(), severitySchema),
    alertMinSeverity: severitySchema,
    autoResolve: z.boolean(),
    compareAssignments: z.boolean().meta({ description: 'Assignments compared (absent on profiles written before: on).' }).optional(),
    ignoredProperties: z.array(ignoredPropertySchema).optional(),
    createdBy: z.string(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'BaselineProfile' });
export const profilePage = pageOf(profileSchema, 'BaselineProfilePage');

// ---------------------------------------------------------------------------------------------
// snapshots
// ---------------------------------------------------------------------------------------------

export const captureSnapshotBody = z
  .strictObject({
    sourceTenantId: tenantIdSchema,
    activate: z.boolean().default(true).meta({ description: 'Make the captured snapshot the profile\'s active one (default true).' }),
  })
  .meta({ id: 'CaptureSnapshotRequest' });

export const acceptedRunSchema = z.object({ runId: z.string() }).meta({ id: 'AcceptedRun' });

export const snapshotSchema = z
  .object({
    id: z.string(),
    profileId: z.string(),
    status: z.enum(['building', 'complete', 'failed']),
    capturedAt: isoDateTime,
    identityHash: z.string(),
    itemCount: z.number().int(),
    operationRunId: z.string(),
    itemCounts: z.record(z.string(), z.number().int()).meta({ description: 'Items per policy type.' }),
  })
  .meta({ id: 'BaselineSnapshot' });
export const snapshotPage = pageOf(snapshotSchema, 'BaselineSnapshotPage');

// ---------------------------------------------------------------------------------------------
// assignments
// ---------------------------------------------------------------------------------------------

export const assignBody = z
  .strictObject({
    scopeOverride: scopeSchema.optional(),
    ignoredProperties: ignoredPropertiesSchema.optional().meta({ description: "This tenant's own ignored properties: the tenant's list is the profile's plus these." }),
  })
  .meta({ id: 'AssignTenantRequest', description: 'The override, when given, replaces the profile scope for this tenant.' });

export const assignmentSchema = z
  .object({
    profileId: z.string(),
    tenantId: z.string(),
    workspaceId: z.string(),
    scopeOverride: z.object({ policy_types: z.array(z.string()), foundation_types: z.array(z.string()) }).optional(),
    ignoredProperties: z.array(ignoredPropertySchema).optional(),
    assignedAt: isoDateTime,
    assignedBy: z.string(),
  })
  .meta({ id: 'Assignment' });
export const assignmentList = z.object({ items: z.array(assignmentSchema) }).meta({ id: 'AssignmentList' });

// ---------------------------------------------------------------------------------------------
// subject links
// ---------------------------------------------------------------------------------------------

export const subjectLinkParams = z.strictObject({ tenantId: tenantIdSchema, linkId: z.string().regex(/^sl-[0-9a-f]{24}$/, 'must be a linkId as returned by POST') });

export const subjectLinkBody = z
  .strictObject({
    policyType: registryTypeKeySchema,
    baselineSubjectKey: z.string().min(3).max(1100).meta({ description: 'The baseline subject, as a finding\'s subjectKey writes it: `<policyType>:<baseline policy name>`.' }),
    tenantDisplayName: z.string().min(1).max(1024).meta({ description: "The tenant's policy name, as the tenant shows it." }),
  })
  .meta({ id: 'SubjectLinkRequest', description: "Compare the tenant's policy of this name with the baseline subject (a policy renamed in the tenant)." });

export const subjectLinkSchema = z
  .object({
    linkId: z.string(),
    policyType: z.string(),
    baselineSubjectKey: z.string(),
    tenantDisplayName: z.string(),
    createdAt: isoDateTime,
    createdBy: z.string(),
  })
  .meta({ id: 'SubjectLink' });
export const subjectLinkList = z.object({ tenantId: z.string(), items: z.array(subjectLinkSchema) }).meta({ id: 'SubjectLinkList' });

// ---------------------------------------------------------------------------------------------
// group mappings
// ---------------------------------------------------------------------------------------------

const groupReference = z.string().trim().min(1).max(256);

export const groupMappingSchema = z
  .strictObject({
    baselineGroup: groupReference.meta({ description: 'The baseline group: its display name or object id in the golden tenant.' }),
    tenantGroupId: groupReference.meta({ description: "This tenant's group that stands for it: its object id (or display name)." }),
  })
  .meta({ id: 'GroupMapping' });

export const groupMappingsBody = z
  .strictObject({
    mappings: z
      .array(groupMappingSchema)
      .max(1000)
      .refine((list) => new Set(list.map((m) => m.baselineGroup.toLowerCase())).size === list.length, { message: 'a baseline group may be mapped once' }),
  })
  .meta({ id: 'GroupMappingsRequest', description: 'Replaces the tenant\'s explicit group mappings as a whole (an empty list removes them).' });

export const groupMappingsSchema = z
  .object({
    tenantId: z.string(),
    mappings: z.array(groupMappingSchema),
    updatedAt: isoDateTime.optional(),
    updatedBy: z.string().optional(),
  })
  .meta({ id: 'GroupMappings', description: 'Explicit mappings come first when a group is resolved across tenants; then equal object ids; then display names.' });

// ---------------------------------------------------------------------------------------------
// inventory ingest
// ---------------------------------------------------------------------------------------------

const typeCoverageSchema = z.strictObject({
  status: z.enum(['succeeded', 'failed']),
  item_count: z.number().int().min(0).max(1_000_000).optional(),
  error: z.string().max(1000).optional(),
});

export const ingestCoverageSchema = z
  .strictObject({
    policy_types: z.partialRecord(policyTypeKeySchema, typeCoverageSchema).default({}),
    foundation_types: z.partialRecord(foundationTypeKeySchema, typeCoverageSchema).default({}),
  })
  .meta({ id: 'InventoryCoverage', description: 'Per type: did the caller read it completely? Failed types are never applied.' });

const graphObject = z.record(z.string(), z.unknown()).meta({ description: 'A Graph object as Graph returns it.' });

export const ingestPageBody = z
  .strictObject({
    runId: idSchema.optional().meta({ description: 'The sync this page belongs to; absent on page 1 (creates the sync).' }),
    pageNumber: z.number().int().min(1).max(100_000),
    last: z.boolean().meta({ description: 'True on the page that completes the sync.' }),
    items: z.partialRecord(registryTypeKeySchema, z.array(graphObject).max(10_000)).default({}),
    coverage: ingestCoverageSchema.optional(),
  })
  .meta({ id: 'InventoryPage' });

export const ingestPageResultSchema = z
  .object({
    runId: z.string(),
    status: z.enum(['receiving', 'completed']),
    pagesReceived: z.number().int(),
    outcome: z.string().optional(),
    coverage: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'InventoryPageResult' });

// ---------------------------------------------------------------------------------------------
// compares and runs
// ---------------------------------------------------------------------------------------------

export const startCompareBody = z
  .strictObject({
    profileId: idSchema,
    snapshotId: idSchema.optional().meta({ description: 'Default: the profile\'s active snapshot.' }),
  })
  .meta({ id: 'StartCompareRequest' });

export const runSchema = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    workspaceId: z.string().optional(),
    type: runTypeSchema,
    status: z.enum(['queued', 'running', 'completed']),
    outcome: z.enum(['pending', 'succeeded', 'partially_succeeded', 'failed', 'cancelled']),
    identityHash: z.string(),
    summaryCounts: z.record(z.string(), z.number()),
    failureSummary: z.array(z.object({ code: z.string(), message: z.string(), count: z.number() })),
    context: z.record(z.string(), z.unknown()),
    initiator: z.string(),
    createdAt: isoDateTime,
    startedAt: isoDateTime.optional(),
    completedAt: isoDateTime.optional(),
  })
  .meta({ id: 'OperationRun' });
export const runPage = pageOf(runSchema, 'OperationRunPage');
export const listRunsQuery = pageQuerySchema.extend({ type: runTypeSchema.optional() });

// ---------------------------------------------------------------------------------------------
// findings
// ---------------------------------------------------------------------------------------------

export const listFindingsQuery = pageQuerySchema.extend({
  status: findingStatusSchema.optional(),
  policyType: registryTypeKeySchema.optional(),
  changeType: changeTypeSchema.optional(),
  severity: severitySchema.optional(),
  scopeKey: z.string().min(1).max(200).optional().meta({ description: 'e.g. `baseline_profile:<profileId>`' }),
});

const findingFields = {
  tenantId: z.string(),
  fingerprint: z.string(),
  recurrenceKey: z.string(),
  scopeKey: z.string(),
  source: z.literal('baseline.compare'),
  changeType: changeTypeSchema,
  policyType: z.string(),
  subjectKey: z.string(),
  displayName: z.string(),
  status: findingStatusSchema,
  severity: severitySchema,
  firstSeenAt: isoDateTime,
  lastSeenAt: isoDateTime,
  timesSeen: z.number().int(),
  reopenCount: z.number().int(),
  reopenedAt: isoDateTime.optional(),
  resolvedAt: isoDateTime.optional(),
  resolvedReason: z.string().optional(),
  triagedAt: isoDateTime.optional(),
  inProgressAt: isoDateTime.optional(),
  closedAt: isoDateTime.optional(),
  closedBy: z.string().optional(),
  closedReason: z.string().optional(),
  riskAcceptedBy: z.string().optional(),
  riskAcceptedReason: z.string().optional(),
  reopenReason: z.enum(REOPEN_REASONS).optional().meta({ description: 'Why the finding was last reopened.' }),
  acceptedAt: isoDateTime.optional(),
  acceptedBy: z.string().optional(),
  acceptedHash: z
    .object({ settings: z.string().nullable(), settingsFidelity: z.enum(['content', 'meta']).nullable(), assignments: z.string().nullable().optional() })
    .optional()
    .meta({ description: 'The tenant side\'s hash per dimension when the deviation was accepted: a later compare that sees another value reopens the finding (accepted_value_changed).' }),
  expiresAt: isoDateTime.optional().meta({ description: 'When the acceptance ends (acceptance_expired).' }),
  assignee: z.string().optional(),
  dueAt: isoDateTime,
  currentOperationRunId: z.string(),
  evidenceFidelity: z.enum(['content', 'meta', 'mixed']),
};

export const findingSummarySchema = z.object(findingFields).meta({ id: 'FindingSummary', description: 'A finding without its evidence.' });
export const findingSchema = z
  .object({
    ...findingFields,
    evidence: z.record(z.string(), z.unknown()).meta({ description: 'Design 2.6 evidence (snake_case); `accepted` when an acceptance ended: what was accepted.' }),
    acceptedEvidence: z.record(z.string(), z.unknown()).optional().meta({ description: 'The evidence as it was when the deviation was accepted.' }),
  })
  .meta({ id: 'Finding' });
export const findingPage = pageOf(findingSummarySchema, 'FindingPage');

export const transitionBody = z
  .strictObject({
    to: z.enum(['triaged', 'in_progress', 'closed', 'risk_accepted']),
    reason: z.string().max(2000).optional().meta({ description: 'Required (non-blank) for closed and risk_accepted.' }),
    assignee: z.string().trim().min(1).max(256).optional(),
    expiresAt: isoDateTime
      .optional()
      .meta({ description: 'risk_accepted only: when the acceptance ends (in the future, at most the configured maximum ahead, default 365 days). Absent: it does not expire.' }),
  })
  .meta({ id: 'FindingTransitionRequest' });

// ---------------------------------------------------------------------------------------------
// audit, health
// ---------------------------------------------------------------------------------------------

export const auditEntrySchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    tenantId: z.string().optional(),
    profileId: z.string().optional(),
    actor: z.string(),
    at: isoDateTime,
    action: z.string(),
    correlationId: z.string(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEntry' });
export const auditPage = pageOf(auditEntrySchema, 'AuditPage');

export const healthSchema = z.object({ status: z.literal('ok'), time: isoDateTime }).meta({ id: 'Health' });
