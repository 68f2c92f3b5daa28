/**
 * The local HTTP front door: what API Gateway (HTTP API, payload format 2.0, JWT authorizer) does in
 * front of the API function, on Node's http server bound to loopback. The bearer token is verified
 * first; a request without a valid token never reaches the handler. Claims reach the handler the way
 * API Gateway passes them: as strings (a number as its text, an array as `"[a b]"`).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { serveStaticSite, type StaticSite } from './static-site.js';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type ApiEventHandler = (event: APIGatewayProxyEventV2WithJWTAuthorizer) => Promise<APIGatewayProxyStructuredResultV2>;
export type TokenVerifier = (token: string) => Promise<Record<string, unknown>>;

export interface HttpServerOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** 0 = any free port. */
  port: number;
  handle: ApiEventHandler;
  verify: TokenVerifier;
  /** Largest body accepted before the handler runs (default 10 MiB, API Gateway's payload limit). */
  maxBodyBytes?: number;
  /** Routes served without a token, as `METHOD /path` (default `GET /health` and `GET /openapi.json`). */
  publicRoutes?: string[];
  /** Static files served without a token under a path prefix (the console), as CloudFront serves them on AWS. */
  staticSite?: StaticSite;
}

export interface RunningHttpServer {
  url: string;
  close(): Promise<void>;
}

export const DEFAULT_PUBLIC_ROUTES = ['GET /health', 'GET /openapi.json'];
const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
const TEXT_TYPES = /^(application\/([\w.+-]*json|xml|x-www-form-urlencoded|javascript)|text\/)/i;

/** A claim as API Gateway's JWT authorizer hands it to the integration. */
export function gatewayClaimValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' ')}]`;
  if (typeof value === 'string') return value;
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

function gatewayProblem(res: ServerResponse, status: number, title: string, requestId: string): void {
  const body = JSON.stringify({ type: `https://baseline-drift.dev/problems/${status === 401 ? 'unauthorized' : status === 413 ? 'payload-too-large' : 'internal'}`, title, status, requestId });
  res.writeHead(status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    'apigw-requestid': requestId,
    ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
  });
  res.end(body);
}

function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  const m = /^bearer\s+(.+)$/i.exec(trimmed);
  const token = m ? m[1]!.trim() : trimmed;
  return token.length > 0 ? token : undefined;
}

/** Reads the body up to `limit` bytes; resolves `undefined` when it is larger. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function toEvent(req: IncomingMessage, body: Buffer, claims: Record<string, unknown>, requestId: string): APIGatewayProxyEventV2WithJWTAuthorizer {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === 'cookie') continue;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const cookieHeader = req.headers.cookie;
  const cookies = cookieHeader ? cookieHeader.split(';').map((c) => c.trim()).filter(Boolean) : undefined;
  let query: Record<string, string> | undefined;
  for (const [k, v] of url.searchParams) {
    query ??= {};
    query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  }
  const contentType = headers['content-type'];
  const isText = contentType === undefined || TEXT_TYPES.test(contentType);
  const now = new Date();
  const method = (req.method ?? 'GET').toUpperCase();
  const stringClaims: Record<string, string> = {};
  for (const [k, v] of Object.entries(claims)) stringClaims[k] = gatewayClaimValue(v);
  const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.startsWith('?') ? url.search.slice(1) : url.search,
    headers,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: stringClaims, scopes: [] } },
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: body.length > 0 && !isText,
  };
  if (cookies) event.cookies = cookies;
  if (query) event.queryStringParameters = query;
  if (body.length > 0) event.body = isText ? body.toString('utf8') : body.toString('base64');
  return event;
}

function writeResult(res: ServerResponse, result: APIGatewayProxyStructuredResultV2, requestId: string): void {
  const headers: Record<string, string | string[]> = { 'apigw-requestid': requestId };
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k.toLowerCase()] = String(v);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  let body: Buffer = Buffer.alloc(0);
  if (result.body !== undefined) body = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : Buffer.from(result.body, 'utf8');
  headers['content-length'] = String(body.length);
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(body);
}

/** Serves `handle` behind a JWT check on `host:port` until `close()`. */
export async function startHttpServer(opts: HttpServerOptions): Promise<RunningHttpServer> {
  const host = opts.host ?? '127.0.0.1';
  const limit = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const publicRoutes = new Set(opts.publicRoutes ?? DEFAULT_PUBLIC_ROUTES);

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const method = (req.method ?? 'GET').toUpperCase();
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (opts.staticSite !== undefined && (await serveStaticSite(opts.staticSite, method, path, res))) {
      req.resume();
      return;
    }
    let claims: Record<string, unknown> = {};
    if (!publicRoutes.has(`${method} ${path}`)) {
      const token = bearerToken(req.headers.authorization);
      if (token === undefined) {
        req.resume();
        gatewayProblem(res, 401, 'Unauthorized', requestId);
        return;
      }
      try {
        claims = await opts.verify(token);
      } catch {
        req.resume();
        gatewayProblem(res, 401, 'Unauthorized', requestId);
        return;
      }
    }
    const body = await readBody(req, limit);
    if (body === undefined) {
      gatewayProblem(res, 413, 'Request Entity Too Large', requestId);
      return;
    }
    let result: APIGatewayProxyStructuredResultV2;
    try {
      result = await opts.handle(toEvent(req, body, claims, requestId));
    } catch {
      gatewayProblem(res, 500, 'Internal Server Error', requestId);
      return;
    }
    writeResult(res, result, requestId);
  };

  const server = createServer((req, res) => {
    serve(req, res).catch(() => {
      if (!res.headersSent) gatewayProblem(res, 500, 'Internal Server Error', 'unknown');
      else res.destroy();
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostForUrl}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
