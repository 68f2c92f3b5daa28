/**
 * Delivers one product event to every destination of its workspace that wants it, signed as the
 * Standard Webhooks specification says (`webhook-id`, `webhook-timestamp`, `webhook-signature`:
 * HMAC-SHA256 with the destination's secret, by the `standardwebhooks` package).
 *
 * What was delivered, or refused for good, is recorded per (event id, destination): an event published
 * twice (delivery of product events is at least once) or retried after a partial failure reaches each
 * destination once. Destinations that failed in a way worth retrying (5xx, 408, 429, timeouts, network
 * errors) are returned in `failed`; the caller retries the event later (SQS redelivery on AWS, the
 * local queue locally) and finally dead-letters it.
 */
import { Webhook } from 'standardwebhooks';
import type { DomainEvent } from '../domain/events.js';
import { profileIdOfScopeKey } from '../domain/identity.js';
import {
  deliveryVerdict,
  destinationWants,
  toWebhookEvent,
  webhookBody,
  webhookEventTenant,
  webhookLink,
  type WebhookEvent,
  type WebhookUrlPolicy,
} from '../domain/webhooks.js';
import type { OperationRunRepository, ProfileRepository } from './ports/persistence.js';
import type { TenantDirectory } from './ports/tenants.js';
import type { WebhookDeliveryLog, WebhookDestinationRepository, WebhookSecrets, WebhookTransport } from './ports/webhooks.js';
import { tenantDisplayName } from './tenant-names.js';

export interface DeliverWebhooksDeps {
  webhooks: WebhookDestinationRepository;
  webhookSecrets: WebhookSecrets;
  transport: WebhookTransport;
  deliveries: WebhookDeliveryLog;
  profiles: Pick<ProfileRepository, 'get'>;
  runs: Pick<OperationRunRepository, 'get'>;
  tenants: TenantDirectory;
  webhookUrlPolicy: WebhookUrlPolicy;
  /** Base of the links in messages (the portal API's URL). */
  linkBaseUrl: string;
  now: () => Date;
}

export interface DestinationFailure {
  webhookId: string;
  detail: string;
}

export interface DeliveryOutcome {
  /** The webhook event id (`webhook-id`), absent for events no destination receives. */
  eventId?: string;
  type?: WebhookEvent['type'];
  workspaceId?: string;
  delivered: string[];
  /** Destinations delivered to (or refused) by an earlier attempt: not sent again. */
  alreadyDone: string[];
  /** Destinations whose receiver refused for good (4xx, 3xx, a refused address): recorded, not retried. */
  refused: DestinationFailure[];
  /** Destinations worth retrying. */
  failed: DestinationFailure[];
}

export const WEBHOOK_USER_AGENT = 'baseline-drift-engine-webhooks/1';

/** The workspace an event belongs to: its profile's (findings: from the scope key), else its run's. */
async function workspaceOf(deps: DeliverWebhooksDeps, event: WebhookEvent): Promise<string | undefined> {
  const profileId = event.type === 'compare.failed' ? event.run.profileId : profileIdOfScopeKey(event.finding.scopeKey);
  if (profileId !== null && profileId !== undefined) {
    const profile = await deps.profiles.get(profileId);
    if (profile !== undefined) return profile.workspaceId;
  }
  const runId = event.type === 'compare.failed' ? event.run.operationRunId : event.finding.operationRunId;
  return (await deps.runs.get(runId))?.workspaceId;
}

function describe(attempt: Awaited<ReturnType<WebhookTransport['send']>>): string {
  switch (attempt.kind) {
    case 'response':
      return `HTTP ${attempt.status}`;
    case 'timeout':
      return 'timed out';
    default:
      return attempt.message;
  }
}

export async function deliverWebhookEvent(deps: DeliverWebhooksDeps, domainEvent: DomainEvent): Promise<DeliveryOutcome> {
  const outcome: DeliveryOutcome = { delivered: [], alreadyDone: [], refused: [], failed: [] };
  const event = toWebhookEvent(domainEvent);
  if (event === undefined) return outcome;
  outcome.eventId = event.id;
  outcome.type = event.type;
  const workspaceId = await workspaceOf(deps, event);
  if (workspaceId === undefined) return outcome;
  outcome.workspaceId = workspaceId;
  const destinations = (await deps.webhooks.listAll(workspaceId)).filter((d) => destinationWants(d, event));
  if (destinations.length === 0) return outcome;

  const tenantName = await tenantDisplayName(deps.tenants, workspaceId, webhookEventTenant(event));
  const link = webhookLink(deps.linkBaseUrl, event);
  for (const d of destinations) {
    if ((await deps.deliveries.get(event.id, d.id)) !== undefined) {
      outcome.alreadyDone.push(d.id);
      continue;
    }
    const [secret, url] = await Promise.all([deps.webhookSecrets.secretFor(workspaceId, d.id, d.secretRef), deps.webhookSecrets.openUrl(workspaceId, d.id, d.sealedUrl)]);
    const body = JSON.stringify(webhookBody({ event, format: d.format, link, tenantName }));
    const at = deps.now();
    const headers = {
      'content-type': 'application/json',
      'user-agent': WEBHOOK_USER_AGENT,
      'webhook-id': event.id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(event.id, at, body),
    };
    const attempt = await deps.transport.send({ url, headers, body }, deps.webhookUrlPolicy);
    const verdict = deliveryVerdict(attempt);
    const detail = describe(attempt);
    if (verdict === 'retry') {
      outcome.failed.push({ webhookId: d.id, detail });
      continue;
    }
    await deps.deliveries.record({
      eventId: event.id,
      webhookId: d.id,
      status: verdict,
      ...(attempt.kind === 'response' ? { httpStatus: attempt.status } : {}),
      at: deps.now().toISOString(),
      ...(verdict === 'refused' ? { detail } : {}),
    });
    if (verdict === 'delivered') outcome.delivered.push(d.id);
    else outcome.refused.push({ webhookId: d.id, detail });
  }
  return outcome;
}
