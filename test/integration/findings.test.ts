import { describe, expect, it } from 'vitest';
import { FindingTransitionRefusedError } from '../../shared/domain/errors.js';
import type { FindingObservation } from '../../shared/domain/lifecycle.js';
import type { ChangeType, FindingEvidence, RegistryTypeKey, Severity } from '../../shared/domain/model.js';
import { CapacityMeter } from '../../shared/adapters/dynamodb/capacity.js';
import { InvalidCursorError } from '../../shared/usecases/ports/errors.js';
import { testRepositories, uniqueId } from '../support/dynamodb.js';

const SCOPE = 'baseline_profile:profile-1';

function evidence(changeType: ChangeType, policyType: RegistryTypeKey, subjectKey: string, runId: string): FindingEvidence {
  return {
    change_type: changeType,
    policy_type: policyType,
    subject_key: subjectKey,
    display_name: subjectKey,
    baseline: { hash: 'b'.repeat(64), fidelity: 'content', provenance: { snapshot_id: 'snap-1', captured_at: '2025-01-01T00:00:00.000Z' } },
    current: { hash: 'c'.repeat(64), fidelity: 'content', provenance: { inventory_sync_run_id: 'sync-1', observed_at: '2025-01-02T00:00:00.000Z', external_id: 'ext-1' } },
    drifted_properties: [{ path: '/content/passwordMinimumLength', kind: 'changed', baseline: 14, current: 8 }],
    truncated: false,
    provenance: { baseline_profile_id: 'profile-1', baseline_snapshot_id: 'snap-1', compare_operation_run_id: runId, inventory_sync_run_id: 'sync-1' },
  };
}

function observation(
  tenantId: string,
  fingerprint: string,
  runId: string,
  observedAt: string,
  opts: { changeType?: ChangeType; policyType?: RegistryTypeKey; severity?: Severity; scopeKey?: string } = {},
): FindingObservation {
  const changeType = opts.changeType ?? 'different_version';
  const policyType = opts.policyType ?? 'deviceConfiguration';
  const subjectKey = `${policyType}:${fingerprint}`;
  return {
    tenantId,
    scopeKey: opts.scopeKey ?? SCOPE,
    fingerprint,
    recurrenceKey: fingerprint,
    changeType,
    policyType,
    subjectKey,
    displayName: subjectKey,
    severity: opts.severity ?? 'medium',
    evidence: evidence(changeType, policyType, subjectKey, runId),
    evidenceFidelity: 'content',
    runId,
    observedAt,
  };
}

describe('FindingRepository on DynamoDB Local', () => {
  it('applies a replayed observation of the same run only once, without writing', async () => {
    const meter = new CapacityMeter();
    const { findings } = testRepositories({ meter });
    const tenantId = uniqueId('tenant');
    const obs = observation(tenantId, 'fp-1', 'run-1', '2025-03-01T10:00:00.000Z');

    expect(await findings.applyObservations([obs])).toEqual({ new: 1, seen: 0, reopened: 0, already_applied: 0 });
    const before = await findings.get(tenantId, 'fp-1');
    const writesBefore = meter.totals().writeUnits;

    // The retried task: same run, same observation, twice more.
    expect(await findings.applyObservations([obs, obs])).toEqual({ new: 0, seen: 0, reopened: 0, already_applied: 2 });
    expect(meter.totals().writeUnits).toBe(writesBefore);
    const after = await findings.get(tenantId, 'fp-1');
    expect(after).toEqual(before);
    expect(after).toMatchObject({ status: 'new', timesSeen: 1, currentOperationRunId: 'run-1' });

    // The next run counts.
    expect(await findings.applyObservations([observation(tenantId, 'fp-1', 'run-2', '2025-03-02T10:00:00.000Z')])).toEqual({
      new: 0,
      seen: 1,
      reopened: 0,
      already_applied: 0,
    });
    expect(await findings.get(tenantId, 'fp-1')).toMatchObject({ timesSeen: 2, lastSeenAt: '2025-03-02T10:00:00.000Z' });
  });

  it('never loses a count when 20 runs observe one fingerprint at the same time', async () => {
    const tenantId = uniqueId('tenant');
    // 20 appliers, each with its own repository (as 20 Lambda containers would be).
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        testRepositories().findings.applyObservations([
          observation(tenantId, 'fp-race', `run-${i}`, `2025-03-01T10:00:${String(i).padStart(2, '0')}.000Z`),
        ]),
      ),
    );
    const totals = results.reduce(
      (acc, r) => ({ new: acc.new + r.new, seen: acc.seen + r.seen }),
      { new: 0, seen: 0 },
    );
    expect(totals).toEqual({ new: 1, seen: 19 });
    const stored = await testRepositories().findings.get(tenantId, 'fp-race');
    expect(stored?.timesSeen).toBe(20);
    expect(stored?.lastSeenAt).toBe('2025-03-01T10:00:19.000Z');
  });

  it('reopens a resolved finding and keeps a closed one closed', async () => {
    const { findings } = testRepositories();
    const tenantId = uniqueId('tenant');
    await findings.applyObservations([
      observation(tenantId, 'fp-a', 'run-1', '2025-03-01T00:00:00.000Z'),
      observation(tenantId, 'fp-b', 'run-1', '2025-03-01T00:00:00.000Z'),
    ]);
    await findings.transition(tenantId, 'fp-b', { to: 'closed', reason: 'exception approved', actor: 'user-1', at: '2025-03-01T01:00:00.000Z' });
    // run-2 sees neither: the open one is resolved, the closed one is left alone.
    expect(await findings.resolveUnobserved(tenantId, SCOPE, 'run-2', '2025-03-02T00:00:00.000Z')).toBe(1);
    expect((await findings.get(tenantId, 'fp-b'))?.status).toBe('closed');

    const effects = await findings.applyObservations([
      observation(tenantId, 'fp-a', 'run-3', '2025-03-03T00:00:00.000Z'),
      observation(tenantId, 'fp-b', 'run-3', '2025-03-03T00:00:00.000Z'),
    ]);
    expect(effects).toEqual({ new: 0, seen: 1, reopened: 1, already_applied: 0 });
    const reopened = await findings.get(tenantId, 'fp-a');
    expect(reopened).toMatchObject({ status: 'reopened', reopenCount: 1, reopenedAt: '2025-03-03T00:00:00.000Z', timesSeen: 2 });
    expect(reopened?.resolvedAt).toBeUndefined();
    expect(await findings.get(tenantId, 'fp-b')).toMatchObject({ status: 'closed', timesSeen: 2, closedReason: 'exception approved' });
  });

  it('auto-resolves exactly the open findings of the tenant and scope that the run did not observe', async () => {
    const { findings } = testRepositories();
    const tenantId = uniqueId('tenant');
    const otherTenant = uniqueId('tenant');
    const otherScope = 'baseline_profile:profile-2';
    // 30 open findings from run-1 (enough for several 1-page writes), one closed, one in another scope.
    await findings.applyObservations(
      Array.from({ length: 30 }, (_, i) => observation(tenantId, `fp-${i}`, 'run-1', '2025-03-01T00:00:00.000Z')),
    );
    await findings.applyObservations([
      observation(tenantId, 'fp-closed', 'run-1', '2025-03-01T00:00:00.000Z'),
      observation(tenantId, 'fp-elsewhere', 'run-1', '2025-03-01T00:00:00.000Z', { scopeKey: otherScope }),
      observation(otherTenant, 'fp-0', 'run-1', '2025-03-01T00:00:00.000Z'),
    ]);
    await findings.transition(tenantId, 'fp-closed', { to: 'closed', reason: 'accepted deviation', actor: 'user-1', at: '2025-03-01T01:00:00.000Z' });
    await findings.transition(tenantId, 'fp-1', { to: 'triaged', actor: 'user-1', at: '2025-03-01T01:00:00.000Z' });

    // run-2 observes fp-0..fp-9 (fp-1 is triaged: still open, seen).
    await findings.applyObservations(
      Array.from({ length: 10 }, (_, i) => observation(tenantId, `fp-${i}`, 'run-2', '2025-03-02T00:00:00.000Z')),
    );
    const resolved = await findings.resolveUnobserved(tenantId, SCOPE, 'run-2', '2025-03-02T00:05:00.000Z');
    expect(resolved).toBe(20);

    const stored = await Promise.all(Array.from({ length: 30 }, (_, i) => findings.get(tenantId, `fp-${i}`)));
    expect(stored.slice(0, 10).map((f) => f?.status)).toEqual(['new', 'triaged', ...Array<string>(8).fill('new')]);
    expect(stored.slice(10)).toEqual(
      Array.from({ length: 20 }, () =>
        expect.objectContaining({ status: 'resolved', resolvedReason: 'no_longer_drifting', resolvedAt: '2025-03-02T00:05:00.000Z', currentOperationRunId: 'run-2' }),
      ),
    );
    expect((await findings.get(tenantId, 'fp-closed'))?.status).toBe('closed');
    expect((await findings.get(tenantId, 'fp-elsewhere'))?.status).toBe('new');
    expect((await findings.get(otherTenant, 'fp-0'))?.status).toBe('new');

    // Running the same resolve again (a retried FinalizeRun) writes nothing more and reports the run's
    // resolutions, so the run's findings_resolved does not depend on how many attempts it took.
    expect(await findings.resolveUnobserved(tenantId, SCOPE, 'run-2', '2025-03-02T00:06:00.000Z')).toBe(20);
    expect((await findings.get(tenantId, 'fp-10'))?.resolvedAt).toBe('2025-03-02T00:05:00.000Z');
    // A later run that observes nothing resolves only what is still open: the ten run-2 observed.
    expect(await findings.resolveUnobserved(tenantId, SCOPE, 'run-3', '2025-03-03T00:00:00.000Z')).toBe(10);
  });

  it('moves a finding only along the allowed moves, with a condition on what was read', async () => {
    const { findings } = testRepositories();
    const tenantId = uniqueId('tenant');
    await findings.applyObservations([observation(tenantId, 'fp-t', 'run-1', '2025-03-01T00:00:00.000Z')]);
    const triaged = await findings.transition(tenantId, 'fp-t', { to: 'triaged', actor: 'user-1', assignee: 'user-2', at: '2025-03-01T02:00:00.000Z' });
    expect(triaged).toMatchObject({ status: 'triaged', triagedAt: '2025-03-01T02:00:00.000Z', assignee: 'user-2' });
    await expect(
      findings.transition(tenantId, 'fp-t', { to: 'reopened', actor: 'user-1', at: '2025-03-01T03:00:00.000Z' }),
    ).rejects.toBeInstanceOf(FindingTransitionRefusedError);
    expect((await findings.get(tenantId, 'fp-t'))?.status).toBe('triaged');

    // Two people racing: both moves are applied in some order, none is lost or applied to a stale read.
    const [a, b] = await Promise.allSettled([
      findings.transition(tenantId, 'fp-t', { to: 'in_progress', actor: 'user-1', at: '2025-03-01T04:00:00.000Z' }),
      findings.transition(tenantId, 'fp-t', { to: 'closed', reason: 'fixed by hand', actor: 'user-2', at: '2025-03-01T04:00:01.000Z' }),
    ]);
    const final = await findings.get(tenantId, 'fp-t');
    expect(b.status).toBe('fulfilled');
    // in_progress -> closed is allowed and closed -> in_progress is not: either order ends closed.
    expect(final?.status).toBe('closed');
    // The in_progress move either came first (and is recorded) or found the finding closed (refused).
    const first = a.status === 'fulfilled' ? { applied: true, inProgressAt: final?.inProgressAt } : { applied: false, error: (a.reason as Error).name };
    expect([
      { applied: true, inProgressAt: '2025-03-01T04:00:00.000Z' },
      { applied: false, error: 'FindingTransitionRefusedError' },
    ]).toContainEqual(first);
  });

  it('lists a tenant findings newest lastSeenAt first, filtered, across pages with opaque cursors', async () => {
    const { findings } = testRepositories();
    const tenantId = uniqueId('tenant');
    const obs: FindingObservation[] = [];
    for (let i = 0; i < 25; i += 1) {
      obs.push(
        observation(tenantId, `fp-${String(i).padStart(2, '0')}`, `run-${i}`, `2025-03-01T10:${String(i).padStart(2, '0')}:00.000Z`, {
          policyType: i % 2 === 0 ? 'deviceConfiguration' : 'conditionalAccessPolicy',
          changeType: i % 3 === 0 ? 'missing_policy' : 'different_version',
          severity: i % 3 === 0 ? 'high' : 'medium',
        }),
      );
    }
    await findings.applyObservations(obs);
    await findings.transition(tenantId, 'fp-04', { to: 'triaged', actor: 'u', at: '2025-03-02T00:00:00.000Z' });
    await findings.transition(tenantId, 'fp-10', { to: 'triaged', actor: 'u', at: '2025-03-02T00:00:00.000Z' });

    async function all(filter: Parameters<typeof findings.list>[1]): Promise<{ ids: string[]; pages: number }> {
      const ids: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await findings.list(tenantId, { ...filter, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(filter.limit);
        ids.push(...page.items.map((f) => f.fingerprint));
        cursor = page.cursor;
        pages += 1;
      } while (cursor !== undefined);
      return { ids, pages };
    }
    const expected = (pred: (i: number) => boolean): string[] =>
      Array.from({ length: 25 }, (_, i) => i)
        .filter(pred)
        .reverse()
        .map((i) => `fp-${String(i).padStart(2, '0')}`);

    const everything = await all({ limit: 4 });
    expect(everything.ids).toEqual(expected(() => true));
    expect(everything.pages).toBe(7);
    expect((await all({ limit: 3, policyType: 'conditionalAccessPolicy' })).ids).toEqual(expected((i) => i % 2 === 1));
    expect((await all({ limit: 2, changeType: 'missing_policy' })).ids).toEqual(expected((i) => i % 3 === 0));
    expect((await all({ limit: 2, status: 'triaged' })).ids).toEqual(['fp-10', 'fp-04']);
    expect((await all({ limit: 5, status: 'new', severity: 'high', policyType: 'deviceConfiguration' })).ids).toEqual(
      expected((i) => i % 3 === 0 && i % 2 === 0 && i !== 4 && i !== 10),
    );
    expect((await all({ limit: 5, scopeKey: 'baseline_profile:other' })).ids).toEqual([]);

    const first = await findings.list(tenantId, { limit: 2 });
    await expect(findings.list(tenantId, { limit: 2, status: 'new', cursor: first.cursor! })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(findings.list(tenantId, { limit: 2, cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('answers a get for an unknown fingerprint with undefined', async () => {
    const { findings } = testRepositories();
    expect(await findings.get(uniqueId('tenant'), 'nope')).toBeUndefined();
  });
});
