/**
 * Baseline profiles: their snapshots with item counts per type, the tenants assigned to them, and the
 * actions of the role: capture a snapshot from a source tenant (admin, followed until it completes),
 * compare an assigned tenant (operator, on the tenant's runs page).
 */
import { useEffect, useState } from 'preact/hooks';
import { must, type OperationRun } from '../api/client';
import { useApp } from '../app-context';
import { Badge, Load, PageTitle, ProblemBox, TenantLabel, useLoad } from '../components';
import { formatDateTime, label } from '../format';
import { href } from '../route';
import { roleAtLeast } from '../session';

function Capture({ profileId, onDone }: { profileId: string; onDone: () => void }) {
  const { api, claims, tenantName } = useApp();
  const [source, setSource] = useState(claims.tenantIds[0] ?? '');
  const [runId, setRunId] = useState<string>();
  const [run, setRun] = useState<OperationRun>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    if (runId === undefined) return undefined;
    let stopped = false;
    void (async () => {
      while (!stopped) {
        try {
          const r = await must(api.GET('/operation-runs/{runId}', { params: { path: { runId } } }));
          setRun(r);
          if (r.status === 'completed') {
            onDone();
            return;
          }
        } catch (err) {
          setError(err);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    })();
    return () => {
      stopped = true;
    };
  }, [runId]);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        setError(undefined);
        must(api.POST('/baseline-profiles/{profileId}/snapshots', { params: { path: { profileId } }, body: { sourceTenantId: source, activate: true } })).then(
          (a) => setRunId(a.runId),
          (err: unknown) => setError(err),
        );
      }}
    >
      <fieldset>
        <legend>Capture a new snapshot</legend>
        <div class="field">
          <label for="capture-source">Source (golden) tenant</label>
          <select id="capture-source" value={source} onChange={(e) => setSource((e.currentTarget).value)}>
            {claims.tenantIds.map((t) => (
              <option key={t} value={t}>
                {tenantName(t)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={run !== undefined && run.status !== 'completed'}>
          Capture
        </button>
        <p role="status" aria-live="polite">
          {run ? `Capture ${run.id}: ${label(run.status)}${run.status === 'completed' ? `, ${label(run.outcome)}` : '…'}` : runId ? 'Capture started…' : ''}
        </p>
        {error !== undefined ? <ProblemBox error={error} /> : null}
      </fieldset>
    </form>
  );
}

function Profile({ profileId }: { profileId: string }) {
  const { api, claims, tenantName } = useApp();
  const state = useLoad(
    async () => {
      const [profile, snapshots, assignments] = await Promise.all([
        must(api.GET('/baseline-profiles/{profileId}', { params: { path: { profileId } } })),
        must(api.GET('/baseline-profiles/{profileId}/snapshots', { params: { path: { profileId }, query: { limit: 10 } } })),
        must(api.GET('/baseline-profiles/{profileId}/assignments', { params: { path: { profileId } } })),
      ]);
      return { profile, snapshots: snapshots.items, assignments: assignments.items };
    },
    [profileId],
  );
  return (
    <Load state={state} what="the profile">
      {({ profile, snapshots, assignments }) => (
        <>
          <PageTitle>Baseline profile {profile.name}</PageTitle>
          <p>
            <a href={href.baselines()}>All profiles</a>
          </p>
          <dl class="facts">
            <dt>Status</dt>
            <dd>
              <Badge value={profile.status} text={label(profile.status)} />
            </dd>
            <dt>Scope</dt>
            <dd>
              {profile.scope.policy_types.length === 0 ? 'every policy type' : profile.scope.policy_types.join(', ')}
              {profile.scope.foundation_types.length > 0 ? `; foundation: ${profile.scope.foundation_types.join(', ')}` : ''}
            </dd>
            <dt>Alerts from</dt>
            <dd>{label(profile.alertMinSeverity)}</dd>
            <dt>Auto-resolve</dt>
            <dd>{profile.autoResolve ? 'on' : 'off'}</dd>
          </dl>
          <table class="data">
            <caption>Assigned tenants ({assignments.length})</caption>
            <thead>
              <tr>
                <th scope="col">Tenant</th>
                <th scope="col">Scope</th>
                <th scope="col">Assigned</th>
                <th scope="col">Open</th>
              </tr>
            </thead>
            <tbody>
              {assignments.map((a) => (
                <tr key={a.tenantId}>
                  <th scope="row">
                    <TenantLabel tenantId={a.tenantId} name={tenantName(a.tenantId)} />
                  </th>
                  <td>{a.scopeOverride ? `override: ${a.scopeOverride.policy_types.join(', ')}` : 'the profile\'s'}</td>
                  <td>
                    {formatDateTime(a.assignedAt)} by {a.assignedBy}
                  </td>
                  <td class="links">
                    <a href={href.findings(a.tenantId)}>Findings</a> <a href={href.runs(a.tenantId)}>Runs and compare</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {snapshots.map((s) => (
            <table key={s.id} class="data snapshot">
              <caption>
                Snapshot <code>{s.id}</code> {s.id === profile.activeSnapshotId ? <Badge value="succeeded" text="Active" /> : null} <Badge value={s.status === 'complete' ? 'completed' : s.status} text={label(s.status)} />,{' '}
                captured {formatDateTime(s.capturedAt)}, {s.itemCount} items
              </caption>
              <thead>
                <tr>
                  <th scope="col">Policy type</th>
                  <th scope="col">Items</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(s.itemCounts)
                  .sort(([a], [b]) => a.localeCompare(b))
                  .map(([type, n]) => (
                    <tr key={type}>
                      <th scope="row">{type}</th>
                      <td>{n}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          ))}
          {roleAtLeast(claims.role, 'admin') ? <Capture profileId={profile.id} onDone={state.reload} /> : <p class="muted">Capturing a snapshot needs the admin role.</p>}
        </>
      )}
    </Load>
  );
}

export function Baselines({ profileId }: { profileId?: string }) {
  const { api } = useApp();
  const state = useLoad(() => must(api.GET('/baseline-profiles', { params: { query: { limit: 100 } } })), []);
  if (profileId !== undefined) return <Profile profileId={profileId} />;
  return (
    <section>
      <PageTitle>Baseline profiles</PageTitle>
      <Load state={state} what="profiles">
        {(page) => (
          <table class="data">
            <caption>Profiles of the workspace ({page.items.length})</caption>
            <thead>
              <tr>
                <th scope="col">Profile</th>
                <th scope="col">Status</th>
                <th scope="col">Active snapshot</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <a href={href.baselines(p.id)}>{p.name}</a>
                  </th>
                  <td>
                    <Badge value={p.status} text={label(p.status)} />
                  </td>
                  <td>{p.activeSnapshotId ? <code>{p.activeSnapshotId}</code> : 'none'}</td>
                  <td>{formatDateTime(p.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Load>
    </section>
  );
}
