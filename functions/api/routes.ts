/**
 * Every route of the API in one table: method, path, who may call it, the zod schemas of its path
 * parameters, query and body, its responses (the OpenAPI document is generated from this table), and
 * the use case it calls. Handlers are small: access checks, one use case, the response shape.
 */
import type { z } from 'zod';
import type { BaselineSnapshot, Finding, OperationRun, RegistryTypeKey } from '../../shared/domain/model.js';
import type {
  AuditRepository,
  FindingRepository,
  GroupMappingRepository,
  OperationRunRepository,
  ProfileRepository,
  SnapshotRepository,
} from '../../shared/usecases/ports/persistence.js';
import * as s from '../../shared/schemas/api.js';
import { NotVisibleError } from '../../shared/usecases/api-errors.js';
import { recordAudit, type ActorContext } from '../../shared/usecases/audit-trail.js';
import { moveFinding } from '../../shared/usecases/findings.js';
import { assignTenant, createProfile, unassignTenant, updateProfile, visibleProfile } from '../../shared/usecases/manage-profiles.js';
import { requestCapture } from '../../shared/usecases/request-capture.js';
import { requestCompare } from '../../shared/usecases/request-compare.js';
import type { TenantDirectory } from '../../shared/usecases/ports/tenants.js';
import type { HostResolver, WebhookDestinationRepository, WebhookSecrets } from '../../shared/usecases/ports/webhooks.js';
import type { WebhookUrlPolicy } from '../../shared/domain/webhooks.js';
import type { Caller, Role } from './auth.js';
import type { CaptureStarter, WorkflowStarter } from '../../shared/usecases/ports/workflow.js';

/** One page of an inventory upload, as the API hands it to the ingest use case. */
export interface InventoryPageRequest {
  tenantId: string;
  workspaceId: string;
  initiator: string;
  runId?: string;
  pageNumber: number;
  items: Partial<Record<RegistryTypeKey, Record<string, unknown>[]>>;
  coverage?: { policy_types: Record<string, unknown>; foundation_types: Record<string, unknown> };
  last: boolean;
}

export interface InventoryPageResult {
  runId: string;
  status: 'receiving' | 'completed';
  pagesReceived: number;
  outcome?: string;
  coverage?: unknown;
}

/** What the API needs: repositories and the ports that start work elsewhere. */
export interface ApiDeps {
  profiles: ProfileRepository;
  snapshots: SnapshotRepository;
  runs: OperationRunRepository;
  findings: FindingRepository;
  audit: AuditRepository;
  /** Tenants' explicit group mappings (`group-mappings.ts`). */
  groupMappings?: GroupMappingRepository;
  /** Starts BaselineCompare executions (Step Functions on AWS, the local runner locally). */
  workflow: WorkflowStarter;
  /** Starts a snapshot capture without waiting for it. */
  capture: CaptureStarter;
  /** Tenant display names and webhook destinations of a workspace (`tenant-routes.ts`, `webhook-routes.ts`). */
  tenants: TenantDirectory;
  webhooks: WebhookDestinationRepository;
  webhookSecrets: WebhookSecrets;
  resolveHost: HostResolver;
  webhookUrlPolicy: WebhookUrlPolicy;
  /** The paged inventory ingest use case, wired with its own dependencies. */
  ingestInventoryPage: (req: InventoryPageRequest) => Promise<InventoryPageResult>;
  now?: () => Date;
  newId?: () => string;
  /** The longest acceptance of a deviation, in days (default 365). */
  maxAcceptanceDays?: number;
  /** Largest accepted body (default 1 MiB). */
  maxBodyBytes?: number;
  /** Called with every server-side fault (the caller only sees a request id). */
  onServerError?: (error: unknown, info: { requestId: string; correlationId: string; route?: string }) => void;
}

export type ResolvedDeps = ApiDeps & { now: () => Date };

export interface RouteRequest<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Absent on public routes only. */
  caller: Caller;
  /** Who acts, in which workspace, under which correlation id (for the audit trail). */
  actor: ActorContext;
  idempotencyKey?: string;
  requestId: string;
  correlationId: string;
}

export interface RouteResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: HttpMethod;
  /** OpenAPI form: `/tenants/{tenantId}/findings`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** `public`: no token (health, the document); otherwise the weakest role allowed. */
  access: 'public' | Role;
  params?: P;
  query?: Q;
  body?: B;
  /** The route honours an `Idempotency-Key` header. */
  idempotent?: boolean;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  handle(req: RouteRequest<z.output<P>, z.output<Q>, z.output<B>>, deps: ResolvedDeps): Promise<RouteResponse>;
}

export type AnyRoute = RouteSpec<z.ZodType, z.ZodType, z.ZodType>;

function route<P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
  spec: RouteSpec<P, Q, B>,
): AnyRoute {
  return spec;
}

/** A tenant outside the token's tenants answers exactly like one that does not exist. */
export function requireTenant(caller: Caller, tenantId: string): void {
  if (!caller.tenantIds.has(tenantId)) throw new NotVisibleError('tenant', tenantId);
}

function visibleRun(run: OperationRun | undefined, caller: Caller, runId: string): OperationRun {
  if (run === undefined || !caller.tenantIds.has(run.tenantId) || (run.workspaceId !== undefined && run.workspaceId !== caller.workspaceId)) {
    throw new NotVisibleError('operation run', runId);
  }
  return run;
}

function snapshotView(snapshot: BaselineSnapshot): z.infer<typeof s.snapshotSchema> {
  const { summary, ...rest } = snapshot;
  return { ...rest, itemCounts: summary };
}

function findingSummary(f: Finding): z.infer<typeof s.findingSummarySchema> {
  return s.findingSummarySchema.parse(f);
}

function pageBody<T>(items: T[], cursor: string | undefined): { items: T[]; nextCursor?: string } {
  return cursor !== undefined ? { items, nextCursor: cursor } : { items };
}

const PROBLEM = (description: string) => ({ description, schema: s.problemSchema });
const COMMON = { 400: PROBLEM('Invalid request'), 401: PROBLEM('Missing or invalid token'), 404: PROBLEM('Not found (or not visible to the caller)') };
const WRITE = { ...COMMON, 403: PROBLEM('Role too weak'), 413: PROBLEM('Body too large'), 415: PROBLEM('Body is not JSON') };

export const ROUTES: AnyRoute[] = [
  route({
    method: 'GET',
    path: '/health',
    operationId: 'getHealth',
    summary: 'Liveness of the API',
    tag: 'meta',
    access: 'public',
    responses: { 200: { description: 'Up', schema: s.healthSchema } },
    handle: (_req, deps) => Promise.resolve({ status: 200, body: { status: 'ok', time: deps.now().toISOString() } }),
  }),

  // --- profiles ------------------------------------------------------------------------------
  route({
    method: 'POST',
    path: '/baseline-profiles',
    operationId: 'createProfile',
    summary: 'Create a baseline profile in the caller\'s workspace',
    tag: 'profiles',
    access: 'admin',
    body: s.createProfileBody,
    idempotent: true,
    responses: { 201: { description: 'Created', schema: s.profileSchema }, 200: { description: 'Already created under this Idempotency-Key', schema: s.profileSchema }, ...WRITE, 409: PROBLEM('Idempotency-Key reused for another request') },
    async handle(req, deps) {
      const { created, profile } = await createProfile(deps, req.actor, req.body, req.idempotencyKey !== undefined ? { idempotencyKey: req.idempotencyKey } : {});
      return { status: created ? 201 : 200, body: profile, headers: { location: `/baseline-profiles/${profile.id}` } };
    },
  }),
  route({
    method: 'GET',
    path: '/baseline-profiles',
    operationId: 'listProfiles',
    summary: 'List the workspace\'s baseline profiles, newest first',
    tag: 'profiles',
    access: 'reader',
    query: s.listProfilesQuery,
    responses: { 200: { description: 'A page of profiles', schema: s.profilePage }, ...COMMON },
    async handle(req, deps) {
      const page = await deps.profiles.listByWorkspace(req.caller.workspaceId, {
        limit: req.query.limit,
        ...(req.query.cursor !== undefined ? { cursor: req.query.cursor } : {}),
        ...(req.query.status !== undefined ? { status: req.query.status } : {}),
      });
      return { status: 200, body: pageBody(page.items, page.cursor) };
    },
  }),
  route({
    method: 'GET',
    path: '/baseline-profiles/{profileId}',
    operationId: 'getProfile',
    summary: 'Get a baseline profile',
    tag: 'profiles',
    access: 'reader',
    params: s.profileParams,
    responses: { 200: { description: 'The profile', schema: s.profileSchema }, ...COMMON },
    async handle(req, deps) {
      return { status: 200, body: await visibleProfile(deps.profiles, req.caller.workspaceId, req.params.profileId) };
    },
  }),
  route({
    method: 'PATCH',
    path: '/baseline-profiles/{profileId}',
    operationId: 'updateProfile',
    summary: 'Update scope, severity mapping, alertMinSeverity, autoResolve, versionLabel, name or status',
    tag: 'profiles',
    access: 'admin',
    params: s.profileParams,
    body: s.updateProfileBody,
    responses: { 200: { description: 'The updated profile', schema: s.profileSchema }, ...WRITE, 409: PROBLEM('Status move refused or profile archived') },
    async handle(req, deps) {
      return { status: 200, body: await updateProfile(deps, req.actor, req.params.profileId, req.body) };
    },
  }),

  // --- snapshots -----------------------------------------------------------------------------
  route({
    method: 'POST',
    path: '/baseline-profiles/{profileId}/snapshots',
    operationId: 'captureSnapshot',
    summary: 'Capture a snapshot of the profile\'s scope from a source tenant (runs asynchronously)',
    tag: 'snapshots',
    access: 'admin',
    params: s.profileParams,
    body: s.captureSnapshotBody,
    idempotent: true,
    responses: { 202: { description: 'Capture started; follow the run', schema: s.acceptedRunSchema }, ...WRITE, 409: PROBLEM('Profile archived, or Idempotency-Key reused') },
    async handle(req, deps) {
      requireTenant(req.caller, req.body.sourceTenantId);
      const { runId } = await requestCapture(deps, req.actor, {
        profileId: req.params.profileId,
        sourceTenantId: req.body.sourceTenantId,
        activate: req.body.activate,
        ...(req.idempotencyKey !== undefined ? { idempotencyKey: req.idempotencyKey } : {}),
      });
      return { status: 202, body: { runId }, headers: { location: `/operation-runs/${runId}` } };
    },
  }),
  route({
    method: 'GET',
    path: '/baseline-profiles/{profileId}/snapshots',
    operationId: 'listSnapshots',
    summary: 'List a profile\'s snapshots, newest first',
    tag: 'snapshots',
    access: 'reader',
    params: s.profileParams,
    query: s.pageQuerySchema,
    responses: { 200: { description: 'A page of snapshots', schema: s.snapshotPage }, ...COMMON },
    async handle(req, deps) {
      const profile = await visibleProfile(deps.profiles, req.caller.workspaceId, req.params.profileId);
      const page = await deps.snapshots.listByProfile(profile.id, { limit: req.query.limit, ...(req.query.cursor !== undefined ? { cursor: req.query.cursor } : {}) });
      return { status: 200, body: pageBody(page.items.map(snapshotView), page.cursor) };
    },
  }),
  route({
    method: 'GET',
    path: '/baseline-profiles/{profileId}/snapshots/{snapshotId}',
    operationId: 'getSnapshot',
    summary: 'Get a snapshot with its item counts per policy type',
    tag: 'snapshots',
    access: 'reader',
    params: s.snapshotParams,
    responses: { 200: { description: 'The snapshot', schema: s.snapshotSchema }, ...COMMON },
    async handle(req, deps) {
      const profile = await visibleProfile(deps.profiles, req.caller.workspaceId, req.params.profileId);
      const snapshot = await deps.snapshots.get(req.params.snapshotId);
      if (snapshot === undefined || snapshot.profileId !== profile.id) throw new NotVisibleError('snapshot', req.params.snapshotId);
      return { status: 200, body: snapshotView(snapshot) };
    },
  }),

  // --- assignments ---------------------------------------------------------------------------
  route({
    method: 'PUT',
    path: '/baseline-profiles/{profileId}/assignments/{tenantId}',
    operationId: 'assignTenant',
    summary: 'Assign a tenant to the profile (idempotent on profile and tenant)',
    tag: 'assignments',
    access: 'admin',
    params: s.assignmentParams,
    body: s.assignBody,
    responses: {
      201: { description: 'Assigned', schema: s.assignmentSchema },
      200: { description: 'Already assigned (same override)', schema: s.assignmentSchema },
      ...WRITE,
      409: PROBLEM('Assigned with another override, or profile archived'),
    },
    async handle(req, deps) {
      requireTenant(req.caller, req.params.tenantId);
      const { created, assignment } = await assignTenant(deps, req.actor, {
        profileId: req.params.profileId,
        tenantId: req.params.tenantId,
        ...(req.body.scopeOverride !== undefined ? { scopeOverride: req.body.scopeOverride } : {}),
      });
      return { status: created ? 201 : 200, body: assignment };
    },
  }),
  route({
    method: 'DELETE',
    path: '/baseline-profiles/{profileId}/assignments/{tenantId}',
    operationId: 'unassignTenant',
    summary: 'Unassign a tenant from the profile (idempotent)',
    tag: 'assignments',
    access: 'admin',
    params: s.assignmentParams,
    responses: { 204: { description: 'Not assigned (any more)' }, ...WRITE },
    async handle(req, deps) {
      requireTenant(req.caller, req.params.tenantId);
      await unassignTenant(deps, req.actor, { profileId: req.params.profileId, tenantId: req.params.tenantId });
      return { status: 204 };
    },
  }),
  route({
    method: 'GET',
    path: '/baseline-profiles/{profileId}/assignments',
    operationId: 'listProfileAssignments',
    summary: 'List the tenants assigned to the profile (those the caller may see)',
    tag: 'assignments',
    access: 'reader',
    params: s.profileParams,
    responses: { 200: { description: 'Assignments', schema: s.assignmentList }, ...COMMON },
    async handle(req, deps) {
      const profile = await visibleProfile(deps.profiles, req.caller.workspaceId, req.params.profileId);
      const items = await deps.profiles.listAssignmentsByProfile(profile.id);
      return { status: 200, body: { items: items.filter((a) => req.caller.tenantIds.has(a.tenantId)) } };
    },
  }),
  route({
    method: 'GET',
    path: '/tenants/{tenantId}/assignments',
    operationId: 'listTenantAssignments',
    summary: 'List the profiles a tenant is assigned to (in the caller\'s workspace)',
    tag: 'assignments',
    access: 'reader',
    params: s.tenantParams,
    responses: { 200: { description: 'Assignments', schema: s.assignmentList }, ...COMMON },
    async handle(req, deps) {
      requireTenant(req.caller, req.params.tenantId);
      const items = await deps.profiles.listAssignmentsByTenant(req.params.tenantId);
      return { status: 200, body: { items: items.filter((a) => a.workspaceId === req.caller.workspaceId) } };
    },
  }),

  // --- inventory -----------------------------------------------------------------------------
  route({
    method: 'POST',
    path: '/tenants/{tenantId}/inventory-syncs',
    operationId: 'ingestInventoryPage',
    summary: 'Upload a tenant\'s inventory in pages of one sync run (completes on the page marked last)',
    tag: 'inventory',
    access: 'operator',
    params: s.tenantParams,
    body: s.ingestPageBody,
    responses: {
      202: { description: 'Page staged; send the next one with the runId', schema: s.ingestPageResultSchema },
      200: { description: 'Last page received: the sync is completed', schema: s.ingestPageResultSchema },
      ...WRITE,
      409: PROBLEM('Another sync of the tenant is active, the sync is completed, or the page conflicts'),
      422: PROBLEM('A Graph object cannot be read'),
    },
    async handle(req, deps) {
      requireTenant(req.caller, req.params.tenantId);
      const { tenantId } = req.params;
      if (req.body.runId !== undefined) {
        // A page of a sync started by another workspace (or of another tenant) answers like an unknown sync.
        const run = await deps.runs.get(req.body.runId);
        if (run === undefined || run.tenantId !== tenantId || run.type !== 'inventory_sync' || (run.workspaceId !== undefined && run.workspaceId !== req.caller.workspaceId)) {
          throw new NotVisibleError('inventory sync', req.body.runId);
        }
      }
      const result = await deps.ingestInventoryPage({
        tenantId,
        workspaceId: req.caller.workspaceId,
        initiator: req.caller.subject,
        ...(req.body.runId !== undefined ? { runId: req.body.runId } : {}),
        pageNumber: req.body.pageNumber,
        items: req.body.items,
        ...(req.body.coverage !== undefined ? { coverage: req.body.coverage } : {}),
        last: req.body.last,
      });
      await recordAudit(deps, req.actor, {
        action: 'inventory.ingested',
        tenantId,
        details: {
          runId: result.runId,
          pageNumber: req.body.pageNumber,
          last: req.body.last,
          items: Object.values(req.body.items).reduce((n, list) => n + (list?.length ?? 0), 0),
          status: result.status,
          ...(result.outcome !== undefined ? { outcome: result.outcome } : {}),
        },
      });
      return { status: result.status === 'completed' ? 200 : 202, body: result };
    },
  }),

  // --- compares and runs ---------------------------------------------------------------------
  route({
    method: 'POST',
    path: '/tenants/{tenantId}/baseline-compares',
    operationId: 'startCompare',
    summary: 'Compare the tenant with the profile\'s active snapshot (or the one named)',
    tag: 'compares',
    access: 'operator',
    params: s.tenantParams,
    body: s.startCompareBody,
    responses: {
      202: { description: 'Compare started; follow the run', schema: s.acceptedRunSchema },
      ...WRITE,
      409: PROBLEM('A compare of this tenant and profile is already active (activeRunId), or the profile is not active / the tenant not assigned'),
      503: PROBLEM('The workflow could not be started (the run is recorded failed)'),
    },
    async handle(req, deps) {
      requireTenant(req.caller, req.params.tenantId);
      const { runId } = await requestCompare({ ...deps, starter: deps.workflow }, req.actor, {
        tenantId: req.params.tenantId,
        profileId: req.body.profileId,
        ...(req.body.snapshotId !== undefined ? { snapshotId: req.body.snapshotId } : {}),
      });
      return { status: 202, body: { runId }, headers: { location: `/operation-runs/${runId}` } };
    },
  }),
  route({
    method: 'GET',
    path: '/operation-runs/{runId}',
    operationId: 'getRun',
    summary: 'Get an operation run (sync, capture or compare)',
    tag: 'runs',
    access: 'reader',
    params: s.runParams,
    responses: { 200: { description: 'The run', schema: s.runSchema }, ...COMMON },
    async handle(req, deps) {
      return { status: 200, body: visibleRun(await deps.runs.get(req.params.runId), req.caller, req.params.runId) };
    },
  }),
  route({
    method: 'GET',
    path: '/tenants/{tenantId}/operation-runs',
    operationId: 'listRuns',
    summary: 'List a tenant\'s operation runs, newest first',
    tag: 'runs',
    access: 'reader',
    params: s.tenantParams,
    query: s.listRunsQuery,
    responses: { 200: { description: 'A page of runs', schema: s.runPage }, ...COMMON },
    async handle(req, deps) {
      requireTenant(req.caller, req.params.tenantId);
      const page = await deps.runs.listByTenant(req.params.tenantId, {
        limit: req.query.limit,
        ...(req.query.cursor !== undefined ? { cursor: req.query.cursor } : {}),
        ...(req.query.type !== undefined ? { type: req.query.type } : {}),
      });
      const items = page.items.filter((r) => r.workspaceId === undefined || r.workspaceId === req.caller.workspaceId);
      return { status: 200, body: pageBody(items, page.cursor) };
    },
  }),

  // --- findings ------------------------------------------------------------------------------
  route({
    method: 'GET',
    path: '/tenants/{tenantId}/findings',
    operationId: 'listFindings',
    summary: 'List a tenant\'s findings, newest lastSeenAt first (without evidence)',
    tag: 'findings',
    access: 'reader',
    params: s.tenantParams,
    query: s.listFindingsQuery,
    responses: { 200: { description: 'A page of findings', schema: s.findingPage }, ...COMMON },
    async handle(req, deps) {
      requireTenant(req.caller, req.params.tenantId);
      const { limit, cursor, ...filter } = req.query;
      const page = await deps.findings.list(req.params.tenantId, {
        limit,
        ...(cursor !== undefined ? { cursor } : {}),
        ...Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)),
      });
      return { status: 200, body: pageBody(page.items.map(findingSummary), page.cursor) };
    },
  }),
  route({
    method: 'GET',
    path: '/tenants/{tenantId}/findings/{fingerprint}',
    operationId: 'getFinding',
    summary: 'Get a finding with its evidence',
    tag: 'findings',
    access: 'reader',
    params: s.findingParams,
    responses: { 200: { description: 'The finding', schema: s.findingSchema }, ...COMMON },
    async handle(req, deps) {
      requireTenant(req.caller, req.params.tenantId);
      const finding = await deps.findings.get(req.params.tenantId, req.params.fingerprint);
      if (finding === undefined) throw new NotVisibleError('finding', req.params.fingerprint);
      return { status: 200, body: s.findingSchema.parse(finding) };
    },
  }),
  route({
    method: 'POST',
    path: '/tenants/{tenantId}/findings/{fingerprint}/transitions',
    operationId: 'transitionFinding',
    summary: 'Move a finding (design 2.8 moves only; closed and risk_accepted need a reason; risk_accepted pins the accepted value, optionally until expiresAt)',
    tag: 'findings',
    access: 'operator',
    params: s.findingParams,
    body: s.transitionBody,
    responses: {
      200: { description: 'The finding after the move', schema: s.findingSchema },
      ...WRITE,
      409: PROBLEM('The move is not allowed from the current status (allowed lists the moves)'),
      422: PROBLEM('closed and risk_accepted need a reason; expiresAt must lie in the future, within the maximum (default 365 days), and only with risk_accepted'),
    },
    async handle(req, deps) {
      requireTenant(req.caller, req.params.tenantId);
      const finding = await moveFinding(deps, req.actor, {
        tenantId: req.params.tenantId,
        fingerprint: req.params.fingerprint,
        to: req.body.to,
        ...(req.body.reason !== undefined ? { reason: req.body.reason } : {}),
        ...(req.body.assignee !== undefined ? { assignee: req.body.assignee } : {}),
        ...(req.body.expiresAt !== undefined ? { expiresAt: req.body.expiresAt } : {}),
      });
      return { status: 200, body: s.findingSchema.parse(finding) };
    },
  }),

  // --- audit ---------------------------------------------------------------------------------
  route({
    method: 'GET',
    path: '/tenants/{tenantId}/audit',
    operationId: 'listTenantAudit',
    summary: 'The audit trail of a tenant (entries of the caller\'s workspace), newest first',
    tag: 'audit',
    access: 'reader',
    params: s.tenantParams,
    query: s.pageQuerySchema,
    responses: { 200: { description: 'A page of audit entries', schema: s.auditPage }, ...COMMON },
    async handle(req, deps) {
      requireTenant(req.caller, req.params.tenantId);
      const page = await deps.audit.listByTenant(req.params.tenantId, { limit: req.query.limit, ...(req.query.cursor !== undefined ? { cursor: req.query.cursor } : {}) });
      return { status: 200, body: pageBody(page.items.filter((e) => e.workspaceId === req.caller.workspaceId), page.cursor) };
    },
  }),
  route({
    method: 'GET',
    path: '/audit',
    operationId: 'listWorkspaceAudit',
    summary: 'The audit trail of the caller\'s workspace, newest first',
    tag: 'audit',
    access: 'reader',
    query: s.pageQuerySchema,
    responses: { 200: { description: 'A page of audit entries', schema: s.auditPage }, ...COMMON },
    async handle(req, deps) {
      const page = await deps.audit.listByWorkspace(req.caller.workspaceId, { limit: req.query.limit, ...(req.query.cursor !== undefined ? { cursor: req.query.cursor } : {}) });
      // Entries about tenants outside the token stay hidden.
      const items = page.items.filter((e) => e.tenantId === undefined || req.caller.tenantIds.has(e.tenantId));
      return { status: 200, body: pageBody(items, page.cursor) };
    },
  }),
];
