import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { compareFailedEvent, EVENT_DETAIL_TYPES, EVENT_SOURCE, type DomainEvent, type FindingEventDetail } from '../../shared/domain/events.js';
import {
  assertAddressAllowed,
  checkWebhookUrl,
  deliveryVerdict,
  destinationWants,
  retryDelayMs,
  toWebhookEvent,
  webhookBody,
  webhookLink,
} from '../../shared/domain/webhooks.js';
import { webhookSecrets } from '../../shared/adapters/secrets/webhook-secrets.js';
import { WebhookUrlRefusedError } from '../../shared/domain/errors.js';

const detail: FindingEventDetail = {
  tenantId: 't-1',
  scopeKey: 'baseline_profile:p-1',
  fingerprint: 'a'.repeat(64),
  changeType: 'missing_policy',
  policyType: 'settingsCatalogPolicy',
  subjectKey: 'settingsCatalogPolicy:firewall baseline',
  displayName: 'Firewall <Baseline> & more',
  severity: 'high',
  status: 'reopened',
  firstSeenAt: '2026-01-01T00:00:00.000Z',
  lastSeenAt: '2026-01-03T00:00:00.000Z',
  reopenCount: 1,
  reopenReason: 'drift_returned',
  reopenedAt: '2026-01-03T00:00:00.000Z',
  dueAt: '2026-01-08T00:00:00.000Z',
  operationRunId: 'run-3',
};
const reopened: DomainEvent = { source: EVENT_SOURCE, detailType: EVENT_DETAIL_TYPES.findingReopened, detail };
const failed = compareFailedEvent({ tenantId: 't-1', profileId: 'p-1', operationRunId: 'run-9', failureSummary: [{ code: 'no_complete_snapshot', message: 'no snapshot', count: 1 }], completedAt: '2026-01-04T00:00:00.000Z' });

describe('webhook events', () => {
  it('map product events to webhook types with ids that depend on the transition only', () => {
    const e = toWebhookEvent(reopened)!;
    expect(e.type).toBe('finding.reopened');
    expect(e.id).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(toWebhookEvent({ ...reopened, detail: { ...detail, lastSeenAt: '2026-02-01T00:00:00.000Z' } })!.id).toBe(e.id);
    expect(toWebhookEvent({ ...reopened, detail: { ...detail, operationRunId: 'run-4' } })!.id).not.toBe(e.id);
    expect(toWebhookEvent({ ...reopened, detailType: EVENT_DETAIL_TYPES.findingOpened })!.id).not.toBe(e.id);
    expect(toWebhookEvent(failed)).toMatchObject({ type: 'compare.failed', occurredAt: '2026-01-04T00:00:00.000Z' });
    expect(toWebhookEvent({ source: EVENT_SOURCE, detailType: EVENT_DETAIL_TYPES.compareCompleted, detail: {} as never })).toBeUndefined();
  });

  it('reach a destination subscribed to the type at or above its minSeverity; compare.failed has no severity', () => {
    const e = toWebhookEvent(reopened)!;
    expect(destinationWants({ events: ['finding.reopened'], minSeverity: 'high' }, e)).toBe(true);
    expect(destinationWants({ events: ['finding.reopened'], minSeverity: 'critical' }, e)).toBe(false);
    expect(destinationWants({ events: ['finding.opened'], minSeverity: 'low' }, e)).toBe(false);
    expect(destinationWants({ events: ['compare.failed'], minSeverity: 'critical' }, toWebhookEvent(failed)!)).toBe(true);
  });

  it('read as standard JSON, a Teams card and a Slack message, each with a link to the finding', () => {
    const e = toWebhookEvent(reopened)!;
    const link = webhookLink('https://drift.example.com/', e);
    expect(link).toBe(`https://drift.example.com/tenants/t-1/findings/${'a'.repeat(64)}`);
    const standard = webhookBody({ event: e, format: 'standard', link, tenantName: 'Fabrikam' });
    expect(standard).toMatchObject({ type: 'finding.reopened', timestamp: detail.reopenedAt, data: { reopenReason: 'drift_returned', link, tenantDisplayName: 'Fabrikam' } });
    const teams = JSON.stringify(webhookBody({ event: e, format: 'teams', link, tenantName: 'Fabrikam' }));
    expect(teams).toContain('AdaptiveCard');
    expect(teams).toContain('Action.OpenUrl');
    expect(teams).toContain(link);
    expect(teams).toContain('the drift returned');
    const slack = webhookBody({ event: e, format: 'slack', link, tenantName: 'Fabrikam' }) as { text: string; blocks: unknown[] };
    expect(slack.text).toContain(`<${link}|Open the finding>`);
    expect(JSON.stringify(slack.blocks)).toContain('Firewall &lt;Baseline&gt; &amp; more');
    expect(webhookLink('https://drift.example.com', toWebhookEvent(failed)!)).toBe('https://drift.example.com/operation-runs/run-9');
  });
});

describe('destination URLs', () => {
  const aws = { allowLoopback: false };
  const local = { allowLoopback: true };
  it('need https, no credentials; plain http and loopback only on the local stack', () => {
    expect(checkWebhookUrl('https://hooks.example.com/x?y=1', aws).origin).toBe('https://hooks.example.com');
    expect(() => checkWebhookUrl('http://hooks.example.com/x', aws)).toThrow(WebhookUrlRefusedError);
    expect(() => checkWebhookUrl('https://user:pw@hooks.example.com/x', aws)).toThrow(/user name or password/);
    expect(() => checkWebhookUrl('not a url', aws)).toThrow(/absolute URL/);
    expect(() => checkWebhookUrl('http://127.0.0.1:9000/x', aws)).toThrow(/local stack/);
    expect(() => checkWebhookUrl('https://localhost/x', aws)).toThrow(/local stack/);
    expect(checkWebhookUrl('http://127.0.0.1:9000/x', local).origin).toBe('http://127.0.0.1:9000');
    expect(checkWebhookUrl('http://[::1]:9000/x', local).origin).toBe('http://[::1]:9000');
    expect(() => checkWebhookUrl('http://hooks.example.com/x', local)).toThrow(/https/);
    expect(() => checkWebhookUrl('ftp://hooks.example.com/x', local)).toThrow(/https/);
  });

  it('refuse private, link-local, unique-local, CGNAT and IPv4-mapped private addresses', () => {
    for (const a of ['10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1', '0.0.0.0', '224.0.0.1', '::']) {
      expect(() => assertAddressAllowed(a, aws)).toThrow(WebhookUrlRefusedError);
      expect(() => assertAddressAllowed(a, local)).toThrow(WebhookUrlRefusedError);
    }
    expect(() => assertAddressAllowed('127.0.0.1', aws)).toThrow(/loopback/);
    expect(() => assertAddressAllowed('::1', aws)).toThrow(/loopback/);
    expect(() => assertAddressAllowed('127.0.0.1', local)).not.toThrow();
    expect(() => assertAddressAllowed('93.184.216.34', aws)).not.toThrow();
    expect(() => assertAddressAllowed('2606:2800:220:1:248:1893:25c8:1946', aws)).not.toThrow();
  });
});

describe('a receiver\'s answer', () => {
  it('is delivered on 2xx, retried on 5xx, 408, 429, timeouts and network errors, refused otherwise', () => {
    expect(deliveryVerdict({ kind: 'response', status: 204 })).toBe('delivered');
    for (const s of [500, 502, 503, 408, 429]) expect(deliveryVerdict({ kind: 'response', status: s })).toBe('retry');
    for (const s of [301, 400, 401, 404, 410]) expect(deliveryVerdict({ kind: 'response', status: s })).toBe('refused');
    expect(deliveryVerdict({ kind: 'timeout' })).toBe('retry');
    expect(deliveryVerdict({ kind: 'network', message: 'ECONNREFUSED' })).toBe('retry');
    expect(deliveryVerdict({ kind: 'refused_address', message: 'private' })).toBe('refused');
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, 60_000, 900_000))).toEqual([60_000, 120_000, 240_000, 480_000, 900_000, 900_000]);
  });
});

describe('webhook secrets', () => {
  const secrets = webhookSecrets(() => Promise.resolve('unit-test-webhook-master-key-0123456789'));
  it('derive a whsec_ secret from its reference, different per destination, that signs verifiable deliveries', async () => {
    const { secret, secretRef } = await secrets.issue('ws-1', 'wh_a');
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(secretRef).not.toContain(secret.slice(6, 20));
    expect(await secrets.secretFor('ws-1', 'wh_a', secretRef)).toBe(secret);
    expect(await secrets.secretFor('ws-1', 'wh_b', secretRef)).not.toBe(secret);
    expect((await secrets.issue('ws-1', 'wh_a')).secret).not.toBe(secret);
    const at = new Date();
    const body = '{"type":"finding.opened"}';
    const signature = new Webhook(secret).sign('evt_1', at, body);
    const headers = { 'webhook-id': 'evt_1', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature };
    expect(new Webhook(secret).verify(body, headers)).toEqual({ type: 'finding.opened' });
    expect(() => new Webhook(secret).verify(body.replace('opened', 'closed'), headers)).toThrow();
  });

  it('seal a URL so that only the same destination under the same key opens it', async () => {
    const url = 'https://hooks.slack.com/services/T000/B000/XXXXXXXX';
    const sealed = await secrets.sealUrl('ws-1', 'wh_a', url);
    expect(sealed).not.toContain('hooks.slack.com');
    expect(await secrets.openUrl('ws-1', 'wh_a', sealed)).toBe(url);
    await expect(secrets.openUrl('ws-1', 'wh_b', sealed)).rejects.toThrow(/cannot be opened/);
    const other = webhookSecrets(() => Promise.resolve('another-webhook-master-key-0123456789'));
    await expect(other.openUrl('ws-1', 'wh_a', sealed)).rejects.toThrow(/cannot be opened/);
  });

  it('refuse a missing or short master key with what to set', async () => {
    await expect(webhookSecrets(() => Promise.resolve('short')).issue('ws', 'wh_a')).rejects.toThrow(/shorter than 16 bytes/);
  });
});
