/**
 * Groups named inside a policy (conditional access `conditions.users.includeGroups` /
 * `excludeGroups`) are compared as mapped references, as an assignment's group is: an explicit
 * mapping, else the same object id, else the same display name, else unresolved (a gap, never a
 * finding, never aligned). Users, roles and locations stay `tenant-ref`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GroupMapping } from '../../shared/domain/assignments.js';
import { buildObservation } from '../../shared/domain/evidence.js';
import { policyGroupIds, policyGroupLists, withPolicyGroupNames } from '../../shared/domain/policy-groups.js';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import { buildSubject } from '../../shared/domain/subject.js';
import { compareBuilt } from '../support/assignments.js';
import { conditionalAccessPolicy, type ConditionalAccessSpec } from '../support/conditional-access.js';
import { corpusAvailable, corpusDir } from '../support/corpus.js';

const digester = createSecretDigester('policy-groups-test-key-0123456789');
const T = 'conditionalAccessPolicy' as const;

const GOLDEN = {
  policy: 'c1c0ffee-0101-4000-8000-000000000001',
  breakGlass: '6b1d2f3e-0001-4b5c-9d8e-00000000b001',
  admins: '6b1d2f3e-0002-4b5c-9d8e-00000000b001',
  user: '7c2e3f4a-0001-4c5d-8e9f-00000000b001',
};
const TENANT = {
  policy: 'c1c0ffee-0202-4000-8000-000000000002',
  breakGlass: '6b1d2f3e-0001-4b5c-9d8e-00000000c002',
  admins: '6b1d2f3e-0002-4b5c-9d8e-00000000c002',
  contractors: '6b1d2f3e-0003-4b5c-9d8e-00000000c002',
  user: '7c2e3f4a-0001-4c5d-8e9f-00000000c002',
};

function caPolicy(id: string, spec: ConditionalAccessSpec): Record<string, unknown> {
  return conditionalAccessPolicy(id, 'CA010 - Require MFA for admins', spec);
}

const GOLDEN_NAMES = { [GOLDEN.breakGlass]: 'Break Glass Accounts', [GOLDEN.admins]: 'Tier 0 Admins' };
const TENANT_NAMES = { [TENANT.breakGlass]: 'Break Glass Accounts', [TENANT.admins]: 'TIER 0 ADMINS', [TENANT.contractors]: 'Contractors' };

function compareObjects(baseline: Record<string, unknown>, current: Record<string, unknown>, mappings?: GroupMapping[]) {
  return compareBuilt(T, [buildSubject(T, baseline, digester)], [buildSubject(T, current, digester)], mappings ? { mappings } : {});
}

function compare(baseline: ConditionalAccessSpec, current: ConditionalAccessSpec, mappings?: GroupMapping[]) {
  return compareObjects(caPolicy(GOLDEN.policy, baseline), caPolicy(TENANT.policy, current), mappings);
}

describe('groups named inside a policy: normalized', () => {
  it('become their names in the content (tenant-ref when unnamed), their ids kept beside it; users stay tenant-ref', () => {
    const named = buildSubject(T, caPolicy(GOLDEN.policy, { includeGroups: [GOLDEN.admins], excludeGroups: [GOLDEN.breakGlass], excludeUsers: [GOLDEN.user], names: GOLDEN_NAMES }), digester);
    const users = (named.content!['conditions'] as { users: Record<string, unknown> }).users;
    expect(users['includeGroups']).toEqual(['Tier 0 Admins']);
    expect(users['excludeGroups']).toEqual(['Break Glass Accounts']);
    expect(users['excludeUsers']).toEqual(['tenant-ref']);
    expect(named.content).not.toHaveProperty('groupDisplayNames');
    expect(named.policyGroups).toEqual([
      { path: '/conditions/users/excludeGroups', groups: [{ id: GOLDEN.breakGlass, name: 'Break Glass Accounts' }] },
      { path: '/conditions/users/includeGroups', groups: [{ id: GOLDEN.admins, name: 'Tier 0 Admins' }] },
    ]);
    expect(named).toMatchObject({ policyGroupCount: 2, policyGroupsUnresolved: 0, policyGroupsHash: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const unnamed = buildSubject(T, caPolicy(GOLDEN.policy, { excludeGroups: [GOLDEN.breakGlass] }), digester);
    expect((unnamed.content!['conditions'] as { users: Record<string, unknown> }).users['excludeGroups']).toEqual(['tenant-ref']);
    expect(unnamed).toMatchObject({ policyGroupCount: 1, policyGroupsUnresolved: 1 });
    // A policy that names no group has no group lists.
    expect(buildSubject(T, caPolicy(GOLDEN.policy, {}), digester).policyGroups).toBeUndefined();
  });

  it('the sync writes the names it resolved beside the policy, keeping names already there', () => {
    const policy = caPolicy(GOLDEN.policy, { includeGroups: [GOLDEN.admins], excludeGroups: [GOLDEN.breakGlass], names: { [GOLDEN.admins]: 'Tier 0 Admins' } });
    expect(policyGroupIds(policy).sort()).toEqual([GOLDEN.breakGlass, GOLDEN.admins].sort());
    const named = withPolicyGroupNames(policy, new Map([[GOLDEN.admins, 'Renamed'], [GOLDEN.breakGlass, 'Break Glass Accounts']]));
    expect(named['groupDisplayNames']).toEqual({ [GOLDEN.admins]: 'Tier 0 Admins', [GOLDEN.breakGlass]: 'Break Glass Accounts' });
    expect(withPolicyGroupNames(caPolicy(GOLDEN.policy, {}), new Map([[GOLDEN.admins, 'x']]))).not.toHaveProperty('groupDisplayNames');
    expect(policyGroupLists(T, named)).toHaveLength(2);
  });
});

describe('groups named inside a policy: compared across tenants', () => {
  it('the same groups by name (every id different, names differing by case only): aligned', async () => {
    const { result } = await compare(
      { includeGroups: [GOLDEN.admins], excludeGroups: [GOLDEN.breakGlass], excludeUsers: [GOLDEN.user], names: GOLDEN_NAMES },
      { includeGroups: [TENANT.admins], excludeGroups: [TENANT.breakGlass], excludeUsers: [TENANT.user], names: TENANT_NAMES },
    );
    expect(result.drift).toEqual([]);
    expect(result.gaps).toEqual([]);
    expect(result.aligned).toBe(1);
  });

  it('"excluded the break-glass group" vs "excluded some other group": a finding on settings, the path the list\'s, the values names', async () => {
    const { finding, paths, drifted } = await compare({ excludeGroups: [GOLDEN.breakGlass], names: GOLDEN_NAMES }, { excludeGroups: [TENANT.contractors], names: TENANT_NAMES });
    expect(finding).toMatchObject({ changeType: 'different_version', dimensions: ['settings'] });
    expect(paths).toEqual([{ path: '/conditions/users/excludeGroups', kind: 'changed', baseline: ['Break Glass Accounts'], current: ['Contractors'] }]);
    const evidence = buildObservation({
      candidate: finding!,
      context: { tenantId: 't', profileId: 'p', snapshotId: 's', capturedAt: 'c', runId: 'r', inventorySyncRunId: null, observedAt: 'o' },
      drifted: drifted.get(finding!.subjectKey)!,
    }).evidence;
    expect(evidence.dimensions).toEqual(['settings']);
    expect(evidence.drifted_properties[0]!.path).toBe('/conditions/users/excludeGroups');
    // Conditional access has no assignments in Graph: no such dimension, so nothing "not compared".
    expect(finding!.assignments).toBe('off');
    expect(evidence.not_compared).toBeUndefined();
  });

  it('only the group that differs shows: paired groups keep the baseline\'s label', async () => {
    const { paths } = await compare(
      { excludeGroups: [GOLDEN.breakGlass, GOLDEN.admins], names: GOLDEN_NAMES },
      { excludeGroups: [TENANT.breakGlass, TENANT.contractors], names: TENANT_NAMES },
    );
    expect(paths).toEqual([{ path: '/conditions/users/excludeGroups', kind: 'changed', baseline: ['Break Glass Accounts', 'Tier 0 Admins'], current: ['Break Glass Accounts', 'Contractors'] }]);
  });

  it('a group moved from included to excluded is provable without names', async () => {
    const { finding } = await compare({ includeGroups: [GOLDEN.admins] }, { excludeGroups: [TENANT.admins] });
    expect(finding).toMatchObject({ changeType: 'different_version', dimensions: ['settings'] });
  });

  it('one excluded group more is provable without names', async () => {
    const { finding, paths } = await compare({ excludeGroups: [GOLDEN.breakGlass] }, { excludeGroups: [TENANT.breakGlass, TENANT.contractors] });
    expect(finding?.dimensions).toEqual(['settings']);
    expect(paths.map((p) => p.path)).toEqual(['/conditions/users/excludeGroups']);
  });

  it('unnamed, unmapped groups of the same lists on both sides: an assignment_target_unresolved gap, no finding', async () => {
    const { result } = await compare({ excludeGroups: [GOLDEN.breakGlass] }, { excludeGroups: [TENANT.breakGlass] });
    expect(result).toMatchObject({ drift: [], aligned: 0, subjects: 1 });
    expect(result.gaps).toEqual([
      expect.objectContaining({
        reason: 'assignment_target_unresolved',
        subjectKey: 'conditionalAccessPolicy:ca010 - require mfa for admins',
        unresolved: [`baseline /conditions/users/excludeGroups group ${GOLDEN.breakGlass}`, `current /conditions/users/excludeGroups group ${TENANT.breakGlass}`],
      }),
    ]);
  });

  it('unnamed on one side only: unresolved as well (a name on one side proves nothing)', async () => {
    const { result } = await compare({ excludeGroups: [GOLDEN.breakGlass], names: GOLDEN_NAMES }, { excludeGroups: [TENANT.breakGlass] });
    expect(result.gaps.map((g) => g.reason)).toEqual(['assignment_target_unresolved']);
    expect(result.drift).toEqual([]);
  });

  it('the same object id on both sides is the same group, named on one side or on none', async () => {
    for (const names of [GOLDEN_NAMES, undefined]) {
      const { result } = await compare({ excludeGroups: [GOLDEN.breakGlass], ...(names ? { names } : {}) }, { excludeGroups: [GOLDEN.breakGlass] });
      expect(result.aligned).toBe(1);
      expect(result.gaps).toEqual([]);
    }
  });

  it('explicit mappings resolve unnamed groups; a group mapped to another group than the one named is a finding', async () => {
    const mapped = await compare({ excludeGroups: [GOLDEN.breakGlass] }, { excludeGroups: [TENANT.breakGlass] }, [{ baselineGroup: GOLDEN.breakGlass, tenantGroup: TENANT.breakGlass }]);
    expect(mapped.result.aligned).toBe(1);
    expect(mapped.result.gaps).toEqual([]);
    // Names equal, but the tenant maps the break-glass group to another group: provably different.
    const other = await compare(
      { excludeGroups: [GOLDEN.breakGlass], names: GOLDEN_NAMES },
      { excludeGroups: [TENANT.breakGlass], names: TENANT_NAMES },
      [{ baselineGroup: 'Break Glass Accounts', tenantGroup: TENANT.contractors }],
    );
    expect(other.finding).toMatchObject({ changeType: 'different_version', dimensions: ['settings'] });
  });

  it('other settings drifted while groups are unresolved: a finding on settings, the unresolved groups on its evidence', async () => {
    const { finding, paths } = await compare({ excludeGroups: [GOLDEN.breakGlass] }, { excludeGroups: [TENANT.breakGlass], grant: 'block' });
    expect(finding).toMatchObject({ dimensions: ['settings'] });
    expect(paths.map((p) => p.path)).toEqual(['/grantControls/builtInControls']);
    expect(finding?.unresolvedReferences).toBeUndefined();
  });

  it('a baseline stored before group lists were kept beside its content: never "no groups" (a gap unnamed, by name when named)', async () => {
    const stored = (spec: ConditionalAccessSpec) => {
      const { policyGroups: _lists, policyGroupCount: _count, policyGroupsUnresolved: _unresolved, policyGroupsHash: _hash, ...old } = buildSubject(T, caPolicy(GOLDEN.policy, spec), digester);
      return old;
    };
    const current = (spec: ConditionalAccessSpec) => [buildSubject(T, caPolicy(TENANT.policy, spec), digester)];
    const unnamed = await compareBuilt(T, [stored({ excludeGroups: [GOLDEN.breakGlass] })], current({ excludeGroups: [TENANT.breakGlass] }));
    expect(unnamed.result.drift).toEqual([]);
    expect(unnamed.result.gaps.map((g) => g.reason)).toEqual(['assignment_target_unresolved']);
    const named = await compareBuilt(T, [stored({ excludeGroups: [GOLDEN.breakGlass], names: GOLDEN_NAMES })], current({ excludeGroups: [TENANT.contractors], names: TENANT_NAMES }));
    expect(named.paths).toEqual([{ path: '/conditions/users/excludeGroups', kind: 'changed', baseline: ['Break Glass Accounts'], current: ['Contractors'] }]);
  });

  it('users stay counted as tenant-ref: other user ids, same count, no finding', async () => {
    const { result } = await compare({ excludeUsers: [GOLDEN.user] }, { excludeUsers: [TENANT.user] });
    expect(result.aligned).toBe(1);
  });
});

const CORPUS_CA = join(corpusDir, 'conditionalAccessPolicies');

describe.skipIf(!corpusAvailable)('groups named inside real conditional access policies (corpus)', () => {
  const file = 'J0EYV__CA300-ServiceAccounts-IdentityProtection-AnyApp-AnyPlatform-MFA.json';
  const read = (name: string) => JSON.parse(readFileSync(join(CORPUS_CA, name), 'utf8').replace(/^\uFEFF/, '')) as Record<string, unknown>;
  const users = (obj: Record<string, unknown>) => (obj['conditions'] as { users: { includeGroups: string[]; excludeGroups: string[] } }).users;
  /** The same policy in another tenant: every group id replaced (a different last block). */
  const otherTenant = (obj: Record<string, unknown>): { copy: Record<string, unknown>; idMap: Map<string, string> } => {
    const idMap = new Map<string, string>();
    const text = JSON.stringify(obj).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, (id) => {
      const isGroup = [...users(obj).includeGroups, ...users(obj).excludeGroups].includes(id);
      if (!isGroup) return id;
      const replaced = `${id.slice(0, 24)}c0ffee${id.slice(30)}`;
      idMap.set(id, replaced);
      return replaced;
    });
    return { copy: JSON.parse(text) as Record<string, unknown>, idMap };
  };

  it('the corpus has conditional access policies naming groups inside themselves', () => {
    const naming = readdirSync(CORPUS_CA).filter((name) => {
      const u = users(read(name));
      return u.includeGroups.length + u.excludeGroups.length > 0;
    });
    expect(naming.length).toBeGreaterThan(10);
    const lists = policyGroupLists(T, read(file));
    expect(lists.map((l) => [l.path, l.groups.length])).toEqual([
      ['/conditions/users/excludeGroups', 7],
      ['/conditions/users/includeGroups', 1],
    ]);
  });

  it('named in both tenants: aligned; one excluded group swapped for another: a finding naming both', async () => {
    const golden = read(file);
    const { copy, idMap } = otherTenant(golden);
    const ids = [...users(golden).includeGroups, ...users(golden).excludeGroups];
    const namesOf = (map: (id: string) => string) => Object.fromEntries(ids.map((id, i) => [map(id), `Group ${i}`]));
    const baseline = { ...golden, groupDisplayNames: namesOf((id) => id) };
    const same = await compareObjects(baseline, { ...copy, groupDisplayNames: namesOf((id) => idMap.get(id)!) });
    expect(same.result.aligned).toBe(1);
    expect(same.result.gaps).toEqual([]);

    const swapped = namesOf((id) => idMap.get(id)!);
    swapped[idMap.get(users(golden).excludeGroups[0]!)!] = 'Someone else';
    const drifted = await compareObjects(baseline, { ...copy, groupDisplayNames: swapped });
    expect(drifted.finding).toMatchObject({ changeType: 'different_version', dimensions: ['settings'] });
    expect(drifted.paths).toHaveLength(1);
    expect(drifted.paths[0]).toMatchObject({ path: '/conditions/users/excludeGroups', kind: 'changed' });
    expect(drifted.paths[0]!.baseline).toContain(`Group ${ids.indexOf(users(golden).excludeGroups[0]!)}`);
    expect(drifted.paths[0]!.current).toContain('Someone else');
  });

  it('unnamed in both tenants, every group id different: a gap (before: aligned by counting tenant-ref)', async () => {
    const golden = read(file);
    const { copy } = otherTenant(golden);
    const { result } = await compareObjects(golden, copy);
    expect(result.drift).toEqual([]);
    expect(result.gaps).toEqual([expect.objectContaining({ reason: 'assignment_target_unresolved' })]);
    expect(result.gaps[0]!.unresolved).toHaveLength(16);
  });

  it('unnamed, the same tenant (same ids): aligned; an excluded group dropped: a finding', async () => {
    const golden = read(file);
    expect((await compareObjects(golden, structuredClone(golden))).result.aligned).toBe(1);
    const fewer = structuredClone(golden);
    users(fewer).excludeGroups = users(fewer).excludeGroups.slice(1);
    const { finding } = await compareObjects(golden, fewer);
    expect(finding).toMatchObject({ changeType: 'different_version', dimensions: ['settings'] });
  });
});
