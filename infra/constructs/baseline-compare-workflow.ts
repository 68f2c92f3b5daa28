import { Duration, RemovalPolicy, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { LogRetentionDays, WorkflowType } from '../stage.js';

/**
 * The `BaselineCompare` state machine (Standard):
 *
 *   CheckSyncCoverage -> LoadSnapshot -> ComparePolicyTypes (Map over the comparable types)
 *     { ComparePolicyType -> UpsertFindings } -> FinalizeRun
 *   any top-level failure -> FailRun -> CompareFailed (the execution ends FAILED)
 *   a failure inside one policy type's iteration -> PolicyTypeFailed (the other types go on)
 *
 * State data (ids and counts only, never policy content):
 * - execution input: `{ runId }`
 * - CheckSyncCoverage receives `{ runId }`; its result lands in `$.coverage` and must carry
 *   `comparableTypes: string[]` (the effective scope's covered policy types: the Map's items).
 * - LoadSnapshot receives `{ runId, coverage }`; its result lands in `$.snapshot` and must carry
 *   `snapshotId: string`.
 * - each Map iteration starts from `{ runId, snapshotId, policyType }`;
 *   ComparePolicyType receives it, its result lands in `$.compare`;
 *   UpsertFindings receives `{ runId, snapshotId, policyType, compare }`, its result lands in `$.upsert`.
 *   An iteration ends as `{ runId, snapshotId, policyType, compare, upsert }`, or, when one of its tasks
 *   failed after retries, as `{ runId, snapshotId, policyType, failed: true, error: { Error, Cause } }`.
 * - the Map's results (one per type, in item order) land in `$.compared`.
 * - FinalizeRun receives `{ runId, coverage, snapshot, compared }`; its result is the execution output.
 * - FailRun receives the state of the failed step plus `error: { Error, Cause }` (runId kept); the
 *   execution then fails with that error. (`Cause` is the error message locally and a JSON string
 *   `{ errorMessage, errorType, ... }` on AWS.)
 *
 * States entered by a successful execution over n types: 4 + 2n (at most 5 + 2n).
 *
 * Workflow type `standard-express-children` (a stage option, AWS only): the same steps, but the Map runs
 * in a child Express state machine `ComparePolicyTypesExpress` that the Standard parent starts
 * synchronously (`states:startExecution.sync:2`, associated with the parent execution) as its Task
 * `ComparePolicyTypes`. The parent keeps the run's bookkeeping visible in its history (CheckSyncCoverage,
 * LoadSnapshot, ComparePolicyTypes, FinalizeRun, FailRun): 4 Standard transitions per successful
 * compare, independent of the number of types. The child's 2n task transitions are billed as Express
 * (per request and duration) and logged to their own log group. Limits: a child runs at most
 * 5 minutes (Express); it is retried like any task and its tasks are idempotent per run. The child
 * receives `{ runId, snapshotId, comparableTypes }` and returns the Map's results; FinalizeRun receives
 * `{ runId, coverage, snapshot, compared }` as in the Standard form. The local runner executes the
 * Standard form only.
 */

/** State names (unique across the whole definition: the local runner keys task overrides by them). */
export const STATE_NAMES = {
  checkSyncCoverage: 'CheckSyncCoverage',
  loadSnapshot: 'LoadSnapshot',
  comparePolicyTypes: 'ComparePolicyTypes',
  comparePolicyType: 'ComparePolicyType',
  upsertFindings: 'UpsertFindings',
  policyTypeFailed: 'PolicyTypeFailed',
  finalizeRun: 'FinalizeRun',
  failRun: 'FailRun',
  compareFailed: 'CompareFailed',
  /** The Map inside the Express child (`standard-express-children` only). */
  comparePolicyTypesMap: 'ComparePolicyTypesMap',
} as const;

/** The longest an Express execution may run. */
export const EXPRESS_MAX_DURATION = Duration.minutes(5);

/**
 * Error names retried by every task: Lambda service errors, throttling, a task that timed out or whose
 * runtime died (out of memory, crash), and the project's TransientError. Every task is idempotent per
 * run (a retry after part of its writes ends in the same state), so retrying a dead task is safe.
 */
export const TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.TooManyRequestsException',
  'Sandbox.Timedout',
  'Lambda.Unknown',
  'TransientError',
] as const;

/** The shared retry policy of every task. */
export const TRANSIENT_RETRY: sfn.RetryProps = {
  errors: [...TRANSIENT_ERRORS],
  interval: Duration.seconds(2),
  maxAttempts: 3,
  backoffRate: 2,
  maxDelay: Duration.seconds(30),
  jitterStrategy: sfn.JitterType.FULL,
};

export interface BaselineCompareFunctions {
  readonly checkSyncCoverage: lambda.Function;
  readonly loadSnapshot: lambda.Function;
  readonly comparePolicyType: lambda.Function;
  readonly upsertFindings: lambda.Function;
  readonly finalizeRun: lambda.Function;
  readonly failRun: lambda.Function;
}

export interface BaselineCompareWorkflowProps {
  readonly functions: BaselineCompareFunctions;
  /** How many policy types run at once (the Map's MaxConcurrency). Default 4. */
  readonly mapMaxConcurrency?: number;
  /** An execution running longer than this is stopped (TIMED_OUT). Default 1 hour. */
  readonly executionTimeout?: Duration;
  readonly logRetentionDays: LogRetentionDays;
  /** Keep the execution log group when the stack is deleted. */
  readonly retain: boolean;
  /** `standard` (default) or `standard-express-children` (see above). */
  readonly workflowType?: WorkflowType;
}

export class BaselineCompareWorkflow extends Construct {
  /** The BaselineCompare state machine (Standard): what every compare starter starts. */
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  /** The Express child running the per-type Map (`standard-express-children` only). */
  readonly expressChild?: sfn.StateMachine;
  readonly expressLogGroup?: logs.LogGroup;

  constructor(scope: Construct, id: string, props: BaselineCompareWorkflowProps) {
    super(scope, id);
    const fns = props.functions;

    const invoke = (stateName: string, fn: lambda.Function, resultPath?: string, payload?: Record<string, unknown>): tasks.LambdaInvoke => {
      const task = new tasks.LambdaInvoke(this, stateName, {
        stateName,
        lambdaFunction: fn,
        ...(payload === undefined ? {} : { payload: sfn.TaskInput.fromObject(payload) }),
        payloadResponseOnly: true,
        // The shared retry below is the only one (the default would add its own service-error retry).
        retryOnServiceExceptions: false,
        // A safety net over the function's own timeout (a lost invocation must not hang the run).
        taskTimeout: sfn.Timeout.duration((fn.timeout ?? Duration.seconds(3)).plus(Duration.seconds(60))),
        ...(resultPath === undefined ? {} : { resultPath }),
      });
      task.addRetry(TRANSIENT_RETRY);
      return task;
    };

    const failRun = invoke(STATE_NAMES.failRun, fns.failRun, '$.failRun');
    const compareFailed = new sfn.Fail(this, STATE_NAMES.compareFailed, {
      stateName: STATE_NAMES.compareFailed,
      errorPath: '$.error.Error',
      causePath: '$.error.Cause',
    });
    failRun.next(compareFailed);
    const toFailRun = { errors: [sfn.Errors.ALL], resultPath: '$.error' };

    const checkSyncCoverage = invoke(STATE_NAMES.checkSyncCoverage, fns.checkSyncCoverage, '$.coverage');
    checkSyncCoverage.addCatch(failRun, toFailRun);
    const loadSnapshot = invoke(STATE_NAMES.loadSnapshot, fns.loadSnapshot, '$.snapshot');
    loadSnapshot.addCatch(failRun, toFailRun);

    const comparePolicyType = invoke(STATE_NAMES.comparePolicyType, fns.comparePolicyType, '$.compare');
    const upsertFindings = invoke(STATE_NAMES.upsertFindings, fns.upsertFindings, '$.upsert');
    const policyTypeFailed = new sfn.Pass(this, STATE_NAMES.policyTypeFailed, {
      stateName: STATE_NAMES.policyTypeFailed,
      comment: 'One policy type failed after retries: record it, let the other types go on.',
      parameters: {
        'runId.$': '$.runId',
        'snapshotId.$': '$.snapshotId',
        'policyType.$': '$.policyType',
        failed: true,
        'error.$': '$.error',
      },
    });
    const toPolicyTypeFailed = { errors: [sfn.Errors.ALL], resultPath: '$.error' };
    comparePolicyType.addCatch(policyTypeFailed, toPolicyTypeFailed);
    upsertFindings.addCatch(policyTypeFailed, toPolicyTypeFailed);

    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const expressChildren = props.workflowType === 'standard-express-children';

    let comparePolicyTypes: sfn.Map | tasks.StepFunctionsStartExecution;
    let finalizeRun: tasks.LambdaInvoke;
    if (!expressChildren) {
      const map = new sfn.Map(this, STATE_NAMES.comparePolicyTypes, {
        stateName: STATE_NAMES.comparePolicyTypes,
        itemsPath: '$.coverage.comparableTypes',
        itemSelector: {
          'runId.$': '$.runId',
          'snapshotId.$': '$.snapshot.snapshotId',
          'policyType.$': '$$.Map.Item.Value',
        },
        maxConcurrency: props.mapMaxConcurrency ?? 4,
        resultPath: '$.compared',
      });
      map.itemProcessor(comparePolicyType.next(upsertFindings));
      comparePolicyTypes = map;
      finalizeRun = invoke(STATE_NAMES.finalizeRun, fns.finalizeRun);
    } else {
      const map = new sfn.Map(this, STATE_NAMES.comparePolicyTypesMap, {
        stateName: STATE_NAMES.comparePolicyTypesMap,
        itemsPath: '$.comparableTypes',
        itemSelector: {
          'runId.$': '$.runId',
          'snapshotId.$': '$.snapshotId',
          'policyType.$': '$$.Map.Item.Value',
        },
        maxConcurrency: props.mapMaxConcurrency ?? 4,
      });
      map.itemProcessor(comparePolicyType.next(upsertFindings));
      const expressLogGroup = new logs.LogGroup(this, 'ExpressExecutionLogs', {
        retention: props.logRetentionDays as logs.RetentionDays,
        removalPolicy,
      });
      const child = new sfn.StateMachine(this, 'ComparePolicyTypesExpress', {
        comment: 'BaselineCompare child: compares each comparable policy type of one run (input: { runId, snapshotId, comparableTypes }).',
        stateMachineType: sfn.StateMachineType.EXPRESS,
        definitionBody: sfn.DefinitionBody.fromChainable(map),
        timeout: EXPRESS_MAX_DURATION,
        tracingEnabled: true,
        logs: { destination: expressLogGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
        removalPolicy,
      });
      acknowledgeExecutionRole(child, Object.values(fns) as lambda.Function[]);
      const start = new tasks.StepFunctionsStartExecution(this, STATE_NAMES.comparePolicyTypes, {
        stateName: STATE_NAMES.comparePolicyTypes,
        stateMachine: child,
        integrationPattern: sfn.IntegrationPattern.RUN_JOB,
        associateWithParent: true,
        input: sfn.TaskInput.fromObject({
          runId: sfn.JsonPath.stringAt('$.runId'),
          snapshotId: sfn.JsonPath.stringAt('$.snapshot.snapshotId'),
          comparableTypes: sfn.JsonPath.listAt('$.coverage.comparableTypes'),
        }),
        resultSelector: { 'results.$': '$.Output' },
        resultPath: '$.compared',
        taskTimeout: sfn.Timeout.duration(EXPRESS_MAX_DURATION.plus(Duration.seconds(60))),
      });
      start.addRetry(TRANSIENT_RETRY);
      comparePolicyTypes = start;
      finalizeRun = invoke(STATE_NAMES.finalizeRun, fns.finalizeRun, undefined, {
        runId: sfn.JsonPath.stringAt('$.runId'),
        coverage: sfn.JsonPath.objectAt('$.coverage'),
        snapshot: sfn.JsonPath.objectAt('$.snapshot'),
        compared: sfn.JsonPath.listAt('$.compared.results'),
      });
      this.expressChild = child;
      this.expressLogGroup = expressLogGroup;
    }
    comparePolicyTypes.addCatch(failRun, toFailRun);
    finalizeRun.addCatch(failRun, toFailRun);

    const definition = checkSyncCoverage.next(loadSnapshot).next(comparePolicyTypes).next(finalizeRun);

    this.logGroup = new logs.LogGroup(this, 'ExecutionLogs', {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy,
    });

    this.stateMachine = new sfn.StateMachine(this, 'BaselineCompare', {
      comment: 'Compares one tenant against its baseline profile\'s active snapshot (input: { "runId": string }).',
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: props.executionTimeout ?? Duration.hours(1),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      removalPolicy,
    });

    acknowledgeExecutionRole(this.stateMachine, Object.values(fns) as lambda.Function[]);
    if (this.expressChild !== undefined) {
      const child = this.expressChild;
      Validations.of(this.stateMachine.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"' +
          `${Stack.of(child).getLogicalId(child.node.defaultChild as CfnElement)}"}]}]}*]`,
        reason: 'states:DescribeExecution/StopExecution on the executions of the Express child only (granted by startExecution.sync).',
      });
    }
  }
}

/** The execution role's wildcard findings and why each is needed. */
function acknowledgeExecutionRole(stateMachine: sfn.StateMachine, fns: lambda.Function[]): void {
  const role = stateMachine.role;
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Execution logging (logs:CreateLogDelivery and related) and X-Ray (xray:PutTraceSegments and related) support no resource-level permissions.',
  });
  for (const fn of fns) {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${fn.stack.getLogicalId(fn.node.defaultChild as CfnElement)}.Arn>:*]`,
      reason: 'lambda:InvokeFunction on the task\'s own function and its versions/aliases (granted by LambdaInvoke).',
    });
  }
}
