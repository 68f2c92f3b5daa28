/**
 * `drift fleet --profile <id>`: the fleet matrix of a profile from the running local API (`npm start`),
 * as tables: the tenants with their last compare and counts, then every subject with its state per
 * tenant. It reads `GET /baseline-profiles/{profileId}/fleet` page by page with the token given
 * (`--token`, else `DRIFT_TOKEN`: the one `npm start` prints, or `drift token`).
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { FLEET_STATES, type FleetState } from '../../shared/domain/compared-subjects.js';
import { defaultFormat, parseFormat, progress, renderTable, UsageError, type OutputFormat, type Progress } from '../../infra/local/terminal.js';

export interface FleetDocument {
  profileId: string;
  snapshotId: string;
  tenants: { tenantId: string; displayName: string; lastCompare: { runId: string; outcome: string; completedAt: string } | null; counts: Record<string, number> }[];
  subjects: { subjectKey: string; displayName: string; policyType: string; states: Record<string, FleetState> }[];
}

export interface FleetCommandOptions {
  profile: string;
  api: string;
  token: string;
  policyType?: string;
  state?: FleetState;
  progress?: Progress;
  fetch?: typeof fetch;
}

/** Every page of the fleet view, merged into one document. */
export async function readFleet(options: FleetCommandOptions): Promise<FleetDocument> {
  const doFetch = options.fetch ?? fetch;
  let cursor: string | undefined;
  let doc: FleetDocument | undefined;
  let page = 0;
  do {
    page += 1;
    options.progress?.update(`reading the fleet of ${options.profile} (page ${page})…`);
    const query = new URLSearchParams({ limit: '100', ...(options.policyType ? { policyType: options.policyType } : {}), ...(options.state ? { state: options.state } : {}), ...(cursor ? { cursor } : {}) });
    const url = `${options.api.replace(/\/+$/, '')}/baseline-profiles/${encodeURIComponent(options.profile)}/fleet?${query.toString()}`;
    let res: Response;
    try {
      res = await doFetch(url, { headers: { authorization: `Bearer ${options.token}` } });
    } catch (err) {
      throw new UsageError(`cannot reach the local API at ${options.api} (${err instanceof Error ? err.message : String(err)}): start it with npm start, or name it with --api`);
    }
    const body = (await res.json().catch(() => ({}))) as (FleetDocument & { nextCursor?: string }) | { title?: string; detail?: string };
    if (!res.ok) {
      const problem = body as { title?: string; detail?: string };
      throw new UsageError(`the API answered ${res.status} ${problem.title ?? ''}: ${problem.detail ?? 'no detail'}`);
    }
    const fleet = body as FleetDocument & { nextCursor?: string };
    doc = doc === undefined ? { ...fleet, subjects: [...fleet.subjects] } : { ...doc, subjects: [...doc.subjects, ...fleet.subjects] };
    cursor = fleet.nextCursor;
  } while (cursor !== undefined);
  options.progress?.done();
  return doc;
}

export function renderFleetTable(doc: FleetDocument): string {
  const lines: string[] = [`Profile ${doc.profileId}, snapshot ${doc.snapshotId}`];
  lines.push(
    renderTable(
      ['tenant', 'last compare', 'outcome', 'aligned', 'aligned_meta', 'missing', 'unexpected', 'different', 'gaps', 'uncovered types', 'accepted'],
      doc.tenants.map((t) => {
        const c = t.counts;
        return [t.displayName, t.lastCompare?.completedAt ?? 'never', t.lastCompare?.outcome ?? '', c.aligned ?? 0, c.aligned_meta ?? 0, c.missing_policy ?? 0, c.unexpected_policy ?? 0, c.different_version ?? 0, c.gaps ?? 0, c.uncovered_types ?? 0, c.accepted ?? 0];
      }),
    ),
  );
  if (doc.subjects.length === 0) {
    lines.push('No subject matches.');
    return lines.join('\n');
  }
  lines.push(
    renderTable(
      ['policy type', 'subject', ...doc.tenants.map((t) => t.displayName)],
      doc.subjects.map((s) => [s.policyType, s.displayName, ...doc.tenants.map((t) => s.states[t.tenantId] ?? '')]),
    ),
  );
  lines.push(`${doc.subjects.length} subject(s) x ${doc.tenants.length} tenant(s).`);
  return lines.join('\n');
}

function parseState(value: string): FleetState {
  if ((FLEET_STATES as readonly string[]).includes(value)) return value as FleetState;
  throw new UsageError(`--state must be one of ${FLEET_STATES.join(', ')}, not "${value}"`);
}

/** Adds the `fleet` command to the program. */
export function registerFleetCommand(program: Command): void {
  program
    .command('fleet')
    .description('the fleet matrix of a baseline profile, from the local API started by npm start')
    .requiredOption('--profile <id>', 'the baseline profile (the demo: demo-windows-ios-baseline)')
    .option('--api <url>', 'the API (default: http://127.0.0.1:$PORT, else port 3000)')
    .option('--token <token>', 'a token of the workspace (default: env DRIFT_TOKEN; npm start prints one)')
    .option('--policy-type <type>', 'only subjects of this policy type')
    .addOption(new Option('--state <state>', `only subjects in this state for some tenant (${FLEET_STATES.join(', ')})`).argParser(parseState))
    .addOption(new Option('--format <format>', 'table or json (default: table on a terminal, json when piped)').argParser(parseFormat))
    .action(async (opts: { profile: string; api?: string; token?: string; policyType?: string; state?: FleetState; format?: OutputFormat }) => {
      const token = opts.token ?? process.env.DRIFT_TOKEN;
      if (token === undefined || token === '') throw new UsageError('give --token <token> or set DRIFT_TOKEN: npm start prints one, or run npm run drift -- token --workspace <id> --tenant <id>,<id> --role reader');
      const format = opts.format ?? defaultFormat();
      const doc = await readFleet({
        profile: opts.profile,
        api: opts.api ?? `http://127.0.0.1:${process.env.PORT ?? '3000'}`,
        token,
        ...(opts.policyType ? { policyType: opts.policyType } : {}),
        ...(opts.state ? { state: opts.state } : {}),
        progress: progress(format),
      });
      process.stdout.write((format === 'json' ? JSON.stringify(doc, null, 2) : renderFleetTable(doc)) + '\n');
    });
}
