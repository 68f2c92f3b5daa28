/** Routes of a tenant's findings and of the audit trail. */
import type { z } from 'zod';
import type { Finding } from '../../shared/domain/model.js';
import { moveFinding } from '../../shared/usecases/findings.js';
import * as s from '../../shared/schemas/api.js';
import { COMMON, PROBLEM, WRITE, pageBody, requireTenant, route, type AnyRoute } from './routes.js';
import { NotVisibleError } from '../../shared/usecases/ports/errors.js';

function findingSummary(f: Finding): z.infer<typeof s.findingSummarySchema> {
  return s.findingSummarySchema.parse(f);
}

export const FINDING_ROUTES: AnyRoute[] = [
  // --- findings
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

  // --- audit
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
      const page = await deps.audit.listByTenant(req.params.tenantId, {
        limit: req.query.limit,
        ...(req.query.cursor !== undefined ? { cursor: req.query.cursor } : {}),
        visibleTo: { workspaceId: req.caller.workspaceId },
      });
      return { status: 200, body: pageBody(page.items, page.cursor) };
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
      // Entries about tenants outside the token stay hidden.
      const page = await deps.audit.listByWorkspace(req.caller.workspaceId, {
        limit: req.query.limit,
        ...(req.query.cursor !== undefined ? { cursor: req.query.cursor } : {}),
        visibleTo: { tenantIds: req.caller.tenantIds },
      });
      return { status: 200, body: pageBody(page.items, page.cursor) };
    },
  }),
];
