/**
 * Faults on the BaselineCompare workflow of the local stack: a handler wrapper (pass it as
 * `startLocalStack({ wrapHandler })`) that runs every task invocation in a DynamoDB fault scope.
 *
 * - Runs with a plan get throttling/transient errors in a seeded share of their DynamoDB calls.
 * - With `kill`, the first invocation of every task (per policy type inside the Map) dies after a
 *   seeded number of its writes, chosen between 0 and the writes the same task made in a fault-free
 *   run of the same input (so that every point, "before any write" to "after the last write, before
 *   answering", is reachable). The invocation then fails as Lambda reports a lost invocation, and
 *   Step Functions retries it with the same input.
 * - Runs without a plan pass untouched, and their writes per task are measured.
 *
 * Decisions are seeded by (the plan's seed, task, attempt): give each run its own plan seed.
 */
import type { HandlerWrapper } from '../../../infra/local/stack.js';
import { addFaultStats, newFaultScope, newFaultStats, withFaultScope, type FaultKind, type FaultStats } from './dynamo-faults.js';
import { Random, seedOf } from './random.js';

/** How a killed invocation reaches Step Functions: an error the definition's Retry matches. */
export const DEFAULT_KILL_ERROR = 'Lambda.ServiceException';

export interface RunFaultPlan {
  seed: number;
  /** Share of DynamoDB call attempts that fail (0..1). */
  rate: number;
  kinds: readonly FaultKind[];
  /** Kill the first invocation of every task once. Needs the writes of a fault-free run. */
  kill?: { referenceWrites: ReadonlyMap<string, number>; errorName?: string; /** Tasks to kill (default all). */ only?: (task: string) => boolean; /** A fixed kill point instead of a seeded one. */ afterWrites?: number };
}

export interface KillRecord {
  runId: string;
  task: string;
  afterWrites: number;
  /** Writes the invocation had sent when it died. */
  wrote: number;
}

export class WorkflowFaults {
  /** Faults injected into runs with a plan. */
  readonly stats: FaultStats = newFaultStats();
  readonly kills: KillRecord[] = [];
  private readonly plans = new Map<string, RunFaultPlan>();
  private readonly attempts = new Map<string, number>();
  private readonly measured = new Map<string, Map<string, number>>();

  plan(runId: string, plan: RunFaultPlan): void {
    this.plans.set(runId, plan);
  }

  /** Writes per task (`Task` or `Task:policyType`) of a run's successful invocations. */
  writesOf(runId: string): ReadonlyMap<string, number> {
    return this.measured.get(runId) ?? new Map();
  }

  /** Forgets what was recorded for a run (keeps memory flat over many runs). */
  forget(runId: string): void {
    this.plans.delete(runId);
    this.measured.delete(runId);
    for (const key of [...this.attempts.keys()]) if (key.startsWith(`${runId}|`)) this.attempts.delete(key);
  }

  readonly wrap: HandlerWrapper = (name, handler) => async (event) => {
    const { runId, policyType } = (event ?? {}) as { runId?: unknown; policyType?: unknown };
    if (typeof runId !== 'string') return handler(event);
    const task = typeof policyType === 'string' ? `${name}:${policyType}` : name;
    const attemptKey = `${runId}|${task}`;
    const attempt = (this.attempts.get(attemptKey) ?? 0) + 1;
    this.attempts.set(attemptKey, attempt);

    const plan = this.plans.get(runId);
    const random = new Random(seedOf(plan?.seed ?? 0, task, attempt));
    let killAfterWrites: number | undefined;
    if (plan?.kill && attempt === 1 && (plan.kill.only?.(task) ?? true)) killAfterWrites = plan.kill.afterWrites ?? random.int(0, plan.kill.referenceWrites.get(task) ?? 0);
    const stats = newFaultStats();
    const scope = newFaultScope({
      rate: plan?.rate ?? 0,
      kinds: plan?.kinds ?? [],
      random,
      stats,
      ...(killAfterWrites !== undefined ? { killAfterWrites } : {}),
    });
    let result: unknown;
    let failure: { error: unknown } | undefined;
    try {
      result = await withFaultScope(scope, () => handler(event));
    } catch (error) {
      failure = { error };
    }
    if (plan !== undefined) addFaultStats(this.stats, stats);
    if (killAfterWrites !== undefined) {
      // Killed at its point, or (when it wrote no more than planned) right before answering.
      if (!scope.killed) this.stats.kills += 1;
      this.kills.push({ runId, task, afterWrites: killAfterWrites, wrote: scope.writes });
      const lost = new Error(`the invocation of ${task} was lost after ${scope.writes} write(s)`);
      lost.name = plan?.kill?.errorName ?? DEFAULT_KILL_ERROR;
      throw lost;
    }
    if (failure !== undefined) throw failure.error;
    let byTask = this.measured.get(runId);
    if (byTask === undefined) this.measured.set(runId, (byTask = new Map()));
    byTask.set(task, scope.writes);
    return result;
  };
}
