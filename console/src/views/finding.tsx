/**
 * One finding: its evidence as a side-by-side diff per drifted property, fidelity and provenance, the
 * lifecycle timeline, the audit entries about it, and the moves the caller's role may make (triage,
 * in progress, close with a reason, accept the risk with a reason and an optional expiry, showing the
 * value that gets pinned, assign); an acceptance shows who accepted when, until when, and why it reopened.
 */
import { useState } from 'preact/hooks';
import { must, type AuditEntry, type Finding } from '../api/client';
import { useApp } from '../app-context';
import { ActionForm, ActionOutcome, Badge, DataTable, DiffTable, Load, PageHeader, SelectField, useLoad } from '../components';
import { diffRows, driftedPropertiesOf } from '../diff';
import { SLA_LABELS, formatDateTime, label, show, slaState } from '../format';
import { href } from '../route';
import { roleAtLeast } from '../session';

type Move = 'triaged' | 'in_progress' | 'closed' | 'risk_accepted';
const MOVES: { to: Move; text: string; needsReason: boolean }[] = [
  { to: 'triaged', text: 'Triage', needsReason: false },
  { to: 'in_progress', text: 'Mark in progress', needsReason: false },
  { to: 'closed', text: 'Close', needsReason: true },
  { to: 'risk_accepted', text: 'Accept the risk', needsReason: true },
];

function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
const text = (v: unknown): string => show(v);

function Timeline({ f }: { f: Finding }) {
  const all: { at: string | undefined; what: string }[] = [
    { at: f.firstSeenAt, what: 'First seen' },
    { at: f.reopenedAt, what: `Reopened (${f.reopenCount} time${f.reopenCount === 1 ? '' : 's'}): ${label(f.reopenReason ?? 'drift_returned')}` },
    { at: f.triagedAt, what: 'Triaged' },
    { at: f.inProgressAt, what: `In progress${f.assignee ? `, assigned to ${f.assignee}` : ''}` },
    { at: f.resolvedAt, what: `Resolved${f.resolvedReason ? `: ${f.resolvedReason}` : ''}` },
    { at: f.closedAt, what: `Closed${f.closedBy ? ` by ${f.closedBy}` : ''}${f.closedReason ? `: ${f.closedReason}` : ''}` },
    { at: f.lastSeenAt, what: `Last seen (seen ${f.timesSeen} time${f.timesSeen === 1 ? '' : 's'})` },
  ];
  const events = all.filter((e): e is { at: string; what: string } => e.at !== undefined);
  events.sort((a, b) => a.at.localeCompare(b.at));
  return (
    <ol class="timeline">
      {events.map((e) => (
        <li key={e.what}>
          <time dateTime={e.at}>{formatDateTime(e.at)}</time> {e.what}
        </li>
      ))}
      {f.riskAcceptedBy ? <li>Risk accepted by {f.riskAcceptedBy}{f.riskAcceptedReason ? `: ${f.riskAcceptedReason}` : ''}</li> : null}
    </ol>
  );
}

function AuditTrail({ tenantId, fingerprint, version }: { tenantId: string; fingerprint: string; version: number }) {
  const { api } = useApp();
  const state = useLoad(async () => {
    const entries: AuditEntry[] = [];
    let cursor: string | undefined;
    // The tenant's trail, newest first; the entries about this finding name its fingerprint.
    for (let page = 0; page < 5; page += 1) {
      const res = await must(api.GET('/tenants/{tenantId}/audit', { params: { path: { tenantId }, query: { limit: 100, ...(cursor ? { cursor } : {}) } } }));
      entries.push(...res.items.filter((e) => e.details.fingerprint === fingerprint));
      cursor = res.nextCursor;
      if (cursor === undefined) break;
    }
    return entries;
  }, [tenantId, fingerprint, version]);
  return (
    <Load state={state} what="audit entries">
      {(entries) =>
        entries.length === 0 ? (
          <p>No one has acted on this finding yet.</p>
        ) : (
          <DataTable class="data audit" caption={<>Audit entries ({entries.length})</>} columns={['When', 'Who', 'What', 'Reason']}>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time dateTime={e.at}>{formatDateTime(e.at)}</time>
                  </td>
                  <td>{e.actor}</td>
                  <td>
                    {e.action === 'finding.transitioned' ? `${label(text(e.details.from))} → ${label(text(e.details.to))}` : e.action}
                    {typeof e.details.assignee === 'string' ? `, assigned to ${e.details.assignee}` : ''}
                  </td>
                  <td>{typeof e.details.reason === 'string' ? e.details.reason : '—'}</td>
                </tr>
              ))}
            </DataTable>
        )
      }
    </Load>
  );
}

function Actions({ finding, onMoved }: { finding: Finding; onMoved: (f: Finding) => void }) {
  const { api } = useApp();
  const [to, setTo] = useState<Move>('triaged');
  const [reason, setReason] = useState('');
  const [assignee, setAssignee] = useState(finding.assignee ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const [expiresOn, setExpiresOn] = useState('');
  const move = MOVES.find((m) => m.to === to)!;
  const expiry = to === 'risk_accepted' ? expiryOf(expiresOn) : undefined;
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const after = await must(
        api.POST('/tenants/{tenantId}/findings/{fingerprint}/transitions', {
          params: { path: { tenantId: finding.tenantId, fingerprint: finding.fingerprint } },
          body: {
            to,
            ...(reason.trim() ? { reason: reason.trim() } : {}),
            ...(assignee.trim() && assignee.trim() !== finding.assignee ? { assignee: assignee.trim() } : {}),
            ...(expiry !== undefined ? { expiresAt: expiry } : {}),
          },
        }),
      );
      setDone(`Moved to ${label(after.status)}.`);
      setReason('');
      setExpiresOn('');
      onMoved(after);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <ActionForm class="actions" legend="Act on this finding" onSubmit={() => void submit()}>
        <SelectField id="move-to" text="Move to" value={to} options={MOVES.map((m) => ({ value: m.to, text: m.text }))} onChange={(v) => setTo(v as Move)} />
        <div class="field">
          <label for="move-reason">Reason{move.needsReason ? ' (required)' : ' (optional)'}</label>
          <textarea id="move-reason" rows={2} required={move.needsReason} value={reason} onInput={(e) => setReason((e.currentTarget).value)} />
        </div>
        {to === 'risk_accepted' ? (
          <>
            <div class="field">
              <label for="move-expires">Accepted until (optional; empty: it does not expire)</label>
              <input id="move-expires" type="date" value={expiresOn} min={new Date().toISOString().slice(0, 10)} onInput={(e) => setExpiresOn(e.currentTarget.value)} />
            </div>
            <Pinned evidence={finding.evidence} />
          </>
        ) : null}
        <div class="field">
          <label for="move-assignee">Assignee (optional)</label>
          <input id="move-assignee" type="text" value={assignee} onInput={(e) => setAssignee((e.currentTarget).value)} />
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : move.text}
        </button>
        <ActionOutcome done={done} error={error} />
    </ActionForm>
  );
}

/** A date of the expiry field as the end of that day in UTC (ISO); undefined when empty or unreadable. */
export function expiryOf(day: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const at = new Date(`${day}T23:59:59.000Z`);
  return Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== day ? undefined : at.toISOString();
}

/** What accepting pins: the tenant side's hash per dimension, as `acceptedHashOf` takes it from the evidence. */
function Pinned({ evidence }: { evidence: Record<string, unknown> }) {
  const current = record(evidence.current);
  const assignments = record(record(evidence.dimension_hashes).assignments);
  return (
    <div class="pinned" aria-label="What gets pinned">
      <p>Accepting pins the tenant's current value; a later compare that sees another value reopens the finding (the accepted value changed):</p>
      <ul>
        <li>
          settings: <code>{text(current.hash)}</code> ({label(text(current.fidelity))})
        </li>
        {'current' in assignments ? (
          <li>
            assignments: <code>{text(assignments.current)}</code>
          </li>
        ) : null}
      </ul>
    </div>
  );
}

function Acceptance({ f }: { f: Finding }) {
  if (f.acceptedAt === undefined && f.reopenReason === undefined && f.expiresAt === undefined) return null;
  return (
    <dl class="facts acceptance">
      {f.acceptedAt !== undefined ? (
        <>
          <dt>Accepted</dt>
          <dd>
            {formatDateTime(f.acceptedAt)}
            {f.acceptedBy ? ` by ${f.acceptedBy}` : ''}
            {f.riskAcceptedReason ? `: ${f.riskAcceptedReason}` : ''}
          </dd>
          <dt>Accepted until</dt>
          <dd>{f.expiresAt !== undefined ? formatDateTime(f.expiresAt) : 'no expiry'}</dd>
        </>
      ) : null}
      {f.acceptedHash ? (
        <>
          <dt>Pinned value</dt>
          <dd>
            settings <code>{text(f.acceptedHash.settings)}</code>
            {f.acceptedHash.assignments ? (
              <>
                , assignments <code>{f.acceptedHash.assignments}</code>
              </>
            ) : null}
          </dd>
        </>
      ) : null}
      {f.reopenReason !== undefined ? (
        <>
          <dt>Reopened because</dt>
          <dd>{label(f.reopenReason)}</dd>
        </>
      ) : null}
    </dl>
  );
}

function Provenance({ evidence }: { evidence: Record<string, unknown> }) {
  const baseline = record(evidence.baseline);
  const current = record(evidence.current);
  const prov = record(evidence.provenance);
  const bp = record(baseline.provenance);
  const cp = record(current.provenance);
  return (
    <dl class="facts">
      <dt>Baseline</dt>
      <dd>
        snapshot <code>{text(bp.snapshot_id)}</code> captured {formatDateTime(typeof bp.captured_at === 'string' ? bp.captured_at : undefined)}; fidelity {label(text(baseline.fidelity))}
      </dd>
      <dt>Current</dt>
      <dd>
        inventory sync <code>{text(cp.inventory_sync_run_id)}</code> observed {formatDateTime(typeof cp.observed_at === 'string' ? cp.observed_at : undefined)}; fidelity{' '}
        {label(text(current.fidelity))}
        {cp.external_id ? (
          <>
            ; Graph id <code>{text(cp.external_id)}</code>
          </>
        ) : null}
      </dd>
      <dt>Compare run</dt>
      <dd>
        <code>{text(prov.compare_operation_run_id)}</code> of profile <code>{text(prov.baseline_profile_id)}</code>
      </dd>
    </dl>
  );
}

export function FindingView({ tenantId, fingerprint }: { tenantId: string; fingerprint: string }) {
  const { api, claims, tenantName } = useApp();
  const [version, setVersion] = useState(0);
  const state = useLoad(() => must(api.GET('/tenants/{tenantId}/findings/{fingerprint}', { params: { path: { tenantId, fingerprint } } })), [tenantId, fingerprint, version]);
  return (
    <section>
      <Load state={state} what="the finding">
        {(f) => {
          const evidence = f.evidence;
          const rows = diffRows(driftedPropertiesOf(evidence));
          const sla = slaState(f, new Date());
          return (
            <>
              <PageHeader title={f.displayName} link={{ href: href.findings(tenantId), text: `All findings of ${tenantName(tenantId)}` }} />
              <p class="badges">
                <Badge value={f.changeType} /> <Badge value={f.severity} /> <Badge value={f.status} /> {sla !== 'none' ? <Badge value={sla} text={`${SLA_LABELS[sla]}: due ${formatDateTime(f.dueAt)}`} /> : null}
              </p>
              <dl class="facts">
                <dt>Policy type</dt>
                <dd>{f.policyType}</dd>
                <dt>Evidence fidelity</dt>
                <dd>{label(f.evidenceFidelity)}</dd>
                <dt>Assignee</dt>
                <dd>{f.assignee ?? 'nobody'}</dd>
              </dl>
              <h2>What drifted</h2>
              {f.changeType === 'missing_policy' ? <p>The baseline has this policy; the tenant does not.</p> : null}
              {f.changeType === 'unexpected_policy' ? <p>The tenant has this policy; the baseline does not.</p> : null}
              {f.changeType === 'different_version' && rows.length === 0 ? <p>The policies differ, but only their metadata was available to compare: no property list.</p> : null}
              {rows.length > 0 ? <DiffTable rows={rows} truncated={evidence.truncated === true} /> : null}
              <h2>Provenance</h2>
              <Provenance evidence={evidence} />
              <h2>Lifecycle</h2>
              <Acceptance f={f} />
              <Timeline f={f} />
              {roleAtLeast(claims.role, 'operator') ? (
                <Actions finding={f} onMoved={() => setVersion((v) => v + 1)} />
              ) : (
                <p class="muted">Your role ({claims.role}) reads findings; acting on them needs the operator role.</p>
              )}
              <h2>Audit</h2>
              <AuditTrail tenantId={tenantId} fingerprint={fingerprint} version={version} />
            </>
          );
        }}
      </Load>
    </section>
  );
}
