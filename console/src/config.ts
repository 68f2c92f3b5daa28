/**
 * Where the console finds the API and how it signs in. On AWS the deployment writes `config.json` beside
 * the console (the API's URL, the stage's OpenID Connect issuer and the console's client id); locally
 * there is none: the API is the console's own origin and the token comes from `npm start`'s link.
 */

export type ConsoleConfig =
  | { signIn: 'token'; apiUrl: string }
  | { signIn: 'oidc'; apiUrl: string; issuer: string; clientId: string; scope: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses `config.json`; throws with what is wrong. */
export function parseConfig(raw: unknown, origin: string): ConsoleConfig {
  if (!isRecord(raw)) throw new Error('config.json is not a JSON object');
  const apiUrl = typeof raw.apiUrl === 'string' && raw.apiUrl !== '' ? raw.apiUrl.replace(/\/+$/, '') : origin;
  if (raw.signIn === undefined || raw.signIn === 'token') return { signIn: 'token', apiUrl };
  if (raw.signIn !== 'oidc') throw new Error(`config.json: signIn is "token" or "oidc", not ${JSON.stringify(raw.signIn)}`);
  if (typeof raw.issuer !== 'string' || !/^https:\/\//.test(raw.issuer)) throw new Error('config.json: issuer must be an https URL');
  if (typeof raw.clientId !== 'string' || raw.clientId === '') throw new Error('config.json: clientId is missing');
  return { signIn: 'oidc', apiUrl, issuer: raw.issuer, clientId: raw.clientId, scope: typeof raw.scope === 'string' && raw.scope !== '' ? raw.scope : 'openid profile' };
}

export async function loadConfig(base: string = import.meta.env.BASE_URL): Promise<ConsoleConfig> {
  const res = await fetch(`${base}config.json`, { cache: 'no-store', headers: { accept: 'application/json' } });
  if (res.status === 404 || res.status === 403) return { signIn: 'token', apiUrl: window.location.origin };
  if (!res.ok) throw new Error(`config.json could not be read (HTTP ${res.status})`);
  return parseConfig(await res.json(), window.location.origin);
}
