/**
 * The `npm start -- --once` flow in-process (on the run's DynamoDB Local): seed, one compare round
 * through the dispatcher, the summary; and the API it serves answers the summary's first curl example
 * with the summary's token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FABRIKAM_TENANT_ID, NORTHWIND_TENANT_ID } from '../../infra/local/demo/data.js';
import { main, type LocalSession } from '../../infra/local/start.js';
import { startTestSession, type TestSession } from '../support/local-session.js';

let session: LocalSession;
let started: TestSession | undefined;

beforeAll(async () => {
  started = await startTestSession('start');
  session = started.session;
});

afterAll(async () => {
  await started?.stop();
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
    expect(findings.byChangeType).toEqual({ missing_policy: 2, unexpected_policy: 3, different_version: 5 });
    expect(findings.bySeverity).toEqual({ low: 3, medium: 5, high: 2, critical: 0 });
    const rows = findings.rows.map((f) => `${f.tenant}|${f.changeType}|${f.policyType}|${f.displayName}`).sort();
    expect(rows).toEqual(
      [
        'Fabrikam|different_version|deviceConfiguration|Corp - Wi-Fi - Office WPA2',
        'Fabrikam|different_version|deviceCompliancePolicy|iOS - Compliance',
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
    const body = (await ok.json()) as { items: { changeType: string; tenantId: string; fingerprint: string; displayName: string }[] };
    expect(body.items.map((f) => f.changeType).sort()).toEqual(['different_version', 'different_version', 'different_version', 'missing_policy', 'unexpected_policy']);
    // The one assignment drift of the demo: the device group excluded instead of included.
    const assigned = body.items.find((f) => f.displayName === 'iOS - Compliance')!;
    const detail = await fetch(`${url}/${assigned.fingerprint}`, { headers: { authorization: `Bearer ${session.summary.token}` } });
    const evidence = ((await detail.json()) as { evidence: { dimensions: string[]; drifted_properties: { path: string; kind: string }[] } }).evidence;
    expect(evidence.dimensions).toEqual(['assignments']);
    expect(evidence.drifted_properties.map((p) => `${p.kind} ${p.path}`).sort()).toEqual([
      'added /assignments/exclude:group:All Corporate Devices',
      'removed /assignments/include:group:All Corporate Devices',
    ]);
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
