/**
 * Baseline profiles: their snapshots with item counts per type, the tenants assigned to them, the
 * profile's ignored properties and each tenant's exceptions (its own ignored properties, group mappings
 * and subject links, read only), and the
 * actions of the role: capture a snapshot from a source tenant (admin, followed until it completes),
 * compare an assigned tenant (operator, on the tenant's runs page).
 */
import { useState } from 'preact/hooks';
import { must, type Schemas } from '../api/client';
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

function IgnoredProperties({ caption, items }: { caption: string; items: Schemas['IgnoredProperty'][] }) {
  if (items.length === 0) return <p>{caption}: none.</p>;
  return (
    <DataTable class="data ignored" caption={`${caption} (${items.length}): removed from both sides before hashing, never drift`} columns={['Policy type', 'Property (JSON pointer)', 'Why']}>
      {items.map((i) => (
        <tr key={`${i.policyType}:${i.path}`}>
          <th scope="row">{i.policyType}</th>
          <td>
            <code>{i.path}</code>
          </td>
          <td>{i.reason}</td>
        </tr>
      ))}
    </DataTable>
  );
}

/** A tenant's exceptions: its own ignored properties, its group mappings and its subject links (read only). */
function TenantExceptions({ assignment }: { assignment: Schemas['Assignment'] }) {
  const { api, tenantName } = useApp();
  const tenantId = assignment.tenantId;
  const name = tenantName(tenantId);
  const state = useLoad(async () => {
    const [mappings, links] = await Promise.all([
      must(api.GET('/tenants/{tenantId}/group-mappings', { params: { path: { tenantId } } })),
      must(api.GET('/tenants/{tenantId}/subject-links', { params: { path: { tenantId } } })),
    ]);
    return { mappings, links: links.items };
  }, [tenantId]);
  return (
    <section class="exceptions" aria-labelledby={`exceptions-${tenantId}`}>
      <h3 id={`exceptions-${tenantId}`}>Exceptions of {name}</h3>
      <IgnoredProperties caption={`Ignored properties of ${name} (besides the profile's)`} items={assignment.ignoredProperties ?? []} />
      <Load state={state} what={`the exceptions of ${name}`}>
        {({ mappings, links }) => (
          <>
            {mappings.mappings.length === 0 ? (
              <p>Group mappings of {name}: none (groups are matched by object id, then by name).</p>
            ) : (
              <DataTable
                class="data group-mappings"
                caption={
                  <>
                    Group mappings of {name} ({mappings.mappings.length}){mappings.updatedAt ? `, updated ${formatDateTime(mappings.updatedAt)}${mappings.updatedBy ? ` by ${mappings.updatedBy}` : ''}` : ''}
                  </>
                }
                columns={['Baseline group', 'Tenant group']}
              >
                {mappings.mappings.map((m) => (
                  <tr key={m.baselineGroup}>
                    <th scope="row">{m.baselineGroup}</th>
                    <td>
                      <code>{m.tenantGroupId}</code>
                    </td>
                  </tr>
                ))}
              </DataTable>
            )}
            {links.length === 0 ? (
              <p>Subject links of {name}: none (policies are matched by name).</p>
            ) : (
              <DataTable class="data subject-links" caption={`Subject links of ${name} (${links.length}): a renamed policy compared with its baseline subject`} columns={['Baseline subject', 'Tenant policy', 'Type', 'Linked']}>
                {links.map((l) => (
                  <tr key={l.linkId}>
                    <th scope="row">
                      <code>{l.baselineSubjectKey}</code>
                    </th>
                    <td>{l.tenantDisplayName}</td>
                    <td>{l.policyType}</td>
                    <td>
                      {formatDateTime(l.createdAt)} by {l.createdBy}
                    </td>
                  </tr>
                ))}
              </DataTable>
            )}
          </>
        )}
      </Load>
    </section>
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
          <PageHeader title={`Baseline profile ${profile.name}`} link={{ href: href.fleet(profile.id), text: 'Fleet matrix of this profile' }} />
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
          <h2>Ignored properties and tenant exceptions</h2>
          <IgnoredProperties caption="Ignored properties of the profile" items={profile.ignoredProperties ?? []} />
          {assignments.map((a) => (
            <TenantExceptions key={a.tenantId} assignment={a} />
          ))}
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
