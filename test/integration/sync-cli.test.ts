/**
 * `drift sync` end to end against the Graph-compatible fake server on loopback: files written in the
 * layout `drift compare` reads, settings merged in, no secret in any written file, the printed result,
 * and the exit codes (0 all succeeded, 1 some failed, 2 error), in-process and as a real process.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { loadGraphExportReport } from '../../shared/adapters/filesystem/graph-export.js';
import { main } from '../../cli/drift.js';
import type { SyncReport } from '../../cli/commands/sync.js';
import { fakeGraphPool } from '../support/fake-graph/harness.js';
import type { FakeGraph, FakeTenantFixtures } from '../support/fake-graph/server.js';
import { loadGraphTenant, mergeFixtures } from '../support/fake-graph/tenant.js';
import { fixtureObject } from '../fixtures/graph/fixtures.js';

const pool = fakeGraphPool();
const root = mkdtempSync(join(tmpdir(), 'drift-sync-cli-'));
afterAll(async () => {
  await pool.closeAll();
  rmSync(root, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const KEY = 'cli-sync-test-key-0123456789abcdef';
const WIFI = fixtureObject('deviceConfigurations', 'wifi-psk.json');

function tenant(): FakeTenantFixtures {
  const base = loadGraphTenant();
  const configs = base.resources['/deviceManagement/deviceConfigurations'] as unknown[];
  return mergeFixtures(base, { resources: { '/deviceManagement/deviceConfigurations': [...configs, WIFI] } });
}

function secretsOf(fixtures: FakeTenantFixtures, fake: FakeGraph): string[] {
  const found = ['Sup3r-S3cret-PSK!', fake.clientSecret, ...fake.issuedTokens];
  for (const value of Object.values(fixtures.resources)) {
    for (const obj of Array.isArray(value) ? value : [value]) {
      const script = (obj as { scriptContent?: unknown } | null)?.scriptContent;
      if (typeof script === 'string') found.push(script);
    }
  }
  return found;
}

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

let outCount = 0;
const newOut = (): string => join(root, `out-${(outCount += 1)}`);

async function drift(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const code = await main(args);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

function syncArgs(fake: FakeGraph, out: string, extra: string[] = []): string[] {
  return ['sync', '--tenant-id', fake.tenantId, '--client-id', fake.clientId, '--client-secret', fake.clientSecret, '--token-url', fake.tokenUrl, '--graph-url', fake.baseUrl, '--out', out, '--secret-key', KEY, '--format', 'json', ...extra];
}

describe('drift sync', () => {
  it('writes every object as <collection>/<id>.json with settings merged and secrets as digests, and compare reads it', async () => {
    const fixtures = tenant();
    const fake = await pool.start({ fixtures });
    const out = newOut();
    const { code, stdout } = await drift(syncArgs(fake, out));
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as SyncReport;
    expect(report.failed).toBe(0);
    expect(report.types).toHaveLength(26);
    expect(report.types.find((t) => t.type === 'deviceConfiguration')).toEqual({ type: 'deviceConfiguration', collection: 'deviceConfigurations', status: 'succeeded', itemCount: 3 });
    expect(report.requests).toBe(fake.requests.filter((r) => !r.inBatch).length);
    expect(report.retries).toBe(0);
    expect(report.durationMs).toBeGreaterThanOrEqual(0);

    const wifiFile = join(out, 'deviceConfigurations', `${String(WIFI.id)}.json`);
    const wifi = JSON.parse(readFileSync(wifiFile, 'utf8')) as Record<string, unknown>;
    expect(wifi.ssid).toBe('Contoso-Guest');
    expect(wifi.preSharedKey).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    const policies = readdirSync(join(out, 'configurationPolicies'));
    expect(policies.length).toBeGreaterThan(0);
    for (const name of policies) {
      const policy = JSON.parse(readFileSync(join(out, 'configurationPolicies', name), 'utf8')) as { settings?: unknown[] };
      expect(Array.isArray(policy.settings)).toBe(true);
    }

    const files = allFiles(out);
    expect(files.length).toBe(report.filesWritten + 1);
    const secrets = secretsOf(fixtures, fake);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const leaked = secrets.filter((secret) => text.includes(secret));
      expect({ file, leaked }).toEqual({ file, leaked: [] });
    }

    const loaded = await loadGraphExportReport(out);
    expect(loaded.rejected).toEqual([]);
    expect(loaded.objects).toHaveLength(report.filesWritten);
    const self = await drift(['compare', '--baseline', out, '--current', out, '--secret-key', KEY, '--format', 'json']);
    expect(self.code).toBe(0);
    expect((JSON.parse(self.stdout) as { findings: unknown[] }).findings).toEqual([]);
  });

  it('writes group names beside assignments and beside policies that name groups (Graph $batch; a group Graph does not return stays unresolved), and a compare against the same objects exported without assignments or names finds nothing', async () => {
    const fake = await pool.start({ fixtures: tenant() });
    const out = newOut();
    const { code, stdout } = await drift(syncArgs(fake, out));
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as SyncReport).failed).toBe(0);
    // Group names are read in batches of at most 20 `GET /groups/{id}`.
    const groupReads = fake.requests.filter((r) => r.inBatch && r.path.startsWith('/groups/'));
    expect(groupReads.length).toBeGreaterThan(20);
    expect(new Set(groupReads.map((r) => r.path)).size).toBe(groupReads.length);

    const config = JSON.parse(readFileSync(join(out, 'deviceConfigurations', 'b2c0ffee-0001-4000-8000-000000000001.json'), 'utf8')) as {
      assignments: { id: string; source: string; sourceId: string; target: Record<string, unknown> }[];
    };
    expect(config.assignments).toEqual([
      {
        id: 'b2c0ffee-0001-4000-8000-000000000001_00000020-5a5a-4b4b-8c8c-1234567890ab',
        source: 'direct',
        sourceId: 'b2c0ffee-0001-4000-8000-000000000001',
        target: {
          '@odata.type': '#microsoft.graph.groupAssignmentTarget',
          groupId: '00000020-5a5a-4b4b-8c8c-1234567890ab',
          groupDisplayName: 'Windows Pilot Ring',
          deviceAndAppManagementAssignmentFilterId: null,
          deviceAndAppManagementAssignmentFilterType: 'none',
        },
      },
    ]);
    const written = allFiles(out).filter((f) => f.endsWith('.json') && !f.endsWith('sync-result.json'));
    const texts = written.map((f) => readFileSync(f, 'utf8'));
    expect(texts.some((t) => t.includes('"groupId": "00000089-5a5a-4b4b-8c8c-1234567890ab"') || t.includes('"groupId":"00000089-5a5a-4b4b-8c8c-1234567890ab"'))).toBe(true);
    expect(texts.some((t) => t.includes('Update Deferral Exceptions'))).toBe(true);
    // A group named inside a policy (conditional access excludeGroups) gets its name beside the policy.
    const ca = JSON.parse(readFileSync(join(out, 'conditionalAccessPolicies', 'c1c0ffee-0001-4000-8000-000000000001.json'), 'utf8')) as Record<string, unknown>;
    expect(ca['groupDisplayNames']).toEqual({ '00000060-5a5a-4b4b-8c8c-1234567890ab': 'Break Glass Accounts' });
    expect((ca['conditions'] as { users: { excludeGroups: string[] } }).users.excludeGroups).toEqual(['00000060-5a5a-4b4b-8c8c-1234567890ab']);

    // The same objects, exported without assignments: that dimension is not compared, nothing drifted.
    const bare = newOut();
    for (const file of written) {
      const obj = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      delete obj['assignments'];
      delete obj['assignments@odata.context'];
      // Nor group names: the same group ids on both sides are the same groups.
      delete obj['groupDisplayNames'];
      const target = join(bare, file.slice(out.length + 1));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, JSON.stringify(obj, null, 2));
    }
    for (const [baseline, current] of [
      [out, bare],
      [bare, out],
    ] as const) {
      const compared = await drift(['compare', '--baseline', baseline, '--current', current, '--secret-key', KEY, '--format', 'json']);
      expect(compared.code).toBe(0);
      const report = JSON.parse(compared.stdout) as { findings: unknown[]; gaps: unknown[]; summary: Record<string, number> };
      expect(report.findings).toEqual([]);
      expect(report.gaps).toEqual([]);
      expect(report.summary.assignments_not_compared).toBeGreaterThan(10);
    }
  });

  it('exits 1 when a type fails (403), writing the others and reporting the error', async () => {
    const fake = await pool.start({ fixtures: tenant(), behaviours: [{ match: '/deviceManagement/intents', status: 403, code: 'Authorization_RequestDenied' }] });
    const out = newOut();
    const { code, stdout } = await drift(syncArgs(fake, out, ['--types', 'securityBaselineIntent,roleScopeTag']));
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as SyncReport;
    expect(report.types).toEqual([
      { type: 'securityBaselineIntent', collection: 'intents', status: 'failed', error: '403 Authorization_RequestDenied' },
      { type: 'roleScopeTag', collection: 'roleScopeTags', status: 'succeeded', itemCount: 3 },
    ]);
    expect(existsSync(join(out, 'intents'))).toBe(false);
    expect(readdirSync(join(out, 'roleScopeTags'))).toHaveLength(3);
  });

  it('exits 2 when the token endpoint refuses the secret, without printing it', async () => {
    const fake = await pool.start({ fixtures: tenant() });
    const args = syncArgs(fake, newOut(), ['--types', 'roleScopeTag']);
    args[args.indexOf('--client-secret') + 1] = 'not-the-secret-value';
    const { code, stdout, stderr } = await drift(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(/token request failed: 401/);
    expect(stdout + stderr).not.toContain('not-the-secret-value');
  });

  it('exits 2 on usage errors: unknown type, non-empty --out, no secret', async () => {
    const fake = await pool.start({ fixtures: tenant() });
    expect((await drift(syncArgs(fake, newOut(), ['--types', 'noSuchType']))).code).toBe(2);
    const used = newOut();
    await drift(syncArgs(fake, used, ['--types', 'roleScopeTag']));
    const again = await drift(syncArgs(fake, used, ['--types', 'roleScopeTag']));
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/not empty/);
    const noSecret = syncArgs(fake, newOut()).filter((a, i, all) => a !== '--client-secret' && all[i - 1] !== '--client-secret');
    const saved = process.env.DRIFT_GRAPH_CLIENT_SECRET;
    delete process.env.DRIFT_GRAPH_CLIENT_SECRET;
    try {
      const missing = await drift(noSecret);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/DRIFT_GRAPH_CLIENT_SECRET/);
    } finally {
      if (saved !== undefined) process.env.DRIFT_GRAPH_CLIENT_SECRET = saved;
    }
  });

  it('runs as a process with credentials from the environment, the JSON result alone on stdout', async () => {
    const fake = await pool.start({ fixtures: tenant() });
    const out = newOut();
    const cli = resolve('cli/drift.ts');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', cli, 'sync', '--tenant-id', fake.tenantId, '--types', 'roleScopeTag,assignmentFilter', '--out', out, '--format', 'json'],
      {
        env: {
          ...process.env,
          DRIFT_GRAPH_CLIENT_ID: fake.clientId,
          DRIFT_GRAPH_CLIENT_SECRET: fake.clientSecret,
          GRAPH_BASE_URL: fake.baseUrl,
          GRAPH_TOKEN_URL_TEMPLATE: `${fake.baseUrl}/{tenantId}/oauth2/v2.0/token`,
          DRIFT_SECRET_KEY: KEY,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.resume();
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as SyncReport;
    expect(report.types.map((t) => [t.type, t.status])).toEqual([
      ['roleScopeTag', 'succeeded'],
      ['assignmentFilter', 'succeeded'],
    ]);
    expect(readdirSync(join(out, 'assignmentFilters'))).toHaveLength(2);
  });
});
