/**
 * The runs of a tenant (compares, inventory syncs, captures) with their outcome and counts; a run's
 * page shows its coverage per type (which types were not compared, and why), its gaps ("why no
 * findings"), failures and, for a completed compare, its evidence export (JSON, CSV, HTML). An
 * operator starts a compare here and watches it until it completes.
 */
import { useState } from 'preact/hooks';
import { ApiProblem, must, type OperationRun } from '../api/client';
import { useApp } from '../app-context';
import { ActionForm, ActionOutcome, Badge, DataTable, Load, PageHeader, ProblemBox, SelectField, useLoad } from '../components';
import { formatDateTime, label, show } from '../format';
import { href } from '../route';
import { RunProgress, useRunProgress } from '../run-progress';
import { roleAtLeast } from '../session';

function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function outcomeOf(run: OperationRun): string {
  return run.status === 'completed' ? run.outcome : run.status;
}

/** One line of counts, as a person reads them. */
export function runCounts(run: OperationRun): string {
  const c = run.summaryCounts;
  if (run.type === 'baseline_compare') {
    const parts = [`${c.processed ?? 0} of ${c.total ?? 0} types compared`];
    if ((c.errors_recorded ?? 0) > 0) parts.push(`${c.errors_recorded} not compared`);
    parts.push(`${c.subjects ?? 0} policies, ${c.aligned ?? 0} aligned`, `${c.findings_new ?? 0} new findings`);
    return parts.join(', ');
  }
  if (run.type === 'inventory_sync') return `${c.types ?? 0} types, ${c.types_failed ?? 0} failed, ${c.items_written ?? 0} policies written`;
  return `${c.items ?? 0} snapshot items`;
}

interface UncoveredType {
  type: string;
  reason: string;
  error?: string;
}

function compareContext(run: OperationRun) {
  const ctx = record(run.context.baseline_compare);
  const coverage = record(ctx.coverage);
  const uncovered: UncoveredType[] = Array.isArray(coverage.uncovered_types)
    ? coverage.uncovered_types.map((u) => record(u)).map((u) => ({ type: show(u.type), reason: show(u.reason), ...(typeof u.error === 'string' ? { error: u.error } : {}) }))
    : [];
  const comparable = Array.isArray(coverage.comparable_types) ? coverage.comparable_types.map((t) => show(t)) : [];
  const gaps = Array.isArray(ctx.gaps) ? ctx.gaps.map((g) => record(g)) : [];
  return { ctx, comparable, uncovered, gaps, proof: coverage.proof === true };
}

function syncCoverage(run: OperationRun): { type: string; status: string; count?: number; error?: string }[] {
  const cov = record(record(run.context.inventory).coverage);
  const out: { type: string; status: string; count?: number; error?: string }[] = [];
  for (const group of ['policy_types', 'foundation_types']) {
    for (const [type, entry] of Object.entries(record(cov[group]))) {
      const e = record(entry);
      out.push({ type, status: show(e.status, 'unknown'), ...(typeof e.item_count === 'number' ? { count: e.item_count } : {}), ...(typeof e.error === 'string' ? { error: e.error } : {}) });
    }
  }
  return out;
}

const EVIDENCE_FORMATS = [
  { format: 'json', text: 'JSON (with its SHA-256)' },
  { format: 'csv', text: 'CSV (one row per policy)' },
  { format: 'html', text: 'HTML (a printable page)' },
] as const;

/** The evidence export of a completed compare: each link downloads the document with the caller's token. */
function EvidenceLinks({ runId }: { runId: string }) {
  const { api, apiUrl } = useApp();
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState<string>();
  const download = async (format: (typeof EVIDENCE_FORMATS)[number]['format']) => {
    setError(undefined);
    try {
      const blob = await must(api.GET('/operation-runs/{runId}/evidence', { params: { path: { runId }, query: { format } }, parseAs: 'blob' }));
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `evidence-${runId}.${format}`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setSaved(`Saved evidence-${runId}.${format}.`);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section class="evidence" aria-labelledby={`evidence-${runId}`}>
      <h3 id={`evidence-${runId}`}>Evidence export</h3>
      <ul class="links">
        {EVIDENCE_FORMATS.map((e) => (
          <li key={e.format}>
            <a
              href={`${apiUrl}/operation-runs/${encodeURIComponent(runId)}/evidence?format=${e.format}`}
              download={`evidence-${runId}.${e.format}`}
              onClick={(ev) => {
                ev.preventDefault();
                void download(e.format);
              }}
            >
              Evidence as {e.text}
            </a>
          </li>
        ))}
      </ul>
      <ActionOutcome done={saved} error={error} />
    </section>
  );
}

function RunDetail({ run }: { run: OperationRun }) {
  const cmp = run.type === 'baseline_compare' ? compareContext(run) : undefined;
  const sync = run.type === 'inventory_sync' ? syncCoverage(run) : [];
  return (
    <article class="run" aria-labelledby={`run-${run.id}`}>
      <h2 id={`run-${run.id}`}>
        {label(run.type)} <Badge value={outcomeOf(run)} />
      </h2>
      <dl class="facts">
        <dt>Run</dt>
        <dd>
          <code>{run.id}</code>
        </dd>
        <dt>Started</dt>
        <dd>{formatDateTime(run.startedAt ?? run.createdAt)}</dd>
        <dt>Completed</dt>
        <dd>{formatDateTime(run.completedAt)}</dd>
        <dt>Started by</dt>
        <dd>{run.initiator}</dd>
        <dt>Counts</dt>
        <dd>{runCounts(run)}</dd>
      </dl>
      {cmp ? (
        <>
          <DataTable class="data coverage" caption="Coverage per policy type" columns={['Type', 'Compared', 'Why not']}>
              {cmp.comparable.map((t) => (
                <tr key={t}>
                  <th scope="row">{t}</th>
                  <td>
                    <Badge value="succeeded" text="Compared" />
                  </td>
                  <td>—</td>
                </tr>
              ))}
              {cmp.uncovered.map((u) => (
                <tr key={u.type} class="uncovered">
                  <th scope="row">{u.type}</th>
                  <td>
                    <Badge value="failed" text="Not compared" />
                  </td>
                  <td>
                    {label(u.reason)}
                    {u.error ? `: ${u.error}` : ''}. No findings were raised or resolved for it.
                  </td>
                </tr>
              ))}
            </DataTable>
          {cmp.gaps.length > 0 ? (
            <DataTable class="data gaps" caption="Gaps: policies that could not be compared one to one" columns={['Policy', 'In baseline', 'In tenant', 'Why']}>
                {cmp.gaps.map((g, i) => (
                  <tr key={i}>
                    <th scope="row">{show(g.displayName ?? g.subjectKey)}</th>
                    <td>{show(g.baselineCount)}</td>
                    <td>{show(g.currentCount)}</td>
                    <td>{show(g.reason ?? g.kind, 'several policies share this name: no finding until names are unique')}</td>
                  </tr>
                ))}
              </DataTable>
          ) : (
            <p>No gaps: every policy of the compared types was matched one to one.</p>
          )}
          {run.status === 'completed' && run.outcome !== 'failed' ? <EvidenceLinks runId={run.id} /> : null}
        </>
      ) : null}
      {sync.length > 0 ? (
        <DataTable class="data coverage" caption="What the sync collected" columns={['Type', 'Status', 'Items']}>
            {sync.map((s) => (
              <tr key={s.type}>
                <th scope="row">{s.type}</th>
                <td>
                  <Badge value={s.status} />
                  {s.error ? ` ${s.error}` : ''}
                </td>
                <td>{s.count ?? '—'}</td>
              </tr>
            ))}
          </DataTable>
      ) : null}
      {run.failureSummary.length > 0 ? (
        <ul class="failures" aria-label="Failures">
          {run.failureSummary.map((f) => (
            <li key={f.code}>
              <code>{f.code}</code> ({f.count}): {f.message}
            </li>
          ))}
        </ul>
      ) : null}
    </article>
  );
}

/** Starts a compare of the tenant and polls its run until it completes. */
function StartCompare({ tenantId, onCompleted }: { tenantId: string; onCompleted: () => void }) {
  const { api } = useApp();
  const profiles = useLoad(() => must(api.GET('/tenants/{tenantId}/assignments', { params: { path: { tenantId } } })), [tenantId]);
  const [profileId, setProfileId] = useState('');
  const progress = useRunProgress(onCompleted);
  const items = profiles.data?.items ?? [];
  const chosen = profileId || items[0]?.profileId;
  const start = () => {
    if (chosen === undefined) return;
    must(api.POST('/tenants/{tenantId}/baseline-compares', { params: { path: { tenantId } }, body: { profileId: chosen } })).then(
      (accepted) => progress.follow(accepted.runId),
      (err: unknown) => {
        // A compare already running: follow that one, and say so.
        if (err instanceof ApiProblem && err.extra.activeRunId) progress.follow(err.extra.activeRunId);
        progress.fail(err);
      },
    );
  };
  return (
    <ActionForm class="start-compare" legend="Compare now" onSubmit={start}>
        {items.length === 0 ? (
          <p>The tenant is not assigned to a baseline profile.</p>
        ) : (
          <>
            <SelectField id="compare-profile" text="Baseline profile" value={chosen ?? ''} options={items.map((a) => ({ value: a.profileId, text: a.profileId }))} onChange={setProfileId} />
            <button type="submit" disabled={progress.busy}>
              Start a compare
            </button>
          </>
        )}
        <RunProgress what="Compare" state={progress} />
    </ActionForm>
  );
}

export function Runs({ tenantId, runId }: { tenantId: string; runId?: string }) {
  const { api, claims, tenantName } = useApp();
  const state = useLoad(() => must(api.GET('/tenants/{tenantId}/operation-runs', { params: { path: { tenantId }, query: { limit: 50 } } })), [tenantId]);
  const name = tenantName(tenantId);
  return (
    <section>
      <PageHeader title={`Runs of ${name}`} link={{ href: href.findings(tenantId), text: `Findings of ${name}` }} />
      {roleAtLeast(claims.role, 'operator') ? <StartCompare tenantId={tenantId} onCompleted={state.reload} /> : null}
      <Load state={state} what="runs">
        {(page) => {
          const open = runId ?? page.items.find((r) => r.type === 'baseline_compare')?.id;
          const shown = page.items.find((r) => r.id === open);
          return (
            <>
              <DataTable class="data runs" caption="Runs, newest first" columns={['Run', 'Outcome', 'When', 'Counts']}>
                  {page.items.map((r) => (
                    <tr key={r.id} aria-current={r.id === open ? 'true' : undefined}>
                      <th scope="row">
                        <a href={href.runs(tenantId, r.id)}>{label(r.type)}</a>
                        <code class="id">{r.id}</code>
                      </th>
                      <td>
                        <Badge value={outcomeOf(r)} />
                      </td>
                      <td>{formatDateTime(r.completedAt ?? r.createdAt)}</td>
                      <td>{runCounts(r)}</td>
                    </tr>
                  ))}
                </DataTable>
              {shown ? <RunDetail run={shown} /> : runId ? <RunById runId={runId} /> : null}
            </>
          );
        }}
      </Load>
    </section>
  );
}

function RunById({ runId }: { runId: string }) {
  const { api } = useApp();
  const state = useLoad(() => must(api.GET('/operation-runs/{runId}', { params: { path: { runId } } })), [runId]);
  if (state.error !== undefined) return <ProblemBox error={state.error} />;
  return <Load state={state} what="the run">{(run) => <RunDetail run={run} />}</Load>;
}
