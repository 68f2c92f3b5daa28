/**
 * What the product does, as `system`, when an accepted deviation stops being accepted or a resolved
 * finding's drift returns (the issue "Tenant exceptions"): one audit entry per automatic reopen and
 * per expiry, and the expiry sweep that ends acceptances of tenants no compare looks at.
 *
 * Audit entries of automatic reopens have ids derived from (tenant, fingerprint, reopenedAt): a
 * retried task writes the same id again, which the append-only trail refuses, so each reopen is
 * recorded once.
 */
import { createHash } from 'node:crypto';
import type { AuditEntry, Finding } from '../domain/model.js';
import { claimedFindingEvents } from '../domain/events.js';
import type { EventPublisher } from './ports/events.js';
import type { AuditRepository, FindingRepository } from './ports/persistence.js';

/** The actor of everything the product does on its own. */
export const SYSTEM_ACTOR = 'system';

export interface ReopenAuditDeps {
  audit: AuditRepository;
  now: () => Date;
}

/** The audit entry of one automatic reopen (`finding.reopened`, or `finding.acceptance_expired`). */
export function reopenAuditEntry(finding: Finding, ctx: { workspaceId: string; correlationId: string; at: string }): AuditEntry {
  const id = createHash('sha256').update(JSON.stringify(['reopen', finding.tenantId, finding.fingerprint, finding.reopenedAt ?? ''])).digest('hex').slice(0, 32);
  return {
    id: `reopen-${id}`,
    workspaceId: ctx.workspaceId,
    tenantId: finding.tenantId,
    ...(finding.scopeKey.startsWith('baseline_profile:') ? { profileId: finding.scopeKey.slice('baseline_profile:'.length) } : {}),
    actor: SYSTEM_ACTOR,
    at: ctx.at,
    action: finding.reopenReason === 'acceptance_expired' ? 'finding.acceptance_expired' : 'finding.reopened',
    correlationId: ctx.correlationId,
    details: {
      fingerprint: finding.fingerprint,
      scopeKey: finding.scopeKey,
      subjectKey: finding.subjectKey,
      changeType: finding.changeType,
      to: finding.status,
      reopenReason: finding.reopenReason ?? 'drift_returned',
      reopenedAt: finding.reopenedAt,
      ...(finding.reopenReason !== 'drift_returned' && finding.acceptedAt !== undefined
        ? { from: 'risk_accepted', acceptedAt: finding.acceptedAt, acceptedBy: finding.acceptedBy, expiresAt: finding.expiresAt ?? null }
        : { from: 'resolved' }),
    },
  };
}

/**
 * Appends the audit entries of automatic reopens; one already recorded (a retry) is left as it is.
 * Returns the findings whose entry this call wrote.
 */
export async function recordReopens(deps: ReopenAuditDeps, reopened: readonly Finding[], ctx: { workspaceId: string; correlationId: string }): Promise<Finding[]> {
  const written: Finding[] = [];
  const at = deps.now().toISOString();
  for (const finding of reopened) {
    try {
      await deps.audit.append(reopenAuditEntry(finding, { ...ctx, at }));
      written.push(finding);
    } catch (err) {
      if (err instanceof Error && err.name === 'RecordAlreadyExistsError') continue;
      throw err;
    }
  }
  return written;
}

export interface ExpirySweepDeps extends ReopenAuditDeps {
  findings: FindingRepository;
  events: EventPublisher;
}

export interface ExpirySweepResult {
  /** Acceptances this sweep ended (including those an earlier attempt of it ended). */
  expired: number;
  /** Tenants whose sweep failed (retried by the next round). */
  failed: { tenantId: string; error: string }[];
}

/**
 * The expiry sweep: for each tenant, every accepted finding past its `expiresAt` at `now` is reopened
 * (`acceptance_expired`), its event sent (one per expiry: the reopen, with its reason), then the
 * expiry audited. `sweepId` names the sweep (one per schedule window). The audit entry, written after
 * the event, tells a repeated sweep of the same window what is done: an expiry whose entry exists
 * sent its event; one without (the earlier attempt stopped in between) is audited and sent now.
 */
export async function sweepExpiredAcceptances(
  deps: ExpirySweepDeps,
  req: { tenants: readonly { tenantId: string; workspaceId: string }[]; sweepId: string },
): Promise<ExpirySweepResult> {
  const at = deps.now().toISOString();
  let expired = 0;
  const failed: ExpirySweepResult['failed'] = [];
  const seen = new Set<string>();
  for (const t of req.tenants) {
    if (seen.has(t.tenantId)) continue;
    seen.add(t.tenantId);
    try {
      const { expired: fresh, earlier } = await deps.findings.expireAcceptances(t.tenantId, at, req.sweepId);
      if (fresh.length === 0 && earlier.length === 0) continue;
      const ctx = { workspaceId: t.workspaceId, correlationId: req.sweepId };
      const unfinished = await recordReopens(deps, earlier, ctx);
      const events = claimedFindingEvents([...fresh, ...unfinished], req.sweepId);
      if (events.length > 0) await deps.events.publish(events);
      await recordReopens(deps, fresh, ctx);
      expired += fresh.length + unfinished.length;
    } catch (err) {
      failed.push({ tenantId: t.tenantId, error: err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 500) : String(err).slice(0, 500) });
    }
  }
  return { expired, failed };
}
