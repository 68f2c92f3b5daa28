/**
 * The runs of a tenant (compares, inventory syncs, captures) with their outcome and counts; a run's
 * page shows its coverage per type (which types were not compared, and why), its gaps ("why no
 * findings") and failures. An operator starts a compare here and watches it until it completes.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiProblem, must, type OperationRun } from '../api/client';
import { useApp } from '../app-context';
import { Badge, Load, PageTitle, ProblemBox, useLoad } from '../components';
import { formatDateTime, label, show } from '../format';
import { href } from '../route';
import { roleAtLeast } from '../session';

const POLL_MS = 1000;

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
          <table class="data coverage">
            <caption>Coverage per policy type</caption>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Compared</th>
                <th scope="col">Why not</th>
              </tr>
            </thead>
            <tbody>
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
            </tbody>
          </table>
          {cmp.gaps.length > 0 ? (
            <table class="data gaps">
              <caption>Gaps: policies that could not be compared one to one</caption>
              <thead>
                <tr>
                  <th scope="col">Policy</th>
                  <th scope="col">In baseline</th>
                  <th scope="col">In tenant</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {cmp.gaps.map((g, i) => (
                  <tr key={i}>
                    <th scope="row">{show(g.displayName ?? g.subjectKey)}</th>
                    <td>{show(g.baselineCount)}</td>
                    <td>{show(g.currentCount)}</td>
                    <td>{show(g.reason ?? g.kind, 'several policies share this name: no finding until names are unique')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>No gaps: every policy of the compared types was matched one to one.</p>
          )}
        </>
      ) : null}
      {sync.length > 0 ? (
        <table class="data coverage">
          <caption>What the sync collected</caption>
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col">Items</th>
            </tr>
          </thead>
          <tbody>
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
          </tbody>
        </table>
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
  const [runId, setRunId] = useState<string>();
  const [run, setRun] = useState<OperationRun>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    if (runId === undefined) return undefined;
    let stopped = false;
    const poll = async () => {
      while (!stopped) {
        try {
          const r = await must(api.GET('/operation-runs/{runId}', { params: { path: { runId } } }));
          setRun(r);
          if (r.status === 'completed') {
            onCompleted();
            return;
          }
        } catch (err) {
          setError(err);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    };
    void poll();
    return () => {
      stopped = true;
    };
  }, [runId]);
  const start = async () => {
    setError(undefined);
    setRun(undefined);
    const chosen = profileId || profiles.data?.items[0]?.profileId;
    if (!chosen) return;
    try {
      const accepted = await must(api.POST('/tenants/{tenantId}/baseline-compares', { params: { path: { tenantId } }, body: { profileId: chosen } }));
      setRunId(accepted.runId);
    } catch (err) {
      if (err instanceof ApiProblem && err.extra.activeRunId) setRunId(err.extra.activeRunId);
      setError(err);
    }
  };
  const items = profiles.data?.items ?? [];
  return (
    <form
      class="start-compare"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <fieldset>
        <legend>Compare now</legend>
        {items.length === 0 ? (
          <p>The tenant is not assigned to a baseline profile.</p>
        ) : (
          <>
            <div class="field">
              <label for="compare-profile">Baseline profile</label>
              <select id="compare-profile" value={profileId || items[0]!.profileId} onChange={(e) => setProfileId((e.currentTarget).value)}>
                {items.map((a) => (
                  <option key={a.profileId} value={a.profileId}>
                    {a.profileId}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" disabled={run !== undefined && run.status !== 'completed'}>
              Start a compare
            </button>
          </>
        )}
        <p role="status" aria-live="polite">
          {run ? `Compare ${run.id}: ${label(run.status)}${run.status === 'completed' ? `, ${label(run.outcome)}` : '…'}` : runId ? 'Compare started…' : ''}
        </p>
        {error !== undefined ? <ProblemBox error={error} /> : null}
      </fieldset>
    </form>
  );
}

export function Runs({ tenantId, runId }: { tenantId: string; runId?: string }) {
  const { api, claims, tenantName } = useApp();
  const state = useLoad(() => must(api.GET('/tenants/{tenantId}/operation-runs', { params: { path: { tenantId }, query: { limit: 50 } } })), [tenantId]);
  const name = tenantName(tenantId);
  return (
    <section>
      <PageTitle>Runs of {name}</PageTitle>
      <p>
        <a href={href.findings(tenantId)}>Findings of {name}</a>
      </p>
      {roleAtLeast(claims.role, 'operator') ? <StartCompare tenantId={tenantId} onCompleted={state.reload} /> : null}
      <Load state={state} what="runs">
        {(page) => {
          const open = runId ?? page.items.find((r) => r.type === 'baseline_compare')?.id;
          const shown = page.items.find((r) => r.id === open);
          return (
            <>
              <table class="data runs">
                <caption>Runs, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Run</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">When</th>
                    <th scope="col">Counts</th>
                  </tr>
                </thead>
                <tbody>
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
                </tbody>
              </table>
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
