/**
 * The whole BaselineCompare workflow: the synthesized ASL run in-process on DynamoDB Local, each Task
 * calling the real handler, driven like `drift pipeline`.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocalStack, type HandlerWrapper, type LocalStack, type LocalStackOptions } from '../../infra/local/stack.js';
import { LAMBDA_TIMEOUT_ERROR, type WorkflowRunResult } from '../../infra/local/workflow-runner.js';
import { runPipeline, type PipelineOptions, type PipelineReport } from '../../cli/commands/pipeline.js';
import { runCompare } from '../../cli/commands/compare.js';

const FIXTURES = 'test/fixtures/exports';
const baseline = `${FIXTURES}/baseline`;
const drifted = `${FIXTURES}/drifted`;
const fixed = `${FIXTURES}/fixed`;
const SECRET_KEY = 'pipeline-test-secret-key-0123456789';

async function withStack<T>(fn: (stack: LocalStack) => Promise<T>, wrapHandler?: HandlerWrapper, more: Pick<LocalStackOptions, 'taskTimeouts'> = {}): Promise<T> {
  const stack = await startLocalStack({
    endpoint: inject('dynamoEndpoint'),
    prefix: `p${randomUUID().slice(0, 8)}-`,
    retryIntervalOverrides: 0,
    ...(wrapHandler ? { wrapHandler } : {}),
    ...more,
  });
  try {
    return await fn(stack);
  } finally {
    await stack.stop();
  }
}

/** The events the run wrote to the local sink, one JSON object per line. */
let lastEvents: { 'detail-type': string; detail: Record<string, unknown> }[] = [];

function pipeline(options: Omit<PipelineOptions, 'baseline' | 'secretKey'>, wrap?: HandlerWrapper): Promise<PipelineReport> {
  return withStack(async (stack) => {
    const report = await runPipeline({ baseline, secretKey: SECRET_KEY, ...options }, stack);
    lastEvents = existsSync(stack.eventsFile)
      ? readFileSync(stack.eventsFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))
      : [];
    return report;
  }, wrap);
}

describe('BaselineCompare on the local stack', () => {
  let lifecycle: PipelineReport;
  let events: typeof lastEvents;

  beforeAll(async () => {
    lifecycle = await pipeline({ current: [drifted, drifted, fixed, drifted] });
    events = lastEvents;
  }, 300_000);

  it('finds what the offline compare finds, with evidence down to the drifted property', async () => {
    const offline = await runCompare({ baseline, current: drifted, secretKey: SECRET_KEY });
    const round = lifecycle.rounds[0]!;
    expect(round.run.outcome).toBe('succeeded');
    const key = (f: { changeType: string; policyType: string; subjectKey: string }) => `${f.policyType}|${f.subjectKey}|${f.changeType}`;
    expect(round.findings.map(key).sort()).toEqual(offline.findings.map(key).sort());
    expect(round.findings.map((f) => f.changeType).sort()).toEqual(['different_version', 'missing_policy', 'unexpected_policy']);
    const changed = round.findings.find((f) => f.changeType === 'different_version')!;
    expect(changed.evidence.drifted_properties.map((p) => p.path)).toEqual([
      '/settings/device_vendor_msft_policy_config_defender_allowbehaviormonitoring/settingInstance/choiceSettingValue/value',
    ]);
    expect(changed.evidence.provenance.compare_operation_run_id).toBe(round.run.id);
    expect(round.run.summaryCounts).toMatchObject({ total: 3, processed: 3, failed: 0, errors_recorded: 0, findings_new: 3 });
  });

  it('counts a second identical round as seen, not new', () => {
    const [first, second] = lifecycle.rounds;
    expect(second!.findings.map((f) => f.fingerprint).sort()).toEqual(first!.findings.map((f) => f.fingerprint).sort());
    expect(second!.findings.every((f) => f.timesSeen === 2 && f.status === 'new')).toBe(true);
    expect(second!.run.summaryCounts).toMatchObject({ findings_new: 0, findings_seen: 3 });
  });

  it('resolves what is fixed and reopens what comes back', () => {
    const third = lifecycle.rounds[2]!;
    expect(third.findings.every((f) => f.status === 'resolved' && f.resolvedReason === 'no_longer_drifting')).toBe(true);
    expect(third.run.summaryCounts.findings_resolved).toBe(3);
    const fourth = lifecycle.rounds[3]!;
    expect(fourth.findings.map((f) => f.status)).toEqual(['reopened', 'reopened', 'reopened']);
    expect(fourth.run.summaryCounts.findings_reopened).toBe(3);
  });

  it('sends one compare-completed event per run to the local sink', () => {
    const completed = events.filter((e) => e['detail-type'] === 'Baseline Compare Completed');
    expect(completed.map((e) => e.detail.operationRunId)).toEqual(lifecycle.rounds.map((r) => r.run.id));
    expect(completed.map((e) => e.detail.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
  });

  it('sends one opened event per finding at or above the profile threshold, none within the cooldown', () => {
    const findingEvents = events.filter((e) => e['detail-type'].startsWith('Drift Finding'));
    const missing = lifecycle.rounds[0]!.findings.find((f) => f.changeType === 'missing_policy')!;
    // alertMinSeverity high: only the missing policy (high) alerts; it resolves in round 3 (a resolution
    // is its own transition, once per run), and its reopening in round 4 falls within the default 24 h
    // cooldown of the opened event.
    expect(findingEvents.map((e) => [e['detail-type'], e.detail.fingerprint, e.detail.operationRunId])).toEqual([
      ['Drift Finding Opened', missing.fingerprint, lifecycle.rounds[0]!.run.id],
      ['Drift Finding Resolved', missing.fingerprint, lifecycle.rounds[2]!.run.id],
    ]);
  });
});

describe('finding events through the workflow', () => {
  it('sends opened and reopened once each, even when UpsertFindings is retried after publishing', async () => {
    process.env.FINDING_EVENT_COOLDOWN_HOURS = '0';
    const retried = new Set<string>();
    const wrap: HandlerWrapper = (name, handler) => async (event) => {
      const result = await handler(event);
      const type = (event as { policyType?: string }).policyType;
      if (name === 'UpsertFindings' && type !== undefined && !retried.has(type)) {
        retried.add(type);
        throw Object.assign(new Error('simulated timeout after publishing'), { name: 'TransientError' });
      }
      return result;
    };
    let report: PipelineReport;
    try {
      report = await pipeline({ current: [drifted, fixed, drifted] }, wrap);
    } finally {
      delete process.env.FINDING_EVENT_COOLDOWN_HOURS;
    }
    expect(retried.size).toBe(3);
    const [first, second, third] = report.rounds;
    const missing = first!.findings.find((f) => f.changeType === 'missing_policy')!;
    expect(third!.findings.find((f) => f.fingerprint === missing.fingerprint)!.status).toBe('reopened');
    const findingEvents = lastEvents.filter((e) => e['detail-type'].startsWith('Drift Finding'));
    expect(findingEvents.map((e) => [e['detail-type'], e.detail.fingerprint, e.detail.operationRunId, e.detail.status])).toEqual([
      ['Drift Finding Opened', missing.fingerprint, first!.run.id, 'new'],
      ['Drift Finding Resolved', missing.fingerprint, second!.run.id, 'resolved'],
      ['Drift Finding Reopened', missing.fingerprint, third!.run.id, 'reopened'],
    ]);
    expect(findingEvents[2]!.detail.reopenReason).toBe('drift_returned');
  }, 240_000);
});

describe('the coverage gate in the workflow', () => {
  it('never compares a type whose sync failed: no findings, no resolutions, partially_succeeded', async () => {
    const report = await pipeline({ current: [drifted, fixed], failedTypes: ['settingsCatalogPolicy'] });
    const [first, second] = report.rounds;
    expect(first!.run.outcome).toBe('partially_succeeded');
    expect(first!.run.summaryCounts).toMatchObject({ total: 3, processed: 2, errors_recorded: 1 });
    expect(first!.findings.filter((f) => f.policyType === 'settingsCatalogPolicy')).toEqual([]);
    expect(first!.findings.map((f) => f.changeType)).toEqual(['unexpected_policy']);
    // Not succeeded: auto-resolve is gated, the unexpected policy stays open although it is gone.
    expect(second!.run.outcome).toBe('partially_succeeded');
    expect(second!.findings.map((f) => f.status)).toEqual(['new']);
  });

  it('records no findings at all without a completed sync (coverage unproven)', async () => {
    const report = await pipeline({ current: [drifted], noSync: true });
    const round = report.rounds[0]!;
    expect(round.run.outcome).toBe('partially_succeeded');
    expect(round.findings).toEqual([]);
    const ctx = round.run.context.baseline_compare as { coverage: { proof: boolean } };
    expect(ctx.coverage.proof).toBe(false);
    expect(round.run.summaryCounts.errors_recorded).toBe(3);
  });
});

describe('faults inside the workflow', () => {
  it('retries a transient error in ComparePolicyType and UpsertFindings without counting twice', async () => {
    const failedOnce = new Set<string>();
    const wrap: HandlerWrapper = (name, handler) => async (event) => {
      const type = (event as { policyType?: string }).policyType;
      if ((name === 'ComparePolicyType' || name === 'UpsertFindings') && type !== undefined) {
        const key = `${name}:${type}`;
        if (name === 'UpsertFindings') {
          // Fail after the writes: the retry must not apply the observations twice.
          const result = await handler(event);
          if (!failedOnce.has(key)) {
            failedOnce.add(key);
            throw Object.assign(new Error('simulated throttling after the writes'), { name: 'TransientError' });
          }
          return result;
        }
        if (!failedOnce.has(key)) {
          failedOnce.add(key);
          throw Object.assign(new Error('simulated throttling'), { name: 'TransientError' });
        }
      }
      return handler(event);
    };
    const faulted = await pipeline({ current: [drifted, drifted] }, wrap);
    expect(failedOnce.size).toBe(6);
    const clean = lifecycle();
    const summary = (r: PipelineReport) => r.rounds.map((x) => ({ outcome: x.run.outcome, counts: x.run.summaryCounts, findings: x.findings.map((f) => [f.subjectKey, f.changeType, f.status, f.timesSeen]) }));
    expect(summary(faulted)).toEqual(summary(await clean));
  });

  it('retries a task that timed out (its writes done) and one whose runtime died, and ends as a clean run does', async () => {
    // The first UpsertFindings call applies its writes and then never answers: the local runner ends
    // it at the function's timeout with Sandbox.Timedout, as Lambda does. The first ComparePolicyType
    // call dies as a runtime killed for memory does (Lambda.Unknown). Both must be retried.
    const calls = { UpsertFindings: 0, ComparePolicyType: 0 };
    const hang = new Promise<never>(() => undefined);
    const wrap: HandlerWrapper = (name, handler) => async (event) => {
      if (name === 'UpsertFindings' && ++calls.UpsertFindings === 1) {
        await handler(event);
        return hang;
      }
      if (name === 'ComparePolicyType' && ++calls.ComparePolicyType === 1) {
        throw Object.assign(new Error('RequestId: 7c1e Error: Runtime exited with error: signal: killed'), { name: 'Lambda.Unknown' });
      }
      return handler(event);
    };
    const executions: WorkflowRunResult[] = [];
    const faulted = await withStack(
      async (stack) => {
        const wait = stack.starter.wait.bind(stack.starter);
        stack.starter.wait = async (runId) => {
          const result = await wait(runId);
          executions.push(result);
          return result;
        };
        return runPipeline({ baseline, secretKey: SECRET_KEY, current: [drifted, drifted] }, stack);
      },
      wrap,
      { taskTimeouts: { UpsertFindings: 3_000 } },
    );

    const failures = executions[0]!.events.flatMap((e) => (e.type === 'StateFailed' ? [`${e.state.name}: ${e.Error}`] : []));
    expect(failures).toEqual(expect.arrayContaining([`ComparePolicyType: Lambda.Unknown`, `UpsertFindings: ${LAMBDA_TIMEOUT_ERROR}`]));
    const retried = executions[0]!.events.flatMap((e) => (e.type === 'StateRetried' ? [e.state.name] : []));
    expect(retried).toEqual(expect.arrayContaining(['ComparePolicyType', 'UpsertFindings']));
    const summary = (r: PipelineReport) => r.rounds.map((x) => ({ outcome: x.run.outcome, counts: x.run.summaryCounts, findings: x.findings.map((f) => [f.subjectKey, f.changeType, f.status, f.timesSeen]) }));
    expect(summary(faulted)).toEqual(summary(await lifecycle()));
  }, 300_000);

  it('ends a permanent error in FailRun: the run is failed with a failure summary', async () => {
    const wrap: HandlerWrapper = (name, handler) => (event) => {
      if (name === 'LoadSnapshot') return Promise.reject(Object.assign(new Error('the snapshot store is gone'), { name: 'SnapshotStoreGoneError' }));
      return handler(event);
    };
    const report = await pipeline({ current: [drifted] }, wrap);
    const run = report.rounds[0]!.run;
    expect(run.status).toBe('completed');
    expect(run.outcome).toBe('failed');
    expect(run.failureSummary).toEqual([{ code: 'snapshot_store_gone', message: 'the snapshot store is gone', count: 1 }]);
    expect(report.rounds[0]!.findings).toEqual([]);
  });
});

function lifecycle(): Promise<PipelineReport> {
  return pipeline({ current: [drifted, drifted] });
}

describe('fixtures', () => {
  it('keep the drifted compliance policy identical but for volatile fields and name spacing', () => {
    const b = JSON.parse(readFileSync(`${baseline}/deviceCompliancePolicies/win.json`, 'utf8'));
    const d = JSON.parse(readFileSync(`${drifted}/deviceCompliancePolicies/win.json`, 'utf8'));
    expect(d.osMinimumVersion).toBe(b.osMinimumVersion);
    expect(d.version).not.toBe(b.version);
  });
});

describe('BaselineCompare: content that is not all there is never aligned', () => {
  const shapes = 'test/fixtures/shapes';
  let report: PipelineReport;

  beforeAll(async () => {
    report = await withStack((stack) =>
      runPipeline({ baseline: `${shapes}/graph`, current: [`${shapes}/powershell`, `${shapes}/list-changed`], secretKey: SECRET_KEY }, stack),
    );
  }, 300_000);

  it('records an equal meta hash without content as a content_incomplete gap, counted aligned_meta, outside the outcome', () => {
    const round = report.rounds[0]!;
    expect(round.run.outcome).toBe('succeeded');
    expect(round.findings).toEqual([]);
    expect(round.run.summaryCounts).toMatchObject({ subjects: 3, aligned: 2, aligned_meta: 1, gaps: 1 });
    const context = round.run.context['baseline_compare'] as { gaps: Record<string, unknown>[] };
    expect(context.gaps).toEqual([
      {
        reason: 'content_incomplete',
        policy_type: 'settingsCatalogPolicy',
        subject_key: 'settingsCatalogPolicy:contoso - edge smartscreen',
        display_name: 'Contoso - Edge SmartScreen',
        baseline_count: 1,
        current_count: 1,
        incomplete_side: 'current',
        missing: ['settings'],
      },
    ]);
  });

  it('reports a difference in what the incomplete side still has as a finding at mixed fidelity, with its evidence', () => {
    const changed = report.rounds[1]!.findings.find((f) => f.policyType === 'settingsCatalogPolicy');
    expect(changed).toMatchObject({ changeType: 'different_version', status: 'new' });
    expect(changed!.evidence.drifted_properties).toEqual([{ path: '/description', kind: 'changed', baseline: 'SmartScreen on', current: 'SmartScreen off' }]);
    expect(changed!.evidence.current.fidelity).toBe('meta');
    expect(changed!.evidence.baseline.fidelity).toBe('content');
  });
});
