import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizeStacks, type CfnTemplate } from '../../infra/local/synth.js';
import { dispatcherEvent } from '../../functions/dispatcher/handler.js';
import { envOf, logicalIdOf, resourcesOfType, trustStatementsOf } from './helpers.js';

/** The compare schedule: EventBridge Scheduler -> dispatcher, with retries and an encrypted dead-letter queue. */

describe('compare schedule (dev stage defaults)', () => {
  let app: CfnTemplate;
  let template: Template;

  beforeAll(() => {
    app = synthesizeStacks().templates.app;
    template = Template.fromJSON(app);
  });

  it('invokes the dispatcher on the stage expression and time zone, with retries and a dead-letter queue', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    expect(() => template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [logicalIdOf(app, 'Dispatcher', 'AWS::Lambda::Function'), 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [logicalIdOf(app, 'CompareScheduleRole', 'AWS::IAM::Role'), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIdOf(app, 'CompareScheduleDeadLetterQueue', 'AWS::SQS::Queue'), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        Input: Match.anyValue(),
      },
    })).not.toThrow();
  });

  it('sends the scheduled time as `time`, in the shape the dispatcher handler accepts', () => {
    const schedule = Object.values(resourcesOfType(app, 'AWS::Scheduler::Schedule'))[0]!;
    const input = JSON.parse((schedule.Target as { Input: string }).Input) as Record<string, unknown>;
    expect(input).toMatchObject({ source: 'aws.scheduler', time: '<aws.scheduler.scheduled-time>' });
    // What the dispatcher receives once Scheduler fills in the context attribute.
    const delivered = { ...input, time: '2026-11-27T03:00:00Z' };
    expect(dispatcherEvent.parse(delivered)).toEqual({ time: '2026-11-27T03:00:00Z' });
  });

  it('dead-letters into an SQS queue encrypted at rest that refuses plain HTTP', () => {
    const queueId = logicalIdOf(app, 'CompareScheduleDeadLetterQueue', 'AWS::SQS::Queue');
    expect(app.Resources[queueId]!.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    const policies = Object.values(resourcesOfType(app, 'AWS::SQS::QueuePolicy')).filter(
      (p) => JSON.stringify(p.Queues) === JSON.stringify([{ Ref: queueId }]),
    );
    expect(policies).toHaveLength(1);
    const statements = (policies[0]!.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('lets only EventBridge Scheduler of this account assume the schedule role', () => {
    const trust = trustStatementsOf(app, logicalIdOf(app, 'CompareScheduleRole', 'AWS::IAM::Role'));
    expect(trust).toEqual([
      {
        Effect: 'Allow',
        Action: ['sts:AssumeRole'],
        Resource: [],
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
  });

  it('tells the dispatcher its window and that no sync runs first', () => {
    expect(envOf(app, 'Dispatcher')).toMatchObject({ SCHEDULE_WINDOW_MINUTES: '60', SYNC_BEFORE_COMPARE: 'false' });
    expect(envOf(app, 'Dispatcher')).not.toHaveProperty('INVENTORY_SYNC_FUNCTION_NAME');
  });
});

describe('compare schedule (stage overrides)', () => {
  it('takes expression, time zone, window and sync-before-compare from the stage', () => {
    const { templates } = synthesizeStacks({
      stage: {
        schedule: 'rate(6 hours)',
        scheduleTimezone: 'Europe/Berlin',
        scheduleWindowMinutes: '30',
        syncBeforeCompare: 'true',
      },
    });
    const app = templates.app;
    Template.fromJSON(app).hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(6 hours)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
    });
    expect(envOf(app, 'Dispatcher')).toMatchObject({
      SCHEDULE_WINDOW_MINUTES: '30',
      SYNC_BEFORE_COMPARE: 'true',
      INVENTORY_SYNC_FUNCTION_NAME: { Ref: logicalIdOf(app, 'InventorySync', 'AWS::Lambda::Function') },
    });
  });
});
