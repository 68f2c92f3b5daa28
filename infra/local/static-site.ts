/**
 * Static files under a path prefix, as CloudFront serves the console from its bucket on AWS: the
 * prefix without its slash redirects to it, the prefix itself is `index.html`, anything else is a file
 * of the folder or 404 (never a file outside it). The security headers are the ones the CloudFront
 * response headers policy sets (see `infra/constructs/console-site.ts`), with the API on the same origin.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

export interface StaticSite {
  /** Path prefix with its trailing slash, e.g. `/console/`. */
  prefix: string;
  /** Folder of the built files. */
  dir: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The content security policy of the console when the API is on its own origin. */
export const LOCAL_CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const CONSOLE_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': LOCAL_CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

function send(res: ServerResponse, status: number, headers: Record<string, string>, body?: string): void {
  res.writeHead(status, { ...CONSOLE_SECURITY_HEADERS, ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) });
  res.end(body);
}

/** Serves `path` when it is under the site's prefix; returns false when it is not the site's. */
export async function serveStaticSite(site: StaticSite, method: string, path: string, res: ServerResponse): Promise<boolean> {
  const bare = site.prefix.replace(/\/$/, '');
  if (path !== bare && !path.startsWith(site.prefix)) return false;
  if (method !== 'GET' && method !== 'HEAD') {
    send(res, 405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }, 'The console is static files: GET only.\n');
    return true;
  }
  if (path === bare) {
    send(res, 301, { location: site.prefix });
    return true;
  }
  let relative: string;
  try {
    relative = decodeURIComponent(path.slice(site.prefix.length)) || 'index.html';
  } catch {
    send(res, 400, { 'content-type': 'text/plain; charset=utf-8' }, 'Bad path.\n');
    return true;
  }
  const root = normalize(site.dir);
  const file = normalize(join(root, relative));
  if (!file.startsWith(root + sep) || relative.includes('\0')) {
    send(res, 404, { 'content-type': 'text/plain; charset=utf-8' }, 'Not found.\n');
    return true;
  }
  const info = await stat(file).catch(() => undefined);
  if (info === undefined || !info.isFile()) {
    send(res, 404, { 'content-type': 'text/plain; charset=utf-8' }, 'Not found.\n');
    return true;
  }
  const hashed = relative.startsWith('assets/');
  res.writeHead(200, {
    ...CONSOLE_SECURITY_HEADERS,
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': String(info.size),
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (method === 'HEAD') {
    res.end();
    return true;
  }
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(file);
    stream.on('error', reject);
    stream.on('end', resolve);
    stream.pipe(res);
  });
  return true;
}
