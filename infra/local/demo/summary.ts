/**
 * The demo's compare round (through the scheduled dispatcher) and the summary `npm start` prints:
 * tenants, runs with their outcome keys, findings by change type and severity, the events sent (from
 * the local events file), and where to look next (curl examples with a ready development token).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Repositories } from '../../../shared/adapters/dynamodb/index.js';
import { CHANGE_TYPES, SEVERITIES, type ChangeType, type Finding, type OperationRun, type Severity } from '../../../shared/domain/model.js';
import { dispatchCompares, type DispatchDeps, type DispatchResult } from '../../../shared/usecases/dispatch-compares.js';
import type { WorkflowRunResult } from '../workflow-runner.js';
import { renderTable } from '../terminal.js';
import type { DemoSeed } from './seed.js';
import type { DemoAcceptance } from './exception.js';
import { collectPages } from '../../../shared/usecases/paging.js';

export interface DemoRound {
  dispatch: DispatchResult;
  /** The compare runs the round started, completed. */
  runs: OperationRun[];
}

export class DemoRoundError extends Error {
  override readonly name = 'DemoRoundError';
}

/** One compare round through the dispatcher, then waits for every execution it started. */
export async function runDemoRound(
  deps: DispatchDeps & { wait(runId: string): Promise<WorkflowRunResult> },
  req: { scheduledAt: Date; windowMinutes: number },
): Promise<DemoRound> {
  const dispatch = await dispatchCompares(deps, { scheduledAt: req.scheduledAt.toISOString(), windowMinutes: req.windowMinutes });
  const failed = dispatch.results.filter((r) => r.status === 'failed');
  if (failed.length > 0) throw new DemoRoundError(`the compare round could not start ${failed.length} compare(s): ${failed.map((f) => f.error).join('; ')}`);
  const runs: OperationRun[] = [];
  for (const r of dispatch.results) {
    if (r.status !== 'started' || r.runId === undefined) continue;
    await deps.wait(r.runId);
    const run = await deps.runs.get(r.runId);
    if (run === undefined) throw new DemoRoundError(`compare run ${r.runId} vanished`);
    runs.push(run);
  }
  return { dispatch, runs };
}

export interface SummaryTenant {
  tenantId: string;
  name: string;
  role: 'golden' | 'assigned';
  note: string;
}

export interface SummaryRun {
  tenant: string;
  runId: string;
  type: OperationRun['type'];
  status: OperationRun['status'];
  outcome: OperationRun['outcome'];
  detail: string;
}

export interface DemoSummary {
  apiUrl: string;
  workspaceId: string;
  profileId: string;
  profileName: string;
  snapshotId: string;
  snapshotItems: number;
  tenants: SummaryTenant[];
  runs: SummaryRun[];
  findings: {
    total: number;
    byChangeType: Record<ChangeType, number>;
    bySeverity: Record<Severity, number>;
    rows: { tenant: string; changeType: ChangeType; severity: Severity; policyType: string; displayName: string; status: string }[];
  };
  /** Events sent, by detail type. */
  events: Record<string, number>;
  /** The webhook destination given with `--webhook`: its secret (shown once) and what reached it. */
  webhook?: SummaryWebhook;
  dispatch: Omit<DispatchResult, 'results'>;
  /** The accepted deviation that the tenant then changed further (absent on a database seeded before). */
  acceptance?: DemoAcceptance;
  /** A development token with role `operator` for the demo workspace and its tenants. */
  token: string;
  /** The console with that token in the fragment (never sent to a server), when the API serves it. */
  consoleUrl?: string;
  curl: { title: string; command: string }[];
}

async function allFindings(repos: Pick<Repositories, 'findings'>, tenantId: string): Promise<Finding[]> {
  return collectPages((page) => repos.findings.list(tenantId, page));
}

async function allRuns(repos: Pick<Repositories, 'runs'>, tenantId: string): Promise<OperationRun[]> {
  const out = await collectPages((page) => repos.runs.listByTenant(tenantId, page), 50);
  return out.reverse(); // oldest first: the order things happened
}

function runDetail(run: OperationRun): string {
  const c = run.summaryCounts;
  if (run.type === 'baseline_compare') {
    const parts = [`${c.processed ?? 0}/${c.total ?? 0} types compared`];
    if ((c.errors_recorded ?? 0) > 0) parts.push(`${c.errors_recorded} uncovered`);
    parts.push(`${c.subjects ?? 0} subjects, ${c.aligned ?? 0} aligned, ${c.findings_new ?? 0} new findings`);
    return parts.join('; ');
  }
  if (run.type === 'inventory_sync') {
    const failed = c.types_failed ?? 0;
    return `${c.types ?? 0} types, ${failed} failed; ${c.items_written ?? 0} policies written`;
  }
  return `${c.items ?? 0} snapshot items`;
}

/** Reads the events file of the local stack: counts per detail type. */
export function eventCounts(eventsFile: string): Record<string, number> {
  const counts: Record<string, number> = {};
  if (!existsSync(eventsFile)) return counts;
  for (const line of readFileSync(eventsFile, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const type = (JSON.parse(line) as { 'detail-type'?: string })['detail-type'] ?? 'unknown';
    counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}

export function curlExamples(apiUrl: string, seed: DemoSeed): { title: string; command: string }[] {
  const first = seed.tenants[0]!;
  const partial = seed.tenants.find((t) => t.failedTypes.length > 0) ?? first;
  const auth = '-H "Authorization: Bearer $TOKEN"';
  return [
    { title: `Findings of ${first.name}, newest first`, command: `curl -s ${auth} ${apiUrl}/tenants/${first.tenantId}/findings` },
    { title: 'Only missing policies', command: `curl -s ${auth} "${apiUrl}/tenants/${first.tenantId}/findings?changeType=missing_policy"` },
    { title: `Compare runs of ${partial.name} (one type uncovered)`, command: `curl -s ${auth} "${apiUrl}/tenants/${partial.tenantId}/operation-runs?type=baseline_compare"` },
    {
      title: `Start another compare of ${first.name}`,
      command: `curl -s -X POST ${auth} -H "Content-Type: application/json" -d '{"profileId":"${seed.profileId}"}' ${apiUrl}/tenants/${first.tenantId}/baseline-compares`,
    },
    { title: 'The tenants of the token, by name', command: `curl -s ${auth} ${apiUrl}/tenants` },
    { title: 'The OpenAPI document (no token needed)', command: `curl -s ${apiUrl}/openapi.json` },
  ];
}

export interface SummaryWebhook {
  id: string;
  url: string;
  secret: string;
  /** Events delivered to it, by webhook event type. */
  delivered: Record<string, number>;
  deadLettered: number;
}

export async function collectSummary(input: {
  webhook?: SummaryWebhook;
  repos: Pick<Repositories, 'runs' | 'findings'>;
  seed: DemoSeed;
  round: DemoRound;
  eventsFile: string;
  apiUrl: string;
  token: string;
  acceptance?: DemoAcceptance;
  /** Path of the console on the API's origin, e.g. `/console/`. */
  consolePath?: string;
}): Promise<DemoSummary> {
  const { seed, repos } = input;
  const tenants: SummaryTenant[] = [
    { tenantId: seed.golden.tenantId, name: seed.golden.name, role: 'golden', note: `source of snapshot ${seed.snapshotId} (${seed.snapshotItems} items)` },
    ...seed.tenants.map((t) => ({ tenantId: t.tenantId, name: t.name, role: 'assigned' as const, note: t.story })),
  ];
  const runs: SummaryRun[] = [];
  for (const t of tenants) {
    for (const run of await allRuns(repos, t.tenantId)) {
      runs.push({ tenant: t.name, runId: run.id, type: run.type, status: run.status, outcome: run.outcome, detail: runDetail(run) });
    }
  }
  const byChangeType = Object.fromEntries(CHANGE_TYPES.map((c) => [c, 0])) as Record<ChangeType, number>;
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const rows: DemoSummary['findings']['rows'] = [];
  for (const t of seed.tenants) {
    for (const f of await allFindings(repos, t.tenantId)) {
      byChangeType[f.changeType] += 1;
      bySeverity[f.severity] += 1;
      rows.push({ tenant: t.name, changeType: f.changeType, severity: f.severity, policyType: f.policyType, displayName: f.displayName, status: f.status });
    }
  }
  rows.sort((a, b) => (a.tenant + a.changeType + a.displayName < b.tenant + b.changeType + b.displayName ? -1 : 1));
  const { results: _results, ...dispatch } = input.round.dispatch;
  return {
    apiUrl: input.apiUrl,
    workspaceId: seed.workspaceId,
    profileId: seed.profileId,
    profileName: seed.profileName,
    snapshotId: seed.snapshotId,
    snapshotItems: seed.snapshotItems,
    tenants,
    runs,
    findings: { total: rows.length, byChangeType, bySeverity, rows },
    events: eventCounts(input.eventsFile),
    ...(input.webhook !== undefined ? { webhook: input.webhook } : {}),
    dispatch,
    ...(input.acceptance ? { acceptance: input.acceptance } : {}),
    token: input.token,
    ...(input.consolePath !== undefined ? { consoleUrl: `${input.apiUrl}${input.consolePath}#token=${input.token}` } : {}),
    curl: curlExamples(input.apiUrl, seed),
  };
}

export function renderSummary(s: DemoSummary): string {
  const out: string[] = [];
  out.push(`Baseline Drift Engine, local stack: demo workspace ${s.workspaceId}, profile "${s.profileName}" (${s.profileId})`, '');
  out.push('Tenants');
  out.push(renderTable(['tenant', 'tenant id', 'role', 'what to look for'], s.tenants.map((t) => [t.name, t.tenantId, t.role, t.note])));
  out.push('', `Runs (compare round: window ${s.dispatch.windowStart}, ${s.dispatch.assignments} assignments, ${s.dispatch.started} started, ${s.dispatch.failed} failed)`);
  out.push(renderTable(['tenant', 'type', 'outcome', 'detail', 'run id'], s.runs.map((r) => [r.tenant, r.type, r.outcome, r.detail, r.runId])));
  out.push('', `Findings (${s.findings.total})`);
  out.push(
    renderTable(
      ['by change type', 'count', 'by severity', 'count'],
      Array.from({ length: Math.max(CHANGE_TYPES.length, SEVERITIES.length) }, (_, i) => {
        const c = CHANGE_TYPES[i];
        const sev = SEVERITIES[SEVERITIES.length - 1 - i];
        return [c ?? '', c ? s.findings.byChangeType[c] : '', sev ?? '', sev ? s.findings.bySeverity[sev] : ''];
      }),
    ),
  );
  out.push(renderTable(['tenant', 'change type', 'severity', 'policy type', 'policy', 'status'], s.findings.rows.map((f) => [f.tenant, f.changeType, f.severity, f.policyType, f.displayName, f.status])));
  if (s.acceptance) {
    const a = s.acceptance;
    out.push('', 'Accepted deviation, still watched (accepted, then changed further by the tenant)');
    out.push(
      renderTable(
        ['tenant', 'policy', 'accepted by', 'expires', 'after the next compare', 'why'],
        [[a.tenant, a.policy, a.acceptedBy, a.expiresAt ?? 'never', a.status, a.reopenReason ?? '']],
      ),
    );
  }
  const events = Object.entries(s.events).sort(([a], [b]) => (a < b ? -1 : 1));
  out.push('', `Events sent (${events.reduce((n, [, c]) => n + c, 0)})`);
  out.push(events.length > 0 ? renderTable(['detail type', 'count'], events.map(([t, c]) => [t, c])) : '(none)');
  if (s.webhook !== undefined) {
    const w = s.webhook;
    const delivered = Object.entries(w.delivered).sort(([a], [b]) => (a < b ? -1 : 1));
    out.push('', `Webhook ${w.id} -> ${w.url} (signing secret, shown once: ${w.secret})`);
    out.push(renderTable(['event', 'delivered'], [...delivered.map(([t, c]) => [t, c]), ['dead-lettered', w.deadLettered]]));
  }
  out.push('', `Where to look next: the API at ${s.apiUrl}. An operator token for the demo workspace (valid 12 hours):`, '');
  out.push(`export TOKEN=${s.token}`, '');
  for (const c of s.curl) out.push(`# ${c.title}`, c.command, '');
  out.push('Another token: npm run drift -- token --workspace ' + s.workspaceId + ' --tenant ' + s.tenants.filter((t) => t.role === 'assigned').map((t) => t.tenantId).join(',') + ' --role reader');
  if (s.consoleUrl !== undefined) out.push('', 'The console in a browser (the token stays in the tab, not in the address):', `Console: ${s.consoleUrl}`);
  return out.join('\n');
}
