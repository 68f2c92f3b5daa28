import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Finding, FindingEvidence, FindingStatus, OperationRunOutcome } from '../../shared/domain/model.js';
import { OPEN_FINDING_STATUSES, TERMINAL_FINDING_STATUSES } from '../../shared/domain/model.js';
import {
  ALLOWED_MOVES,
  SLA_DAYS,
  autoResolveAllowed,
  autoResolveFinding,
  isOpenStatus,
  observeFinding,
  transitionFinding,
  type FindingObservation,
} from '../../shared/domain/lifecycle.js';
import {
  FindingIdentityMismatchError,
  FindingTransitionReasonRequiredError,
  FindingTransitionRefusedError,
  InvalidTimestampError,
} from '../../shared/domain/errors.js';

const ALL_STATUSES: FindingStatus[] = [...OPEN_FINDING_STATUSES, ...TERMINAL_FINDING_STATUSES];

function evidence(displayName = 'Defender AV'): FindingEvidence {
  return {
    change_type: 'different_version',
    policy_type: 'settingsCatalogPolicy',
    subject_key: 'settingsCatalogPolicy:defender av',
    display_name: displayName,
    baseline: { hash: 'b'.repeat(64), fidelity: 'content', provenance: { snapshot_id: 'snap-1', captured_at: '2025-01-01T00:00:00.000Z' } },
    current: {
      hash: 'c'.repeat(64),
      fidelity: 'content',
      provenance: { inventory_sync_run_id: 'sync-1', observed_at: '2025-03-01T00:00:00.000Z', external_id: 'ext-1' },
    },
    drifted_properties: [],
    truncated: false,
    provenance: {
      baseline_profile_id: 'prof-1',
      baseline_snapshot_id: 'snap-1',
      compare_operation_run_id: 'run-1',
      inventory_sync_run_id: 'sync-1',
    },
  };
}

function obs(over: Partial<FindingObservation> = {}): FindingObservation {
  return {
    tenantId: 'tenant-a',
    scopeKey: 'baseline_profile:prof-1',
    fingerprint: 'f'.repeat(64),
    recurrenceKey: 'f'.repeat(64),
    changeType: 'different_version',
    policyType: 'settingsCatalogPolicy',
    subjectKey: 'settingsCatalogPolicy:defender av',
    displayName: 'Defender AV',
    severity: 'medium',
    evidence: evidence(),
    evidenceFidelity: 'content',
    runId: 'run-1',
    observedAt: '2025-03-01T10:00:00.000Z',
    ...over,
  };
}

function finding(status: FindingStatus, over: Partial<Finding> = {}): Finding {
  const base = observeFinding(undefined, obs({ runId: 'run-0', observedAt: '2025-02-01T10:00:00.000Z' })).finding;
  return { ...base, status, ...over };
}

describe('observeFinding (design 2.8)', () => {
  it('creates a new finding on first observation', () => {
    const { finding: f, effect } = observeFinding(undefined, obs());
    expect(effect).toBe('new');
    expect(f).toMatchObject({
      tenantId: 'tenant-a',
      fingerprint: 'f'.repeat(64),
      recurrenceKey: 'f'.repeat(64),
      scopeKey: 'baseline_profile:prof-1',
      source: 'baseline.compare',
      changeType: 'different_version',
      status: 'new',
      severity: 'medium',
      firstSeenAt: '2025-03-01T10:00:00.000Z',
      lastSeenAt: '2025-03-01T10:00:00.000Z',
      timesSeen: 1,
      reopenCount: 0,
      currentOperationRunId: 'run-1',
      evidenceFidelity: 'content',
    });
    expect(f.dueAt).toBe('2025-03-15T10:00:00.000Z'); // medium: 14 days
    expect(f.resolvedAt).toBeUndefined();
  });

  it.each([
    ['critical', '2025-03-04T10:00:00.000Z'],
    ['high', '2025-03-08T10:00:00.000Z'],
    ['medium', '2025-03-15T10:00:00.000Z'],
    ['low', '2025-03-31T10:00:00.000Z'],
  ] as const)('dueAt = firstSeenAt + SLA days for %s', (severity, due) => {
    expect(observeFinding(undefined, obs({ severity })).finding.dueAt).toBe(due);
  });

  it('SLA days are critical 3, high 7, medium 14, low 30', () => {
    expect(SLA_DAYS).toEqual({ critical: 3, high: 7, medium: 14, low: 30 });
  });

  it.each(OPEN_FINDING_STATUSES)('an open finding (%s) keeps its status, counts the sighting', (status) => {
    const existing = finding(status);
    const { finding: f, effect } = observeFinding(existing, obs({ runId: 'run-2', observedAt: '2025-03-02T00:00:00.000Z' }));
    expect(effect).toBe('seen');
    expect(f.status).toBe(status);
    expect(f.timesSeen).toBe(existing.timesSeen + 1);
    expect(f.lastSeenAt).toBe('2025-03-02T00:00:00.000Z');
    expect(f.firstSeenAt).toBe(existing.firstSeenAt);
    expect(f.reopenCount).toBe(existing.reopenCount);
    expect(f.currentOperationRunId).toBe('run-2');
  });

  it('refreshes evidence, displayName, severity and fidelity; dueAt follows severity from firstSeenAt', () => {
    const existing = finding('triaged');
    const { finding: f } = observeFinding(
      existing,
      obs({ runId: 'run-2', displayName: 'Defender  AV', severity: 'critical', evidence: evidence('Defender  AV'), evidenceFidelity: 'mixed' }),
    );
    expect(f.displayName).toBe('Defender  AV');
    expect(f.severity).toBe('critical');
    expect(f.evidence.display_name).toBe('Defender  AV');
    expect(f.evidenceFidelity).toBe('mixed');
    expect(f.dueAt).toBe('2025-02-04T10:00:00.000Z');
  });

  it('a resolved finding is reopened', () => {
    const existing = finding('resolved', {
      resolvedAt: '2025-02-10T00:00:00.000Z',
      resolvedReason: 'no_longer_drifting',
      reopenCount: 2,
      timesSeen: 5,
    });
    const { finding: f, effect } = observeFinding(existing, obs({ runId: 'run-9' }));
    expect(effect).toBe('reopened');
    expect(f.status).toBe('reopened');
    expect(f.reopenedAt).toBe('2025-03-01T10:00:00.000Z');
    expect(f.reopenCount).toBe(3);
    expect(f.reopenReason).toBe('drift_returned');
    expect(f.timesSeen).toBe(6);
    expect(f).not.toHaveProperty('resolvedAt');
    expect(f).not.toHaveProperty('resolvedReason');
    expect(f.firstSeenAt).toBe(existing.firstSeenAt);
  });

  it.each(['closed', 'risk_accepted'] as const)('%s keeps status and decision fields, updates seen fields only', (status) => {
    const existing = finding(status, {
      closedAt: '2025-02-05T00:00:00.000Z',
      closedBy: 'alice',
      closedReason: 'accepted by CAB',
      riskAcceptedBy: 'bob',
      riskAcceptedReason: 'legacy app',
      timesSeen: 3,
    });
    const { finding: f, effect } = observeFinding(existing, obs({ runId: 'run-3' }));
    expect(effect).toBe('seen');
    expect(f.status).toBe(status);
    expect(f.timesSeen).toBe(4);
    expect(f.reopenCount).toBe(existing.reopenCount);
    expect(f.reopenedAt).toBeUndefined();
    expect(f.closedReason).toBe('accepted by CAB');
    expect(f.riskAcceptedReason).toBe('legacy app');
    expect(f.lastSeenAt).toBe('2025-03-01T10:00:00.000Z');
  });

  it('applies an observation once per run: a retried task does not count twice', () => {
    const first = observeFinding(finding('resolved', { resolvedAt: 'x', resolvedReason: 'no_longer_drifting' }), obs({ runId: 'run-5' }));
    const retry = observeFinding(first.finding, obs({ runId: 'run-5', observedAt: '2025-03-01T11:00:00.000Z' }));
    expect(retry.effect).toBe('already_applied');
    expect(retry.finding).toBe(first.finding);
    expect(retry.finding.timesSeen).toBe(first.finding.timesSeen);
    expect(retry.finding.reopenCount).toBe(1);
  });

  it('never moves lastSeenAt backwards', () => {
    const existing = finding('new', { lastSeenAt: '2025-03-05T00:00:00.000Z' });
    const { finding: f } = observeFinding(existing, obs({ runId: 'run-2', observedAt: '2025-03-04T00:00:00.000Z' }));
    expect(f.lastSeenAt).toBe('2025-03-05T00:00:00.000Z');
    expect(f.timesSeen).toBe(existing.timesSeen + 1);
  });

  it('refuses to apply an observation to another finding', () => {
    expect(() => observeFinding(finding('new'), obs({ runId: 'r', fingerprint: 'a'.repeat(64) }))).toThrow(FindingIdentityMismatchError);
    expect(() => observeFinding(finding('new'), obs({ runId: 'r', tenantId: 'tenant-b' }))).toThrow(FindingIdentityMismatchError);
  });

  it('rejects an invalid observedAt', () => {
    expect(() => observeFinding(undefined, obs({ observedAt: 'yesterday' }))).toThrow(InvalidTimestampError);
  });

  it('does not mutate its input', () => {
    const existing = finding('resolved', { resolvedAt: '2025-02-10T00:00:00.000Z', resolvedReason: 'no_longer_drifting' });
    const copy = structuredClone(existing);
    observeFinding(existing, obs({ runId: 'run-7' }));
    expect(existing).toEqual(copy);
  });

  it('property: n distinct runs give timesSeen n, any retries of a run change nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 20 }), (repeats) => {
        let f: Finding | undefined;
        repeats.forEach((times, i) => {
          for (let k = 0; k < times; k++) {
            f = observeFinding(f, obs({ runId: `run-${i}`, observedAt: new Date(Date.UTC(2025, 0, 1 + i)).toISOString() })).finding;
          }
        });
        expect(f!.timesSeen).toBe(repeats.length);
        expect(f!.status).toBe('new');
        expect(f!.firstSeenAt).toBe('2025-01-01T00:00:00.000Z');
      }),
    );
  });
});

describe('autoResolveFinding (design 2.9)', () => {
  it.each(OPEN_FINDING_STATUSES)('resolves an open (%s) finding not observed in the run', (status) => {
    const f = autoResolveFinding(finding(status), 'run-2', '2025-03-03T00:00:00.000Z');
    expect(f).toMatchObject({
      status: 'resolved',
      resolvedAt: '2025-03-03T00:00:00.000Z',
      resolvedReason: 'no_longer_drifting',
      currentOperationRunId: 'run-2',
    });
  });

  it.each(['resolved', 'closed'] as const)('leaves a %s finding alone', (status) => {
    expect(autoResolveFinding(finding(status), 'run-2', '2025-03-03T00:00:00.000Z')).toBeUndefined();
  });

  it('resolves an accepted finding whose drift is gone, keeping its acceptance as history', () => {
    const accepted = transitionFinding(finding('new'), { to: 'risk_accepted', reason: 'kiosk exception', actor: 'carol', at: '2025-03-02T00:00:00.000Z' });
    const f = autoResolveFinding(accepted, 'run-2', '2025-03-03T00:00:00.000Z');
    expect(f).toMatchObject({ status: 'resolved', resolvedReason: 'no_longer_drifting', acceptedAt: '2025-03-02T00:00:00.000Z', acceptedBy: 'carol', riskAcceptedReason: 'kiosk exception' });
    const back = observeFinding(f, obs({ runId: 'run-3', observedAt: '2025-03-04T00:00:00.000Z' }));
    expect(back.finding).toMatchObject({ status: 'reopened', reopenReason: 'drift_returned' });
  });

  it('never resolves a finding observed in the same run', () => {
    expect(autoResolveFinding(finding('new', { currentOperationRunId: 'run-2' }), 'run-2', '2025-03-03T00:00:00.000Z')).toBeUndefined();
  });

  it('a resolved finding seen again is reopened, and the run id makes it once per run', () => {
    const resolved = autoResolveFinding(finding('triaged'), 'run-2', '2025-03-03T00:00:00.000Z')!;
    const again = observeFinding(resolved, obs({ runId: 'run-3' }));
    expect(again.effect).toBe('reopened');
    expect(again.finding.triagedAt).toBe(resolved.triagedAt);
  });
});

describe('autoResolveAllowed (design 2.9)', () => {
  const ok = { outcome: 'succeeded' as OperationRunOutcome, processed: 3, total: 3, failed: 0, autoResolve: true };

  it('allows only a fully succeeded run with the kill switch on', () => {
    expect(autoResolveAllowed(ok)).toBe(true);
  });

  it.each([
    ['partially_succeeded outcome', { outcome: 'partially_succeeded' as const }],
    ['failed outcome', { outcome: 'failed' as const }],
    ['cancelled outcome', { outcome: 'cancelled' as const }],
    ['pending outcome', { outcome: 'pending' as const }],
    ['processed < total', { processed: 2 }],
    ['a failed type', { failed: 1 }],
    ['kill switch off', { autoResolve: false }],
    ['empty scope', { processed: 0, total: 0 }],
  ])('refuses with %s', (_label, over) => {
    expect(autoResolveAllowed({ ...ok, ...over })).toBe(false);
  });
});

describe('isOpenStatus', () => {
  it('open: new, triaged, in_progress, reopened; terminal: resolved, closed, risk_accepted', () => {
    expect(ALL_STATUSES.filter(isOpenStatus).sort()).toEqual(['in_progress', 'new', 'reopened', 'triaged']);
  });
});

describe('transitionFinding (design 2.8 moves)', () => {
  // The table of docs/lifecycle.md: from -> the moves a person may make.
  const TABLE = `
    new           -> triaged in_progress closed risk_accepted
    reopened      -> triaged in_progress closed risk_accepted
    triaged       -> in_progress closed risk_accepted
    in_progress   -> triaged closed risk_accepted
    closed        -> triaged
    risk_accepted -> triaged
    resolved      ->`;
  const EXPECTED = Object.fromEntries(
    TABLE.trim()
      .split('\n')
      .map((row) => row.split('->').map((side) => side.trim()))
      .map(([from, to]) => [from, to === '' ? [] : to!.split(/\s+/)]),
  ) as Record<FindingStatus, FindingStatus[]>;

  it('the table of moves is exactly the design', () => {
    expect(ALLOWED_MOVES).toEqual(EXPECTED);
  });

  const pairs = ALL_STATUSES.flatMap((from) => ALL_STATUSES.map((to) => [from, to] as const));
  const allowedPairs = pairs.filter(([from, to]) => EXPECTED[from].includes(to));
  const refusedPairs = pairs.filter(([from, to]) => !EXPECTED[from].includes(to));
  const moveTo = (to: FindingStatus) => ({ to, reason: 'because', actor: 'alice', at: '2025-03-02T00:00:00.000Z' });

  it('covers every from/to pair', () => {
    expect(allowedPairs.length).toBe(16);
    expect(allowedPairs.length + refusedPairs.length).toBe(49);
  });

  it.each(allowedPairs)('%s -> %s is allowed', (from, to) => {
    expect(transitionFinding(finding(from), moveTo(to)).status).toBe(to);
  });

  it.each(refusedPairs)('%s -> %s is refused', (from, to) => {
    expect(() => transitionFinding(finding(from), moveTo(to))).toThrow(FindingTransitionRefusedError);
  });

  it('the refusal has a stable name and code and lists the allowed moves', () => {
    let caught: unknown;
    try {
      transitionFinding(finding('triaged'), { to: 'new', actor: 'alice', at: '2025-03-02T00:00:00.000Z' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(FindingTransitionRefusedError);
    const err = caught as FindingTransitionRefusedError;
    expect(err.name).toBe('FindingTransitionRefusedError');
    expect(err.code).toBe('transition_refused');
    expect(err.message).toContain("'in_progress', 'closed', 'risk_accepted'");
    expect(() => transitionFinding(finding('resolved'), { to: 'triaged', actor: 'a', at: '2025-03-02T00:00:00.000Z' })).toThrow(/none/);
  });

  it.each(['closed', 'risk_accepted'] as const)('%s needs a reason', (to) => {
    for (const reason of [undefined, '', '   ']) {
      expect(() => transitionFinding(finding('new'), { to, reason, actor: 'alice', at: '2025-03-02T00:00:00.000Z' })).toThrow(
        FindingTransitionReasonRequiredError,
      );
    }
  });

  it('sets triagedAt and inProgressAt', () => {
    const t = transitionFinding(finding('new'), { to: 'triaged', actor: 'alice', at: '2025-03-02T00:00:00.000Z', assignee: 'bob' });
    expect(t.triagedAt).toBe('2025-03-02T00:00:00.000Z');
    expect(t.assignee).toBe('bob');
    const p = transitionFinding(t, { to: 'in_progress', actor: 'bob', at: '2025-03-03T00:00:00.000Z' });
    expect(p.inProgressAt).toBe('2025-03-03T00:00:00.000Z');
    expect(p.assignee).toBe('bob');
    expect(p.triagedAt).toBe('2025-03-02T00:00:00.000Z');
  });

  it('closed sets closedAt, closedBy and the trimmed reason', () => {
    const c = transitionFinding(finding('in_progress'), { to: 'closed', reason: ' fixed by hand ', actor: 'alice', at: '2025-03-04T00:00:00.000Z' });
    expect(c).toMatchObject({ status: 'closed', closedAt: '2025-03-04T00:00:00.000Z', closedBy: 'alice', closedReason: 'fixed by hand' });
  });

  it('risk_accepted sets riskAcceptedBy and riskAcceptedReason', () => {
    const r = transitionFinding(finding('reopened'), { to: 'risk_accepted', reason: 'legacy', actor: 'carol', at: '2025-03-04T00:00:00.000Z' });
    expect(r).toMatchObject({ status: 'risk_accepted', riskAcceptedBy: 'carol', riskAcceptedReason: 'legacy' });
  });

  it.each(['closed', 'risk_accepted'] as const)('a manual reopen from %s clears the decision fields', (status) => {
    const decided = transitionFinding(finding('new'), { to: status, reason: 'r', actor: 'alice', at: '2025-03-04T00:00:00.000Z' });
    const back = transitionFinding(decided, { to: 'triaged', actor: 'bob', at: '2025-03-05T00:00:00.000Z' });
    expect(back.status).toBe('triaged');
    expect(back.triagedAt).toBe('2025-03-05T00:00:00.000Z');
    for (const k of ['closedAt', 'closedBy', 'closedReason', 'riskAcceptedBy', 'riskAcceptedReason']) {
      expect(back).not.toHaveProperty(k);
    }
  });

  it('does not touch observation fields', () => {
    const before = finding('new');
    const after = transitionFinding(before, { to: 'triaged', actor: 'a', at: '2025-03-02T00:00:00.000Z' });
    expect(after.timesSeen).toBe(before.timesSeen);
    expect(after.currentOperationRunId).toBe(before.currentOperationRunId);
    expect(after.lastSeenAt).toBe(before.lastSeenAt);
  });
});
