/**
 * The portal HTTP API as one function of an API Gateway v2 event: one request pipeline for every route
 * (correlation id -> route -> caller and role -> path, query, header and body validation -> use case),
 * one error mapper to application/problem+json. It runs the same behind API Gateway (Lambda) and
 * behind the local HTTP server.
 */
import { randomUUID } from 'node:crypto';
import Router from 'find-my-way';
import { z } from 'zod';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { callerFromClaims, roleAtLeast, type Caller } from './auth.js';
import { buildOpenApiDocument } from './openapi.js';
import type { HttpProblem} from './problems.js';
import { mapError, PROBLEM_CONTENT_TYPE, problems, validationProblem } from './problems.js';
import { GROUP_MAPPING_ROUTES } from './group-mappings.js';
import { SUBJECT_LINK_ROUTES } from './subject-link-routes.js';
import { EVIDENCE_ROUTES } from './evidence-routes.js';
import { FLEET_ROUTES } from './fleet-routes.js';
import { TENANT_ROUTES } from './tenant-routes.js';
import { WEBHOOK_ROUTES } from './webhook-routes.js';
import { ASSIGNMENT_ROUTES } from './assignment-routes.js';
import { FINDING_ROUTES } from './finding-routes.js';
import { PROFILE_ROUTES } from './profile-routes.js';
import { RUN_ROUTES } from './run-routes.js';
import { type AnyRoute, type ApiDeps, type HttpMethod, type ResolvedDeps, type RouteResponse } from './routes.js';

export type { ApiDeps } from './routes.js';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;
export type ApiApp = (event: ApiEvent) => Promise<ApiResult>;

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Deeper JSON than this is refused before any use case sees it. */
export const MAX_BODY_DEPTH = 64;

const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const CORRELATION_ID = /^[A-Za-z0-9._:@-]{1,128}$/;
const idempotencyKeyHeader = z.string().regex(/^[\x21-\x7e]{1,128}$/, 'must be 1-128 visible ASCII characters');
const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;.*)?$/i;

/** The document route, served from the same table it describes. */
function openApiRoute(document: () => Record<string, unknown>): AnyRoute {
  return {
    method: 'GET',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This API as an OpenAPI 3.1 document',
    tag: 'meta',
    access: 'public',
    responses: { 200: { description: 'The OpenAPI document' } },
    handle: () => Promise.resolve({ status: 200, body: document() }),
  };
}

/** Every route of the API, the document route included. */
export function apiRoutes(): AnyRoute[] {
  let doc: Record<string, unknown> | undefined;
  const routes: AnyRoute[] = [...PROFILE_ROUTES, ...ASSIGNMENT_ROUTES, ...RUN_ROUTES, ...FINDING_ROUTES, ...GROUP_MAPPING_ROUTES, ...SUBJECT_LINK_ROUTES, ...TENANT_ROUTES, ...WEBHOOK_ROUTES, ...FLEET_ROUTES, ...EVIDENCE_ROUTES];
  routes.push(openApiRoute(() => (doc ??= buildOpenApiDocument(routes))));
  return routes;
}

/** The OpenAPI document of the API. */
export function openApiDocument(): Record<string, unknown> {
  return buildOpenApiDocument(apiRoutes());
}

function header(event: ApiEvent, name: string): string | undefined {
  const headers = event.headers ?? {};
  const direct = headers[name];
  if (direct !== undefined) return direct;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** Nesting depth of parsed JSON, without recursion; stops counting past `max`. */
function depthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, d + 1]);
    }
  }
  return false;
}

function parse<T extends z.ZodType>(schema: T, value: unknown, where: 'path' | 'query' | 'body' | 'header'): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationProblem(where, result.error);
  return result.data;
}

function readBody(event: ApiEvent, maxBytes: number): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.length > maxBytes) throw problems.payloadTooLarge(maxBytes);
  if (bytes.length === 0) return undefined;
  const contentType = header(event, 'content-type');
  if (contentType === undefined || !JSON_TYPE.test(contentType)) throw problems.unsupportedMediaType();
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw problems.malformedJson();
  }
  if (depthExceeds(parsed, MAX_BODY_DEPTH)) throw problems.tooDeep(MAX_BODY_DEPTH);
  return parsed;
}

function respond(status: number, body: unknown, contentType: string, ids: { requestId: string; correlationId: string }, extra: Record<string, string> = {}, text?: RouteResponse['text']): ApiResult {
  const headers: Record<string, string> = {
    'x-request-id': ids.requestId,
    'x-correlation-id': ids.correlationId,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...extra,
  };
  if (text !== undefined) return { statusCode: status, headers: { ...headers, 'content-type': text.contentType }, body: text.content };
  if (body === undefined) return { statusCode: status, headers };
  headers['content-type'] = contentType;
  return { statusCode: status, headers, body: JSON.stringify(body) };
}

export function createApiApp(deps: ApiDeps): ApiApp {
  const resolved: ResolvedDeps = { ...deps, now: deps.now ?? (() => new Date()) };
  const maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const routes = apiRoutes();
  const router = Router({ ignoreTrailingSlash: true, caseSensitive: true, maxParamLength: 256 });
  for (const r of routes) {
    router.on(r.method, r.path.replace(/\{(\w+)\}/g, ':$1'), () => undefined, r);
  }

  const find = (method: string, path: string): { route: AnyRoute; params: Record<string, string | undefined> } | undefined => {
    if (!(METHODS as string[]).includes(method)) return undefined;
    const found = router.find(method as HttpMethod, path);
    return found ? { route: found.store as AnyRoute, params: found.params } : undefined;
  };

  async function run(event: ApiEvent, ids: { requestId: string; correlationId: string }): Promise<{ response: RouteResponse; route: AnyRoute }> {
    const method = (event.requestContext?.http?.method ?? 'GET').toUpperCase();
    const path = event.rawPath ?? event.requestContext?.http?.path ?? '/';
    let match: ReturnType<typeof find>;
    try {
      match = find(method, path);
    } catch {
      throw problems.routeNotFound();
    }
    if (match === undefined) {
      const allow = METHODS.filter((m) => {
        try {
          return find(m, path) !== undefined;
        } catch {
          return false;
        }
      });
      throw allow.length > 0 ? problems.methodNotAllowed(allow) : problems.routeNotFound();
    }
    const { route } = match;

    let caller: Caller | undefined;
    if (route.access !== 'public') {
      caller = callerFromClaims(event.requestContext?.authorizer?.jwt?.claims);
      if (!roleAtLeast(caller.role, route.access)) {
        throw problems.forbidden(`This route needs the ${route.access} role or stronger; the token grants ${caller.role}.`);
      }
    }
    const params: unknown = route.params ? parse(route.params, match.params, 'path') : undefined;
    const query: unknown = route.query ? parse(route.query, event.queryStringParameters ?? {}, 'query') : undefined;
    const rawKey = header(event, 'idempotency-key');
    const idempotencyKey = route.idempotent && rawKey !== undefined ? parse(idempotencyKeyHeader, rawKey, 'header') : undefined;
    const rawBody = readBody(event, maxBodyBytes);
    const body: unknown = route.body ? parse(route.body, rawBody ?? {}, 'body') : undefined;

    const response = await route.handle(
      {
        params,
        query,
        body,
        // Public routes never read the caller.
        caller: caller ?? { subject: 'anonymous', workspaceId: '', tenantIds: new Set(), role: 'reader' },
        actor: { workspaceId: caller?.workspaceId ?? '', actor: caller?.subject ?? 'anonymous', correlationId: ids.correlationId },
        ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
        requestId: ids.requestId,
        correlationId: ids.correlationId,
      },
      resolved,
    );
    return { response, route };
  }

  return async (event) => {
    const requestId = event.requestContext?.requestId || randomUUID();
    const given = header(event, 'x-correlation-id');
    const correlationId = given !== undefined && CORRELATION_ID.test(given) ? given : requestId;
    const ids = { requestId, correlationId };
    try {
      const { response } = await run(event, ids);
      return respond(response.status, response.body, 'application/json; charset=utf-8', ids, response.headers, response.text);
    } catch (err) {
      const { problem, internal } = mapError(err);
      if (internal) {
        try {
          deps.onServerError?.(err, { ...ids, route: `${event.requestContext?.http?.method ?? ''} ${event.rawPath ?? ''}` });
        } catch {
          // Reporting must never turn a problem answer into a crash.
        }
      }
      return problemResult(problem, ids);
    }
  };
}

function problemResult(problem: HttpProblem, ids: { requestId: string; correlationId: string }): ApiResult {
  const body = { ...problem.body(), requestId: ids.requestId, correlationId: ids.correlationId };
  return respond(problem.status, body, PROBLEM_CONTENT_TYPE, ids, problem.headers);
}
