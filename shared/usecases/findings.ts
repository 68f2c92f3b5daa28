/**
 * A person's move of a finding (docs/lifecycle.md) through the API: only the allowed moves, `closed` and
 * `risk_accepted` with a reason (the domain refuses anything else), recorded in the audit trail with
 * the status before and after; an acceptance also records its expiry and the accepted hashes.
 */
import type { Finding } from '../domain/model.js';
import type { FindingRepository } from './ports/persistence.js';
import { recordAudit, type ActorContext, type AuditDeps } from './audit-trail.js';
import { NotVisibleError } from './ports/errors.js';

export interface FindingMoveDeps extends AuditDeps {
  findings: FindingRepository;
  /** The longest acceptance, in days (default DEFAULT_MAX_ACCEPTANCE_DAYS). */
  maxAcceptanceDays?: number;
}

export interface FindingMoveRequest {
  tenantId: string;
  fingerprint: string;
  to: 'triaged' | 'in_progress' | 'closed' | 'risk_accepted';
  reason?: string;
  assignee?: string;
  /** `risk_accepted` only: when the acceptance ends (ISO 8601). */
  expiresAt?: string;
}

export async function moveFinding(deps: FindingMoveDeps, ctx: ActorContext, req: FindingMoveRequest): Promise<Finding> {
  const before = await deps.findings.get(req.tenantId, req.fingerprint);
  if (before === undefined) throw new NotVisibleError('finding', req.fingerprint);
  const after = await deps.findings.transition(req.tenantId, req.fingerprint, {
    to: req.to,
    ...(req.reason !== undefined ? { reason: req.reason } : {}),
    ...(req.assignee !== undefined ? { assignee: req.assignee } : {}),
    actor: ctx.actor,
    at: deps.now().toISOString(),
    ...(req.expiresAt !== undefined ? { expiresAt: req.expiresAt } : {}),
    ...(deps.maxAcceptanceDays !== undefined ? { maxAcceptanceDays: deps.maxAcceptanceDays } : {}),
  });
  await recordAudit(deps, ctx, {
    action: 'finding.transitioned',
    tenantId: req.tenantId,
    details: {
      fingerprint: req.fingerprint,
      scopeKey: after.scopeKey,
      from: before.status,
      to: after.status,
      ...(req.reason !== undefined ? { reason: req.reason } : {}),
      ...(req.assignee !== undefined ? { assignee: req.assignee } : {}),
      ...(after.status === 'risk_accepted'
        ? { acceptedAt: after.acceptedAt, expiresAt: after.expiresAt ?? null, acceptedHash: after.acceptedHash }
        : {}),
    },
  });
  return after;
}
