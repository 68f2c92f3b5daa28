/**
 * The Graph client against a local Graph-compatible server over real HTTP on loopback: token,
 * paging, retries (429 / 503 / network), token refresh, permanent errors, concurrency and $batch.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createClientCredentialsTokenProvider } from '../../shared/adapters/graph/token-provider.js';
import { ForbiddenGraphRequestError, GraphHttpError, GraphProtocolError, GraphTokenError } from '../../shared/adapters/graph/errors.js';
import { parseRetryAfter } from '../../shared/adapters/graph/backoff.js';
import { buildQuery, concreteCollectionName } from '../../shared/adapters/graph/paths.js';
import { clientFor, fakeGraphPool } from '../support/fake-graph/harness.js';
import { loadGraphTenant, manyConfigurationPolicies, mergeFixtures } from '../support/fake-graph/tenant.js';

const pool = fakeGraphPool();
afterAll(() => pool.closeAll());

const POLICIES = '/deviceManagement/configurationPolicies';
const tenant = loadGraphTenant();

describe('token provider', () => {
  it('gets a client-credentials token once and reuses it', async () => {
    const fake = await pool.start({ fixtures: tenant });
    const { client } = clientFor(fake);
    await client.getAllPages(POLICIES, undefined, { apiVersion: 'beta' });
    await client.getAllPages('/deviceManagement/intents', undefined, { apiVersion: 'beta' });
    await client.get('/deviceManagement/deviceManagementScripts/aec0ffee-0001-4000-8000-000000000001', undefined, { apiVersion: 'beta' });
    expect(fake.tokenRequests()).toBe(1);
    expect(fake.issuedTokens).toHaveLength(1);
  });

  it('refreshes a token shortly before it expires', async () => {
    const fake = await pool.start({ fixtures: tenant, tokenLifetimeSeconds: 3599 });
    let now = 0;
    const provider = createClientCredentialsTokenProvider({
      tenantId: fake.tenantId,
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
      graphBaseUrl: fake.baseUrl,
      tokenUrl: fake.tokenUrl,
      clock: () => now,
    });
    const first = await provider.getToken();
    now = 3599_000 - 6 * 60_000;
    expect(await provider.getToken()).toBe(first);
    now = 3599_000 - 4 * 60_000;
    const second = await provider.getToken();
    expect(second).not.toBe(first);
    expect(fake.tokenRequests()).toBe(2);
  });

  it('shares one token request between concurrent callers', async () => {
    const fake = await pool.start({ fixtures: tenant });
    const { tokenProvider } = clientFor(fake);
    const tokens = await Promise.all(Array.from({ length: 10 }, () => tokenProvider.getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(fake.tokenRequests()).toBe(1);
  });

  it('reports a refused secret by status and Entra code only, without the secret', async () => {
    const fake = await pool.start({ fixtures: tenant });
    const wrongSecret = 'wrong-secret-value-1234567890';
    const { client } = clientFor(fake, { clientSecret: wrongSecret });
    const error = await client.getAllPages(POLICIES, undefined, { apiVersion: 'beta' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphTokenError);
    expect((error as GraphTokenError).message).toBe('token request failed: 401 invalid_client AADSTS7000215');
    expect(JSON.stringify(error)).not.toContain(wrongSecret);
    expect(String((error as Error).stack)).not.toContain(wrongSecret);
    // A refused secret is permanent: no retry storm against the token endpoint.
    expect(fake.tokenRequests()).toBe(1);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('paging', () => {
  it('follows absolute nextLinks across many pages (130 policies at 25 per page)', async () => {
    const fake = await pool.start({ fixtures: manyConfigurationPolicies(130, () => 1), pageSize: 25 });
    const { client } = clientFor(fake);
    const items = await client.getAllPages(POLICIES, { $top: '1000' }, { apiVersion: 'beta' });
    expect(items).toHaveLength(130);
    expect(new Set(items.map((item) => item.id)).size).toBe(130);
    expect(items[0]?.name).toBe('Generated policy 000');
    expect(items[129]?.name).toBe('Generated policy 129');
    expect(fake.count(POLICIES)).toBe(6);
    // The query of the first request travels on in every nextLink, as Graph does.
    expect(fake.requests.every((r) => r.version === 'beta' && new URLSearchParams(r.query).get('$top') === '1000')).toBe(true);
    expect(fake.requests.filter((r) => new URLSearchParams(r.query).has('$skiptoken'))).toHaveLength(5);
  });

  it('refuses a nextLink that leaves the configured Graph host', async () => {
    const fake = await pool.start({ fixtures: tenant });
    const { client } = clientFor(fake, {
      fetch: async (url, init) => {
        const response = await fetch(url, init);
        if (!url.includes('/beta/')) return response;
        const body = (await response.json()) as Record<string, unknown>;
        body['@odata.nextLink'] = 'https://graph.example.invalid/beta/deviceManagement/configurationPolicies?$skiptoken=x';
        return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
      },
    });
    const error = await client.getAllPages(POLICIES, undefined, { apiVersion: 'beta' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphProtocolError);
    expect((error as Error).message).toBe('nextLink leaves the configured Graph host');
  });
});

describe('retries', () => {
  it('waits as long as Retry-After says on a 429, then succeeds', async () => {
    const fake = await pool.start({ fixtures: tenant, behaviours: [{ match: POLICIES, status: 429, retryAfter: 7, times: 1 }] });
    const { client, time } = clientFor(fake);
    const items = await client.getAllPages(POLICIES, undefined, { apiVersion: 'beta' });
    expect(items).toHaveLength(3);
    expect(time.sleeps).toEqual([7_000]);
    expect(client.stats()).toMatchObject({ requests: 2, retries: 1 });
  });

  it('backs off exponentially with full jitter on a 429 without Retry-After', async () => {
    const fake = await pool.start({ fixtures: tenant, behaviours: [{ match: POLICIES, status: 429, times: 3 }] });
    const { client, time } = clientFor(fake, { backoff: { baseDelayMs: 1_000, maxDelayMs: 60_000 } });
    await client.getAllPages(POLICIES, undefined, { apiVersion: 'beta' });
    // random() = 0.5 of windows 1 s, 2 s, 4 s.
    expect(time.sleeps).toEqual([500, 1_000, 2_000]);
  });

  it('caps the backoff window at the configured maximum', async () => {
    const fake = await pool.start({ fixtures: tenant, behaviours: [{ match: POLICIES, status: 503, times: 8 }] });
    const { client, time } = clientFor(fake, { backoff: { baseDelayMs: 1_000, maxDelayMs: 60_000 }, random: () => 0.999 });
    await client.getAllPages(POLICIES, undefined, { apiVersion: 'beta' });
    expect(Math.max(...time.sleeps)).toBeLessThan(60_000);
    expect(time.sleeps.at(-1)).toBeGreaterThan(59_000);
  });

  it('retries a 503 and a 504 then succeeds', async () => {
    const fake = await pool.start({
      fixtures: tenant,
      behaviours: [
        { match: POLICIES, status: 503, times: 1 },
        { match: POLICIES, status: 504, times: 1 },
      ],
    });
    const { client } = clientFor(fake);
    expect(await client.getAllPages(POLICIES, undefined, { apiVersion: 'beta' })).toHaveLength(3);
    expect(fake.requests.map((r) => r.status)).toEqual([503, 504, 200]);
  });

  it('retries after a network error', async () => {
    const fake = await pool.start({ fixtures: tenant });
    let failures = 1;
    const { client } = clientFor(fake, {
      fetch: (url, init) => {
        if (url.includes('/beta/') && failures > 0) {
          failures -= 1;
          return Promise.reject(new TypeError('fetch failed'));
        }
        return fetch(url, init);
      },
    });
    expect(await client.getAllPages(POLICIES, undefined, { apiVersion: 'beta' })).toHaveLength(3);
    expect(client.stats().retries).toBe(1);
  });

  it('gives up when the next wait would overrun the budget', async () => {
    const fake = await pool.start({ fixtures: tenant, behaviours: [{ match: POLICIES, status: 429, retryAfter: 40 }] });
    const { client, time } = clientFor(fake);
    const error = await client
      .getAllPages(POLICIES, undefined, { apiVersion: 'beta', budget: client.newBudget(60_000) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphHttpError);
    expect((error as Error).message).toBe('429 TooManyRequests (retry budget exhausted)');
    expect(time.sleeps).toEqual([40_000]);
    expect(fake.count(POLICIES)).toBe(2);
  });

  it('stops after the configured number of retries', async () => {
    const fake = await pool.start({ fixtures: tenant, behaviours: [{ match: POLICIES, status: 503 }] });
    const { client } = clientFor(fake, { maxRetries: 2 });
    const error = await client.getAllPages(POLICIES, undefined, { apiVersion: 'beta' }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('503 ServiceUnavailable (retries exhausted)');
    expect(fake.count(POLICIES)).toBe(3);
  });

  it('treats a request that takes too long as a network failure and retries it', async () => {
    const fake = await pool.start({ fixtures: tenant, latencyMs: 300 });
    const { client } = clientFor(fake, { maxRetries: 1, requestTimeoutMs: 50 });
    const error = await client.getAllPages(POLICIES, undefined, { apiVersion: 'beta' }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('network timeout');
    expect(client.stats()).toMatchObject({ requests: 2, retries: 1 });
  });

  it('does not retry 400, 403 or 404', async () => {
    for (const [status, code] of [
      [400, 'BadRequest'],
      [403, 'Authorization_RequestDenied'],
      [404, 'ResourceNotFound'],
    ] as const) {
      const fake = await pool.start({ fixtures: tenant, behaviours: [{ match: POLICIES, status, code }] });
      const { client, time } = clientFor(fake);
      const error = await client.getAllPages(POLICIES, undefined, { apiVersion: 'beta' }).catch((e: unknown) => e);
      expect((error as Error).message).toBe(`${status} ${code}`);
      expect(fake.count(POLICIES)).toBe(1);
      expect(time.sleeps).toEqual([]);
    }
  });

  it('refreshes an expired token once and carries on', async () => {
    const fake = await pool.start({ fixtures: manyConfigurationPolicies(100, () => 1), pageSize: 25, expireTokensAtRequest: 3 });
    const { client } = clientFor(fake);
    expect(await client.getAllPages(POLICIES, undefined, { apiVersion: 'beta' })).toHaveLength(100);
    expect(fake.tokenRequests()).toBe(2);
    expect(fake.requests.map((r) => r.status)).toEqual([200, 200, 401, 200, 200]);
  });

  it('fails with 401 when a fresh token is refused as well', async () => {
    const fake = await pool.start({ fixtures: tenant, behaviours: [{ match: POLICIES, status: 401, code: 'InvalidAuthenticationToken' }] });
    const { client } = clientFor(fake);
    const error = await client.getAllPages(POLICIES, undefined, { apiVersion: 'beta' }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('401 InvalidAuthenticationToken');
    expect(fake.tokenRequests()).toBe(2);
    expect(fake.count(POLICIES)).toBe(2);
  });
});

describe('safety and concurrency', () => {
  it('refuses to call getOmaSettingPlainTextValue', async () => {
    const fake = await pool.start({ fixtures: tenant });
    const { client } = clientFor(fake);
    const path = "/deviceManagement/deviceConfigurations/b2c0ffee-0001-4000-8000-000000000001/getOmaSettingPlainTextValue(secretReferenceValueId='c3c0ffee-5ec7-4000-8000-00000000e001')";
    await expect(client.get(path, undefined, { apiVersion: 'beta' })).rejects.toBeInstanceOf(ForbiddenGraphRequestError);
    await expect(client.batchGet([{ id: 'a', url: path }, { id: 'b', url: POLICIES }])).rejects.toBeInstanceOf(ForbiddenGraphRequestError);
    expect(fake.requests).toHaveLength(0);
  });

  it('keeps at most the configured number of requests in flight', async () => {
    const fake = await pool.start({ fixtures: tenant, latencyMs: 15 });
    const { client } = clientFor(fake, { concurrency: 4 });
    await Promise.all(Array.from({ length: 24 }, () => client.getAllPages(POLICIES, undefined, { apiVersion: 'beta' })));
    expect(fake.maxInFlight()).toBeLessThanOrEqual(4);
    expect(fake.maxInFlight()).toBeGreaterThan(1);
    expect(fake.count(POLICIES)).toBe(24);
  });
});

describe('$batch', () => {
  const many = manyConfigurationPolicies(45, (i) => (i === 7 ? 60 : 2));
  const ids = (many.resources[POLICIES] as { id: string }[]).map((p) => p.id);
  const settingsRequests = ids.map((id, i) => ({ id: String(i), url: `${POLICIES}/${id}/settings`, paged: true }));

  it('sends 20 requests per POST and matches out-of-order answers by id', async () => {
    const fake = await pool.start({ fixtures: many });
    const { client } = clientFor(fake, { defaultApiVersion: 'beta' });
    const results = await client.batchGet(settingsRequests);
    expect(results.size).toBe(45);
    ids.forEach((id, i) => {
      const result = results.get(String(i));
      expect(result?.ok).toBe(true);
      const settings = (result as { ok: true; body: Record<string, unknown> }).body.value as {
        settingInstance: { simpleSettingValue: { value: number } };
      }[];
      expect(settings).toHaveLength(i === 7 ? 60 : 2);
      expect(settings[0]?.settingInstance.simpleSettingValue.value).toBe(i * 1000);
    });
    // 45 requests in 3 POSTs, then the 2 further pages of policy 7's 60 settings: one plain GET each.
    expect(fake.count('/$batch')).toBe(3);
    expect(fake.count(/\/settings$/, { inBatch: true })).toBe(45);
    expect(fake.count(`${POLICIES}/${ids[7]}/settings`, { inBatch: false })).toBe(2);
  });

  it('re-sends only the throttled item, after its own Retry-After', async () => {
    const throttled = `${POLICIES}/${ids[3]}/settings`;
    const fake = await pool.start({ fixtures: many, behaviours: [{ match: throttled, status: 429, retryAfter: 3, times: 1 }] });
    const { client, time } = clientFor(fake, { defaultApiVersion: 'beta' });
    const results = await client.batchGet(settingsRequests.slice(0, 20));
    expect([...results.values()].every((r) => r.ok)).toBe(true);
    expect(fake.count(throttled)).toBe(2);
    expect(fake.count(`${POLICIES}/${ids[4]}/settings`)).toBe(1);
    expect(time.sleeps).toEqual([3_000]);
    expect(client.stats().retries).toBe(1);
  });

  it('judges each item by its own status', async () => {
    const denied = `${POLICIES}/${ids[1]}/settings`;
    const fake = await pool.start({ fixtures: many, behaviours: [{ match: denied, status: 403 }] });
    const { client } = clientFor(fake, { defaultApiVersion: 'beta' });
    const results = await client.batchGet(settingsRequests.slice(0, 5));
    expect(results.get('1')).toMatchObject({ ok: false });
    expect((results.get('1') as { error: Error }).error.message).toBe('403 Authorization_RequestDenied');
    expect(['0', '2', '3', '4'].every((id) => results.get(id)?.ok)).toBe(true);
  });

  it('retries a whole batch answered 503 and refreshes a token refused for the batch', async () => {
    const fake = await pool.start({
      fixtures: mergeFixtures(tenant, many),
      behaviours: [{ match: '/$batch', status: 503, retryAfter: 1, times: 1 }],
      expireTokensAtRequest: 2,
    });
    const { client } = clientFor(fake, { defaultApiVersion: 'beta' });
    const results = await client.batchGet(settingsRequests.slice(0, 6));
    expect([...results.values()].filter((r) => r.ok)).toHaveLength(6);
    expect(fake.requests.filter((r) => !r.inBatch).map((r) => r.status)).toEqual([503, 401, 200]);
    expect(fake.tokenRequests()).toBe(2);
  });
});

describe('request building', () => {
  it('derives concrete collections from @odata.type as Graph names its entity sets', () => {
    expect(concreteCollectionName('#microsoft.graph.iosManagedAppProtection')).toBe('iosManagedAppProtections');
    expect(concreteCollectionName('#microsoft.graph.windowsInformationProtectionPolicy')).toBe('windowsInformationProtectionPolicies');
    expect(concreteCollectionName('microsoft.graph.mdmWindowsInformationProtectionPolicy')).toBe('mdmWindowsInformationProtectionPolicies');
    expect(() => concreteCollectionName('#microsoft.graph.x/../../secrets')).toThrow(GraphProtocolError);
  });

  it('keeps the $ of query options and encodes their values', () => {
    expect(buildQuery({ $expand: 'apps,assignments', $filter: "isBuiltIn eq false" })).toBe(
      '?$expand=apps,assignments&$filter=isBuiltIn%20eq%20false',
    );
    expect(buildQuery({})).toBe('');
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2025-06-01T00:00:00Z');
    expect(parseRetryAfter('12', now)).toBe(12_000);
    expect(parseRetryAfter('Sun, 01 Jun 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
