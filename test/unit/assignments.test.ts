import { describe, expect, it } from 'vitest';
import { assignmentGroupIds, groupMappingsFromRecord, normalizeAssignments, resolveAssignments, withReferenceNames } from '../../shared/domain/assignments.js';
import type { GroupMapping } from '../../shared/domain/assignments.js';
import type { DriftCandidate } from '../../shared/domain/compare.js';
import type { DriftResult } from '../../shared/domain/drift.js';
import { buildObservation } from '../../shared/domain/evidence.js';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import { buildSubject } from '../../shared/domain/subject.js';
import { compareBuilt, settingsCatalogPolicy, type AssignmentSpec } from '../support/assignments.js';

const digester = createSecretDigester('assignments-test-key-0123456789');
const T = 'settingsCatalogPolicy' as const;
const NAME = 'Defender Archive Scanning';

// Two tenants: every id differs (policy, assignment, group, filter, policy set), the meaning is the same.
const GOLDEN = {
  policy: '0b7e5a1c-1111-4a2b-8c3d-000000000001',
  finance: '6a1d2f3e-aaaa-4b5c-9d8e-000000000001',
  kiosks: '6a1d2f3e-bbbb-4b5c-9d8e-000000000001',
  filter: '9f8e7d6c-cccc-4a1b-8c2d-000000000001',
  policySet: '5e4d3c2b-dddd-4e5f-9a8b-000000000001',
};
const TENANT = {
  policy: '0b7e5a1c-2222-4a2b-8c3d-000000000002',
  finance: '6a1d2f3e-aaaa-4b5c-9d8e-000000000002',
  kiosks: '6a1d2f3e-bbbb-4b5c-9d8e-000000000002',
  other: '6a1d2f3e-eeee-4b5c-9d8e-000000000002',
  filter: '9f8e7d6c-cccc-4a1b-8c2d-000000000002',
  policySet: '5e4d3c2b-dddd-4e5f-9a8b-000000000002',
};

function goldenAssignments(): AssignmentSpec[] {
  return [
    { target: 'group', groupId: GOLDEN.finance, groupDisplayName: 'Finance Devices', filterId: GOLDEN.filter, filterDisplayName: 'Corporate Windows', filterType: 'include' },
    { target: 'exclusionGroup', groupId: GOLDEN.kiosks, groupDisplayName: 'Kiosks' },
    { target: 'allLicensedUsers', policySetId: GOLDEN.policySet },
  ];
}

function tenantAssignments(): AssignmentSpec[] {
  return [
    { target: 'allLicensedUsers', policySetId: TENANT.policySet },
    { target: 'exclusionGroup', groupId: TENANT.kiosks, groupDisplayName: 'KIOSKS' },
    { target: 'group', groupId: TENANT.finance, groupDisplayName: 'Finance Devices', filterId: TENANT.filter, filterDisplayName: 'Corporate Windows', filterType: 'include' },
  ];
}


async function compare(
  baseline: AssignmentSpec[] | undefined,
  current: AssignmentSpec[] | undefined,
  options: { mappings?: GroupMapping[]; compareAssignments?: boolean; currentValue?: string; currentWithoutSettings?: boolean } = {},
) {
  const b = [buildSubject(T, settingsCatalogPolicy(GOLDEN.policy, NAME, baseline), digester)];
  const currentObject = settingsCatalogPolicy(TENANT.policy, NAME, current, options.currentValue);
  // A tenant export without the policy's settings (its content is incomplete: meta only).
  if (options.currentWithoutSettings === true) delete currentObject['settings'];
  const c = [buildSubject(T, currentObject, digester)];
  return compareBuilt(T, b, c, options);
}

/** The evidence a compare run would store for the candidate. */
function evidenceOf(finding: DriftCandidate, drifted: ReadonlyMap<string, DriftResult>) {
  return buildObservation({
    candidate: finding,
    context: { tenantId: 't', profileId: 'p', snapshotId: 's', capturedAt: 'c', runId: 'r', inventorySyncRunId: null, observedAt: 'o' },
    drifted: drifted.get(finding.subjectKey)!,
  }).evidence;
}

function withTarget(list: AssignmentSpec[], index: number, change: Partial<AssignmentSpec>): AssignmentSpec[] {
  return list.map((a, i) => (i === index ? { ...a, ...change } : a));
}

describe('assignments normalize to what they mean', () => {
  it('keeps intent, kind, source, references and filter type; never the ids Graph writes per tenant', () => {
    const policy = settingsCatalogPolicy(GOLDEN.policy, NAME, goldenAssignments());
    const normalized = normalizeAssignments(policy['assignments']);
    expect(normalized).toHaveLength(3);
    expect(normalized).toEqual(expect.arrayContaining([
      { kind: 'allLicensedUsers', source: 'policySets', filterType: 'none' },
      { kind: 'exclusionGroup', source: 'direct', filterType: 'none', group: { id: GOLDEN.kiosks, name: 'Kiosks' } },
      {
        kind: 'group',
        source: 'direct',
        filterType: 'include',
        group: { id: GOLDEN.finance, name: 'Finance Devices' },
        filter: { id: GOLDEN.filter, name: 'Corporate Windows' },
      },
    ]));
    const subject = buildSubject(T, policy, digester);
    expect(subject.content).not.toHaveProperty('assignments');
    expect(subject.assignmentGroups).toBe(2);
    expect(subject.assignmentsUnresolved).toBe(0);
  });

  it('tells "not collected" (no key) from "collected: none" ([])', () => {
    expect(buildSubject(T, settingsCatalogPolicy(GOLDEN.policy, NAME), digester).assignmentsHash).toBeUndefined();
    expect(buildSubject(T, settingsCatalogPolicy(GOLDEN.policy, NAME, []), digester).assignmentsHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads a single assignment object (Windows PowerShell\'s unrolled one-element array) as a one-element array', () => {
    const policy = settingsCatalogPolicy(GOLDEN.policy, NAME, [goldenAssignments()[0]!]);
    const unrolled = { ...policy, assignments: (policy['assignments'] as unknown[])[0] };
    const fromArray = buildSubject(T, policy, digester);
    const fromObject = buildSubject(T, unrolled, digester);
    expect(fromObject.assignmentsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(fromObject.assignmentsHash).toBe(fromArray.assignmentsHash);
    expect(fromObject.assignments).toEqual(fromArray.assignments);
    expect(assignmentGroupIds(unrolled)).toEqual([GOLDEN.finance]);
    const named = withReferenceNames({ ...unrolled, assignments: { ...(unrolled.assignments as Record<string, unknown>), target: { ...((unrolled.assignments as Record<string, unknown>)['target'] as Record<string, unknown>), groupDisplayName: null } } }, { groups: new Map([[GOLDEN.finance, 'Finance Devices']]) });
    expect(((named['assignments'] as Record<string, unknown>[])[0]!['target'] as Record<string, unknown>)['groupDisplayName']).toBe('Finance Devices');
  });

  it('fills filter names from the tenant\'s assignment filters when the export carries only ids', () => {
    const policy = settingsCatalogPolicy(GOLDEN.policy, NAME, [{ target: 'allDevices', filterId: GOLDEN.filter, filterType: 'exclude' }]);
    expect(normalizeAssignments(policy['assignments'], { filters: new Map([[GOLDEN.filter, 'Kiosk hardware']]) })).toEqual([
      { kind: 'allDevices', source: 'direct', filterType: 'exclude', filter: { id: GOLDEN.filter, name: 'Kiosk hardware' } },
    ]);
  });

  it('sorts the include/exclude lists among an assignment\'s other properties, as content does (lists of lists too)', () => {
    const withUsers = (includeUsers: unknown[]) => ({
      id: 'a1',
      target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' },
      includeUsers,
    });
    const hashOf = (includeUsers: unknown[]) => buildSubject(T, { ...settingsCatalogPolicy(GOLDEN.policy, NAME, []), assignments: [withUsers(includeUsers)] }, digester).assignmentsHash;
    expect(hashOf(['b', 'a'])).toBe(hashOf(['a', 'b']));
    expect(hashOf([[null, '']])).toBe(hashOf([['', null]]));
    expect(hashOf(['a', 'c'])).not.toBe(hashOf(['a', 'b']));
  });
});

describe('assignments compared across tenants (the same policy, every id different)', () => {
  it('no finding: different policy, assignment, group, filter and policy-set ids, group names differing by case only', async () => {
    const { result } = await compare(goldenAssignments(), tenantAssignments());
    expect(result.drift).toEqual([]);
    expect(result.gaps).toEqual([]);
    expect(result.aligned).toBe(1);
    expect(result.assignmentsNotCompared).toBe(0);
  });

  it('include -> exclude of a group: different_version on assignments, addressed by the target', async () => {
    const { finding, paths } = await compare(goldenAssignments(), withTarget(tenantAssignments(), 2, { target: 'exclusionGroup' }));
    expect(finding).toMatchObject({ changeType: 'different_version', dimensions: ['assignments'], assignments: 'drift' });
    expect(paths.map((p) => `${p.kind} ${p.path}`)).toEqual(['added /assignments/exclude:group:Finance Devices', 'removed /assignments/include:group:Finance Devices']);
  });

  it('All devices -> All users', async () => {
    const { finding, paths } = await compare(
      [{ target: 'allDevices' }],
      [{ target: 'allLicensedUsers' }],
    );
    expect(finding?.dimensions).toEqual(['assignments']);
    expect(paths.map((p) => `${p.kind} ${p.path}`)).toEqual(['removed /assignments/include:allDevices', 'added /assignments/include:allLicensedUsers']);
  });

  it('filter include -> exclude: the filter type of that target changed', async () => {
    const { finding, paths } = await compare(goldenAssignments(), withTarget(tenantAssignments(), 2, { filterType: 'exclude' }));
    expect(finding?.dimensions).toEqual(['assignments']);
    expect(paths).toEqual([{ path: '/assignments/include:group:Finance Devices/filterType', kind: 'changed', baseline: 'include', current: 'exclude' }]);
  });

  it('a different filter on the same target', async () => {
    const { paths } = await compare(goldenAssignments(), withTarget(tenantAssignments(), 2, { filterDisplayName: 'Personal Windows' }));
    expect(paths).toEqual([{ path: '/assignments/include:group:Finance Devices/filter', kind: 'changed', baseline: 'Corporate Windows', current: 'Personal Windows' }]);
  });

  it('an assignment removed', async () => {
    const { finding, paths } = await compare(goldenAssignments(), tenantAssignments().slice(1));
    expect(finding?.dimensions).toEqual(['assignments']);
    expect(paths.map((p) => `${p.kind} ${p.path}`)).toEqual(['removed /assignments/include:allLicensedUsers']);
  });

  it('direct -> from a policy set', async () => {
    const { paths } = await compare(goldenAssignments(), withTarget(tenantAssignments(), 1, { policySetId: TENANT.policySet }));
    expect(paths).toEqual([{ path: '/assignments/exclude:group:Kiosks/source', kind: 'changed', baseline: 'direct', current: 'policySets' }]);
  });

  it('a group mapped to a different group than the one assigned', async () => {
    const mappings = [{ baselineGroup: 'Finance Devices', tenantGroup: TENANT.other }];
    const { finding, paths } = await compare(goldenAssignments(), tenantAssignments(), { mappings });
    expect(finding).toMatchObject({ changeType: 'different_version', dimensions: ['assignments'] });
    expect(paths.map((p) => `${p.kind} ${p.path}`)).toEqual(['removed /assignments/include:group:Finance Devices', `added /assignments/include:group:Finance Devices (${TENANT.finance})`]);
  });

  it('an explicit mapping pairs groups whose names differ', async () => {
    const tenant = withTarget(tenantAssignments(), 2, { groupDisplayName: 'FIN-Devices-EU' });
    expect((await compare(goldenAssignments(), tenant)).finding?.dimensions).toEqual(['assignments']);
    const mapped = await compare(goldenAssignments(), tenant, { mappings: [{ baselineGroup: GOLDEN.finance, tenantGroup: TENANT.finance }] });
    expect(mapped.result.drift).toEqual([]);
    expect(mapped.result.aligned).toBe(1);
  });

  it('the same object id on both sides is the same group, whatever its name says', async () => {
    const renamed = withTarget(goldenAssignments(), 0, { groupDisplayName: 'Finance Devices (old name)' });
    const same = await compare(goldenAssignments(), renamed);
    expect(same.result.aligned).toBe(1);
  });

  describe('groups without names', () => {
    const unnamed = (list: AssignmentSpec[]): AssignmentSpec[] => list.map(({ groupDisplayName: _drop, ...a }) => a);

    it('of the same kind on both sides, not mapped: an assignment_target_unresolved gap, no finding', async () => {
      const { result } = await compare(unnamed(goldenAssignments()), unnamed(tenantAssignments()));
      expect(result.drift).toEqual([]);
      expect(result.aligned).toBe(0);
      expect(result.gaps).toEqual([
        expect.objectContaining({
          reason: 'assignment_target_unresolved',
          subjectKey: 'settingsCatalogPolicy:defender archive scanning',
          unresolved: expect.arrayContaining([`baseline include:group:${GOLDEN.finance}`, `current exclude:group:${TENANT.kiosks}`]),
        }),
      ]);
    });

    it('include -> exclude is provable: a finding', async () => {
      const { finding } = await compare(unnamed(goldenAssignments()), unnamed(withTarget(tenantAssignments(), 2, { target: 'exclusionGroup' })));
      expect(finding).toMatchObject({ changeType: 'different_version', dimensions: ['assignments'] });
    });

    it('a filter type include -> exclude is provable: a finding on that target\'s filterType', async () => {
      const { finding, paths } = await compare(unnamed(goldenAssignments()), unnamed(withTarget(tenantAssignments(), 2, { filterType: 'exclude' })));
      expect(finding).toMatchObject({ changeType: 'different_version', dimensions: ['assignments'] });
      expect(paths).toEqual([{ path: `/assignments/include:group:${GOLDEN.finance}/filterType`, kind: 'changed', baseline: 'include', current: 'exclude' }]);
    });

    it('a group mapped to another group than the one assigned is provable: a finding', async () => {
      const mappings = [{ baselineGroup: GOLDEN.finance, tenantGroup: TENANT.other }];
      const { finding } = await compare(unnamed(goldenAssignments()), unnamed(tenantAssignments()), { mappings });
      expect(finding).toMatchObject({ changeType: 'different_version', dimensions: ['assignments'] });
    });

    it('one target fewer is provable: a finding', async () => {
      const { finding } = await compare(unnamed(goldenAssignments()), unnamed(tenantAssignments()).slice(0, 2));
      expect(finding?.dimensions).toEqual(['assignments']);
    });

    it('mapped explicitly: resolved, aligned', async () => {
      const mappings = [
        { baselineGroup: GOLDEN.finance, tenantGroup: TENANT.finance },
        { baselineGroup: GOLDEN.kiosks, tenantGroup: TENANT.kiosks },
      ];
      const { result } = await compare(unnamed(goldenAssignments()), unnamed(tenantAssignments()), { mappings });
      expect(result.drift).toEqual([]);
      expect(result.gaps).toEqual([]);
      expect(result.aligned).toBe(1);
    });

    it('an unresolved filter follows the same rule', async () => {
      const noFilterName = (list: AssignmentSpec[]): AssignmentSpec[] => list.map(({ filterDisplayName: _drop, ...a }) => a);
      const { result } = await compare(noFilterName(goldenAssignments()), noFilterName(tenantAssignments()));
      expect(result.gaps.map((g) => g.reason)).toEqual(['assignment_target_unresolved']);
      expect(result.drift).toEqual([]);
    });
  });

  it('settings drifted while assignments are unresolved: a finding on settings, the references on its evidence', async () => {
    const unnamed = (list: AssignmentSpec[]): AssignmentSpec[] => list.map(({ groupDisplayName: _drop, ...a }) => a);
    const { finding, drifted } = await compare(unnamed(goldenAssignments()), unnamed(tenantAssignments()), { currentValue: 'allow' });
    expect(finding).toMatchObject({ dimensions: ['settings'], assignments: 'unresolved' });
    const evidence = evidenceOf(finding!, drifted);
    expect(evidence.dimensions).toEqual(['settings']);
    expect(evidence.unresolved_references?.length).toBeGreaterThan(0);
    expect(evidence.dimension_hashes?.assignments?.baseline).toMatch(/^[0-9a-f]{64}$/);
    expect(evidence.drifted_properties.every((p) => p.path.startsWith('/settings/'))).toBe(true);
  });

  it('settings and assignments both drifted: both dimensions, settings paths first', async () => {
    const { finding, paths } = await compare(goldenAssignments(), tenantAssignments().slice(1), { currentValue: 'allow' });
    expect(finding?.dimensions).toEqual(['settings', 'assignments']);
    expect(paths[0]!.path.startsWith('/settings/')).toBe(true);
    expect(paths[paths.length - 1]!.path).toBe('/assignments/include:allLicensedUsers');
  });

  it('one side without assignments (not collected): no finding, no gap, the dimension recorded as not compared', async () => {
    for (const [b, c] of [
      [goldenAssignments(), undefined],
      [undefined, tenantAssignments()],
    ] as const) {
      const { result } = await compare(b, c);
      expect(result.drift).toEqual([]);
      expect(result.gaps).toEqual([]);
      expect(result.aligned).toBe(1);
      expect(result.assignmentsNotCompared).toBe(1);
    }
  });

  it('[] is compared: an empty side against assignments is drift', async () => {
    const { finding, paths } = await compare(goldenAssignments(), []);
    expect(finding?.dimensions).toEqual(['assignments']);
    expect(paths).toHaveLength(3);
  });

  it('settings drift with assignments not collected on one side: the evidence records it', async () => {
    const { finding, drifted } = await compare(goldenAssignments(), undefined, { currentValue: 'allow' });
    const evidence = evidenceOf(finding!, drifted);
    expect(evidence.not_compared).toEqual(['assignments']);
    expect(evidence.dimensions).toEqual(['settings']);
  });

  describe('a side without its content (meta only): its assignments are still compared', () => {
    it('a provable assignments drift is a finding on assignments, its evidence saying what the settings lacked', async () => {
      const { result, finding, drifted, paths } = await compare(goldenAssignments(), withTarget(tenantAssignments(), 2, { target: 'exclusionGroup' }), { currentWithoutSettings: true });
      expect(result.gaps).toEqual([]);
      expect(result.alignedMeta).toBe(0);
      expect(finding).toMatchObject({ changeType: 'different_version', dimensions: ['assignments'], fidelity: 'mixed', contentIncomplete: { side: 'current', missing: ['settings'] } });
      expect(paths.map((p) => p.path)).toEqual(['/assignments/exclude:group:Finance Devices', '/assignments/include:group:Finance Devices']);
      const evidence = evidenceOf(finding!, drifted);
      expect(evidence.dimensions).toEqual(['assignments']);
      expect(evidence.content_incomplete).toEqual({ side: 'current', missing: ['settings'] });
      expect(result.subjects).toBe(result.aligned + result.gaps.length + result.drift.length);
    });

    it('equal assignments: the content_incomplete gap, as before', async () => {
      const { result } = await compare(goldenAssignments(), tenantAssignments(), { currentWithoutSettings: true });
      expect(result.drift).toEqual([]);
      expect(result.alignedMeta).toBe(1);
      expect(result.gaps).toEqual([expect.objectContaining({ reason: 'content_incomplete', incompleteSide: 'current', missing: ['settings'] })]);
      expect(result.gaps[0]).not.toHaveProperty('unresolved');
    });

    it('unresolved assignments: still the content_incomplete gap, naming what could not be resolved', async () => {
      const unnamed = (list: AssignmentSpec[]): AssignmentSpec[] => list.map(({ groupDisplayName: _drop, ...a }) => a);
      const { result } = await compare(unnamed(goldenAssignments()), unnamed(tenantAssignments()), { currentWithoutSettings: true });
      expect(result.drift).toEqual([]);
      expect(result.alignedMeta).toBe(1);
      expect(result.gaps).toEqual([
        expect.objectContaining({ reason: 'content_incomplete', unresolved: expect.arrayContaining([`baseline include:group:${GOLDEN.finance}`]) }),
      ]);
    });
  });

  it('the profile\'s compareAssignments off: neither compared nor shown', async () => {
    const off = await compare(goldenAssignments(), [], { compareAssignments: false });
    expect(off.result.drift).toEqual([]);
    expect(off.result.aligned).toBe(1);
    const settings = await compare(goldenAssignments(), [], { compareAssignments: false, currentValue: 'allow' });
    expect(settings.finding?.dimensions).toEqual(['settings']);
    expect(settings.paths.some((p) => p.path.startsWith('/assignments'))).toBe(false);
  });
});

describe('resolveAssignments', () => {
  it('order never matters (an unordered set)', () => {
    const a = normalizeAssignments(settingsCatalogPolicy(GOLDEN.policy, NAME, goldenAssignments())['assignments'])!;
    expect(resolveAssignments(a, [...a].reverse()).verdict).toBe('equal');
  });
});

describe('group maps (--group-map)', () => {
  it('reads { baseline: tenant } and refuses what is not', () => {
    expect(groupMappingsFromRecord({ 'Finance Devices': TENANT.finance })).toEqual([{ baselineGroup: 'Finance Devices', tenantGroup: TENANT.finance }]);
    expect(() => groupMappingsFromRecord([])).toThrow(/JSON object/);
    expect(() => groupMappingsFromRecord({ a: 3 })).toThrow(/non-empty/);
  });
});
