import { Duration, Stack, TimeZone, Validations, type CfnElement } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './queues.js';

/**
 * The compare schedule: EventBridge Scheduler invokes the dispatcher on the stage's expression and
 * time zone. Deliveries that still fail after the retries (or grow older than `maxEventAge`) land in
 * an encrypted dead-letter queue; the scheduler's role may invoke the dispatcher and send to that queue,
 * nothing else.
 *
 * The dispatcher receives a scheduled-event document whose `time` is the scheduled time of the
 * trigger (not the delivery time), so a retried delivery falls in the same dispatch window and starts
 * nothing twice.
 */

/** Delivery attempts after the first one, and how long a trigger stays worth delivering. */
export const SCHEDULE_RETRY = { retryAttempts: 3, maxEventAge: Duration.hours(1) } as const;

/** What the dispatcher is invoked with (EventBridge Scheduler fills in the context attributes). */
export function scheduledEventInput(): scheduler.ScheduleTargetInput {
  return scheduler.ScheduleTargetInput.fromObject({
    'detail-type': 'Scheduled Event',
    source: 'aws.scheduler',
    id: scheduler.ContextAttribute.executionId,
    time: scheduler.ContextAttribute.scheduledTime,
    resources: [scheduler.ContextAttribute.scheduleArn],
    detail: { attemptNumber: scheduler.ContextAttribute.attemptNumber },
  });
}

export interface CompareSchedulesProps {
  readonly dispatcher: lambda.IFunction;
  /** `rate(...)`, `cron(...)` or `at(...)`. */
  readonly expression: string;
  /** IANA time zone the expression is read in. */
  readonly timeZone: string;
  readonly enabled: boolean;
  readonly stage: string;
}

export class CompareSchedules extends Construct {
  readonly schedule: scheduler.Schedule;
  readonly deadLetterQueue: sqs.Queue;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: CompareSchedulesProps) {
    super(scope, id);

    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue', 'the compare schedule (EventBridge Scheduler target DLQ)');

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Lets EventBridge Scheduler invoke the compare dispatcher (and dead-letter what it cannot deliver)',
    });
    const dispatcherCfn = props.dispatcher.node.defaultChild as CfnElement | undefined;
    if (dispatcherCfn !== undefined) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${dispatcherCfn.stack.getLogicalId(dispatcherCfn)}.Arn>:*]`,
        reason: 'lambda:InvokeFunction on the dispatcher and its versions/aliases (granted by the scheduler target).',
      });
    }

    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `Starts the scheduled compares (stage ${props.stage})`,
      schedule: scheduler.ScheduleExpression.expression(props.expression, TimeZone.of(props.timeZone)),
      enabled: props.enabled,
      target: new schedulerTargets.LambdaInvoke(props.dispatcher, {
        input: scheduledEventInput(),
        role: this.role,
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: SCHEDULE_RETRY.retryAttempts,
        maxEventAge: SCHEDULE_RETRY.maxEventAge,
      }),
    });
  }
}
