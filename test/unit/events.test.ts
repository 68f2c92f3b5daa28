import { describe, expect, it } from 'vitest';
import {
  compareCompletedEvent,
  compareFailedEvent,
  EVENT_DETAIL_TYPES,
  EVENT_SOURCE,
  findingEventDetail,
  findingEventsToSend,
  withinCooldown,
} from '../../shared/domain/events.js';
import { observeFinding, type FindingObservation, type ObservationEffect } from '../../shared/domain/lifecycle.js';
import { emptyCompareCounts } from '../../shared/domain/outcome.js';
import type { Finding, Severity } from '../../shared/domain/model.js';

const SECRET_VALUE = 'hmac-sha256:' + 'f'.repeat(64);

function finding(fp: string, severity: Severity, over: Partial<Finding> = {}): Finding {
  const obs: FindingObservation = {
    tenantId: 'tenant-a',
    scopeKey: 'baseline_profile:prof-1',
    fingerprint: fp,
    recurrenceKey: fp,
    changeType: 'different_version',
    policyType: 'deviceConfiguration',
    subjectKey: 'deviceConfiguration:wifi',
    displayName: 'WiFi',
    severity,
    evidence: {
      change_type: 'different_version',
      policy_type: 'deviceConfiguration',
      subject_key: 'deviceConfiguration:wifi',
      display_name: 'WiFi',
      baseline: { hash: 'a'.repeat(64), fidelity: 'content', provenance: { snapshot_id: 's', captured_at: '2025-01-01T00:00:00.000Z' } },
      current: { hash: 'b'.repeat(64), fidelity: 'content', provenance: { inventory_sync_run_id: 'i', observed_at: null, external_id: 'x' } },
      drifted_properties: [{ path: '/preSharedKey', kind: 'changed', baseline: SECRET_VALUE, current: 'hmac-sha256:' + 'e'.repeat(64) }],
      truncated: false,
      provenance: { baseline_profile_id: 'prof-1', baseline_snapshot_id: 's', compare_operation_run_id: 'run-1', inventory_sync_run_id: 'i' },
    },
    evidenceFidelity: 'content',
    runId: 'run-1',
    observedAt: '2025-03-01T10:00:00.000Z',
  };
  return { ...observeFinding(undefined, obs).finding, ...over };
}

const now = '2025-03-01T12:00:00.000Z';

describe('findingEventsToSend (design 2.13)', () => {
  it('new -> opened, reopened -> reopened; seen and already_applied send nothing', () => {
    const applied: { finding: Finding; effect: ObservationEffect }[] = [
      { finding: finding('f1', 'high'), effect: 'new' },
      { finding: finding('f2', 'high', { status: 'reopened', reopenCount: 1 }), effect: 'reopened' },
      { finding: finding('f3', 'high'), effect: 'seen' },
      { finding: finding('f4', 'high'), effect: 'already_applied' },
    ];
    const events = findingEventsToSend({ applied, alertMinSeverity: 'high', now });
    expect(events.map((e) => [e.detailType, e.detail.fingerprint])).toEqual([
      ['Drift Finding Opened', 'f1'],
      ['Drift Finding Reopened', 'f2'],
    ]);
    expect(events.every((e) => e.source === EVENT_SOURCE)).toBe(true);
  });

  it('only at or above alertMinSeverity', () => {
    const applied = (['low', 'medium', 'high', 'critical'] as const).map((s) => ({ finding: finding(`f-${s}`, s), effect: 'new' as const }));
    expect(findingEventsToSend({ applied, alertMinSeverity: 'high', now }).map((e) => e.detail.severity)).toEqual(['high', 'critical']);
    expect(findingEventsToSend({ applied, alertMinSeverity: 'low', now })).toHaveLength(4);
    expect(findingEventsToSend({ applied, alertMinSeverity: 'critical', now })).toHaveLength(1);
  });

  it('at most once per fingerprint within the cooldown window (default 24 h)', () => {
    const applied = [{ finding: finding('f1', 'high'), effect: 'new' as const }];
    const sent = (at: string) => () => at;
    expect(findingEventsToSend({ applied, alertMinSeverity: 'high', now, lastSentAt: sent('2025-02-28T12:00:01.000Z') })).toHaveLength(0);
    expect(findingEventsToSend({ applied, alertMinSeverity: 'high', now, lastSentAt: sent('2025-02-28T12:00:00.000Z') })).toHaveLength(1);
    expect(findingEventsToSend({ applied, alertMinSeverity: 'high', now, lastSentAt: sent('2025-03-01T11:00:00.000Z'), cooldownHours: 1 })).toHaveLength(1);
    expect(findingEventsToSend({ applied, alertMinSeverity: 'high', now, lastSentAt: () => undefined })).toHaveLength(1);
  });

  it('one event per fingerprint per call', () => {
    const f = finding('f1', 'high');
    const events = findingEventsToSend({ applied: [{ finding: f, effect: 'new' }, { finding: f, effect: 'new' }], alertMinSeverity: 'low', now });
    expect(events).toHaveLength(1);
  });

  it('details carry identifiers and status, never evidence, content values or hashes', () => {
    const f = finding('f1', 'critical');
    const [event] = findingEventsToSend({ applied: [{ finding: f, effect: 'new' }], alertMinSeverity: 'high', now });
    expect(event?.detail).toEqual({
      tenantId: 'tenant-a',
      scopeKey: 'baseline_profile:prof-1',
      fingerprint: 'f1',
      changeType: 'different_version',
      policyType: 'deviceConfiguration',
      subjectKey: 'deviceConfiguration:wifi',
      displayName: 'WiFi',
      severity: 'critical',
      status: 'new',
      firstSeenAt: '2025-03-01T10:00:00.000Z',
      lastSeenAt: '2025-03-01T10:00:00.000Z',
      reopenCount: 0,
      dueAt: '2025-03-04T10:00:00.000Z',
      operationRunId: 'run-1',
    });
    const text = JSON.stringify(event);
    expect(text).not.toContain(SECRET_VALUE);
    expect(text).not.toContain('a'.repeat(64));
    expect(text).not.toContain('evidence');
    expect(findingEventDetail(f)).toEqual(event?.detail);
  });
});

describe('withinCooldown', () => {
  it.each([
    [undefined, false],
    [null, false],
    ['not a date', false],
    ['2025-02-28T12:00:00.000Z', false], // exactly 24 h ago: the window has passed
    ['2025-02-28T12:00:00.001Z', true],
    ['2025-03-01T11:59:59.000Z', true],
    ['2025-03-02T00:00:00.000Z', true], // in the future (clock skew): still within
  ] as const)('last sent %s -> %s', (last, expected) => {
    expect(withinCooldown(last, now)).toBe(expected);
  });

  it('honours a custom window', () => {
    expect(withinCooldown('2025-03-01T10:30:00.000Z', now, 1)).toBe(false);
    expect(withinCooldown('2025-03-01T11:30:00.000Z', now, 1)).toBe(true);
    expect(withinCooldown('2025-03-01T11:59:00.000Z', now, 0)).toBe(false);
  });
});

describe('compare events', () => {
  it('compare completed carries the outcome and the counts', () => {
    const counts = { ...emptyCompareCounts(), total: 3, processed: 3, findings_new: 2 };
    const e = compareCompletedEvent({
      tenantId: 'tenant-a',
      profileId: 'prof-1',
      snapshotId: 'snap-1',
      operationRunId: 'run-1',
      outcome: 'succeeded',
      summaryCounts: counts,
      completedAt: now,
    });
    expect(e).toEqual({
      source: EVENT_SOURCE,
      detailType: EVENT_DETAIL_TYPES.compareCompleted,
      detail: { tenantId: 'tenant-a', profileId: 'prof-1', snapshotId: 'snap-1', operationRunId: 'run-1', outcome: 'succeeded', summaryCounts: counts, completedAt: now },
    });
    counts.total = 99;
    expect((e.detail as { summaryCounts: { total: number } }).summaryCounts.total).toBe(3);
  });

  it('compare failed carries the failure summary with capped messages', () => {
    const e = compareFailedEvent({
      tenantId: 'tenant-a',
      profileId: null,
      operationRunId: 'run-1',
      failureSummary: [{ code: 'dispatch_failed', message: 'x'.repeat(2000), count: 1 }],
      completedAt: now,
    });
    expect(e.detailType).toBe('Baseline Compare Failed');
    expect(e.detail).toMatchObject({ outcome: 'failed', profileId: null, failureSummary: [{ code: 'dispatch_failed', count: 1 }] });
    expect((e.detail as { failureSummary: { message: string }[] }).failureSummary[0]?.message).toHaveLength(500);
  });

  it('detail types are stable names', () => {
    expect(EVENT_DETAIL_TYPES).toEqual({
      compareCompleted: 'Baseline Compare Completed',
      compareFailed: 'Baseline Compare Failed',
      findingOpened: 'Drift Finding Opened',
      findingReopened: 'Drift Finding Reopened',
      findingResolved: 'Drift Finding Resolved',
    });
    expect(EVENT_SOURCE).toBe('baseline-drift-engine');
  });
});
