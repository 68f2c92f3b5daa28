/**
 * Development JWTs for the local API: an ES256 key pair written once under the local state folder,
 * tokens minted with the claims the API reads, and a verifier that accepts and refuses what API
 * Gateway's JWT authorizer would (signature, algorithm, issuer, audience, expiry).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK } from 'jose';

export const DEV_ISSUER = 'https://baseline-drift.local/dev';
export const DEV_AUDIENCE = 'baseline-drift-api';
export const DEV_KEY_FILE = 'dev-jwt-key.json';
const ALG = 'ES256';

export type DevRole = 'reader' | 'operator' | 'admin';

/** The development signing key (private and public JWK of one P-256 key pair). */
export interface DevKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export interface DevTokenClaims {
  workspaceId: string;
  tenantIds: string[];
  role: DevRole;
  /** The caller's user id (`sub`); default `dev-user`. */
  subject?: string;
  /** Lifetime in seconds; default one hour. */
  ttlSeconds?: number;
}

function isDevKey(value: unknown): value is DevKey {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.kid === 'string' && typeof v.privateJwk === 'object' && v.privateJwk !== null && typeof v.publicJwk === 'object' && v.publicJwk !== null;
}

/** A new key pair (not written anywhere). */
export async function createDevKey(): Promise<DevKey> {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const kid = `dev-${randomUUID()}`;
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: ALG, use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' };
  return { kid, privateJwk, publicJwk };
}

/** Reads `<dir>/dev-jwt-key.json`, or creates it (mode 0600) on first call. */
export async function loadOrCreateDevKey(dir: string): Promise<DevKey> {
  const file = join(dir, DEV_KEY_FILE);
  const existing = await readKey(file);
  if (existing !== undefined) return existing;
  await mkdir(dir, { recursive: true });
  const key = await createDevKey();
  try {
    // 'wx': two processes starting at once keep one key, the one written first.
    await writeFile(file, `${JSON.stringify(key, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const raced = await readKey(file);
    if (raced === undefined) throw new Error(`the development key file ${file} is not a valid key: delete it to create a new one`);
    return raced;
  }
}

async function readKey(file: string): Promise<DevKey | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`the development key file ${file} is not JSON: delete it to create a new one`);
  }
  if (!isDevKey(parsed)) throw new Error(`the development key file ${file} is not a valid key: delete it to create a new one`);
  return parsed;
}

/** A signed development token with `sub`, `workspace_id`, `tenant_ids` and `role`. */
export async function mintDevToken(key: DevKey, claims: DevTokenClaims): Promise<string> {
  const privateKey = await importJWK(key.privateJwk, ALG);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ workspace_id: claims.workspaceId, tenant_ids: [...claims.tenantIds], role: claims.role })
    .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
    .setSubject(claims.subject ?? 'dev-user')
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + (claims.ttlSeconds ?? 3600))
    .setJti(randomUUID())
    .sign(privateKey);
}

/**
 * A verifier like API Gateway's JWT authorizer: ES256 signature by the key, issuer, audience, `exp`
 * required and not passed (`nbf` honoured). Anything else (alg none, another algorithm, a tampered
 * token) rejects. Resolves with the token's claims.
 */
export function createDevVerifier(key: DevKey, opts: { issuer?: string; audience?: string } = {}): (token: string) => Promise<Record<string, unknown>> {
  const publicKey = importJWK(key.publicJwk, ALG);
  publicKey.catch(() => undefined); // awaited on each call
  const issuer = opts.issuer ?? DEV_ISSUER;
  const audience = opts.audience ?? DEV_AUDIENCE;
  return async (token) => {
    const { payload } = await jwtVerify(token, await publicKey, { algorithms: [ALG], issuer, audience, requiredClaims: ['exp'] });
    return { ...payload };
  };
}
