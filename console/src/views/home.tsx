/**
 * The start page: the baseline profiles of the workspace with their assigned tenants, each tenant's
 * last compare and its outcome, and where to go next (findings, runs, the profile's fleet matrix).
 */
import { must, type Assignment, type BaselineProfile, type OperationRun } from '../api/client';
import { useApp } from '../app-context';
import { Badge, DataTable, Load, PageTitle, TenantLabel, useLoad } from '../components';
import { formatDateTime, label } from '../format';
import { href } from '../route';

interface ProfileRow {
  profile: BaselineProfile;
  assignments: Assignment[];
}

/** A tenant's row: its name and id, its last compare when asked, links to its findings and runs. */
function TenantRow({ tenantId, compare }: { tenantId: string; compare: boolean }) {
  const { tenantName } = useApp();
  const name = tenantName(tenantId);
  return (
    <tr>
      <th scope="row">
        <TenantLabel tenantId={tenantId} name={name} />
      </th>
      {compare ? <LastCompare tenantId={tenantId} /> : null}
      <td class="links">
        <a href={href.findings(tenantId)} aria-label={`Findings of ${name}`}>
          Findings
        </a>{' '}
        <a href={href.runs(tenantId)} aria-label={`Runs of ${name}`}>
          Runs
        </a>
      </td>
    </tr>
  );
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
  const { api, claims } = useApp();
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
    <section>
      <PageTitle>Tenants</PageTitle>
      <p>
        Workspace <code>{claims.workspaceId}</code>: the tenants you may see, by the baseline profile they are compared against.
      </p>
      <Load state={state} what="profiles and tenants">
        {(rows) => (
          <>
            {rows.length === 0 ? <p>The workspace has no baseline profile yet.</p> : null}
            {rows.map(({ profile, assignments }) => (
              <DataTable
                key={profile.id}
                caption={
                  <>
                    Profile <a href={href.baselines(profile.id)}>{profile.name}</a> <Badge value={profile.status} text={label(profile.status)} /> · {assignments.length} assigned tenant
                    {assignments.length === 1 ? '' : 's'} · <a href={href.fleet(profile.id)}>Fleet matrix</a>
                  </>
                }
                columns={['Tenant', 'Last compare', 'Outcome', 'Open']}
              >
                {assignments.map((a) => (
                  <TenantRow key={a.tenantId} tenantId={a.tenantId} compare />
                ))}
              </DataTable>
            ))}
            {others.length > 0 ? (
              <DataTable caption="Other tenants in your token (not assigned to a profile)" columns={['Tenant', 'Open']}>
                {others.map((t) => (
                  <TenantRow key={t} tenantId={t} compare={false} />
                ))}
              </DataTable>
            ) : null}
          </>
        )}
      </Load>
    </section>
  );
}
