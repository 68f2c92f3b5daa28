/**
 * Webhook delivery on DynamoDB Local, below the workflow: the WebhookDelivery function's record loop
 * with EventBridge envelopes as SQS carries them, the delivery log across attempts, receivers that
 * refuse (not retried), the URL policy at connection time, timeouts, and the three body formats.
 */
import type { SQSRecord } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { deliverRecords } from '../../functions/webhook-delivery/handler.js';
import { HttpWebhookTransport } from '../../shared/adapters/http/webhook-transport.js';
import { webhookSecrets } from '../../shared/adapters/secrets/webhook-secrets.js';
import { EVENT_DETAIL_TYPES, EVENT_SOURCE, type FindingEventDetail } from '../../shared/domain/events.js';
import type { BaselineProfile } from '../../shared/domain/model.js';
import { toWebhookEvent, type WebhookFormat } from '../../shared/domain/webhooks.js';
import { deliverWebhookEvent, type DeliverWebhooksDeps } from '../../shared/usecases/deliver-webhooks.js';
import { createWebhook } from '../../shared/usecases/manage-webhooks.js';
import { testRepositories, uniqueId } from '../support/dynamodb.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

// The function's logger reads its level when it loads: keep the expected warnings out of the test output.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

const repos = testRepositories();
const secrets = webhookSecrets(() => Promise.resolve('integration-webhook-master-key-0123456789'));
const local = { allowLoopback: true };
const workspaceId = uniqueId('ws');
const tenantId = uniqueId('tenant');
const profileId = uniqueId('profile');

function deps(overrides: Partial<DeliverWebhooksDeps> = {}): DeliverWebhooksDeps {
  return {
    webhooks: repos.webhooks,
    webhookSecrets: secrets,
    transport: new HttpWebhookTransport({ timeoutMs: 500 }),
    deliveries: repos.webhookDeliveries,
    profiles: repos.profiles,
    runs: repos.runs,
    tenants: repos.tenants,
    webhookUrlPolicy: local,
    linkBaseUrl: 'http://127.0.0.1:3000',
    now: () => new Date(),
    ...overrides,
  };
}

const detail = (fingerprint: string): FindingEventDetail => ({
  tenantId,
  scopeKey: `baseline_profile:${profileId}`,
  fingerprint,
  changeType: 'different_version',
  policyType: 'deviceConfiguration',
  subjectKey: 'deviceConfiguration:wi-fi corp',
  displayName: 'Wi-Fi Corp',
  severity: 'medium',
  status: 'new',
  firstSeenAt: '2026-03-01T00:00:00.000Z',
  lastSeenAt: '2026-03-01T00:00:00.000Z',
  reopenCount: 0,
  dueAt: '2026-03-15T00:00:00.000Z',
  operationRunId: uniqueId('run'),
});

function sqsRecord(d: FindingEventDetail, receiveCount = 1): SQSRecord {
  const body = JSON.stringify({ version: '0', id: uniqueId('eb'), source: EVENT_SOURCE, 'detail-type': EVENT_DETAIL_TYPES.findingOpened, time: d.firstSeenAt, region: 'eu-west-1', resources: [], detail: d });
  return { messageId: uniqueId('msg'), receiptHandle: 'rh', body, attributes: { ApproximateReceiveCount: String(receiveCount) }, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:q', awsRegion: 'eu-west-1' } as unknown as SQSRecord;
}

async function destination(receiver: WebhookReceiver, format: WebhookFormat = 'standard', minSeverity: 'low' | 'high' = 'low'): Promise<string> {
  const created = await createWebhook(
    { webhooks: repos.webhooks, webhookSecrets: secrets, resolveHost: () => Promise.resolve(['127.0.0.1']), webhookUrlPolicy: local, audit: repos.audit, now: () => new Date() },
    { workspaceId, actor: 'test', correlationId: 'c' },
    { url: receiver.url, events: ['finding.opened'], minSeverity, format },
  );
  receiver.secret = created.secret;
  return created.webhook.id;
}

const receivers: WebhookReceiver[] = [];
const webhookIds: string[] = [];

beforeAll(async () => {
  const profile: BaselineProfile = {
    id: profileId, workspaceId, name: 'p', status: 'active', scope: { policy_types: ['deviceConfiguration'], foundation_types: [] },
    severityMapping: { missing_policy: 'high', different_version: 'medium', unexpected_policy: 'low' }, alertMinSeverity: 'low', autoResolve: true,
    createdBy: 't', createdAt: '2026-03-01T00:00:00.000Z', updatedAt: '2026-03-01T00:00:00.000Z',
  };
  await repos.profiles.create(profile);
  await repos.tenants.putName(workspaceId, { tenantId, displayName: 'Northwind', updatedAt: '2026-03-01T00:00:00.000Z', updatedBy: 't' });
});

// Each test starts with no destination in the workspace.
afterEach(async () => {
  for (const id of webhookIds.splice(0)) await repos.webhooks.delete(workspaceId, id);
});

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

/** A receiver answering `answer`, registered as a destination of the workspace. */
async function receiverDestination(answer: () => number, format: WebhookFormat = 'standard', minSeverity: 'low' | 'high' = 'low'): Promise<{ receiver: WebhookReceiver; id: string }> {
  const receiver = await startWebhookReceiver(answer);
  receivers.push(receiver);
  const id = await destination(receiver, format, minSeverity);
  webhookIds.push(id);
  return { receiver, id };
}

const opened = (fingerprint: string) => ({ source: EVENT_SOURCE, detailType: EVENT_DETAIL_TYPES.findingOpened, detail: detail(fingerprint) }) as const;

describe('WebhookDelivery records', () => {
  it('deliver an EventBridge envelope once; a receiver failing with 502 is retried, then skipped once delivered', async () => {
    let failFirst = 2;
    const { receiver: ok } = await receiverDestination(() => 204);
    const { receiver: flaky } = await receiverDestination(() => (failFirst-- > 0 ? 502 : 200));
    const record = sqsRecord(detail('1'.repeat(64)));

    const first = await deliverRecords([record], () => deps());
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    const second = await deliverRecords([record], () => deps());
    expect(second.batchItemFailures).toHaveLength(1);
    const third = await deliverRecords([record], () => deps());
    expect(third.batchItemFailures).toEqual([]);
    expect(ok.received).toHaveLength(1);
    expect(flaky.received).toHaveLength(3);
    expect(new Set(flaky.received.map((r) => r.id)).size).toBe(1);
    expect([...ok.received, ...flaky.received].every((r) => r.verified)).toBe(true);
    expect(ok.received[0]!.json).toMatchObject({ type: 'finding.opened', data: { tenantDisplayName: 'Northwind', displayName: 'Wi-Fi Corp' } });
    // A fourth receive (a duplicate publish) sends nothing.
    await deliverRecords([record], () => deps());
    expect(ok.received.length + flaky.received.length).toBe(4);
  });

  it('record a refusal (4xx) without retrying, and refuse a loopback receiver under the AWS policy at connection time', async () => {
    const { receiver: gone, id } = await receiverDestination(() => 410);
    const event = opened('2'.repeat(64));
    const outcome = await deliverWebhookEvent(deps(), event);
    expect(outcome).toMatchObject({ delivered: [], failed: [], refused: [{ webhookId: id, detail: 'HTTP 410' }] });
    expect(await repos.webhookDeliveries.get(toWebhookEvent(event)!.id, id)).toMatchObject({ status: 'refused', httpStatus: 410 });
    expect((await deliverWebhookEvent(deps(), event)).alreadyDone).toEqual([id]);

    const onAws = await deliverWebhookEvent(deps({ webhookUrlPolicy: { allowLoopback: false } }), opened('3'.repeat(64)));
    expect(onAws.refused).toEqual([{ webhookId: id, detail: expect.stringMatching(/loopback address/) as string }]);
    expect(gone.received).toHaveLength(1);
  });

  it('treat a receiver that does not answer in time as worth retrying', async () => {
    await receiverDestination(() => 204);
    const hanging = { send: (req: Parameters<HttpWebhookTransport['send']>[0], policy: Parameters<HttpWebhookTransport['send']>[1]) => new HttpWebhookTransport({ timeoutMs: 1 }).send({ ...req, url: req.url.replace(/:\d+\//, ':9/') }, policy) };
    const outcome = await deliverWebhookEvent(deps({ transport: hanging }), opened('4'.repeat(64)));
    expect(outcome.failed).toHaveLength(1);
    expect(outcome.failed[0]!.detail).toMatch(/timed out|ECONNREFUSED/);
  });

  it('send Teams and Slack messages with a link to the finding, filtered by minSeverity', async () => {
    const { receiver: teams } = await receiverDestination(() => 200, 'teams');
    const { receiver: slack } = await receiverDestination(() => 200, 'slack');
    const { receiver: strict } = await receiverDestination(() => 200, 'standard', 'high');
    const event = opened('5'.repeat(64));
    await deliverWebhookEvent(deps(), event);
    const link = `http://127.0.0.1:3000/tenants/${tenantId}/findings/${event.detail.fingerprint}`;
    expect(teams.received[0]!.json).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive' }] });
    expect(teams.received[0]!.body).toContain(link);
    expect(teams.received[0]!.body).toContain('Drift finding opened: Wi-Fi Corp (medium) in Northwind');
    expect((slack.received[0]!.json as { text: string }).text).toContain(`<${link}|Open the finding>`);
    expect([...teams.received, ...slack.received].every((r) => r.verified)).toBe(true);
    expect(strict.received).toHaveLength(0);
  });
});
