/**
 * `npm run drift -- <command>`: the project's command line. Parsing with commander (well kept, typed,
 * generates help and reports unknown options, so no hand-written argv parsing).
 *
 * Exit status like `diff`: 0 no findings / success, 1 findings or gaps (`compare`) or some types failed
 * (`sync`), 2 error.
 */
import { Command, CommanderError, Option } from 'commander';
import { compareExitStatus, formatCompare, runCompare } from './commands/compare.js';
import { runCompareEvidence } from './commands/compare-evidence.js';
import { renderEvidence, type EvidenceFormat } from '../shared/domain/evidence-export.js';
import { renderPipelineTable, runPipeline } from './commands/pipeline.js';
import { registerFleetCommand } from './commands/fleet.js';
import { registerSyncCommand } from './commands/sync.js';
import { registerTokenCommand } from './commands/token.js';
import { defaultFormat, parseFormat, parseList, progress, UsageError, type OutputFormat } from '../infra/local/terminal.js';
import { EXPORT_FORMATS, isExportFormat, type ExportFormat } from '../shared/adapters/filesystem/export-reader.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

function formatInOption(): Option {
  return new Option('--format-in <format>', `layout of the exports: ${EXPORT_FORMATS.join(', ')} or auto (default: auto, detected per folder)`).argParser(parseFormatIn);
}

function parseFormatIn(value: string): ExportFormat | 'auto' {
  if (value === 'auto' || isExportFormat(value)) return value;
  throw new UsageError(
    `--format-in must be one of ${EXPORT_FORMATS.join(', ')} or auto, not "${value}"` +
      (value.toLowerCase() === 'cipp' ? ' (CIPP templates are not read yet: export the policies from Graph, IntuneCD or IntuneManagement)' : ''),
  );
}

type CompareFormat = OutputFormat | Exclude<EvidenceFormat, 'json'>;

function parseCompareFormat(value: string): CompareFormat {
  if (value === 'csv' || value === 'html') return value;
  try {
    return parseFormat(value);
  } catch {
    throw new UsageError(`--format must be table, json, csv or html, not "${value}"`);
  }
}

/** The options `compare` and `pipeline` share: how the exports are read, mapped and keyed. */
function exportOptions(opts: { formatIn?: ExportFormat | 'auto'; groupMap?: string; links?: string; ignore?: string; secretKey?: string }): {
  formatIn?: ExportFormat | 'auto';
  groupMap?: string;
  links?: string;
  ignore?: string;
  secretKey?: string;
} {
  const secretKey = opts.secretKey ?? process.env.DRIFT_SECRET_KEY;
  return {
    ...(opts.formatIn ? { formatIn: opts.formatIn } : {}),
    ...(opts.groupMap ? { groupMap: opts.groupMap } : {}),
    ...(opts.links ? { links: opts.links } : {}),
    ...(opts.ignore ? { ignore: opts.ignore } : {}),
    ...(secretKey ? { secretKey } : {}),
  };
}

function formatOption(): Option {
  return new Option('--format <format>', 'table or json (default: table on a terminal, json when piped)').argParser(parseFormat);
}

export function buildProgram(out: { exitCode: number }): Command {
  const program = new Command('drift')
    .description('Baseline Drift Engine: where Intune tenants drifted from an approved baseline')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('compare')
    .description('compare two exported inventories (one subfolder per Graph collection) offline')
    .requiredOption('--baseline <dir>', 'the golden tenant export (what a snapshot would hold)')
    .requiredOption('--current <dir>', "a tenant's current export")
    .option('--types <t1,t2>', 'only these registry types (default: every type present on either side)', parseList)
    .option('--secret-key <key>', 'key of the secret digests (default: env DRIFT_SECRET_KEY, else random per run)')
    .option('--group-map <file>', 'JSON { "<baseline group name or id>": "<tenant group name or id>" }: groups that differ by name')
    .option('--links <file>', 'JSON [{ "policyType", "baselineSubjectKey", "tenantDisplayName" }]: renamed policies compared with their baseline subject')
    .option('--ignore <file>', 'JSON [{ "policyType", "path", "reason" }]: properties that never produce drift (a profile\'s ignoredProperties)')
    .addOption(formatInOption())
    .addOption(
      new Option('--format <format>', 'table or json (default: table on a terminal, json when piped), or the evidence export: csv (one row per subject) or html (one printable page)').argParser(
        parseCompareFormat,
      ),
    )
    .action(async (opts: { baseline: string; current: string; types?: string[]; secretKey?: string; groupMap?: string; links?: string; ignore?: string; format?: CompareFormat; formatIn?: ExportFormat | 'auto' }) => {
      const format = opts.format ?? defaultFormat();
      const request = {
        baseline: opts.baseline,
        current: opts.current,
        ...(opts.types ? { types: opts.types } : {}),
        ...exportOptions(opts),
        progress: progress(format === 'json' ? 'json' : 'table'),
      };
      if (format === 'csv' || format === 'html') {
        const { report, parts } = await runCompareEvidence(request);
        for await (const chunk of renderEvidence(parts, format)) process.stdout.write(chunk);
        out.exitCode = compareExitStatus(report) === 1 ? EXIT_FINDINGS : EXIT_OK;
        return;
      }
      const report = await runCompare(request);
      process.stdout.write(formatCompare(report, format) + '\n');
      // Gaps count like findings: a subject the compare could not prove aligned is no clean result.
      out.exitCode = compareExitStatus(report) === 1 ? EXIT_FINDINGS : EXIT_OK;
    });

  program
    .command('pipeline')
    .description('run the whole workflow on the local stack: capture the baseline, then sync and compare each --current in order')
    .requiredOption('--baseline <dir>', 'the golden tenant export')
    .requiredOption('--current <dir>', 'a tenant export; repeat for several rounds', (v: string, prev: string[] = []) => [...prev, v])
    .option('--failed-types <t1,t2>', 'record these types as failed in the sync coverage', parseList)
    .option('--no-sync', 'no inventory sync run exists for the tenant (coverage unproven)')
    .option('--secret-key <key>', 'key of the secret digests (default: env DRIFT_SECRET_KEY, else random per run)')
    .option('--group-map <file>', 'JSON { "<baseline group name or id>": "<tenant group name or id>" }: the tenant\'s group mappings')
    .option('--links <file>', 'JSON [{ "policyType", "baselineSubjectKey", "tenantDisplayName" }]: the tenant\'s subject links')
    .option('--ignore <file>', 'JSON [{ "policyType", "path", "reason" }]: the profile\'s ignored properties')
    .addOption(formatInOption())
    .addOption(formatOption())
    .action(async (opts: { baseline: string; current: string[]; failedTypes?: string[]; sync: boolean; secretKey?: string; groupMap?: string; links?: string; ignore?: string; format?: OutputFormat; formatIn?: ExportFormat | 'auto' }) => {
      const format = opts.format ?? defaultFormat();
      const report = await runPipeline({
        baseline: opts.baseline,
        current: opts.current,
        ...exportOptions(opts),
        ...(opts.failedTypes ? { failedTypes: opts.failedTypes } : {}),
        noSync: !opts.sync,
        progress: progress(format),
      });
      process.stdout.write((format === 'json' ? JSON.stringify(report, null, 2) : renderPipelineTable(report)) + '\n');
      out.exitCode = EXIT_OK;
    });

  registerTokenCommand(program);
  registerSyncCommand(program, out);
  registerFleetCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const out = { exitCode: EXIT_OK };
  const program = buildProgram(out);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return out.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; usage mistakes were already printed by commander.
      return err.exitCode === 0 ? EXIT_OK : EXIT_ERROR;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`drift: ${message}\n`);
    if (!(err instanceof UsageError) && err instanceof Error && process.env.DRIFT_DEBUG) process.stderr.write(`${err.stack}\n`);
    return EXIT_ERROR;
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`drift: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = EXIT_ERROR;
    },
  );
}
