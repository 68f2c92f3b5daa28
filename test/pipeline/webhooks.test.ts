/**
 * Signed webhooks through the whole workflow on DynamoDB Local: the compares publish their
 * transitions, the local webhook queue (the EventBridge rule -> SQS -> WebhookDelivery of AWS) delivers
 * them to loopback receivers. A healthy receiver verifies every signature and sees each transition
 * once per event id; a failing one gets every retry and then the dead-letter path.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runPipeline, type PipelineReport } from '../../cli/commands/pipeline.js';
import { startLocalStack, type LocalStack } from '../../infra/local/stack.js';
import { LOCAL_MAX_RECEIVES } from '../../infra/local/webhook-queue.js';
import { createDynamoRepositories } from '../../shared/adapters/dynamodb/index.js';
import { eventPublisherFromEnv } from '../../shared/adapters/events/publisher.js';
import { resolveHostAddresses } from '../../shared/adapters/http/webhook-transport.js';
import { webhookSecretsFromEnv } from '../../shared/adapters/secrets/webhook-secrets.js';
import { EVENT_DETAIL_TYPES, type DomainEvent } from '../../shared/domain/events.js';
import { createWebhook } from '../../shared/usecases/manage-webhooks.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const FIXTURES = 'test/fixtures/exports';
const WORKSPACE = 'ws-local'; // the workspace `drift pipeline` seeds

describe('webhooks through the BaselineCompare workflow', () => {
  let stack: LocalStack;
  let healthy: WebhookReceiver;
  let failing: WebhookReceiver;
  let picky: WebhookReceiver;
  let report: PipelineReport;
  let ids: { healthy: string; failing: string; picky: string };
  let loadSnapshotCalls = 0;

  const cooldown = process.env.FINDING_EVENT_COOLDOWN_HOURS;
  beforeAll(async () => {
    // Without a cooldown (design 2.13, default 24 h) the reopen of a finding opened minutes ago is an event too.
    process.env.FINDING_EVENT_COOLDOWN_HOURS = '0';
    healthy = await startWebhookReceiver(() => 204);
    failing = await startWebhookReceiver(() => 503);
    picky = await startWebhookReceiver(() => 204);
    stack = await startLocalStack({
      endpoint: inject('dynamoEndpoint'),
      prefix: `wh${randomUUID().slice(0, 8)}-`,
      retryIntervalOverrides: 0,
      webhookRetryDelay: () => 5,
      // The fourth compare cannot load its snapshot: the workflow's Catch ends it in FailRun.
      wrapHandler: (name, handler) =>
        name === 'LoadSnapshot'
          ? (event) => {
              loadSnapshotCalls += 1;
              if (loadSnapshotCalls === 4) {
                const err = new Error('the snapshot is gone (test)');
                err.name = 'NoCompleteSnapshotError';
                return Promise.reject(err);
              }
              return handler(event);
            }
          : handler,
    });
    const repos = createDynamoRepositories();
    const deps = { webhooks: repos.webhooks, webhookSecrets: webhookSecretsFromEnv(), resolveHost: resolveHostAddresses, webhookUrlPolicy: { allowLoopback: true }, audit: repos.audit, now: () => new Date() };
    const ctx = { workspaceId: WORKSPACE, actor: 'test-admin', correlationId: 'webhooks-test' };
    const all = ['finding.opened', 'finding.reopened', 'finding.resolved', 'compare.failed'] as const;
    const a = await createWebhook(deps, ctx, { url: healthy.url, events: [...all], minSeverity: 'low', format: 'standard' });
    const b = await createWebhook(deps, ctx, { url: failing.url, events: [...all], minSeverity: 'low', format: 'standard' });
    // Above every finding's severity: only the failed compare reaches it.
    const c = await createWebhook(deps, ctx, { url: picky.url, events: [...all], minSeverity: 'critical', format: 'teams' });
    healthy.secret = a.secret;
    failing.secret = b.secret;
    picky.secret = c.secret;
    ids = { healthy: a.webhook.id, failing: b.webhook.id, picky: c.webhook.id };

    report = await runPipeline(
      { baseline: `${FIXTURES}/baseline`, current: [`${FIXTURES}/drifted`, `${FIXTURES}/fixed`, `${FIXTURES}/drifted`, `${FIXTURES}/drifted`], secretKey: 'webhook-pipeline-secret-key-0123456789' },
      stack,
    );
    await stack.webhooks.idle();
  }, 300_000);

  afterAll(async () => {
    if (cooldown === undefined) delete process.env.FINDING_EVENT_COOLDOWN_HOURS;
    else process.env.FINDING_EVENT_COOLDOWN_HOURS = cooldown;
    await stack?.stop();
    await Promise.all([healthy?.close(), failing?.close(), picky?.close()]);
  });

  it('runs the rounds the test needs: drift, fixed, drift back, then a failed compare', () => {
    expect(report.rounds.map((r) => r.run.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded', 'failed']);
  });

  it('delivers each transition once per event id to a healthy receiver, every signature verified', () => {
    expect(healthy.received.length).toBeGreaterThan(0);
    expect(healthy.received.every((r) => r.verified)).toBe(true);
    expect([...healthy.countsById().values()].every((n) => n === 1)).toBe(true);
    const types = healthy.received.map((r) => r.json.type);
    // The profile alerts from `high`: the missing policy opens, resolves and reopens; then the compare fails.
    expect(types).toEqual(['finding.opened', 'finding.resolved', 'finding.reopened', 'compare.failed']);
    const [opened, resolved, reopened, failed] = healthy.received.map((r) => r.json as { data: Record<string, unknown>; timestamp: string });
    expect(opened!.data).toMatchObject({ changeType: 'missing_policy', severity: 'high', status: 'new' });
    expect(resolved!.data).toMatchObject({ fingerprint: opened!.data.fingerprint, status: 'resolved', resolvedReason: 'no_longer_drifting' });
    expect(reopened!.data).toMatchObject({ fingerprint: opened!.data.fingerprint, status: 'reopened', reopenReason: 'drift_returned' });
    expect(String(opened!.data.link)).toContain(`/findings/${String(opened!.data.fingerprint)}`);
    expect(failed!.data).toMatchObject({ operationRunId: report.rounds[3]!.run.id, outcome: 'failed' });
    expect(healthy.received.every((r) => r.headers['webhook-id']!.toString().startsWith('evt_') && /^\d+$/.test(String(r.headers['webhook-timestamp'])))).toBe(true);
  });

  it('gives a failing receiver every retry with the same id, then dead-letters each event', () => {
    const counts = failing.countsById();
    expect([...counts.keys()].sort()).toEqual([...healthy.countsById().keys()].sort());
    expect([...counts.values()].every((n) => n === LOCAL_MAX_RECEIVES)).toBe(true);
    expect(failing.received.every((r) => r.verified)).toBe(true);
    const letters = stack.webhooks.deadLetters;
    expect(letters.map((l) => l.eventId).sort()).toEqual([...counts.keys()].sort());
    expect(letters.every((l) => l.attempts === LOCAL_MAX_RECEIVES && l.failures.every((f) => f.webhookId === ids.failing && f.detail === 'HTTP 503'))).toBe(true);
  });

  it('sends only what a destination asked for: minSeverity critical gets the failed compare only, as a Teams card', () => {
    expect(picky.received.map((r) => r.json.type)).toEqual(['message']);
    expect(picky.received[0]!.verified).toBe(true);
    expect(picky.received[0]!.body).toContain('Baseline compare failed');
    expect(picky.received[0]!.body).toContain(`/operation-runs/${report.rounds[3]!.run.id}`);
  });

  it('does not deliver a republished event again (at-least-once publishing, exactly once per destination)', async () => {
    const events = await import('node:fs').then((fs) =>
      fs.readFileSync(stack.eventsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { source: string; 'detail-type': string; detail: Record<string, unknown> }),
    );
    const opened = events.find((e) => e['detail-type'] === EVENT_DETAIL_TYPES.findingOpened)!;
    const before = { healthy: healthy.received.length, failing: failing.received.length, letters: stack.webhooks.deadLetters.length };
    await eventPublisherFromEnv().publish([{ source: opened.source, detailType: opened['detail-type'], detail: opened.detail } as unknown as DomainEvent]);
    await stack.webhooks.idle();
    expect(healthy.received.length).toBe(before.healthy);
    // The destination that never got it is tried again, under the same id, and dead-lettered again.
    expect(failing.received.slice(before.failing).map((r) => r.id)).toEqual(Array(LOCAL_MAX_RECEIVES).fill(healthy.received[0]!.id));
    expect(stack.webhooks.deadLetters.length).toBe(before.letters + 1);
  });
});
