import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { constructIdOfLogicalId } from '../../infra/local/asl.js';
import { synthesizeStacks, type CfnTemplate } from '../../infra/local/synth.js';
import { envOf as envOfFunction, logicalIdOf, statementsOf } from './helpers.js';
import { FUNCTION_IDS } from '../../infra/stacks/app-stack.js';
import { TABLE_SPECS, type TableName } from '../../shared/adapters/dynamodb/table-specs.js';

/** Grants, environment and wiring of the app stack, read from the template synthesized in-process. */

/** How many resources of `type` have these properties (a Match pattern). */
function countMatching(template: Template, type: string, properties: Record<string, unknown>): number {
  return Object.keys(template.findResources(type, { Properties: properties })).length;
}

describe('app stack (dev stage defaults)', () => {
  let app: CfnTemplate;
  let data: CfnTemplate;
  let template: Template;
  const tableId = (name: TableName) => logicalIdOf(data, `Tables${TABLE_SPECS[name].constructId}`, 'AWS::DynamoDB::Table');
  /** Actions a function may take on a table (on the table itself or any of its indexes). */
  const actionsOnTable = (functionId: string, name: TableName): string[] => {
    const marker = `FnGetAtt${tableId(name)}Arn`;
    return statementsOf(app, functionId)
      .filter((s) => s.Resource.some((r) => JSON.stringify(r).includes(marker)))
      .flatMap((s) => s.Action)
      .sort();
  };
  const envOf = (functionId: string): Record<string, unknown> => envOfFunction(app, functionId);

  beforeAll(() => {
    const synth = synthesizeStacks();
    app = synth.templates.app;
    data = synth.templates.data;
    template = Template.fromJSON(app);
  });

  it('builds the ten functions with the project defaults: latest Node LTS, arm64, X-Ray, JSON logs, Powertools env', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    expect(Object.keys(functions).map(constructIdOfLogicalId).sort()).toEqual(Object.values(FUNCTION_IDS).sort());
    for (const id of Object.values(FUNCTION_IDS)) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.anyValue(),
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: Match.objectLike({ LogFormat: 'JSON', LogGroup: { Ref: logicalIdOf(app, `${id}LogGroup`) } }),
        Environment: {
          Variables: Match.objectLike({
            POWERTOOLS_SERVICE_NAME: 'baseline-drift-engine',
            POWERTOOLS_METRICS_NAMESPACE: 'BaselineDriftEngine',
            LOG_LEVEL: 'INFO',
            STAGE: 'dev',
          }),
        },
        Role: { 'Fn::GetAtt': [logicalIdOf(app, `${id}Role`), 'Arn'] },
      });
    }
  });

  it('gives every function its own log group with the stage retention, deleted with a dev stack', () => {
    for (const id of Object.values(FUNCTION_IDS)) {
      const group = app.Resources[logicalIdOf(app, `${id}LogGroup`, 'AWS::Logs::LogGroup')]!;
      expect(group.Properties).toMatchObject({ RetentionInDays: 14 });
      expect(group.DeletionPolicy).toBe('Delete');
    }
  });

  it('attaches no AWS managed policy to any role', () => {
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('lets ComparePolicyType read snapshot items and inventory, and never touch findings', () => {
    expect(actionsOnTable('ComparePolicyType', 'snapshotItems')).toEqual(
      ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'],
    );
    expect(actionsOnTable('ComparePolicyType', 'inventory')).not.toContain('dynamodb:PutItem');
    expect(actionsOnTable('ComparePolicyType', 'inventory')).toContain('dynamodb:Query');
    expect(actionsOnTable('ComparePolicyType', 'findings')).toEqual([]);
    expect(envOf('ComparePolicyType')).not.toHaveProperty('TABLE_FINDINGS');
    expect(envOf('ComparePolicyType')).toMatchObject({
      TABLE_SNAPSHOT_ITEMS: { 'Fn::ImportValue': expect.stringContaining(tableId('snapshotItems')) },
      TABLE_INVENTORY: { 'Fn::ImportValue': expect.stringContaining(tableId('inventory')) },
    });
  });

  it('lets only UpsertFindings, FinalizeRun, the API (finding transitions) and the Dispatcher (expired acceptances) write findings', () => {
    const writers = Object.values(FUNCTION_IDS).filter((id) => actionsOnTable(id, 'findings').includes('dynamodb:UpdateItem'));
    expect(writers.sort()).toEqual(['Api', 'Dispatcher', 'FinalizeRun', 'UpsertFindings']);
  });

  it('grants each table to exactly the functions that have its TABLE_<NAME> variable', () => {
    const granted: string[] = [];
    const named: string[] = [];
    for (const id of Object.values(FUNCTION_IDS)) {
      for (const [name, spec] of Object.entries(TABLE_SPECS) as [TableName, (typeof TABLE_SPECS)[TableName]][]) {
        if (actionsOnTable(id, name).length > 0) granted.push(`${id}/${name}`);
        if (spec.envVar in envOf(id)) named.push(`${id}/${name}`);
      }
    }
    expect(granted.length).toBeGreaterThan(Object.keys(FUNCTION_IDS).length);
    expect(granted).toEqual(named);
  });

  it('names the indexes a read grant covers instead of <table>/index/*', () => {
    const statements = statementsOf(app, 'CheckSyncCoverage');
    const text = JSON.stringify(statements);
    expect(text).not.toContain('/index/*');
    for (const index of TABLE_SPECS.operationRuns.indexes) expect(text).toContain(`/index/${index.indexName}"`);
    // A write-only grant covers the table alone.
    const audit = statementsOf(app, 'Dispatcher').filter((s) => JSON.stringify(s.Resource).includes(tableId('audit')));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.Resource).toHaveLength(1);
    expect(audit[0]!.Action.sort()).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
  });

  it('lets only UpsertFindings, FinalizeRun, FailRun, the API and the Dispatcher put events, on the default bus only', () => {
    const publishers = Object.values(FUNCTION_IDS).filter((id) =>
      statementsOf(app, id).some((s) => s.Action.includes('events:PutEvents')),
    );
    expect(publishers.sort()).toEqual(['Api', 'Dispatcher', 'FailRun', 'FinalizeRun', 'UpsertFindings']);
    for (const id of publishers) {
      const putEvents = statementsOf(app, id).filter((s) => s.Action.includes('events:PutEvents'));
      expect(putEvents).toHaveLength(1);
      expect(putEvents[0]!.Action).toEqual(['events:PutEvents']);
      expect(putEvents[0]!.Resource).toHaveLength(1);
      expect(JSON.stringify(putEvents[0]!.Resource[0])).toMatch(/:event-bus\/default"\]\]\}$/);
      expect(envOf(id)).toMatchObject({ EVENT_BUS_NAME: 'default', EVENT_SOURCE: 'baseline-drift-engine' });
    }
    const withBusName = Object.values(FUNCTION_IDS).filter((id) => 'EVENT_BUS_NAME' in envOf(id));
    expect(withBusName.sort()).toEqual(['Api', 'Dispatcher', 'FailRun', 'FinalizeRun', 'UpsertFindings']);
  });

  it('lets the compare starters (API, dispatcher, inventory sync) start BaselineCompare executions and tells them which state machine', () => {
    const stateMachineId = logicalIdOf(app, 'WorkflowBaselineCompare', 'AWS::StepFunctions::StateMachine');
    const starters = Object.values(FUNCTION_IDS).filter((id) => JSON.stringify(statementsOf(app, id)).includes('states:StartExecution'));
    expect(starters.sort()).toEqual(['Api', 'Dispatcher', 'InventorySync']);
    for (const id of starters) {
      const start = statementsOf(app, id).filter((s) => s.Action.includes('states:StartExecution'));
      expect(start).toHaveLength(1);
      expect(start[0]!.Action).toEqual(['states:StartExecution']);
      expect(start[0]!.Resource).toEqual([{ Ref: stateMachineId }]);
      expect(envOf(id)).toMatchObject({ STATE_MACHINE_ARN: { Ref: stateMachineId } });
    }
    const withArn = Object.values(FUNCTION_IDS).filter((id) => 'STATE_MACHINE_ARN' in envOf(id));
    expect(withArn.sort()).toEqual(starters.sort());
  });

  it('alarms on failed, timed-out and aborted executions and on each function\'s errors, all notifying the alarm topic', () => {
    const stateMachineId = logicalIdOf(app, 'WorkflowBaselineCompare', 'AWS::StepFunctions::StateMachine');
    const topicId = logicalIdOf(app, 'ObservabilityAlarmTopic', 'AWS::SNS::Topic');
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']) {
      expect(countMatching(template, 'AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/States',
        MetricName: metric,
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: stateMachineId } }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: topicId }],
      })).toBe(1);
    }
    for (const id of Object.values(FUNCTION_IDS)) {
      expect(countMatching(template, 'AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(app, id, 'AWS::Lambda::Function') } }],
        AlarmActions: [{ Ref: topicId }],
      })).toBe(1);
    }
    for (const queue of ['CompareScheduleDeadLetterQueue', 'CaptureSnapshotAsyncFailures', 'InventorySyncAsyncFailures']) {
      const queueId = logicalIdOf(app, queue, 'AWS::SQS::Queue');
      expect(countMatching(template, 'AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        Threshold: 1,
        AlarmActions: [{ Ref: topicId }],
      })).toBe(1);
    }
    const apiId = logicalIdOf(app, 'HttpApi', 'AWS::ApiGatewayV2::Api');
    expect(countMatching(template, 'AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: apiId } }],
      Statistic: 'Sum',
      Threshold: 1,
      AlarmActions: [{ Ref: topicId }],
    })).toBe(1);
    // Executions (3), one per function, the schedule's dead-letter queue, the two failure queues of
    // asynchronous invokes, the API's 5xx.
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3 + Object.keys(FUNCTION_IDS).length + 4);
    expect(countMatching(template, 'AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() })).toBe(1);
  });

  it('puts executions, duration, the API\'s requests, errors and latency, and the findings opened/reopened/resolved per day on the dashboard', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]!.Properties.DashboardBody);
    for (const metric of ['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionTime']) {
      expect(body).toContain(`\\"AWS/States\\",\\"${metric}\\"`);
    }
    for (const metric of ['Count', '4xx', '5xx', 'Latency', 'IntegrationLatency']) {
      expect(body).toContain(`\\"AWS/ApiGateway\\",\\"${metric}\\",\\"ApiId\\"`);
    }
    for (const metric of ['FindingsOpened', 'FindingsReopened', 'FindingsResolved']) {
      expect(body).toMatch(
        new RegExp(`\\[\\\\"BaselineDriftEngine\\\\",\\\\"${metric}\\\\",\\\\"service\\\\",\\\\"baseline-drift-engine\\\\",\\{[^}]*\\\\"period\\\\":86400,\\\\"stat\\\\":\\\\"Sum\\\\"`),
      );
    }
  });
});

describe('app stack (stage overrides)', () => {
  it('retains log groups, keeps them a year and sets the log level for prod', () => {
    const { templates } = synthesizeStacks({
      stage: { stage: 'prod', logLevel: 'WARN', scheduleEnabled: 'false', jwtIssuer: 'https://idp.example.com/' },
    });
    const template = Template.fromJSON(templates.app);
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    // One per function, the state machine's and the API's access logs.
    expect(groups.length).toBe(Object.keys(FUNCTION_IDS).length + 2);
    for (const group of groups) {
      expect(group.DeletionPolicy).toBe('Retain');
      expect(group.Properties.RetentionInDays).toBe(365);
    }
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ LOG_LEVEL: 'WARN', STAGE: 'prod' }) },
      LoggingConfig: Match.objectLike({ ApplicationLogLevel: 'WARN' }),
    });
    expect(countMatching(template, 'AWS::Scheduler::Schedule', { State: 'DISABLED' })).toBe(1);
    expect(Object.values(Template.fromJSON(templates.data).findResources('AWS::DynamoDB::Table'))[0]!.DeletionPolicy).toBe('Retain');
  });

  it('subscribes the alarm email when one is configured', () => {
    const { templates } = synthesizeStacks({ stage: { alarmEmail: 'ops@example.com' } });
    expect(countMatching(Template.fromJSON(templates.app), 'AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    })).toBe(1);
  });
});
