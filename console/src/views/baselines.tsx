/**
 * Baseline profiles: their snapshots with item counts per type, the tenants assigned to them, and the
 * actions of the role: capture a snapshot from a source tenant (admin, followed until it completes),
 * compare an assigned tenant (operator, on the tenant's runs page).
 */
import { useState } from 'preact/hooks';
import { must } from '../api/client';
import { useApp } from '../app-context';
import { ActionForm, Badge, DataTable, Load, PageHeader, PageTitle, SelectField, TenantLabel, useLoad } from '../components';
import { formatDateTime, label } from '../format';
import { href } from '../route';
import { RunProgress, useRunProgress } from '../run-progress';
import { roleAtLeast } from '../session';

function Capture({ profileId, onDone }: { profileId: string; onDone: () => void }) {
  const { api, claims, tenantName } = useApp();
  const [source, setSource] = useState(claims.tenantIds[0] ?? '');
  const progress = useRunProgress(onDone);
  return (
    <ActionForm
      legend="Capture a new snapshot"
      onSubmit={() => {
        must(api.POST('/baseline-profiles/{profileId}/snapshots', { params: { path: { profileId } }, body: { sourceTenantId: source, activate: true } })).then(
          (accepted) => progress.follow(accepted.runId),
          (err: unknown) => progress.fail(err),
        );
      }}
    >
      <SelectField id="capture-source" text="Source (golden) tenant" value={source} options={claims.tenantIds.map((t) => ({ value: t, text: tenantName(t) }))} onChange={setSource} />
        <button type="submit" disabled={progress.busy}>
          Capture
        </button>
        <RunProgress what="Capture" state={progress} />
    </ActionForm>
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
          <PageHeader title={`Baseline profile ${profile.name}`} link={{ href: href.baselines(), text: 'All profiles' }} />
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
          <DataTable caption={<>Assigned tenants ({assignments.length})</>} columns={['Tenant', 'Scope', 'Assigned', 'Open']}>
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
            </DataTable>
          {snapshots.map((s) => (
            <DataTable key={s.id} class="data snapshot" caption={<>Snapshot <code>{s.id}</code> {s.id === profile.activeSnapshotId ? <Badge value="succeeded" text="Active" /> : null} <Badge value={s.status === 'complete' ? 'completed' : s.status} text={label(s.status)} />,{' '}
                captured {formatDateTime(s.capturedAt)}, {s.itemCount} items</>} columns={['Policy type', 'Items']}>
                {Object.entries(s.itemCounts)
                  .sort(([a], [b]) => a.localeCompare(b))
                  .map(([type, n]) => (
                    <tr key={type}>
                      <th scope="row">{type}</th>
                      <td>{n}</td>
                    </tr>
                  ))}
              </DataTable>
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
          <DataTable caption={<>Profiles of the workspace ({page.items.length})</>} columns={['Profile', 'Status', 'Active snapshot', 'Updated']}>
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
            </DataTable>
        )}
      </Load>
    </section>
  );
}
