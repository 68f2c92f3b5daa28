/**
 * App-only access tokens for Microsoft Graph (OAuth 2.0 client credentials against Entra ID).
 *
 * Plain `fetch` rather than MSAL: MSAL refuses authorities that are not HTTPS, which rules out the
 * local token endpoint the tests run against, and the flow is one form POST.
 */
import { GraphTokenError } from './errors.js';
import { globalFetch, realClock, type Clock, type FetchLike } from './ports.js';

export interface AccessTokenProvider {
  /** A valid bearer token; fetched once and reused until shortly before it expires. */
  getToken(): Promise<string>;
  /**
   * Drops the cached token after Graph answered 401. Given the token that was refused, it drops the
   * cache only if that token is still the cached one, so concurrent 401s cause a single refresh.
   */
  invalidate(refusedToken?: string): void;
}

export interface ClientCredentialsConfig {
  /** Entra tenant id (GUID) or a verified domain. */
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Graph base URL the token is for; the scope is `<graphBaseUrl>/.default`. */
  graphBaseUrl?: string;
  /** Token endpoint; default `https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token`. */
  tokenUrl?: string;
  /** Refresh this long before `expires_in` ends (default 5 minutes). */
  refreshMarginMs?: number;
  /** Abort a token request after this long (default 30 s). */
  timeoutMs?: number;
  fetch?: FetchLike;
  clock?: Clock;
}

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com';
export const DEFAULT_TOKEN_URL_TEMPLATE = 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token';

export function defaultTokenUrl(tenantId: string): string {
  return DEFAULT_TOKEN_URL_TEMPLATE.replace('{tenant}', encodeURIComponent(tenantId));
}

export function createClientCredentialsTokenProvider(config: ClientCredentialsConfig): AccessTokenProvider {
  const fetchFn = config.fetch ?? globalFetch;
  const clock = config.clock ?? realClock;
  const graphBaseUrl = (config.graphBaseUrl ?? DEFAULT_GRAPH_BASE_URL).replace(/\/+$/, '');
  const tokenUrl = config.tokenUrl ?? defaultTokenUrl(config.tenantId);
  const refreshMarginMs = config.refreshMarginMs ?? 5 * 60_000;
  const timeoutMs = config.timeoutMs ?? 30_000;

  let cached: { token: string; refreshAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  async function requestToken(): Promise<string> {
    const form = new URLSearchParams({
      client_id: config.clientId,
      client_secret: config.clientSecret,
      scope: `${graphBaseUrl}/.default`,
      grant_type: 'client_credentials',
    });
    let response: Response;
    try {
      response = await fetchFn(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      throw new GraphTokenError(0, 'network_error');
    }
    const body = await readJson(response);
    if (!response.ok) throw new GraphTokenError(response.status, entraErrorCode(body));
    const token = body?.access_token;
    const expiresIn = Number(body?.expires_in);
    if (typeof token !== 'string' || token === '' || !Number.isFinite(expiresIn)) {
      throw new GraphTokenError(response.status, 'malformed_token_response');
    }
    // A token shorter-lived than the margin is still used once rather than refetched on every call.
    const lifetimeMs = Math.max(expiresIn * 1000 - refreshMarginMs, Math.min(expiresIn * 1000, 30_000));
    cached = { token, refreshAt: clock() + lifetimeMs };
    return token;
  }

  return {
    getToken(): Promise<string> {
      if (cached && clock() < cached.refreshAt) return Promise.resolve(cached.token);
      // Concurrent callers share one token request.
      inFlight ??= requestToken().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate(refusedToken?: string): void {
      if (refusedToken === undefined || cached?.token === refusedToken) cached = undefined;
    },
  };
}

type TokenResponseBody = {
  access_token?: unknown;
  expires_in?: unknown;
  error?: unknown;
  error_codes?: unknown;
} | null;

async function readJson(response: Response): Promise<TokenResponseBody> {
  try {
    const parsed: unknown = await response.json();
    return parsed !== null && typeof parsed === 'object' ? parsed : null;
  } catch {
    return null;
  }
}

/** `invalid_client AADSTS7000215`: the OAuth error plus the first Entra code; no description text. */
function entraErrorCode(body: TokenResponseBody): string {
  const error = typeof body?.error === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(body.error) ? body.error : 'http_error';
  const codes = body?.error_codes;
  const first: unknown = Array.isArray(codes) ? codes[0] : undefined;
  return typeof first === 'number' && Number.isInteger(first) ? `${error} AADSTS${first}` : error;
}
