/**
 * The `npm start -- --once` flow in-process (on the run's DynamoDB Local): seed, one compare round
 * through the dispatcher, the summary; and the API it serves answers the summary's first curl example
 * with the summary's token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseStageConfig } from '../../infra/stage.js';
import { FABRIKAM_TENANT_ID, NORTHWIND_TENANT_ID } from '../../infra/local/demo/data.js';
import { main, startLocal, type LocalSession } from '../../infra/local/start.js';

let session: LocalSession;
let stateDir: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'drift-start-'));
  delete process.env.DRIFT_SECRET_KEY; // start keeps its own key in the state folder
  session = await startLocal({
    port: 0,
    endpoint: inject('dynamoEndpoint'),
    prefix: `s${randomUUID().slice(0, 8)}-`,
    stateDir,
    schedule: false,
    stage: parseStageConfig({ stage: 'dev' }),
  });
});

afterAll(async () => {
  await session?.stop();
  rmSync(stateDir, { recursive: true, force: true });
  process.env = savedEnv;
});

/** The URL and token of a curl example as printed. */
function parseCurl(command: string): { url: string; auth: boolean } {
  const url = /(http:\/\/[^\s"]+)/.exec(command)?.[1];
  if (url === undefined) throw new Error(`no URL in ${command}`);
  return { url, auth: command.includes('Authorization: Bearer $TOKEN') };
}

describe('npm start --once, in-process', () => {
  it('finds drift of all three change types, exactly the drift the demo data holds', () => {
    const { findings } = session.summary;
    expect(findings.byChangeType).toEqual({ missing_policy: 2, unexpected_policy: 3, different_version: 4 });
    expect(findings.bySeverity).toEqual({ low: 3, medium: 4, high: 2, critical: 0 });
    const rows = findings.rows.map((f) => `${f.tenant}|${f.changeType}|${f.policyType}|${f.displayName}`).sort();
    expect(rows).toEqual(
      [
        'Fabrikam|different_version|deviceConfiguration|Corp - Wi-Fi - Office WPA2',
        'Fabrikam|different_version|windowsUpdateRing|Windows - Update ring - Broad',
        'Fabrikam|missing_policy|conditionalAccessPolicy|CA002 - All users - Block legacy authentication',
        'Fabrikam|unexpected_policy|deviceConfiguration|Legacy - Kiosk restrictions',
        'Northwind|different_version|deviceCompliancePolicy|Windows - Compliance',
        'Northwind|different_version|settingsCatalogPolicy|Edge - Security',
        'Northwind|missing_policy|deviceConfiguration|iOS - Device restrictions',
        'Northwind|unexpected_policy|conditionalAccessPolicy|CA900 - Printers - Allow SMTP basic auth',
        'Northwind|unexpected_policy|roleScopeTag|Contractors',
      ].sort(),
    );
    for (const key of ['missing_policy', 'unexpected_policy', 'different_version']) expect(session.text).toContain(key);
  });

  it('shows a succeeded and a partially succeeded compare (the tenant with a failed policy type)', () => {
    const compares = session.summary.runs.filter((r) => r.type === 'baseline_compare');
    // Fabrikam is compared twice: the round, then after it changed an accepted deviation further.
    expect(compares.map((r) => `${r.tenant}:${r.outcome}`).sort()).toEqual(['Fabrikam:succeeded', 'Fabrikam:succeeded', 'Northwind:partially_succeeded']);
    expect(session.summary.runs.find((r) => r.tenant === 'Northwind' && r.type === 'inventory_sync')?.outcome).toBe('partially_succeeded');
    expect(session.summary.dispatch).toMatchObject({ assignments: 2, started: 2, failed: 0 });
    expect(session.text).toMatch(/Northwind\s*│ baseline_compare\s*│ partially_succeeded/);
  });

  it('lists the events the round sent, read from the local events file', () => {
    expect(session.summary.events['Baseline Compare Completed']).toBe(3);
    // Opened events only at or above the profile's alertMinSeverity (high): the two missing policies.
    expect(session.summary.events['Drift Finding Opened']).toBe(2);
    // The end of an acceptance is always told (the update ring is medium, below the threshold).
    expect(session.summary.events['Drift Finding Reopened']).toBe(1);
    expect(session.text).toContain('Baseline Compare Completed');
  });

  it("shows Fabrikam's accepted deviation reopened once the tenant changed it further", () => {
    expect(session.summary.acceptance).toMatchObject({
      tenant: 'Fabrikam',
      policy: 'Windows - Update ring - Broad',
      acceptedBy: 'demo-operator',
      status: 'reopened',
      reopenReason: 'accepted_value_changed',
    });
    expect(session.summary.findings.rows.find((f) => f.policyType === 'windowsUpdateRing')?.status).toBe('reopened');
    expect(session.text).toContain('accepted_value_changed');
  });

  it("answers the first curl example (a demo tenant's findings) with the printed operator token", async () => {
    const first = session.summary.curl[0]!;
    expect(first.command).toContain(`/tenants/${FABRIKAM_TENANT_ID}/findings`);
    expect(session.text).toContain(`export TOKEN=${session.summary.token}`);
    const { url, auth } = parseCurl(first.command);
    expect(auth).toBe(true);
    const ok = await fetch(url, { headers: { authorization: `Bearer ${session.summary.token}` } });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { items: { changeType: string; tenantId: string }[] };
    expect(body.items.map((f) => f.changeType).sort()).toEqual(['different_version', 'different_version', 'missing_policy', 'unexpected_policy']);
    expect(body.items.every((f) => f.tenantId === FABRIKAM_TENANT_ID)).toBe(true);

    const noToken = await fetch(url);
    expect(noToken.status).toBe(401);
    const forged = await fetch(url, { headers: { authorization: `Bearer ${session.summary.token.slice(0, -4)}AAAA` } });
    expect(forged.status).toBe(401);
  });

  it('grants an operator what the summary suggests: the compare runs of the partially covered tenant', async () => {
    const example = session.summary.curl.find((c) => c.command.includes(`/tenants/${NORTHWIND_TENANT_ID}/operation-runs`))!;
    const { url } = parseCurl(example.command);
    const res = await fetch(url, { headers: { authorization: `Bearer ${session.summary.token}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { outcome: string; type: string }[] };
    expect(body.items.map((r) => `${r.type}:${r.outcome}`)).toEqual(['baseline_compare:partially_succeeded']);
  });

  it('names the demo tenants: GET /tenants answers with Contoso Golden, Fabrikam and Northwind', async () => {
    const example = session.summary.curl.find((c) => /\/tenants$/.test(c.command))!;
    const res = await fetch(parseCurl(example.command).url, { headers: { authorization: `Bearer ${session.summary.token}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { tenantId: string; displayName: string; named: boolean }[] };
    expect(body.items.map((t) => t.displayName)).toEqual(['Contoso Golden', 'Fabrikam', 'Northwind']);
    expect(body.items.every((t) => t.named)).toBe(true);
    expect(body.items.find((t) => t.displayName === 'Fabrikam')?.tenantId).toBe(FABRIKAM_TENANT_ID);
  });

  it('refuses a bad command line with exit status 2', async () => {
    expect(await main(['--port', 'not-a-port'])).toBe(2);
    expect(await main(['--bogus'])).toBe(2);
  });
});
