import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_DETAIL_TYPES } from '../../shared/domain/events.js';
import { deadLetterQueue } from './queues.js';

/**
 * Signed webhook deliveries: an EventBridge rule on the default bus takes the engine's transition
 * events (finding opened, reopened, resolved; compare failed) into an encrypted SQS queue; the
 * WebhookDelivery function consumes it in batches and reports the records to retry (partial batch
 * responses), delaying each redelivery exponentially; after `WEBHOOK_MAX_RECEIVES` receives a message
 * moves to the encrypted dead-letter queue, whose first message raises an alarm (Observability).
 * Compare completed events do not reach the queue: no destination receives them.
 */

/** Receives of one event before it is dead-lettered. */
export const WEBHOOK_MAX_RECEIVES = 5;
/** The delivery function's timeout; the queue's visibility timeout is six times it, as Lambda advises for SQS sources. */
export const WEBHOOK_FUNCTION_TIMEOUT = Duration.minutes(1);

/** The detail types the rule forwards. */
export const WEBHOOK_DETAIL_TYPES = [
  EVENT_DETAIL_TYPES.findingOpened,
  EVENT_DETAIL_TYPES.findingReopened,
  EVENT_DETAIL_TYPES.findingResolved,
  EVENT_DETAIL_TYPES.compareFailed,
];

export interface WebhookDeliveryProps {
  readonly bus: events.IEventBus;
  /** `source` of the engine's events. */
  readonly eventSource: string;
  readonly deliveryFunction: lambda.IFunction;
  readonly stage: string;
}

export class WebhookDelivery extends Construct {
  /** Where the rule puts the events and WebhookDelivery takes them from. */
  readonly queue: sqs.Queue;
  /** Events that exhausted their receives (or that the rule could not put on the queue). */
  readonly deadLetterQueue: sqs.Queue;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: WebhookDeliveryProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue', 'the webhook delivery queue (and of the rule\'s target)');
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      visibilityTimeout: Duration.seconds(WEBHOOK_FUNCTION_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: WEBHOOK_MAX_RECEIVES },
    });
    this.rule = new events.Rule(this, 'TransitionsRule', {
      description: `Webhook deliveries of finding transitions and failed compares (stage ${props.stage})`,
      eventBus: props.bus,
      eventPattern: { source: [props.eventSource], detailType: WEBHOOK_DETAIL_TYPES },
      targets: [new targets.SqsQueue(this.queue, { retryAttempts: 8, maxEventAge: Duration.hours(24), deadLetterQueue: this.deadLetterQueue })],
    });
    props.deliveryFunction.addEventSource(new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 5 }));
  }
}
