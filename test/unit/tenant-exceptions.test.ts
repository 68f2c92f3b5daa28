/**
 * Tenant exceptions, parts 2 and 3: ignored properties (validation, removal before hashing on both
 * sides, evidence, read cost) and subject links (a renamed policy compared with its baseline
 * subject, a broken link as a gap), in the per-type compare and the offline `drift compare`.
 */
import { mkdtemp, readFile, rm, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ignoredPathProblem, InvalidIgnoredPropertyError, stripIgnored, validateIgnoredProperties } from '../../shared/domain/ignored-properties.js';
import { buildObservation } from '../../shared/domain/evidence.js';
import type { NormalizedSubject, SubjectLink } from '../../shared/domain/model.js';
import { policyTypeDefinition } from '../../shared/domain/registry.js';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import { buildSubject } from '../../shared/domain/subject.js';
import { applySubjectLinks, InvalidSubjectLinkError, normalizeSubjectLink, subjectLinkIdOf } from '../../shared/domain/subject-links.js';
import { comparePolicyType, currentId, type SubjectContent } from '../../shared/usecases/compare-policy-type.js';
import { runCompare } from '../../cli/commands/compare.js';
import { comparePolicyTypeTask, type CompareDeps } from '../../shared/usecases/baseline-compare.js';
import type { FindingObservation } from '../../shared/domain/lifecycle.js';
import { settingsCatalogPolicy } from '../support/assignments.js';

const digester = createSecretDigester('tenant-exceptions-test-key-0123456789');
const T = 'settingsCatalogPolicy' as const;
const SETTING = 'device_vendor_msft_policy_config_defender_allowarchivescanning';
const KEY = 'tenant-exceptions-cli-key-0123456789';
const exportsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'exports');

/** A settings catalog policy in Graph's shape with a description, one choice setting and optionally a child. */
function policy(id: string, name: string, options: { value?: string; description?: string; child?: string } = {}): Record<string, unknown> {
  const p = settingsCatalogPolicy(id, name, [{ target: 'allDevices' }], options.value ?? 'block');
  if (options.description !== undefined) p['description'] = options.description;
  if (options.child !== undefined) {
    const settings = p['settings'] as { settingInstance: { choiceSettingValue: { children: unknown[] } } }[];
    settings[0]!.settingInstance.choiceSettingValue.children.push({
      '@odata.type': '#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance',
      settingDefinitionId: `${SETTING}_child`,
      settingInstanceTemplateReference: null,
      simpleSettingValue: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationIntegerSettingValue', settingValueTemplateReference: null, value: options.child },
    });
  }
  return p;
}

function loader(subjects: readonly NormalizedSubject[], idOf: (s: NormalizedSubject) => string, calls: string[][]) {
  const byId = new Map<string, SubjectContent>();
  for (const s of subjects) byId.set(idOf(s), { meta: s.meta, ...(s.content ? { content: s.content } : {}), ...(s.assignments ? { assignments: s.assignments } : {}) });
  return (ids: readonly string[]) => {
    calls.push([...ids]);
    return Promise.resolve(new Map(ids.flatMap((id) => (byId.has(id) ? [[id, byId.get(id)!] as const] : []))));
  };
}

async function compare(
  baseline: Record<string, unknown>[],
  current: Record<string, unknown>[],
  options: { ignoredPaths?: string[]; links?: SubjectLink[] } = {},
) {
  const b = baseline.map((o) => buildSubject(T, o, digester));
  const c = current.map((o) => buildSubject(T, o, digester));
  const calls = { baseline: [] as string[][], current: [] as string[][] };
  const compared = await comparePolicyType({
    policyType: T,
    baseline: b,
    current: c,
    loadBaseline: loader(b, (s) => s.subjectKey, calls.baseline),
    loadCurrent: loader(c, currentId, calls.current),
    ...(options.ignoredPaths ? { ignoredPaths: options.ignoredPaths } : {}),
    ...(options.links ? { subjectLinks: options.links } : {}),
  });
  return { ...compared, calls };
}

function link(baselineName: string, tenantDisplayName: string): SubjectLink {
  const l = normalizeSubjectLink({ policyType: T, baselineSubjectKey: `${T}:${baselineName}`, tenantDisplayName });
  return { ...l, linkId: subjectLinkIdOf(l.baselineSubjectKey), createdAt: '2026-12-01T00:00:00.000Z', createdBy: 'op' };
}

const CONTEXT = {
  tenantId: 't1',
  profileId: 'p1',
  snapshotId: 's1',
  capturedAt: '2026-12-01T00:00:00.000Z',
  runId: 'r1',
  inventorySyncRunId: 'sync1',
  observedAt: '2026-12-02T00:00:00.000Z',
  inventoryObservedAt: '2026-12-02T00:00:00.000Z',
  severityMapping: { missing_policy: 'high', unexpected_policy: 'low', different_version: 'medium' },
} as const;

describe('ignored properties: validation', () => {
  it('accepts pointers the type can hold, with * for one segment and settings by definition id', () => {
    expect(ignoredPathProblem(T, '/settings/*/settingInstance/choiceSettingValue/children')).toBeUndefined();
    expect(ignoredPathProblem(T, `/settings/${SETTING}`)).toBeUndefined();
    expect(ignoredPathProblem(T, '/description')).toBeUndefined();
    expect(ignoredPathProblem(T, '/assignments')).toBeUndefined();
    expect(ignoredPathProblem('deviceCompliancePolicy', '/scheduledActionsForRule/*/scheduledActionConfigurations/*/gracePeriodHours')).toBeUndefined();
  });

  it('refuses a pointer that can never match, saying why and what to do', () => {
    expect(ignoredPathProblem('conditionalAccessPolicy', '/assignments')).toMatch(/have no assignments: remove this entry/);
    expect(ignoredPathProblem(T, '/assignments/include:allDevices')).toMatch(/ignore \/assignments, or turn compareAssignments off/);
    expect(ignoredPathProblem(T, '/name')).toMatch(/identity.*subject link/);
    expect(ignoredPathProblem('deviceCompliancePolicy', '/displayName')).toMatch(/identity/);
    expect(ignoredPathProblem(T, '/settings/*/id')).toMatch(/'id' is removed by normalization/);
    expect(ignoredPathProblem(T, '/settings/*/settingInstance/@odata.type')).toMatch(/removed by normalization/);
    expect(ignoredPathProblem(T, '/*')).toMatch(/whole content.*scope/);
    expect(ignoredPathProblem(T, 'settings')).toMatch(/not a JSON pointer/);
    expect(ignoredPathProblem(T, '/settings//x')).toMatch(/not a JSON pointer/);
    expect(ignoredPathProblem(T, '/a~2b')).toMatch(/not a JSON pointer/);
  });

  it('validateIgnoredProperties names the entry it refuses', () => {
    const list = [
      { policyType: T, path: '/description', reason: 'ok' },
      { policyType: 'conditionalAccessPolicy' as const, path: '/assignments', reason: 'no' },
    ];
    expect(() => validateIgnoredProperties(list)).toThrow(InvalidIgnoredPropertyError);
    expect(() => validateIgnoredProperties(list)).toThrow(/ignoredProperties\[1\] '\/assignments'/);
    expect(validateIgnoredProperties(list.slice(0, 1))).toEqual(list.slice(0, 1));
  });
});

describe('ignored properties: removal', () => {
  const keyed = policyTypeDefinition(T).keyedArrays;
  const content = {
    description: 'x',
    settings: [
      { settingInstance: { settingDefinitionId: 'a', choiceSettingValue: { value: 'a_1', children: [{ settingDefinitionId: 'a_c' }] } } },
      { settingInstance: { settingDefinitionId: 'b', choiceSettingValue: { value: 'b_1', children: [] } } },
    ],
  };

  it('removes what * matches in every element, and nothing else; the input is left as is', () => {
    const r = stripIgnored(content, ['/settings/*/settingInstance/choiceSettingValue/children'], keyed);
    expect(r.applied).toEqual(['/settings/*/settingInstance/choiceSettingValue/children']);
    expect(r.content).toEqual({
      description: 'x',
      settings: [
        { settingInstance: { settingDefinitionId: 'a', choiceSettingValue: { value: 'a_1' } } },
        { settingInstance: { settingDefinitionId: 'b', choiceSettingValue: { value: 'b_1' } } },
      ],
    });
    expect(content.settings[0]!.settingInstance.choiceSettingValue.children).toHaveLength(1);
  });

  it('addresses a keyed array element by its key (as drifted properties do) or its position; a path that matches nothing applies nowhere', () => {
    expect(stripIgnored(content, ['/settings/b'], keyed).content.settings).toHaveLength(1);
    expect(stripIgnored(content, ['/settings/0/settingInstance/choiceSettingValue/value'], keyed).content.settings).toEqual([
      { settingInstance: { settingDefinitionId: 'a', choiceSettingValue: { children: [{ settingDefinitionId: 'a_c' }] } } },
      content.settings[1],
    ]);
    const none = stripIgnored(content, ['/settings/zzz', '/notThere'], keyed);
    expect(none.applied).toEqual([]);
    expect(none.content).toEqual(content);
  });
});

describe('ignored properties in the per-type compare', () => {
  it('an ignored path hides its drift on both sides and nothing else', async () => {
    // The tenant changed the description and the setting's value; only the description is ignored.
    const base = [policy('b1', 'Defender', { description: 'golden', value: 'block' })];
    const cur = [policy('c1', 'Defender', { description: 'customer text', value: 'allow' })];
    const plain = await compare(base, cur);
    expect(plain.drifted.get(`${T}:defender`)?.properties.map((p) => p.path).sort()).toEqual(['/description', `/settings/${SETTING}/settingInstance/choiceSettingValue/value`]);

    const ignored = await compare(base, cur, { ignoredPaths: ['/description'] });
    expect(ignored.result.drift).toHaveLength(1);
    expect(ignored.drifted.get(`${T}:defender`)?.properties.map((p) => p.path)).toEqual([`/settings/${SETTING}/settingInstance/choiceSettingValue/value`]);
    const evidence = buildObservation({ candidate: ignored.result.drift[0]!, context: CONTEXT }).evidence;
    expect(evidence.ignored_paths).toEqual(['/description']);
  });

  it('a property only one side has is hidden too (added in the tenant, or removed from it)', async () => {
    const withChild = [policy('b1', 'Defender', { child: '5' })];
    const without = [policy('c1', 'Defender')];
    const path = '/settings/*/settingInstance/choiceSettingValue/children';
    expect((await compare(withChild, without)).result.drift).toHaveLength(1);
    expect((await compare(withChild, without, { ignoredPaths: [path] })).result).toMatchObject({ aligned: 1, drift: [] });
    expect((await compare(without, withChild, { ignoredPaths: [path] })).result).toMatchObject({ aligned: 1, drift: [] });
  });

  it('reads no more than the differing subjects without a list; with one, every pair once', async () => {
    const base = [policy('b1', 'A'), policy('b2', 'B'), policy('b3', 'C', { description: 'golden' })];
    const cur = [policy('c1', 'A'), policy('c2', 'B'), policy('c3', 'C', { description: 'other' }), policy('c4', 'D')];
    const fast = await compare(base, cur);
    expect(fast.calls.baseline).toEqual([[`${T}:c`]]);
    expect(fast.calls.current).toEqual([['c3']]);
    const slow = await compare(base, cur, { ignoredPaths: ['/description'] });
    expect(slow.calls.baseline).toEqual([[`${T}:a`, `${T}:b`, `${T}:c`]]);
    expect(slow.calls.current).toEqual([['c1', 'c2', 'c3']]);
    expect(slow.result).toMatchObject({ aligned: 3 });
    expect(slow.result.drift.map((d) => d.changeType)).toEqual(['unexpected_policy']);
  });

  it('/assignments leaves the assignments dimension out', async () => {
    const base = [policy('b1', 'Defender')];
    const cur = [settingsCatalogPolicy('c1', 'Defender', [{ target: 'allLicensedUsers' }])];
    expect((await compare(base, cur)).result.drift[0]?.dimensions).toEqual(['assignments']);
    expect((await compare(base, cur, { ignoredPaths: ['/assignments'] })).result).toMatchObject({ aligned: 1, drift: [] });
  });
});

describe('subject links', () => {
  it('normalizes the baseline key and refuses what cannot be a link', () => {
    expect(normalizeSubjectLink({ policyType: T, baselineSubjectKey: `${T}:Win  - KIOSK`, tenantDisplayName: 'Kiosk (Contoso)' }).baselineSubjectKey).toBe(`${T}:win - kiosk`);
    expect(() => normalizeSubjectLink({ policyType: T, baselineSubjectKey: 'deviceConfiguration:x', tenantDisplayName: 'y' })).toThrow(InvalidSubjectLinkError);
    expect(() => normalizeSubjectLink({ policyType: T, baselineSubjectKey: `${T}:Kiosk`, tenantDisplayName: ' kiosk ' })).toThrow(/no link is needed/);
    expect(() => normalizeSubjectLink({ policyType: T, baselineSubjectKey: `${T}:  `, tenantDisplayName: 'x' })).toThrow(/names no policy/);
  });

  it('turns a missing + unexpected pair into one compared subject', async () => {
    const base = [policy('b1', 'Win - Kiosk', { value: 'block' })];
    const renamed = [policy('c1', 'Kiosk (Contoso)', { value: 'block' })];
    const unlinked = await compare(base, renamed);
    expect(unlinked.result.drift.map((d) => d.changeType).sort()).toEqual(['missing_policy', 'unexpected_policy']);

    const same = await compare(base, renamed, { links: [link('Win - Kiosk', 'Kiosk (Contoso)')] });
    expect(same.result).toMatchObject({ subjects: 1, aligned: 1, drift: [], gaps: [] });

    const changed = await compare(base, [policy('c1', 'Kiosk (Contoso)', { value: 'allow' })], { links: [link('Win - Kiosk', 'Kiosk (Contoso)')] });
    expect(changed.result.subjects).toBe(1);
    const [d] = changed.result.drift;
    expect(d).toMatchObject({ changeType: 'different_version', subjectKey: `${T}:win - kiosk`, displayName: 'Kiosk (Contoso)' });
    const evidence = buildObservation({ candidate: d!, context: CONTEXT }).evidence;
    expect(evidence.subject_link).toEqual({ link_id: subjectLinkIdOf(`${T}:win - kiosk`), tenant_subject_key: `${T}:kiosk (contoso)` });
    expect(evidence.current.provenance.external_id).toBe('c1');
  });

  it('a link whose tenant policy no longer exists is a subject_link_broken gap, never a missing finding', async () => {
    const base = [policy('b1', 'Win - Kiosk'), policy('b2', 'Other')];
    const r = await compare(base, [policy('c2', 'Other')], { links: [link('Win - Kiosk', 'Kiosk (Contoso)')] });
    expect(r.result.drift).toEqual([]);
    expect(r.result).toMatchObject({ subjects: 2, aligned: 1 });
    expect(r.result.gaps).toEqual([
      expect.objectContaining({ reason: 'subject_link_broken', subjectKey: `${T}:win - kiosk`, link: { linkId: subjectLinkIdOf(`${T}:win - kiosk`), tenantDisplayName: 'Kiosk (Contoso)' } }),
    ]);
  });

  it('one tenant policy stands for one baseline subject; a link to a subject the baseline lacks changes nothing', () => {
    const s = (key: string, id: string) => ({ policyType: T, subjectKey: `${T}:${key}`, displayName: key, metaHash: 'm', externalId: id });
    const applied = applySubjectLinks(T, [s('a', 'x'), s('b', 'y')], [s('renamed', 'c1')], [link('b', 'renamed'), link('a', 'renamed'), link('gone', 'renamed')]);
    expect(applied.current.map((c) => c.subjectKey)).toEqual([`${T}:a`]);
    expect([...applied.broken.keys()]).toEqual([`${T}:b`]);
  });
});

describe('drift compare --ignore and --links', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  async function tempFile(name: string, value: unknown): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'drift-exceptions-'));
    dirs.push(dir);
    const file = join(dir, name);
    await writeFile(file, JSON.stringify(value));
    return file;
  }

  it('--ignore hides the drifted setting of the project fixtures, --links pairs a renamed policy', async () => {
    const baseline = join(exportsDir, 'baseline');
    const drifted = join(exportsDir, 'drifted');
    const plain = await runCompare({ baseline, current: drifted, secretKey: KEY });
    expect(plain.findings.map((f) => f.changeType).sort()).toEqual(['different_version', 'missing_policy', 'unexpected_policy']);

    const ignore = await tempFile('ignore.json', [{ policyType: T, path: '/settings/*/settingInstance/choiceSettingValue/value', reason: 'AV choice is the customer\'s' }]);
    const ignored = await runCompare({ baseline, current: drifted, secretKey: KEY, ignore });
    expect(ignored.findings.map((f) => f.changeType).sort()).toEqual(['missing_policy', 'unexpected_policy']);

    // The tenant renamed "Firewall Baseline": a copy of the baseline's firewall policy under another name.
    const current = await mkdtemp(join(tmpdir(), 'drift-exceptions-'));
    dirs.push(current);
    await cp(drifted, current, { recursive: true });
    const firewall = JSON.parse(await readFile(join(baseline, 'configurationPolicies', 'firewall.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(current, 'configurationPolicies', 'firewall.json'), JSON.stringify({ ...firewall, id: 'f-tenant', name: 'Contoso Firewall' }));
    const unlinked = await runCompare({ baseline, current, secretKey: KEY });
    expect(unlinked.findings.filter((f) => f.policyType === T).map((f) => [f.changeType, f.displayName]).sort()).toEqual([
      ['different_version', 'Defender Antivirus'],
      ['missing_policy', 'Firewall Baseline'],
      ['unexpected_policy', 'Contoso Firewall'],
    ]);
    const links = await tempFile('links.json', { links: [{ policyType: T, baselineSubjectKey: `${T}:Firewall Baseline`, tenantDisplayName: 'Contoso Firewall' }] });
    const linked = await runCompare({ baseline, current, secretKey: KEY, links });
    expect(linked.findings.filter((f) => f.policyType === T).map((f) => f.displayName)).toEqual(['Defender Antivirus']);
    expect(linked.summary.aligned).toBe(unlinked.summary.aligned + 1);

    const brokenLinks = await tempFile('links.json', [{ policyType: T, baselineSubjectKey: `${T}:Firewall Baseline`, tenantDisplayName: 'Gone Firewall' }]);
    const broken = await runCompare({ baseline, current: drifted, secretKey: KEY, links: brokenLinks });
    expect(broken.findings.some((f) => f.changeType === 'missing_policy')).toBe(false);
    // The links' own gap (the fixtures' conditional access policies name unnamed groups: a gap of their own).
    expect(broken.gaps.filter((g) => g.policyType === T)).toEqual([expect.objectContaining({ reason: 'subject_link_broken', displayName: 'Firewall Baseline' })]);
  });

  it('refuses a file that is no list of links or ignored properties, naming it', async () => {
    const bad = await tempFile('bad.json', [{ policyType: T, path: '/name', reason: 'x' }]);
    await expect(runCompare({ baseline: join(exportsDir, 'baseline'), current: join(exportsDir, 'drifted'), ignore: bad })).rejects.toThrow(/bad\.json: .*identity/);
    const badLinks = await tempFile('links.json', [{ policyType: T, baselineSubjectKey: 'deviceConfiguration:x', tenantDisplayName: 'y' }]);
    await expect(runCompare({ baseline: join(exportsDir, 'baseline'), current: join(exportsDir, 'drifted'), links: badLinks })).rejects.toThrow(/links\.json: .*not a subject of/);
  });
});

describe('ComparePolicyType reads', () => {
  /** The task with in-memory ports that count what it reads. */
  async function runTask(ctx: Record<string, unknown>, options: { links?: SubjectLink[] } = {}) {
    const base = [policy('b1', 'A'), policy('b2', 'Win - Kiosk', { description: 'golden' })].map((o) => buildSubject(T, o, digester));
    const cur = [policy('c1', 'A'), policy('c2', 'Kiosk (Contoso)', { description: 'other' })].map((o) => ({
      ...buildSubject(T, o, digester),
      observedAt: '2026-12-02T00:00:00.000Z',
      inventorySyncRunId: 'sync1',
    }));
    const reads = { links: 0, baseline: [] as string[][], current: [] as string[][] };
    const contentOf = (s: NormalizedSubject): SubjectContent => ({ meta: s.meta, ...(s.content ? { content: s.content } : {}), ...(s.assignments ? { assignments: s.assignments } : {}) });
    const staged: FindingObservation[][] = [];
    const deps = {
      runs: { get: () => Promise.resolve({ id: 'r1', tenantId: 't1', type: 'baseline_compare', status: 'running', outcome: 'pending', identityHash: 'h', summaryCounts: {}, failureSummary: [], context: { baseline_compare: { profile_id: 'p1', inventory_sync_run_id: 'sync1', observed_at: '2026-12-02T00:00:00.000Z', ...ctx } }, initiator: 'system', createdAt: '2026-12-02T00:00:00.000Z' }) },
      profiles: { get: () => Promise.resolve({ id: 'p1', workspaceId: 'ws', name: 'P', status: 'active', scope: { policy_types: [], foundation_types: [] }, severityMapping: CONTEXT.severityMapping, alertMinSeverity: 'high', autoResolve: true, createdBy: 'a', createdAt: '', updatedAt: '' }) },
      snapshots: {
        get: () => Promise.resolve({ id: 's1', profileId: 'p1', status: 'complete', capturedAt: '2026-12-01T00:00:00.000Z', identityHash: 'i', itemCount: 2, operationRunId: 'cap', summary: {} }),
        listSummaries: () => Promise.resolve(base),
        getContents: (_s: string, _t: string, keys: string[]) => {
          reads.baseline.push(keys);
          return Promise.resolve(new Map(base.filter((s) => keys.includes(s.subjectKey)).map((s) => [s.subjectKey, contentOf(s)])));
        },
      },
      inventory: {
        listSummaries: () => Promise.resolve(cur),
        getContents: (_t: string, _p: string, ids: string[]) => {
          reads.current.push(ids);
          return Promise.resolve(new Map(cur.filter((s) => ids.includes(s.externalId!)).map((s) => [s.externalId!, contentOf(s)])));
        },
      },
      subjectLinks: {
        list: () => {
          reads.links += 1;
          return Promise.resolve(options.links ?? []);
        },
      },
      stage: { put: (_r: string, _t: string, s: { observations: FindingObservation[] }) => (staged.push(s.observations), Promise.resolve({ parts: 1, bytes: 1 })) },
    } as unknown as CompareDeps;
    const result = await comparePolicyTypeTask(deps, { runId: 'r1', snapshotId: 's1', policyType: T });
    return { result, reads, observations: staged[0] ?? [] };
  }

  it('without ignored properties or links it reads what it always did: summaries, and content only where hashes differ', async () => {
    const { reads, observations } = await runTask({});
    expect(reads.links).toBe(0);
    expect(reads.baseline).toEqual([]);
    expect(reads.current).toEqual([]);
    expect(observations.map((o) => o.changeType).sort()).toEqual(['missing_policy', 'unexpected_policy']);
  });

  it("reads the tenant's links only for a type they name, and compares with the run's ignored properties", async () => {
    const links = [link('Win - Kiosk', 'Kiosk (Contoso)')];
    const other = await runTask({ subject_link_types: ['deviceConfiguration'] }, { links });
    expect(other.reads.links).toBe(0);
    const linked = await runTask({ subject_link_types: [T] }, { links });
    expect(linked.reads.links).toBe(1);
    expect(linked.observations.map((o) => [o.changeType, o.subjectKey])).toEqual([['different_version', `${T}:win - kiosk`]]);
    const ignored = await runTask({ subject_link_types: [T], ignored_properties: [{ policy_type: T, path: '/description' }] }, { links });
    expect(ignored.observations).toEqual([]);
    expect(ignored.result.counts.aligned).toBe(2);
    expect(ignored.reads.current).toEqual([['c1', 'c2']]);
  });
});
