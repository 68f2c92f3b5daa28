import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { constructIdOfLogicalId, extractStateMachineAsl, localFunctionArn, type AslDefinition, type StateMachineAsl } from '../../infra/local/asl.js';
import { synthesizeStacks, type CfnTemplate } from '../../infra/local/synth.js';
import { installPromiseWithResolvers, runBaselineCompare, statesEntered, type TaskHandler } from '../../infra/local/workflow-runner.js';
import { logicalIdOf, resourcesOfType, statementsOfRole } from './helpers.js';

/**
 * The `standard-express-children` workflow type: a Standard parent per compare whose Map runs in one
 * synchronous Express child. Checked on the template, then executed in-process (parent and child ASL
 * as synthesized, with stub tasks) to prove the data flow: FinalizeRun receives what it receives in
 * the Standard form, and the parent's transitions do not grow with the number of types.
 */

installPromiseWithResolvers();

const PLACEHOLDER_STATE_MACHINE = 'arn:aws:states:local:000000000000:stateMachine:';

/** The parent's definition with its tokens resolved (function ARNs as the local runner names them). */
function parentDefinition(template: CfnTemplate, logicalId: string): AslDefinition {
  const join = (template.Resources[logicalId]!.Properties!.DefinitionString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  const text = join[1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const getAtt = (part as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
      if (getAtt) return localFunctionArn(constructIdOfLogicalId(getAtt[0]));
      const ref = (part as { Ref?: string }).Ref;
      if (ref === 'AWS::Partition') return 'aws';
      if (ref !== undefined && template.Resources[ref]?.Type === 'AWS::StepFunctions::StateMachine') {
        return `${PLACEHOLDER_STATE_MACHINE}${constructIdOfLogicalId(ref)}`;
      }
      throw new Error(`unexpected token ${JSON.stringify(part)}`);
    })
    .join(join[0]);
  return JSON.parse(text) as AslDefinition;
}

type Calls = Array<{ fn: string; input: Record<string, unknown> }>;

function stubHandlers(calls: Calls, comparableTypes: string[], failing: Set<string> = new Set()): Record<string, TaskHandler> {
  const record = (fn: string, result: (input: Record<string, unknown>) => unknown): TaskHandler =>
    async (event) => {
      const input = event as Record<string, unknown>;
      calls.push({ fn, input });
      return await Promise.resolve().then(() => result(input));
    };
  return {
    CheckSyncCoverage: record('CheckSyncCoverage', () => ({ comparableTypes })),
    LoadSnapshot: record('LoadSnapshot', () => ({ snapshotId: 'snap-1' })),
    ComparePolicyType: record('ComparePolicyType', (i) => {
      if (failing.has(i.policyType as string)) throw Object.assign(new Error(`cannot compare ${String(i.policyType)}`), { name: 'CompareError' });
      return { subjects: 3 };
    }),
    UpsertFindings: record('UpsertFindings', (i) => ({ policyType: i.policyType, findings_new: 1 })),
    FinalizeRun: record('FinalizeRun', (i) => ({ outcome: 'succeeded', types: (i.compared as unknown[]).length })),
    FailRun: record('FailRun', () => ({ failed: true })),
  };
}

describe('workflow type standard-express-children', () => {
  let app: CfnTemplate;
  let parentId: string;
  let childId: string;
  let parent: AslDefinition;
  let child: StateMachineAsl;

  beforeAll(() => {
    app = synthesizeStacks({ stage: { workflowType: 'standard-express-children' } }).templates.app;
    parentId = logicalIdOf(app, 'WorkflowBaselineCompare', 'AWS::StepFunctions::StateMachine');
    childId = logicalIdOf(app, 'WorkflowComparePolicyTypesExpress', 'AWS::StepFunctions::StateMachine');
    parent = parentDefinition(app, parentId);
    child = extractStateMachineAsl(app, 'ComparePolicyTypesExpress');
  });

  /** Runs the parent; its ComparePolicyTypes task runs the child as Step Functions' .sync:2 would. */
  async function runParent(handlers: Record<string, TaskHandler>): Promise<{ status: string; output?: unknown; entered: string[]; childInputs: unknown[] }> {
    const { StateMachine } = await import('aws-local-stepfunctions');
    const childInputs: unknown[] = [];
    const local: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [stateName, state] of Object.entries(parent.States)) {
      if (state.Type !== 'Task') continue;
      if (state.Resource?.endsWith(':states:::states:startExecution.sync:2')) {
        local[stateName] = async (input) => {
          const params = input as { StateMachineArn: string; Input: Record<string, unknown> };
          expect(params.StateMachineArn).toBe(`${PLACEHOLDER_STATE_MACHINE}WorkflowComparePolicyTypesExpress`);
          childInputs.push(params.Input);
          const run = await runBaselineCompare(params.Input as { runId: string }, { handlers, asl: child, retryIntervalOverrides: 0 });
          if (run.status !== 'SUCCEEDED') throw Object.assign(new Error('child failed'), { name: 'States.TaskFailed' });
          return { Output: run.output, Status: 'SUCCEEDED' };
        };
      } else {
        const fn = state.Resource!.slice(state.Resource!.lastIndexOf(':') + 1);
        local[stateName] = (input) => handlers[fn]!(JSON.parse(JSON.stringify(input)) as unknown);
      }
    }
    const machine = new StateMachine(parent as never, { validationOptions: { checkArn: false } });
    const execution = machine.run({ runId: 'run-1' }, {
      overrides: { taskResourceLocalHandlers: local as never, retryIntervalOverrides: Object.fromEntries(Object.keys(local).map((s) => [s, 0])) },
      context: { Execution: { Id: 'arn:aws:states:local:000000000000:execution:BaselineCompare:run-1' } },
    });
    const events: Array<{ type: string; state?: { name: string } }> = [];
    const collecting = (async () => {
      for await (const e of execution.eventLogs) events.push(e);
    })();
    let status = 'SUCCEEDED';
    let output: unknown;
    try {
      output = await execution.result;
    } catch (error) {
      status = 'FAILED';
      output = error;
    }
    await collecting;
    return { status, output, entered: statesEntered(events as never), childInputs };
  }

  it('synthesizes a Standard parent and an Express child with X-Ray, logs without execution data and a 5-minute limit', () => {
    const machines = resourcesOfType(app, 'AWS::StepFunctions::StateMachine');
    expect(Object.keys(machines).sort()).toEqual([childId, parentId].sort());
    expect(machines[parentId]).toMatchObject({ StateMachineType: 'STANDARD', TracingConfiguration: { Enabled: true } });
    expect(machines[childId]).toMatchObject({
      StateMachineType: 'EXPRESS',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logicalIdOf(app, 'WorkflowExpressExecutionLogs'), 'Arn'] } } }],
      },
    });
    expect(child.definition.TimeoutSeconds).toBe(300);
    expect(Object.keys(child.definition.States)).toEqual(['ComparePolicyTypesMap']);
    expect(Object.values(child.taskFunctions).sort()).toEqual(['ComparePolicyType', 'UpsertFindings']);
  });

  it('starts the child synchronously from the parent, associated with the parent execution, with the shared retry and a catch into FailRun', () => {
    const task = parent.States.ComparePolicyTypes!;
    expect(task).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::states:startExecution.sync:2',
      Parameters: {
        StateMachineArn: `${PLACEHOLDER_STATE_MACHINE}WorkflowComparePolicyTypesExpress`,
        Input: {
          'runId.$': '$.runId',
          'snapshotId.$': '$.snapshot.snapshotId',
          'comparableTypes.$': '$.coverage.comparableTypes',
          'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id',
        },
      },
      ResultSelector: { 'results.$': '$.Output' },
      ResultPath: '$.compared',
      Next: 'FinalizeRun',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'FailRun' }],
    });
    expect(task.Retry).toEqual(parent.States.LoadSnapshot!.Retry);
    expect(parent.States.FinalizeRun!.Parameters).toEqual({
      'runId.$': '$.runId',
      'coverage.$': '$.coverage',
      'snapshot.$': '$.snapshot',
      'compared.$': '$.compared.results',
    });
  });

  it('lets the parent start only the child and invoke only its own tasks; the child invokes only the per-type tasks', () => {
    const invoked = (roleConstructId: string) =>
      statementsOfRole(app, logicalIdOf(app, roleConstructId, 'AWS::IAM::Role'))
        .filter((s) => s.Action.includes('lambda:InvokeFunction'))
        .flatMap((s) => s.Resource)
        .flatMap((r) => {
          const getAtt = (r as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
          return getAtt ? [constructIdOfLogicalId(getAtt[0])] : [];
        });
    expect([...new Set(invoked('WorkflowBaselineCompareRole'))].sort()).toEqual(['CheckSyncCoverage', 'FailRun', 'FinalizeRun', 'LoadSnapshot']);
    expect([...new Set(invoked('WorkflowComparePolicyTypesExpressRole'))].sort()).toEqual(['ComparePolicyType', 'UpsertFindings']);
    const starts = statementsOfRole(app, logicalIdOf(app, 'WorkflowBaselineCompareRole', 'AWS::IAM::Role')).filter((s) =>
      s.Action.includes('states:StartExecution'),
    );
    expect(starts).toEqual([{ Effect: 'Allow', Action: ['states:StartExecution'], Resource: [{ Ref: childId }] }]);
    // Compare starters still start the parent.
    expect(JSON.stringify(Template.fromJSON(app).findResources('AWS::Lambda::Function'))).toContain(`"STATE_MACHINE_ARN":{"Ref":"${parentId}"}`);
  });

  it('hands FinalizeRun the per-type results in item order, with 4 parent states however many types', async () => {
    for (const types of [['deviceConfiguration'], ['deviceConfiguration', 'compliancePolicy', 'settingsCatalogPolicy', 'conditionalAccessPolicy', 'appProtectionPolicy']]) {
      const calls: Calls = [];
      const run = await runParent(stubHandlers(calls, types));
      expect({ status: run.status, error: run.status === 'FAILED' ? String(run.output) + String((run.output as Error).cause) : undefined }).toEqual({ status: 'SUCCEEDED', error: undefined });
      expect(run.entered).toEqual(['CheckSyncCoverage', 'LoadSnapshot', 'ComparePolicyTypes', 'FinalizeRun']);
      expect(run.childInputs).toEqual([
        expect.objectContaining({ runId: 'run-1', snapshotId: 'snap-1', comparableTypes: types }),
      ]);
      const finalize = calls.filter((c) => c.fn === 'FinalizeRun');
      expect(finalize).toHaveLength(1);
      expect(finalize[0]!.input).toEqual({
        runId: 'run-1',
        coverage: { comparableTypes: types },
        snapshot: { snapshotId: 'snap-1' },
        compared: types.map((policyType) => ({
          runId: 'run-1',
          snapshotId: 'snap-1',
          policyType,
          compare: { subjects: 3 },
          upsert: { policyType, findings_new: 1 },
        })),
      });
      expect(run.output).toEqual({ outcome: 'succeeded', types: types.length });
    }
  });

  it('records a failed policy type inside the child and lets the others go on', async () => {
    const calls: Calls = [];
    const run = await runParent(stubHandlers(calls, ['deviceConfiguration', 'compliancePolicy'], new Set(['compliancePolicy'])));
    expect(run.status).toBe('SUCCEEDED');
    const compared = calls.find((c) => c.fn === 'FinalizeRun')!.input.compared as Array<Record<string, unknown>>;
    expect(compared.map((c) => [c.policyType, c.failed ?? false])).toEqual([
      ['deviceConfiguration', false],
      ['compliancePolicy', true],
    ]);
    expect(compared[1]).toMatchObject({ error: { Error: 'CompareError' } });
  });
});
