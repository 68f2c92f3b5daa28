/**
 * Asynchronous invokes (the API starts a capture, the dispatcher a sync before a compare) have a
 * failure destination: an invoke Lambda gives up on lands in an encrypted queue that raises an alarm,
 * so a lost capture or sync is seen. Read from the template synthesized in-process.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizeStacks, type CfnTemplate } from '../../infra/local/synth.js';
import { logicalIdOf, permissionLines, statementsOf } from './helpers.js';

const ASYNC_TARGETS = ['CaptureSnapshot', 'InventorySync'] as const;

describe.each([
  ['dev stage (no sync before compare)', {}],
  ['a stage that syncs before each compare', { syncBeforeCompare: true }],
])('failure destinations of asynchronous invokes: %s', (_name, stage) => {
  let app: CfnTemplate;
  let data: CfnTemplate;
  let template: Template;

  beforeAll(() => {
    ({ app, data } = synthesizeStacks({ stage }).templates);
    template = Template.fromJSON(app);
  });

  for (const target of ASYNC_TARGETS) {
    it(`${target}: an invoke that fails for good goes to its own encrypted queue`, () => {
      const queueId = logicalIdOf(app, `${target}AsyncFailures`, 'AWS::SQS::Queue');
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalIdOf(app, target, 'AWS::Lambda::Function') },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
      });
      template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
      expect(app.Resources[queueId]?.Properties).toMatchObject({ SqsManagedSseEnabled: true });
      // Only TLS reaches it.
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it(`${target}: may send to its failure queue`, () => {
      expect(permissionLines(statementsOf(app, target), data)).toContain(`sqs:SendMessage -> ${target}AsyncFailures`);
    });

    it(`${target}: a message waiting in the failure queue raises an alarm that notifies the alarm topic`, () => {
      const queueId = logicalIdOf(app, `${target}AsyncFailures`, 'AWS::SQS::Queue');
      const alarms = template.findResources('AWS::CloudWatch::Alarm', {
        Properties: {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: logicalIdOf(app, 'ObservabilityAlarmTopic', 'AWS::SNS::Topic') }],
        },
      });
      expect(Object.keys(alarms)).toHaveLength(1);
    });
  }
});
