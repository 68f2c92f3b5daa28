/**
 * The console's static files on the local front door: served without a token under `/console/` with
 * the security headers, nothing outside the folder, GET only; the API beside it still needs a token.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type RunningHttpServer } from '../../infra/local/http-server.js';
import { consoleBuildStaleness } from '../../infra/local/console.js';

let dir: string;
let server: RunningHttpServer;
let handled = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'drift-static-'));
  mkdirSync(join(dir, 'site', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'site', 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dir, 'site', 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'outside the site');
  server = await startHttpServer({
    port: 0,
    handle: () => {
      handled += 1;
      return Promise.resolve({ statusCode: 200, body: '{}' });
    },
    verify: () => Promise.reject(new Error('no token is valid here')),
    staticSite: { prefix: '/console/', dir: join(dir, 'site') },
  });
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw request: the path goes out exactly as written (no URL normalization). */
function raw(method: string, path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the console on the local front door', () => {
  it('serves index.html at the prefix with a CSP and no caching, and redirects the bare path', async () => {
    const index = await raw('GET', '/console/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>console</title>');
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.headers['cache-control']).toBe('no-cache');
    const bare = await raw('GET', '/console');
    expect(bare.status).toBe(301);
    expect(bare.headers.location).toBe('/console/');
  });

  it('serves hashed assets as immutable, and answers 404 for what is not there', async () => {
    const asset = await raw('GET', '/console/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await raw('GET', '/console/config.json')).status).toBe(404);
    expect((await raw('GET', '/console/assets')).status).toBe(404);
  });

  it('never serves a file outside its folder', async () => {
    for (const path of ['/console/../secret.txt', '/console/%2e%2e/secret.txt', '/console/..%2fsecret.txt', '/console/%00']) {
      const res = await raw('GET', path);
      expect(`${path}: ${res.status}`).not.toBe(`${path}: 200`);
      expect(res.body).not.toContain('outside the site');
    }
  });

  it('is GET and HEAD only, and the API beside it still needs a token', async () => {
    expect((await raw('POST', '/console/')).status).toBe(405);
    const head = await raw('HEAD', '/console/');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect((await raw('GET', '/tenants/t-1/findings')).status).toBe(401);
    expect(handled).toBe(0);
  });

  it('knows when a console build is missing or older than its sources', () => {
    const consoleDir = join(dir, 'console');
    mkdirSync(join(consoleDir, 'src'), { recursive: true });
    writeFileSync(join(consoleDir, 'src', 'main.tsx'), '');
    expect(consoleBuildStaleness(consoleDir)).toBe('no build yet');
    mkdirSync(join(consoleDir, 'dist'));
    writeFileSync(join(consoleDir, 'dist', 'index.html'), '');
    expect(consoleBuildStaleness(consoleDir)).toBeUndefined();
    const later = new Date(Date.now() + 5000);
    writeFileSync(join(consoleDir, 'src', 'main.tsx'), 'changed');
    utimesSync(join(consoleDir, 'src', 'main.tsx'), later, later);
    expect(consoleBuildStaleness(consoleDir)).toBe('its sources changed since the last build');
  });
});
