/**
 * Webhook destinations of a workspace as the API manages them (admin): create (the URL checked against
 * the stage's policy, every address its host resolves to included; the signing secret issued and
 * returned once), list, delete. Every write appends an audit entry that names the URL's origin only.
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { Severity } from '../domain/model.js';
import {
  assertAddressAllowed,
  checkWebhookUrl,
  type WebhookDestination,
  type WebhookEventType,
  type WebhookFormat,
  type WebhookUrlPolicy,
} from '../domain/webhooks.js';
import { recordAudit, type ActorContext, type AuditDeps } from './audit-trail.js';
import type { HostResolver, StoredWebhookDestination, WebhookDestinationRepository, WebhookSecrets } from './ports/webhooks.js';
import { NotVisibleError } from './ports/errors.js';
import { WebhookUrlRefusedError } from '../domain/errors.js';

export type ManageWebhooksDeps = AuditDeps & {
  webhooks: WebhookDestinationRepository;
  webhookSecrets: WebhookSecrets;
  resolveHost: HostResolver;
  webhookUrlPolicy: WebhookUrlPolicy;
};

export interface WebhookInput {
  url: string;
  events: WebhookEventType[];
  minSeverity: Severity;
  format: WebhookFormat;
  description?: string;
}

/** A destination as the API shows it: the URL's origin only, never the secret. */
export type WebhookView = Omit<WebhookDestination, 'workspaceId' | 'urlOrigin'> & { url: string };

export function webhookView(d: WebhookDestination): WebhookView {
  return {
    id: d.id,
    url: d.urlOrigin,
    events: [...d.events],
    minSeverity: d.minSeverity,
    format: d.format,
    ...(d.description !== undefined ? { description: d.description } : {}),
    createdAt: d.createdAt,
    createdBy: d.createdBy,
  };
}

export function newWebhookId(): string {
  return `wh_${randomBytes(12).toString('base64url')}`;
}

/** Every address the URL's host resolves to must be allowed (a literal address is checked as is). */
export async function assertHostAllowed(resolveHost: HostResolver, hostname: string, policy: WebhookUrlPolicy): Promise<void> {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) return assertAddressAllowed(host, policy);
  let addresses: string[];
  try {
    addresses = await resolveHost(host);
  } catch (err) {
    throw new WebhookUrlRefusedError(`the URL's host '${host}' could not be resolved (${err instanceof Error && 'code' in err ? String(err.code) : 'lookup failed'}): check the name`);
  }
  if (addresses.length === 0) throw new WebhookUrlRefusedError(`the URL's host '${host}' resolves to no address`);
  for (const a of addresses) assertAddressAllowed(a, policy);
}

export async function createWebhook(deps: ManageWebhooksDeps, ctx: ActorContext, input: WebhookInput): Promise<{ webhook: WebhookView; secret: string }> {
  const { url, origin } = checkWebhookUrl(input.url, deps.webhookUrlPolicy);
  await assertHostAllowed(deps.resolveHost, url.hostname, deps.webhookUrlPolicy);
  const id = (deps.newId ?? newWebhookId)();
  const { secret, secretRef } = await deps.webhookSecrets.issue(ctx.workspaceId, id);
  const destination: StoredWebhookDestination = {
    id,
    workspaceId: ctx.workspaceId,
    urlOrigin: origin,
    events: [...new Set(input.events)],
    minSeverity: input.minSeverity,
    format: input.format,
    ...(input.description !== undefined ? { description: input.description } : {}),
    createdAt: deps.now().toISOString(),
    createdBy: ctx.actor,
    sealedUrl: await deps.webhookSecrets.sealUrl(ctx.workspaceId, id, url.href),
    secretRef,
  };
  await deps.webhooks.create(destination);
  await recordAudit(deps, ctx, {
    action: 'webhook.created',
    details: { webhookId: id, urlOrigin: origin, events: destination.events, minSeverity: destination.minSeverity, format: destination.format },
  });
  return { webhook: webhookView(destination), secret };
}

export async function listWebhooks(deps: Pick<ManageWebhooksDeps, 'webhooks'>, workspaceId: string, page: { limit: number; cursor?: string }): Promise<{ items: WebhookView[]; cursor?: string }> {
  const result = await deps.webhooks.list(workspaceId, page);
  return { items: result.items.map(webhookView), ...(result.cursor !== undefined ? { cursor: result.cursor } : {}) };
}

export async function deleteWebhook(deps: ManageWebhooksDeps, ctx: ActorContext, webhookId: string): Promise<void> {
  const existing = await deps.webhooks.get(ctx.workspaceId, webhookId);
  if (existing === undefined || !(await deps.webhooks.delete(ctx.workspaceId, webhookId))) throw new NotVisibleError('webhook', webhookId);
  await recordAudit(deps, ctx, { action: 'webhook.deleted', details: { webhookId, urlOrigin: existing.urlOrigin } });
}
