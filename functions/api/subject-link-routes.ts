/**
 * Routes of a tenant's subject links: `POST|GET /tenants/{tenantId}/subject-links`,
 * `DELETE /tenants/{tenantId}/subject-links/{linkId}`. A link pairs the tenant's policy of another name
 * with a baseline subject (a policy renamed in the tenant); compares of the tenant use it from the next
 * compare on. Writing takes the operator role and is audited.
 */
import * as s from '../../shared/schemas/api.js';
import { deleteSubjectLink, putSubjectLink, subjectLinksOf, type SubjectLinkDeps } from '../../shared/usecases/subject-links.js';
import { COMMON, PROBLEM, WRITE, requireTenant, route, type AnyRoute, type ResolvedDeps } from './routes.js';

const CHANGED = PROBLEM('Changed concurrently again and again: retry');

function linkDeps(deps: ResolvedDeps): SubjectLinkDeps {
  if (deps.subjectLinks === undefined) throw new Error('the API was wired without subject links');
  return { ...deps, subjectLinks: deps.subjectLinks };
}

export const SUBJECT_LINK_ROUTES: AnyRoute[] = [
  route({
    method: 'GET',
    path: '/tenants/{tenantId}/subject-links',
    operationId: 'listSubjectLinks',
    summary: "The tenant's subject links (baseline subject -> the tenant's policy of another name)",
    tag: 'subject links',
    access: 'reader',
    params: s.tenantParams,
    responses: { 200: { description: 'The links (an empty list when none)', schema: s.subjectLinkList }, ...COMMON },
    async handle(req, deps) {
      requireTenant(req.caller, req.params.tenantId);
      const items = await subjectLinksOf(linkDeps(deps), req.caller.workspaceId, req.params.tenantId);
      return { status: 200, body: { tenantId: req.params.tenantId, items } };
    },
  }),
  route({
    method: 'POST',
    path: '/tenants/{tenantId}/subject-links',
    operationId: 'putSubjectLink',
    summary: "Compare the tenant's policy of this name with a baseline subject; replaces that subject's link (audited)",
    tag: 'subject links',
    access: 'operator',
    params: s.tenantParams,
    body: s.subjectLinkBody,
    responses: {
      201: { description: 'Linked', schema: s.subjectLinkSchema },
      200: { description: "Replaced the baseline subject's link", schema: s.subjectLinkSchema },
      ...WRITE,
      409: CHANGED,
      422: PROBLEM('A key of another type, the same subject already, a tenant policy linked to another subject, or too many links'),
    },
    async handle(req, deps) {
      requireTenant(req.caller, req.params.tenantId);
      const { created, link } = await putSubjectLink(linkDeps(deps), req.actor, req.params.tenantId, req.body);
      return { status: created ? 201 : 200, body: link, headers: { location: `/tenants/${req.params.tenantId}/subject-links/${link.linkId}` } };
    },
  }),
  route({
    method: 'DELETE',
    path: '/tenants/{tenantId}/subject-links/{linkId}',
    operationId: 'deleteSubjectLink',
    summary: 'Remove a subject link (audited): the two policies are different subjects again from the next compare on',
    tag: 'subject links',
    access: 'operator',
    params: s.subjectLinkParams,
    responses: { 204: { description: 'Removed' }, ...WRITE, 409: CHANGED },
    async handle(req, deps) {
      requireTenant(req.caller, req.params.tenantId);
      await deleteSubjectLink(linkDeps(deps), req.actor, req.params.tenantId, req.params.linkId);
      return { status: 204 };
    },
  }),
];
