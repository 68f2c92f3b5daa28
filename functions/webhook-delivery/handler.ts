/**
 * WebhookDelivery: consumes the webhook queue (EventBridge rule -> SQS -> this function). Each message
 * is one product event as EventBridge delivered it; it is delivered to every destination of its
 * workspace that wants it. A message with a destination worth retrying is reported as a batch item
 * failure and made visible again after an exponential delay (1, 2, 4, 8 ... minutes, at most 15); after
 * the queue's receive limit SQS moves it to the dead-letter queue, whose first message raises an alarm.
 * Destinations already delivered are skipped on every retry (the delivery log).
 *
 * Environment: TABLE_BASELINES (destinations, tenant names, profiles: read), TABLE_OPERATION_RUNS
 * (delivery log: read/write; runs: read), WEBHOOK_KEY_SECRET_ARN, WEBHOOK_QUEUE_URL,
 * WEBHOOK_LINK_BASE_URL, optional WEBHOOK_TIMEOUT_MS.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { EVENT_DETAIL_TYPES, type DomainEvent } from '../../shared/domain/events.js';
import { retryDelayMs } from '../../shared/domain/webhooks.js';
import { deliverWebhookEvent, type DeliverWebhooksDeps } from '../../shared/usecases/deliver-webhooks.js';
import { webhookDeliveryDepsFromEnv } from './wiring.js';
import { logger, traced } from '../../shared/adapters/observability.js';


/** Redelivery delays: 1 minute doubling per receive, at most 15 minutes. */
export const REDELIVERY_BASE_MS = 60_000;
export const REDELIVERY_MAX_MS = 15 * 60_000;

/** What EventBridge puts in the queue: its envelope around the event's detail. */
export const eventBridgeEnvelope = z.object({
  source: z.string().min(1),
  'detail-type': z.enum(Object.values(EVENT_DETAIL_TYPES) as [string, ...string[]]),
  detail: z.record(z.string(), z.unknown()),
});

export function domainEventOf(body: string): DomainEvent {
  const envelope = eventBridgeEnvelope.parse(JSON.parse(body));
  return { source: envelope.source, detailType: envelope['detail-type'], detail: envelope.detail } as unknown as DomainEvent;
}

let sqs: SQSClient | undefined;

async function delayRedelivery(record: SQSRecord, queueUrl: string | undefined): Promise<void> {
  if (queueUrl === undefined || queueUrl === '') return;
  const receives = Number(record.attributes.ApproximateReceiveCount ?? '1');
  const seconds = Math.ceil(retryDelayMs(receives, REDELIVERY_BASE_MS, REDELIVERY_MAX_MS) / 1000);
  sqs ??= traced(new SQSClient({}));
  await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: seconds }));
}

/** Delivers every record; returns the ones to retry. */
export async function deliverRecords(records: readonly SQSRecord[], deps: () => DeliverWebhooksDeps, queueUrl?: string): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of records) {
    try {
      const outcome = await deliverWebhookEvent(deps(), domainEventOf(record.body));
      for (const r of outcome.refused) logger.warn('webhook refused by its receiver: not retried', { eventId: outcome.eventId, ...r });
      if (outcome.failed.length === 0) {
        logger.info('webhook event delivered', { eventId: outcome.eventId, type: outcome.type, delivered: outcome.delivered.length, alreadyDone: outcome.alreadyDone.length });
        continue;
      }
      logger.warn('webhook delivery failed: retried later', { eventId: outcome.eventId, failed: outcome.failed, receives: record.attributes.ApproximateReceiveCount });
    } catch (err) {
      logger.error('webhook delivery errored: retried later', { messageId: record.messageId, errorName: err instanceof Error ? err.name : typeof err, errorMessage: err instanceof Error ? err.message : undefined });
    }
    failures.push({ itemIdentifier: record.messageId });
    await delayRedelivery(record, queueUrl).catch(() => undefined);
  }
  return { batchItemFailures: failures };
}

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler((event) => deliverRecords(event.Records, () => webhookDeliveryDepsFromEnv(), process.env.WEBHOOK_QUEUE_URL));
