/**
 * The tenant and webhook routes over real HTTP on loopback (the local stack on DynamoDB Local): tenant
 * display names, webhook destinations (the signing secret returned once, never stored in clear, URLs
 * checked against the local policy), roles, visibility and the audit trail.
 */
import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { startApiHarness, type ApiHarness } from './support.js';
import './problem-matcher.js';

const WS = `ws-${randomUUID().slice(0, 8)}`;
const OTHER_WS = `ws-${randomUUID().slice(0, 8)}`;
const T1 = `tenant-${randomUUID()}`;
const T2 = `tenant-${randomUUID()}`;

let api: ApiHarness;
let admin: string;
let operator: string;
let reader: string;
let otherAdmin: string;

beforeAll(async () => {
  api = await startApiHarness();
  admin = await api.token({ workspaceId: WS, tenantIds: [T1, T2], role: 'admin', subject: 'alice@example.test' });
  operator = await api.token({ workspaceId: WS, tenantIds: [T1, T2], role: 'operator' });
  reader = await api.token({ workspaceId: WS, tenantIds: [T1, T2], role: 'reader' });
  otherAdmin = await api.token({ workspaceId: OTHER_WS, tenantIds: [T1], role: 'admin' });
});

afterAll(async () => {
  await api?.stop();
});

async function tableText(): Promise<string> {
  const out = await getDocumentClient().send(new ScanCommand({ TableName: api.stack.tables.baselines }));
  return JSON.stringify(out.Items ?? []);
}

describe('tenant names', () => {
  it('lists the token\'s tenants; one without a name shows its id', async () => {
    const res = await api.call('GET', '/tenants', { token: reader });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual(
      expect.arrayContaining([
        { tenantId: T1, displayName: T1, named: false },
        { tenantId: T2, displayName: T2, named: false },
      ]),
    );
    expect(res.body.items).toHaveLength(2);
  });

  it('renames a tenant (admin, audited), per workspace', async () => {
    const put = await api.call('PUT', `/tenants/${T1}`, { token: admin, body: { displayName: '  Fabrikam  ' }, headers: { 'x-correlation-id': 'corr-rename-1' } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ tenantId: T1, displayName: 'Fabrikam', named: true, updatedBy: 'alice@example.test' });
    const list = await api.call('GET', '/tenants', { token: reader });
    expect(list.body.items[0]).toMatchObject({ tenantId: T1, displayName: 'Fabrikam', named: true });
    const again = await api.call('PUT', `/tenants/${T1}`, { token: admin, body: { displayName: 'Fabrikam Ltd' } });
    expect(again.body.displayName).toBe('Fabrikam Ltd');
    // Another workspace managing the same tenant sees its own names only.
    const other = await api.call('GET', '/tenants', { token: otherAdmin });
    expect(other.body.items).toEqual([{ tenantId: T1, displayName: T1, named: false }]);
    const audit = await api.call('GET', `/tenants/${T1}/audit`, { token: reader });
    const renames = audit.body.items.filter((e: { action: string }) => e.action === 'tenant.renamed');
    expect(renames.map((e: { details: Record<string, unknown> }) => e.details)).toEqual([
      { displayName: 'Fabrikam Ltd', previousDisplayName: 'Fabrikam' },
      { displayName: 'Fabrikam' },
    ]);
    expect(renames[1].correlationId).toBe('corr-rename-1');
  });

  it('refuses a weaker role, a tenant outside the token and a bad name', async () => {
    expect(await api.call('PUT', `/tenants/${T2}`, { token: operator, body: { displayName: 'x' } })).toBeProblem(403);
    expect(await api.call('PUT', `/tenants/tenant-${randomUUID()}`, { token: admin, body: { displayName: 'x' } })).toBeProblem(404);
    expect(await api.call('PUT', `/tenants/${T2}`, { token: admin, body: { displayName: '   ' } })).toBeProblem(400);
    expect(await api.call('PUT', `/tenants/${T2}`, { token: admin, body: { displayName: 'a\u0007b' } })).toBeProblem(400);
    expect(await api.call('PUT', `/tenants/${T2}`, { token: admin, body: { displayName: 'x', extra: 1 } })).toBeProblem(400);
    expect(await api.call('GET', '/tenants')).toBeProblem(401);
  });
});

describe('webhook destinations', () => {
  const receiver = `http://127.0.0.1:9/hooks/T000/B000/${randomUUID()}`;
  let created: { id: string; secret: string };

  it('creates a destination and returns its secret once; lists show the origin only', async () => {
    const res = await api.call('POST', '/webhooks', {
      token: admin,
      body: { url: receiver, events: ['finding.opened', 'compare.failed'], minSeverity: 'high', format: 'slack', description: 'ops channel' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ url: 'http://127.0.0.1:9', events: ['finding.opened', 'compare.failed'], minSeverity: 'high', format: 'slack', description: 'ops channel', createdBy: 'alice@example.test' });
    expect(res.body.id).toMatch(/^wh_/);
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(res.headers.get('location')).toBe(`/webhooks/${res.body.id}`);
    created = { id: res.body.id, secret: res.body.secret };

    const defaults = await api.call('POST', '/webhooks', { token: admin, body: { url: 'http://localhost:9/x', events: ['finding.resolved'] } });
    expect(defaults.body).toMatchObject({ minSeverity: 'low', format: 'standard' });

    const list = await api.call('GET', '/webhooks', { token: admin });
    expect(list.status).toBe(200);
    expect(list.body.items.map((w: { id: string }) => w.id).sort()).toEqual([created.id, defaults.body.id].sort());
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    expect(JSON.stringify(list.body)).not.toContain('/hooks/');
    expect((await api.call('GET', '/webhooks', { token: otherAdmin })).body.items).toEqual([]);
  });

  it('keeps neither the secret nor the URL\'s path in the table, nor in the audit trail', async () => {
    const text = await tableText();
    expect(text).toContain(created.id);
    expect(text).not.toContain(created.secret.slice('whsec_'.length));
    expect(text).not.toContain(receiver.slice(receiver.indexOf('/hooks/')));
    const audit = await api.call('GET', '/audit', { token: admin });
    const entry = audit.body.items.find((e: { action: string; details: { webhookId?: string } }) => e.action === 'webhook.created' && e.details.webhookId === created.id);
    expect(entry.details).toEqual({ webhookId: created.id, urlOrigin: 'http://127.0.0.1:9', events: ['finding.opened', 'compare.failed'], minSeverity: 'high', format: 'slack' });
    expect(JSON.stringify(audit.body)).not.toContain('/hooks/');
  });

  it('refuses URLs outside the policy with 422 and what to do, and bad bodies with 400', async () => {
    for (const url of ['https://10.1.2.3/x', 'https://169.254.169.254/latest', 'http://hooks.example.com/x', 'https://u:p@hooks.example.com/x', 'https://[fd00::1]/x']) {
      const res = await api.call('POST', '/webhooks', { token: admin, body: { url, events: ['finding.opened'] } });
      expect(res).toBeProblem(422, 'webhook-url-refused');
      expect(res.body.errors[0].path).toBe('body.url');
    }
    expect(await api.call('POST', '/webhooks', { token: admin, body: { url: receiver, events: [] } })).toBeProblem(400);
    expect(await api.call('POST', '/webhooks', { token: admin, body: { url: receiver, events: ['finding.opened', 'finding.opened'] } })).toBeProblem(400);
    expect(await api.call('POST', '/webhooks', { token: admin, body: { url: receiver, events: ['finding.closed'] } })).toBeProblem(400);
    expect(await api.call('POST', '/webhooks', { token: admin, body: { url: receiver, events: ['finding.opened'], format: 'email' } })).toBeProblem(400);
  });

  it('is admin only', async () => {
    expect(await api.call('POST', '/webhooks', { token: operator, body: { url: receiver, events: ['finding.opened'] } })).toBeProblem(403);
    expect(await api.call('GET', '/webhooks', { token: reader })).toBeProblem(403);
    expect(await api.call('DELETE', `/webhooks/${created.id}`, { token: operator })).toBeProblem(403);
  });

  it('deletes a destination of the caller\'s workspace only (audited)', async () => {
    expect(await api.call('DELETE', `/webhooks/${created.id}`, { token: otherAdmin })).toBeProblem(404);
    const del = await api.call('DELETE', `/webhooks/${created.id}`, { token: admin });
    expect(del.status).toBe(204);
    expect(await api.call('DELETE', `/webhooks/${created.id}`, { token: admin })).toBeProblem(404);
    expect(await api.call('DELETE', '/webhooks/not-an-id', { token: admin })).toBeProblem(400);
    const list = await api.call('GET', '/webhooks', { token: admin });
    expect(list.body.items.map((w: { id: string }) => w.id)).not.toContain(created.id);
    const audit = await api.call('GET', '/audit', { token: admin });
    expect(audit.body.items.find((e: { action: string }) => e.action === 'webhook.deleted').details).toEqual({ webhookId: created.id, urlOrigin: 'http://127.0.0.1:9' });
  });
});
