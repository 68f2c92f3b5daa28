/**
 * A local, Graph-compatible HTTP server for tests (127.0.0.1, random port). It serves:
 * - the Entra token endpoint (`POST /{tenant}/oauth2/v2.0/token`, client credentials);
 * - Graph GETs (`/{v1.0|beta}/...`) from fixtures: collections paged at a configurable page size with
 *   absolute `@odata.nextLink`s, single objects, items of a collection by id, `$expand` of
 *   sub-collections held in the fixtures;
 * - JSON batching (`POST /{version}/$batch`, at most 20 requests, answered out of order);
 * - scripted failures per path (429 with or without Retry-After, 503, 403, ...), token expiry, and
 *   a log of every request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

/** A tenant's Graph data: versionless paths to a collection (array) or a single object. */
export interface FakeTenantFixtures {
  resources: Record<string, unknown>;
}

export interface FakeRequestInfo {
  method: string;
  version: string;
  /** Versionless and decoded, e.g. `/deviceManagement/configurationPolicies/cp-1/settings`. */
  path: string;
  query: URLSearchParams;
  inBatch: boolean;
}

export interface FakeRequestLog {
  method: string;
  version: string;
  path: string;
  query: string;
  inBatch: boolean;
  status: number;
}

/** A scripted answer for matching Graph requests (direct ones and `$batch` items alike). */
export interface ScriptedBehaviour {
  /** Versionless path (exact), a RegExp over it, or a predicate. `$batch` POSTs have path `/$batch`. */
  match: string | RegExp | ((request: FakeRequestInfo) => boolean);
  status: number;
  /** Graph error code in the body. */
  code?: string;
  /** `Retry-After` header (seconds), as Graph sends with 429 and 503. */
  retryAfter?: number | string;
  /** How many matching requests get this answer; default all. */
  times?: number;
  /** Let this many matching requests through first. */
  after?: number;
}

export interface FakeGraphOptions {
  fixtures: FakeTenantFixtures;
  behaviours?: ScriptedBehaviour[];
  /** Items per page of every collection (Graph pages configurationPolicies and /settings at 25). */
  pageSize?: number;
  /** Page size per versionless collection path. */
  pageSizes?: Record<string, number>;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  tokenLifetimeSeconds?: number;
  /** Every token issued so far stops working at the Nth Graph request (1-based): expiry mid-sync. */
  expireTokensAtRequest?: number;
  /** Delay of every Graph answer in ms (makes concurrency observable). */
  latencyMs?: number;
}

export interface FakeGraph {
  /** Graph base URL to configure the client with (no version). */
  baseUrl: string;
  tokenUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Every Graph request, `$batch` POSTs and the items inside them. */
  readonly requests: FakeRequestLog[];
  /** Every access token this server issued. */
  readonly issuedTokens: string[];
  tokenRequests(): number;
  /** Requests in flight at the same time, at most, so far. */
  maxInFlight(): number;
  /** Requests (direct or in a batch) whose path matches. */
  count(match: string | RegExp, filter?: { inBatch?: boolean }): number;
  /** Invalidates every token issued so far. */
  expireTokens(): void;
  close(): Promise<void>;
}

export async function startFakeGraph(options: FakeGraphOptions): Promise<FakeGraph> {
  const tenantId = options.tenantId ?? '11111111-2222-4333-8444-555555555555';
  const clientId = options.clientId ?? 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
  const clientSecret = options.clientSecret ?? `fake-secret-${randomBytes(12).toString('hex')}`;
  const resources = options.fixtures.resources;
  const behaviours = (options.behaviours ?? []).map((behaviour) => ({ behaviour, seen: 0, served: 0 }));
  const requests: FakeRequestLog[] = [];
  const issuedTokens: string[] = [];
  const validTokens = new Set<string>();
  let tokenRequests = 0;
  let graphRequests = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let baseUrl = '';

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { error: { code: 'InternalServerError', message: 'fake graph failure' } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const body = await readBody(req);
    if (req.method === 'POST' && url.pathname === `/${tenantId}/oauth2/v2.0/token`) {
      issueToken(body, res);
      return;
    }
    const match = /^\/(v1\.0|beta)(\/.*)$/.exec(url.pathname);
    if (!match) {
      send(res, 404, { error: { code: 'ResourceNotFound', message: 'unknown path' } });
      return;
    }
    const version = match[1]!;
    const path = decodePath(match[2]!);
    graphRequests += 1;
    if (options.expireTokensAtRequest !== undefined && graphRequests === options.expireTokensAtRequest) {
      validTokens.clear();
    }
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
      const auth = req.headers.authorization ?? '';
      const token = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : '';
      const info: FakeRequestInfo = { method: req.method ?? 'GET', version, path, query: url.searchParams, inBatch: false };
      let answer: InnerAnswer;
      if (!validTokens.has(token)) {
        answer = errorAnswer(401, 'InvalidAuthenticationToken');
      } else if (req.method === 'POST' && path === '/$batch') {
        answer = scripted(info) ?? answerBatch(version, body);
      } else if (req.method === 'GET') {
        answer = scripted(info) ?? answerGet(version, path, url.searchParams);
      } else {
        answer = errorAnswer(405, 'MethodNotAllowed');
      }
      requests.push({ method: info.method, version, path, query: url.search, inBatch: false, status: answer.status });
      send(res, answer.status, answer.body, answer.headers);
    } finally {
      inFlight -= 1;
    }
  }

  function issueToken(body: string, res: ServerResponse): void {
    tokenRequests += 1;
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials') {
      send(res, 400, { error: 'unsupported_grant_type', error_description: 'AADSTS70003: grant type not supported.', error_codes: [70003] });
      return;
    }
    if (form.get('client_id') !== clientId) {
      send(res, 400, { error: 'unauthorized_client', error_description: 'AADSTS700016: Application not found.', error_codes: [700016] });
      return;
    }
    if (form.get('client_secret') !== clientSecret) {
      send(res, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.', error_codes: [7000215] });
      return;
    }
    if (form.get('scope') !== `${baseUrl}/.default`) {
      send(res, 400, { error: 'invalid_scope', error_description: 'AADSTS1002012: The provided scope is not valid.', error_codes: [1002012] });
      return;
    }
    const token = `fake-token-${randomBytes(16).toString('hex')}`;
    issuedTokens.push(token);
    validTokens.add(token);
    const expiresIn = options.tokenLifetimeSeconds ?? 3599;
    send(res, 200, { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token });
  }

  function scripted(info: FakeRequestInfo): InnerAnswer | undefined {
    for (const entry of behaviours) {
      const { behaviour } = entry;
      const matches =
        typeof behaviour.match === 'string'
          ? behaviour.match === info.path
          : behaviour.match instanceof RegExp
            ? behaviour.match.test(info.path)
            : behaviour.match(info);
      if (!matches) continue;
      entry.seen += 1;
      if (entry.seen <= (behaviour.after ?? 0)) continue;
      if (entry.served >= (behaviour.times ?? Infinity)) continue;
      entry.served += 1;
      const answer = errorAnswer(behaviour.status, behaviour.code ?? defaultCode(behaviour.status));
      if (behaviour.retryAfter !== undefined) answer.headers['Retry-After'] = String(behaviour.retryAfter);
      return answer;
    }
    return undefined;
  }

  function answerGet(version: string, path: string, query: URLSearchParams): InnerAnswer {
    const expand = expandNames(query.get('$expand'));
    const context = `${baseUrl}/${version}/$metadata#${path.slice(1)}`;
    const direct = resources[path];
    if (Array.isArray(direct)) {
      const pageSize = Math.min(
        options.pageSizes?.[path] ?? options.pageSize ?? 25,
        Number(query.get('$top') ?? Infinity),
      );
      const offset = decodeSkipToken(query.get('$skiptoken'));
      const page = (direct as Record<string, unknown>[])
        .slice(offset, offset + pageSize)
        .map((item) => withExpansions(item, `${path}/${String(item.id)}`, expand));
      const body: Record<string, unknown> = { '@odata.context': context, value: page };
      if (offset + pageSize < direct.length) {
        const next = new URLSearchParams(query);
        next.set('$skiptoken', encodeSkipToken(offset + pageSize));
        body['@odata.nextLink'] = `${baseUrl}/${version}${encodePath(path)}?${next.toString()}`;
      }
      return { status: 200, headers: {}, body };
    }
    if (isObject(direct)) {
      return { status: 200, headers: {}, body: { '@odata.context': context, ...withExpansions(direct, path, expand) } };
    }
    const slash = path.lastIndexOf('/');
    const parent = resources[path.slice(0, slash)];
    const id = path.slice(slash + 1);
    if (Array.isArray(parent)) {
      const item = (parent as unknown[]).find((candidate) => isObject(candidate) && candidate.id === id);
      if (isObject(item)) {
        return { status: 200, headers: {}, body: { '@odata.context': context, ...withExpansions(item, path, expand) } };
      }
    }
    return errorAnswer(404, 'ResourceNotFound');
  }

  function withExpansions(item: Record<string, unknown>, itemPath: string, expand: ExpandOption[]): Record<string, unknown> {
    if (expand.length === 0) return item;
    const expanded = { ...item };
    for (const { name, nested } of expand) {
      const relatedPath = `${itemPath}/${name}`;
      const related = resources[relatedPath];
      if (Array.isArray(related)) {
        expanded[name] = (related as unknown[]).map((entry) =>
          isObject(entry) ? withExpansions(entry, `${relatedPath}/${String(entry.id)}`, nested) : entry,
        );
      } else if (isObject(related)) {
        expanded[name] = withExpansions(related, relatedPath, nested);
      } else {
        // Not held as a path of its own: an inline value in the fixture, else an empty navigation.
        const inline = item[name];
        expanded[name] = Array.isArray(inline)
          ? inline.map((entry: unknown) =>
              isObject(entry) ? withExpansions(entry, `${relatedPath}/${String(entry.id)}`, nested) : entry,
            )
          : (inline ?? []);
      }
    }
    return expanded;
  }

  function answerBatch(version: string, rawBody: string): InnerAnswer {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody);
    } catch {
      return errorAnswer(400, 'BadRequest');
    }
    const inner = isObject(parsed) ? parsed.requests : undefined;
    if (!Array.isArray(inner) || inner.length === 0 || inner.length > 20) return errorAnswer(400, 'BadRequest');
    const ids = new Set<string>();
    for (const request of inner as unknown[]) {
      if (!isObject(request) || typeof request.id !== 'string' || typeof request.url !== 'string' || ids.has(request.id)) {
        return errorAnswer(400, 'BadRequest');
      }
      ids.add(request.id);
    }
    const responses = (inner as { id: string; method?: string; url: string }[]).map((request) => {
      const url = new URL(`${baseUrl}/${version}${request.url.startsWith('/') ? '' : '/'}${request.url}`);
      const path = decodePath(url.pathname.slice(`/${version}`.length));
      const info: FakeRequestInfo = { method: request.method ?? 'GET', version, path, query: url.searchParams, inBatch: true };
      const answer =
        info.method !== 'GET' ? errorAnswer(405, 'MethodNotAllowed') : (scripted(info) ?? answerGet(version, path, url.searchParams));
      requests.push({ method: info.method, version, path, query: url.search, inBatch: true, status: answer.status });
      return { id: request.id, status: answer.status, headers: answer.headers, body: answer.body };
    });
    // Graph may answer in any order: reverse to make sure clients match by id.
    responses.reverse();
    return { status: 200, headers: {}, body: { responses } };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    tokenUrl: `${baseUrl}/${tenantId}/oauth2/v2.0/token`,
    tenantId,
    clientId,
    clientSecret,
    requests,
    issuedTokens,
    tokenRequests: () => tokenRequests,
    maxInFlight: () => maxInFlight,
    count(match, filter) {
      return requests.filter(
        (r) =>
          (typeof match === 'string' ? r.path === match : match.test(r.path)) &&
          (filter?.inBatch === undefined || r.inBatch === filter.inBatch),
      ).length;
    },
    expireTokens() {
      validTokens.clear();
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

interface InnerAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

function errorAnswer(status: number, code: string): InnerAnswer {
  return {
    status,
    headers: {},
    body: { error: { code, message: `fake graph: ${code}`, innerError: { 'request-id': randomBytes(8).toString('hex') } } },
  };
}

function defaultCode(status: number): string {
  return (
    { 400: 'BadRequest', 403: 'Authorization_RequestDenied', 404: 'ResourceNotFound', 429: 'TooManyRequests', 500: 'InternalServerError', 503: 'ServiceUnavailable', 504: 'GatewayTimeout' }[
      status
    ] ?? 'UnknownError'
  );
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function decodePath(path: string): string {
  return path
    .split('/')
    .map((segment) => decodeURIComponent(segment))
    .join('/');
}

function encodePath(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%24/g, '$'))
    .join('/');
}

interface ExpandOption {
  name: string;
  nested: ExpandOption[];
}

/** `$expand=apps,presentationValues($expand=presentation)` -> apps; presentationValues with presentation. */
function expandNames(expand: string | null): ExpandOption[] {
  if (!expand) return [];
  const options: ExpandOption[] = [];
  let depth = 0;
  let name = '';
  let inner = '';
  const flush = (): void => {
    if (name.trim() !== '') {
      const nestedExpand = /(?:^|;)\s*\$expand=(.*)$/.exec(inner);
      options.push({ name: name.trim(), nested: expandNames(nestedExpand?.[1] ?? null) });
    }
    name = '';
    inner = '';
  };
  for (const char of expand) {
    if (char === '(') {
      depth += 1;
      if (depth === 1) continue;
    }
    if (char === ')') {
      depth -= 1;
      if (depth === 0) continue;
    }
    if (char === ',' && depth === 0) flush();
    else if (depth === 0) name += char;
    else inner += char;
  }
  flush();
  return options;
}

function encodeSkipToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodeSkipToken(token: string | null): number {
  if (!token) return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : 0;
}
