import { describe, expect, it } from 'vitest';
import type { Finding, FindingEvidence } from '../../shared/domain/model.js';
import { expireAcceptance, observeFinding, transitionFinding, type FindingObservation } from '../../shared/domain/lifecycle.js';
import { acceptedHashOf, acceptedValueChanged, DEFAULT_MAX_ACCEPTANCE_DAYS, validAcceptanceExpiry } from '../../shared/domain/acceptance.js';
import { claimFindingAlert, claimedFindingEvents, EVENT_DETAIL_TYPES } from '../../shared/domain/events.js';
import { AcceptanceExpiryInvalidError, AcceptanceExpiryNotApplicableError } from '../../shared/domain/errors.js';

const ACCEPTED_AT = '2026-03-01T09:00:00.000Z';

function evidence(currentHash: string | null, props: FindingEvidence['drifted_properties'] = [], fidelity: 'content' | 'meta' = 'content'): FindingEvidence {
  return {
    change_type: 'different_version',
    policy_type: 'deviceConfiguration',
    subject_key: 'deviceConfiguration:win - screen lock',
    display_name: 'Win - Screen lock',
    baseline: { hash: 'b'.repeat(64), fidelity: 'content', provenance: { snapshot_id: 'snap-1', captured_at: '2026-01-01T00:00:00.000Z' } },
    current: { hash: currentHash, fidelity: currentHash === null ? null : fidelity, provenance: { inventory_sync_run_id: 'sync-1', observed_at: null, external_id: 'ext-1' } },
    drifted_properties: props,
    truncated: false,
    provenance: { baseline_profile_id: 'prof-1', baseline_snapshot_id: 'snap-1', compare_operation_run_id: 'run-1', inventory_sync_run_id: 'sync-1' },
  };
}

const LOCK_15 = [{ path: '/passwordMinutesOfInactivityBeforeScreenTimeout', kind: 'changed' as const, baseline: 5, current: 15 }];
const LOCK_30 = [{ path: '/passwordMinutesOfInactivityBeforeScreenTimeout', kind: 'changed' as const, baseline: 5, current: 30 }];

function obs(runId: string, observedAt: string, ev: FindingEvidence): FindingObservation {
  return {
    tenantId: 'tenant-f',
    scopeKey: 'baseline_profile:prof-1',
    fingerprint: 'a'.repeat(64),
    recurrenceKey: 'a'.repeat(64),
    changeType: 'different_version',
    policyType: 'deviceConfiguration',
    subjectKey: ev.subject_key,
    displayName: ev.display_name,
    severity: 'medium',
    evidence: ev,
    evidenceFidelity: 'content',
    runId,
    observedAt,
  };
}

function accepted(expiresAt?: string): Finding {
  const open = observeFinding(undefined, obs('run-1', '2026-03-01T03:00:00.000Z', evidence('c'.repeat(64), LOCK_15))).finding;
  return transitionFinding(open, { to: 'risk_accepted', reason: 'Customer needs a longer screen lock', actor: 'oscar', at: ACCEPTED_AT, ...(expiresAt ? { expiresAt } : {}) });
}

describe('accepting a deviation pins the accepted value', () => {
  it('records who, when, the current side\'s hash per dimension, the evidence and the expiry', () => {
    const f = accepted('2026-06-01T00:00:00Z');
    expect(f).toMatchObject({
      status: 'risk_accepted',
      acceptedAt: ACCEPTED_AT,
      acceptedBy: 'oscar',
      acceptedHash: { settings: 'c'.repeat(64), settingsFidelity: 'content' },
      expiresAt: '2026-06-01T00:00:00.000Z',
      riskAcceptedReason: 'Customer needs a longer screen lock',
    });
    expect(f.acceptedEvidence?.drifted_properties).toEqual(LOCK_15);
  });

  it('takes the assignments dimension\'s hash when the evidence compared it', () => {
    const ev = { ...evidence('c'.repeat(64)), dimension_hashes: { settings: { baseline: 'b', current: 'c'.repeat(64) }, assignments: { baseline: 'x', current: 'y' } } };
    expect(acceptedHashOf(ev)).toEqual({ settings: 'c'.repeat(64), settingsFidelity: 'content', assignments: 'y' });
  });

  it('refuses an expiry in the past, beyond the maximum, unreadable, or on another move', () => {
    expect(() => validAcceptanceExpiry('2026-02-01T00:00:00Z', ACCEPTED_AT)).toThrow(AcceptanceExpiryInvalidError);
    expect(() => validAcceptanceExpiry(ACCEPTED_AT, ACCEPTED_AT)).toThrow(/future/);
    expect(() => validAcceptanceExpiry('2027-03-02T09:00:00.000Z', ACCEPTED_AT)).toThrow(/at most 365 days/);
    expect(validAcceptanceExpiry('2027-03-01T09:00:00.000Z', ACCEPTED_AT)).toBe('2027-03-01T09:00:00.000Z');
    expect(() => validAcceptanceExpiry('2026-04-15T00:00:00Z', ACCEPTED_AT, 30)).toThrow(/at most 30 days/);
    expect(() => validAcceptanceExpiry('next tuesday', ACCEPTED_AT)).toThrow(/ISO 8601/);
    expect(DEFAULT_MAX_ACCEPTANCE_DAYS).toBe(365);
    const open = observeFinding(undefined, obs('run-1', '2026-03-01T03:00:00.000Z', evidence('c'.repeat(64)))).finding;
    expect(() => transitionFinding(open, { to: 'triaged', actor: 'oscar', at: ACCEPTED_AT, expiresAt: '2026-04-01T00:00:00Z' })).toThrow(AcceptanceExpiryNotApplicableError);
  });

  it('a person\'s reopen withdraws the acceptance', () => {
    const f = transitionFinding(accepted('2026-06-01T00:00:00Z'), { to: 'triaged', actor: 'oscar', at: '2026-03-02T00:00:00.000Z' });
    for (const field of ['acceptedAt', 'acceptedBy', 'acceptedHash', 'acceptedEvidence', 'expiresAt', 'riskAcceptedBy'] as const) expect(f[field]).toBeUndefined();
  });
});

describe('an accepted deviation stays watched', () => {
  it('the same value seen again: seen fields only, still accepted', () => {
    const { finding: f, effect } = observeFinding(accepted(), obs('run-2', '2026-03-02T03:00:00.000Z', evidence('c'.repeat(64), LOCK_15)));
    expect(effect).toBe('seen');
    expect(f.status).toBe('risk_accepted');
    expect(f.timesSeen).toBe(2);
    expect(f.reopenReason).toBeUndefined();
  });

  it('another value: reopened (accepted_value_changed), the evidence showing what was accepted and what is there now', () => {
    const { finding: f, effect } = observeFinding(accepted(), obs('run-2', '2026-03-02T03:00:00.000Z', evidence('d'.repeat(64), LOCK_30)));
    expect(effect).toBe('reopened');
    expect(f).toMatchObject({ status: 'reopened', reopenReason: 'accepted_value_changed', reopenedAt: '2026-03-02T03:00:00.000Z', reopenCount: 1 });
    expect(f.evidence.drifted_properties).toEqual(LOCK_30);
    expect(f.evidence.accepted).toEqual({
      accepted_at: ACCEPTED_AT,
      accepted_by: 'oscar',
      expires_at: null,
      hash: { settings: 'c'.repeat(64), settingsFidelity: 'content' },
      drifted_properties: LOCK_15,
      truncated: false,
    });
  });

  it('a hash of another fidelity proves no change (a meta hash says nothing about content)', () => {
    const { effect, finding: f } = observeFinding(accepted(), obs('run-2', '2026-03-02T03:00:00.000Z', evidence('m'.repeat(64), [], 'meta')));
    expect(effect).toBe('seen');
    expect(f.status).toBe('risk_accepted');
    expect(acceptedValueChanged({ settings: 'a', settingsFidelity: 'content', assignments: 'x' }, { settings: 'a', settingsFidelity: 'content', assignments: 'y' })).toBe(true);
    expect(acceptedValueChanged({ settings: 'a', settingsFidelity: 'content', assignments: 'x' }, { settings: 'a', settingsFidelity: 'content' })).toBe(false);
  });

  it('past its expiry: reopened (acceptance_expired), even with the same value', () => {
    const { finding: f, effect } = observeFinding(accepted('2026-03-10T00:00:00Z'), obs('run-2', '2026-03-10T03:00:00.000Z', evidence('c'.repeat(64), LOCK_15)));
    expect(effect).toBe('reopened');
    expect(f).toMatchObject({ status: 'reopened', reopenReason: 'acceptance_expired' });
    expect(f.evidence.accepted?.expires_at).toBe('2026-03-10T00:00:00.000Z');
  });

  it('a retried observation of the same run reopens once', () => {
    const first = observeFinding(accepted(), obs('run-2', '2026-03-02T03:00:00.000Z', evidence('d'.repeat(64), LOCK_30)));
    const again = observeFinding(first.finding, obs('run-2', '2026-03-02T03:00:00.000Z', evidence('d'.repeat(64), LOCK_30)));
    expect(again.effect).toBe('already_applied');
    expect(again.finding.reopenCount).toBe(1);
  });
});

describe('the expiry sweep and the event of an ended acceptance', () => {
  it('expires only accepted findings past their expiry, without counting a sighting', () => {
    const f = accepted('2026-03-10T00:00:00Z');
    expect(expireAcceptance(f, '2026-03-09T23:59:59.000Z')).toBeUndefined();
    expect(expireAcceptance(accepted(), '2030-01-01T00:00:00.000Z')).toBeUndefined();
    const expired = expireAcceptance(f, '2026-03-10T00:00:00.000Z')!;
    expect(expired).toMatchObject({ status: 'reopened', reopenReason: 'acceptance_expired', timesSeen: f.timesSeen, lastSeenAt: f.lastSeenAt });
    expect(expireAcceptance(expired, '2026-03-11T00:00:00.000Z')).toBeUndefined();
  });

  it('an ended acceptance is always told (below the threshold, within the cooldown), with its reason and paths only', () => {
    const reopened = observeFinding(accepted(), obs('run-2', '2026-03-02T03:00:00.000Z', evidence('d'.repeat(64), LOCK_30))).finding;
    const claimed = claimFindingAlert({ ...reopened, lastAlertedAt: '2026-03-02T02:00:00.000Z' }, 'reopened', { alertMinSeverity: 'critical', runId: 'run-2', at: '2026-03-02T03:00:00.000Z' });
    const [event] = claimedFindingEvents([claimed], 'run-2');
    expect(event?.detailType).toBe(EVENT_DETAIL_TYPES.findingReopened);
    expect(event?.detail).toMatchObject({
      status: 'reopened',
      reopenReason: 'accepted_value_changed',
      acceptance: {
        acceptedAt: ACCEPTED_AT,
        acceptedBy: 'oscar',
        expiresAt: null,
        acceptedProperties: [{ path: '/passwordMinutesOfInactivityBeforeScreenTimeout', kind: 'changed' }],
        currentProperties: [{ path: '/passwordMinutesOfInactivityBeforeScreenTimeout', kind: 'changed' }],
      },
    });
    expect(JSON.stringify(event)).not.toContain('"current":30');
    expect(JSON.stringify(event)).not.toContain('c'.repeat(64));
  });

  it('a drift_returned reopen keeps the threshold', () => {
    const resolved: Finding = { ...accepted(), status: 'resolved', resolvedAt: '2026-03-05T00:00:00.000Z', resolvedReason: 'no_longer_drifting' };
    const back = observeFinding(resolved, obs('run-3', '2026-03-06T03:00:00.000Z', evidence('c'.repeat(64)))).finding;
    expect(back.reopenReason).toBe('drift_returned');
    expect(claimFindingAlert(back, 'reopened', { alertMinSeverity: 'critical', runId: 'run-3', at: '2026-03-06T03:00:00.000Z' }).lastAlertRunId).toBeUndefined();
  });
});
