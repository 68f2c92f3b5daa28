/**
 * The caller's token. Locally `npm start` prints the console's address with a development token in the
 * fragment (`#token=...`, never sent to a server); the console moves it into session storage at once
 * and takes it out of the address bar. On AWS the token comes from the OpenID Connect sign-in (see
 * `oidc.ts`). The claims are read (not verified: the API verifies) to show who is signed in, the
 * role's actions and the expiry.
 */

const STORAGE_KEY = 'baseline-drift.token';

export interface TokenClaims {
  subject: string;
  role: 'reader' | 'operator' | 'admin';
  workspaceId: string;
  tenantIds: string[];
  /** Seconds since the epoch. */
  expiresAt?: number;
}

export type TokenState = { state: 'missing' } | { state: 'expired'; claims: TokenClaims } | { state: 'valid'; token: string; claims: TokenClaims } | { state: 'unreadable' };

/** Takes `token=` out of the fragment into session storage; returns whether one was there. */
export function adoptTokenFromFragment(loc: Location = window.location, storage: Storage = window.sessionStorage): boolean {
  const fragment = loc.hash.replace(/^#/, '');
  const params = new URLSearchParams(fragment.startsWith('/') ? (fragment.split('?')[1] ?? '') : fragment);
  const token = params.get('token');
  if (token === null || token.trim() === '') return false;
  storage.setItem(STORAGE_KEY, token.trim());
  window.history.replaceState(null, '', `${loc.pathname}${loc.search}#/`);
  return true;
}

export function storeToken(token: string, storage: Storage = window.sessionStorage): void {
  storage.setItem(STORAGE_KEY, token.trim());
}

export function clearToken(storage: Storage = window.sessionStorage): void {
  storage.removeItem(STORAGE_KEY);
}

export function storedToken(storage: Storage = window.sessionStorage): string | undefined {
  return storage.getItem(STORAGE_KEY) ?? undefined;
}

function base64UrlJson(part: string): unknown {
  const b64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** Claims of a JWT as the API reads them; undefined when it is not a JWT. */
export function readClaims(token: string): TokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  let payload: unknown;
  try {
    payload = base64UrlJson(parts[1]!);
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as Record<string, unknown>;
  const role = p.role === 'admin' || p.role === 'operator' ? p.role : 'reader';
  const tenants = Array.isArray(p.tenant_ids) ? p.tenant_ids.filter((t): t is string => typeof t === 'string') : typeof p.tenant_ids === 'string' ? p.tenant_ids.split(/[\s,]+/).filter(Boolean) : [];
  return {
    subject: typeof p.sub === 'string' ? p.sub : 'unknown',
    role,
    workspaceId: typeof p.workspace_id === 'string' ? p.workspace_id : '',
    tenantIds: tenants,
    ...(typeof p.exp === 'number' ? { expiresAt: p.exp } : {}),
  };
}

export function tokenState(token: string | undefined, now: Date = new Date()): TokenState {
  if (token === undefined || token === '') return { state: 'missing' };
  const claims = readClaims(token);
  if (claims === undefined) return { state: 'unreadable' };
  if (claims.expiresAt !== undefined && claims.expiresAt * 1000 <= now.getTime()) return { state: 'expired', claims };
  return { state: 'valid', token, claims };
}

const RANK = { reader: 0, operator: 1, admin: 2 } as const;
export function roleAtLeast(role: TokenClaims['role'], needed: TokenClaims['role']): boolean {
  return RANK[role] >= RANK[needed];
}
