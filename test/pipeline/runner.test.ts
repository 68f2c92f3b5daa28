import { beforeAll, describe, expect, it } from 'vitest';
import { baselineCompareAsl, type StateMachineAsl } from '../../infra/local/asl.js';
import { synthesizeStacks } from '../../infra/local/synth.js';
import {
  runBaselineCompare,
  statesEntered,
  WorkflowConfigurationError,
  type TaskHandler,
  type WorkflowEvent,
} from '../../infra/local/workflow-runner.js';

/**
 * The REAL synthesized BaselineCompare ASL, run in-process with simple test handlers (one per function
 * name): order, Map concurrency, the state-transition budget, Retry and Catch.
 */

class TransientError extends Error {
  override readonly name = 'TransientError';
}
class NoCompleteSnapshotError extends Error {
  override readonly name = 'NoCompleteSnapshotError';
}
class CorruptSnapshotItemError extends Error {
  override readonly name = 'CorruptSnapshotItemError';
}

const TYPES = ['deviceConfiguration', 'compliancePolicy', 'settingsCatalogPolicy', 'conditionalAccessPolicy', 'powershellScript'];

interface Call {
  fn: string;
  input: Record<string, unknown>;
}

/** Handlers that record their calls and answer with ids and counts, as the real tasks do. */
function recordingHandlers(types: readonly string[], overrides: Partial<Record<string, TaskHandler>> = {}) {
  const calls: Call[] = [];
  const record =
    (fn: string, answer: (input: Record<string, unknown>) => unknown): TaskHandler =>
    async (event) => {
      const input = event as Record<string, unknown>;
      calls.push({ fn, input });
      const override = overrides[fn];
      if (override) return override(event);
      await Promise.resolve();
      return answer(input);
    };
  const handlers: Record<string, TaskHandler> = {
    CheckSyncCoverage: record('CheckSyncCoverage', (i) => ({ runId: i.runId, comparableTypes: [...types], total: types.length, uncovered: 0, proof: true })),
    LoadSnapshot: record('LoadSnapshot', (i) => ({ runId: i.runId, snapshotId: 'snap-1', capturedAt: '2026-01-01T00:00:00Z', itemCounts: {} })),
    ComparePolicyType: record('ComparePolicyType', (i) => ({ policyType: i.policyType, counts: { subjects: 2 }, gaps: [], fidelity: {}, observations: 1 })),
    UpsertFindings: record('UpsertFindings', (i) => ({ policyType: i.policyType, findings_new: 1, findings_seen: 0, findings_reopened: 0, already_applied: 0 })),
    FinalizeRun: record('FinalizeRun', (i) => ({ runId: i.runId, outcome: 'succeeded', summaryCounts: { processed: (i.compared as unknown[]).length } })),
    FailRun: record('FailRun', (i) => ({ runId: i.runId, outcome: 'failed', completed: true })),
  };
  return { handlers, calls, callsOf: (fn: string) => calls.filter((c) => c.fn === fn) };
}

const eventsOfType = <T extends WorkflowEvent['type']>(events: WorkflowEvent[], type: T) =>
  events.filter((e): e is Extract<WorkflowEvent, { type: T }> => e.type === type);

describe('BaselineCompare on the local runner', () => {
  let asl: StateMachineAsl;

  beforeAll(() => {
    asl = baselineCompareAsl();
  });

  it('runs coverage, snapshot, each type\'s compare then upsert, and finalize, in that order', async () => {
    const { handlers, calls, callsOf } = recordingHandlers(TYPES.slice(0, 3));
    const run = await runBaselineCompare({ runId: 'run-1' }, { handlers, asl });

    expect(run.status).toBe('SUCCEEDED');
    const order = calls.map((c) => c.fn);
    expect(order.slice(0, 2)).toEqual(['CheckSyncCoverage', 'LoadSnapshot']);
    expect(order.at(-1)).toBe('FinalizeRun');
    expect(order.filter((f) => f === 'ComparePolicyType')).toHaveLength(3);
    expect(order.filter((f) => f === 'UpsertFindings')).toHaveLength(3);
    for (const type of TYPES.slice(0, 3)) {
      const compareAt = calls.findIndex((c) => c.fn === 'ComparePolicyType' && c.input.policyType === type);
      const upsertAt = calls.findIndex((c) => c.fn === 'UpsertFindings' && c.input.policyType === type);
      expect(compareAt).toBeGreaterThan(1);
      expect(upsertAt).toBeGreaterThan(compareAt);
    }

    // What each task receives: ids and counts, at the documented paths.
    expect(callsOf('CheckSyncCoverage')[0]!.input).toEqual({ runId: 'run-1' });
    expect(Object.keys(callsOf('LoadSnapshot')[0]!.input).sort()).toEqual(['coverage', 'runId']);
    expect(callsOf('ComparePolicyType').map((c) => c.input).sort((a, b) => String(a.policyType).localeCompare(String(b.policyType)))).toEqual(
      TYPES.slice(0, 3)
        .sort()
        .map((policyType) => ({ runId: 'run-1', snapshotId: 'snap-1', policyType })),
    );
    expect(callsOf('UpsertFindings')[0]!.input).toMatchObject({ runId: 'run-1', snapshotId: 'snap-1', compare: { observations: 1 } });
    const finalize = callsOf('FinalizeRun')[0]!.input;
    expect(Object.keys(finalize).sort()).toEqual(['compared', 'coverage', 'runId', 'snapshot']);
    expect((finalize.compared as Array<{ policyType: string }>).map((c) => c.policyType)).toEqual(TYPES.slice(0, 3));
    expect(finalize.compared).toContainEqual(
      expect.objectContaining({ policyType: TYPES[0], compare: expect.objectContaining({ observations: 1 }), upsert: expect.objectContaining({ findings_new: 1 }) }),
    );
    expect(run.output).toEqual({ runId: 'run-1', outcome: 'succeeded', summaryCounts: { processed: 3 } });
    expect(callsOf('FailRun')).toEqual([]);
  });

  it('compares at most MaxConcurrency types at once (4 by default, or what the stage says)', async () => {
    const peakFor = async (definition: StateMachineAsl, types: string[]) => {
      let inFlight = 0;
      let peak = 0;
      const { handlers } = recordingHandlers(types, {
        ComparePolicyType: async (e) => {
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          await new Promise((r) => setTimeout(r, 15));
          return { policyType: (e as { policyType: string }).policyType, counts: {}, gaps: [], fidelity: {}, observations: 0 };
        },
        UpsertFindings: async (e) => {
          await new Promise((r) => setTimeout(r, 5));
          inFlight -= 1;
          return { policyType: (e as { policyType: string }).policyType, findings_new: 0, findings_seen: 0, findings_reopened: 0, already_applied: 0 };
        },
      });
      const run = await runBaselineCompare({ runId: 'run-c' }, { handlers, asl: definition });
      expect(run.status).toBe('SUCCEEDED');
      expect((run.output as { summaryCounts: { processed: number } }).summaryCounts.processed).toBe(types.length);
      return peak;
    };
    const twelve = Array.from({ length: 12 }, (_, i) => `${TYPES[i % TYPES.length]}-${i}`);
    expect(await peakFor(asl, twelve)).toBe(4);
    const narrow = baselineCompareAsl(synthesizeStacks({ stage: { mapMaxConcurrency: 2 } }).templates.app);
    expect(await peakFor(narrow, twelve)).toBe(2);
  });

  it.each([0, 1, 5, 23])('enters at most 5 + 2n states for n = %i comparable types', async (n) => {
    const types = Array.from({ length: n }, (_, i) => `type-${i}`);
    const { handlers } = recordingHandlers(types);
    const run = await runBaselineCompare({ runId: `run-${n}` }, { handlers, asl });
    expect(run.status).toBe('SUCCEEDED');
    const entered = statesEntered(run.events);
    expect(entered.length).toBeLessThanOrEqual(5 + 2 * n);
    expect(entered.length).toBe(4 + 2 * n);
    expect(eventsOfType(run.events, 'MapIterationStarted')).toHaveLength(n);
  });

  it('retries a TransientError thrown once by ComparePolicyType, and the run succeeds', async () => {
    let thrown = 0;
    const { handlers, callsOf } = recordingHandlers(TYPES.slice(0, 2), {
      ComparePolicyType: async (e) => {
        const { policyType } = e as { policyType: string };
        if (policyType === TYPES[1] && thrown === 0) {
          thrown += 1;
          throw new TransientError('DynamoDB throttled the query');
        }
        await Promise.resolve();
        return { policyType, counts: {}, gaps: [], fidelity: {}, observations: 0 };
      },
    });
    const run = await runBaselineCompare({ runId: 'run-t' }, { handlers, asl, retryIntervalOverrides: 0 });

    expect(run.status).toBe('SUCCEEDED');
    expect(callsOf('ComparePolicyType').filter((c) => c.input.policyType === TYPES[1])).toHaveLength(2);
    const retried = eventsOfType(run.events, 'StateRetried');
    expect(retried.map((e) => e.state.name)).toEqual(['ComparePolicyType']);
    expect(eventsOfType(run.events, 'StateCaught')).toEqual([]);
    const compared = (callsOf('FinalizeRun')[0]!.input.compared as Array<Record<string, unknown>>).find((c) => c.policyType === TYPES[1]);
    expect(compared).toMatchObject({ compare: { policyType: TYPES[1] }, upsert: { policyType: TYPES[1] } });
    expect(compared).not.toHaveProperty('failed');
  });

  it('gives up on a type after three retries, records it as failed, and finishes the others', async () => {
    const { handlers, callsOf } = recordingHandlers(TYPES.slice(0, 3), {
      ComparePolicyType: async (e) => {
        const { policyType } = e as { policyType: string };
        if (policyType === TYPES[2]) throw new TransientError('still throttled');
        await Promise.resolve();
        return { policyType, counts: {}, gaps: [], fidelity: {}, observations: 0 };
      },
    });
    const run = await runBaselineCompare({ runId: 'run-g' }, { handlers, asl, retryIntervalOverrides: 0 });

    expect(run.status).toBe('SUCCEEDED');
    expect(callsOf('ComparePolicyType').filter((c) => c.input.policyType === TYPES[2])).toHaveLength(4);
    const compared = callsOf('FinalizeRun')[0]!.input.compared as Array<Record<string, unknown>>;
    expect(compared[2]).toEqual({
      runId: 'run-g',
      snapshotId: 'snap-1',
      policyType: TYPES[2],
      failed: true,
      error: { Error: 'TransientError', Cause: 'still throttled' },
    });
    expect(compared.filter((c) => c.failed === true)).toHaveLength(1);
    expect(callsOf('UpsertFindings')).toHaveLength(2);
  });

  it('does not retry a permanent error of one type: that type is failed, the run still finalizes within budget', async () => {
    const { handlers, callsOf } = recordingHandlers(TYPES, {
      ComparePolicyType: async (e) => {
        const { policyType } = e as { policyType: string };
        if (policyType === TYPES[0]) throw new CorruptSnapshotItemError('item content does not parse');
        await Promise.resolve();
        return { policyType, counts: {}, gaps: [], fidelity: {}, observations: 0 };
      },
    });
    const run = await runBaselineCompare({ runId: 'run-p' }, { handlers, asl, retryIntervalOverrides: 0 });

    expect(run.status).toBe('SUCCEEDED');
    expect(callsOf('ComparePolicyType').filter((c) => c.input.policyType === TYPES[0])).toHaveLength(1);
    expect(eventsOfType(run.events, 'StateRetried')).toEqual([]);
    expect((callsOf('FinalizeRun')[0]!.input.compared as unknown[])[0]).toMatchObject({
      failed: true,
      error: { Error: 'CorruptSnapshotItemError', Cause: 'item content does not parse' },
    });
    expect(statesEntered(run.events).length).toBeLessThanOrEqual(5 + 2 * TYPES.length);
    expect(callsOf('FailRun')).toEqual([]);
  });

  it('ends a permanent LoadSnapshot error in FailRun with the runId and the error, and fails the execution', async () => {
    const { handlers, callsOf } = recordingHandlers(TYPES.slice(0, 2), {
      LoadSnapshot: async () => {
        await Promise.resolve();
        throw new NoCompleteSnapshotError('baseline profile p-1 has no active snapshot: capture one first');
      },
    });
    const run = await runBaselineCompare({ runId: 'run-f' }, { handlers, asl, retryIntervalOverrides: 0 });

    expect(run.status).toBe('FAILED');
    expect(run.error).toEqual({ Error: 'NoCompleteSnapshotError', Cause: 'baseline profile p-1 has no active snapshot: capture one first' });
    expect(callsOf('LoadSnapshot')).toHaveLength(1);
    expect(callsOf('FailRun')).toHaveLength(1);
    expect(callsOf('FailRun')[0]!.input).toMatchObject({
      runId: 'run-f',
      error: { Error: 'NoCompleteSnapshotError', Cause: 'baseline profile p-1 has no active snapshot: capture one first' },
    });
    expect(statesEntered(run.events)).toEqual(['CheckSyncCoverage', 'LoadSnapshot', 'FailRun', 'CompareFailed']);
    expect(callsOf('ComparePolicyType')).toEqual([]);
    expect(callsOf('FinalizeRun')).toEqual([]);
  });

  it('ends a FinalizeRun failure in FailRun too', async () => {
    const { handlers, callsOf } = recordingHandlers(TYPES.slice(0, 1), {
      FinalizeRun: () => Promise.reject(new Error('conditional write refused')),
    });
    const run = await runBaselineCompare({ runId: 'run-z' }, { handlers, asl, retryIntervalOverrides: 0 });

    expect(run.status).toBe('FAILED');
    expect(run.error).toEqual({ Error: 'Error', Cause: 'conditional write refused' });
    expect(callsOf('FailRun')[0]!.input).toMatchObject({ runId: 'run-z', error: { Error: 'Error' } });
  });

  it('fails the run without FailRun when a state result is over the 256 KB limit, as Step Functions does', async () => {
    const { handlers, callsOf } = recordingHandlers(TYPES.slice(0, 1), {
      LoadSnapshot: async () => {
        await Promise.resolve();
        return { snapshotId: 'snap-1', content: 'x'.repeat(300 * 1024) };
      },
    });
    const run = await runBaselineCompare({ runId: 'run-l' }, { handlers, asl });

    expect(run.status).toBe('FAILED');
    expect(run.error?.Error).toBe('States.DataLimitExceeded');
    expect(run.error?.Cause).toMatch(/LoadSnapshot/);
    expect(callsOf('FailRun')).toEqual([]);
  });

  it('refuses to start without a handler for every function the definition calls', async () => {
    const { handlers } = recordingHandlers([]);
    delete handlers.UpsertFindings;
    await expect(runBaselineCompare({ runId: 'run-x' }, { handlers, asl })).rejects.toThrow(WorkflowConfigurationError);
    await expect(runBaselineCompare({ runId: 'run-x' }, { handlers, asl })).rejects.toThrow(/UpsertFindings/);
  });
});
