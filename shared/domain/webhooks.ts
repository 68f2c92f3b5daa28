/**
 * Signed webhooks (pure): which product events a workspace's destinations receive, the stable id of
 * each event (the Standard Webhooks `webhook-id`, the same on every retry and every duplicate publish,
 * so receivers can dedupe), the bodies of the three formats, which URLs and addresses a destination may
 * use, and how a receiver's answer is read (delivered, retry, refused).
 *
 * Signing itself is the `standardwebhooks` package's (the specification's reference implementation),
 * called by the delivery use case; nothing here does I/O.
 */
import { createHash } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { canonicalJson } from './canonical.js';
import { WebhookUrlRefusedError } from './errors.js';
import { EVENT_DETAIL_TYPES, type CompareFailedDetail, type DomainEvent, type FindingEventDetail } from './events.js';
import type { Severity } from './model.js';
import { severityAtLeast } from './severity.js';

/** The events a destination may subscribe to: state transitions only. */
export const WEBHOOK_EVENT_TYPES = ['finding.opened', 'finding.reopened', 'finding.resolved', 'compare.failed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_FORMATS = ['standard', 'teams', 'slack'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** A workspace-level destination as stored (its URL and signing secret are kept sealed, see the use case). */
export interface WebhookDestination {
  id: string;
  workspaceId: string;
  /** `https://host[:port]`: what listings and the audit trail show of the URL (paths of chat webhooks are credentials). */
  urlOrigin: string;
  events: WebhookEventType[];
  minSeverity: Severity;
  format: WebhookFormat;
  description?: string;
  createdAt: string;
  createdBy: string;
}

/** The webhook event type of a product event; `undefined` for events no destination receives (compare completed). */
export function webhookEventTypeOf(event: DomainEvent): WebhookEventType | undefined {
  switch (event.detailType) {
    case EVENT_DETAIL_TYPES.findingOpened:
      return 'finding.opened';
    case EVENT_DETAIL_TYPES.findingReopened:
      return 'finding.reopened';
    case EVENT_DETAIL_TYPES.findingResolved:
      return 'finding.resolved';
    case EVENT_DETAIL_TYPES.compareFailed:
      return 'compare.failed';
    default:
      return undefined;
  }
}

/** A product event as webhooks see it: its type, its stable id, when it happened and what it carries. */
export type WebhookEvent =
  | { type: 'finding.opened' | 'finding.reopened' | 'finding.resolved'; id: string; occurredAt: string; finding: FindingEventDetail }
  | { type: 'compare.failed'; id: string; occurredAt: string; run: CompareFailedDetail };

function stableId(parts: readonly string[]): string {
  return `evt_${createHash('sha256').update(canonicalJson(parts)).digest('hex').slice(0, 32)}`;
}

/**
 * The webhook event of a product event, or `undefined` when no destination receives its kind. The id
 * depends only on what made the transition (kind, tenant, fingerprint, compare run), never on when or
 * how often it was published: a finding transition happens at most once per compare run.
 */
export function toWebhookEvent(event: DomainEvent): WebhookEvent | undefined {
  const type = webhookEventTypeOf(event);
  if (type === undefined) return undefined;
  if (type === 'compare.failed') {
    const run = event.detail as CompareFailedDetail;
    return { type, id: stableId([type, run.operationRunId]), occurredAt: run.completedAt, run };
  }
  const finding = event.detail as FindingEventDetail;
  const occurredAt =
    type === 'finding.opened' ? finding.firstSeenAt : type === 'finding.reopened' ? (finding.reopenedAt ?? finding.lastSeenAt) : (finding.resolvedAt ?? finding.lastSeenAt);
  return { type, id: stableId([type, finding.tenantId, finding.fingerprint, finding.operationRunId]), occurredAt, finding };
}

/** Whether a destination receives an event: subscribed to its type and, for findings, at or above its minSeverity. */
export function destinationWants(destination: Pick<WebhookDestination, 'events' | 'minSeverity'>, event: WebhookEvent): boolean {
  if (!destination.events.includes(event.type)) return false;
  if (event.type === 'compare.failed') return true; // a failed compare has no severity: it always matters
  return severityAtLeast(event.finding.severity, destination.minSeverity);
}

/** The tenant a webhook event is about. */
export function webhookEventTenant(event: WebhookEvent): string {
  return event.type === 'compare.failed' ? event.run.tenantId : event.finding.tenantId;
}

// ------------------------------------------------------------------------------------------------
// bodies
// ------------------------------------------------------------------------------------------------

/** Where a person opens what an event is about. */
export interface WebhookLinks {
  /** The finding (finding events) or the compare run (compare.failed). */
  href: string;
}

/** Builds the link of an event from the portal's base URL (`<base>/tenants/{t}/findings/{fp}`, `<base>/operation-runs/{id}`). */
export function webhookLink(baseUrl: string, event: WebhookEvent): string {
  const base = baseUrl.replace(/\/+$/, '');
  if (event.type === 'compare.failed') return `${base}/operation-runs/${encodeURIComponent(event.run.operationRunId)}`;
  return `${base}/tenants/${encodeURIComponent(event.finding.tenantId)}/findings/${encodeURIComponent(event.finding.fingerprint)}`;
}

const TITLES: Record<WebhookEventType, string> = {
  'finding.opened': 'Drift finding opened',
  'finding.reopened': 'Drift finding reopened',
  'finding.resolved': 'Drift finding resolved',
  'compare.failed': 'Baseline compare failed',
};

const REOPEN_REASONS: Record<string, string> = {
  drift_returned: 'the drift returned',
  accepted_value_changed: 'the accepted value changed',
  acceptance_expired: 'the risk acceptance expired',
};

/** The facts a person reads first, in order (label, value). */
function facts(event: WebhookEvent, tenantName: string): [string, string][] {
  if (event.type === 'compare.failed') {
    const out: [string, string][] = [['Tenant', tenantName], ['Run', event.run.operationRunId]];
    if (event.run.profileId !== null) out.push(['Profile', event.run.profileId]);
    for (const f of event.run.failureSummary.slice(0, 3)) out.push([f.code, f.message]);
    return out;
  }
  const f = event.finding;
  const out: [string, string][] = [
    ['Tenant', tenantName],
    ['Policy', f.displayName],
    ['Policy type', f.policyType],
    ['Change', f.changeType],
    ['Severity', f.severity],
  ];
  if (event.type === 'finding.reopened') out.push(['Reopened because', REOPEN_REASONS[f.reopenReason ?? ''] ?? f.reopenReason ?? 'the drift returned']);
  if (event.type === 'finding.resolved') out.push(['Resolved because', f.resolvedReason === 'no_longer_drifting' ? 'the drift is gone' : (f.resolvedReason ?? 'resolved')]);
  else out.push(['Due', f.dueAt]);
  return out;
}

function headline(event: WebhookEvent, tenantName: string): string {
  if (event.type === 'compare.failed') return `${TITLES[event.type]}: ${tenantName}`;
  return `${TITLES[event.type]}: ${event.finding.displayName} (${event.finding.severity}) in ${tenantName}`;
}

export interface WebhookBodyInput {
  event: WebhookEvent;
  format: WebhookFormat;
  link: string;
  /** The tenant's display name (its id when it has none). */
  tenantName: string;
}

/**
 * The JSON body of a delivery. `standard`: `{ type, timestamp, data }` as the Standard Webhooks
 * specification recommends, `data` holding the event's identifiers, names, statuses and counts (never
 * policy content or evidence values) plus `link`. `teams`: a message with an Adaptive Card (what Teams
 * workflows' incoming webhooks accept). `slack`: a message with Block Kit blocks and a `text` fallback.
 */
export function webhookBody(input: WebhookBodyInput): Record<string, unknown> {
  const { event, link, tenantName } = input;
  if (input.format === 'standard') {
    const data = event.type === 'compare.failed' ? { ...event.run } : { ...event.finding };
    return { type: event.type, timestamp: event.occurredAt, data: { ...data, tenantDisplayName: tenantName, link } };
  }
  const title = headline(event, tenantName);
  const rows = facts(event, tenantName);
  const action = event.type === 'compare.failed' ? 'Open the run' : 'Open the finding';
  if (input.format === 'teams') {
    return {
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'TextBlock', size: 'Medium', weight: 'Bolder', wrap: true, text: title },
              { type: 'FactSet', facts: rows.map(([t, v]) => ({ title: t, value: v })) },
            ],
            actions: [{ type: 'Action.OpenUrl', title: action, url: link }],
          },
        },
      ],
    };
  }
  return {
    text: `${title} <${link}|${action}>`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150), emoji: false } },
      { type: 'section', fields: rows.slice(0, 10).map(([t, v]) => ({ type: 'mrkdwn', text: `*${slackEscape(t)}*\n${slackEscape(v)}` })) },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: action }, url: link }] },
    ],
  };
}

/** Slack's mrkdwn control characters (`&`, `<`, `>`) escaped as its documentation asks. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// ------------------------------------------------------------------------------------------------
// where a destination may point
// ------------------------------------------------------------------------------------------------

/** What a stage allows: on AWS `https` to public addresses only; locally loopback receivers too. */
export interface WebhookUrlPolicy {
  allowLoopback: boolean;
}

const MAX_URL_LENGTH = 2048;

function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  return ipaddr.isValid(h) && addressRange(h) === 'loopback';
}

/** ipaddr.js's range of an address, IPv4-mapped IPv6 addresses read as the IPv4 address they carry. */
function addressRange(address: string): string {
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range();
}

/**
 * Checks a destination URL's shape: absolute `https` (plain `http` only to a loopback host where the
 * policy allows loopback), no user name or password in it, at most 2048 characters. Returns the URL
 * and its origin; addresses are checked separately once the host is resolved (`assertAddressAllowed`).
 */
export function checkWebhookUrl(raw: string, policy: WebhookUrlPolicy): { url: URL; origin: string } {
  if (raw.length > MAX_URL_LENGTH) throw new WebhookUrlRefusedError(`the URL is longer than ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlRefusedError('the URL is not an absolute URL: give one such as https://hooks.example.com/drift');
  }
  if (url.username !== '' || url.password !== '') throw new WebhookUrlRefusedError('the URL carries a user name or password: put credentials in the path or query, or verify the signature instead');
  const loopback = isLoopbackHost(url.hostname);
  if (loopback && !policy.allowLoopback) throw new WebhookUrlRefusedError('loopback receivers are allowed only on the local stack: give a public https URL');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new WebhookUrlRefusedError(policy.allowLoopback ? 'the URL must use https (plain http only to a loopback receiver)' : 'the URL must use https');
  }
  return { url, origin: url.origin };
}

/**
 * Refuses an address a destination's host resolved to unless it is a public unicast address (or,
 * where the policy allows it, loopback): private, link-local (instance metadata included), unique
 * local, carrier-grade NAT, multicast, broadcast, unspecified and reserved ranges are refused.
 */
export function assertAddressAllowed(address: string, policy: WebhookUrlPolicy): void {
  if (!ipaddr.isValid(address)) throw new WebhookUrlRefusedError(`'${address}' is not an IP address`);
  const range = addressRange(address);
  if (range === 'unicast') return;
  if (range === 'loopback' && policy.allowLoopback) return;
  throw new WebhookUrlRefusedError(`the URL's host resolves to ${address}, a ${range} address: only public addresses may receive webhooks`);
}

// ------------------------------------------------------------------------------------------------
// a receiver's answer
// ------------------------------------------------------------------------------------------------

/** What one delivery attempt came to. */
export type DeliveryAttempt =
  | { kind: 'response'; status: number }
  | { kind: 'timeout' }
  | { kind: 'network'; message: string }
  | { kind: 'refused_address'; message: string };

/**
 * `delivered` on 2xx; `retry` on 5xx, 408, 429, a timeout or a network error (the receiver may
 * recover); `refused` otherwise (3xx: redirects are not followed; other 4xx: the receiver said no; an
 * address refused by the URL policy): retrying would not change the answer.
 */
export function deliveryVerdict(attempt: DeliveryAttempt): 'delivered' | 'retry' | 'refused' {
  if (attempt.kind === 'timeout' || attempt.kind === 'network') return 'retry';
  if (attempt.kind === 'refused_address') return 'refused';
  const s = attempt.status;
  if (s >= 200 && s < 300) return 'delivered';
  if (s >= 500 || s === 408 || s === 429) return 'retry';
  return 'refused';
}

/** Delay before retry `n` (1-based): exponential from `baseMs`, capped at `maxMs`. */
export function retryDelayMs(n: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, n - 1));
}
