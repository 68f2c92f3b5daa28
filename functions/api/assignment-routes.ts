/** Routes of the assignments of tenants to baseline profiles. */
import { assignTenant, unassignTenant, visibleProfile } from '../../shared/usecases/manage-profiles.js';
import * as s from '../../shared/schemas/api.js';
import { COMMON, IGNORED_REFUSED, PROBLEM, WRITE, requireTenant, route, type AnyRoute } from './routes.js';

export const ASSIGNMENT_ROUTES: AnyRoute[] = [
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
      409: PROBLEM('Assigned with another override or other ignored properties, or profile archived'),
      422: IGNORED_REFUSED,
    },
    async handle(req, deps) {
      requireTenant(req.caller, req.params.tenantId);
      const { created, assignment } = await assignTenant(deps, req.actor, {
        profileId: req.params.profileId,
        tenantId: req.params.tenantId,
        ...(req.body.scopeOverride !== undefined ? { scopeOverride: req.body.scopeOverride } : {}),
        ...(req.body.ignoredProperties !== undefined ? { ignoredProperties: req.body.ignoredProperties } : {}),
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
];
