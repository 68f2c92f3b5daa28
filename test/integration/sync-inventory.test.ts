/**
 * The inventory sync from Graph end to end on one machine: the real Graph client against the
 * Graph-compatible fake server on loopback, the sync use case, and the inventory and runs on DynamoDB
 * Local. Coverage per type, failures kept to their type (and never taken for deletions), retries,
 * token expiry, many pages, settings per policy, and no secret stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOUNDATION_TYPE_KEYS, POLICY_TYPE_KEYS, type RegistryTypeKey } from '../../shared/domain/model.js';
import { tenantGraphClientFactory } from '../../shared/adapters/graph/tenant-client.js';
import { registryInventoryReaders } from '../../shared/adapters/graph/registry-inventory.js';
import { staticTenantCredentialSource, TenantCredentialsUnavailableError } from '../../shared/adapters/secrets/tenant-credentials.js';
import { workspaceKeySourceFromEnv } from '../../shared/adapters/secrets/workspace-key.js';
import type { Repositories } from '../../shared/adapters/dynamodb/index.js';
import { syncTenantInventory, type SyncInventoryDeps } from '../../shared/usecases/sync-inventory.js';
import { fakeGraphPool } from '../support/fake-graph/harness.js';
import type { FakeGraph, FakeGraphOptions, FakeTenantFixtures } from '../support/fake-graph/server.js';
import { loadGraphTenant, manyConfigurationPolicies, mergeFixtures, virtualTime } from '../support/fake-graph/tenant.js';
import { testRepositories, uniqueId } from '../support/dynamodb.js';
import { fixtureObject } from '../fixtures/graph/fixtures.js';
import { SyncAlreadyActiveError } from '../../shared/usecases/ports/errors.js';

const pool = fakeGraphPool();
afterAll(() => pool.closeAll());

let repos: Repositories;
beforeAll(() => {
  repos = testRepositories();
});

const ALL_TYPES: RegistryTypeKey[] = [...POLICY_TYPE_KEYS, ...FOUNDATION_TYPE_KEYS];
const keys = workspaceKeySourceFromEnv({ DRIFT_SECRET_KEY: 'sync-test-master-key-0123456789' });
const WIFI = fixtureObject('deviceConfigurations', 'wifi-psk.json');
const WIFI_PSK = 'Sup3r-S3cret-PSK!';

/** The fixture tenant plus one Wi-Fi profile with a pre-shared key in clear (as Graph returns it). */
function tenantWithWifi(): FakeTenantFixtures {
  const base = loadGraphTenant();
  const configs = base.resources['/deviceManagement/deviceConfigurations'] as unknown[];
  return mergeFixtures(base, { resources: { '/deviceManagement/deviceConfigurations': [...configs, WIFI] } });
}

/** Plain values the fixture tenant holds that must only ever be stored as digests. */
function plainSecrets(fixtures: FakeTenantFixtures): string[] {
  const found: string[] = [WIFI_PSK];
  for (const value of Object.values(fixtures.resources)) {
    for (const obj of Array.isArray(value) ? value : [value]) {
      const script = (obj as { scriptContent?: unknown } | null)?.scriptContent;
      if (typeof script === 'string' && script.length > 0) found.push(script);
    }
  }
  return found;
}

async function startTenant(options: Partial<Omit<FakeGraphOptions, 'tenantId'>> = {}): Promise<FakeGraph> {
  return pool.start({ ...options, fixtures: options.fixtures ?? tenantWithWifi(), tenantId: uniqueId('tenant') });
}

function depsFor(fake: FakeGraph, overrides: { clientSecret?: string } = {}): SyncInventoryDeps & { time: ReturnType<typeof virtualTime> } {
  const time = virtualTime();
  const inventoryReaderFor = registryInventoryReaders(tenantGraphClientFactory({
    credentials: staticTenantCredentialSource({ clientId: fake.clientId, clientSecret: overrides.clientSecret ?? fake.clientSecret }),
    graphBaseUrl: fake.baseUrl,
    tokenUrlTemplate: `${fake.baseUrl}/{tenantId}/oauth2/v2.0/token`,
    client: { sleep: time.sleep, clock: time.clock, random: () => 0.5 },
  }));
  return { runs: repos.runs, inventory: repos.inventory, inventoryReaderFor, digesterFor: (w) => keys.digesterFor(w), now: () => new Date(), time };
}

const request = (fake: FakeGraph, types?: RegistryTypeKey[]) => ({ tenantId: fake.tenantId, workspaceId: 'ws-sync', initiator: 'user-1', ...(types ? { types } : {}) });

async function storedText(tenantId: string, type: RegistryTypeKey): Promise<string> {
  const summaries = await repos.inventory.listSummaries(tenantId, type);
  const contents = await repos.inventory.getContents(tenantId, type, summaries.map((s) => s.externalId));
  return JSON.stringify([summaries, [...contents.values()]]);
}

describe('syncTenantInventory', () => {
  it('syncs every registry type and records coverage in the seed shape', async () => {
    const fixtures = tenantWithWifi();
    const fake = await startTenant({ fixtures });
    const result = await syncTenantInventory(depsFor(fake), request(fake));

    expect(result.outcome).toBe('succeeded');
    expect(Object.keys(result.coverage).sort()).toEqual(['foundation_types', 'policy_types']);
    expect(Object.keys(result.coverage.policy_types).sort()).toEqual([...POLICY_TYPE_KEYS].sort());
    expect(Object.keys(result.coverage.foundation_types).sort()).toEqual([...FOUNDATION_TYPE_KEYS].sort());
    expect(result.coverage.policy_types.deviceConfiguration).toEqual({ status: 'succeeded', item_count: 3, items_from_run: 3 });
    expect(result.coverage.foundation_types.roleScopeTag).toEqual({ status: 'succeeded', item_count: 3, items_from_run: 3 });
    expect(result.requests).toBeGreaterThan(0);

    const run = await repos.runs.get(result.runId);
    expect(run).toMatchObject({ type: 'inventory_sync', status: 'completed', outcome: 'succeeded', workspaceId: 'ws-sync', initiator: 'user-1' });
    expect((run?.context.inventory as { coverage: unknown }).coverage).toEqual(result.coverage);
    expect(run?.summaryCounts).toMatchObject({ types: ALL_TYPES.length, types_failed: 0, graph_requests: result.requests, graph_retries: 0 });

    const storedCounts = Object.fromEntries(await Promise.all(ALL_TYPES.map(async (t) => [t, (await repos.inventory.listSummaries(fake.tenantId, t)).length] as const)));
    const coveredCounts = Object.fromEntries(ALL_TYPES.map((t) => [t, (result.coverage.policy_types[t] ?? result.coverage.foundation_types[t])?.item_count]));
    expect(storedCounts).toEqual(coveredCounts);

    // Secrets reach DynamoDB only as digests: the Wi-Fi key and the scripts' content.
    const secrets = plainSecrets(fixtures);
    expect(secrets.length).toBeGreaterThan(2);
    const text = (await Promise.all(ALL_TYPES.map((t) => storedText(fake.tenantId, t)))).join('\n') + JSON.stringify(run);
    expect(text).toContain('Contoso-Guest');
    expect(text).toContain('hmac-sha256:');
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain(fake.clientSecret);
    for (const token of fake.issuedTokens) expect(text).not.toContain(token);
  });

  it('pages through 130 settings catalog policies at 25 per page, each with its settings fetched', async () => {
    const fake = await startTenant({ fixtures: manyConfigurationPolicies(130, (i) => (i % 3 === 0 ? 60 : 3)), pageSize: 25 });
    const result = await syncTenantInventory(depsFor(fake), request(fake, ['settingsCatalogPolicy']));
    expect(result.coverage).toEqual({ policy_types: { settingsCatalogPolicy: { status: 'succeeded', item_count: 130, items_from_run: 130 } }, foundation_types: {} });
    expect(fake.count('/deviceManagement/configurationPolicies')).toBe(6);
    const summaries = await repos.inventory.listSummaries(fake.tenantId, 'settingsCatalogPolicy');
    expect(summaries).toHaveLength(130);
    const first = summaries.find((s) => s.displayName === 'Generated policy 000')!;
    const [content] = [...(await repos.inventory.getContents(fake.tenantId, 'settingsCatalogPolicy', [first.externalId])).values()];
    expect(JSON.stringify(content)).toContain('device_vendor_msft_policy_config_generated_setting_59');
    expect(first.contentHash).toBeDefined();
  });

  it('a type answering 403 is recorded failed, its inventory untouched, the others succeed', async () => {
    const fixtures = tenantWithWifi();
    const tenantId = uniqueId('tenant');
    const healthy = await pool.start({ fixtures, tenantId });
    const first = await syncTenantInventory(depsFor(healthy), request(healthy));
    const before = await repos.inventory.listSummaries(tenantId, 'securityBaselineIntent');
    expect(before).toHaveLength(2);

    // The tenant now has no intents at all, but Graph refuses the read: nothing may be removed.
    const denied = await pool.start({
      fixtures: mergeFixtures(fixtures, { resources: { '/deviceManagement/intents': [] } }),
      tenantId,
      behaviours: [{ match: '/deviceManagement/intents', status: 403, code: 'Authorization_RequestDenied' }],
    });
    const second = await syncTenantInventory(depsFor(denied), request(denied));
    expect(second.outcome).toBe('partially_succeeded');
    expect(second.coverage.policy_types.securityBaselineIntent).toEqual({ status: 'failed', error: '403 Authorization_RequestDenied' });
    const failed = ALL_TYPES.filter((t) => (second.coverage.policy_types[t] ?? second.coverage.foundation_types[t])?.status !== 'succeeded');
    expect(failed).toEqual(['securityBaselineIntent']);
    const after = await repos.inventory.listSummaries(tenantId, 'securityBaselineIntent');
    expect(after).toEqual(before);
    expect(after.every((s) => s.inventorySyncRunId === first.runId)).toBe(true);
    expect((await repos.inventory.listSummaries(tenantId, 'roleScopeTag')).every((s) => s.observedAt >= before[0]!.observedAt)).toBe(true);
    const run = await repos.runs.get(second.runId);
    expect(run?.failureSummary).toEqual([expect.objectContaining({ code: 'type_failed', count: 1 })]);
  });

  it('a sync interrupted mid-type (a later page fails) leaves that type failed and removes nothing', async () => {
    const tenantId = uniqueId('tenant');
    const fixtures = manyConfigurationPolicies(60, () => 2);
    const healthy = await pool.start({ fixtures, tenantId, pageSize: 25 });
    await syncTenantInventory(depsFor(healthy), request(healthy, ['settingsCatalogPolicy', 'roleScopeTag']));
    expect(await repos.inventory.listSummaries(tenantId, 'settingsCatalogPolicy')).toHaveLength(60);

    const broken = await pool.start({
      fixtures: mergeFixtures(fixtures, { resources: { '/deviceManagement/roleScopeTags': [{ id: '0', displayName: 'Default', description: '' }], '/deviceManagement/roleScopeTags/0/assignments': [] } }),
      tenantId,
      pageSize: 25,
      behaviours: [{ match: (r) => r.path === '/deviceManagement/configurationPolicies' && r.query.has('$skiptoken'), status: 500, code: 'InternalServerError' }],
    });
    const result = await syncTenantInventory(depsFor(broken), request(broken, ['settingsCatalogPolicy', 'roleScopeTag']));
    expect(result.coverage.policy_types.settingsCatalogPolicy).toEqual({ status: 'failed', error: '500 InternalServerError' });
    expect(result.coverage.foundation_types.roleScopeTag).toEqual({ status: 'succeeded', item_count: 1, items_from_run: 1 });
    expect(broken.count('/deviceManagement/configurationPolicies')).toBe(2);
    expect(await repos.inventory.listSummaries(tenantId, 'settingsCatalogPolicy')).toHaveLength(60);
  });

  it('absorbs 429 with and without Retry-After and 503 then success, counting the retries', async () => {
    const fake = await startTenant({
      behaviours: [
        { match: '/deviceManagement/roleScopeTags', status: 429, retryAfter: 7, times: 1 },
        { match: '/deviceManagement/assignmentFilters', status: 429, times: 2 },
        { match: '/identity/conditionalAccess/policies', status: 503, times: 1 },
      ],
    });
    const deps = depsFor(fake);
    const result = await syncTenantInventory(deps, request(fake, ['roleScopeTag', 'assignmentFilter', 'conditionalAccessPolicy']));
    expect(result.outcome).toBe('succeeded');
    expect(result.retries).toBe(4);
    expect(deps.time.sleeps).toContain(7_000);
    expect(deps.time.sleeps.length).toBe(4);
    expect((await repos.runs.get(result.runId))?.summaryCounts.graph_retries).toBe(4);
  });

  it('survives a token expiring mid-sync with one refresh', async () => {
    const fake = await startTenant({ expireTokensAtRequest: 10 });
    const result = await syncTenantInventory(depsFor(fake), request(fake));
    expect(result.outcome).toBe('succeeded');
    expect(fake.tokenRequests()).toBe(2);
    expect(fake.requests.some((r) => r.status === 401)).toBe(true);
  });

  it('a refused client secret fails every type without removing anything or leaking the secret', async () => {
    const fake = await startTenant();
    const result = await syncTenantInventory(depsFor(fake, { clientSecret: 'wrong-secret-value' }), request(fake, ['roleScopeTag', 'shellScript']));
    expect(result.outcome).toBe('failed');
    expect(result.coverage.foundation_types.roleScopeTag?.status).toBe('failed');
    expect(result.coverage.foundation_types.roleScopeTag?.error).toMatch(/^token request failed: 401/);
    expect(JSON.stringify(await repos.runs.get(result.runId))).not.toContain('wrong-secret-value');
  });

  it('credentials that cannot be had fail every type, and the run is completed', async () => {
    const tenantId = uniqueId('tenant');
    const result = await syncTenantInventory(
      {
        runs: repos.runs,
        inventory: repos.inventory,
        inventoryReaderFor: (t) => Promise.reject(new TenantCredentialsUnavailableError(t, 'no entry')),
        digesterFor: (w) => keys.digesterFor(w),
        now: () => new Date(),
      },
      { tenantId, workspaceId: 'ws-sync', initiator: 'system', types: ['roleScopeTag', 'deviceConfiguration'] },
    );
    expect(result.outcome).toBe('failed');
    expect(result.coverage).toEqual({
      policy_types: { deviceConfiguration: { status: 'failed', error: 'credentials_unavailable: tenant_credentials_unavailable' } },
      foundation_types: { roleScopeTag: { status: 'failed', error: 'credentials_unavailable: tenant_credentials_unavailable' } },
    });
    expect(await repos.runs.latestCompleted(tenantId, 'inventory_sync')).toMatchObject({ id: result.runId, outcome: 'failed' });
  });

  it('refuses a second sync of a tenant while one is active', async () => {
    const fake = await startTenant({ latencyMs: 50 });
    const deps = depsFor(fake);
    const first = syncTenantInventory(deps, request(fake, ['roleScopeTag']));
    // The first sync holds the lock from before its first Graph request.
    await new Promise((r) => setTimeout(r, 30));
    const second = syncTenantInventory(deps, request(fake, ['roleScopeTag']));
    await expect(second).rejects.toBeInstanceOf(SyncAlreadyActiveError);
    const done = await first;
    await expect(second).rejects.toMatchObject({ activeRunId: done.runId });
  });
});
