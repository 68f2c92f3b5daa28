/**
 * Every Graph object of the real exports (read in place, never copied) is classified into exactly one
 * type and normalizes; the two double-encoded files are rejected with a clear error.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadGraphExportReport, type GraphExportReport } from '../../shared/adapters/filesystem/graph-export.js';
import { POLICY_TYPES } from '../../shared/domain/registry.js';
import { typesOfCollection } from '../../shared/domain/classification.js';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import { buildSubject } from '../../shared/domain/subject.js';
import { compareSubjects } from '../../shared/domain/compare.js';
import { comparePolicyType } from '../../shared/usecases/compare-policy-type.js';
import { corpusAvailable, corpusDir } from '../support/corpus.js';
import { TEST_SECRET_KEY } from '../fixtures/graph/fixtures.js';

const digester = createSecretDigester(TEST_SECRET_KEY);

let report: GraphExportReport | undefined;
async function corpus(): Promise<GraphExportReport> {
  report ??= await loadGraphExportReport(corpusDir);
  return report;
}

describe.skipIf(!corpusAvailable)('corpus: classification', () => {
  it('rejects exactly the two double-encoded NCSC settings files, with a clear error naming each', async () => {
    const { rejected } = await corpus();
    expect(rejected.map((r) => r.file)).toEqual([
      join(corpusDir, 'intents', 'NCSC__2025-NCSC-Account-Protections_Settings.json'),
      join(corpusDir, 'intents', 'NCSC__2025-NCSC-Application-Control_Settings.json'),
    ]);
    for (const { file, error } of rejected) {
      expect(error.name).toBe('MalformedGraphObjectError');
      expect(error.message).toBe(
        `${file} holds a JSON string, not a Graph object (its JSON was encoded twice by the exporting tool): re-export it without double encoding`,
      );
    }
  });

  it('classifies every other object into exactly one type of its collection', async () => {
    const { objects } = await corpus();
    expect(objects).toHaveLength(331);
    for (const item of objects) {
      expect(typesOfCollection(item.collection)).toContain(item.policyType);
      const matching = typesOfCollection(item.collection).filter((key) => POLICY_TYPES[key].matches(item.object));
      expect(matching).toEqual([item.policyType]);
    }
  });

  it('finds the types the corpus holds (counts from reading its @odata.type, templateFamily and technologies)', async () => {
    const counts: Record<string, number> = {};
    for (const item of (await corpus()).objects) counts[item.policyType] = (counts[item.policyType] ?? 0) + 1;
    expect(counts).toEqual({
      appProtectionPolicy: 22,
      assignmentFilter: 24,
      autopilotDeploymentProfile: 2,
      compliancePolicy: 2,
      conditionalAccessPolicy: 66,
      deviceCompliancePolicy: 27,
      deviceConfiguration: 42,
      driverUpdateProfile: 3,
      endpointSecurityPolicy: 24,
      enrollmentStatusPage: 1,
      notificationMessageTemplate: 1,
      securityBaselineIntent: 3,
      settingsCatalogPolicy: 111,
      windowsUpdateRing: 3,
    });
  });

  it('builds a subject of every object, each with its content (the export-tool-shaped intent included)', async () => {
    const metaOnly: string[] = [];
    for (const item of (await corpus()).objects) {
      const subject = buildSubject(item.policyType, item.object, digester);
      expect(subject.metaHash).toMatch(/^[0-9a-f]{64}$/);
      if (subject.contentHash === undefined) metaOnly.push(item.file);
    }
    expect(metaOnly).toEqual([]);
  });

  it('compares the export-tool-shaped intent (TemplateId, settingsDelta) on its settings', async () => {
    const file = join(corpusDir, 'intents', 'ACSC__ACSC_Windows_Hardening_Guidelines-Attack_Surface_Reduction.json');
    const item = (await corpus()).objects.find((o) => o.file === file);
    expect(item?.policyType).toBe('securityBaselineIntent');
    const original = item!.object;
    const delta = original['settingsDelta'] as Record<string, unknown>[];
    const first = delta[0]!;
    const changed = {
      ...original,
      settingsDelta: [{ ...first, value: 'block', valueJson: '"block"' }, ...delta.slice(1)],
    };
    const baseline = buildSubject('securityBaselineIntent', original, digester);
    const current = buildSubject('securityBaselineIntent', changed, digester);
    expect(baseline.meta['template_id']).toBe(original['TemplateId']);
    expect((baseline.content?.['settings'] as unknown[]).length).toBe(delta.length);
    const { result, drifted } = await comparePolicyType({
      policyType: 'securityBaselineIntent',
      baseline: [baseline],
      current: [current],
      loadBaseline: () => Promise.resolve(new Map([[baseline.subjectKey, { meta: baseline.meta, content: baseline.content! }]])),
      loadCurrent: () => Promise.resolve(new Map([[current.subjectKey, { meta: current.meta, content: current.content! }]])),
    });
    expect(result.drift).toMatchObject([{ changeType: 'different_version', fidelity: 'content' }]);
    const paths = drifted.get(baseline.subjectKey)?.properties.map((p) => p.path);
    expect(paths).toEqual([`/settings/${String(first['definitionId'])}/value`, `/settings/${String(first['definitionId'])}/valueJson`]);
    // Unchanged, it aligns with itself at content fidelity.
    expect(compareSubjects({ policyType: 'securityBaselineIntent', baseline: [baseline], current: [buildSubject('securityBaselineIntent', structuredClone(original), digester)] }).aligned).toBe(1);
  });
});
