/**
 * Routes of a tenant's explicit group mappings: `GET|PUT /tenants/{tenantId}/group-mappings`. A
 * mapping says which of the tenant's groups stands for a baseline group; compares of the tenant use
 * them before equal object ids and display names (design 3.5). Writing takes the operator role and is
 * audited.
 */
import type { z } from 'zod';
import * as s from '../../shared/schemas/api.js';
import { groupMappingsOf, replaceGroupMappings } from '../../shared/usecases/group-mappings.js';
import type { AnyRoute, ResolvedDeps, RouteSpec } from './routes.js';
import { NotVisibleError } from '../../shared/usecases/ports/errors.js';

const PROBLEM = (description: string) => ({ description, schema: s.problemSchema });
const COMMON = { 400: PROBLEM('Invalid request'), 401: PROBLEM('Missing or invalid token'), 404: PROBLEM('Not found (or not visible to the caller)') };

function route<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(spec: RouteSpec<P, Q, B>): AnyRoute {
  return spec;
}

function repository(deps: ResolvedDeps): NonNullable<ResolvedDeps['groupMappings']> {
  if (deps.groupMappings === undefined) throw new Error('the API was wired without group mappings');
  return deps.groupMappings;
}

export const GROUP_MAPPING_ROUTES: AnyRoute[] = [
  route({
    method: 'GET',
    path: '/tenants/{tenantId}/group-mappings',
    operationId: 'getGroupMappings',
    summary: "The tenant's explicit group mappings (baseline group -> this tenant's group)",
    tag: 'group mappings',
    access: 'reader',
    params: s.tenantParams,
    responses: { 200: { description: 'The mappings (an empty list when none)', schema: s.groupMappingsSchema }, ...COMMON },
    async handle(req, deps) {
      if (!req.caller.tenantIds.has(req.params.tenantId)) throw new NotVisibleError('tenant', req.params.tenantId);
      const record = await groupMappingsOf({ groupMappings: repository(deps) }, req.caller.workspaceId, req.params.tenantId);
      return { status: 200, body: s.groupMappingsSchema.parse(record) };
    },
  }),
  route({
    method: 'PUT',
    path: '/tenants/{tenantId}/group-mappings',
    operationId: 'putGroupMappings',
    summary: "Replace the tenant's explicit group mappings (audited)",
    tag: 'group mappings',
    access: 'operator',
    params: s.tenantParams,
    body: s.groupMappingsBody,
    responses: {
      200: { description: 'The stored mappings', schema: s.groupMappingsSchema },
      ...COMMON,
      403: PROBLEM('Role too weak'),
      413: PROBLEM('Body too large'),
      415: PROBLEM('Body is not JSON'),
    },
    async handle(req, deps) {
      if (!req.caller.tenantIds.has(req.params.tenantId)) throw new NotVisibleError('tenant', req.params.tenantId);
      const record = await replaceGroupMappings({ ...deps, groupMappings: repository(deps) }, req.actor, req.params.tenantId, req.body.mappings);
      return { status: 200, body: s.groupMappingsSchema.parse(record) };
    },
  }),
];
