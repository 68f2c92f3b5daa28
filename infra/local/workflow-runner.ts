import type { StateMachine as LocalStateMachine } from 'aws-local-stepfunctions';
import { baselineCompareAsl, type StateMachineAsl } from './asl.js';

/**
 * Runs the synthesized `BaselineCompare` ASL in-process with aws-local-stepfunctions: every Task state
 * calls the handler of the function it names on AWS, passed in by the caller (keyed by function name:
 * `CheckSyncCoverage`, `ComparePolicyType`, ...). Retry, Catch, Map concurrency and Fail behave as on
 * AWS; a thrown error's `name` is the error type Retry/Catch match. Like Lambda, inputs and results
 * cross the boundary as JSON, and a state result over the 256 KB Step Functions limit fails the run.
 */

// aws-local-stepfunctions calls Promise.withResolvers (ES2024) on every Task; Node 20 lacks it.
installPromiseWithResolvers();

export function installPromiseWithResolvers(): void {
  const P = Promise as unknown as { withResolvers?: unknown };
  if (typeof P.withResolvers === 'function') return;
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

/** A function's handler as the runner calls it: the state input in, the state result out. */
export type TaskHandler = (event: unknown) => Promise<unknown>;

/** One entry of an execution's event log (the library's `EventLog`, which it does not export by name). */
export type WorkflowEvent =
  ReturnType<LocalStateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;
export type WorkflowStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface WorkflowRunResult {
  status: WorkflowStatus;
  /** The execution output (SUCCEEDED only). */
  output?: unknown;
  /** The error the execution failed with (FAILED only). Locally `Cause` is the error message. */
  error?: { Error: string; Cause: string };
  /** The execution's event log in order: ExecutionStarted, StateEntered, StateRetried, StateCaught, ... */
  events: WorkflowEvent[];
}

export interface RunBaselineCompareOptions {
  /** Handler per function name; every function the definition invokes must have one. */
  handlers: Record<string, TaskHandler>;
  /**
   * Milliseconds to wait before a retry instead of the definition's backoff: one number for every
   * state, or per state name (a number, or one number per retrier). Tests pass 0.
   */
  retryIntervalOverrides?: number | Record<string, number | number[]>;
  /** The definition to run (default: the BaselineCompare state machine synthesized in-process). */
  asl?: StateMachineAsl;
  /**
   * Milliseconds a function may run, by function name: a call still running then fails its Task with
   * `Sandbox.Timedout`, as Lambda ends an invocation at its timeout (its work may be half done and
   * the retry runs beside it). Unset (the default): a call runs to completion.
   */
  taskTimeouts?: Record<string, number>;
}

/** The error Lambda reports for an invocation it ended at the function's timeout. */
export const LAMBDA_TIMEOUT_ERROR = 'Sandbox.Timedout';

/** `work`, or a `Sandbox.Timedout` error if it has not settled within `ms`. */
function withinTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(Object.assign(new Error(`Task timed out after ${(ms / 1000).toFixed(2)} seconds`), { name: LAMBDA_TIMEOUT_ERROR }));
    }, ms);
  });
  return Promise.race([work, timedOut]).finally(() => clearTimeout(timer));
}

/** Step Functions' limit on a state's input or output (UTF-8 bytes). */
export const STATE_PAYLOAD_LIMIT_BYTES = 256 * 1024;

export class WorkflowConfigurationError extends Error {
  override readonly name = 'WorkflowConfigurationError';
}

let stateMachineClass: Promise<typeof LocalStateMachine> | undefined;
function loadStateMachineClass(): Promise<typeof LocalStateMachine> {
  stateMachineClass ??= import('aws-local-stepfunctions').then((m) => m.StateMachine);
  return stateMachineClass;
}

/** JSON round trip, as a Lambda payload makes it (undefined becomes null). */
function asJson(value: unknown): { json: string; value: unknown } {
  const json = JSON.stringify(value ?? null);
  return { json, value: JSON.parse(json) as unknown };
}

/** Error names as the state machine sees them: an `Error` keeps its `name`, anything else is `Error`. */
function asError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  const error = new Error(typeof thrown === 'string' ? thrown : JSON.stringify(thrown));
  return error;
}

/** The names of the states entered, in order (Map iterations included). */
export function statesEntered(events: readonly WorkflowEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'StateEntered' ? [e.state.name] : []));
}

/**
 * Runs one BaselineCompare execution with the given input (`{ runId }`) and returns how it ended.
 * Configuration mistakes (a handler missing for a function the definition calls) throw
 * `WorkflowConfigurationError` before anything runs.
 */
export async function runBaselineCompare(
  input: { runId: string } & Record<string, unknown>,
  options: RunBaselineCompareOptions,
): Promise<WorkflowRunResult> {
  const asl = options.asl ?? baselineCompareAsl();
  const missing = [...new Set(Object.values(asl.taskFunctions))].filter((fn) => !(fn in options.handlers));
  if (missing.length > 0) {
    throw new WorkflowConfigurationError(`No handler for function(s): ${missing.join(', ')}`);
  }

  let limitExceeded: { Error: string; Cause: string } | undefined;
  const control: { abort?: () => void } = {};
  const taskResourceLocalHandlers = Object.fromEntries(
    Object.entries(asl.taskFunctions).map(([stateName, functionName]) => {
      const handler = options.handlers[functionName]!;
      const timeoutMs = options.taskTimeouts?.[functionName];
      const local = async (stateInput: unknown): Promise<never> => {
        let result: unknown;
        try {
          const call = handler(asJson(stateInput).value);
          result = await (timeoutMs === undefined ? call : withinTimeout(call, timeoutMs));
        } catch (thrown) {
          throw asError(thrown);
        }
        const { json, value } = asJson(result);
        const bytes = Buffer.byteLength(json, 'utf8');
        if (bytes > STATE_PAYLOAD_LIMIT_BYTES) {
          // On AWS this error ends the execution: Catch (States.ALL) does not get it.
          limitExceeded = {
            Error: 'States.DataLimitExceeded',
            Cause: `The result of state '${stateName}' (${functionName}) is ${bytes} bytes, over the ${STATE_PAYLOAD_LIMIT_BYTES}-byte limit.`,
          };
          control.abort?.();
        }
        return value as never;
      };
      return [stateName, local];
    }),
  );

  let retryIntervalOverrides: Record<string, number | number[]> | undefined;
  if (typeof options.retryIntervalOverrides === 'number') {
    const ms = options.retryIntervalOverrides;
    retryIntervalOverrides = Object.fromEntries(Object.keys(asl.taskFunctions).map((s) => [s, ms]));
  } else {
    retryIntervalOverrides = options.retryIntervalOverrides;
  }

  const StateMachine = await loadStateMachineClass();
  const machine = new StateMachine(asl.definition as never, { validationOptions: { checkArn: false } });
  const execution = machine.run(asJson(input).value as never, {
    overrides: { taskResourceLocalHandlers, ...(retryIntervalOverrides ? { retryIntervalOverrides } : {}) },
    noThrowOnAbort: true,
  });
  control.abort = execution.abort;

  const events: WorkflowEvent[] = [];
  const collecting = (async () => {
    for await (const event of execution.eventLogs) events.push(event);
  })();

  let settled: { ok: true; output: unknown } | { ok: false; thrown: unknown };
  try {
    settled = { ok: true, output: await execution.result };
  } catch (thrown) {
    settled = { ok: false, thrown };
  }
  await collecting;

  if (limitExceeded) return { status: 'FAILED', error: limitExceeded, events };
  if (settled.ok) {
    const aborted = events.some((e) => e.type === 'ExecutionAborted');
    return aborted ? { status: 'ABORTED', events } : { status: 'SUCCEEDED', output: settled.output, events };
  }
  const thrown = settled.thrown as Error;
  if (thrown.name === 'ExecutionTimeoutError') return { status: 'TIMED_OUT', events };
  if (thrown.name === 'ExecutionError') {
    const cause = thrown.cause as { name?: string; message?: string; cause?: unknown } | undefined;
    return {
      status: 'FAILED',
      error: {
        Error: cause?.name ?? 'Error',
        Cause: typeof cause?.cause === 'string' ? cause.cause : (cause?.message ?? ''),
      },
      events,
    };
  }
  throw thrown;
}
