/**
 * The local stack: DynamoDB Local (in memory) with the tables of the synthesized data stack, the
 * synthesized BaselineCompare ASL run in-process with each Task calling the same handler as on AWS,
 * and a JSON-lines event sink. Only transports differ from AWS; no part of the workflow exists only here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { createTablesFromTemplate, localDynamoEnvironment, startDynamoDbLocal, synthesizeDataTemplate } from './dynamodb-local.js';
import { baselineCompareAsl, type StateMachineAsl } from './asl.js';
import { runBaselineCompare, type TaskHandler, type WorkflowRunResult } from './workflow-runner.js';
import { tableEnvironment, type TableNames } from '../../shared/adapters/dynamodb/table-specs.js';
import { FUNCTION_IDS } from '../stacks/app-stack.js';
import type { WorkflowStarter } from '../../shared/usecases/ports/workflow.js';

type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** The workflow's functions, loaded on first use (each import pulls in the AWS SDK). */
const TASK_MODULES: Record<string, () => Promise<{ handler: LambdaHandler }>> = {
  [FUNCTION_IDS.checkSyncCoverage]: () => import('../../functions/check-sync-coverage/handler.js') as Promise<{ handler: LambdaHandler }>,
  [FUNCTION_IDS.loadSnapshot]: () => import('../../functions/load-snapshot/handler.js') as Promise<{ handler: LambdaHandler }>,
  [FUNCTION_IDS.comparePolicyType]: () => import('../../functions/compare-policy-type/handler.js') as Promise<{ handler: LambdaHandler }>,
  [FUNCTION_IDS.upsertFindings]: () => import('../../functions/upsert-findings/handler.js') as Promise<{ handler: LambdaHandler }>,
  [FUNCTION_IDS.finalizeRun]: () => import('../../functions/finalize-run/handler.js') as Promise<{ handler: LambdaHandler }>,
  [FUNCTION_IDS.failRun]: () => import('../../functions/fail-run/handler.js') as Promise<{ handler: LambdaHandler }>,
};

/** A Lambda context good enough for Powertools and middy, for one in-process invocation. */
export function localContext(functionName: string): Context {
  const requestId = `local-${Math.random().toString(16).slice(2)}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 300_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Wraps a function's handler so the local runner calls it like Lambda would. */
export type HandlerWrapper = (functionName: string, handler: TaskHandler) => TaskHandler;

/** Handlers of every function the BaselineCompare definition invokes, keyed by function name. */
export async function workflowHandlers(wrap?: HandlerWrapper): Promise<Record<string, TaskHandler>> {
  const asl = baselineCompareAsl();
  const handlers: Record<string, TaskHandler> = {};
  for (const fnName of new Set(Object.values(asl.taskFunctions))) {
    const id = Object.keys(TASK_MODULES).find((k) => fnName === k || fnName.startsWith(k));
    if (id === undefined) throw new Error(`no local handler for workflow function ${fnName}`);
    const mod = await TASK_MODULES[id]!();
    const base: TaskHandler = (event) => mod.handler(event, localContext(id));
    handlers[fnName] = wrap ? wrap(id, base) : base;
  }
  return handlers;
}

export interface LocalStack {
  endpoint: string;
  tables: TableNames;
  eventsFile: string;
  /** Starts executions in-process; `wait(runId)` resolves when that execution ends. */
  starter: WorkflowStarter & { wait(runId: string): Promise<WorkflowRunResult>; pending(): number };
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  /** Table name prefix (default none). */
  prefix?: string;
  /** Where events go (default a temp file removed on stop). */
  eventsFile?: string;
  /** Wraps each task handler (fault injection in tests). */
  wrapHandler?: HandlerWrapper;
  retryIntervalOverrides?: number | Record<string, number | number[]>;
  /** Milliseconds each function may run, by function name (see `RunBaselineCompareOptions.taskTimeouts`). */
  taskTimeouts?: Record<string, number>;
  /** The state machine to run (default: BaselineCompare synthesized in-process). */
  asl?: StateMachineAsl;
  /** Use an already running DynamoDB Local instead of starting one. */
  endpoint?: string;
}

/** Sets this process up to talk to the local stack (configuration is read at call time everywhere). */
function applyEnvironment(vars: Record<string, string>): void {
  for (const [k, v] of Object.entries(vars)) process.env[k] = v;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const db = options.endpoint === undefined ? await startDynamoDbLocal() : undefined;
  const endpoint = options.endpoint ?? db!.endpoint;
  let tempDir: string | undefined;
  try {
    const tables = await createTablesFromTemplate(synthesizeDataTemplate('local'), { endpoint, ...(options.prefix ? { prefix: options.prefix } : {}) });
    let eventsFile = options.eventsFile;
    if (eventsFile === undefined) {
      tempDir = mkdtempSync(join(tmpdir(), 'drift-events-'));
      eventsFile = join(tempDir, 'events.jsonl');
    }
    applyEnvironment({
      ...localDynamoEnvironment(endpoint),
      ...tableEnvironment(tables),
      EVENT_SINK_FILE: eventsFile,
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT',
      POWERTOOLS_DEV: 'false',
      AWS_LAMBDA_LOG_LEVEL: process.env.AWS_LAMBDA_LOG_LEVEL ?? 'ERROR',
    });
    const handlers = await workflowHandlers(options.wrapHandler);
    const running = new Map<string, Promise<WorkflowRunResult>>();
    const names = new Set<string>();
    const starter: LocalStack['starter'] = {
      start(input, executionName) {
        // Execution names are unique per state machine, as on AWS.
        if (names.has(executionName)) {
          const err = new Error(`Execution already exists: ${executionName}`);
          err.name = 'ExecutionAlreadyExists';
          return Promise.reject(err);
        }
        names.add(executionName);
        running.set(
          input.runId,
          runBaselineCompare(input, {
            handlers,
            ...(options.retryIntervalOverrides !== undefined ? { retryIntervalOverrides: options.retryIntervalOverrides } : {}),
            ...(options.taskTimeouts !== undefined ? { taskTimeouts: options.taskTimeouts } : {}),
            ...(options.asl !== undefined ? { asl: options.asl } : {}),
          }),
        );
        return Promise.resolve();
      },
      wait(runId) {
        const p = running.get(runId);
        if (p === undefined) return Promise.reject(new Error(`no local execution for run ${runId}`));
        return p;
      },
      pending: () => running.size,
    };
    return {
      endpoint,
      tables,
      eventsFile,
      starter,
      async stop() {
        await Promise.allSettled(running.values());
        if (tempDir) rmSync(tempDir, { recursive: true, force: true });
        await db?.stop();
      },
    };
  } catch (err) {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    await db?.stop();
    throw err;
  }
}
