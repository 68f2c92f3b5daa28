/**
 * The benchmark of issue 7 as one function: hash, compare, pipeline, scaling, fanout and cost, in that
 * order, returning one report whose JSON field names are those the issue lists. `run.ts` is the
 * command (`npm run bench`); a small vitest test runs the pipeline part at a tiny size.
 */
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { startLocalStack, type LocalStack } from '../../infra/local/stack.js';
import { measureHash, type HashReport } from './hash.js';
import { measureCompare, type CompareReport } from './compare.js';
import { invocationCounter, measurePipeline, type PipelineMeasurement } from './pipeline.js';
import { measureFanout, type FanoutReport } from './fanout.js';
import { costReport, type CostReport } from './cost.js';
import { progress, round } from './measure.js';

export const PARTS = ['hash', 'compare', 'pipeline', 'scaling', 'fanout', 'cost'] as const;
export type Part = (typeof PARTS)[number];

export interface BenchOptions {
  quick?: boolean;
  /** Scaling up to 50,000 subjects (the default stops at 10,000 to stay within 10 minutes on 2 cores). */
  full?: boolean;
  parts?: readonly Part[];
  corpusDir?: string;
  /** Subjects per type of the pipeline measurement (default 1,000; 100 with `quick`). */
  pipelinePerType?: number;
  fanoutTenants?: number;
  /** Subjects per type of the cost basis (default 200, as the issue asks; 20 with `quick`). */
  costPerType?: number;
  /** Share of drifted subjects (default 0.01). */
  driftRate?: number;
  /** Use this DynamoDB Local (with a table prefix) instead of starting one. */
  endpoint?: string;
  prefix?: string;
  log?: (message: string) => void;
}

export interface ScalingRow {
  subjects: number;
  seconds: number;
  msPerSubject: number;
  rcu: number;
  rcuPerSubject: number;
  rcuFloor: number;
  wcu: number;
  transitions: number;
}

export interface BenchReport {
  /** `loadAverage`: the 1-minute load average at the start and at the end (other work slows every timing). */
  machine: { node: string; cpus: number; cpuModel: string; memoryGb: number; platform: string; loadAverage: number[] };
  startedAt: string;
  quick: boolean;
  hash?: HashReport;
  compare?: CompareReport;
  pipeline?: PipelineMeasurement;
  scaling?: ScalingRow[];
  fanout?: FanoutReport | { measured: false; reason: string };
  cost?: CostReport;
  goals: { name: string; goal: string; measured: string; met: boolean | null }[];
  seconds: number;
}

function scalingRow(m: PipelineMeasurement): ScalingRow {
  return {
    subjects: m.subjects,
    seconds: m.seconds,
    msPerSubject: round((m.seconds * 1000) / m.subjects, 3),
    rcu: m.rcu,
    rcuPerSubject: round(m.rcu / m.subjects, 4),
    rcuFloor: m.rcuFloor,
    wcu: m.wcu,
    transitions: m.transitions,
  };
}

export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  const log = options.log ?? progress;
  const parts = new Set<Part>(options.parts ?? PARTS);
  const quick = options.quick ?? false;
  const t0 = Date.now();
  const report: BenchReport = {
    machine: { node: process.version, cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: round(totalmem() / 2 ** 30, 1), platform: `${process.platform}-${process.arch}`, loadAverage: [round(loadavg()[0]!, 1)] },
    startedAt: new Date().toISOString(),
    quick,
    goals: [],
    seconds: 0,
  };

  if (parts.has('hash')) {
    log('hash: normalize + canonical JSON + SHA-256 vs JSON.stringify + SHA-256 ...');
    report.hash = measureHash({ quick, ...(options.corpusDir ? { corpusDir: options.corpusDir } : {}) });
  }
  if (parts.has('compare')) {
    const perType = quick ? 100 : 1000;
    log(`compare: ${10 * perType} subjects at 1 % drift vs a deep diff of every pair ...`);
    report.compare = measureCompare({ perType, driftRate: 0.01, rounds: quick ? 1 : 3 });
  }

  const needsStack = parts.has('pipeline') || parts.has('scaling') || parts.has('fanout') || parts.has('cost');
  if (needsStack) {
    log('starting the local stack (DynamoDB Local, synthesized workflow) ...');
    const counter = invocationCounter();
    const stack: LocalStack = await startLocalStack({
      wrapHandler: counter.wrap,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.prefix ? { prefix: options.prefix } : {}),
    });
    const driftRate = options.driftRate ?? 0.01;
    try {
      const perType = options.pipelinePerType ?? (quick ? 100 : 1000);
      const measured = new Map<number, PipelineMeasurement>();
      const pipelineAt = async (n: number): Promise<PipelineMeasurement> => {
        const known = measured.get(n);
        if (known) return known;
        log(`pipeline: seeding and comparing 10 types x ${n} subjects at ${driftRate * 100} % drift ...`);
        const m = await measurePipeline(stack, counter, { perType: n, driftRate, log });
        log(`pipeline: ${m.subjects} subjects in ${m.seconds} s (seeded in ${m.seedSeconds} s)`);
        measured.set(n, m);
        return m;
      };
      if (parts.has('pipeline')) report.pipeline = await pipelineAt(perType);
      if (parts.has('scaling')) {
        const sizes = quick ? [20, perType] : options.full ? [100, 1000, 5000] : [100, 500, 1000];
        report.scaling = [];
        for (const n of sizes) report.scaling.push(scalingRow(await pipelineAt(n)));
      }
      if (parts.has('cost')) {
        const m = await pipelineAt(options.costPerType ?? (quick ? 20 : 200));
        report.cost = costReport({
          types: m.types,
          subjects: m.subjects,
          transitions: m.transitions,
          taskInvocations: m.taskInvocations,
          lambdaGbSeconds: m.lambdaGbSeconds,
          rcu: m.rcu,
          wcu: m.wcu,
          seconds: m.seconds,
        });
      }
      if (parts.has('fanout')) {
        const tenants = options.fanoutTenants ?? (quick ? 20 : 1000);
        log(`fanout: dispatching compares for ${tenants} assigned tenants ...`);
        try {
          report.fanout = await measureFanout(stack, { tenants });
        } catch (err) {
          report.fanout = { measured: false, reason: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
        }
      }
    } finally {
      await stack.stop();
    }
  }
  report.machine.loadAverage.push(round(loadavg()[0]!, 1));
  report.goals = goals(report);
  report.seconds = round((Date.now() - t0) / 1000, 1);
  return report;
}

function goals(r: BenchReport): BenchReport['goals'] {
  const out: BenchReport['goals'] = [];
  if (r.hash) out.push({ name: 'hash.ratio at 8 KB', goal: '>= 0.70', measured: String(r.hash.ratio), met: r.hash.ratio >= 0.7 });
  const p = r.pipeline;
  if (p) {
    const full = p.subjects >= 10_000;
    const note = full ? '' : ` (at ${p.subjects} subjects; the goal is for 10,000)`;
    out.push({ name: 'pipeline.seconds', goal: '<= 15 s', measured: `${p.seconds} s${note}`, met: full ? p.seconds <= 15 : null });
    out.push({ name: 'pipeline.rcu', goal: '<= 1.25 x rcuFloor', measured: `${round(p.rcu / p.rcuFloor, 3)} x${note}`, met: full ? p.rcu <= 1.25 * p.rcuFloor : null });
    out.push({
      name: 'pipeline.wcu',
      goal: '<= findings writes + O(types) (30 per type)',
      measured: `${p.wcu} = ${p.findingsWcu} (findings) + ${p.wcuOverheadPerType} per type`,
      met: p.wcu <= p.findingsWcu + 30 * p.types,
    });
    out.push({ name: 'pipeline.transitions', goal: `<= 5 + 2 x types (${5 + 2 * p.types})`, measured: String(p.transitions), met: p.transitions <= 5 + 2 * p.types });
  }
  if (r.cost) out.push({ name: 'cost.perCompareStandard', goal: '<= $0.0008', measured: `$${r.cost.perCompareStandard}`, met: r.cost.perCompareStandard <= 0.0008 });
  if (r.fanout && 'tenants' in r.fanout) {
    const f = r.fanout;
    out.push({ name: 'fanout', goal: 'all complete, none twice, second trigger starts nothing', measured: `${f.completed}/${f.tenants} completed, ${f.duplicates} duplicates, ${f.secondTriggerStarted} started again`, met: f.completed === f.tenants && f.duplicates === 0 && f.secondTriggerStarted === 0 });
  }
  return out;
}
