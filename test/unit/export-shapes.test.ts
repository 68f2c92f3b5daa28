/**
 * Every export shape is read or refused, never silently "aligned": the project's own fixtures in the
 * shapes administrators keep (test/fixtures/shapes/README.md), compared with the offline compare.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { loadGraphExport, loadGraphExportReport } from '../../shared/adapters/filesystem/graph-export.js';
import { decodeExportText } from '../../shared/adapters/filesystem/export-text.js';
import { describeNonPolicy, toGraphShape } from '../../shared/domain/export-shapes.js';
import { MalformedGraphObjectError } from '../../shared/domain/errors.js';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import { buildSubject } from '../../shared/domain/subject.js';
import { compareExitStatus, runCompare, renderCompareTable } from '../../cli/commands/compare.js';
import { TEST_SECRET_KEY } from '../fixtures/graph/fixtures.js';

const shapes = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'shapes');
const dir = (...parts: string[]): string => join(shapes, ...parts);
const digester = createSecretDigester(TEST_SECRET_KEY);

function refusal(bytes: Uint8Array): string {
  try {
    decodeExportText(bytes, 'x.json');
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedGraphObjectError);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('encodings', () => {
  const json = '{"displayName":"Ä policy"}';
  it('reads UTF-8 with and without a BOM, UTF-16LE and UTF-16BE with a BOM', () => {
    const utf8 = new TextEncoder().encode(json);
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]);
    const be = Buffer.from(Buffer.from(json, 'utf16le')).swap16();
    expect(decodeExportText(utf8, 'x.json')).toBe(json);
    expect(decodeExportText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]), 'x.json')).toBe(json);
    expect(decodeExportText(le, 'x.json')).toBe(json);
    expect(decodeExportText(Buffer.concat([Buffer.from([0xfe, 0xff]), be]), 'x.json')).toBe(json);
  });

  it('refuses other encodings, naming the encoding and how to re-save the file', () => {
    const cp1252 = Buffer.from([0x7b, 0x22, 0x64, 0x22, 0x3a, 0x22, 0xc4, 0x22, 0x7d]); // {"d":"Ä"} in Windows-1252
    expect(refusal(cp1252)).toMatch(/^x\.json is not UTF-8 .*Windows-1252.*: re-save it as UTF-8 \(PowerShell: Get-Content -Raw/);
    expect(refusal(Buffer.from(json, 'utf16le'))).toContain('x.json looks like UTF-16LE without a byte order mark');
    expect(refusal(Buffer.from([0xff, 0xfe, 0, 0, 0x7b, 0, 0, 0]))).toContain('x.json is UTF-32LE');
    expect(refusal(Buffer.from([0xff, 0xfe, 0x00, 0xd8]))).toContain('starts with a UTF-16LE byte order mark but is not valid UTF-16LE');
  });

  it('reads a UTF-16LE export of Windows PowerShell 5.1 and a UTF-16BE one like their UTF-8 originals', async () => {
    const raw = readFileSync(dir('powershell', 'intents', 'attack-surface-reduction.json'));
    expect([raw[0], raw[1]]).toEqual([0xff, 0xfe]);
    const le = (await loadGraphExport(dir('powershell'))).find((o) => o.collection === 'intents');
    expect(le?.object['TemplateId']).toBe('0e237410-1367-4844-bd7f-15fb0f08943b');
    const [be] = await loadGraphExport(dir('encodings', 'utf16be'));
    const [utf8] = (await loadGraphExport(dir('graph'))).filter((o) => o.collection === 'intents');
    expect(be?.object).toEqual(utf8?.object);
  });
});

describe('export-tool and PowerShell shapes, mapped to Graph', () => {
  it('compares PowerShell-unrolled arrays and settingsDelta intents at full fidelity, and a list entry without settings as a named gap', async () => {
    const report = await runCompare({ baseline: dir('graph'), current: dir('powershell'), secretKey: TEST_SECRET_KEY });
    expect(report.findings).toEqual([]);
    expect(report.summary).toMatchObject({ subjects: 3, aligned: 2, aligned_meta: 1, gaps: 1, findings: 0 });
    expect(report.gaps).toEqual([
      {
        reason: 'content_incomplete',
        policyType: 'settingsCatalogPolicy',
        subjectKey: 'settingsCatalogPolicy:contoso - edge smartscreen',
        displayName: 'Contoso - Edge SmartScreen',
        baselineCount: 1,
        currentCount: 1,
        incompleteSide: 'current',
        missing: ['settings'],
      },
    ]);
    expect(compareExitStatus(report)).toBe(1);
    const table = renderCompareTable(report);
    expect(table).toContain('content_incomplete');
    expect(table).toContain('the current side lacks settings; equal on meta only');
    expect(table).toContain('1 gap(s): not proven aligned.');
  });

  it('finds drift inside unrolled arrays, with the evidence path of the array', () => {
    const graph = JSON.parse(readFileSync(dir('graph', 'groupPolicyConfigurations', 'edge-extensions.json'), 'utf8')) as Record<string, unknown>;
    const unrolled = JSON.parse(decodeExportText(readFileSync(dir('powershell', 'groupPolicyConfigurations', 'edge-extensions.json')), 'x')) as Record<string, unknown>;
    expect(Array.isArray(unrolled['definitionValues'])).toBe(false);
    const value = unrolled['definitionValues'] as Record<string, unknown>;
    const changed: Record<string, unknown> = { ...unrolled, definitionValues: { ...value, enabled: false } };
    const baseline = buildSubject('administrativeTemplate', graph, digester);
    const same = buildSubject('administrativeTemplate', unrolled, digester);
    const drifted = buildSubject('administrativeTemplate', changed, digester);
    expect(same.contentHash).toBe(baseline.contentHash);
    expect(drifted.contentHash).toBeDefined();
    expect(drifted.contentHash).not.toBe(baseline.contentHash);
    const mapped = toGraphShape('administrativeTemplate', changed);
    expect(Array.isArray(mapped['definitionValues'])).toBe(true);
    expect(Array.isArray(((mapped['definitionValues'] as Record<string, unknown>[])[0]!)['presentationValues'])).toBe(true);
    expect(Array.isArray(mapped['assignments'])).toBe(true);
    expect(changed['definitionValues']).toBe(changed['definitionValues']); // the input is not changed
    expect(Array.isArray(changed['assignments'])).toBe(false);
  });

  it('drops the export tool template fields and carries the template id in the meta contract', () => {
    const tool = JSON.parse(decodeExportText(readFileSync(dir('powershell', 'intents', 'attack-surface-reduction.json')), 'x')) as Record<string, unknown>;
    const subject = buildSubject('securityBaselineIntent', tool, digester);
    expect(subject.meta['template_id']).toBe('0e237410-1367-4844-bd7f-15fb0f08943b');
    expect(Object.keys(subject.content ?? {}).sort()).toEqual(['description', 'settings', 'templateId']);
    const changed = { ...tool, settingsDelta: (tool['settingsDelta'] as Record<string, unknown>[]).slice(1) };
    expect(buildSubject('securityBaselineIntent', changed, digester).contentHash).not.toBe(subject.contentHash);
  });

  it('keys definition values named only by definition@odata.bind by the definition id in the URL', async () => {
    const report = await runCompare({ baseline: dir('by-reference', 'baseline'), current: dir('by-reference', 'current'), secretKey: TEST_SECRET_KEY });
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ changeType: 'different_version', policyType: 'administrativeTemplate' });
    expect(report.findings[0]?.driftedProperties).toEqual([
      { path: '/definitionValues/a1e43d0c-6b8e-4f4a-a7c2-0c57d1b53f11/enabled', kind: 'changed', baseline: true, current: false },
    ]);
  });
});

describe('never aligned without the content', () => {
  it('a list entry whose comparable configuration differs is a finding at mixed fidelity', async () => {
    const report = await runCompare({ baseline: dir('graph'), current: dir('list-changed'), types: ['settingsCatalogPolicy'], secretKey: TEST_SECRET_KEY });
    expect(report.gaps).toEqual([]);
    expect(report.findings).toMatchObject([{ changeType: 'different_version', displayName: 'Contoso - Edge SmartScreen' }]);
    expect(report.findings[0]?.driftedProperties).toEqual([{ path: '/description', kind: 'changed', baseline: 'SmartScreen on', current: 'SmartScreen off' }]);
    expect(report.summary).toMatchObject({ aligned: 0, aligned_meta: 0, different_version: 1 });
  });

  it('an export without an assignments key is not missing content', () => {
    const graph = JSON.parse(readFileSync(dir('graph', 'intents', 'attack-surface-reduction.json'), 'utf8')) as Record<string, unknown>;
    const { assignments: _none, ...withoutKey } = { ...graph, assignments: undefined };
    expect(buildSubject('securityBaselineIntent', withoutKey, digester).contentHash).toBeDefined();
  });
});

describe('objects that are not policies', () => {
  it('refuses the body of updateDefinitionValues and a named location, naming the file and what it looks like', async () => {
    const { objects, rejected } = await loadGraphExportReport(dir('not-policies'));
    expect(objects).toEqual([]);
    expect(rejected.map((r) => [r.file, r.error.message])).toEqual([
      [
        dir('not-policies', 'conditionalAccessPolicies', 'contoso-hq.json'),
        `${dir('not-policies', 'conditionalAccessPolicies', 'contoso-hq.json')} is a Conditional Access named location (IP ranges) (#microsoft.graph.ipNamedLocation), not a policy: leave it out of the policy folders`,
      ],
      [
        dir('not-policies', 'groupPolicyConfigurations', 'update-definition-values.json'),
        `${dir('not-policies', 'groupPolicyConfigurations', 'update-definition-values.json')} is the body of Graph's updateDefinitionValues action ("added", "updated", "deletedIds"), not a policy: export the administrative template itself (groupPolicyConfigurations/{id} with its definitionValues)`,
      ],
    ]);
  });

  it('refuses a CIPP template, naming the shape', async () => {
    await expect(loadGraphExport(dir('cipp'))).rejects.toMatchObject({
      name: 'MalformedGraphObjectError',
      message:
        `${dir('cipp', 'configurationPolicies', 'edge-smartscreen.json')} is a CIPP template (the policy as a "RAWJson" string inside a wrapper), which is not read yet: ` +
        'export the policy from Graph (drift sync), IntuneCD or IntuneManagement instead',
    });
  });

  it('takes @odata annotations of a full-metadata export for noise, never a reason to refuse', () => {
    const graph = JSON.parse(readFileSync(dir('graph', 'groupPolicyConfigurations', 'edge-extensions.json'), 'utf8')) as Record<string, unknown>;
    expect(describeNonPolicy(graph)).toBeUndefined();
    const annotated = { ...graph, '@odata.id': 'x', '@odata.editLink': 'y', '#microsoft.graph.assign': { target: 'z' } };
    expect(buildSubject('administrativeTemplate', annotated, digester).contentHash).toBe(buildSubject('administrativeTemplate', graph, digester).contentHash);
  });
});

describe('exit status of drift compare', () => {
  it('is 0 only with no findings and no gaps, 1 with gaps alone, 2 on error', async () => {
    const { main } = await import('../../cli/drift.js');
    const writes = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const errors = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const compare = (baseline: string, current: string): Promise<number> =>
        main(['compare', '--baseline', baseline, '--current', current, '--format', 'json', '--secret-key', TEST_SECRET_KEY]);
      expect(await compare(dir('graph'), dir('graph'))).toBe(0);
      expect(await compare(dir('graph'), dir('powershell'))).toBe(1);
      const printed = JSON.parse(String(writes.mock.calls.at(-1)?.[0])) as { findings: unknown[]; gaps: unknown[] };
      expect([printed.findings.length, printed.gaps.length]).toEqual([0, 1]);
      expect(await compare(dir('graph'), dir('cipp'))).toBe(2);
      expect(String(errors.mock.calls.at(-1)?.[0])).toContain('is a CIPP template');
    } finally {
      writes.mockRestore();
      errors.mockRestore();
    }
  });
});
