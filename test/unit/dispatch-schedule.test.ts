/**
 * The dispatcher's pure parts and seams: schedule windows, execution names, the local scheduler's
 * expressions and timer, the sync-before-compare path, configuration, and the Step Functions starter.
 */
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OperationRunRepository, ProfileRepository } from '../../shared/usecases/ports/persistence.js';
import { stepFunctionsStarter } from '../../shared/adapters/stepfunctions/starter.js';
import type { BaselineProfile, BaselineTenantAssignment } from '../../shared/domain/model.js';
import { dispatchCompares, scheduledExecutionName, scheduleWindow, type DispatchDeps } from '../../shared/usecases/dispatch-compares.js';
import { nextFireTime, parseScheduleExpression, ScheduleExpressionError, startLocalScheduler } from '../../infra/local/scheduler.js';
import { dispatcherConfig, DispatcherConfigError } from '../../functions/dispatcher/handler.js';
import type { InventorySyncTrigger } from '../../shared/usecases/ports/workflow.js';
import { InvalidDispatchRequestError } from '../../shared/usecases/ports/errors.js';
import { profileRecord } from '../support/records.js';

describe('schedule windows and execution names', () => {
  it('rounds the scheduled time down to a multiple of the window (epoch based)', () => {
    expect(scheduleWindow('2026-11-27T03:00:00Z', 60)).toEqual({ start: new Date('2026-11-27T03:00:00Z'), end: new Date('2026-11-27T04:00:00Z') });
    expect(scheduleWindow('2026-11-27T03:59:59.999Z', 60).start).toEqual(new Date('2026-11-27T03:00:00Z'));
    expect(scheduleWindow('2026-11-27T03:07:10+01:00', 15).start).toEqual(new Date('2026-11-27T02:00:00Z'));
    expect(scheduleWindow('2026-11-27T10:00:00Z', 1440).start).toEqual(new Date('2026-11-27T00:00:00Z'));
  });

  it('refuses a time that is not a date and windows outside 1 minute .. 31 days', () => {
    expect(() => scheduleWindow('yesterday', 60)).toThrow(InvalidDispatchRequestError);
    for (const bad of [0, -5, 1.5, 44_641]) expect(() => scheduleWindow('2026-11-27T03:00:00Z', bad)).toThrow(InvalidDispatchRequestError);
  });

  it('names an execution deterministically per (tenant, profile, window), within Step Functions limits', () => {
    const w = new Date('2026-11-27T03:00:00Z');
    const name = scheduledExecutionName('tenant-a', 'profile-1', w);
    expect(name).toMatch(/^sched-20261127T0300Z-[0-9a-f]{40}$/);
    expect(name.length).toBeLessThanOrEqual(80);
    expect(scheduledExecutionName('tenant-a', 'profile-1', new Date(w))).toBe(name);
    const others = [
      scheduledExecutionName('tenant-b', 'profile-1', w),
      scheduledExecutionName('tenant-a', 'profile-2', w),
      scheduledExecutionName('tenant-a', 'profile-1', new Date('2026-11-27T04:00:00Z')),
      // No ambiguity from joining: ("a-b", "c") and ("a", "b-c") differ.
      scheduledExecutionName('a-b', 'c', w),
      scheduledExecutionName('a', 'b-c', w),
    ];
    expect(new Set([name, ...others]).size).toBe(6);
  });
});

describe('schedule expressions of the local scheduler', () => {
  const after = new Date('2026-11-27T01:00:00Z');
  it('reads AWS cron (6 fields, ?, L, #, day-of-week 1-7 = SUN-SAT) in UTC', () => {
    const next = (expr: string, from = after) => nextFireTime(parseScheduleExpression(expr), from)?.toISOString();
    expect(next('cron(0 3 * * ? *)')).toBe('2026-11-27T03:00:00.000Z');
    expect(next('cron(0 3 * * ? *)', new Date('2026-11-27T03:00:00Z'))).toBe('2026-11-28T03:00:00.000Z');
    expect(next('cron(0/15 * * * ? *)')).toBe('2026-11-27T01:15:00.000Z');
    expect(next('cron(0 9 ? * 2 *)')).toBe('2026-11-30T09:00:00.000Z'); // 2 = Monday
    expect(next('cron(0 9 ? * 2#1 *)')).toBe('2026-12-07T09:00:00.000Z'); // first Monday of December
    expect(next('cron(15 10 ? * 6L 2026-2030)')).toBe('2026-11-27T10:15:00.000Z'); // last Friday of November
    expect(next('cron(0 0 1 1 ? 2025)')).toBeUndefined();
  });

  it("reads cron in the stage's time zone, across a daylight saving change", () => {
    const berlin = parseScheduleExpression('cron(0 3 * * ? *)', 'Europe/Berlin');
    expect(nextFireTime(berlin, after)?.toISOString()).toBe('2026-11-27T02:00:00.000Z'); // CET = UTC+1
    expect(nextFireTime(berlin, new Date('2026-07-01T00:00:00Z'))?.toISOString()).toBe('2026-07-01T01:00:00.000Z'); // CEST
    // 2026-03-29 02:30 does not exist in Berlin: the 02:30 schedule of that day is skipped forward, never before `after`.
    const skipped = nextFireTime(parseScheduleExpression('cron(30 2 * * ? *)', 'Europe/Berlin'), new Date('2026-03-29T00:00:00Z'))!;
    expect(skipped.getTime()).toBeGreaterThan(new Date('2026-03-29T00:00:00Z').getTime());
  });

  it('reads rate() anchored at the start, and at() once', () => {
    const rate = parseScheduleExpression('rate(5 minutes)');
    expect(nextFireTime(rate, after, after)?.toISOString()).toBe('2026-11-27T01:05:00.000Z');
    expect(nextFireTime(rate, new Date('2026-11-27T01:07:00Z'), after)?.toISOString()).toBe('2026-11-27T01:10:00.000Z');
    expect(nextFireTime(parseScheduleExpression('rate(1 day)'), after, after)?.toISOString()).toBe('2026-11-28T01:00:00.000Z');
    const at = parseScheduleExpression('at(2026-12-01T09:00:00)', 'America/New_York');
    expect(nextFireTime(at, after)?.toISOString()).toBe('2026-12-01T14:00:00.000Z');
    expect(nextFireTime(at, new Date('2026-12-02T00:00:00Z'))).toBeUndefined();
  });

  it('refuses what EventBridge Scheduler refuses', () => {
    for (const bad of ['rate(1 minutes)', 'rate(5 minute)', 'rate(0 hours)', 'rate(5 weeks)', 'cron(0 3 * * * *)', 'cron(0 3 ? * ? *)', 'cron(0 3 * *)', 'at(2026-12-01)', 'daily']) {
      expect(() => parseScheduleExpression(bad)).toThrow(ScheduleExpressionError);
    }
    expect(() => parseScheduleExpression('rate(1 hour)', 'Mars/Olympus')).toThrow(ScheduleExpressionError);
  });
});

describe('startLocalScheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('triggers at each scheduled time, one trigger at a time, until stopped', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-27T01:00:30Z') });
    const fired: string[] = [];
    let release: () => void = () => undefined;
    const scheduler = startLocalScheduler({
      expression: 'cron(* * * * ? *)',
      now: () => new Date(),
      trigger: (at) => {
        fired.push(at.toISOString());
        return new Promise<void>((r) => (release = r));
      },
    });
    expect(scheduler.next()?.toISOString()).toBe('2026-11-27T01:01:00.000Z');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(fired).toEqual(['2026-11-27T01:01:00.000Z']);
    // The first trigger is still running: the next one waits for it.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fired).toEqual(['2026-11-27T01:01:00.000Z']);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(fired).toEqual(['2026-11-27T01:01:00.000Z', '2026-11-27T01:02:00.000Z']);
    release();
    scheduler.stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(fired).toHaveLength(2);
  });

  it('reports a failed trigger and keeps going', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-27T01:00:00Z') });
    const errors: unknown[] = [];
    let calls = 0;
    const scheduler = startLocalScheduler({
      expression: 'rate(1 minute)',
      now: () => new Date(),
      trigger: () => (++calls === 1 ? Promise.reject(new Error('DynamoDB Local is gone')) : Promise.resolve()),
      onError: (e) => errors.push(e),
    });
    await vi.advanceTimersByTimeAsync(120_000);
    scheduler.stop();
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
  });
});

// ------------------------------------------------------------------------------------------------
// the sync-before-compare path, on small fakes of the ports it touches
// ------------------------------------------------------------------------------------------------

const profile = (id: string, workspaceId = 'ws-1'): BaselineProfile => profileRecord(workspaceId, { id, name: id, status: 'active', createdBy: 'test' });

function fakeDeps(assignments: Record<string, string[] | Error>, sync?: InventorySyncTrigger): DispatchDeps {
  const profiles = {
    listAssignmentsByProfile: (profileId: string): Promise<BaselineTenantAssignment[]> => {
      const a = assignments[profileId];
      if (a instanceof Error) return Promise.reject(a);
      return Promise.resolve((a ?? []).map((tenantId) => ({ profileId, tenantId, workspaceId: 'ws-1', assignedAt: '', assignedBy: 'test' })));
    },
  } as unknown as ProfileRepository;
  const runs = {
    listByTenant: () => Promise.resolve({ items: [] }),
    findStale: () => Promise.resolve([]),
  } as unknown as OperationRunRepository;
  return {
    profiles,
    runs,
    activeProfiles: { listActiveProfiles: () => Promise.resolve(Object.keys(assignments).map((id) => profile(id))) },
    starter: { start: () => Promise.reject(new Error('no compare may start directly when syncing first')) },
    now: () => new Date('2026-11-27T03:00:05Z'),
    ...(sync ? { sync } : {}),
  };
}

describe('dispatchCompares with a sync before compare', () => {
  it('requests one sync per assignment, naming the compare the sync starts afterwards', async () => {
    const requests: Parameters<InventorySyncTrigger['requestSync']>[0][] = [];
    const sync: InventorySyncTrigger = { requestSync: (r) => (requests.push(r), Promise.resolve()) };
    const result = await dispatchCompares(fakeDeps({ 'p-1': ['t-1', 't-2'], 'p-2': ['t-1'] }, sync), {
      scheduledAt: '2026-11-27T03:00:00Z',
      windowMinutes: 60,
      syncBeforeCompare: true,
    });
    expect(result).toMatchObject({ assignments: 3, started: 3, syncRequested: 3, failed: 0 });
    expect(requests.map((r) => `${r.tenantId}/${r.thenCompare.profileId}`).sort()).toEqual(['t-1/p-1', 't-1/p-2', 't-2/p-1']);
    const w = new Date('2026-11-27T03:00:00Z');
    for (const r of requests) {
      expect(r).toMatchObject({ workspaceId: 'ws-1', initiator: 'system' });
      expect(r.thenCompare.executionName).toBe(scheduledExecutionName(r.tenantId, r.thenCompare.profileId, w));
    }
  });

  it('counts a refused sync request and a profile whose assignments cannot be read as failures; the round goes on', async () => {
    const sync: InventorySyncTrigger = {
      requestSync: (r) => (r.tenantId === 't-bad' ? Promise.reject(new Error('TooManyRequestsException: rate exceeded')) : Promise.resolve()),
    };
    const result = await dispatchCompares(fakeDeps({ 'p-1': ['t-bad', 't-ok'], 'p-2': new Error('ProvisionedThroughputExceededException') }, sync), {
      scheduledAt: '2026-11-27T03:00:00Z',
      windowMinutes: 60,
      syncBeforeCompare: true,
    });
    expect(result).toMatchObject({ assignments: 2, started: 1, failed: 2 });
    expect(result.results.filter((r) => r.status === 'failed').map((r) => r.error)).toEqual([
      expect.stringContaining('TooManyRequestsException'),
      expect.stringContaining('ProvisionedThroughputExceededException'),
    ]);
  });

  it('refuses a sync before compare when no sync is configured', async () => {
    await expect(
      dispatchCompares(fakeDeps({ 'p-1': ['t-1'] }), { scheduledAt: '2026-11-27T03:00:00Z', windowMinutes: 60, syncBeforeCompare: true }),
    ).rejects.toThrow(InvalidDispatchRequestError);
  });
});

describe('dispatcher configuration and the Step Functions starter', () => {
  it('reads the window and the sync switch from the environment, and refuses an incomplete one', () => {
    expect(dispatcherConfig({})).toMatchObject({ SCHEDULE_WINDOW_MINUTES: 60, SYNC_BEFORE_COMPARE: 'false' });
    expect(dispatcherConfig({ SCHEDULE_WINDOW_MINUTES: '15', SYNC_BEFORE_COMPARE: 'true', INVENTORY_SYNC_FUNCTION_NAME: 'sync' })).toMatchObject({
      SCHEDULE_WINDOW_MINUTES: 15,
      SYNC_BEFORE_COMPARE: 'true',
    });
    expect(() => dispatcherConfig({ SYNC_BEFORE_COMPARE: 'true' })).toThrow(DispatcherConfigError);
    expect(() => dispatcherConfig({ SCHEDULE_WINDOW_MINUTES: '0' })).toThrow(DispatcherConfigError);
    expect(() => dispatcherConfig({ SYNC_BEFORE_COMPARE: 'yes' })).toThrow(DispatcherConfigError);
  });

  it('starts an execution with the run id as input and the given name; a duplicate name keeps its error name', async () => {
    const sent: StartExecutionCommand[] = [];
    const sfn = { send: (c: StartExecutionCommand) => (sent.push(c), Promise.resolve({})) };
    await stepFunctionsStarter('arn:aws:states:eu-west-1:123456789012:stateMachine:BaselineCompare', sfn).start({ runId: 'r-1' }, 'sched-x');
    expect(sent[0]).toBeInstanceOf(StartExecutionCommand);
    expect(sent[0]!.input).toEqual({ stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:BaselineCompare', name: 'sched-x', input: '{"runId":"r-1"}' });

    const duplicate = Object.assign(new Error('Execution Already Exists'), { name: 'ExecutionAlreadyExists' });
    const refusing = { send: () => Promise.reject(duplicate) };
    await expect(stepFunctionsStarter('arn:x', refusing as never).start({ runId: 'r-2' }, 'sched-x')).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
  });
});
