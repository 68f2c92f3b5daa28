/**
 * Finding lifecycle (docs/lifecycle.md): what an observation by a compare does to a finding, what
 * auto-resolve does, and which moves a person may make. Pure: every timestamp comes in as an argument.
 */
import type {
  ChangeType,
  Finding,
  ReopenReason,
  FindingEvidence,
  FindingFidelity,
  FindingStatus,
  OperationRunOutcome,
  RegistryTypeKey,
  Severity,
} from './model.js';
import { OPEN_FINDING_STATUSES } from './model.js';
import { acceptanceEndReason, acceptanceExpired, acceptedEvidenceBlock, pinAcceptance, validAcceptanceExpiry, withdrawAcceptance } from './acceptance.js';
import {
  AcceptanceExpiryNotApplicableError,
  FindingIdentityMismatchError,
  FindingTransitionReasonRequiredError,
  FindingTransitionRefusedError,
  InvalidTimestampError,
} from './errors.js';

/** What one compare saw of one drifting subject: everything needed to create or refresh its finding. */
export interface FindingObservation {
  tenantId: string;
  scopeKey: string;
  fingerprint: string;
  recurrenceKey: string;
  changeType: ChangeType;
  policyType: RegistryTypeKey;
  subjectKey: string;
  displayName: string;
  severity: Severity;
  evidence: FindingEvidence;
  evidenceFidelity: FindingFidelity;
  runId: string;
  /** ISO 8601 */
  observedAt: string;
}

export type ObservationEffect = 'new' | 'seen' | 'reopened' | 'already_applied';

/** Days from `firstSeenAt` to `dueAt`, by severity (docs/lifecycle.md). */
export const SLA_DAYS: Record<Severity, number> = { critical: 3, high: 7, medium: 14, low: 30 };

/** The reason auto-resolve writes into `resolvedReason`. */
export const AUTO_RESOLVE_REASON = 'no_longer_drifting';

const OPEN: ReadonlySet<FindingStatus> = new Set<FindingStatus>(OPEN_FINDING_STATUSES);

export function isOpenStatus(s: FindingStatus): boolean {
  return OPEN.has(s);
}

/** Moves a person may make, by current status (docs/lifecycle.md). Anything not listed is refused. */
export const ALLOWED_MOVES: Readonly<Record<FindingStatus, readonly FindingStatus[]>> = {
  new: ['triaged', 'in_progress', 'closed', 'risk_accepted'],
  reopened: ['triaged', 'in_progress', 'closed', 'risk_accepted'],
  triaged: ['in_progress', 'closed', 'risk_accepted'],
  in_progress: ['triaged', 'closed', 'risk_accepted'],
  closed: ['triaged'],
  risk_accepted: ['triaged'],
  resolved: [],
};

/** The statuses a person may move a finding to from `from`. */
export function allowedMoves(from: FindingStatus): readonly FindingStatus[] {
  return ALLOWED_MOVES[from];
}

const DAY_MS = 86_400_000;

function parseIso(field: string, value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidTimestampError(field, value);
  return ms;
}

/** `firstSeenAt` + SLA days of `severity`, as ISO 8601 (UTC). */
export function dueAtFor(firstSeenAt: string, severity: Severity): string {
  return new Date(parseIso('firstSeenAt', firstSeenAt) + SLA_DAYS[severity] * DAY_MS).toISOString();
}

/** The later of two ISO timestamps (an out-of-order observation never moves `lastSeenAt` back). */
function later(a: string, b: string): string {
  return parseIso('observedAt', b) > parseIso('lastSeenAt', a) ? b : a;
}

/**
 * docs/lifecycle.md, "Observations". existing undefined -> status new, firstSeenAt = lastSeenAt = observedAt, timesSeen 1,
 * dueAt = firstSeenAt + SLA days of severity; open -> lastSeenAt, timesSeen+1, status kept;
 * resolved -> reopened (reopenedAt, reopenCount+1, resolved fields cleared, timesSeen+1,
 * reopenReason `drift_returned`); closed -> seen fields only; risk_accepted -> seen fields while the
 * tenant holds the accepted value, else reopened with `accepted_value_changed` (or
 * `acceptance_expired` past `expiresAt`), the evidence carrying what was accepted (`accepted`). If existing.currentOperationRunId === obs.runId the
 * observation was already applied in this run: return it unchanged with effect 'already_applied'.
 * Evidence, displayName, severity and evidenceFidelity are refreshed from the observation; `dueAt`
 * follows the refreshed severity (always firstSeenAt + SLA days of the current severity).
 * `lastSeenAt` never moves backwards.
 */
export function observeFinding(
  existing: Finding | undefined,
  obs: FindingObservation,
): { finding: Finding; effect: ObservationEffect } {
  parseIso('observedAt', obs.observedAt);
  if (existing === undefined) {
    const finding: Finding = {
      tenantId: obs.tenantId,
      fingerprint: obs.fingerprint,
      recurrenceKey: obs.recurrenceKey,
      scopeKey: obs.scopeKey,
      source: 'baseline.compare',
      changeType: obs.changeType,
      policyType: obs.policyType,
      subjectKey: obs.subjectKey,
      displayName: obs.displayName,
      status: 'new',
      severity: obs.severity,
      firstSeenAt: obs.observedAt,
      lastSeenAt: obs.observedAt,
      timesSeen: 1,
      reopenCount: 0,
      dueAt: dueAtFor(obs.observedAt, obs.severity),
      currentOperationRunId: obs.runId,
      evidence: obs.evidence,
      evidenceFidelity: obs.evidenceFidelity,
    };
    return { finding, effect: 'new' };
  }

  if (existing.tenantId !== obs.tenantId || existing.fingerprint !== obs.fingerprint) {
    throw new FindingIdentityMismatchError(
      { tenantId: existing.tenantId, fingerprint: existing.fingerprint },
      { tenantId: obs.tenantId, fingerprint: obs.fingerprint },
    );
  }

  if (existing.currentOperationRunId === obs.runId) {
    return { finding: existing, effect: 'already_applied' };
  }

  const seen: Finding = {
    ...existing,
    displayName: obs.displayName,
    severity: obs.severity,
    dueAt: dueAtFor(existing.firstSeenAt, obs.severity),
    evidence: obs.evidence,
    evidenceFidelity: obs.evidenceFidelity,
    lastSeenAt: later(existing.lastSeenAt, obs.observedAt),
    timesSeen: existing.timesSeen + 1,
    currentOperationRunId: obs.runId,
  };

  if (existing.status === 'resolved') {
    const reopened = reopen(seen, obs.observedAt, 'drift_returned');
    delete reopened.resolvedAt;
    delete reopened.resolvedReason;
    return { finding: reopened, effect: 'reopened' };
  }

  if (existing.status === 'risk_accepted') {
    const end = acceptanceEndReason(existing, obs.evidence, obs.observedAt);
    if (end !== undefined) return { finding: endAcceptance(seen, obs.observedAt, end), effect: 'reopened' };
  }

  // Open statuses keep their status; closed is a person's decision, and an accepted finding whose
  // tenant still holds the accepted value stays accepted: seen fields only.
  return { finding: seen, effect: 'seen' };
}

function reopen(finding: Finding, at: string, reason: ReopenReason): Finding {
  return { ...finding, status: 'reopened', reopenedAt: at, reopenCount: finding.reopenCount + 1, reopenReason: reason };
}

/** An acceptance that ended: reopened with its reason, the evidence showing what was accepted. */
function endAcceptance(finding: Finding, at: string, reason: ReopenReason): Finding {
  const accepted = acceptedEvidenceBlock(finding);
  return { ...reopen(finding, at, reason), evidence: { ...finding.evidence, ...(accepted ? { accepted } : {}) } };
}

/**
 * The expiry sweep (for tenants no compare looks at): an accepted finding past its `expiresAt` at
 * `at` becomes `reopened` with `acceptance_expired` (seen fields untouched: nothing was observed);
 * anything else returns undefined.
 */
export function expireAcceptance(existing: Finding, at: string): Finding | undefined {
  parseIso('at', at);
  if (existing.status !== 'risk_accepted' || !acceptanceExpired(existing, at)) return undefined;
  return endAcceptance(existing, at, 'acceptance_expired');
}

/**
 * Auto-resolve of one open or accepted finding not observed in run `runId` (docs/lifecycle.md, "Auto-resolve": an accepted
 * deviation whose drift is gone has nothing left to accept; its acceptance stays as history, so it
 * can reopen later with `drift_returned`); returns undefined for `resolved` and `closed` or when it
 * was observed in this very run
 * (`currentOperationRunId === runId`). Sets status `resolved`, resolvedAt = at, resolvedReason
 * `no_longer_drifting`, currentOperationRunId = runId.
 */
export function autoResolveFinding(existing: Finding, runId: string, at: string): Finding | undefined {
  if (!isOpenStatus(existing.status) && existing.status !== 'risk_accepted') return undefined;
  if (existing.currentOperationRunId === runId) return undefined;
  parseIso('at', at);
  return {
    ...existing,
    status: 'resolved',
    resolvedAt: at,
    resolvedReason: AUTO_RESOLVE_REASON,
    currentOperationRunId: runId,
  };
}

/**
 * docs/lifecycle.md, "Auto-resolve": auto-resolve runs only when the run's outcome is `succeeded`, every effective type was
 * processed (`processed == total`, and at least one type), none failed, and the profile's
 * autoResolve kill switch is on.
 */
export function autoResolveAllowed(input: {
  outcome: OperationRunOutcome;
  processed: number;
  total: number;
  failed: number;
  autoResolve: boolean;
}): boolean {
  return (
    input.autoResolve &&
    input.outcome === 'succeeded' &&
    input.total > 0 &&
    input.processed === input.total &&
    input.failed === 0
  );
}

export type FindingMove = {
  to: FindingStatus;
  reason?: string;
  assignee?: string;
  actor: string;
  at: string;
  /** `risk_accepted` only: when the acceptance ends (ISO 8601, future, at most `maxAcceptanceDays` ahead). */
  expiresAt?: string;
  /** The configured longest acceptance (default DEFAULT_MAX_ACCEPTANCE_DAYS). */
  maxAcceptanceDays?: number;
};

/**
 * Moves a person may make (docs/lifecycle.md); anything else throws FindingTransitionRefusedError (code
 * 'transition_refused', message lists the moves allowed from the current status); closed/risk_accepted
 * without a (non-blank) reason throws FindingTransitionReasonRequiredError. Sets the matching
 * timestamp/actor fields (triagedAt, inProgressAt, closedAt/closedBy/closedReason,
 * riskAcceptedBy/riskAcceptedReason); `risk_accepted` also pins the accepted value (acceptedAt,
 * acceptedBy, acceptedHash, acceptedEvidence from the finding's evidence) and the optional expiry;
 * a manual reopen (closed|risk_accepted -> triaged) clears the closed/risk/acceptance fields.
 * `assignee`, when given, is set on any allowed move.
 */
export function transitionFinding(existing: Finding, move: FindingMove): Finding {
  const allowed = ALLOWED_MOVES[existing.status];
  if (!allowed.includes(move.to)) {
    throw new FindingTransitionRefusedError(existing.status, move.to, allowed);
  }
  const reason = move.reason?.trim();
  if ((move.to === 'closed' || move.to === 'risk_accepted') && !reason) {
    throw new FindingTransitionReasonRequiredError(move.to);
  }
  parseIso('at', move.at);
  if (move.expiresAt !== undefined && move.to !== 'risk_accepted') throw new AcceptanceExpiryNotApplicableError(move.to);
  const expiresAt = move.expiresAt === undefined ? undefined : validAcceptanceExpiry(move.expiresAt, move.at, move.maxAcceptanceDays);

  let next: Finding = { ...existing, status: move.to };
  if (move.assignee !== undefined) next.assignee = move.assignee;

  switch (move.to) {
    case 'triaged':
      next.triagedAt = move.at;
      if (existing.status === 'closed' || existing.status === 'risk_accepted') {
        delete next.closedAt;
        delete next.closedBy;
        delete next.closedReason;
        delete next.riskAcceptedBy;
        delete next.riskAcceptedReason;
        next = withdrawAcceptance(next);
      }
      break;
    case 'in_progress':
      next.inProgressAt = move.at;
      break;
    case 'closed':
      next.closedAt = move.at;
      next.closedBy = move.actor;
      next.closedReason = reason;
      break;
    case 'risk_accepted':
      next = pinAcceptance(next, move.actor, move.at, expiresAt);
      next.riskAcceptedBy = move.actor;
      next.riskAcceptedReason = reason;
      break;
    default:
      // new, reopened and resolved are never a person's target (ALLOWED_MOVES holds none of them).
      throw new FindingTransitionRefusedError(existing.status, move.to, allowed);
  }
  return next;
}
