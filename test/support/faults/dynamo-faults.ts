/**
 * DynamoDB fault injection for tests: an AWS SDK middleware, installed on a client only by tests, that
 * throws throttling and transient server errors into a seeded share of the calls made inside a fault
 * scope, and kills a scope (a simulated Lambda invocation) after a given number of writes.
 *
 * The middleware sits in the `deserialize` step, below the SDK's retry middleware: each attempt is
 * decided on its own and the SDK retries exactly as it would retry DynamoDB's own answers (throttling
 * with its longer backoff, 5xx as transient). What survives the SDK's retries reaches the handler.
 *
 * Calls outside a scope (seeding, assertions) pass untouched: scopes follow the async call chain
 * (AsyncLocalStorage), so concurrent invocations each see their own faults.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { InternalServerError, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import type { Random } from './random.js';

/**
 * - `throttle`: ProvisionedThroughputExceededException (400); the request never reached the table.
 * - `unavailable`: InternalServerError (500) before the request was applied.
 * - `lostResponse`: a write is applied, then its answer is lost as an InternalServerError (500): the
 *   SDK sends it again (DynamoDB documents that a 500 may or may not have been applied).
 */
export type FaultKind = 'throttle' | 'unavailable' | 'lostResponse';
export const FAULT_KINDS: readonly FaultKind[] = ['throttle', 'unavailable', 'lostResponse'];

export interface FaultStats {
  /** DynamoDB call attempts seen inside scopes. */
  calls: number;
  /** Faults injected (each one an attempt the SDK or a task had to retry). */
  injected: number;
  byKind: Record<FaultKind, number>;
  /** Invocations killed. */
  kills: number;
}

export function newFaultStats(): FaultStats {
  return { calls: 0, injected: 0, byKind: { throttle: 0, unavailable: 0, lostResponse: 0 }, kills: 0 };
}

export function addFaultStats(into: FaultStats, from: FaultStats): void {
  into.calls += from.calls;
  into.injected += from.injected;
  into.kills += from.kills;
  for (const k of FAULT_KINDS) into.byKind[k] += from.byKind[k];
}

/** The faults of one simulated invocation. */
export interface FaultScope {
  /** Share of call attempts that fail (0..1). */
  rate: number;
  kinds: readonly FaultKind[];
  random: Random;
  stats: FaultStats;
  /** Write attempts sent to DynamoDB in this scope so far. */
  writes: number;
  /** Die once this many writes were sent: the next write (and every later call) is refused. */
  killAfterWrites?: number;
  killed: boolean;
  /** Only these commands may fail (default every command). */
  commands?: ReadonlySet<string>;
}

export function newFaultScope(options: Pick<FaultScope, 'rate' | 'kinds' | 'random' | 'stats'> & Partial<Pick<FaultScope, 'killAfterWrites' | 'commands'>>): FaultScope {
  return { ...options, writes: 0, killed: false };
}

/** Raised inside a killed invocation: its process is gone, nothing more reaches DynamoDB. */
export class TaskKilledError extends Error {
  override readonly name = 'TaskKilledError';
}

const scopes = new AsyncLocalStorage<FaultScope>();

export function withFaultScope<T>(scope: FaultScope, fn: () => Promise<T>): Promise<T> {
  return scopes.run(scope, fn);
}

export function currentFaultScope(): FaultScope | undefined {
  return scopes.getStore();
}

export const WRITE_COMMANDS: ReadonlySet<string> = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);

function serviceError(kind: FaultKind, command: string): Error {
  const $metadata = { httpStatusCode: kind === 'throttle' ? 400 : 500, requestId: 'fault-injection' };
  if (kind === 'throttle') {
    return new ProvisionedThroughputExceededException({ message: `injected throttling of ${command}`, $metadata });
  }
  return new InternalServerError({ message: `injected ${kind === 'lostResponse' ? 'lost response' : 'server error'} of ${command}`, $metadata });
}

type Next = (args: unknown) => Promise<unknown>;
interface Stack {
  add(middleware: (next: Next, context: { commandName?: string }) => Next, options: { step: 'deserialize'; name: string; priority: 'high'; override: boolean }): void;
  remove(name: string): boolean;
}

const MIDDLEWARE_NAME = 'testFaultInjection';

/**
 * Installs the fault middleware on a client (a DynamoDBClient, or a DynamoDBDocumentClient, which
 * shares its client's stack). Returns the uninstall function. Installing twice replaces it.
 */
export function installDynamoFaults(client: { middlewareStack: unknown }): () => void {
  const stack = client.middlewareStack as Stack;
  stack.add(
    (next, context) => async (args) => {
      const scope = scopes.getStore();
      if (scope === undefined) return next(args);
      const command = context.commandName ?? 'unknown';
      const isWrite = WRITE_COMMANDS.has(command);
      scope.stats.calls += 1;
      if (scope.killed || (isWrite && scope.killAfterWrites !== undefined && scope.writes >= scope.killAfterWrites)) {
        if (!scope.killed) scope.stats.kills += 1;
        scope.killed = true;
        throw new TaskKilledError(`the invocation was killed after ${scope.writes} write(s)`);
      }
      const eligible = scope.commands === undefined || scope.commands.has(command);
      const kinds = isWrite ? scope.kinds : scope.kinds.filter((k) => k !== 'lostResponse');
      if (eligible && kinds.length > 0 && scope.rate > 0 && scope.random.chance(scope.rate)) {
        const kind = scope.random.pick(kinds);
        scope.stats.injected += 1;
        scope.stats.byKind[kind] += 1;
        if (kind === 'lostResponse') {
          scope.writes += 1;
          await next(args);
        }
        throw serviceError(kind, command);
      }
      if (isWrite) scope.writes += 1;
      return next(args);
    },
    { step: 'deserialize', name: MIDDLEWARE_NAME, priority: 'high', override: true },
  );
  return () => {
    stack.remove(MIDDLEWARE_NAME);
  };
}
