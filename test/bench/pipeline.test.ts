/**
 * The benchmark's pipeline and cost measurements at a tiny size on the test run's DynamoDB Local: the
 * report has the fields issue 7 names and counts that follow from the seeded data. No timing is asserted.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { runBench } from './bench.js';
import { dynamoItemBytes, eventuallyConsistentQueryUnits } from './pipeline.js';

describe('bench pipeline measurement', () => {
  it('reports one compare of 10 types with its requests, units, transitions and modeled cost', async () => {
    const report = await runBench({
      parts: ['pipeline', 'cost'],
      pipelinePerType: 10,
      costPerType: 10,
      driftRate: 0.2,
      endpoint: inject('dynamoEndpoint'),
      prefix: `b${randomUUID().slice(0, 8)}-`,
      log: () => undefined,
    });
    const p = report.pipeline!;
    expect(p).toMatchObject({ types: 10, subjects: 100, outcome: 'succeeded', findingsWritten: 20 });
    expect(p.summaryCounts).toMatchObject({ total: 10, processed: 10, subjects: 100, aligned: 80, different_version: 20, findings_new: 20 });
    // 4 + 2 x types states entered; the same handlers invoked once each (no retries).
    expect(p.transitions).toBe(24);
    expect(p.taskInvocations).toBe(23);
    for (const key of ['seconds', 'requests', 'rcu', 'rcuFloor', 'wcu', 'findingsWcu', 'peakRssMb', 'lambdaGbSeconds'] as const) {
      expect({ [key]: p[key] > 0 }).toEqual({ [key]: true });
    }
    // Both sides' summaries are read at least once: the reads cannot be below the floor.
    expect(p.rcu).toBeGreaterThanOrEqual(p.rcuFloor);
    expect(p.wcu).toBeGreaterThanOrEqual(p.findingsWcu);

    const c = report.cost!;
    expect(c.basis).toMatchObject({ types: 10, subjects: 100, transitions: 24, taskInvocations: 23 });
    expect(c.standard.stepFunctions).toBeCloseTo(24 * 0.000025, 10);
    expect(c.perCompareStandard).toBeCloseTo(c.standard.stepFunctions + c.standard.lambda + c.standard.dynamodb, 7);
    expect(c.perCompareExpress).toBeLessThan(c.perCompareStandard);
    expect(c.monthly.map((m) => m.comparesPerMonth)).toEqual([3000, 720000]);
    expect(report.goals.map((g) => g.name)).toContain('pipeline.transitions');
    expect(JSON.parse(JSON.stringify(report))).toMatchObject({ pipeline: { types: 10, subjects: 100 }, cost: { perCompareStandard: c.perCompareStandard } });
  }, 300_000);
});

describe('read unit floor', () => {
  it('charges half a unit per started 4 KB of a page, by DynamoDB item sizes', () => {
    expect(dynamoItemBytes('abc')).toBe(3);
    expect(dynamoItemBytes(true)).toBe(1);
    expect(dynamoItemBytes(12345)).toBe(4);
    const item = (n: number) => ({ pk: 'p', data: 'x'.repeat(n) });
    // 'pk' + 'p' + 'data' + n bytes per item
    expect(eventuallyConsistentQueryUnits([item(4089)])).toBe(0.5);
    expect(eventuallyConsistentQueryUnits([item(4090)])).toBe(1);
    expect(eventuallyConsistentQueryUnits([item(1000), item(1000), item(1000), item(1000)])).toBe(0.5);
    expect(eventuallyConsistentQueryUnits([])).toBe(0.5);
  });
});
