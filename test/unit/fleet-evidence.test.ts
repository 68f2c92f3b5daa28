/**
 * The compared subjects of a type, the fleet matrix and the evidence export's renderers (pure).
 */
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { comparedSubjects, fleetCursor, fleetMatrix, fleetPage, readFleetCursor, type FleetCompare } from '../../shared/domain/compared-subjects.js';
import { escapeHtml, renderEvidence, verifyEvidenceDocument, type EvidenceParts } from '../../shared/domain/evidence-export.js';
import type { CompareGap, FindingEvidence } from '../../shared/domain/model.js';

const require = createRequire(import.meta.url);
const rfc8785 = require('canonicalize') as (value: unknown) => string | undefined;

const H = (c: string) => c.repeat(64);
const baseline = [
  { subjectKey: 'deviceConfiguration:a', displayName: 'A', policyType: 'deviceConfiguration' as const, metaHash: H('1'), contentHash: H('a') },
  { subjectKey: 'deviceConfiguration:b', displayName: 'B', policyType: 'deviceConfiguration' as const, metaHash: H('2'), contentHash: H('b') },
  { subjectKey: 'deviceConfiguration:c', displayName: 'C', policyType: 'deviceConfiguration' as const, metaHash: H('3') },
  { subjectKey: 'deviceConfiguration:d', displayName: 'D', policyType: 'deviceConfiguration' as const, metaHash: H('4'), contentHash: H('d') },
];
const drift = [
  { subjectKey: 'deviceConfiguration:b', displayName: 'B', policyType: 'deviceConfiguration' as const, changeType: 'different_version' as const, fingerprint: 'fp-b', baselineHash: H('b'), currentHash: H('e'), fidelity: 'content' as const, dimensions: ['settings' as const] },
  { subjectKey: 'deviceConfiguration:z', displayName: 'Z', policyType: 'deviceConfiguration' as const, changeType: 'unexpected_policy' as const, fingerprint: 'fp-z', baselineHash: null, currentHash: H('f'), fidelity: 'content' as const, dimensions: [] },
  { subjectKey: 'deviceConfiguration:d', displayName: 'D', policyType: 'deviceConfiguration' as const, changeType: 'missing_policy' as const, fingerprint: 'fp-d', baselineHash: H('d'), currentHash: null, fidelity: 'content' as const, dimensions: [] },
];
const gaps: CompareGap[] = [{ reason: 'content_incomplete', policyType: 'deviceConfiguration', subjectKey: 'deviceConfiguration:c', displayName: 'C', baselineCount: 1, currentCount: 1, incompleteSide: 'both', missing: ['omaSettings'] }];

describe('comparedSubjects', () => {
  it('lists drift, gaps and the aligned rest of the baseline, in subject key order', () => {
    const subjects = comparedSubjects({ baseline, drift, gaps });
    expect(subjects.map((s) => `${s.subjectKey}=${s.state}`)).toEqual([
      'deviceConfiguration:a=aligned',
      'deviceConfiguration:b=different_version',
      'deviceConfiguration:c=gap',
      'deviceConfiguration:d=missing_policy',
      'deviceConfiguration:z=unexpected_policy',
    ]);
    expect(subjects[0]).toMatchObject({ baselineHash: H('a'), currentHash: H('a'), fidelity: 'content' });
    // content_incomplete: equal meta hashes on both sides.
    expect(subjects[2]).toMatchObject({ gapReason: 'content_incomplete', baselineHash: H('3'), currentHash: H('3'), fidelity: 'meta' });
  });
});

function compare(over: Partial<FleetCompare> = {}): FleetCompare {
  return {
    runId: 'run-1',
    outcome: 'succeeded',
    completedAt: '2026-12-01T00:00:00.000Z',
    scopeTypes: ['deviceConfiguration', 'appProtectionPolicy'],
    comparedTypes: ['deviceConfiguration', 'appProtectionPolicy'],
    uncoveredTypes: [],
    proof: true,
    counts: { aligned: 1, aligned_meta: 1, gaps: 1 },
    seen: [...drift.map((d) => ({ ...d, state: d.changeType })), { subjectKey: 'deviceConfiguration:c', displayName: 'C', policyType: 'deviceConfiguration' as const, state: 'gap' as const }],
    findingStatus: new Map([
      ['fp-b', 'triaged'],
      ['fp-z', 'risk_accepted'],
      ['fp-d', 'closed'],
    ]),
    ...over,
  };
}

const subjectsBase = [...baseline, { subjectKey: 'appProtectionPolicy:p', displayName: 'P', policyType: 'appProtectionPolicy' as const, metaHash: H('5') }];

describe('fleetMatrix', () => {
  it('gives each tenant\'s state per subject: accepted for risk_accepted drift, uncovered, not_compared, aligned for another tenant\'s unexpected policy', () => {
    const { tenants, subjects } = fleetMatrix({
      baseline: subjectsBase,
      tenants: [
        { tenantId: 't1', displayName: 'Fabrikam', compare: compare() },
        { tenantId: 't2', displayName: 'Northwind', compare: compare({ seen: [], comparedTypes: ['deviceConfiguration'], uncoveredTypes: ['appProtectionPolicy'], findingStatus: new Map() }) },
        { tenantId: 't3', displayName: 't3' },
        { tenantId: 't4', displayName: 'Scoped', compare: compare({ seen: [], scopeTypes: ['deviceConfiguration'], comparedTypes: ['deviceConfiguration'], findingStatus: new Map() }) },
      ],
    });
    const state = (key: string) => subjects.find((s) => s.subjectKey === key)!.states;
    expect(state('deviceConfiguration:a')).toEqual({ t1: 'aligned', t2: 'aligned', t3: 'not_compared', t4: 'aligned' });
    expect(state('deviceConfiguration:b')).toEqual({ t1: 'different_version', t2: 'aligned', t3: 'not_compared', t4: 'aligned' });
    expect(state('deviceConfiguration:c').t1).toBe('gap');
    // A closed finding still shows its drift (it counts nowhere).
    expect(state('deviceConfiguration:d').t1).toBe('missing_policy');
    expect(state('deviceConfiguration:z')).toEqual({ t1: 'accepted', t2: 'aligned', t3: 'not_compared', t4: 'aligned' });
    expect(state('appProtectionPolicy:p')).toEqual({ t1: 'aligned', t2: 'uncovered', t3: 'not_compared', t4: 'not_compared' });
    expect(tenants[0]!.counts).toEqual({ aligned: 1, aligned_meta: 1, missing_policy: 0, unexpected_policy: 0, different_version: 1, gaps: 1, uncovered_types: 0, accepted: 1 });
    expect(tenants[1]!.counts.uncovered_types).toBe(1);
    expect(tenants[2]).toMatchObject({ lastCompare: null, counts: { aligned: 0, accepted: 0 } });
  });

  it('takes every type in scope as uncovered when coverage was not proven', () => {
    const { tenants, subjects } = fleetMatrix({ baseline: subjectsBase, tenants: [{ tenantId: 't', displayName: 'T', compare: compare({ proof: false, comparedTypes: [], seen: [] }) }] });
    expect(new Set(subjects.map((s) => s.states.t))).toEqual(new Set(['uncovered']));
    expect(tenants[0]!.counts.uncovered_types).toBe(2);
  });

  it('pages by subject key with filters, and refuses a cursor of other filters', () => {
    const { subjects } = fleetMatrix({ baseline: subjectsBase, tenants: [{ tenantId: 't1', displayName: 'F', compare: compare() }] });
    const first = fleetPage(subjects, { limit: 2 });
    expect(first.items.map((s) => s.subjectKey)).toEqual(['appProtectionPolicy:p', 'deviceConfiguration:a']);
    const rest = fleetPage(subjects, { limit: 10, after: first.last! });
    expect(rest.last).toBeUndefined();
    expect([...first.items, ...rest.items]).toEqual(subjects);
    expect(fleetPage(subjects, { limit: 10, state: 'accepted' }).items.map((s) => s.subjectKey)).toEqual(['deviceConfiguration:z']);
    expect(fleetPage(subjects, { limit: 10, policyType: 'appProtectionPolicy' }).items).toHaveLength(1);
    const cursor = fleetCursor('deviceConfiguration:a', { state: null });
    expect(readFleetCursor(cursor, { state: null })).toBe('deviceConfiguration:a');
    expect(readFleetCursor(cursor, { state: 'gap' })).toBeUndefined();
    expect(readFleetCursor('not-a-cursor', {})).toBeUndefined();
  });
});

const evidence = (name: string): FindingEvidence => ({
  change_type: 'missing_policy',
  policy_type: 'deviceConfiguration',
  subject_key: 'deviceConfiguration:d',
  display_name: name,
  baseline: { hash: H('d'), fidelity: 'content', provenance: { snapshot_id: 's', captured_at: '2026-12-01T00:00:00.000Z' } },
  current: { hash: null, fidelity: null, provenance: { inventory_sync_run_id: 'sync', observed_at: null, external_id: null } },
  drifted_properties: [{ path: '/x', kind: 'changed', baseline: 1, current: '<b>2</b>' }],
  truncated: false,
  provenance: { baseline_profile_id: 'p', baseline_snapshot_id: 's', compare_operation_run_id: 'run-1', inventory_sync_run_id: 'sync' },
});

function parts(name = '=HYPERLINK("http://x")'): EvidenceParts {
  const hostile = [{ ...baseline[3]!, displayName: name }];
  return {
    run: { id: 'run-1', summaryCounts: { subjects: 4 } },
    coverage: { proof: true, comparable_types: ['deviceConfiguration'], uncovered_types: [] },
    provenance: { snapshotId: 's', profileVersion: 'v1' },
    findings: [{ fingerprint: 'fp-d', changeType: 'missing_policy', policyType: 'deviceConfiguration', subjectKey: 'deviceConfiguration:d', displayName: name, severity: 'high', status: 'new', evidence: evidence(name) }],
    gaps,
    subjects: [comparedSubjects({ baseline: baseline.slice(0, 3), drift: [], gaps }), comparedSubjects({ baseline: hostile, drift: [{ ...drift[2]!, displayName: name }], gaps: [] })],
  };
}

async function text(p: EvidenceParts, format: 'json' | 'csv' | 'html'): Promise<string> {
  let out = '';
  for await (const chunk of renderEvidence(p, format)) out += chunk;
  return out;
}

describe('renderEvidence', () => {
  it('JSON: a sha256 over the RFC 8785 canonical document without it; any change breaks it', async () => {
    const doc = JSON.parse(await text(parts(), 'json')) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['coverage', 'findings', 'gaps', 'provenance', 'run', 'subjects', 'sha256']);
    expect(verifyEvidenceDocument(doc)).toBe(true);
    const { sha256, ...rest } = doc;
    expect(createHash('sha256').update(rfc8785(rest)!).digest('hex')).toBe(sha256);
    expect((doc.subjects as unknown[]).length).toBe(4);
    expect(verifyEvidenceDocument({ ...doc, provenance: { snapshotId: 'other', profileVersion: 'v1' } })).toBe(false);
    expect(verifyEvidenceDocument(rest)).toBe(false);
  });

  it('CSV: a header line then one row per subject, quoted, formulas defused', async () => {
    const csv = await text(parts(), 'csv');
    const lines = csv.split('\r\n').filter((l) => l !== '');
    expect(lines).toHaveLength(5);
    expect(lines[0]!.split(',')[0]).toBe('subjectKey');
    const row = lines.find((l) => l.includes('missing_policy'))!;
    expect(row).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(row).toContain('high,new,fp-d');
  });

  it('HTML: one page without external assets, every value escaped', async () => {
    const html = await text(parts('<img src=x onerror=alert(1)>'), 'html');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;b&gt;2&lt;/b&gt;');
    expect(html).not.toMatch(/<script|<link|src=["']?http/i);
    expect(html).toContain('4 subject(s)');
    expect(escapeHtml(`"'&`)).toBe('&quot;&#39;&amp;');
  });
});

describe('drift compare --format csv|html (offline evidence)', () => {
  it('lists every subject of both exports, aligned ones included, with the findings the compare reports', async () => {
    const { runCompareEvidence } = await import('../../cli/commands/compare-evidence.js');
    const { report, parts } = await runCompareEvidence({ baseline: 'test/fixtures/exports/baseline', current: 'test/fixtures/exports/drifted', secretKey: 'offline-evidence-test-key-0123456789' });
    const csv = await text(parts, 'csv');
    const rows = csv.split('\r\n').filter((l) => l !== '').slice(1);
    expect(rows).toHaveLength(report.summary.subjects);
    expect(rows.filter((r) => r.split(',')[3] === 'aligned')).toHaveLength(report.summary.aligned);
    expect(parts.findings.map((f) => f.displayName).sort()).toEqual(report.findings.map((f) => f.displayName).sort());
    const again = await runCompareEvidence({ baseline: 'test/fixtures/exports/baseline', current: 'test/fixtures/exports/drifted', secretKey: 'offline-evidence-test-key-0123456789' });
    const html = await text(again.parts, 'html');
    for (const f of report.findings) expect(html).toContain(escapeHtml(f.displayName));
  });
});
