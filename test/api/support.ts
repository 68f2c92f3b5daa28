/**
 * The API over real HTTP on loopback for a test file: the local stack on the run's DynamoDB Local
 * (own table prefix), the API app on its deps, the local HTTP server with an in-memory development
 * key, and a small client. One stack per file; `stop()` closes the server and the stack.
 */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { SignJWT, importJWK, generateKeyPair } from 'jose';
import { createApiApp } from '../../functions/api/app.js';
import { localApiDeps, type LocalApiDeps } from '../../infra/local/api-deps.js';
import { createDevKey, createDevVerifier, DEV_AUDIENCE, DEV_ISSUER, mintDevToken, type DevKey, type DevRole } from '../../infra/local/dev-auth.js';
import { startHttpServer } from '../../infra/local/http-server.js';
import { startLocalStack, type HandlerWrapper, type LocalStack } from '../../infra/local/stack.js';

export const SECRET_KEY = 'api-test-secret-key-0123456789abcdef';

export interface ApiResponse {
  status: number;
  headers: Headers;
  contentType: string;
  /** Parsed JSON body (undefined when empty). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON body read by the tests
  body: any;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as is (no JSON encoding). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface ApiHarness {
  url: string;
  key: DevKey;
  stack: LocalStack;
  deps: LocalApiDeps;
  token(claims: { workspaceId: string; tenantIds: string[]; role: DevRole; subject?: string; ttlSeconds?: number }): Promise<string>;
  call(method: string, path: string, opts?: CallOptions): Promise<ApiResponse>;
  stop(): Promise<void>;
}

export async function startApiHarness(options: { wrapHandler?: HandlerWrapper } = {}): Promise<ApiHarness> {
  const stack = await startLocalStack({
    endpoint: inject('dynamoEndpoint'),
    prefix: `a${randomUUID().slice(0, 8)}-`,
    retryIntervalOverrides: 0,
    ...(options.wrapHandler ? { wrapHandler: options.wrapHandler } : {}),
  });
  const key = await createDevKey();
  const errors: string[] = [];
  let server: Awaited<ReturnType<typeof startHttpServer>> | undefined;
  try {
    const deps = await localApiDeps(stack, { secretKey: SECRET_KEY, onServerError: (e) => errors.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e)) });
    server = await startHttpServer({ port: 0, handle: createApiApp(deps), verify: createDevVerifier(key) });
    const url = server.url;
    const running = server;
    return {
      url,
      key,
      stack,
      deps,
      token: (claims) => mintDevToken(key, claims),
      async call(method, path, opts = {}) {
        const headers: Record<string, string> = { ...opts.headers };
        if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
        let body: string | undefined = opts.rawBody;
        if (opts.body !== undefined) {
          body = JSON.stringify(opts.body);
          headers['content-type'] ??= 'application/json';
        }
        const res = await fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
        const text = await res.text();
        let parsed: unknown;
        if (text.length > 0) {
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = text;
          }
        }
        return { status: res.status, headers: res.headers, contentType: res.headers.get('content-type') ?? '', body: parsed };
      },
      async stop() {
        await running.close();
        await deps.idle();
        await stack.stop();
        if (errors.length > 0) throw new Error(`server faults during the test: ${errors.join(' | ')}`);
      },
    };
  } catch (err) {
    await server?.close();
    await stack.stop();
    throw err;
  }
}

/** A token with arbitrary header and claims, signed by `key` (or by a fresh key when omitted). */
export async function forgeToken(
  claims: Record<string, unknown>,
  opts: { key?: DevKey; issuer?: string; audience?: string; expiresIn?: number; alg?: 'ES256' | 'ES384' } = {},
): Promise<string> {
  const alg = opts.alg ?? 'ES256';
  let privateKey;
  if (opts.key !== undefined && alg === 'ES256') privateKey = await importJWK(opts.key.privateJwk, 'ES256');
  else privateKey = (await generateKeyPair(alg, { extractable: true })).privateKey;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg, ...(opts.key ? { kid: opts.key.kid } : {}) })
    .setIssuer(opts.issuer ?? DEV_ISSUER)
    .setAudience(opts.audience ?? DEV_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + (opts.expiresIn ?? 600))
    .sign(privateKey);
}

/** An unsigned token (`alg: none`) with the given claims. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ iss: DEV_ISSUER, aud: DEV_AUDIENCE, exp: now + 600, ...claims })}.`;
}

