/** The project's own fake tenant (test/fixtures/graph-tenant) and builders for larger tenants. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeTenantFixtures } from './server.js';

export const graphTenantDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/graph-tenant');

/** Merges every `<collection>.json` of the fixture tenant into one set of resources. */
export function loadGraphTenant(): FakeTenantFixtures {
  const resources: Record<string, unknown> = {};
  for (const file of readdirSync(graphTenantDir).filter((name) => name.endsWith('.json')).sort()) {
    const parsed = JSON.parse(readFileSync(join(graphTenantDir, file), 'utf8')) as { resources: Record<string, unknown> };
    for (const [path, value] of Object.entries(parsed.resources)) {
      if (path in resources) throw new Error(`fixture path ${path} defined twice (${file})`);
      resources[path] = value;
    }
  }
  return { resources };
}

/** Several fixture sets as one; a later set overrides a path of an earlier one. */
export function mergeFixtures(...sets: FakeTenantFixtures[]): FakeTenantFixtures {
  return { resources: Object.assign({}, ...sets.map((set) => set.resources)) as Record<string, unknown> };
}

/**
 * `count` settings catalog policies, policy `i` with `settingsOf(i)` settings (so some span several
 * pages of `/settings`) and one assignment.
 */
export function manyConfigurationPolicies(count: number, settingsOf: (index: number) => number): FakeTenantFixtures {
  const resources: Record<string, unknown> = {};
  const policies: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = `9e000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const settings = Array.from({ length: settingsOf(i) }, (_, n) => ({
      id: String(n),
      settingInstance: {
        '@odata.type': '#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance',
        settingDefinitionId: `device_vendor_msft_policy_config_generated_setting_${n}`,
        simpleSettingValue: { '@odata.type': '#microsoft.graph.deviceManagementConfigurationIntegerSettingValue', value: i * 1000 + n },
      },
    }));
    policies.push({
      id,
      name: `Generated policy ${String(i).padStart(3, '0')}`,
      description: '',
      platforms: 'windows10',
      technologies: 'mdm',
      settingCount: settings.length,
      roleScopeTagIds: ['0'],
      createdDateTime: '2025-01-01T00:00:00Z',
      lastModifiedDateTime: '2025-01-01T00:00:00Z',
      templateReference: { templateId: '', templateFamily: 'none', templateDisplayName: null, templateDisplayVersion: null },
    });
    resources[`/deviceManagement/configurationPolicies/${id}/settings`] = settings;
    resources[`/deviceManagement/configurationPolicies/${id}/assignments`] = [
      { id: `${id}_group`, target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } },
    ];
  }
  resources['/deviceManagement/configurationPolicies'] = policies;
  return { resources };
}

/**
 * A clock that only moves when the code under test sleeps: retries and Retry-After waits take no
 * real time, and every wait is recorded.
 */
export function virtualTime(start = Date.parse('2025-06-01T00:00:00Z')): {
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
  sleeps: number[];
} {
  let now = start;
  const sleeps: number[] = [];
  return {
    clock: () => now,
    sleep: (ms) => {
      sleeps.push(ms);
      now += Math.max(0, ms);
      return Promise.resolve();
    },
    sleeps,
  };
}
