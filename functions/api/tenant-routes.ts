/** Routes of the caller's tenants: their display names (a tenant without one shows its id). */
import type { z } from 'zod';
import { problemSchema, tenantParams } from '../../shared/schemas/api.js';
import * as t from '../../shared/schemas/tenants.js';
import { listTenants, renameTenant } from '../../shared/usecases/tenant-names.js';
import type { AnyRoute, RouteSpec } from './routes.js';
import { NotVisibleError } from '../../shared/usecases/ports/errors.js';

function route<P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(spec: RouteSpec<P, Q, B>): AnyRoute {
  return spec;
}
const PROBLEM = (description: string) => ({ description, schema: problemSchema });

export const TENANT_ROUTES: AnyRoute[] = [
  route({
    method: 'GET',
    path: '/tenants',
    operationId: 'listTenants',
    summary: 'The caller\'s tenants (those of the token) with their display names, by name',
    tag: 'tenants',
    access: 'reader',
    responses: { 200: { description: 'The tenants', schema: t.tenantList }, 401: PROBLEM('Missing or invalid token') },
    async handle(req, deps) {
      return { status: 200, body: { items: await listTenants(deps, req.caller.workspaceId, req.caller.tenantIds) } };
    },
  }),
  route({
    method: 'PUT',
    path: '/tenants/{tenantId}',
    operationId: 'renameTenant',
    summary: 'Give a tenant the display name people recognise',
    tag: 'tenants',
    access: 'admin',
    params: tenantParams,
    body: t.renameTenantBody,
    responses: {
      200: { description: 'The tenant with its name', schema: t.tenantSchema },
      400: PROBLEM('Invalid request'),
      401: PROBLEM('Missing or invalid token'),
      403: PROBLEM('Role too weak (admin needed)'),
      404: PROBLEM('Not found (or not visible to the caller)'),
      413: PROBLEM('Body too large'),
      415: PROBLEM('Body is not JSON'),
    },
    async handle(req, deps) {
      if (!req.caller.tenantIds.has(req.params.tenantId)) throw new NotVisibleError('tenant', req.params.tenantId);
      return { status: 200, body: await renameTenant(deps, req.actor, req.params.tenantId, req.body.displayName) };
    },
  }),
];
