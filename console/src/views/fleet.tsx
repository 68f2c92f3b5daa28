/**
 * The fleet of a baseline profile: every assigned tenant with its last compare and totals, and the
 * matrix of subjects x tenants from `GET /baseline-profiles/{profileId}/fleet` (each state as text
 * and colour), filtered by policy type and state, paged by subject (10 to 100 a page). A cell with a finding opens it
 * (or the tenant's findings filtered to that subject's type and change); a gap or uncovered cell
 * opens the tenant's last compare.
 */
import { useState } from 'preact/hooks';
import { must, type Schemas } from '../api/client';
import { useApp } from '../app-context';
import { Badge, DataTable, Load, PageTitle, SelectField, useLoad } from '../components';
import { FLEET_STATES, formatDateTime, label } from '../format';
import { href } from '../route';

type FleetState = Schemas['FleetState'];
type FleetTenant = Schemas['FleetTenant'];
type FleetSubject = Schemas['FleetSubject'];
const PAGE_SIZES = [10, 25, 50, 100] as const;
const FINDING_STATES: Partial<Record<FleetState, { changeType?: Schemas['ChangeType']; status?: Schemas['FindingStatus'] }>> = {
  missing_policy: { changeType: 'missing_policy' },
  unexpected_policy: { changeType: 'unexpected_policy' },
  different_version: { changeType: 'different_version' },
  accepted: { status: 'risk_accepted' },
};

/** Where a cell leads: the tenant's findings of that type and change, or its last compare. */
export function cellHref(tenant: FleetTenant, subject: FleetSubject, state: FleetState): string | undefined {
  const filter = FINDING_STATES[state];
  if (filter !== undefined) {
    const q = new URLSearchParams({ policyType: subject.policyType, ...filter });
    return href.findings(tenant.tenantId, q);
  }
  if ((state === 'gap' || state === 'uncovered') && tenant.lastCompare) return href.runs(tenant.tenantId, tenant.lastCompare.runId);
  return undefined;
}

function Totals({ tenants }: { tenants: FleetTenant[] }) {
  return (
    <DataTable
      class="data fleet-totals"
      caption="Tenants: last compare against the active snapshot, and open findings of it"
      columns={['Tenant', 'Last compare', 'Outcome', 'Aligned', 'Missing', 'Unexpected', 'Different', 'Accepted', 'Gaps', 'Uncovered types']}
    >
      {tenants.map((t) => (
        <tr key={t.tenantId}>
          <th scope="row">
            <a href={href.findings(t.tenantId)} class="tenant-name">
              {t.displayName}
            </a>
          </th>
          <td>{t.lastCompare ? <a href={href.runs(t.tenantId, t.lastCompare.runId)}>{formatDateTime(t.lastCompare.completedAt)}</a> : 'not compared yet'}</td>
          <td>{t.lastCompare ? <Badge value={t.lastCompare.outcome} /> : <Badge value="not_compared" />}</td>
          <td>{t.counts.aligned + t.counts.aligned_meta}</td>
          <td>{t.counts.missing_policy}</td>
          <td>{t.counts.unexpected_policy}</td>
          <td>{t.counts.different_version}</td>
          <td>{t.counts.accepted}</td>
          <td>{t.counts.gaps}</td>
          <td>{t.counts.uncovered_types}</td>
        </tr>
      ))}
    </DataTable>
  );
}

/** Opens the tenant's finding of the subject when exactly one matches; the filtered list otherwise. */
function Cell({ tenant, subject }: { tenant: FleetTenant; subject: FleetSubject }) {
  const { api } = useApp();
  const state = subject.states[tenant.tenantId] ?? 'not_compared';
  const to = cellHref(tenant, subject, state);
  const badge = <Badge value={state} />;
  if (to === undefined) return <td class={`cell state-${state}`}>{badge}</td>;
  const filter = FINDING_STATES[state];
  const open = async (e: MouseEvent) => {
    if (filter === undefined || e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    try {
      const page = await must(
        api.GET('/tenants/{tenantId}/findings', {
          params: { path: { tenantId: tenant.tenantId }, query: { policyType: subject.policyType as Schemas['RegistryType'], ...filter, limit: 100 } },
        }),
      );
      const match = page.items.filter((f) => f.subjectKey === subject.subjectKey);
      window.location.hash = match.length === 1 ? href.finding(tenant.tenantId, match[0]!.fingerprint) : to;
    } catch {
      window.location.hash = to;
    }
  };
  return (
    <td class={`cell state-${state}`}>
      <a href={to} onClick={(e) => void open(e)} aria-label={`${subject.displayName} in ${tenant.displayName}: ${label(state)}`}>
        {badge}
      </a>
    </td>
  );
}

function Matrix({ profileId, policyTypes }: { profileId: string; policyTypes: string[] }) {
  const { api } = useApp();
  const [policyType, setPolicyType] = useState('');
  const [stateFilter, setStateFilter] = useState('');
  const [pageSize, setPageSize] = useState('25');
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [seenTypes, setSeenTypes] = useState<Set<string>>(new Set(policyTypes));
  const cursor = cursors[cursors.length - 1];
  const fleet = useLoad(
    () =>
      must(
        api.GET('/baseline-profiles/{profileId}/fleet', {
          params: {
            path: { profileId },
            query: {
              limit: Number(pageSize),
              ...(cursor ? { cursor } : {}),
              ...(policyType ? { policyType: policyType as Schemas['RegistryType'] } : {}),
              ...(stateFilter ? { state: stateFilter as FleetState } : {}),
            },
          },
        }),
      ),
    [profileId, policyType, stateFilter, pageSize, cursor],
  );
  const types = new Set([...seenTypes, ...(fleet.data?.subjects.map((x) => x.policyType) ?? [])]);
  if (types.size > seenTypes.size) setSeenTypes(types);
  const refilter = (set: (v: string) => void) => (v: string) => {
    set(v);
    setCursors([undefined]);
  };
  return (
    <>
      <form class="filters" aria-label="Filter the fleet" onSubmit={(e) => e.preventDefault()}>
        <SelectField id="fleet-type" text="Policy type" value={policyType} options={[...types].sort().map((t) => ({ value: t, text: t }))} onChange={refilter(setPolicyType)} any="Any" />
        <SelectField id="fleet-state" text="State (in at least one tenant)" value={stateFilter} options={FLEET_STATES.map((s) => ({ value: s, text: label(s) }))} onChange={refilter(setStateFilter)} any="Any" />
        <SelectField id="fleet-page-size" text="Policies per page" value={pageSize} options={PAGE_SIZES.map((n) => ({ value: String(n), text: String(n) }))} onChange={refilter(setPageSize)} />
      </form>
      <Load state={fleet} what="the fleet">
        {(page) => (
          <>
            <p>
              Against snapshot <code>{page.snapshotId}</code>, the profile's active one.
            </p>
            <Totals tenants={page.tenants} />
            <DataTable
              class="data fleet"
              caption={<>Policies by tenant (page {cursors.length}, {page.subjects.length} policies)</>}
              columns={['Policy', 'Type', ...page.tenants.map((t) => <span key={t.tenantId} class="tenant-name">{t.displayName}</span>)]}
            >
              {page.subjects.length === 0 ? (
                <tr>
                  <td colSpan={2 + page.tenants.length}>No policy matches these filters.</td>
                </tr>
              ) : null}
              {page.subjects.map((s) => (
                <tr key={s.subjectKey}>
                  <th scope="row">{s.displayName}</th>
                  <td class="muted">{s.policyType}</td>
                  {page.tenants.map((t) => (
                    <Cell key={t.tenantId} tenant={t} subject={s} />
                  ))}
                </tr>
              ))}
            </DataTable>
            <nav class="pager" aria-label="Pages of policies">
              <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
                Previous page
              </button>{' '}
              <button type="button" disabled={page.nextCursor === undefined} onClick={() => setCursors((c) => [...c, page.nextCursor])}>
                Next page
              </button>
            </nav>
          </>
        )}
      </Load>
    </>
  );
}

export function Fleet({ profileId }: { profileId?: string }) {
  const { api } = useApp();
  const profiles = useLoad(() => must(api.GET('/baseline-profiles', { params: { query: { limit: 100 } } })), []);
  return (
    <section>
      <PageTitle>Fleet</PageTitle>
      <Load state={profiles} what="profiles">
        {(page) => {
          const chosen = page.items.find((p) => p.id === profileId) ?? page.items.find((p) => p.activeSnapshotId !== undefined) ?? page.items[0];
          if (chosen === undefined) return <p>The workspace has no baseline profile yet.</p>;
          return (
            <>
              <SelectField
                id="fleet-profile"
                text="Baseline profile"
                value={chosen.id}
                options={page.items.map((p) => ({ value: p.id, text: p.name }))}
                onChange={(id) => {
                  window.location.hash = href.fleet(id);
                }}
              />
              {chosen.activeSnapshotId === undefined ? (
                <p>This profile has no active snapshot yet: capture one on its baseline page.</p>
              ) : (
                <Matrix key={chosen.id} profileId={chosen.id} policyTypes={chosen.scope.policy_types} />
              )}
            </>
          );
        }}
      </Load>
    </section>
  );
}
