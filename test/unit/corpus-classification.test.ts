/**
 * Every Graph object of the real exports (read in place, never copied) is classified into exactly one
 * type and normalizes; the two double-encoded files are rejected with a clear error.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadGraphExportReport, type GraphExportReport } from '../../shared/adapters/filesystem/graph-export.js';
import { POLICY_TYPES, typesOfCollection } from '../../shared/domain/registry.js';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import { buildSubject } from '../../shared/domain/subject.js';
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

  it('builds a subject of every object; only the export-tool-shaped intent (settingsDelta) lacks content', async () => {
    const metaOnly: string[] = [];
    for (const item of (await corpus()).objects) {
      const subject = buildSubject(item.policyType, item.object, digester);
      expect(subject.metaHash).toMatch(/^[0-9a-f]{64}$/);
      if (subject.contentHash === undefined) metaOnly.push(item.file);
    }
    expect(metaOnly).toEqual([join(corpusDir, 'intents', 'ACSC__ACSC_Windows_Hardening_Guidelines-Attack_Surface_Reduction.json')]);
  });
});
