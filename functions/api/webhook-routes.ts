/** Routes of the workspace's webhook destinations (admin): create (the secret returned once), list, delete. */
import type { z } from 'zod';
import { pageQuerySchema, problemSchema } from '../../shared/schemas/api.js';
import * as w from '../../shared/schemas/webhooks.js';
import { createWebhook, deleteWebhook, listWebhooks } from '../../shared/usecases/manage-webhooks.js';
import type { AnyRoute, RouteSpec } from './routes.js';

function route<P extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(spec: RouteSpec<P, Q, B>): AnyRoute {
  return spec;
}
const PROBLEM = (description: string) => ({ description, schema: problemSchema });
const ADMIN = { 400: PROBLEM('Invalid request'), 401: PROBLEM('Missing or invalid token'), 403: PROBLEM('Role too weak (admin needed)') };

export const WEBHOOK_ROUTES: AnyRoute[] = [
  route({
    method: 'POST',
    path: '/webhooks',
    operationId: 'createWebhook',
    summary: 'Add a webhook destination to the caller\'s workspace; the answer carries its signing secret, shown only once',
    tag: 'webhooks',
    access: 'admin',
    body: w.createWebhookBody,
    responses: {
      201: { description: 'Created: keep `secret`, it is not shown again', schema: w.createdWebhookSchema },
      ...ADMIN,
      413: PROBLEM('Body too large'),
      415: PROBLEM('Body is not JSON'),
      422: PROBLEM('The URL is refused: not https, credentials in it, or its host resolves to a private, link-local or loopback address'),
    },
    async handle(req, deps) {
      const { webhook, secret } = await createWebhook(deps, req.actor, {
        url: req.body.url,
        events: req.body.events,
        minSeverity: req.body.minSeverity,
        format: req.body.format,
        ...(req.body.description !== undefined ? { description: req.body.description } : {}),
      });
      return { status: 201, body: { ...webhook, secret }, headers: { location: `/webhooks/${webhook.id}` } };
    },
  }),
  route({
    method: 'GET',
    path: '/webhooks',
    operationId: 'listWebhooks',
    summary: 'List the workspace\'s webhook destinations (origins only, never a secret)',
    tag: 'webhooks',
    access: 'admin',
    query: pageQuerySchema,
    responses: { 200: { description: 'A page of destinations', schema: w.webhookPage }, ...ADMIN },
    async handle(req, deps) {
      const page = await listWebhooks(deps, req.caller.workspaceId, { limit: req.query.limit, ...(req.query.cursor !== undefined ? { cursor: req.query.cursor } : {}) });
      return { status: 200, body: page.cursor !== undefined ? { items: page.items, nextCursor: page.cursor } : { items: page.items } };
    },
  }),
  route({
    method: 'DELETE',
    path: '/webhooks/{webhookId}',
    operationId: 'deleteWebhook',
    summary: 'Remove a webhook destination (no further deliveries; its secret is gone with it)',
    tag: 'webhooks',
    access: 'admin',
    params: w.webhookParams,
    responses: { 204: { description: 'Removed' }, ...ADMIN, 404: PROBLEM('Not found (or not visible to the caller)') },
    async handle(req, deps) {
      await deleteWebhook(deps, req.actor, req.params.webhookId);
      return { status: 204 };
    },
  }),
];
