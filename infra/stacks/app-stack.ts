import { fileURLToPath } from 'node:url';
import { Annotations, CfnOutput, Duration, Stack, Tags, Validations, type App, type CfnElement, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as events from 'aws-cdk-lib/aws-events';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type { Construct } from 'constructs';
import { AppFunction, type AppFunctionProps } from '../constructs/app-function.js';
import { BaselineCompareWorkflow } from '../constructs/baseline-compare-workflow.js';
import { Observability } from '../constructs/observability.js';
import type { DriftTables } from '../constructs/tables.js';
import type { StageConfig } from '../stage.js';
import { DataStack } from './data-stack.js';

/**
 * The stateless part of the product: functions, the BaselineCompare workflow, the dispatcher schedule,
 * event publishing, alarms and the dashboard. Tables come from the data stack.
 *
 * A function is given only the tables it uses, each through `useTable` (the `TABLE_<NAME>` variable
 * and exactly the access needed, in one call): a table a function has no variable for is one it may
 * not touch.
 */

/** Construct ids of the functions: the local runner names a function by its id. */
export const FUNCTION_IDS = {
  checkSyncCoverage: 'CheckSyncCoverage',
  loadSnapshot: 'LoadSnapshot',
  comparePolicyType: 'ComparePolicyType',
  upsertFindings: 'UpsertFindings',
  finalizeRun: 'FinalizeRun',
  failRun: 'FailRun',
  captureSnapshot: 'CaptureSnapshot',
  inventorySync: 'InventorySync',
  dispatcher: 'Dispatcher',
} as const;
export type FunctionKey = keyof typeof FUNCTION_IDS;

/** Handler folder (`functions/<folder>/handler.ts`) of each function. */
export const FUNCTION_FOLDERS: Record<FunctionKey, string> = {
  checkSyncCoverage: 'check-sync-coverage',
  loadSnapshot: 'load-snapshot',
  comparePolicyType: 'compare-policy-type',
  upsertFindings: 'upsert-findings',
  finalizeRun: 'finalize-run',
  failRun: 'fail-run',
  captureSnapshot: 'capture-snapshot',
  inventorySync: 'inventory-sync',
  dispatcher: 'dispatcher',
};

/** Absolute path of a function's handler module. */
export function handlerEntry(key: FunctionKey): string {
  return fileURLToPath(new URL(`../../functions/${FUNCTION_FOLDERS[key]}/handler.ts`, import.meta.url));
}

/** Construct ids of the two stacks (stack names add the stage). */
export const STACK_IDS = { data: 'BaselineDriftData', app: 'BaselineDriftApp' } as const;

/** Name of the account's default event bus, where the engine's events go. */
export const DEFAULT_EVENT_BUS_NAME = 'default';

export interface AppStackProps extends StackProps {
  readonly config: StageConfig;
  readonly tables: DriftTables;
}

export class AppStack extends Stack {
  readonly functions: Record<FunctionKey, AppFunction>;
  readonly workflow: BaselineCompareWorkflow;
  readonly observability: Observability;
  readonly compareSchedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: AppStackProps) {
    const { config, tables, ...stackProps } = props;
    super(scope, id, stackProps);

    const fn = (key: FunctionKey, description: string, extra: Partial<AppFunctionProps> = {}): AppFunction =>
      new AppFunction(this, FUNCTION_IDS[key], {
        entry: handlerEntry(key),
        description,
        logLevel: config.logLevel,
        logRetentionDays: config.logRetentionDays,
        retain: config.retain,
        ...extra,
        environment: { STAGE: config.stage, ...extra.environment },
      });
    const t = tables;
    const env = (name: Parameters<DriftTables['envVarName']>[0]) => tables.envVarName(name);

    const checkSyncCoverage = fn('checkSyncCoverage', 'Compare step 1: moves the run to running, resolves scope and coverage')
      .useTable(t.operationRuns, 'readWrite', env('operationRuns'))
      .useTable(t.baselines, 'read', env('baselines'));
    const loadSnapshot = fn('loadSnapshot', 'Compare step 2: loads the profile\'s active complete snapshot')
      .useTable(t.operationRuns, 'readWrite', env('operationRuns'))
      .useTable(t.baselines, 'read', env('baselines'));
    const comparePolicyType = fn('comparePolicyType', 'Compare step 3 (per policy type): compares snapshot items with the inventory', {
      timeout: Duration.minutes(5),
      memorySize: 2048,
    })
      .useTable(t.snapshotItems, 'read', env('snapshotItems'))
      .useTable(t.inventory, 'read', env('inventory'))
      .useTable(t.baselines, 'read', env('baselines'))
      .useTable(t.operationRuns, 'readWrite', env('operationRuns'));
    const upsertFindings = fn('upsertFindings', 'Compare step 4 (per policy type): applies the observations to findings', {
      timeout: Duration.minutes(5),
    })
      .useTable(t.findings, 'readWrite', env('findings'))
      .useTable(t.operationRuns, 'read', env('operationRuns'));
    const finalizeRun = fn('finalizeRun', 'Compare step 5: auto-resolve, counts, outcome, events; releases the run', {
      timeout: Duration.minutes(5),
    })
      .useTable(t.findings, 'readWrite', env('findings'))
      .useTable(t.operationRuns, 'readWrite', env('operationRuns'))
      .useTable(t.baselines, 'read', env('baselines'));
    const failRun = fn('failRun', 'Compare failure path: completes the run as failed and releases it').useTable(
      t.operationRuns,
      'readWrite',
      env('operationRuns'),
    );
    const captureSnapshot = fn('captureSnapshot', 'Captures an immutable baseline snapshot from a source tenant\'s inventory', {
      timeout: Duration.minutes(15),
      memorySize: 2048,
    })
      .useTable(t.baselines, 'readWrite', env('baselines'))
      .useTable(t.snapshotItems, 'readWrite', env('snapshotItems'))
      .useTable(t.inventory, 'read', env('inventory'))
      .useTable(t.operationRuns, 'readWrite', env('operationRuns'))
      .useTable(t.audit, 'write', env('audit'));
    const inventorySync = fn('inventorySync', 'Reads a tenant\'s policies from Microsoft Graph into the inventory', {
      timeout: Duration.minutes(15),
      memorySize: 2048,
    })
      .useTable(t.inventory, 'readWrite', env('inventory'))
      .useTable(t.operationRuns, 'readWrite', env('operationRuns'))
      .useTable(t.audit, 'write', env('audit'));
    const dispatcher = fn('dispatcher', 'Scheduled: starts one compare per active assignment', {
      timeout: Duration.minutes(5),
    })
      .useTable(t.baselines, 'read', env('baselines'))
      .useTable(t.operationRuns, 'readWrite', env('operationRuns'))
      .useTable(t.audit, 'write', env('audit'));

    // Events go to the account's default bus; only the functions that end a run publish.
    const defaultBus = events.EventBus.fromEventBusName(this, 'DefaultEventBus', DEFAULT_EVENT_BUS_NAME);
    finalizeRun.useEventBus(defaultBus, config.eventSource);
    failRun.useEventBus(defaultBus, config.eventSource);

    this.workflow = new BaselineCompareWorkflow(this, 'Workflow', {
      functions: { checkSyncCoverage, loadSnapshot, comparePolicyType, upsertFindings, finalizeRun, failRun },
      mapMaxConcurrency: config.mapMaxConcurrency,
      executionTimeout: Duration.minutes(config.executionTimeoutMinutes),
      logRetentionDays: config.logRetentionDays,
      retain: config.retain,
    });
    this.workflow.stateMachine.grantStartExecution(dispatcher);
    dispatcher.addEnvironment('STATE_MACHINE_ARN', this.workflow.stateMachine.stateMachineArn);

    const scheduleRole = new iam.Role(this, 'CompareScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: 'Lets EventBridge Scheduler invoke the compare dispatcher',
    });
    Validations.of(scheduleRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(dispatcher.node.defaultChild as CfnElement)}.Arn>:*]`,
      reason: 'lambda:InvokeFunction on the dispatcher and its versions/aliases (granted by the scheduler target).',
    });
    this.compareSchedule = new scheduler.Schedule(this, 'CompareSchedule', {
      description: `Starts the scheduled compares (stage ${config.stage})`,
      schedule: scheduler.ScheduleExpression.expression(config.schedule),
      enabled: config.scheduleEnabled,
      target: new schedulerTargets.LambdaInvoke(dispatcher, {
        input: scheduler.ScheduleTargetInput.fromObject({ trigger: 'schedule' }),
        role: scheduleRole,
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
      }),
    });

    this.functions = {
      checkSyncCoverage,
      loadSnapshot,
      comparePolicyType,
      upsertFindings,
      finalizeRun,
      failRun,
      captureSnapshot,
      inventorySync,
      dispatcher,
    };

    this.observability = new Observability(this, 'Observability', {
      stateMachine: this.workflow.stateMachine,
      functions: Object.fromEntries(
        (Object.keys(FUNCTION_IDS) as FunctionKey[]).map((k) => [FUNCTION_IDS[k], this.functions[k]]),
      ),
      stage: config.stage,
      retain: config.retain,
      ...(config.alarmEmail === undefined ? {} : { alarmEmail: config.alarmEmail }),
    });

    new CfnOutput(this, 'BaselineCompareStateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.observability.alarmTopic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.observability.dashboard.dashboardName });
  }
}

export interface BaselineDriftStacks {
  readonly data: DataStack;
  readonly app: AppStack;
}

/** Adds both stacks of one stage to an app (used by `infra/app.ts`, the local synth and the tests). */
export function addBaselineDriftStacks(app: App, config: StageConfig): BaselineDriftStacks {
  const data = new DataStack(app, STACK_IDS.data, {
    stackName: `${STACK_IDS.data}-${config.stage}`,
    description: `Baseline Drift Engine data (stage ${config.stage}): tables`,
    stage: config.stage,
    retain: config.retain,
  });
  const appStack = new AppStack(app, STACK_IDS.app, {
    stackName: `${STACK_IDS.app}-${config.stage}`,
    description: `Baseline Drift Engine app (stage ${config.stage}): functions, workflow, schedule, alarms`,
    config,
    tables: data.tables,
  });
  // The app stack reads the tables through CloudFormation exports: strong references, so the data stack
  // cannot drop (or replace) a table the app stack still uses.
  Annotations.of(appStack).acknowledgeWarning(
    '@aws-cdk/core:crossStackReferencesDefaultStrong',
    'Strong references are intended: tables must outlive the functions that use them.',
  );
  Tags.of(app).add('project', 'baseline-drift-engine');
  Tags.of(app).add('stage', config.stage);
  return { data, app: appStack };
}
