/**
 * What every route file of the API is made of: a route is a table row (method, path, who may call it,
 * the zod schemas of its path parameters, query and body, its responses: the OpenAPI document is
 * generated from these rows) and a small handler (access checks, one use case, the response shape).
 * The routes themselves live in one file per resource (`*-routes.ts`, listed by `app.ts`).
 */
import type { z } from 'zod';
import type { OperationRun } from '../../shared/domain/model.js';
import type { ActorContext } from '../../shared/usecases/audit-trail.js';
import type {
  AuditRepository,
  CompareStageRepository,
  FindingRepository,
  FleetRepository,
  GroupMappingRepository,
  SubjectLinkRepository,
  OperationRunRepository,
  ProfileRepository,
  SnapshotRepository,
} from '../../shared/usecases/ports/persistence.js';
import * as s from '../../shared/schemas/api.js';
import type { TenantDirectory } from '../../shared/usecases/ports/tenants.js';
import type { HostResolver, WebhookDestinationRepository, WebhookSecrets } from '../../shared/usecases/ports/webhooks.js';
import type { WebhookUrlPolicy } from '../../shared/domain/webhooks.js';
import type { Caller, Role } from './auth.js';
import type { CaptureStarter, WorkflowStarter } from '../../shared/usecases/ports/workflow.js';
import { NotVisibleError } from '../../shared/usecases/ports/errors.js';
import type { IngestPageRequest, IngestPageResult } from '../../shared/usecases/ingest-inventory-pages.js';

/** What the API needs: repositories and the ports that start work elsewhere. */
export interface ApiDeps {
  profiles: ProfileRepository;
  snapshots: SnapshotRepository;
  runs: OperationRunRepository;
  findings: FindingRepository;
  audit: AuditRepository;
  /** What each compare saw per policy type, and each tenant's last compare per profile and snapshot (`fleet-routes.ts`, `evidence-routes.ts`). */
  compareStage: CompareStageRepository;
  fleet: FleetRepository;
  /** Tenants' explicit group mappings (`group-mappings.ts`). */
  groupMappings?: GroupMappingRepository;
  /** Tenants' subject links (`subject-link-routes.ts`). */
  subjectLinks?: SubjectLinkRepository;
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
  ingestInventoryPage: (req: IngestPageRequest) => Promise<IngestPageResult>;
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
  /** A body that is not JSON (CSV, HTML), sent as is with `contentType`. */
  text?: { contentType: string; content: string };
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
  /** `media`: other media types the route answers with besides JSON (CSV, HTML), each with its schema. */
  responses: Record<number, { description: string; schema?: z.ZodType; media?: Record<string, z.ZodType> }>;
  handle(req: RouteRequest<z.output<P>, z.output<Q>, z.output<B>>, deps: ResolvedDeps): Promise<RouteResponse>;
}

export type AnyRoute = RouteSpec<z.ZodType, z.ZodType, z.ZodType>;

export function route<P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
  spec: RouteSpec<P, Q, B>,
): AnyRoute {
  return spec;
}

/** A tenant outside the token's tenants answers exactly like one that does not exist. */
export function requireTenant(caller: Caller, tenantId: string): void {
  if (!caller.tenantIds.has(tenantId)) throw new NotVisibleError('tenant', tenantId);
}

export function visibleRun(run: OperationRun | undefined, caller: Caller, runId: string): OperationRun {
  if (run === undefined || !caller.tenantIds.has(run.tenantId) || (run.workspaceId !== undefined && run.workspaceId !== caller.workspaceId)) {
    throw new NotVisibleError('operation run', runId);
  }
  return run;
}

export function pageBody<T>(items: T[], cursor: string | undefined): { items: T[]; nextCursor?: string } {
  return cursor !== undefined ? { items, nextCursor: cursor } : { items };
}

export const PROBLEM = (description: string) => ({ description, schema: s.problemSchema });
export const COMMON = { 400: PROBLEM('Invalid request'), 401: PROBLEM('Missing or invalid token'), 404: PROBLEM('Not found (or not visible to the caller)') };
export const WRITE = { ...COMMON, 403: PROBLEM('Role too weak'), 413: PROBLEM('Body too large'), 415: PROBLEM('Body is not JSON') };
/** A profile's or an assignment's ignored property that can never match its type. */
export const IGNORED_REFUSED = PROBLEM('An ignored property that can never match its type (the detail says why and what to do)');
