import { Duration, RemovalPolicy, Validations, type CfnElement } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { LogRetentionDays } from '../stage.js';

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
} as const;

/** Error names retried by every task: Lambda service errors, throttling, and the project's TransientError. */
export const TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.TooManyRequestsException',
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
}

export class BaselineCompareWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: BaselineCompareWorkflowProps) {
    super(scope, id);
    const fns = props.functions;

    const invoke = (stateName: string, fn: lambda.Function, resultPath?: string): tasks.LambdaInvoke => {
      const task = new tasks.LambdaInvoke(this, stateName, {
        stateName,
        lambdaFunction: fn,
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

    const comparePolicyTypes = new sfn.Map(this, STATE_NAMES.comparePolicyTypes, {
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
    comparePolicyTypes.itemProcessor(comparePolicyType.next(upsertFindings));
    comparePolicyTypes.addCatch(failRun, toFailRun);

    const finalizeRun = invoke(STATE_NAMES.finalizeRun, fns.finalizeRun);
    finalizeRun.addCatch(failRun, toFailRun);

    const definition = checkSyncCoverage.next(loadSnapshot).next(comparePolicyTypes).next(finalizeRun);

    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
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

    const role = this.stateMachine.role;
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Execution logging (logs:CreateLogDelivery and related) and X-Ray (xray:PutTraceSegments and related) support no resource-level permissions.',
    });
    for (const fn of Object.values(fns) as lambda.Function[]) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${fn.stack.getLogicalId(fn.node.defaultChild as CfnElement)}.Arn>:*]`,
        reason: 'lambda:InvokeFunction on the task\'s own function and its versions/aliases (granted by LambdaInvoke).',
      });
    }
  }
}
