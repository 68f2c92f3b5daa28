import { fileURLToPath } from 'node:url';
import { Annotations, CfnOutput, Duration, Stack, Tags, type App, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { AppFunction, type AppFunctionProps } from '../constructs/app-function.js';
import { BaselineCompareWorkflow } from '../constructs/baseline-compare-workflow.js';
import { DriftHttpApi } from '../constructs/http-api.js';
import { Observability } from '../constructs/observability.js';
import { CompareSchedules } from '../constructs/schedules.js';
import { TenantSecretsAccess } from '../constructs/secrets.js';
import type { DriftTables } from '../constructs/tables.js';
import type { StageConfig } from '../stage.js';
import { DataStack } from './data-stack.js';

/**
 * The stateless part of the product: functions, the BaselineCompare workflow, the portal HTTP API, the
 * dispatcher schedule, tenant-credential access, event publishing, alarms and the dashboard. Tables
 * and the normalization master key come from the data stack.
 *
 * A function is given only what it uses, each through one call that sets its environment variable and
 * grants exactly the access needed: `useTable` (`TABLE_<NAME>`), `useSecret`, `useStateMachine`
 * (`STATE_MACHINE_ARN`), `useFunction` (`*_FUNCTION_NAME`), `useEventBus` (`EVENT_BUS_NAME`). A table
 * a function has no variable for is one it may not touch.
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
  api: 'Api',
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
  api: 'api',
};

/** Absolute path of a function's handler module. */
export function handlerEntry(key: FunctionKey): string {
  return fileURLToPath(new URL(`../../functions/${FUNCTION_FOLDERS[key]}/handler.ts`, import.meta.url));
}

/** Construct ids of the two stacks (stack names add the stage). */
export const STACK_IDS = { data: 'BaselineDriftData', app: 'BaselineDriftApp' } as const;

/** Name of the account's default event bus, where the engine's events go. */
export const DEFAULT_EVENT_BUS_NAME = 'default';

/** Environment variables (besides `TABLE_<NAME>`) the handlers read; the same names locally. */
export const ENV = {
  stateMachineArn: 'STATE_MACHINE_ARN',
  captureFunctionName: 'CAPTURE_FUNCTION_NAME',
  inventorySyncFunctionName: 'INVENTORY_SYNC_FUNCTION_NAME',
  syncBeforeCompare: 'SYNC_BEFORE_COMPARE',
  scheduleWindowMinutes: 'SCHEDULE_WINDOW_MINUTES',
  secretKeySecretArn: 'SECRET_KEY_SECRET_ARN',
  tenantSecretPrefix: 'TENANT_SECRET_PREFIX',
  tenantSecretsRoleArn: 'TENANT_SECRETS_ROLE_ARN',
  graphBaseUrl: 'GRAPH_BASE_URL',
  graphTokenUrlTemplate: 'GRAPH_TOKEN_URL_TEMPLATE',
  apiMaxBodyBytes: 'API_MAX_BODY_BYTES',
} as const;

export interface AppStackProps extends StackProps {
  readonly config: StageConfig;
  readonly tables: DriftTables;
  /** The normalization master key (data stack). */
  readonly normalizationKey: secretsmanager.ISecret;
}

export class AppStack extends Stack {
  readonly functions: Record<FunctionKey, AppFunction>;
  readonly workflow: BaselineCompareWorkflow;
  readonly observability: Observability;
  readonly api: DriftHttpApi;
  readonly schedules: CompareSchedules;
  readonly tenantSecrets: TenantSecretsAccess;

  /** The dispatcher's schedule (kept for earlier callers; `schedules` also has its role and DLQ). */
  get compareSchedule(): CompareSchedules['schedule'] {
    return this.schedules.schedule;
  }

  constructor(scope: Construct, id: string, props: AppStackProps) {
    const { config, tables, normalizationKey, ...stackProps } = props;
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
      // The staged observations live with the runs; the stage records when its finding events went out.
      .useTable(t.operationRuns, 'readWrite', env('operationRuns'))
      // Every automatic reopen (drift returned, an acceptance ended) is audited.
      .useTable(t.audit, 'write', env('audit'));
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
      environment: {
        [ENV.tenantSecretPrefix]: config.tenantSecretPrefix,
        [ENV.graphBaseUrl]: config.graphBaseUrl,
        [ENV.graphTokenUrlTemplate]: config.graphTokenUrlTemplate,
      },
    })
      .useTable(t.inventory, 'readWrite', env('inventory'))
      .useTable(t.operationRuns, 'readWrite', env('operationRuns'))
      // thenCompare: starting a compare reads the profile and its assignment.
      .useTable(t.baselines, 'read', env('baselines'))
      .useTable(t.audit, 'write', env('audit'));
    const dispatcher = fn('dispatcher', 'Scheduled: starts one compare per active assignment', {
      timeout: Duration.minutes(5),
      environment: {
        [ENV.scheduleWindowMinutes]: String(config.scheduleWindowMinutes),
        [ENV.syncBeforeCompare]: String(config.syncBeforeCompare),
      },
    })
      .useTable(t.baselines, 'read', env('baselines'))
      .useTable(t.operationRuns, 'readWrite', env('operationRuns'))
      // The expiry sweep of accepted deviations reopens findings and audits each expiry.
      .useTable(t.findings, 'readWrite', env('findings'))
      .useTable(t.audit, 'write', env('audit'));
    const api = fn('api', 'The portal HTTP API (behind API Gateway and its JWT authorizer)', {
      // API Gateway waits at most 30 seconds for an integration.
      timeout: Duration.seconds(29),
      // The function's own body limit (413 problem above it), far below API Gateway's 10 MB.
      environment: { [ENV.apiMaxBodyBytes]: String(config.apiMaxBodyBytes) },
    })
      .useTable(t.baselines, 'readWrite', env('baselines'))
      .useTable(t.snapshotItems, 'read', env('snapshotItems'))
      .useTable(t.inventory, 'readWrite', env('inventory'))
      .useTable(t.operationRuns, 'readWrite', env('operationRuns'))
      .useTable(t.findings, 'readWrite', env('findings'))
      .useTable(t.audit, 'readWrite', env('audit'));

    // Events go to the account's default bus: finding opened/reopened (UpsertFindings), compare
    // completed/failed (FinalizeRun, FailRun), the API's, and the reopens of expired acceptances (Dispatcher).
    const defaultBus = events.EventBus.fromEventBusName(this, 'DefaultEventBus', DEFAULT_EVENT_BUS_NAME);
    upsertFindings.useEventBus(defaultBus, config.eventSource);
    finalizeRun.useEventBus(defaultBus, config.eventSource);
    failRun.useEventBus(defaultBus, config.eventSource);
    api.useEventBus(defaultBus, config.eventSource);
    dispatcher.useEventBus(defaultBus, config.eventSource);

    // The functions that normalize Graph objects digest secret values with keys derived from the
    // master key; nothing else may read it.
    for (const normalizer of [api, captureSnapshot, inventorySync]) normalizer.useSecret(normalizationKey, ENV.secretKeySecretArn);

    this.workflow = new BaselineCompareWorkflow(this, 'Workflow', {
      functions: { checkSyncCoverage, loadSnapshot, comparePolicyType, upsertFindings, finalizeRun, failRun },
      mapMaxConcurrency: config.mapMaxConcurrency,
      executionTimeout: Duration.minutes(config.executionTimeoutMinutes),
      logRetentionDays: config.logRetentionDays,
      retain: config.retain,
      workflowType: config.workflowType,
    });
    // Every compare starter: the API, the dispatcher, and the sync (its thenCompare).
    for (const starter of [api, dispatcher, inventorySync]) starter.useStateMachine(this.workflow.stateMachine, ENV.stateMachineArn);
    // The API starts a capture by invoking CaptureSnapshot asynchronously.
    api.useFunction(captureSnapshot, ENV.captureFunctionName);
    // The dispatcher runs a sync before each compare only when the stage asks for it.
    if (config.syncBeforeCompare) dispatcher.useFunction(inventorySync, ENV.inventorySyncFunctionName);
    // Asynchronous invokes (the API's captures, the dispatcher's syncs): one that fails for good lands
    // in a queue with an alarm, so a lost capture or sync is seen.
    const asyncFailures = {
      CaptureSnapshotAsyncFailures: captureSnapshot.sendAsyncFailuresToQueue(),
      InventorySyncAsyncFailures: inventorySync.sendAsyncFailuresToQueue(),
    };

    this.tenantSecrets = new TenantSecretsAccess(this, 'TenantSecrets', {
      secretPrefix: config.tenantSecretPrefix,
      consumer: inventorySync.functionRole,
    });
    inventorySync.addEnvironment(ENV.tenantSecretsRoleArn, this.tenantSecrets.readerRole.roleArn);

    this.schedules = new CompareSchedules(this, 'CompareSchedule', {
      dispatcher,
      expression: config.schedule,
      timeZone: config.scheduleTimezone,
      enabled: config.scheduleEnabled,
      stage: config.stage,
    });

    this.api = new DriftHttpApi(this, 'HttpApi', {
      handler: api,
      jwtIssuer: config.jwtIssuer,
      jwtAudience: config.jwtAudience,
      throttle: { rateLimit: config.apiThrottleRateLimit, burstLimit: config.apiThrottleBurstLimit },
      corsOrigins: config.apiCorsOrigins,
      logRetentionDays: config.logRetentionDays,
      retain: config.retain,
      stage: config.stage,
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
      api,
    };

    this.observability = new Observability(this, 'Observability', {
      stateMachine: this.workflow.stateMachine,
      functions: Object.fromEntries(
        (Object.keys(FUNCTION_IDS) as FunctionKey[]).map((k) => [FUNCTION_IDS[k], this.functions[k]]),
      ),
      stage: config.stage,
      retain: config.retain,
      deadLetterQueues: { CompareSchedule: this.schedules.deadLetterQueue, ...asyncFailures },
      httpApi: this.api.httpApi,
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
    description: `Baseline Drift Engine app (stage ${config.stage}): functions, workflow, API, schedule, alarms`,
    config,
    tables: data.tables,
    normalizationKey: data.normalizationKey.secret,
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
