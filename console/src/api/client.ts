/**
 * The typed API client: openapi-fetch over the types generated from the API's own OpenAPI document
 * (`schema.d.ts`), so a route or field the API does not have is a type error here. Every call goes
 * through `must()`: a problem (application/problem+json) becomes an `ApiProblem` with its title and
 * detail, a 401 tells the session the token is no longer good.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type FindingSummary = Schemas['FindingSummary'];
export type Finding = Schemas['Finding'];
export type OperationRun = Schemas['OperationRun'];
export type BaselineProfile = Schemas['BaselineProfile'];
export type BaselineSnapshot = Schemas['BaselineSnapshot'];
export type Assignment = Schemas['Assignment'];
export type AuditEntry = Schemas['AuditEntry'];
export type Problem = Schemas['Problem'];

export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly extra: { type?: string; requestId?: string; errors?: { path: string; message: string }[]; activeRunId?: string; allowed?: string[] } = {},
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

function isProblem(v: unknown): v is Problem {
  return typeof v === 'object' && v !== null && typeof (v as { title?: unknown }).title === 'string';
}

export function problemOf(body: unknown, response: Response): ApiProblem {
  if (isProblem(body)) {
    return new ApiProblem(response.status, body.title, body.detail, {
      ...(body.type !== undefined ? { type: body.type } : {}),
      ...(body.requestId !== undefined ? { requestId: body.requestId } : {}),
      ...(body.errors !== undefined ? { errors: body.errors } : {}),
      ...(body.activeRunId !== undefined ? { activeRunId: body.activeRunId } : {}),
      ...(body.allowed !== undefined ? { allowed: body.allowed } : {}),
    });
  }
  return new ApiProblem(response.status, `HTTP ${response.status} ${response.statusText}`.trim(), 'The API answered without a problem document.');
}

export type ApiClient = ReturnType<typeof createClient<paths>>;

export function createApiClient(baseUrl: string, token: () => string | undefined, onUnauthorized: () => void): ApiClient {
  const client = createClient<paths>({ baseUrl });
  const auth: Middleware = {
    onRequest({ request }) {
      const t = token();
      if (t !== undefined) request.headers.set('Authorization', `Bearer ${t}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) onUnauthorized();
      return response;
    },
  };
  client.use(auth);
  return client;
}

/** The data of a call, or its problem thrown; a network failure becomes a problem too. */
export async function must<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (err) {
    throw new ApiProblem(0, 'The API could not be reached', `${err instanceof Error ? err.message : String(err)}. Check your connection and try again.`);
  }
  if (result.error !== undefined || !result.response.ok) throw problemOf(result.error, result.response);
  return result.data as T;
}

/** Routes of the API as `METHOD /path`, read from its OpenAPI document (which optional views to show). */
export async function apiRoutes(baseUrl: string): Promise<Set<string>> {
  const res = await fetch(`${baseUrl}/openapi.json`, { headers: { accept: 'application/json' } });
  if (!res.ok) return new Set();
  const doc = (await res.json()) as { paths?: Record<string, Record<string, unknown>> };
  const out = new Set<string>();
  for (const [path, ops] of Object.entries(doc.paths ?? {})) for (const method of Object.keys(ops)) out.add(`${method.toUpperCase()} ${path}`);
  return out;
}
