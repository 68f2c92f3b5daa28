/**
 * Events of a compare (docs/lifecycle.md, "Events"): which to send and what they carry. Pure: the events adapter
 * puts them on the bus (EventBridge on AWS, a JSON-lines file locally) and keeps the "last sent" log.
 *
 * Details carry identifiers, names, statuses and counts only: never policy content, evidence values,
 * hashes of content or secrets.
 */
import type {
  ChangeType,
  CompareSummaryCounts,
  FailureSummaryEntry,
  Finding,
  FindingStatus,
  OperationRunOutcome,
  RegistryTypeKey,
  ReopenReason,
  Severity,
} from './model.js';
import { ACCEPTANCE_END_REASONS } from './acceptance.js';
import type { ObservationEffect } from './lifecycle.js';
import { severityAtLeast } from './severity.js';

/** The `source` of every event the product sends. */
export const EVENT_SOURCE = 'baseline-drift-engine';

export const EVENT_DETAIL_TYPES = {
  compareCompleted: 'Baseline Compare Completed',
  compareFailed: 'Baseline Compare Failed',
  findingOpened: 'Drift Finding Opened',
  findingReopened: 'Drift Finding Reopened',
} as const;

export const DEFAULT_COOLDOWN_HOURS = 24;

export interface CompareCompletedDetail {
  tenantId: string;
  profileId: string;
  snapshotId: string | null;
  operationRunId: string;
  outcome: Exclude<OperationRunOutcome, 'pending'>;
  summaryCounts: CompareSummaryCounts;
  completedAt: string;
}

export interface CompareFailedDetail {
  tenantId: string;
  profileId: string | null;
  operationRunId: string;
  outcome: 'failed';
  failureSummary: FailureSummaryEntry[];
  completedAt: string;
}

export interface FindingEventDetail {
  tenantId: string;
  scopeKey: string;
  fingerprint: string;
  changeType: ChangeType;
  policyType: RegistryTypeKey;
  subjectKey: string;
  displayName: string;
  severity: Severity;
  status: FindingStatus;
  firstSeenAt: string;
  lastSeenAt: string;
  reopenCount: number;
  dueAt: string;
  operationRunId: string;
  /** Reopened only: why (`drift_returned`, `accepted_value_changed`, `acceptance_expired`). */
  reopenReason?: ReopenReason;
  /**
   * An acceptance that ended: when and by whom it was given, when it expired, and the drifted
   * property paths then and now (paths and kinds only: values stay on the finding's evidence).
   */
  acceptance?: {
    acceptedAt: string;
    acceptedBy: string;
    expiresAt: string | null;
    acceptedProperties: { path: string; kind: string }[];
    currentProperties: { path: string; kind: string }[];
  };
}

export type DomainEvent =
  | { source: typeof EVENT_SOURCE; detailType: typeof EVENT_DETAIL_TYPES.compareCompleted; detail: CompareCompletedDetail }
  | { source: typeof EVENT_SOURCE; detailType: typeof EVENT_DETAIL_TYPES.compareFailed; detail: CompareFailedDetail }
  | {
      source: typeof EVENT_SOURCE;
      detailType: typeof EVENT_DETAIL_TYPES.findingOpened | typeof EVENT_DETAIL_TYPES.findingReopened;
      detail: FindingEventDetail;
    };

export type FindingEvent = Extract<DomainEvent, { detail: FindingEventDetail }>;

export function compareCompletedEvent(detail: CompareCompletedDetail): DomainEvent {
  return { source: EVENT_SOURCE, detailType: EVENT_DETAIL_TYPES.compareCompleted, detail: { ...detail, summaryCounts: { ...detail.summaryCounts } } };
}

/** Failure messages are capped at 500 characters: they explain, they do not dump. */
export function compareFailedEvent(detail: Omit<CompareFailedDetail, 'outcome'>): DomainEvent {
  return {
    source: EVENT_SOURCE,
    detailType: EVENT_DETAIL_TYPES.compareFailed,
    detail: {
      ...detail,
      outcome: 'failed',
      failureSummary: detail.failureSummary.map((f) => ({ code: f.code, message: f.message.slice(0, 500), count: f.count })),
    },
  };
}

export function findingEventDetail(finding: Finding): FindingEventDetail {
  return {
    tenantId: finding.tenantId,
    scopeKey: finding.scopeKey,
    fingerprint: finding.fingerprint,
    changeType: finding.changeType,
    policyType: finding.policyType,
    subjectKey: finding.subjectKey,
    displayName: finding.displayName,
    severity: finding.severity,
    status: finding.status,
    firstSeenAt: finding.firstSeenAt,
    lastSeenAt: finding.lastSeenAt,
    reopenCount: finding.reopenCount,
    dueAt: finding.dueAt,
    operationRunId: finding.currentOperationRunId,
    ...(finding.status === 'reopened' && finding.reopenReason !== undefined ? { reopenReason: finding.reopenReason } : {}),
    ...acceptanceDetail(finding),
  };
}

const PATHS_IN_EVENT = 50;

function acceptanceDetail(finding: Finding): Pick<FindingEventDetail, 'acceptance'> {
  if (finding.status !== 'reopened' || !endedAcceptance(finding) || finding.acceptedAt === undefined) return {};
  const paths = (props: readonly { path: string; kind: string }[]) => props.slice(0, PATHS_IN_EVENT).map((p) => ({ path: p.path, kind: p.kind }));
  return {
    acceptance: {
      acceptedAt: finding.acceptedAt,
      acceptedBy: finding.acceptedBy ?? finding.riskAcceptedBy ?? 'unknown',
      expiresAt: finding.expiresAt ?? null,
      acceptedProperties: paths(finding.acceptedEvidence?.drifted_properties ?? []),
      currentProperties: paths(finding.evidence.drifted_properties),
    },
  };
}

/** A reopen that ended an acceptance: its event is always sent (a person's decision no longer holds). */
function endedAcceptance(finding: Finding): boolean {
  return finding.reopenReason !== undefined && ACCEPTANCE_END_REASONS.includes(finding.reopenReason);
}

/**
 * True when an event for the same fingerprint was sent less than `cooldownHours` before `now`.
 * No previous send, or an unreadable timestamp, is not within the cooldown; a `lastSentAt` in the
 * future (clock skew) is.
 */
export function withinCooldown(lastSentAt: string | undefined | null, now: string, cooldownHours = DEFAULT_COOLDOWN_HOURS): boolean {
  if (lastSentAt === undefined || lastSentAt === null) return false;
  const last = Date.parse(lastSentAt);
  const at = Date.parse(now);
  if (Number.isNaN(last) || Number.isNaN(at)) return false;
  return at - last < cooldownHours * 3_600_000;
}

/**
 * The finding events to send after applying a run's observations: `new` -> opened, `reopened` ->
 * reopened, only at or above `alertMinSeverity`, and at most once per fingerprint per cooldown
 * window (`lastSentAt` gives when an event was last sent for a fingerprint; within this call a
 * fingerprint also yields at most one event). Order: as given.
 */
export function findingEventsToSend(input: {
  applied: readonly { finding: Finding; effect: ObservationEffect }[];
  alertMinSeverity: Severity;
  now: string;
  lastSentAt?: (fingerprint: string) => string | undefined;
  cooldownHours?: number;
}): FindingEvent[] {
  const out: FindingEvent[] = [];
  const sent = new Set<string>();
  for (const { finding, effect } of input.applied) {
    if (effect !== 'new' && effect !== 'reopened') continue;
    if (!severityAtLeast(finding.severity, input.alertMinSeverity)) continue;
    if (sent.has(finding.fingerprint)) continue;
    if (withinCooldown(input.lastSentAt?.(finding.fingerprint), input.now, input.cooldownHours)) continue;
    sent.add(finding.fingerprint);
    out.push({
      source: EVENT_SOURCE,
      detailType: effect === 'new' ? EVENT_DETAIL_TYPES.findingOpened : EVENT_DETAIL_TYPES.findingReopened,
      detail: findingEventDetail(finding),
    });
  }
  return out;
}

/** What decides whether an observation's finding event is due (the profile's threshold, the cooldown). */
export interface FindingAlertPolicy {
  alertMinSeverity: Severity;
  /** The compare run applying the observation. */
  runId: string;
  /** When the event is claimed (the run's observation time). */
  at: string;
  cooldownHours?: number;
}

/**
 * Claims the finding event of one applied observation: when `effect` is `new` or `reopened`, the
 * severity is at or above the threshold and no event was claimed for the fingerprint within the
 * cooldown (`finding.lastAlertedAt`) (a reopen that ends an acceptance is always claimed), returns the finding with `lastAlertedAt`, `lastAlertRunId` and
 * `lastAlertKind` set; otherwise the finding unchanged. The caller stores the claim in the same write
 * as the observation, so a retried task knows which events its run owes.
 */
export function claimFindingAlert(finding: Finding, effect: ObservationEffect, policy: FindingAlertPolicy): Finding {
  if (effect === 'reopened' && endedAcceptance(finding)) {
    // The end of an acceptance is told whatever the severity threshold and the cooldown: it is the
    // moment a person's explicit decision stops covering the drift.
    return { ...finding, lastAlertedAt: policy.at, lastAlertRunId: policy.runId, lastAlertKind: 'reopened' };
  }
  const due = findingEventsToSend({
    applied: [{ finding, effect }],
    alertMinSeverity: policy.alertMinSeverity,
    now: policy.at,
    lastSentAt: () => finding.lastAlertedAt,
    ...(policy.cooldownHours !== undefined ? { cooldownHours: policy.cooldownHours } : {}),
  });
  if (due.length === 0) return finding;
  return { ...finding, lastAlertedAt: policy.at, lastAlertRunId: policy.runId, lastAlertKind: effect === 'new' ? 'opened' : 'reopened' };
}

/**
 * The finding events a run owes: one per finding whose alert was claimed by `runId`, whatever the
 * effect reported by this attempt (a retried task sees `already_applied` and still owes the events its
 * earlier attempt claimed). Order: as given, one per fingerprint.
 */
export function claimedFindingEvents(findings: readonly Finding[], runId: string): FindingEvent[] {
  const out: FindingEvent[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    if (f.lastAlertRunId !== runId || f.lastAlertKind === undefined || seen.has(f.fingerprint)) continue;
    seen.add(f.fingerprint);
    out.push({
      source: EVENT_SOURCE,
      detailType: f.lastAlertKind === 'opened' ? EVENT_DETAIL_TYPES.findingOpened : EVENT_DETAIL_TYPES.findingReopened,
      detail: findingEventDetail(f),
    });
  }
  return out;
}
