/**
 * The inventory collector, driven by the policy type registry, against the fixture tenant served by a
 * local Graph-compatible server over real HTTP: coverage per type, follow-ups merged into objects,
 * failures kept to the type they belong to, and no secret in any result.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { FOUNDATION_TYPE_KEYS, POLICY_TYPE_KEYS, type RegistryTypeKey } from '../../shared/domain/model.js';
import { POLICY_TYPES } from '../../shared/domain/registry.js';
import { UnclassifiableGraphObjectError } from '../../shared/domain/errors.js';
import { collectInventory, coverageOf, type InventoryCollection, type TypeInventory } from '../../shared/adapters/graph/collector.js';
import { collectRegistryInventory } from '../../shared/adapters/graph/registry-inventory.js';
import type { GraphCollectionSpec } from '../../shared/adapters/graph/contract.js';
import { clientFor, fakeGraphPool } from '../support/fake-graph/harness.js';
import type { FakeGraph } from '../support/fake-graph/server.js';
import { loadGraphTenant, manyConfigurationPolicies } from '../support/fake-graph/tenant.js';

const pool = fakeGraphPool();
afterAll(() => pool.closeAll());

const tenant = loadGraphTenant();
const ALL_TYPES: RegistryTypeKey[] = [...POLICY_TYPE_KEYS, ...FOUNDATION_TYPE_KEYS];

/** What the fixture tenant holds, per registry type. */
const FIXTURE_COUNTS: Record<RegistryTypeKey, number> = {
  deviceConfiguration: 2,
  windowsUpdateRing: 1,
  deviceCompliancePolicy: 2,
  compliancePolicy: 2,
  settingsCatalogPolicy: 1,
  endpointSecurityPolicy: 1,
  securityBaselinePolicy: 1,
  securityBaselineIntent: 2,
  administrativeTemplate: 2,
  appProtectionPolicy: 2,
  mobileAppConfiguration: 2,
  targetedManagedAppConfiguration: 2,
  conditionalAccessPolicy: 2,
  autopilotDeploymentProfile: 2,
  enrollmentStatusPage: 1,
  enrollmentRestriction: 1,
  enrollmentLimit: 1,
  enrollmentConfiguration: 1,
  featureUpdateProfile: 2,
  qualityUpdateProfile: 2,
  driverUpdateProfile: 2,
  powershellScript: 2,
  shellScript: 2,
  roleScopeTag: 3,
  assignmentFilter: 2,
  notificationMessageTemplate: 2,
};

function succeeded(result: InventoryCollection<RegistryTypeKey>, type: RegistryTypeKey) {
  const entry = result.types[type];
  if (entry.status !== 'succeeded') throw new Error(`${type} failed: ${entry.error}`);
  return entry;
}

function byName(objects: Record<string, unknown>[], name: string): Record<string, unknown> {
  const found = objects.find((o) => o.displayName === name || o.name === name);
  if (!found) throw new Error(`no object named ${name}`);
  return found;
}

/** Nothing a run returns may carry the client secret or an access token. */
function expectNoCredentials(fake: FakeGraph, ...values: unknown[]): void {
  const text = JSON.stringify(values, (_key, value: unknown) =>
    value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value,
  );
  expect(text).not.toContain(fake.clientSecret);
  for (const token of fake.issuedTokens) expect(text).not.toContain(token);
}

describe('collectRegistryInventory over the fixture tenant', () => {
  it('reads every registry type completely', async () => {
    const fake = await pool.start({ fixtures: tenant });
    const { client } = clientFor(fake);
    const progress: { done: number; total: number }[] = [];
    const result = await collectRegistryInventory({ types: ALL_TYPES, client, onProgress: (p) => progress.push(p) });

    const seen = Object.fromEntries(
      ALL_TYPES.map((type) => {
        const entry = succeeded(result, type);
        return [type, { count: entry.item_count, objects: entry.objects.length, collection: entry.collectionKey }];
      }),
    );
    const expected = Object.fromEntries(
      ALL_TYPES.map((type) => [
        type,
        { count: FIXTURE_COUNTS[type], objects: FIXTURE_COUNTS[type], collection: POLICY_TYPES[type].collection },
      ]),
    );
    expect(seen).toEqual(expected);
    // The registry's own completeness rule holds for every object the collector returns.
    const incomplete = ALL_TYPES.flatMap((type) =>
      succeeded(result, type)
        .objects.filter((obj) => !POLICY_TYPES[type].contentComplete(obj))
        .map((obj) => `${type} ${String(obj.id)}`),
    );
    expect(incomplete).toEqual([]);
    expect(result.unclassified).toEqual({});
    expect(progress.map((p) => p.done)).toEqual(ALL_TYPES.map((_, i) => i + 1));
    expect(progress.every((p) => p.total === ALL_TYPES.length)).toBe(true);
    expect(result.requestCount).toBe(fake.requests.filter((r) => !r.inBatch).length);
    expect(result.batchedRequestCount).toBe(fake.requests.filter((r) => r.inBatch).length);
    expect(result.retryCount).toBe(0);
    expect(fake.tokenRequests()).toBe(1);
    expect(fake.requests.some((r) => r.path.toLowerCase().includes('getomasettingplaintextvalue'))).toBe(false);
    expectNoCredentials(fake, result);
  });

  it('merges follow-ups into the objects as $expand would return them', async () => {
    const fake = await pool.start({ fixtures: tenant });
    const { client } = clientFor(fake);
    const result = await collectRegistryInventory({ types: ALL_TYPES, client });

    const edge = byName(succeeded(result, 'settingsCatalogPolicy').objects, 'Contoso - Windows - Edge hardening');
    expect(edge.settings).toHaveLength(3);
    expect(edge.assignments).toHaveLength(1);

    // App protection: re-read on the concrete collection with apps and assignments; @odata.type kept
    // from the list because the concrete GET has none.
    const ios = byName(succeeded(result, 'appProtectionPolicy').objects, 'Contoso - iOS app protection');
    expect(ios['@odata.type']).toBe('#microsoft.graph.iosManagedAppProtection');
    expect(ios.apps).toHaveLength(2);
    expect(ios.assignments).toHaveLength(1);
    expect(ios.deployedAppCount).toBe(2);
    expect(ios['@odata.context']).toBeUndefined();
    expect(fake.count('/deviceAppManagement/iosManagedAppProtections/T_a7c0ffee-0001-4000-8000-000000000001')).toBe(1);
    const appProtectionNames = succeeded(result, 'appProtectionPolicy').objects.map((o) => o.displayName);
    expect(appProtectionNames).not.toContain('Contoso - Outlook app config');

    // Scripts: the list has scriptContent null; the single GET carries it.
    for (const type of ['powershellScript', 'shellScript'] as const) {
      for (const script of succeeded(result, type).objects) {
        expect(typeof script.scriptContent).toBe('string');
        expect(script.assignments).toHaveLength(1);
      }
    }

    const intent = byName(succeeded(result, 'securityBaselineIntent').objects, 'Contoso - MDM Security Baseline (intent)');
    expect(intent.settings).toHaveLength(3);

    const compliance = byName(succeeded(result, 'deviceCompliancePolicy').objects, 'Contoso - Windows compliance');
    expect((compliance.scheduledActionsForRule as { scheduledActionConfigurations: unknown[] }[])[0]?.scheduledActionConfigurations).toHaveLength(1);

    const template = byName(succeeded(result, 'administrativeTemplate').objects, 'Contoso - OneDrive known folders');
    const [definitionValue] = template.definitionValues as {
      definition: { displayName: string };
      presentationValues: { presentation: { label: string } }[];
    }[];
    expect(definitionValue?.definition.displayName).toBe('Silently move Windows known folders to OneDrive');
    expect(definitionValue?.presentationValues[0]?.presentation.label).toBe('Tenant ID:');

    // Encrypted OMA-URI values stay as Graph lists them.
    const oma = byName(succeeded(result, 'deviceConfiguration').objects, 'Contoso - Custom OMA-URI');
    expect((oma.omaSettings as { isEncrypted: boolean; value: unknown }[]).find((s) => s.isEncrypted)?.value).toBe('****');

    // Conditional Access is read from v1.0, the Intune collections from beta.
    expect(fake.requests.filter((r) => r.path.startsWith('/identity/')).every((r) => r.version === 'v1.0')).toBe(true);
    expect(fake.requests.filter((r) => r.path.startsWith('/deviceManagement/')).every((r) => r.version === 'beta')).toBe(true);
  });

  it('lists a shared collection once for all the types that live in it', async () => {
    const fake = await pool.start({ fixtures: tenant });
    const { client } = clientFor(fake);
    await collectRegistryInventory({
      types: ['settingsCatalogPolicy', 'endpointSecurityPolicy', 'securityBaselinePolicy', 'enrollmentStatusPage', 'enrollmentLimit'],
      client,
    });
    expect(fake.count('/deviceManagement/configurationPolicies')).toBe(1);
    expect(fake.count('/deviceManagement/deviceEnrollmentConfigurations')).toBe(1);
    expect(fake.count('/deviceManagement/intents')).toBe(0);
  });

  it('reads 130 configuration policies at 25 per page, with settings over several pages each', async () => {
    const settingsOf = (i: number): number => (i % 10 === 0 ? 60 : (i % 5) + 1);
    const fake = await pool.start({ fixtures: manyConfigurationPolicies(130, settingsOf), pageSize: 25 });
    const { client } = clientFor(fake);
    const result = await collectRegistryInventory({ types: ['settingsCatalogPolicy'], client });
    const entry = succeeded(result, 'settingsCatalogPolicy');
    expect(entry.item_count).toBe(130);
    entry.objects.forEach((policy, i) => {
      const settings = policy.settings as { settingInstance: { simpleSettingValue: { value: number } } }[];
      expect(settings).toHaveLength(settingsOf(i));
      expect(settings.map((s) => s.settingInstance.simpleSettingValue.value)).toEqual(
        Array.from({ length: settingsOf(i) }, (_, n) => i * 1000 + n),
      );
      expect(policy.assignments).toHaveLength(1);
    });
    expect(fake.count('/deviceManagement/configurationPolicies')).toBe(6);
    // 260 follow-ups (settings + assignments) travel in 13 batches; the 13 policies with 60 settings
    // need 2 more pages each, batched again.
    expect(fake.count(/\/settings$/)).toBe(130 + 13 * 2);
    expect(fake.count('/$batch')).toBe(13 + 2);
    expect(result.requestCount).toBe(6 + 13 + 2);
  });
});

describe('failures stay with their type', () => {
  it('a collection answering 403 fails its type only', async () => {
    const fake = await pool.start({
      fixtures: tenant,
      behaviours: [{ match: '/deviceManagement/intents', status: 403, code: 'Authorization_RequestDenied' }],
    });
    const { client } = clientFor(fake);
    const result = await collectRegistryInventory({ types: ALL_TYPES, client });
    expect(result.types.securityBaselineIntent).toEqual({
      status: 'failed',
      collectionKey: 'intents',
      error: '403 Authorization_RequestDenied',
    });
    const failedTypes = ALL_TYPES.filter((type) => result.types[type].status !== 'succeeded');
    expect(failedTypes).toEqual(['securityBaselineIntent']);
    // Permanent: not retried.
    expect(fake.count('/deviceManagement/intents')).toBe(1);
    expect(coverageOf(result).securityBaselineIntent).toEqual({ status: 'failed', error: '403 Authorization_RequestDenied' });
    expect(coverageOf(result).roleScopeTag).toEqual({ status: 'succeeded', item_count: 3 });
  });

  it('a failed follow-up fails the type of that object, not its neighbours in the collection', async () => {
    const fake = await pool.start({
      fixtures: tenant,
      behaviours: [{ match: '/deviceManagement/configurationPolicies/a1c0ffee-0002-4000-8000-000000000002/settings', status: 404 }],
    });
    const { client } = clientFor(fake);
    const result = await collectRegistryInventory({
      types: ['settingsCatalogPolicy', 'endpointSecurityPolicy', 'securityBaselinePolicy'],
      client,
    });
    expect(result.types.endpointSecurityPolicy).toEqual({
      status: 'failed',
      collectionKey: 'configurationPolicies',
      error: '404 ResourceNotFound',
    });
    expect(result.types.settingsCatalogPolicy.status).toBe('succeeded');
    expect(result.types.securityBaselinePolicy.status).toBe('succeeded');
  });

  it('a type throttled beyond its budget fails with the throttling status', async () => {
    const fake = await pool.start({
      fixtures: tenant,
      behaviours: [{ match: '/deviceManagement/assignmentFilters', status: 429, retryAfter: 30 }],
    });
    const { client } = clientFor(fake);
    const result = await collectRegistryInventory({ types: ['assignmentFilter', 'roleScopeTag'], client, typeBudgetMs: 100_000 });
    expect(result.types.assignmentFilter).toMatchObject({ status: 'failed', error: '429 TooManyRequests (retry budget exhausted)' });
    expect(result.types.roleScopeTag.status).toBe('succeeded');
    expect(fake.count('/deviceManagement/assignmentFilters')).toBe(4);
  });

  it('a failed type carries no objects', async () => {
    const fake = await pool.start({ fixtures: tenant, behaviours: [{ match: /^\/deviceManagement\/deviceShellScripts\//, status: 403 }] });
    const { client } = clientFor(fake);
    const result = await collectRegistryInventory({ types: ['shellScript'], client });
    const entry: TypeInventory = result.types.shellScript;
    expect(entry).toEqual({ status: 'failed', collectionKey: 'deviceShellScripts', error: '403 Authorization_RequestDenied' });
    expect('objects' in entry).toBe(false);
  });
});

describe('transient trouble is absorbed', () => {
  it('survives a token expiring mid-sync with one refresh', async () => {
    const fake = await pool.start({ fixtures: tenant, expireTokensAtRequest: 12 });
    const { client } = clientFor(fake);
    const result = await collectRegistryInventory({ types: ALL_TYPES, client });
    expect(ALL_TYPES.filter((type) => result.types[type].status !== 'succeeded')).toEqual([]);
    expect(fake.tokenRequests()).toBe(2);
    expect(fake.requests.filter((r) => r.status === 401).length).toBeGreaterThan(0);
    expectNoCredentials(fake, result);
  });

  it('retries a throttled item of a batch after its own Retry-After', async () => {
    const throttled = '/deviceManagement/intents/e5c0ffee-0002-4000-8000-000000000002/settings';
    const fake = await pool.start({ fixtures: tenant, behaviours: [{ match: throttled, status: 429, retryAfter: 2, times: 1 }] });
    const { client, time } = clientFor(fake);
    const result = await collectRegistryInventory({ types: ['securityBaselineIntent'], client });
    const entry = succeeded(result, 'securityBaselineIntent');
    expect(byName(entry.objects, 'Contoso - Edge baseline (intent)').settings).toHaveLength(1);
    expect(fake.count(throttled, { inBatch: true })).toBe(1);
    expect(fake.count(throttled)).toBe(2);
    expect(time.sleeps).toEqual([2_000]);
    expect(result.retryCount).toBe(1);
  });

  it('retries a collection answering 503 then succeeds', async () => {
    const fake = await pool.start({
      fixtures: tenant,
      behaviours: [{ match: '/identity/conditionalAccess/policies', status: 503, times: 2 }],
    });
    const { client } = clientFor(fake);
    const result = await collectRegistryInventory({ types: ['conditionalAccessPolicy'], client });
    expect(succeeded(result, 'conditionalAccessPolicy').item_count).toBe(2);
    expect(result.retryCount).toBe(2);
  });
});

describe('credentials never leak', () => {
  it('a refused secret fails every type with status and Entra code only', async () => {
    const fake = await pool.start({ fixtures: tenant });
    const wrongSecret = `${fake.clientSecret}-rotated`;
    const { client } = clientFor(fake, { clientSecret: wrongSecret });
    const result = await collectRegistryInventory({ types: ['settingsCatalogPolicy', 'roleScopeTag'], client });
    expect(result.types.settingsCatalogPolicy).toMatchObject({ status: 'failed', error: 'token request failed: 401 invalid_client AADSTS7000215' });
    expect(result.types.roleScopeTag).toMatchObject({ status: 'failed', error: 'token request failed: 401 invalid_client AADSTS7000215' });
    expect(JSON.stringify(result)).not.toContain(wrongSecret);
    expectNoCredentials(fake, result);
  });
});

describe('collectInventory with specs built here', () => {
  const spec: GraphCollectionSpec = {
    key: 'deviceManagementScripts',
    apiVersion: 'beta',
    listPath: '/deviceManagement/deviceManagementScripts',
    followUps: [
      { kind: 'subcollection', property: 'assignments', pathTemplate: '/deviceManagement/deviceManagementScripts/{id}/assignments' },
      { kind: 'itemById', pathTemplate: '/deviceManagement/deviceManagementScripts/{id}' },
    ],
  };

  it('applies the single GET first and merges sub-collections onto it, whatever the declared order', async () => {
    const fake = await pool.start({ fixtures: tenant });
    const { client } = clientFor(fake);
    const result = await collectInventory({ types: ['script'], client, collectionOf: () => spec, classify: () => 'script' });
    const entry = result.types.script;
    expect(entry.status).toBe('succeeded');
    if (entry.status !== 'succeeded') return;
    for (const script of entry.objects) {
      expect(typeof script.scriptContent).toBe('string');
      expect(script.assignments).toHaveLength(1);
    }
  });

  it('skips and counts objects no type claims, and fails on a broken classifier', async () => {
    const fake = await pool.start({ fixtures: tenant });
    const { client } = clientFor(fake);
    const result = await collectInventory({
      types: ['script'],
      client,
      collectionOf: () => spec,
      classify: (key, obj) => {
        if (obj.displayName === 'Contoso - Remove bloatware') throw new UnclassifiableGraphObjectError(key, undefined, 'no type');
        return 'script';
      },
    });
    expect(result.types.script).toMatchObject({ status: 'succeeded', item_count: 1 });
    expect(result.unclassified).toEqual({ deviceManagementScripts: 1 });

    const broken = await collectInventory({
      types: ['script'],
      client,
      collectionOf: () => spec,
      classify: () => {
        throw new Error('bug');
      },
    });
    expect(broken.types.script).toEqual({ status: 'failed', collectionKey: 'deviceManagementScripts', error: 'classification failed: internal error' });
  });

  it('fails a type whose collection is not declared', async () => {
    const fake = await pool.start({ fixtures: tenant });
    const { client } = clientFor(fake);
    const result = await collectInventory({ types: ['unknown'], client, collectionOf: () => undefined, classify: () => 'unknown' });
    expect(result.types.unknown).toEqual({ status: 'failed', collectionKey: null, error: 'no Graph collection declared' });
    expect(fake.requests).toHaveLength(0);
  });
});
