/**
 * The findings of a tenant: filters (status, change type, severity, policy type) sent to the API,
 * pages of 25 with the API's cursor, sorting of the page shown, SLA due dates (overdue marked in text
 * and colour) and bulk triage of the selected findings with one reason.
 */
import { useMemo, useState } from 'preact/hooks';
import { ApiProblem, must, type FindingSummary, type Schemas } from '../api/client';
import { useApp } from '../app-context';
import { ActionForm, Badge, DataTable, Load, PageHeader, ProblemBox, SelectField, useLoad } from '../components';
import { CHANGE_TYPES, FINDING_STATUSES, SEVERITIES, SLA_LABELS, formatDateTime, label, severityRank, slaState } from '../format';
import { href } from '../route';
import { roleAtLeast } from '../session';

type Filters = { status?: Schemas['FindingStatus']; changeType?: Schemas['ChangeType']; severity?: Schemas['Severity']; policyType?: Schemas['RegistryType'] };
type SortKey = 'severity' | 'dueAt' | 'lastSeenAt' | 'displayName' | 'policyType';
const PAGE_SIZE = 25;
const SORTS: { key: SortKey; text: string }[] = [
  { key: 'severity', text: 'Severity (highest first)' },
  { key: 'dueAt', text: 'Due date (soonest first)' },
  { key: 'lastSeenAt', text: 'Last seen (newest first)' },
  { key: 'displayName', text: 'Policy name' },
  { key: 'policyType', text: 'Policy type' },
];

function sortFindings(items: FindingSummary[], key: SortKey): FindingSummary[] {
  const out = [...items];
  const by: Record<SortKey, (a: FindingSummary, b: FindingSummary) => number> = {
    severity: (a, b) => severityRank(a.severity) - severityRank(b.severity) || a.dueAt.localeCompare(b.dueAt),
    dueAt: (a, b) => a.dueAt.localeCompare(b.dueAt),
    lastSeenAt: (a, b) => b.lastSeenAt.localeCompare(a.lastSeenAt),
    displayName: (a, b) => a.displayName.localeCompare(b.displayName),
    policyType: (a, b) => a.policyType.localeCompare(b.policyType) || a.displayName.localeCompare(b.displayName),
  };
  return out.sort(by[key]);
}

function filtersOf(q: URLSearchParams): Filters {
  const f: Filters = {};
  const status = q.get('status');
  if (status && (FINDING_STATUSES as readonly string[]).includes(status)) f.status = status as Filters['status'];
  const ct = q.get('changeType');
  if (ct && (CHANGE_TYPES as readonly string[]).includes(ct)) f.changeType = ct as Filters['changeType'];
  const sev = q.get('severity');
  if (sev && (SEVERITIES as readonly string[]).includes(sev)) f.severity = sev as Filters['severity'];
  const pt = q.get('policyType');
  if (pt) f.policyType = pt as Filters['policyType'];
  return f;
}

function FilterSelect({ id, text, value, options, onChange }: { id: string; text: string; value: string; options: readonly string[]; onChange: (v: string) => void }) {
  return <SelectField id={id} text={text} value={value} options={options.map((o) => ({ value: o, text: label(o) }))} onChange={onChange} any="Any" />;
}

function BulkTriage({ tenantId, selected, onDone }: { tenantId: string; selected: FindingSummary[]; onDone: () => void }) {
  const { api } = useApp();
  const [reason, setReason] = useState('');
  const [progress, setProgress] = useState<string>();
  const [failures, setFailures] = useState<{ name: string; error: unknown }[]>([]);
  const run = async () => {
    const failed: { name: string; error: unknown }[] = [];
    let n = 0;
    for (const f of selected) {
      n += 1;
      setProgress(`Triaging ${n} of ${selected.length}…`);
      try {
        await must(
          api.POST('/tenants/{tenantId}/findings/{fingerprint}/transitions', {
            params: { path: { tenantId, fingerprint: f.fingerprint } },
            body: { to: 'triaged', ...(reason.trim() ? { reason: reason.trim() } : {}) },
          }),
        );
      } catch (error) {
        failed.push({ name: f.displayName, error });
      }
    }
    setFailures(failed);
    setProgress(`${selected.length - failed.length} of ${selected.length} triaged.`);
    onDone();
  };
  return (
    <ActionForm class="bulk" legend={`Triage the selected findings (${selected.length})`} onSubmit={() => void run()}>
        <div class="field">
          <label for="bulk-reason">Reason (written to the audit trail)</label>
          <input id="bulk-reason" type="text" value={reason} onInput={(e) => setReason((e.currentTarget).value)} />
        </div>
        <button type="submit" disabled={selected.length === 0}>
          Triage {selected.length} selected
        </button>
        <p role="status" aria-live="polite">
          {progress ?? ''}
        </p>
        {failures.map((f) => (
          <div key={f.name}>
            <p>{f.name}:</p>
            <ProblemBox error={f.error} />
          </div>
        ))}
    </ActionForm>
  );
}

export function Findings({ tenantId, query }: { tenantId: string; query: URLSearchParams }) {
  const { api, claims, tenantName } = useApp();
  const filters = filtersOf(query);
  const sort = (SORTS.find((s) => s.key === query.get('sort'))?.key ?? 'severity');
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const cursor = cursors[cursors.length - 1];
  const filterKey = JSON.stringify(filters);
  const state = useLoad(
    () => must(api.GET('/tenants/{tenantId}/findings', { params: { path: { tenantId }, query: { ...filters, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } } })),
    [tenantId, filterKey, cursor],
  );
  const now = useMemo(() => new Date(), [state.data]);
  const setQuery = (key: string, value: string) => {
    const q = new URLSearchParams(query);
    if (value) q.set(key, value);
    else q.delete(key);
    setCursors([undefined]);
    setSelected(new Set());
    window.location.hash = href.findings(tenantId, q);
  };
  const canTriage = roleAtLeast(claims.role, 'operator');
  const name = tenantName(tenantId);
  return (
    <section>
      <PageHeader title={`Findings of ${name}`} link={{ href: href.runs(tenantId), text: `Runs of ${name}` }} />
      <form class="filters" aria-label="Filter and sort" onSubmit={(e) => e.preventDefault()}>
        <FilterSelect id="f-status" text="Status" value={filters.status ?? ''} options={FINDING_STATUSES} onChange={(v) => setQuery('status', v)} />
        <FilterSelect id="f-change" text="Change type" value={filters.changeType ?? ''} options={CHANGE_TYPES} onChange={(v) => setQuery('changeType', v)} />
        <FilterSelect id="f-severity" text="Severity" value={filters.severity ?? ''} options={SEVERITIES} onChange={(v) => setQuery('severity', v)} />
        <div class="field">
          <label for="f-type">Policy type</label>
          <input id="f-type" value={filters.policyType ?? ''} onChange={(e) => setQuery('policyType', (e.currentTarget).value.trim())} />
        </div>
        <SelectField id="f-sort" text="Sort this page by" value={sort} options={SORTS.map((o) => ({ value: o.key, text: o.text }))} onChange={(v) => setQuery('sort', v)} />
      </form>
      <Load state={state} what="findings">
        {(page) => {
          const items = sortFindings(page.items, sort);
          const chosen = items.filter((f) => selected.has(f.fingerprint));
          const toggle = (fp: string) => {
            const next = new Set(selected);
            if (next.has(fp)) next.delete(fp);
            else next.add(fp);
            setSelected(next);
          };
          return (
            <>
              <DataTable
                class="data findings"
                caption={items.length === 0 ? 'No findings match these filters' : `Findings ${(cursors.length - 1) * PAGE_SIZE + 1}–${(cursors.length - 1) * PAGE_SIZE + items.length}`}
                columns={[
                  ...(canTriage
                    ? [
                        <input
                          key="all"
                          type="checkbox"
                          aria-label="Select every finding on this page"
                          checked={items.length > 0 && chosen.length === items.length}
                          onChange={(e) => setSelected(e.currentTarget.checked ? new Set(items.map((f) => f.fingerprint)) : new Set())}
                        />,
                      ]
                    : []),
                  'Policy',
                  'Change',
                  'Severity',
                  'Status',
                  'Due',
                  'Last seen',
                ]}
              >
                  {items.map((f) => {
                    const sla = slaState(f, now);
                    return (
                      <tr key={f.fingerprint}>
                        {canTriage ? (
                          <td>
                            <input type="checkbox" aria-label={`Select ${f.displayName}`} checked={selected.has(f.fingerprint)} onChange={() => toggle(f.fingerprint)} />
                          </td>
                        ) : null}
                        <th scope="row">
                          <a href={href.finding(tenantId, f.fingerprint)}>{f.displayName}</a>
                          <span class="muted policy-type">{f.policyType}</span>
                        </th>
                        <td>
                          <Badge value={f.changeType} />
                        </td>
                        <td>
                          <Badge value={f.severity} />
                        </td>
                        <td>
                          <Badge value={f.status} />
                          {f.assignee ? <span class="muted"> · {f.assignee}</span> : null}
                        </td>
                        <td>
                          {formatDateTime(f.dueAt)} {sla !== 'none' ? <Badge value={sla} text={SLA_LABELS[sla]} /> : null}
                        </td>
                        <td>{formatDateTime(f.lastSeenAt)}</td>
                      </tr>
                    );
                  })}
              </DataTable>
              <nav class="pager" aria-label="Pages of findings">
                <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
                  Previous page
                </button>
                <span>Page {cursors.length}</span>
                <button type="button" disabled={page.nextCursor === undefined} onClick={() => setCursors([...cursors, page.nextCursor])}>
                  Next page
                </button>
              </nav>
              {canTriage ? (
                <BulkTriage
                  tenantId={tenantId}
                  selected={chosen}
                  onDone={() => {
                    setSelected(new Set());
                    state.reload();
                  }}
                />
              ) : (
                <p class="muted">Your role ({claims.role}) reads findings; triage needs the operator role.</p>
              )}
            </>
          );
        }}
      </Load>
      {state.error instanceof ApiProblem && state.error.status === 404 ? <p>This tenant is not in your token, or it does not exist.</p> : null}
    </section>
  );
}
