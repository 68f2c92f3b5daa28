/**
 * Bad input and hostile callers, smaller than `npm run chaos`: the API over loopback on the test
 * run's DynamoDB Local, fuzzed and attacked, and planted secrets searched everywhere afterwards.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startChaosEnv, type StartedChaosEnv } from './env.js';
import { startApiHarness, type ApiHarness } from './scenarios/api.js';
import { runFuzz } from './scenarios/fuzz.js';
import { runIsolation } from './scenarios/hostile.js';
import { encodingsOf, runSecrets } from './scenarios/secrets.js';

let env: StartedChaosEnv;
let api: ApiHarness;

beforeAll(async () => {
  env = await startChaosEnv({ endpoint: inject('dynamoEndpoint') });
  api = await startApiHarness(env, 5);
}, 300_000);

afterAll(async () => {
  await api?.close();
  await env?.stop();
});

describe('hostile callers', () => {
  it('answer 401/403/404 as specified on every route, with nothing of the victim in any answer and no write', { timeout: 300_000 }, async () => {
    const report = await runIsolation(api);
    expect(report.details).toEqual([]);
    expect(report).toMatchObject({ leaks: 0, wrongStatus: 0, tablesChanged: 0 });
    // 18 routes need a token; each is tried with 8 bad tokens at least.
    expect(report.attempts).toBeGreaterThan(18 * 8);
  });
});

describe('fuzzed requests', () => {
  it('are refused with a 4xx problem+json, never a 5xx, and write nothing', { timeout: 300_000 }, async () => {
    const report = await runFuzz(api, { seed: 5, cases: 150, batch: 50 });
    expect(report.details.filter((d) => !d.startsWith('not sendable'))).toEqual([]);
    expect(report).toMatchObject({ status5xx: 0, notProblemJson: 0, partialWrites: 0 });
    expect(report.cases).toBeGreaterThanOrEqual(140);
    expect(report.refused).toBeGreaterThan(report.cases / 2);
    expect(api.serverErrors).toEqual([]);
  });
});

describe('planted secrets', () => {
  it('are searched in every encoding a leak could take', () => {
    const secret = 'Sup3r-S3cret-PSK!';
    const forms = encodingsOf(secret);
    const embedded = Buffer.from(`{"preSharedKey":"${secret}","x":1}`).toString('base64');
    expect(forms.some((f) => embedded.includes(f))).toBe(true);
    expect(forms.some((f) => Buffer.from(`ab${secret}`).toString('hex').includes(f))).toBe(true);
    expect(forms.some((f) => 'nothing to see here, move along'.includes(f))).toBe(false);
  });

  it('appear in no table item, log line, event or API answer after ingest, capture, compare and reads', { timeout: 300_000 }, async () => {
    const report = await runSecrets(env, api);
    expect(report.details).toEqual([]);
    expect(report.found).toBe(0);
    expect(report.planted).toBe(5);
    // The search sees stored content (a plain value planted beside the secrets is found) and the
    // secrets' policies did go all the way to findings.
    expect(report.controlFound).toBe(true);
    expect(report.findings).toBeGreaterThan(0);
    expect(report.searched.tableItems).toBeGreaterThan(0);
    expect(report.searched.responses).toBeGreaterThan(5);
  });
});
