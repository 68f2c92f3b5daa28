/**
 * Duplicate and concurrent compare starts (API-style and scheduled rounds) and inventory syncs
 * interrupted mid-type, smaller than `npm run chaos`, on the test run's DynamoDB Local.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startChaosEnv, type StartedChaosEnv } from './env.js';
import { runStartScenarios } from './scenarios/starts.js';
import { runSyncScenarios } from './scenarios/sync.js';

let env: StartedChaosEnv;

beforeAll(async () => {
  env = await startChaosEnv({ endpoint: inject('dynamoEndpoint') });
}, 300_000);

afterAll(async () => {
  await env?.stop();
});

describe('concurrent starts of one compare', () => {
  it('start exactly one run; every other attempt names it; a repeated window starts nothing', { timeout: 300_000 }, async () => {
    const report = await runStartScenarios(env, { seed: 3, trials: 1, apiStarts: 4, dispatches: 2, tenants: 2, rate: 0.1 });
    expect(report.details).toEqual([]);
    expect(report).toMatchObject({ trials: 1, duplicates: 0, wrongAnswers: 0, stuck: 0 });
    expect(report.attempts).toBe(2 * 4 + 2 * 2);
  });
});

describe('an inventory sync interrupted mid-type', () => {
  it('records the type failed, removes nothing of it, and the next compare leaves its findings alone', { timeout: 300_000 }, async () => {
    const report = await runSyncScenarios(env, { seed: 3, trials: 2 });
    expect(report.details).toEqual([]);
    expect(report).toMatchObject({ trials: 2, wrongCoverage: 0, removed: 0, touched: 0 });
  });
});
