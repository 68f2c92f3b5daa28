/**
 * Backups of the export tools administrators use most, read as a baseline or current side: an
 * IntuneCD backup (JSON and YAML, its folder names, assignments by group name) and an
 * IntuneManagement export (UTF-16LE, `_Settings.json` beside the object, `MigrationTable.json`).
 * The fixtures are the project's own (test/fixtures/intunecd/README.md, test/fixtures/intunemanagement/README.md).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { detectExportFormat, loadExport, loadExportReport } from '../../shared/adapters/filesystem/export-reader.js';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import { buildSubject } from '../../shared/domain/subject.js';
import { fromIntuneManagement } from '../../shared/domain/tool-exports.js';
import { runCompare } from '../../cli/commands/compare.js';
import { main } from '../../cli/drift.js';
import { TEST_SECRET_KEY } from '../fixtures/graph/fixtures.js';
import { conditionalAccessPolicy } from '../support/conditional-access.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const golden = join(fixtures, 'intunecd', 'golden');
const tenant = join(fixtures, 'intunecd', 'tenant');
const intuneManagement = join(fixtures, 'intunemanagement');
const graph = join(fixtures, 'shapes', 'graph');
const digester = createSecretDigester(TEST_SECRET_KEY);

async function quietly<T>(run: () => Promise<T>): Promise<{ result: T; stdout: string; stderr: string }> {
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const result = await run();
    return { result, stdout: out.mock.calls.map((c) => String(c[0])).join(''), stderr: err.mock.calls.map((c) => String(c[0])).join('') };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('IntuneCD backups', () => {
  it('are detected by their folder names and read from JSON and YAML files, every object classified', async () => {
    expect(await detectExportFormat(golden)).toBe('intunecd');
    const report = await loadExportReport(golden);
    expect(report.format).toBe('intunecd');
    expect(report.rejected).toEqual([]);
    expect(report.notRead).toEqual(['Applications']);
    expect(report.objects.map((o) => [o.collection, o.policyType, o.file.slice(golden.length + 1)])).toEqual([
      ['deviceCompliancePolicies', 'deviceCompliancePolicy', 'Compliance Policies/Policies/Contoso - Windows compliance_windows10CompliancePolicy.json'],
      ['deviceConfigurations', 'deviceConfiguration', 'Device Configurations/Contoso - BitLocker_windows10EndpointProtectionConfiguration.yaml'],
      ['assignmentFilters', 'assignmentFilter', 'Filters/Windows 11 corporate.json'],
      ['groupPolicyConfigurations', 'administrativeTemplate', 'Group Policy Configurations/Contoso - Edge extensions (ADMX).yaml'],
      ['intents', 'securityBaselineIntent', 'Management Intents/Attack surface reduction rules/Contoso - Attack surface reduction.json'],
      ['configurationPolicies', 'settingsCatalogPolicy', 'Settings Catalog/Contoso - Edge SmartScreen_mdm.json'],
    ]);
    for (const { policyType, object } of report.objects) expect(buildSubject(policyType, object, digester).contentHash).toBeDefined();
  });

  it('turn assignments by group and filter name into the Graph assignment shape', async () => {
    const objects = await loadExport(golden, 'intunecd');
    const catalog = objects.find((o) => o.policyType === 'settingsCatalogPolicy')!;
    expect(catalog.object['assignments']).toEqual([
      {
        intent: 'apply',
        source: 'direct',
        target: {
          '@odata.type': '#microsoft.graph.groupAssignmentTarget',
          deviceAndAppManagementAssignmentFilterDisplayName: 'Windows 11 corporate',
          deviceAndAppManagementAssignmentFilterType: 'include',
          groupDisplayName: 'SG-Intune-Windows-Devices',
        },
      },
      {
        intent: 'apply',
        source: 'direct',
        target: {
          '@odata.type': '#microsoft.graph.exclusionGroupAssignmentTarget',
          deviceAndAppManagementAssignmentFilterId: null,
          deviceAndAppManagementAssignmentFilterType: 'none',
          groupDisplayName: 'SG-Intune-Kiosks',
        },
      },
    ]);
    const withAssignments = objects.filter((o) => Array.isArray(o.object['assignments']) && (o.object['assignments'] as unknown[]).length > 0);
    expect(new Set(withAssignments.map((o) => o.policyType)).size).toBeGreaterThanOrEqual(4);
    // The intent was backed up unassigned: no assignments key, so assignments are not compared.
    expect(Object.hasOwn(objects.find((o) => o.policyType === 'securityBaselineIntent')!.object, 'assignments')).toBe(false);
  });

  it('compare as baseline and current side: identical backups give nothing, drift is found with its path', async () => {
    const same = await runCompare({ baseline: golden, current: golden, secretKey: TEST_SECRET_KEY });
    expect(same.summary).toMatchObject({ subjects: 6, aligned: 6, aligned_meta: 0, gaps: 0, findings: 0 });
    const drifted = await runCompare({ baseline: golden, current: tenant, secretKey: TEST_SECRET_KEY });
    expect(drifted.gaps).toEqual([]);
    expect(drifted.findings.map((f) => [f.policyType, f.changeType])).toEqual([
      ['deviceConfiguration', 'different_version'],
      ['settingsCatalogPolicy', 'different_version'],
    ]);
    const catalog = drifted.findings.find((f) => f.policyType === 'settingsCatalogPolicy')!;
    expect(catalog.driftedProperties.map((p) => p.path)).toEqual([
      '/settings/device_vendor_msft_policy_config_microsoft_edgev80diff~0policy~0microsoft_edge~0smartscreen_smartscreenenabled/settingInstance/choiceSettingValue/value',
    ]);
    const bitlocker = drifted.findings.find((f) => f.policyType === 'deviceConfiguration')!;
    expect(bitlocker.driftedProperties.every((p) => p.path.startsWith('/assignments'))).toBe(true);
  });

  it('read like the Graph export of the same policy (the intent in IntuneCD shape against Graph shape)', async () => {
    const report = await runCompare({ baseline: graph, current: golden, types: ['securityBaselineIntent'], secretKey: TEST_SECRET_KEY });
    expect(report.summary).toMatchObject({ subjects: 1, aligned: 1, findings: 0, gaps: 0 });
  });

  it('are read with --format-in detected or named; a named format that does not fit is an error', async () => {
    const run = (...args: string[]) => quietly(() => main(['compare', ...args, '--format', 'json', '--secret-key', TEST_SECRET_KEY]));
    expect((await run('--baseline', golden, '--current', golden)).result).toBe(0);
    expect((await run('--baseline', golden, '--current', tenant, '--format-in', 'intunecd')).result).toBe(1);
    const wrong = await run('--baseline', golden, '--current', golden, '--format-in', 'graph');
    expect(wrong.result).toBe(2);
    expect(wrong.stderr).toContain('unknown Graph collections "Applications", "Compliance Policies"');
    const bad = await run('--baseline', golden, '--current', golden, '--format-in', 'cipp');
    expect(bad.result).toBe(2);
  });
});

describe('IntuneManagement exports', () => {
  it('are detected, read from UTF-16LE files with their _Settings.json and the group names of MigrationTable.json', async () => {
    expect(await detectExportFormat(intuneManagement)).toBe('intunemanagement');
    const report = await loadExportReport(intuneManagement);
    expect(report.rejected).toEqual([]);
    expect(report.notRead).toEqual(['NamedLocations']);
    expect(report.objects.map((o) => o.policyType)).toEqual(['administrativeTemplate', 'securityBaselineIntent', 'settingsCatalogPolicy']);
    const [admx, intent] = report.objects;
    expect((intent!.object['settings'] as unknown[]).length).toBe(3);
    expect(admx!.object['definitionValues']).toMatchObject([
      {
        enabled: true,
        definition: { displayName: 'Control which extensions are installed silently', classType: 'machine', categoryPath: '\\Microsoft Edge\\Extensions' },
        presentationValues: [{ presentation: { label: 'Extension/App IDs and update URLs to be silently installed' } }],
      },
    ]);
    expect(admx!.object['assignments']).toMatchObject([{ target: { groupDisplayName: 'SG-Intune-Windows-Devices' } }]);
  });

  it('name the groups a conditional access policy excludes from MigrationTable.json, as a sync names them', () => {
    // As IntuneManagement writes a conditional access policy: Graph's object as GET returns it.
    const ca = conditionalAccessPolicy('c1c0ffee-0301-4000-8000-000000000003', 'CA003 - Block legacy authentication', {
      includeUsers: ['All'],
      clientAppTypes: ['exchangeActiveSync', 'other'],
      excludeGroups: ['6b1d2f3e-0001-4b5c-9d8e-00000000d003'],
      grant: 'block',
    });
    const named = fromIntuneManagement(ca, { groupNames: new Map([['6b1d2f3e-0001-4b5c-9d8e-00000000d003', 'Break Glass Accounts']]) });
    expect(named['groupDisplayNames']).toEqual({ '6b1d2f3e-0001-4b5c-9d8e-00000000d003': 'Break Glass Accounts' });
    const users = (buildSubject('conditionalAccessPolicy', named, digester).content!['conditions'] as { users: Record<string, unknown> }).users;
    expect(users['excludeGroups']).toEqual(['Break Glass Accounts']);
  });

  it('compare at full fidelity with the Graph export of the same policies', async () => {
    const report = await runCompare({ baseline: graph, current: intuneManagement, types: ['securityBaselineIntent', 'settingsCatalogPolicy'], secretKey: TEST_SECRET_KEY });
    expect(report.summary).toMatchObject({ subjects: 2, aligned: 2, findings: 0, gaps: 0 });
    const [im] = (await loadExport(intuneManagement)).filter((o) => o.policyType === 'administrativeTemplate');
    const [g] = (await loadExport(graph)).filter((o) => o.policyType === 'administrativeTemplate');
    const unassigned = (o: Record<string, unknown>) => ({ ...o, assignments: undefined });
    expect(buildSubject('administrativeTemplate', unassigned(im!.object), digester).contentHash).toBe(
      buildSubject('administrativeTemplate', unassigned(g!.object), digester).contentHash,
    );
  });
});
