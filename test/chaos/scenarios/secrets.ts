/**
 * Secrets never stored: policies with a Wi-Fi pre-shared key, a password, a trusted root certificate
 * and an encrypted OMA-URI value (fresh random values each run) go through the API: ingest of a
 * golden tenant, a profile, a capture, an assignment, ingest of a tenant whose secrets differ, a
 * compare, and every read route. Then every table item, every log line written meanwhile (the task
 * logger at DEBUG, stdout and stderr captured), the events file and every API response are searched
 * for each secret: as is, JSON-escaped, URL-encoded, base64 (standard and URL-safe, at every
 * alignment) and hex.
 */
import { randomBytes } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { readFileSync, existsSync } from 'node:fs';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { logger } from '../../../functions/_shared/task-handler.js';
import { getDocumentClient } from '../../../shared/adapters/dynamodb/client.js';
import type { ApiHarness } from './api.js';
import type { ChaosEnv } from './faults.js';

export interface SecretsReport {
  planted: number;
  /** Secrets found anywhere (each secret counted once per place kind it was found in). */
  found: number;
  /** How much was searched. */
  searched: { tableItems: number; logLines: number; eventLines: number; responses: number };
  /** Findings of the compare (the secrets' policies must show up as drift, or the test proves little). */
  findings: number;
  /** A non-secret value planted next to the secrets (a Wi-Fi SSID) was found in the tables: the search sees stored content. */
  controlFound: boolean;
  details: string[];
}

/** Every form a secret could take in text. */
export function encodingsOf(secret: string): string[] {
  const forms = new Set<string>([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]);
  const bytes = Buffer.from(secret, 'utf8');
  forms.add(bytes.toString('hex'));
  forms.add(bytes.toString('hex').toUpperCase());
  for (let shift = 0; shift < 3; shift += 1) {
    // The secret inside a longer base64 text: encode it after `shift` bytes, keep the stable middle.
    const shifted = Buffer.concat([Buffer.alloc(shift, 0x20), bytes]);
    for (const b64 of [shifted.toString('base64'), shifted.toString('base64url')]) {
      const start = Math.ceil((shift * 4) / 3) + 1;
      const middle = b64.replace(/=+$/, '').slice(start, -3);
      if (middle.length >= 12) forms.add(middle);
    }
  }
  return [...forms].filter((f) => f.length >= 8);
}

function plantedSecrets(): Record<string, string> {
  const word = (n: number) => randomBytes(n).toString('base64url');
  return {
    preSharedKey: `Psk-${word(18)}`,
    tenantPreSharedKey: `Psk2-${word(18)}`,
    password: `Pw!${word(15)}`,
    certificate: randomBytes(420).toString('base64'),
    omaValue: `<enc>${word(24)}</enc>`,
  };
}

function policies(s: Record<string, string>, variant: 'baseline' | 'tenant', control: string): Record<string, Record<string, unknown>[]> {
  return {
    deviceConfiguration: [
      {
        '@odata.type': '#microsoft.graph.windowsWifiConfiguration',
        id: 'a1111111-1111-4111-8111-111111111111',
        displayName: 'Secret Wi-Fi',
        ssid: control,
        wifiSecurityType: 'wpa2Personal',
        preSharedKey: variant === 'baseline' ? s.preSharedKey : s.tenantPreSharedKey,
      },
      {
        '@odata.type': '#microsoft.graph.windows81TrustedRootCertificate',
        id: 'a2222222-2222-4222-8222-222222222222',
        displayName: 'Secret root certificate',
        certFileName: 'root.cer',
        destinationStore: 'computerCertStoreRoot',
        trustedRootCertificate: s.certificate,
      },
      {
        '@odata.type': '#microsoft.graph.windows10CustomConfiguration',
        id: 'a3333333-3333-4333-8333-333333333333',
        displayName: 'Secret OMA-URI',
        omaSettings: [
          { '@odata.type': '#microsoft.graph.omaSettingString', displayName: 'Key', omaUri: './Vendor/MSFT/Secret', isEncrypted: true, value: s.omaValue, secretReferenceValueId: 'ref-1' },
          { '@odata.type': '#microsoft.graph.omaSettingInteger', displayName: 'Plain', omaUri: './Vendor/MSFT/Plain', value: variant === 'baseline' ? 1 : 2 },
        ],
      },
    ],
    deviceCompliancePolicy: [
      {
        '@odata.type': '#microsoft.graph.windows10CompliancePolicy',
        id: 'a4444444-4444-4444-8444-444444444444',
        displayName: 'Secret compliance',
        passwordRequired: true,
        password: s.password,
        passwordMinimumLength: variant === 'baseline' ? 12 : 8,
      },
    ],
  };
}

/** Binary attributes as text: decompressed when they are compressed content, else base64 and UTF-8. */
function readable(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes);
  for (const inflate of [brotliDecompressSync, gunzipSync]) {
    try {
      return inflate(buffer).toString('utf8');
    } catch {
      // not this format
    }
  }
  return `${buffer.toString('base64')} ${buffer.toString('utf8')}`;
}

export async function runSecrets(env: ChaosEnv, h: ApiHarness): Promise<SecretsReport> {
  const s = plantedSecrets();
  const control = `Ssid-${randomBytes(12).toString('hex')}`;
  const report: SecretsReport = { planted: Object.keys(s).length, found: 0, searched: { tableItems: 0, logLines: 0, eventLines: 0, responses: 0 }, findings: 0, controlFound: false, details: [] };
  const golden = `${h.victim.workspaceId}-secret-golden`;
  const tenant = `${h.victim.workspaceId}-secret-tenant`;
  const admin = await h.token(h.victim, 'admin', [golden, tenant]);
  const responses: string[] = [];
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await h.request(method, path, { token: admin, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    responses.push(res.text);
    if (res.status >= 400) throw new Error(`secrets scenario: ${method} ${path} answered ${res.status}: ${res.text.slice(0, 300)}`);
    return JSON.parse(res.text || '{}') as Record<string, unknown>;
  };

  // Log everything while the secrets go through, and keep every line written.
  const captured: string[] = [];
  const writers = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  const capture = (chunk: unknown) => {
    captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  const level = logger.getLevelName();
  logger.setLogLevel('DEBUG');
  process.stdout.write = capture;
  process.stderr.write = capture;
  try {
    const types = ['deviceConfiguration', 'deviceCompliancePolicy'];
    const coverage = { policy_types: Object.fromEntries(types.map((t) => [t, { status: 'succeeded' }])), foundation_types: {} };
    await call('POST', `/tenants/${golden}/inventory-syncs`, { pageNumber: 1, last: true, items: policies(s, 'baseline', control), coverage });
    const profile = await call('POST', '/baseline-profiles', { name: 'Secrets baseline', status: 'active', scope: { policy_types: types, foundation_types: [] } });
    const profileId = String(profile.id);
    await call('POST', `/baseline-profiles/${profileId}/snapshots`, { sourceTenantId: golden });
    await h.settle();
    await call('PUT', `/baseline-profiles/${profileId}/assignments/${tenant}`, {});
    await call('POST', `/tenants/${tenant}/inventory-syncs`, { pageNumber: 1, last: true, items: policies(s, 'tenant', control), coverage });
    await call('POST', `/tenants/${tenant}/baseline-compares`, { profileId });
    await h.settle();
    // Every read route a portal would use after this.
    const list = await call('GET', `/tenants/${tenant}/findings?limit=100`);
    const items = (list.items as { fingerprint: string }[] | undefined) ?? [];
    report.findings = items.length;
    for (const f of items) await call('GET', `/tenants/${tenant}/findings/${f.fingerprint}`);
    const snapshots = await call('GET', `/baseline-profiles/${profileId}/snapshots`);
    for (const snap of (snapshots.items as { id: string }[] | undefined) ?? []) await call('GET', `/baseline-profiles/${profileId}/snapshots/${snap.id}`);
    const runs = await call('GET', `/tenants/${tenant}/operation-runs`);
    for (const run of (runs.items as { id: string }[] | undefined) ?? []) await call('GET', `/operation-runs/${run.id}`);
    await call('GET', `/tenants/${golden}/operation-runs`);
    await call('GET', `/tenants/${tenant}/audit`);
    await call('GET', '/audit');
    await call('GET', `/baseline-profiles/${profileId}`);
  } finally {
    process.stdout.write = writers.out;
    process.stderr.write = writers.err;
    logger.setLogLevel(level);
  }

  const places: { kind: string; texts: string[] }[] = [];
  const db = getDocumentClient();
  const tableTexts: string[] = [];
  for (const table of Object.values(env.stack.tables)) {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await db.send(new ScanCommand({ TableName: table, ...(start ? { ExclusiveStartKey: start } : {}) }));
      for (const item of out.Items ?? []) tableTexts.push(JSON.stringify(item, (_k, v: unknown) => (v instanceof Uint8Array ? readable(v) : v instanceof Set ? [...(v as Set<unknown>)] : v)));
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
  }
  const logLines = captured.join('').split('\n').filter(Boolean);
  const eventLines = existsSync(env.stack.eventsFile) ? readFileSync(env.stack.eventsFile, 'utf8').split('\n').filter(Boolean) : [];
  places.push({ kind: 'table items', texts: tableTexts }, { kind: 'log lines', texts: logLines }, { kind: 'events', texts: eventLines }, { kind: 'API responses', texts: responses });
  report.searched = { tableItems: tableTexts.length, logLines: logLines.length, eventLines: eventLines.length, responses: responses.length };
  report.controlFound = tableTexts.some((t) => t.includes(control));
  for (const [name, secret] of Object.entries(s)) {
    const forms = encodingsOf(secret);
    for (const place of places) {
      const hit = place.texts.find((t) => forms.some((f) => t.includes(f)));
      if (hit !== undefined) {
        report.found += 1;
        report.details.push(`${name} found in ${place.kind}: ${hit.slice(0, 160)}`);
      }
    }
  }
  return report;
}
