/**
 * The local front door on its own: development keys (written once), tokens and the verifier's
 * refusals, and the HTTP server's translation to an API Gateway v2 event (claims as strings, public
 * routes, body limit, handler faults).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp, type ApiDeps } from '../../functions/api/app.js';
import { callerFromClaims, parseListClaim } from '../../functions/api/auth.js';
import { createDevKey, createDevVerifier, DEV_KEY_FILE, loadOrCreateDevKey, mintDevToken, type DevKey } from '../../infra/local/dev-auth.js';
import { startHttpServer, type RunningHttpServer } from '../../infra/local/http-server.js';
import { forgeToken, unsignedToken } from './support.js';

describe('development keys and tokens', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drift-dev-key-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the key once (owner-only) and reads the same key afterwards', async () => {
    const first = await loadOrCreateDevKey(join(dir, 'state'));
    const file = join(dir, 'state', DEV_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = await loadOrCreateDevKey(join(dir, 'state'));
    expect(again).toEqual(first);
    expect(JSON.parse(readFileSync(file, 'utf8')).kid).toBe(first.kid);
    expect(first.publicJwk.d).toBeUndefined();
  });

  it('mints tokens the verifier accepts, with the claims the API reads', async () => {
    const key = await createDevKey();
    const token = await mintDevToken(key, { workspaceId: 'ws-1', tenantIds: ['t-1', 't-2'], role: 'operator', subject: 'sam' });
    const claims = await createDevVerifier(key)(token);
    expect(claims).toMatchObject({ sub: 'sam', workspace_id: 'ws-1', tenant_ids: ['t-1', 't-2'], role: 'operator', iss: 'https://baseline-drift.local/dev', aud: 'baseline-drift-api' });
  });

  it('refuses alg none, another key, another algorithm, expiry, wrong issuer or audience, and a missing exp', async () => {
    const key = await createDevKey();
    const verify = createDevVerifier(key);
    const claims = { sub: 'x', workspace_id: 'ws', tenant_ids: ['t'], role: 'admin' };
    const bad = [
      unsignedToken(claims),
      await forgeToken(claims),
      await forgeToken(claims, { alg: 'ES384' }),
      await forgeToken(claims, { key, expiresIn: -60 }),
      await forgeToken(claims, { key, issuer: 'https://elsewhere.example' }),
      await forgeToken(claims, { key, audience: 'other' }),
    ];
    for (const token of bad) await expect(verify(token)).rejects.toThrow();
    await expect(createDevVerifier(key, { audience: 'another-api' })(await mintDevToken(key, { workspaceId: 'ws', tenantIds: [], role: 'reader' }))).rejects.toThrow();
  });
});

describe('claims as API Gateway passes them', () => {
  it('reads tenant_ids as a list, "[a b]", a JSON array text or a comma list', () => {
    expect(parseListClaim(['a', 'b'])).toEqual(['a', 'b']);
    expect(parseListClaim('[a b]')).toEqual(['a', 'b']);
    expect(parseListClaim('["a","b"]')).toEqual(['a', 'b']);
    expect(parseListClaim('a,b')).toEqual(['a', 'b']);
    expect(parseListClaim('[]')).toEqual([]);
    expect(parseListClaim(3)).toBeUndefined();
    expect(parseListClaim([1, 2])).toBeUndefined();
  });

  it('builds the caller or refuses with 401', () => {
    expect(callerFromClaims({ sub: 's', workspace_id: 'ws', tenant_ids: '[t1 t2]', role: 'admin' })).toMatchObject({ subject: 's', workspaceId: 'ws', role: 'admin' });
    expect([...callerFromClaims({ sub: 's', workspace_id: 'ws', tenant_ids: '[t1 t2]', role: 'admin' }).tenantIds]).toEqual(['t1', 't2']);
    for (const claims of [{}, { sub: 's', workspace_id: 'ws', role: 'admin' }, { sub: 's', workspace_id: 'w#s', tenant_ids: [], role: 'admin' }, { sub: 's', workspace_id: 'ws', tenant_ids: [], role: 'owner' }]) {
      expect(() => callerFromClaims(claims)).toThrow(expect.objectContaining({ status: 401 }));
    }
  });
});

describe('the local HTTP server', () => {
  let key: DevKey;
  let server: RunningHttpServer;
  const seen: APIGatewayProxyEventV2WithJWTAuthorizer[] = [];

  beforeAll(async () => {
    key = await createDevKey();
    server = await startHttpServer({
      port: 0,
      maxBodyBytes: 1000,
      verify: createDevVerifier(key),
      handle: (event) => {
        seen.push(event);
        if (event.rawPath === '/boom') return Promise.reject(new Error('internal detail that must not leak'));
        return Promise.resolve({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ok: true }) });
      },
    });
  });
  afterAll(() => server.close());

  it('binds to loopback on a free port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('passes a verified request as an API Gateway v2 event with string claims', async () => {
    const token = await mintDevToken(key, { workspaceId: 'ws-9', tenantIds: ['t-1', 't-2'], role: 'reader', subject: 'rita' });
    const res = await fetch(`${server.url}/tenants/t-1/findings?status=new&status=triaged`, { headers: { authorization: `Bearer ${token}`, 'x-correlation-id': 'c-1' } });
    expect(res.status).toBe(200);
    const event = seen.at(-1)!;
    expect(event.version).toBe('2.0');
    expect(event.rawPath).toBe('/tenants/t-1/findings');
    expect(event.queryStringParameters).toEqual({ status: 'new,triaged' });
    expect(event.headers['x-correlation-id']).toBe('c-1');
    expect(event.requestContext.http.method).toBe('GET');
    expect(event.requestContext.authorizer.jwt.claims).toMatchObject({ sub: 'rita', workspace_id: 'ws-9', tenant_ids: '[t-1 t-2]', role: 'reader' });
    expect(typeof event.requestContext.authorizer.jwt.claims.exp).toBe('string');
  });

  it('answers 401 before the handler for a missing or bad token, and lets public routes through', async () => {
    const before = seen.length;
    expect((await fetch(`${server.url}/tenants/t-1/findings`)).status).toBe(401);
    const bad = await fetch(`${server.url}/tenants/t-1/findings`, { headers: { authorization: `Bearer ${unsignedToken({ role: 'admin' })}` } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    expect(seen.length).toBe(before);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect(seen.length).toBe(before + 1);
  });

  it('refuses a body over the limit with 413 and hides handler faults behind a fixed 500', async () => {
    const token = await mintDevToken(key, { workspaceId: 'ws', tenantIds: [], role: 'admin' });
    const big = await fetch(`${server.url}/x`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: 'x'.repeat(2000) });
    expect(big.status).toBe(413);
    const boom = await fetch(`${server.url}/boom`, { headers: { authorization: `Bearer ${token}` } });
    expect(boom.status).toBe(500);
    expect(await boom.text()).not.toContain('internal detail');
  });
});

describe('server faults in the app', () => {
  const claims = { sub: 's', workspace_id: 'ws', tenant_ids: '[t-1]', role: 'reader' };
  function appWith(fault: Error, seen: unknown[]) {
    const fail = () => Promise.reject(fault);
    const deps = {
      profiles: { listByWorkspace: fail },
      findings: { list: fail },
      onServerError: (e: unknown) => seen.push(e),
    } as unknown as ApiDeps;
    return createApiApp(deps);
  }
  function get(path: string): APIGatewayProxyEventV2WithJWTAuthorizer {
    return {
      version: '2.0',
      routeKey: '$default',
      rawPath: path,
      rawQueryString: '',
      headers: {},
      requestContext: {
        accountId: '1',
        apiId: 'a',
        authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } },
        domainName: 'd',
        domainPrefix: 'd',
        http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 't' },
        requestId: 'req-42',
        routeKey: '$default',
        stage: '$default',
        time: '',
        timeEpoch: 0,
      },
      isBase64Encoded: false,
    };
  }

  it('answers an unexpected error with a fixed 500 problem and the request id, and reports the error', async () => {
    const seen: unknown[] = [];
    const res = await appWith(new TypeError('cannot read properties of table-internal-name'), seen)(get('/baseline-profiles'));
    expect(res.statusCode).toBe(500);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    const body = JSON.parse(res.body!);
    expect(body).toMatchObject({ type: 'https://baseline-drift.dev/problems/internal', status: 500, requestId: 'req-42' });
    expect(res.body).not.toContain('table-internal-name');
    expect(res.body).not.toContain('TypeError');
    expect(seen).toHaveLength(1);
  });

  it('answers throttling with 503 and Retry-After', async () => {
    const throttled = new Error('Rate exceeded');
    throttled.name = 'ProvisionedThroughputExceededException';
    const res = await appWith(throttled, [])(get('/tenants/t-1/findings'));
    expect(res.statusCode).toBe(503);
    expect(res.headers?.['retry-after']).toBeDefined();
    expect(res.body).not.toContain('Rate exceeded');
  });
});
