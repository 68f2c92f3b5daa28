import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizeStacks, type CfnTemplate } from '../../infra/local/synth.js';
import { WEBHOOK_MAX_RECEIVES } from '../../infra/constructs/webhooks.js';
import { envOf, logicalIdOf, resourcesOfType } from './helpers.js';

/** Webhook deliveries: EventBridge rule -> encrypted SQS queue -> WebhookDelivery, dead-letter queue with an alarm. */

describe('webhook delivery (dev stage defaults)', () => {
  let app: CfnTemplate;
  let template: Template;
  let queueId: string;
  let dlqId: string;

  beforeAll(() => {
    app = synthesizeStacks().templates.app;
    template = Template.fromJSON(app);
    queueId = logicalIdOf(app, 'WebhooksQueue', 'AWS::SQS::Queue');
    dlqId = logicalIdOf(app, 'WebhooksDeadLetterQueue', 'AWS::SQS::Queue');
  });

  it('routes the transition events of the engine (not compare completed) from the default bus to the queue', () => {
    expect(() =>
      template.hasResourceProperties('AWS::Events::Rule', {
        EventBusName: 'default',
        EventPattern: {
          source: ['baseline-drift-engine'],
          'detail-type': ['Drift Finding Opened', 'Drift Finding Reopened', 'Drift Finding Resolved', 'Baseline Compare Failed'],
        },
        State: 'ENABLED',
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } } })],
      }),
    ).not.toThrow();
  });

  it('encrypts both queues, refuses plain transport, and dead-letters after the receive limit', () => {
    const queues = resourcesOfType(app, 'AWS::SQS::Queue');
    expect(queues[queueId]).toMatchObject({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 360,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: WEBHOOK_MAX_RECEIVES },
    });
    expect(queues[dlqId]).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
    const policies = Object.values(resourcesOfType(app, 'AWS::SQS::QueuePolicy')).map((p) => JSON.stringify(p));
    for (const id of [queueId, dlqId]) {
      const own = policies.filter((p) => p.includes(`"${id}"`));
      expect(own.some((p) => p.includes('aws:SecureTransport'))).toBe(true);
      // Only this stack's rule may send to the queue.
      expect(own.some((p) => p.includes('events.amazonaws.com') && p.includes('aws:SourceArn'))).toBe(true);
    }
  });

  it('feeds WebhookDelivery in batches with partial batch responses, and tells it the queue, the key and the link base', () => {
    const fnId = logicalIdOf(app, 'WebhookDelivery', 'AWS::Lambda::Function');
    expect(() =>
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        FunctionName: { Ref: fnId },
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      }),
    ).not.toThrow();
    const env = envOf(app, 'WebhookDelivery');
    expect(env.WEBHOOK_QUEUE_URL).toEqual({ Ref: queueId });
    expect(JSON.stringify(env.WEBHOOK_KEY_SECRET_ARN)).toMatch(/WebhookKeySecret/);
    expect(JSON.stringify(env.WEBHOOK_LINK_BASE_URL)).toContain(logicalIdOf(app, 'HttpApi', 'AWS::ApiGatewayV2::Api'));
    // Loopback receivers are a local-stack allowance only.
    expect(Object.values(resourcesOfType(app, 'AWS::Lambda::Function')).some((f) => JSON.stringify(f).includes('WEBHOOK_ALLOW_LOOPBACK'))).toBe(false);
  });

  it('raises an alarm on the first dead-lettered event', () => {
    expect(() =>
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
        Threshold: 1,
        AlarmActions: [Match.anyValue()],
      }),
    ).not.toThrow();
  });
});
