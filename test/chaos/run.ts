/**
 * `npm run chaos [-- --seed <n>] [--format table|json] [--worlds <n>] [--fuzz-cases <n>]`: the
 * reliability and security scenarios at full size on one DynamoDB Local, with the figures of the
 * report (a table, or with `--format json` one JSON document). Progress goes to stderr. Exits 1 when
 * a goal is missed: any mismatch, lost finding, double count, 5xx, partial write, leak or found
 * secret, or fewer than 200 faulted runs / 1,000 fuzz cases.
 */
import { Command, InvalidArgumentError } from 'commander';
import { renderTable } from '../../infra/local/terminal.js';
import { logger } from '../../functions/_shared/task-handler.js';
import { startChaosEnv } from './env.js';
import { startApiHarness } from './scenarios/api.js';
import { runFaultScenarios } from './scenarios/faults.js';
import { runFuzz } from './scenarios/fuzz.js';
import { runIsolation } from './scenarios/hostile.js';
import { runSecrets } from './scenarios/secrets.js';
import { runStartScenarios } from './scenarios/starts.js';
import { runSyncScenarios } from './scenarios/sync.js';

export interface ChaosFigures {
  faults: { runs: number; injected: number; mismatches: number; lost: number; doubleCounted: number };
  fuzz: { cases: number; status5xx: number; partialWrites: number };
  isolation: { attempts: number; leaks: number };
  secrets: { planted: number; found: number };
}

const whole = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number`);
  return n;
};

const program = new Command()
  .name('chaos')
  .description('Faults, bad input, hostile callers and planted secrets against the local stack; prints the figures.')
  .option('--seed <n>', 'seed of every scenario', whole('seed'), 20261127)
  .option('--format <format>', 'table or json', 'table')
  .option('--worlds <n>', 'seeded worlds of the fault scenario (each 2 rounds x 4 faulted tenants)', whole('worlds'), 25)
  .option('--fuzz-cases <n>', 'fuzz cases over the API', whole('fuzz-cases'), 1000)
  .option('--fault-rate <p>', 'share of DynamoDB calls that fail', (v) => Number(v), 0.1)
  .option('--concurrency <n>', 'worlds compared at once', whole('concurrency'), 4);

program.parse();
const opts = program.opts<{ seed: number; format: string; worlds: number; fuzzCases: number; faultRate: number; concurrency: number }>();
if (opts.format !== 'table' && opts.format !== 'json') {
  process.stderr.write(`--format must be table or json, not ${opts.format}\n`);
  process.exit(2);
}

const started = Date.now();
const say = (line: string) => process.stderr.write(`[chaos ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);

const notes: string[] = [];
const extra: (string | number)[][] = [];
let figures: ChaosFigures;
say('starting DynamoDB Local and the local stack');
const env = await startChaosEnv();
try {
  say('seeding two workspaces and serving the API on loopback');
  const api = await startApiHarness(env, opts.seed);
  let isolation, fuzz, secrets;
  try {
    say('hostile callers on every route');
    isolation = await runIsolation(api);
    say(`fuzzing ${opts.fuzzCases} requests`);
    fuzz = await runFuzz(api, { seed: opts.seed, cases: opts.fuzzCases, progress: (d, n) => say(`fuzz ${d}/${n}`) });
    say('planted secrets through ingest, capture, compare and reads');
    secrets = await runSecrets(env, api);
    // Back to quiet: the tasks' expected errors (injected faults, kills) are not worth a line each.
    logger.setLogLevel('SILENT');
  } finally {
    await api.close();
  }
  say('duplicate and concurrent starts (API and dispatcher)');
  const starts = await runStartScenarios(env, { seed: opts.seed, trials: 2, apiStarts: 4, dispatches: 2, tenants: 2, rate: opts.faultRate });
  say('inventory syncs interrupted mid-type');
  const sync = await runSyncScenarios(env, { seed: opts.seed, trials: 4 });
  say(`faults on ${opts.worlds} worlds x 2 rounds x 4 tenants`);
  const faults = await runFaultScenarios(env, {
    seed: opts.seed,
    worlds: opts.worlds,
    rounds: 2,
    faultedTenants: 4,
    rate: opts.faultRate,
    kill: true,
    concurrency: opts.concurrency,
    progress: (d, n) => say(`faults ${d}/${n} worlds`),
  });

  const startProblems = starts.duplicates + starts.wrongAnswers + starts.stuck;
  const syncProblems = sync.wrongCoverage + sync.removed + sync.touched;
  figures = {
    faults: {
      runs: faults.runs + starts.trials + sync.trials,
      injected: faults.injected + faults.kills + starts.injected + sync.trials,
      mismatches: faults.mismatches + startProblems + syncProblems,
      lost: faults.lost,
      doubleCounted: faults.doubleCounted,
    },
    fuzz: { cases: fuzz.cases, status5xx: fuzz.status5xx, partialWrites: fuzz.partialWrites },
    isolation: { attempts: isolation.attempts, leaks: isolation.leaks },
    secrets: { planted: secrets.planted, found: secrets.found },
  };
  extra.push(
    ['faulted compare runs', faults.runs],
    ['  DynamoDB faults injected / task kills', `${faults.injected} / ${faults.kills}`],
    ['  findings compared', faults.findings],
    ['start races (attempts, duplicates, wrong answers, failed under faults, stuck)', `${starts.attempts}, ${starts.duplicates}, ${starts.wrongAnswers}, ${starts.failedUnderFaults}, ${starts.stuck}`],
    ['interrupted syncs (wrong coverage, removed, findings touched)', `${sync.trials} (${sync.wrongCoverage}, ${sync.removed}, ${sync.touched})`],
    ['fuzz refused / accepted / not problem+json', `${fuzz.refused} / ${fuzz.accepted} / ${fuzz.notProblemJson}`],
    ['isolation wrong status', isolation.wrongStatus],
    ['secrets search (items, log lines, events, responses)', `${secrets.searched.tableItems}, ${secrets.searched.logLines}, ${secrets.searched.eventLines}, ${secrets.searched.responses}`],
    ['secrets control value found in tables', secrets.controlFound ? 'yes' : 'NO (the search is blind)'],
  );
  notes.push(...faults.details.map((d) => `fault: world ${d.world} round ${d.round} tenant ${d.tenant}: ${d.what}`));
  notes.push(...starts.details.map((d) => `start: ${d}`), ...sync.details.map((d) => `sync: ${d}`));
  notes.push(...fuzz.details.map((d) => `fuzz: ${d}`), ...isolation.details.map((d) => `isolation: ${d}`), ...secrets.details.map((d) => `secrets: ${d}`));
  const goalsMet =
    figures.faults.runs >= 200 &&
    figures.fuzz.cases >= 1000 &&
    figures.faults.mismatches + figures.faults.lost + figures.faults.doubleCounted + figures.fuzz.status5xx + figures.fuzz.partialWrites + figures.isolation.leaks + figures.secrets.found === 0 &&
    isolation.wrongStatus === 0 &&
    fuzz.notProblemJson === 0 &&
    secrets.controlFound;
  process.exitCode = goalsMet ? 0 : 1;
} finally {
  await env.stop();
}

const seconds = ((Date.now() - started) / 1000).toFixed(0);
if (opts.format === 'json') {
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} else {
  // Every figure of the JSON, by its key path.
  const rows: (string | number)[][] = Object.entries(figures).flatMap(([group, values]) =>
    Object.entries(values as Record<string, number>).map(([name, value]) => [`${group}.${name}`, value]),
  );
  process.stdout.write(`${renderTable(['figure', 'value'], rows)}\n`);
  process.stdout.write(`${renderTable(['detail', 'value'], extra)}\n`);
  for (const note of notes.slice(0, 40)) process.stdout.write(`- ${note}\n`);
  if (notes.length > 40) process.stdout.write(`- ... ${notes.length - 40} more\n`);
  process.stdout.write(`seed ${opts.seed}, ${seconds} s, goals ${process.exitCode === 0 ? 'met' : 'NOT met'}\n`);
}
