/**
 * The fault scenarios of `npm run chaos`, smaller: the fault middleware itself on DynamoDB Local,
 * then seeded compares under throttling, transient errors, lost responses and task kills, each equal
 * to a fault-free run of the same inputs.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { LOCAL_REGION } from '../../infra/local/dynamodb-local.js';
import { installDynamoFaults, newFaultScope, newFaultStats, TaskKilledError, withFaultScope } from '../support/faults/dynamo-faults.js';
import { Random } from '../support/faults/random.js';
import { startChaosEnv, type StartedChaosEnv } from './env.js';
import { diffViews, runFaultScenarios, viewOf } from './scenarios/faults.js';
import { policyObject, type ScenarioWorld } from './scenarios/world.js';

let env: StartedChaosEnv;

beforeAll(async () => {
  env = await startChaosEnv({ endpoint: inject('dynamoEndpoint') });
});

afterAll(async () => {
  await env?.stop();
});

describe('the DynamoDB fault middleware', () => {
  const table = () => env.stack.tables.operationRuns;
  const key = (id: string) => ({ pk: `fault-test#${id}`, sk: 'x' });

  it('throws throttling into calls inside a scope only, after the SDK gave up retrying', async () => {
    const db = createDocumentClient({ endpoint: inject('dynamoEndpoint'), region: LOCAL_REGION });
    const uninstall = installDynamoFaults(db);
    try {
      const stats = newFaultStats();
      const scope = newFaultScope({ rate: 1, kinds: ['throttle'], random: new Random(1), stats });
      await expect(withFaultScope(scope, () => db.send(new GetCommand({ TableName: table(), Key: key('a') })))).rejects.toMatchObject({
        name: 'ProvisionedThroughputExceededException',
      });
      // The SDK retried: every attempt was faulted.
      expect(stats.injected).toBeGreaterThan(1);
      expect(stats.injected).toBe(stats.calls);
      await expect(db.send(new GetCommand({ TableName: table(), Key: key('a') }))).resolves.toBeDefined();
    } finally {
      uninstall();
    }
  });

  it('applies a write whose response it then loses, and kills a scope after its writes', async () => {
    const db = createDocumentClient({ endpoint: inject('dynamoEndpoint'), region: LOCAL_REGION });
    const uninstall = installDynamoFaults(db);
    try {
      const lost = newFaultScope({ rate: 1, kinds: ['lostResponse'], random: new Random(2), stats: newFaultStats() });
      await expect(withFaultScope(lost, () => db.send(new PutCommand({ TableName: table(), Item: { ...key('lost'), v: 1 } })))).rejects.toMatchObject({ name: 'InternalServerError' });
      expect((await db.send(new GetCommand({ TableName: table(), Key: key('lost') }))).Item).toMatchObject({ v: 1 });

      const kill = newFaultScope({ rate: 0, kinds: [], random: new Random(3), stats: newFaultStats(), killAfterWrites: 1 });
      const writes = withFaultScope(kill, async () => {
        await db.send(new PutCommand({ TableName: table(), Item: { ...key('k1'), v: 1 } }));
        await db.send(new PutCommand({ TableName: table(), Item: { ...key('k2'), v: 2 } }));
      });
      await expect(writes).rejects.toBeInstanceOf(TaskKilledError);
      expect((await db.send(new GetCommand({ TableName: table(), Key: key('k1') }))).Item).toBeDefined();
      expect((await db.send(new GetCommand({ TableName: table(), Key: key('k2') }))).Item).toBeUndefined();
      expect(kill.stats.kills).toBe(1);
    } finally {
      uninstall();
    }
  });
});

describe('compares under faults equal the fault-free compares', () => {
  it('detects a difference when there is one (the comparison can fail)', () => {
    const base = viewOf(undefined, []);
    const finding = { key: 'k', changeType: 'missing_policy', status: 'new', severity: 'high', timesSeen: 1, reopenCount: 0, resolvedReason: null, reopenReason: null, accepted: null, evidenceFidelity: 'content', displayName: 'x', drifted: [] };
    expect(diffViews({ ...base, findings: [finding] }, base)).toMatchObject({ lost: 1 });
    expect(diffViews({ ...base, findings: [finding] }, { ...base, findings: [{ ...finding, timesSeen: 2 }] })).toMatchObject({ doubleCounted: 1 });
    expect(diffViews({ ...base, findings: [{ ...finding, status: 'risk_accepted', accepted: 'h' }] }, { ...base, findings: [{ ...finding, status: 'reopened', accepted: 'h' }] }).differences).toHaveLength(1);
    expect(diffViews({ ...base, summaryCounts: { findings_resolved: 2 } }, { ...base, summaryCounts: { findings_resolved: 1 } }).differences).toHaveLength(1);
  });

  it('throttling, transient errors, lost responses and one kill of every task: same findings, counts and outcomes', { timeout: 300_000 }, async () => {
    const report = await runFaultScenarios(env, {
      seed: 7,
      worlds: 1,
      rounds: 2,
      faultedTenants: 2,
      rate: 0.1,
      kill: true,
      concurrency: 2,
    });
    expect(report.details).toEqual([]);
    expect(report).toMatchObject({ runs: 4, mismatches: 0, lost: 0, doubleCounted: 0 });
    expect(report.kills).toBeGreaterThanOrEqual(4 * 4);
    expect(report.injected).toBeGreaterThan(0);
    expect(report.findings).toBeGreaterThan(0);
  });

  it('accepted findings under faults and kills: no acceptance reopened or lost', { timeout: 300_000 }, async () => {
    // Three rounds: findings appear, some are accepted, then seen again (and resolved or reopened).
    const report = await runFaultScenarios(env, { seed: 23, worlds: 1, rounds: 3, faultedTenants: 1, rate: 0.1, kill: true, accept: true, concurrency: 1 });
    expect(report.details).toEqual([]);
    expect(report).toMatchObject({ runs: 3, mismatches: 0, lost: 0, doubleCounted: 0 });
    expect(report.accepted).toBeGreaterThan(0);
    expect(report.kills).toBeGreaterThanOrEqual(3 * 4);
  });

  // Found by these scenarios: FinalizeRun counted only the resolutions of its last attempt, so a
  // FinalizeRun that died after part of them and was retried under-reported `findings_resolved`.
  it('a FinalizeRun killed after part of its auto-resolutions still reports every resolution', { timeout: 300_000 }, async () => {
    // Round 1: three findings. Round 2: all fixed, so FinalizeRun resolves three; it dies after the first.
    const baseline = ['A', 'B', 'C'].map((n, i) => policyObject('deviceCompliancePolicy', `b-${i}`, `Policy ${n}`, 0));
    const world: ScenarioWorld = {
      types: ['deviceCompliancePolicy'],
      baseline: { deviceCompliancePolicy: baseline },
      rounds: [
        { deviceCompliancePolicy: [policyObject('deviceCompliancePolicy', 't-0', 'Policy A', 1), policyObject('deviceCompliancePolicy', 't-1', 'Policy B', 2)] },
        { deviceCompliancePolicy: baseline.map((p, i) => ({ ...p, id: `t-${i}` })) },
      ],
    };
    const report = await runFaultScenarios(env, {
      seed: 11,
      worlds: 1,
      rounds: 2,
      faultedTenants: 1,
      rate: 0,
      kill: true,
      killOnly: (task) => task === 'FinalizeRun',
      killAfterWrites: 1,
      world: () => world,
      concurrency: 1,
    });
    expect(report.runs).toBe(2);
    expect(report.details).toEqual([]);
    expect(report.kills).toBe(2);
  });
});
