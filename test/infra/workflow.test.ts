import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRANSIENT_ERRORS } from '../../infra/constructs/baseline-compare-workflow.js';
import {
  AslExtractionError,
  baselineCompareAsl,
  constructIdOfLogicalId,
  extractStateMachineAsl,
  localFunctionArn,
  type AslDefinition,
  type AslState,
} from '../../infra/local/asl.js';
import { synthesizeStacks, type CfnTemplate } from '../../infra/local/synth.js';

/** The BaselineCompare state machine: its resource settings and the shape of its definition. */

const TOP_LEVEL_TASKS = ['CheckSyncCoverage', 'LoadSnapshot', 'FinalizeRun'];
const ITERATION_TASKS = ['ComparePolicyType', 'UpsertFindings'];

describe('BaselineCompare state machine', () => {
  let app: CfnTemplate;
  let template: Template;
  let definition: AslDefinition;
  let states: Record<string, AslState>;
  let iteration: Record<string, AslState>;

  beforeAll(() => {
    app = synthesizeStacks().templates.app;
    template = Template.fromJSON(app);
    definition = baselineCompareAsl(app).definition;
    states = definition.States;
    iteration = states.ComparePolicyTypes!.ItemProcessor!.States;
  });

  it('is one Standard state machine with X-Ray, full logging without execution data, and a timeout', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WorkflowExecutionLogs'), 'Arn'] } } }],
      },
    });
    expect(definition.TimeoutSeconds).toBe(3600);
  });

  it('runs CheckSyncCoverage -> LoadSnapshot -> ComparePolicyTypes -> FinalizeRun, with FailRun -> CompareFailed aside', () => {
    const order: string[] = [];
    for (let name: string | undefined = definition.StartAt; name !== undefined; name = states[name]!.Next as string | undefined) {
      order.push(name);
    }
    expect(order).toEqual(['CheckSyncCoverage', 'LoadSnapshot', 'ComparePolicyTypes', 'FinalizeRun']);
    expect(states.FinalizeRun!.End).toBe(true);
    expect(Object.keys(states).sort()).toEqual([...order, 'CompareFailed', 'FailRun'].sort());
    expect(states.FailRun!.Next).toBe('CompareFailed');
    expect(states.CompareFailed).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });

  it('maps over the comparable types with runId, snapshotId and policyType per item, 4 at a time by default', () => {
    const map = states.ComparePolicyTypes!;
    expect(map).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.coverage.comparableTypes',
      ItemSelector: { 'runId.$': '$.runId', 'snapshotId.$': '$.snapshot.snapshotId', 'policyType.$': '$$.Map.Item.Value' },
      MaxConcurrency: 4,
      ResultPath: '$.compared',
    });
    expect(map.ItemProcessor!.StartAt).toBe('ComparePolicyType');
    expect(iteration.ComparePolicyType!.Next).toBe('UpsertFindings');
    expect(iteration.UpsertFindings!.End).toBe(true);
    expect(Object.keys(iteration).sort()).toEqual(['ComparePolicyType', 'PolicyTypeFailed', 'UpsertFindings']);
    expect(iteration.PolicyTypeFailed).toMatchObject({
      Type: 'Pass',
      End: true,
      Parameters: { 'runId.$': '$.runId', 'snapshotId.$': '$.snapshotId', 'policyType.$': '$.policyType', failed: true, 'error.$': '$.error' },
    });
  });

  it('takes MaxConcurrency from the stage configuration', () => {
    const tuned = baselineCompareAsl(synthesizeStacks({ stage: { mapMaxConcurrency: '8' } }).templates.app);
    expect(tuned.definition.States.ComparePolicyTypes!.MaxConcurrency).toBe(8);
  });

  it('invokes each function directly (payloadResponseOnly) and keeps state data at named result paths', () => {
    const resultPaths: Record<string, string | undefined> = {
      CheckSyncCoverage: '$.coverage',
      LoadSnapshot: '$.snapshot',
      ComparePolicyType: '$.compare',
      UpsertFindings: '$.upsert',
      FinalizeRun: undefined,
      FailRun: '$.failRun',
    };
    const all = { ...states, ...iteration };
    const shape = (name: string) => {
      const task = all[name]!;
      return { Type: task.Type, Resource: task.Resource, Parameters: task.Parameters, ResultPath: task.ResultPath, hasTimeout: Number(task.TimeoutSeconds) > 60 };
    };
    for (const [name, resultPath] of Object.entries(resultPaths)) {
      expect({ name, ...shape(name) }).toEqual({
        name,
        Type: 'Task',
        Resource: localFunctionArn(name),
        Parameters: undefined,
        ResultPath: resultPath,
        hasTimeout: true,
      });
    }
  });

  it('gives every task the one shared retry policy for transient errors', () => {
    const all = { ...states, ...iteration };
    const tasks = Object.entries(all).filter(([, s]) => s.Type === 'Task');
    expect(tasks.map(([n]) => n).sort()).toEqual([...TOP_LEVEL_TASKS, ...ITERATION_TASKS, 'FailRun'].sort());
    const shared = [
      { ErrorEquals: [...TRANSIENT_ERRORS], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 30, JitterStrategy: 'FULL' },
    ];
    expect(Object.fromEntries(tasks.map(([name, task]) => [name, task.Retry]))).toEqual(
      Object.fromEntries(tasks.map(([name]) => [name, shared])),
    );
    expect(TRANSIENT_ERRORS).toEqual(expect.arrayContaining(['TransientError', 'Lambda.TooManyRequestsException', 'Lambda.ServiceException', 'Sandbox.Timedout', 'Lambda.Unknown']));
  });

  it('catches everything into FailRun (error in $.error, runId kept) and per type into PolicyTypeFailed', () => {
    const catcher = (next: string) => [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: next }];
    const topLevel = [...TOP_LEVEL_TASKS, 'ComparePolicyTypes'];
    expect(Object.fromEntries(topLevel.map((n) => [n, states[n]!.Catch]))).toEqual(
      Object.fromEntries(topLevel.map((n) => [n, catcher('FailRun')])),
    );
    expect(Object.fromEntries(ITERATION_TASKS.map((n) => [n, iteration[n]!.Catch]))).toEqual(
      Object.fromEntries(ITERATION_TASKS.map((n) => [n, catcher('PolicyTypeFailed')])),
    );
    expect(states.FailRun!.Catch).toBeUndefined();
  });

  it('lets the state machine invoke the six workflow functions and nothing else', () => {
    const roleId = Object.keys(app.Resources).find((id) => constructIdOfLogicalId(id) === 'WorkflowBaselineCompareRole')!;
    const policies = Object.values(app.Resources).filter(
      (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]),
    );
    const invoked = policies
      .flatMap((p) => (p.Properties!.PolicyDocument as { Statement: Array<{ Action: unknown; Resource: unknown }> }).Statement)
      .filter((s) => ([] as unknown[]).concat(s.Action).includes('lambda:InvokeFunction'))
      .flatMap((s) => ([] as unknown[]).concat(s.Resource))
      .flatMap((r) => {
        const getAtt = (r as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
        return getAtt ? [constructIdOfLogicalId(getAtt[0])] : [];
      });
    expect([...new Set(invoked)].sort()).toEqual(['CheckSyncCoverage', 'ComparePolicyType', 'FailRun', 'FinalizeRun', 'LoadSnapshot', 'UpsertFindings']);
  });
});

describe('ASL extraction', () => {
  const machine = (definition: unknown[]): CfnTemplate => ({
    Resources: {
      LoadSnapshot0A1B2C3D: { Type: 'AWS::Lambda::Function' },
      Topic0A1B2C3D: { Type: 'AWS::SNS::Topic' },
      WorkflowBaselineCompare12345678: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: { DefinitionString: { 'Fn::Join': ['', definition] } },
      },
    },
  });

  it('resolves Fn::GetAtt tokens into placeholder ARNs that name the function and maps tasks to functions', () => {
    const asl = extractStateMachineAsl(
      machine(['{"StartAt":"Load","States":{"Load":{"Type":"Task","Resource":"', { 'Fn::GetAtt': ['LoadSnapshot0A1B2C3D', 'Arn'] }, '","End":true}}}']),
      'BaselineCompare',
    );
    expect(asl.logicalId).toBe('WorkflowBaselineCompare12345678');
    expect(asl.definition.States.Load!.Resource).toBe('arn:aws:lambda:local:000000000000:function:LoadSnapshot');
    expect(asl.taskFunctions).toEqual({ Load: 'LoadSnapshot' });
  });

  it('refuses tokens it cannot resolve instead of producing a broken document', () => {
    expect(() =>
      extractStateMachineAsl(machine(['{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"', { 'Fn::GetAtt': ['Topic0A1B2C3D', 'Arn'] }, '","End":true}}}']), 'BaselineCompare'),
    ).toThrow(AslExtractionError);
    expect(() => extractStateMachineAsl(machine(['{"x":"', { 'Fn::ImportValue': 'x' }, '"}']), 'BaselineCompare')).toThrow(/Unsupported token/);
  });

  it('strips only an 8-hex-digit suffix from a logical id', () => {
    expect(constructIdOfLogicalId('CheckSyncCoverage1A2B3C4D')).toBe('CheckSyncCoverage');
    expect(constructIdOfLogicalId('CheckSyncCoverage')).toBe('CheckSyncCoverage');
  });
});
