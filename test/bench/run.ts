/**
 * `npm run bench [-- --quick] [--full] [--format table|json] [--only hash,compare,...]`: the
 * measurements of issue 7 as tables on the terminal, or one JSON document with `--format json`.
 * Progress goes to stderr only.
 */
import { Command } from 'commander';
import { corpusAvailable, corpusDir } from '../support/corpus.js';
import { renderTable } from '../../infra/local/terminal.js';
import { PARTS, runBench, type BenchReport, type Part } from './bench.js';
import { PRICES } from './prices.js';

const program = new Command()
  .name('bench')
  .option('--format <format>', 'table or json', 'table')
  .option('--quick', 'a smoke run at small sizes (about a minute)', false)
  .option('--full', 'scaling up to 50,000 subjects (longer than 10 minutes on 2 cores)', false)
  .option('--only <parts>', `a comma-separated subset of ${PARTS.join(',')}`)
  .option('--pipeline-per-type <n>', 'subjects per type of the pipeline measurement')
  .option('--fanout-tenants <n>', 'tenants of the fan-out measurement');
program.parse();
const opts = program.opts<{ format: string; quick: boolean; full: boolean; only?: string; pipelinePerType?: string; fanoutTenants?: string }>();

if (opts.format !== 'table' && opts.format !== 'json') {
  process.stderr.write(`--format must be table or json, not ${opts.format}\n`);
  process.exit(2);
}
const parts = opts.only?.split(',').map((p) => p.trim()) as Part[] | undefined;
const unknown = parts?.filter((p) => !(PARTS as readonly string[]).includes(p)) ?? [];
if (unknown.length > 0) {
  process.stderr.write(`unknown part(s): ${unknown.join(', ')} (known: ${PARTS.join(', ')})\n`);
  process.exit(2);
}

const report = await runBench({
  quick: opts.quick,
  full: opts.full,
  ...(parts ? { parts } : {}),
  ...(corpusAvailable ? { corpusDir } : {}),
  ...(opts.pipelinePerType ? { pipelinePerType: Number(opts.pipelinePerType) } : {}),
  ...(opts.fanoutTenants ? { fanoutTenants: Number(opts.fanoutTenants) } : {}),
});

if (opts.format === 'json') {
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
} else {
  process.stdout.write(tables(report));
}

function tables(r: BenchReport): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(`Machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGb} GB, ${m.platform}, Node ${m.node}, load average ${m.loadAverage.join(' -> ')}${r.quick ? ' (quick run)' : ''}`);
  if (r.hash) {
    out.push('\nhash: normalize + canonical JSON + SHA-256 (ours) vs JSON.stringify + SHA-256 (plain)');
    const rows = [...r.hash.sizes, ...(r.hash.corpus ? [r.hash.corpus] : [])].map((h) => [h.label, h.bytes, h.objectsPerSec, h.mbPerSec, h.plainObjectsPerSec, h.plainMbPerSec, h.ratio]);
    out.push(renderTable(['size', 'bytes/object', 'ours obj/s', 'ours MB/s', 'plain obj/s', 'plain MB/s', 'ratio'], rows));
    out.push(renderTable(['family at 8 KB', 'ours obj/s', 'plain obj/s', 'ratio'], r.hash.families8k.map((h) => [h.label, h.objectsPerSec, h.plainObjectsPerSec, h.ratio])));
  }
  if (r.compare) {
    const c = r.compare;
    out.push(`\ncompare: ${c.subjects} subjects (${c.types} types) at ${c.driftRate * 100} % drift`);
    out.push(
      renderTable(
        ['approach', 'seconds', 'found different'],
        [
          ['domain compare (tenant hashed in the timing)', c.seconds, c.drifted],
          ['domain compare (hashes from storage, as the workflow)', c.matchOnlySeconds, c.drifted],
          ['deep diff of every pair (jsondiffpatch)', c.naiveSeconds, c.naiveDifferent],
        ],
      ),
    );
    out.push(`speedup ${c.speedup}x (${c.matchOnlySpeedup}x with stored hashes)`);
  }
  if (r.pipeline) {
    const p = r.pipeline;
    out.push(`\npipeline: one compare of ${p.types} types x ${p.subjects / p.types} subjects at ${p.driftRate * 100} % drift on DynamoDB Local (outcome ${p.outcome})`);
    out.push(
      renderTable(
        ['seconds', 'requests', 'rcu', 'rcuFloor', 'wcu', 'findings wcu', 'findings', 'transitions', 'invocations', 'peak RSS MB'],
        [[p.seconds, p.requests, p.rcu, p.rcuFloor, p.wcu, p.findingsWcu, p.findingsWritten, p.transitions, p.taskInvocations, p.peakRssMb]],
      ),
    );
  }
  if (r.scaling) {
    out.push('\nscaling');
    out.push(renderTable(['subjects', 'seconds', 'ms/subject', 'rcu', 'rcu/subject', 'rcuFloor', 'wcu', 'transitions'], r.scaling.map((s) => [s.subjects, s.seconds, s.msPerSubject, s.rcu, s.rcuPerSubject, s.rcuFloor, s.wcu, s.transitions])));
  }
  if (r.fanout) {
    out.push('\nfanout: the scheduled dispatcher');
    const f = r.fanout;
    out.push(
      'tenants' in f
        ? renderTable(['tenants', 'started', 'completed', 'duplicates', 'second trigger started', 'seconds'], [[f.tenants, f.started, f.completed, f.duplicates, f.secondTriggerStarted, f.seconds]])
        : `not measured: ${f.reason}`,
    );
  }
  if (r.cost) {
    const c = r.cost;
    out.push(`\ncost (${PRICES.region} list prices of ${c.pricesAsOf}; basis: one compare of ${c.basis.subjects} subjects, ${c.basis.transitions} transitions)`);
    out.push(
      renderTable(
        ['', 'Step Functions', 'Lambda', 'DynamoDB', 'per compare'],
        [
          ['Standard', c.standard.stepFunctions, c.standard.lambda, c.standard.dynamodb, c.standard.total],
          ['Standard parent + Express children (model)', c.express.stepFunctions, c.express.lambda, c.express.dynamodb, c.express.total],
        ],
      ),
    );
    out.push(renderTable(['per month', 'compares', 'Standard $', 'Express $'], c.monthly.map((x) => [x.scenario, x.comparesPerMonth, x.standard, x.express])));
  }
  out.push('\ngoals');
  out.push(renderTable(['measurement', 'goal', 'measured', 'met'], r.goals.map((g) => [g.name, g.goal, g.measured, g.met === null ? 'n/a' : g.met ? 'yes' : 'NO'])));
  out.push(`\nbench took ${r.seconds} s\n`);
  return out.join('\n');
}
