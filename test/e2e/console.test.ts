/**
 * The console in a real browser (Debian's Chromium driven by playwright-core) against the local stack
 * `npm start` runs, started in-process on the run's DynamoDB Local: open the printed console link, see
 * the demo profile's tenants, open Fabrikam's findings and its update ring finding (the quality update
 * deferral 7 -> 21), triage it with a reason and see the audit entry, see Northwind's compare with the
 * type it could not compare and why; the fleet matrix of the demo profile with the tenants by name and
 * each state as text, a cell that opens its finding, the last compare's evidence export, an acceptance
 * with an expiry that the fleet then shows, the profile's tenant exceptions; a missing,
 * expired or refused token shows the sign-in page.
 * Each step leaves a screenshot in `test-results/console/` (git-ignored) for review.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevKey, loadOrCreateDevKey, mintDevToken } from '../../infra/local/dev-auth.js';
import { DEMO_GOLDEN_TENANT, DEMO_PROFILE_ID, DEMO_WORKSPACE_ID, FABRIKAM_TENANT_ID, NORTHWIND_TENANT_ID } from '../../infra/local/demo/data.js';
import type { LocalSession } from '../../infra/local/start.js';
import { startTestSession, type TestSession } from '../support/local-session.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(process.cwd(), 'test-results', 'console');

let session: LocalSession;
let started: TestSession | undefined;
let browser: Browser | undefined;
const pageErrors: string[] = [];

beforeAll(async () => {
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  started = await startTestSession('console');
  session = started.session;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  await started?.stop();
});

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  return { context, page };
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** The element's visible text, trimmed, once it is there. */
async function text(locator: Locator): Promise<string> {
  await locator.waitFor();
  return (await locator.innerText()).trim();
}

/** The token the console keeps in the tab's session storage. */
function storedToken(page: Page): Promise<string | null> {
  return page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem('baseline-drift.token'));
}

function consoleUrl(): string {
  const url = /^Console: (\S+)$/m.exec(session.text)?.[1];
  if (url === undefined) throw new Error(`the summary prints no console link:\n${session.text}`);
  return url;
}

describe('the console in a browser, on the local stack', () => {
  it('prints its link with the operator token in the fragment, last in the summary', () => {
    const url = consoleUrl();
    expect(url).toBe(`${session.url}/console/#token=${session.summary.token}`);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/console\/#token=[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(session.text.trimEnd().endsWith(url)).toBe(true);
  });

  it('walks from the tenants to a finding, triages it and shows the audit entry, then the partial compare', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(consoleUrl());
      await page.getByRole('heading', { level: 1, name: 'Tenants' }).waitFor();
      // The token moved into session storage and out of the address bar.
      expect(new URL(page.url()).hash).toBe('#/');
      expect(await storedToken(page)).toBe(session.summary.token);
      const profileTable = page.locator('table', { hasText: 'demo-windows-ios-baseline' }).or(page.locator('table', { hasText: 'assigned tenants' })).first();
      await profileTable.waitFor();
      const tenantRow = (id: string) => profileTable.locator('tbody tr', { has: page.locator('code.id', { hasText: id }) });
      await expect.poll(() => text(tenantRow(FABRIKAM_TENANT_ID).locator('.badge'))).toBe('Succeeded');
      await expect.poll(() => text(tenantRow(NORTHWIND_TENANT_ID).locator('.badge'))).toBe('Partially succeeded');
      await shot(page, '01-tenants');

      await page.getByRole('link', { name: `Findings of ${FABRIKAM_TENANT_ID}` }).or(page.getByRole('link', { name: 'Findings of Fabrikam' })).first().click();
      await page.getByRole('heading', { level: 1, name: /^Findings of / }).waitFor();
      const rows = page.locator('table.findings tbody tr');
      await expect.poll(() => rows.count()).toBe(5);
      await page.getByRole('link', { name: 'Windows - Update ring - Broad' }).waitFor();
      await page.getByRole('link', { name: 'CA002 - All users - Block legacy authentication' }).waitFor();
      await shot(page, '02-fabrikam-findings');

      await page.getByRole('link', { name: 'Windows - Update ring - Broad' }).click();
      await page.getByRole('heading', { level: 1, name: 'Windows - Update ring - Broad' }).waitFor();
      const deferral = page.locator('table.diff tbody tr', { hasText: 'qualityUpdatesDeferralPeriodInDays' });
      await expect.poll(() => text(deferral.locator('th'))).toContain('Quality updates deferral period in days');
      await expect.poll(() => text(deferral.locator('td').nth(0))).toBe('Changed');
      await expect.poll(() => text(deferral.locator('td').nth(1))).toBe('7');
      // The demo accepted the raise to 21 days; the tenant then went to 28, which reopened the finding.
      await expect.poll(() => text(deferral.locator('td').nth(2))).toBe('28');
      await shot(page, '03-update-ring-finding');

      const reason = 'Pilot ring keeps 21 days on purpose; confirming with the customer';
      await page.getByLabel('Move to').selectOption('triaged');
      await page.getByLabel(/^Reason/).fill(reason);
      await page.getByRole('button', { name: 'Triage' }).click();
      await page.getByRole('status').filter({ hasText: 'Moved to Triaged.' }).waitFor();
      const audit = page.locator('table.audit tbody tr').first();
      await expect.poll(() => text(audit)).toContain('demo-operator');
      await expect.poll(() => text(audit)).toContain('Reopened → Triaged');
      await expect.poll(() => text(audit)).toContain(reason);
      await expect.poll(() => text(page.locator('p.badges'))).toContain('Triaged');
      await shot(page, '04-triaged-with-audit');

      await page.getByRole('link', { name: 'Tenants', exact: true }).click();
      await page.getByRole('link', { name: `Runs of ${NORTHWIND_TENANT_ID}` }).or(page.getByRole('link', { name: 'Runs of Northwind' })).first().click();
      await page.getByRole('heading', { level: 1, name: /^Runs of / }).waitFor();
      await expect.poll(() => text(page.getByRole('heading', { level: 2, name: /Baseline compare/ }))).toContain('Partially succeeded');
      const uncovered = page.locator('table.coverage tbody tr', { hasText: 'appProtectionPolicy' });
      await expect.poll(() => text(uncovered)).toContain('Not compared');
      await expect.poll(() => text(uncovered)).toContain('its inventory sync failed for this type');
      await expect.poll(() => text(uncovered)).toContain('403 Forbidden');
      await expect.poll(() => text(page.locator('table.coverage tbody tr', { hasText: 'windowsUpdateRing' }))).toContain('Compared');
      await shot(page, '05-northwind-partial-compare');
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows the tenants by name, the fleet matrix with its states as text, a cell\'s finding and the evidence export', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(consoleUrl());
      await page.getByRole('heading', { level: 1, name: 'Tenants' }).waitFor();
      // Every tenant of the token by the name the demo gave it, the golden one among the unassigned.
      for (const name of ['Contoso Golden', 'Fabrikam', 'Northwind']) await page.locator('.tenant-name', { hasText: name }).first().waitFor();
      await page.getByRole('link', { name: 'Findings of Fabrikam' }).waitFor();

      await page.getByRole('link', { name: 'Fleet', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Fleet' }).waitFor();
      const matrix = page.locator('table.fleet');
      await matrix.locator('tbody tr').first().waitFor();
      const heads = await matrix.locator('thead th').allInnerTexts();
      expect(heads.map((h) => h.trim())).toEqual(['Policy', 'Type', 'Fabrikam', 'Northwind']);
      const totals = page.locator('table.fleet-totals');
      await expect.poll(() => text(totals.locator('tbody tr', { hasText: 'Fabrikam' }).locator('.badge'))).toBe('Succeeded');
      await expect.poll(() => text(totals.locator('tbody tr', { hasText: 'Northwind' }).locator('.badge'))).toBe('Partially succeeded');
      const row = (name: string) => matrix.locator('tbody tr', { has: page.locator('th', { hasText: name }) });
      const cell = (name: string, column: number) => row(name).locator('td').nth(column);
      // Columns: type, then Fabrikam, then Northwind.
      await expect.poll(() => text(cell('CA002 - All users - Block legacy authentication', 1))).toBe('Missing policy');
      await expect.poll(() => text(cell('CA002 - All users - Block legacy authentication', 2))).toBe('Aligned');
      await expect.poll(() => text(cell('Android - App protection - Office apps', 2))).toBe('Uncovered');
      await expect.poll(() => text(cell('CA900 - Printers - Allow SMTP basic auth', 2))).toBe('Unexpected policy');
      await shot(page, '09-fleet');

      // 16 policies: pages of 10 give 10, then 6, and back.
      await page.getByLabel('Policies per page').selectOption('10');
      await expect.poll(() => matrix.locator('tbody tr').count()).toBe(10);
      await page.getByRole('button', { name: 'Next page' }).click();
      await expect.poll(() => text(matrix.locator('caption'))).toContain('page 2, 6 policies');
      await expect.poll(() => matrix.locator('tbody tr').count()).toBe(6);
      expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
      await page.getByRole('button', { name: 'Previous page' }).click();
      await expect.poll(() => text(matrix.locator('caption'))).toContain('page 1, 10 policies');
      await page.getByLabel('Policies per page').selectOption('25');
      await expect.poll(() => matrix.locator('tbody tr').count()).toBe(16);

      await page.getByLabel('State (in at least one tenant)').selectOption('uncovered');
      await expect.poll(async () => (await matrix.locator('tbody tr th').allInnerTexts()).every((t) => /app protection/i.test(t))).toBe(true);
      await page.getByLabel('State (in at least one tenant)').selectOption('');
      await page.getByLabel('Policy type').selectOption('conditionalAccessPolicy');
      await expect.poll(async () => (await matrix.locator('tbody td:nth-of-type(1)').allInnerTexts()).every((t) => t.trim() === 'conditionalAccessPolicy')).toBe(true);
      await shot(page, '10-fleet-filtered');

      await cell('CA002 - All users - Block legacy authentication', 1).getByRole('link').click();
      await page.getByRole('heading', { level: 1, name: 'CA002 - All users - Block legacy authentication' }).waitFor();
      expect(page.url()).toContain(`#/tenants/${FABRIKAM_TENANT_ID}/findings/`);

      await page.getByRole('link', { name: 'Fleet', exact: true }).click();
      await totals.locator('tbody tr', { hasText: 'Fabrikam' }).locator('td').first().getByRole('link').click();
      await page.getByRole('heading', { level: 1, name: 'Runs of Fabrikam' }).waitFor();
      const download = page.waitForEvent('download');
      await page.getByRole('link', { name: /^Evidence as JSON/ }).click();
      const file = await download;
      expect(file.suggestedFilename()).toMatch(/^evidence-[\w-]+\.json$/);
      const doc = JSON.parse(readFileSync(await file.path(), 'utf8')) as { sha256?: string; run?: { id?: string; tenantName?: string }; subjects?: unknown[] };
      expect(doc.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(file.suggestedFilename()).toBe(`evidence-${doc.run?.id}.json`);
      expect(doc.subjects?.length).toBeGreaterThan(0);
      await page.getByRole('link', { name: /^Evidence as CSV/ }).waitFor();
      await page.getByRole('link', { name: /^Evidence as HTML/ }).waitFor();
      await shot(page, '11-fabrikam-run-evidence');

      // Accept Fabrikam's unexpected kiosk policy until a date: the finding shows what was pinned and
      // until when, and the fleet shows the cell as accepted.
      await page.getByRole('link', { name: 'Fleet', exact: true }).click();
      await cell('Legacy - Kiosk restrictions', 1).getByRole('link').click();
      await page.getByRole('heading', { level: 1, name: 'Legacy - Kiosk restrictions' }).waitFor();
      await page.getByLabel('Move to').selectOption('risk_accepted');
      await expect.poll(() => text(page.getByLabel('What gets pinned'))).toMatch(/settings: \S+/);
      const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      await page.getByLabel(/^Accepted until/).fill(until);
      await page.getByLabel(/^Reason/).fill('Kiosk devices of the warehouse keep it until they are replaced');
      await page.getByRole('button', { name: 'Accept the risk' }).click();
      await page.getByRole('status').filter({ hasText: 'Moved to Risk accepted.' }).waitFor();
      const acceptance = page.locator('dl.acceptance');
      await expect.poll(() => text(acceptance)).toContain('by demo-operator');
      await expect.poll(() => text(acceptance)).toContain(new Date(`${until}T23:59:59.000Z`).getUTCFullYear().toString());
      await expect.poll(() => text(acceptance)).toMatch(/Pinned value\s+settings \S+/);
      await shot(page, '12-accepted-with-expiry');
      await page.getByRole('link', { name: 'Fleet', exact: true }).click();
      await expect.poll(() => text(cell('Legacy - Kiosk restrictions', 1))).toBe('Accepted');
      await expect.poll(() => text(totals.locator('tbody tr', { hasText: 'Fabrikam' }).locator('td').nth(6))).toBe('1');

      // The profile's ignored properties and each tenant's exceptions, read only: set through the API first.
      const admin = await mintDevToken(await loadOrCreateDevKey(started!.stateDir), {
        workspaceId: DEMO_WORKSPACE_ID,
        tenantIds: [FABRIKAM_TENANT_ID, NORTHWIND_TENANT_ID],
        role: 'admin',
        subject: 'demo-admin',
      });
      const call = async (method: string, path: string, body: unknown) => {
        const res = await fetch(`${session.url}${path}`, { method, headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
      };
      const ignored = { policyType: 'windowsUpdateRing', path: '/featureUpdatesDeferralPeriodInDays', reason: 'Each customer sets its own feature update deferral' };
      await call('PATCH', `/baseline-profiles/${DEMO_PROFILE_ID}`, { ignoredProperties: [ignored] });
      await call('PUT', `/tenants/${FABRIKAM_TENANT_ID}/group-mappings`, { mappings: [{ baselineGroup: 'Intune - Pilot devices', tenantGroupId: '5a1d7c3e-0000-4000-8000-00000000f001' }] });
      await call('POST', `/tenants/${NORTHWIND_TENANT_ID}/subject-links`, {
        policyType: 'deviceConfiguration',
        baselineSubjectKey: 'deviceConfiguration:ios - device restrictions',
        tenantDisplayName: 'iOS - Restrictions (Northwind)',
      });
      await page.getByRole('link', { name: 'Baselines', exact: true }).click();
      await page.getByRole('link', { name: 'Windows and iOS baseline' }).click();
      await page.getByRole('heading', { level: 2, name: 'Ignored properties and tenant exceptions' }).waitFor();
      await page.getByRole('heading', { level: 3, name: 'Exceptions of Fabrikam' }).waitFor();
      await page.getByRole('heading', { level: 3, name: 'Exceptions of Northwind' }).waitFor();
      await expect.poll(() => text(page.locator('table.ignored', { hasText: 'Ignored properties of the profile' }).locator('tbody tr'))).toContain(ignored.path);
      await expect.poll(() => text(page.locator('table.ignored tbody tr', { hasText: ignored.path }))).toContain(ignored.reason);
      await expect.poll(() => text(page.locator('table.group-mappings', { hasText: 'Group mappings of Fabrikam' }).locator('tbody tr'))).toContain('Intune - Pilot devices');
      await page.getByText('Group mappings of Northwind: none').waitFor();
      const link = page.locator('table.subject-links', { hasText: 'Subject links of Northwind' }).locator('tbody tr');
      await expect.poll(() => text(link)).toContain('iOS - Restrictions (Northwind)');
      await expect.poll(() => text(link)).toContain('by demo-admin');
      await shot(page, '13-baseline-exceptions');
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows the sign-in page for a missing, an expired and a refused token', async () => {
    const key = await loadOrCreateDevKey(started!.stateDir);
    const claims = { workspaceId: DEMO_WORKSPACE_ID, tenantIds: [DEMO_GOLDEN_TENANT.tenantId, FABRIKAM_TENANT_ID], role: 'operator' as const };
    const expired = await mintDevToken(key, { ...claims, ttlSeconds: -60 });
    const foreign = await mintDevToken(await createDevKey(), claims);
    const cases = [
      { name: '06-no-token', url: `${session.url}/console/`, says: 'You are not signed in.' },
      { name: '07-expired-token', url: `${session.url}/console/#token=${expired}`, says: 'Your sign-in has expired.' },
      { name: '08-refused-token', url: `${session.url}/console/#token=${foreign}`, says: 'The API did not accept your sign-in' },
    ];
    for (const c of cases) {
      const { context, page } = await newPage();
      try {
        await page.goto(c.url);
        await page.getByRole('heading', { level: 1, name: 'Sign in to the Baseline Drift Engine' }).waitFor();
        await expect.poll(() => text(page.getByRole('alert'))).toContain(c.says);
        await page.getByLabel('Token').waitFor();
        expect(await storedToken(page)).toBeNull();
        await shot(page, c.name);
      } finally {
        await context.close();
      }
    }
    expect(pageErrors).toEqual([]);
  });
});
