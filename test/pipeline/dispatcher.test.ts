/**
 * The scheduled dispatcher on the local stack (DynamoDB Local, the synthesized workflow run in-process):
 * one compare per assignment per schedule window, nothing new on a repeated trigger, again in the next
 * window; an active compare, a failing start and a duplicate execution name are counted, never fatal.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createDynamoRepositories, type Repositories } from '../../shared/adapters/dynamodb/index.js';
import type { OperationRun } from '../../shared/domain/model.js';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import { dispatchCompares, scheduledExecutionName, type DispatchDeps } from '../../shared/usecases/dispatch-compares.js';
import { startCompare } from '../../shared/usecases/start-compare.js';
import { FABRIKAM_TENANT_ID, NORTHWIND_TENANT_ID } from '../../infra/local/demo/data.js';
import { seedDemo, type DemoSeed } from '../../infra/local/demo/seed.js';
import { localDispatchDeps, localDispatcher } from '../../infra/local/scheduler.js';
import { startLocalStack, type LocalStack } from '../../infra/local/stack.js';
import type { WorkflowStarter } from '../../shared/usecases/ports/workflow.js';

const WINDOW_MINUTES = 60;
const TENANTS = [FABRIKAM_TENANT_ID, NORTHWIND_TENANT_ID].sort();

let stack: LocalStack;
let repos: Repositories;
let seed: DemoSeed;

beforeEach(async () => {
  stack = await startLocalStack({ endpoint: inject('dynamoEndpoint'), prefix: `d${randomUUID().slice(0, 8)}-`, retryIntervalOverrides: 0 });
  repos = createDynamoRepositories();
  const digester = createSecretDigester('dispatcher-test-secret-key-0123456789');
  seed = await seedDemo({ repos, digesterFor: () => Promise.resolve(digester), now: () => new Date() });
});

afterEach(async () => {
  await stack.stop();
});

/** A time in the current hour's window, `offsetSeconds` after its first minute (the workflow's clock is real: stay near now). */
function thisWindow(offsetSeconds = 0): { scheduledAt: string; windowStart: Date } {
  const start = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  return { scheduledAt: new Date(start + 60_000 + offsetSeconds * 1000).toISOString(), windowStart: new Date(start) };
}

async function compareRuns(tenantId: string): Promise<OperationRun[]> {
  return (await repos.runs.listByTenant(tenantId, { limit: 50, type: 'baseline_compare' })).items;
}

async function waitStarted(result: Awaited<ReturnType<typeof dispatchCompares>>): Promise<void> {
  for (const r of result.results) if (r.status === 'started' && r.runId) await stack.starter.wait(r.runId);
}

describe('dispatchCompares on the local stack', () => {
  it('starts one compare per assignment, named per (tenant, profile, window), and they complete', async () => {
    const { scheduledAt, windowStart } = thisWindow();
    const result = await dispatchCompares(localDispatchDeps(stack), { scheduledAt, windowMinutes: WINDOW_MINUTES });
    expect(result).toMatchObject({ assignments: 2, started: 2, alreadyActive: 0, alreadyStartedInWindow: 0, failed: 0, windowStart: windowStart.toISOString() });
    expect(result.results.map((r) => r.tenantId).sort()).toEqual(TENANTS);
    await waitStarted(result);
    for (const r of result.results) {
      expect(r.executionName).toBe(scheduledExecutionName(r.tenantId, seed.profileId, windowStart));
      const run = await repos.runs.get(r.runId!);
      expect(run).toMatchObject({ type: 'baseline_compare', status: 'completed', initiator: 'system' });
      expect(run!.context.dispatch).toMatchObject({ execution_name: r.executionName, window_start: windowStart.toISOString() });
    }
  });

  it('starts nothing on a second trigger in the same window, whether the first compares finished or not', async () => {
    const first = await dispatchCompares(localDispatchDeps(stack), { scheduledAt: thisWindow(0).scheduledAt, windowMinutes: WINDOW_MINUTES });
    expect(first.started).toBe(2);
    // While the executions may still run...
    const whileRunning = await dispatchCompares(localDispatchDeps(stack), { scheduledAt: thisWindow(5).scheduledAt, windowMinutes: WINDOW_MINUTES });
    expect(whileRunning).toMatchObject({ started: 0, alreadyStartedInWindow: 2, failed: 0 });
    await waitStarted(first);
    // ...and after they completed (the run lock is released: only the window check stops a new one).
    const after = await dispatchCompares(localDispatchDeps(stack), { scheduledAt: thisWindow(30).scheduledAt, windowMinutes: WINDOW_MINUTES });
    expect(after).toMatchObject({ assignments: 2, started: 0, alreadyStartedInWindow: 2, alreadyActive: 0, failed: 0 });
    expect(after.results.map((r) => r.runId).sort()).toEqual(first.results.map((r) => r.runId).sort());
    for (const t of TENANTS) expect(await compareRuns(t)).toHaveLength(1);
  });

  it('expires, in its round, an accepted deviation of a tenant whose scope no compare looks at: one event, one audit entry', async () => {
    const scopeKey = 'baseline_profile:retired-profile';
    const accepted = new Date(Date.now() - 3 * 86_400_000);
    const observedAt = new Date(accepted.getTime() - 3_600_000).toISOString();
    const fingerprint = 'd'.repeat(64);
    const subjectKey = 'deviceConfiguration:win - kiosk';
    await repos.findings.observe([
      {
        tenantId: FABRIKAM_TENANT_ID,
        scopeKey,
        fingerprint,
        recurrenceKey: fingerprint,
        changeType: 'unexpected_policy',
        policyType: 'deviceConfiguration',
        subjectKey,
        displayName: 'Win - Kiosk',
        severity: 'low',
        evidence: {
          change_type: 'unexpected_policy',
          policy_type: 'deviceConfiguration',
          subject_key: subjectKey,
          display_name: 'Win - Kiosk',
          baseline: { hash: null, fidelity: null, provenance: { snapshot_id: 'snap-old', captured_at: observedAt } },
          current: { hash: 'k'.repeat(64), fidelity: 'content', provenance: { inventory_sync_run_id: 'sync-old', observed_at: observedAt, external_id: 'x' } },
          drifted_properties: [],
          truncated: false,
          provenance: { baseline_profile_id: 'retired-profile', baseline_snapshot_id: 'snap-old', compare_operation_run_id: 'run-old', inventory_sync_run_id: 'sync-old' },
        },
        evidenceFidelity: 'content',
        runId: 'run-old',
        observedAt,
      },
    ]);
    await repos.findings.transition(FABRIKAM_TENANT_ID, fingerprint, {
      to: 'risk_accepted',
      reason: 'Kiosk pilot',
      actor: 'oscar@example.test',
      at: accepted.toISOString(),
      expiresAt: new Date(accepted.getTime() + 86_400_000).toISOString(),
    });

    const result = await dispatchCompares(localDispatchDeps(stack), { scheduledAt: thisWindow().scheduledAt, windowMinutes: WINDOW_MINUTES });
    expect(result.acceptancesExpired).toBe(1);
    await waitStarted(result);
    expect(await repos.findings.get(FABRIKAM_TENANT_ID, fingerprint)).toMatchObject({ status: 'reopened', reopenReason: 'acceptance_expired' });
    const events = readFileSync(stack.eventsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { 'detail-type': string; detail: { fingerprint?: string; reopenReason?: string } });
    expect(events.filter((e) => e.detail.fingerprint === fingerprint).map((e) => [e['detail-type'], e.detail.reopenReason])).toEqual([['Drift Finding Reopened', 'acceptance_expired']]);
    const audit = (await repos.audit.listByTenant(FABRIKAM_TENANT_ID, { limit: 100 })).items.filter((e) => e.action === 'finding.acceptance_expired');
    expect(audit.map((e) => [e.actor, e.details.fingerprint])).toEqual([['system', fingerprint]]);

    // The next trigger of the same window expires nothing more.
    const again = await dispatchCompares(localDispatchDeps(stack), { scheduledAt: thisWindow(30).scheduledAt, windowMinutes: WINDOW_MINUTES });
    expect(again.acceptancesExpired).toBe(0);
  });

  it('starts again in the next window', async () => {
    const first = await dispatchCompares(localDispatchDeps(stack), { scheduledAt: thisWindow().scheduledAt, windowMinutes: WINDOW_MINUTES });
    await waitStarted(first);
    const nextWindow = new Date(Date.parse(first.windowEnd) + 60_000).toISOString();
    const second = await dispatchCompares(localDispatchDeps(stack), { scheduledAt: nextWindow, windowMinutes: WINDOW_MINUTES });
    expect(second).toMatchObject({ started: 2, alreadyStartedInWindow: 0, failed: 0, windowStart: first.windowEnd });
    await waitStarted(second);
    for (const t of TENANTS) {
      const runs = await compareRuns(t);
      expect(runs).toHaveLength(2);
      expect(runs.every((r) => r.status === 'completed')).toBe(true);
    }
  });

  it('counts a compare already active for a tenant (started by a person) as alreadyActive', async () => {
    const parked: WorkflowStarter = { start: () => Promise.resolve() }; // the execution never runs: the run stays queued
    const manual = await startCompare(
      { runs: repos.runs, profiles: repos.profiles, starter: parked, now: () => new Date() },
      { tenantId: FABRIKAM_TENANT_ID, profileId: seed.profileId, initiator: 'user-42' },
    );
    expect(manual.started).toBe(true);
    const result = await dispatchCompares(localDispatchDeps(stack), { scheduledAt: thisWindow().scheduledAt, windowMinutes: WINDOW_MINUTES });
    expect(result).toMatchObject({ assignments: 2, started: 1, alreadyActive: 1, alreadyStartedInWindow: 0, failed: 0 });
    const active = result.results.find((r) => r.tenantId === FABRIKAM_TENANT_ID)!;
    expect(active).toMatchObject({ status: 'already_active', runId: manual.started ? manual.runId : '' });
    await waitStarted(result);
  });

  it('completes a dead compare (no sign of life past the stale timeout) before the round, so its tenant is compared again', async () => {
    const parked: WorkflowStarter = { start: () => Promise.resolve() };
    const threeHoursAgo = new Date(Date.now() - 3 * 3_600_000);
    const dead = await startCompare(
      { runs: repos.runs, profiles: repos.profiles, starter: parked, now: () => threeHoursAgo },
      { tenantId: NORTHWIND_TENANT_ID, profileId: seed.profileId, initiator: 'user-7' },
    );
    expect(dead.started).toBe(true);
    const result = await dispatchCompares(localDispatchDeps(stack), { scheduledAt: thisWindow().scheduledAt, windowMinutes: WINDOW_MINUTES });
    expect(result).toMatchObject({ staleRunsCompleted: 1, started: 2, alreadyActive: 0, failed: 0 });
    const swept = await repos.runs.get(dead.started ? dead.runId : '');
    expect(swept).toMatchObject({ status: 'completed', outcome: 'failed' });
    expect(swept!.failureSummary[0]?.code).toBe('stale_run');
    await waitStarted(result);
  });

  it('counts a failing start as failed and dispatches the other assignments', async () => {
    // The first start fails (as Step Functions might), the next ones go through.
    const failingRunIds = new Set<string>();
    const deps: DispatchDeps = {
      ...localDispatchDeps(stack),
      starter: {
        start: (input, name) => {
          if (failingRunIds.size > 0) return stack.starter.start(input, name);
          failingRunIds.add(input.runId);
          return Promise.reject(new Error('ServiceUnavailable: try later'));
        },
      },
    };
    const result = await dispatchCompares({ ...deps, concurrency: 1 }, { scheduledAt: thisWindow().scheduledAt, windowMinutes: WINDOW_MINUTES });
    expect(result).toMatchObject({ assignments: 2, started: 1, failed: 1, alreadyActive: 0, alreadyStartedInWindow: 0 });
    const failed = result.results.find((r) => r.status === 'failed')!;
    expect(failed.error).toMatch(/DispatchFailedError.*ServiceUnavailable/);
    const [failedRunId] = [...failingRunIds];
    const run = await repos.runs.get(failedRunId!);
    expect(run).toMatchObject({ status: 'completed', outcome: 'failed' });
    expect(run!.failureSummary[0]?.code).toBe('dispatch_failed');
    await waitStarted(result);
  });

  it('takes a duplicate execution name refused by the workflow as already started in the window, not as a failure', async () => {
    const duplicate = Object.assign(new Error('Execution already exists'), { name: 'ExecutionAlreadyExists' });
    const deps: DispatchDeps = { ...localDispatchDeps(stack), starter: { start: () => Promise.reject(duplicate) } };
    const result = await dispatchCompares(deps, { scheduledAt: thisWindow().scheduledAt, windowMinutes: WINDOW_MINUTES });
    expect(result).toMatchObject({ assignments: 2, started: 0, alreadyStartedInWindow: 2, failed: 0 });
  });

  it('runs as the dispatcher function (the scheduled event, configuration from the environment)', async () => {
    const previous = process.env.SCHEDULE_WINDOW_MINUTES;
    process.env.SCHEDULE_WINDOW_MINUTES = '15';
    try {
      const trigger = localDispatcher(stack);
      const at = new Date(Math.floor(Date.now() / 900_000) * 900_000 + 1000);
      const first = await trigger(at);
      expect(first).toMatchObject({ assignments: 2, started: 2, failed: 0, windowStart: new Date(Math.floor(at.getTime() / 900_000) * 900_000).toISOString() });
      const again = await trigger(new Date(at.getTime() + 60_000));
      expect(again).toMatchObject({ started: 0, alreadyStartedInWindow: 2 });
      for (const t of TENANTS) for (const run of await compareRuns(t)) await stack.starter.wait(run.id);
    } finally {
      if (previous === undefined) delete process.env.SCHEDULE_WINDOW_MINUTES;
      else process.env.SCHEDULE_WINDOW_MINUTES = previous;
    }
  });
});
