/**
 * The start page: the baseline profiles of the workspace with their assigned tenants, each tenant's
 * last compare and its outcome, and where to go next (findings, runs). The fleet matrix replaces the
 * per-profile table when the API offers the fleet endpoint.
 */
import { must, type Assignment, type BaselineProfile, type OperationRun } from '../api/client';
import { useApp } from '../app-context';
import { Badge, Load, PageTitle, TenantLabel, useLoad } from '../components';
import { formatDateTime, label } from '../format';
import { href } from '../route';

interface ProfileRow {
  profile: BaselineProfile;
  assignments: Assignment[];
}

function LastCompare({ tenantId }: { tenantId: string }) {
  const { api } = useApp();
  const state = useLoad(
    () => must(api.GET('/tenants/{tenantId}/operation-runs', { params: { path: { tenantId }, query: { type: 'baseline_compare', limit: 1 } } })),
    [tenantId],
  );
  if (state.error !== undefined) return <td colSpan={2}>could not be read</td>;
  if (state.data === undefined) return <td colSpan={2}>…</td>;
  const run: OperationRun | undefined = state.data.items[0];
  if (run === undefined) return <td colSpan={2}>no compare yet</td>;
  return (
    <>
      <td>{formatDateTime(run.completedAt ?? run.createdAt)}</td>
      <td>
        <Badge value={run.outcome === 'pending' ? run.status : run.outcome} />
      </td>
    </>
  );
}

export function Home() {
  const { api, claims, tenantName } = useApp();
  const state = useLoad(async (): Promise<ProfileRow[]> => {
    const profiles = await must(api.GET('/baseline-profiles', { params: { query: { limit: 100 } } }));
    return Promise.all(
      profiles.items.map(async (profile) => ({
        profile,
        assignments: (await must(api.GET('/baseline-profiles/{profileId}/assignments', { params: { path: { profileId: profile.id } } }))).items,
      })),
    );
  }, []);
  const assigned = new Set(state.data?.flatMap((r) => r.assignments.map((a) => a.tenantId)) ?? []);
  const others = claims.tenantIds.filter((t) => !assigned.has(t));
  return (
    <section aria-labelledby="page-title">
      <PageTitle>Tenants</PageTitle>
      <p>
        Workspace <code>{claims.workspaceId}</code>: the tenants you may see, by the baseline profile they are compared against.
      </p>
      <Load state={state} what="profiles and tenants">
        {(rows) => (
          <>
            {rows.length === 0 ? <p>The workspace has no baseline profile yet.</p> : null}
            {rows.map(({ profile, assignments }) => (
              <table key={profile.id} class="data">
                <caption>
                  Profile <a href={href.baselines(profile.id)}>{profile.name}</a> <Badge value={profile.status} text={label(profile.status)} /> ·{' '}
                  {assignments.length} assigned tenant{assignments.length === 1 ? '' : 's'}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Tenant</th>
                    <th scope="col">Last compare</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Open</th>
                  </tr>
                </thead>
                <tbody>
                  {assignments.map((a) => (
                    <tr key={a.tenantId}>
                      <th scope="row">
                        <TenantLabel tenantId={a.tenantId} name={tenantName(a.tenantId)} />
                      </th>
                      <LastCompare tenantId={a.tenantId} />
                      <td class="links">
                        <a href={href.findings(a.tenantId)} aria-label={`Findings of ${tenantName(a.tenantId)}`}>
                          Findings
                        </a>{' '}
                        <a href={href.runs(a.tenantId)} aria-label={`Runs of ${tenantName(a.tenantId)}`}>
                          Runs
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ))}
            {others.length > 0 ? (
              <table class="data">
                <caption>Other tenants in your token (not assigned to a profile)</caption>
                <thead>
                  <tr>
                    <th scope="col">Tenant</th>
                    <th scope="col">Open</th>
                  </tr>
                </thead>
                <tbody>
                  {others.map((t) => (
                    <tr key={t}>
                      <th scope="row">
                        <TenantLabel tenantId={t} name={tenantName(t)} />
                      </th>
                      <td class="links">
                        <a href={href.findings(t)} aria-label={`Findings of ${tenantName(t)}`}>
                          Findings
                        </a>{' '}
                        <a href={href.runs(t)} aria-label={`Runs of ${tenantName(t)}`}>
                          Runs
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </>
        )}
      </Load>
    </section>
  );
}
