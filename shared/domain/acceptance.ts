/**
 * Accepted deviations (docs/lifecycle.md, the issue "Tenant exceptions"): `risk_accepted` pins the value a
 * person accepted, and every later compare checks the tenant against it. An acceptance ends when the
 * tenant no longer holds the accepted value (`accepted_value_changed`) or when it expires
 * (`acceptance_expired`); either way the finding is reopened and says why. Pure: timestamps and the
 * configured maximum come in as arguments.
 */
import type { AcceptedEvidenceBlock, AcceptedHash, Finding, FindingEvidence, ReopenReason } from './model.js';
import { AcceptanceExpiryInvalidError } from './errors.js';

/** How far ahead an acceptance may expire when nothing else is configured. */
export const DEFAULT_MAX_ACCEPTANCE_DAYS = 365;

const DAY_MS = 86_400_000;

/** The reasons that end an acceptance (the finding reopens with one of them). */
export const ACCEPTANCE_END_REASONS: readonly ReopenReason[] = ['accepted_value_changed', 'acceptance_expired'];

/** Per-dimension hashes an evidence may carry (the assignments dimension writes `dimension_hashes`). */
interface DimensionHashes {
  dimension_hashes?: Partial<Record<string, { baseline: string | null; current: string | null }>>;
}

/**
 * The tenant side's hash per dimension in `evidence`: the settings hash (content, or meta when only
 * meta was available) with its fidelity, and the assignments hash when that dimension was compared.
 */
export function acceptedHashOf(evidence: FindingEvidence): AcceptedHash {
  const dims = (evidence as FindingEvidence & DimensionHashes).dimension_hashes;
  const assignments = dims?.assignments;
  return {
    settings: evidence.current.hash,
    settingsFidelity: evidence.current.fidelity,
    ...(assignments !== undefined ? { assignments: assignments.current } : {}),
  };
}

/**
 * Whether the tenant's value moved away from the accepted one. Each dimension is compared only when
 * both moments have it: a settings hash against one of the same fidelity (a meta hash says nothing
 * about content), assignments only when both compared them. A dimension that cannot be compared
 * proves no change.
 */
export function acceptedValueChanged(accepted: AcceptedHash, now: AcceptedHash): boolean {
  if (accepted.settingsFidelity === now.settingsFidelity && accepted.settings !== now.settings) return true;
  if (accepted.assignments !== undefined && now.assignments !== undefined && accepted.assignments !== now.assignments) return true;
  return false;
}

/** Whether the acceptance has expired at `at` (an acceptance without `expiresAt` never does). */
export function acceptanceExpired(finding: Pick<Finding, 'expiresAt'>, at: string): boolean {
  if (finding.expiresAt === undefined) return false;
  return Date.parse(finding.expiresAt) <= Date.parse(at);
}

/**
 * Why an accepted finding's acceptance ends at an observation whose evidence is `evidence`, or
 * undefined while the tenant holds the accepted value. Expiry comes first: an expired acceptance
 * accepts nothing, whatever the value.
 */
export function acceptanceEndReason(finding: Finding, evidence: FindingEvidence, at: string): ReopenReason | undefined {
  if (finding.status !== 'risk_accepted') return undefined;
  if (acceptanceExpired(finding, at)) return 'acceptance_expired';
  if (finding.acceptedHash === undefined) return undefined; // accepted before values were pinned: nothing to compare
  return acceptedValueChanged(finding.acceptedHash, acceptedHashOf(evidence)) ? 'accepted_value_changed' : undefined;
}

/** The `accepted` block of an evidence: what the person accepted, beside what is there now. */
export function acceptedEvidenceBlock(finding: Finding): AcceptedEvidenceBlock | undefined {
  if (finding.acceptedAt === undefined || finding.acceptedHash === undefined) return undefined;
  return {
    accepted_at: finding.acceptedAt,
    accepted_by: finding.acceptedBy ?? finding.riskAcceptedBy ?? 'unknown',
    expires_at: finding.expiresAt ?? null,
    hash: finding.acceptedHash,
    drifted_properties: finding.acceptedEvidence?.drifted_properties ?? [],
    truncated: finding.acceptedEvidence?.truncated ?? false,
  };
}

/**
 * Checks an acceptance's `expiresAt` against the moment of the acceptance: a valid ISO 8601 date-time,
 * after `at`, and at most `maxDays` days after it. Returns it normalized (UTC, milliseconds).
 */
export function validAcceptanceExpiry(expiresAt: string, at: string, maxDays = DEFAULT_MAX_ACCEPTANCE_DAYS): string {
  const ms = Date.parse(expiresAt);
  if (Number.isNaN(ms)) throw new AcceptanceExpiryInvalidError(expiresAt, 'it is not an ISO 8601 date-time');
  const now = Date.parse(at);
  if (ms <= now) throw new AcceptanceExpiryInvalidError(expiresAt, `it must lie in the future (now is ${new Date(now).toISOString()})`);
  const latest = now + maxDays * DAY_MS;
  if (ms > latest) {
    throw new AcceptanceExpiryInvalidError(expiresAt, `an acceptance lasts at most ${maxDays} days (latest ${new Date(latest).toISOString()})`);
  }
  return new Date(ms).toISOString();
}

/** The acceptance fields a `risk_accepted` move pins on the finding (its evidence as last observed). */
export function pinAcceptance(finding: Finding, actor: string, at: string, expiresAt: string | undefined): Finding {
  const next: Finding = {
    ...finding,
    acceptedAt: at,
    acceptedBy: actor,
    acceptedHash: acceptedHashOf(finding.evidence),
    acceptedEvidence: finding.evidence,
  };
  if (expiresAt !== undefined) next.expiresAt = expiresAt;
  else delete next.expiresAt;
  return next;
}

/** Drops the acceptance fields (a person withdrew the acceptance). */
export function withdrawAcceptance(finding: Finding): Finding {
  const next = { ...finding };
  delete next.acceptedAt;
  delete next.acceptedBy;
  delete next.acceptedHash;
  delete next.acceptedEvidence;
  delete next.expiresAt;
  return next;
}
