/**
 * Tenant exceptions over real HTTP on loopback (the local stack on DynamoDB Local): ignored properties
 * on profiles and assignments (admin; a pointer that can never match is refused with why and what to
 * do), and a tenant's subject links (operator; create, replace, list, delete, audited, per workspace).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type ApiHarness } from './support.js';
import './problem-matcher.js';

const WS = `ws-${randomUUID().slice(0, 8)}`;
const OTHER_WS = `ws-${randomUUID().slice(0, 8)}`;
const T1 = `tenant-${randomUUID()}`;
const T2 = `tenant-${randomUUID()}`;
const TYPE = 'deviceConfiguration';

let api: ApiHarness;
let admin: string;
let operator: string;
let reader: string;
let otherOperator: string;

beforeAll(async () => {
  api = await startApiHarness();
  admin = await api.token({ workspaceId: WS, tenantIds: [T1, T2], role: 'admin', subject: 'alice@example.test' });
  operator = await api.token({ workspaceId: WS, tenantIds: [T1, T2], role: 'operator', subject: 'oscar@example.test' });
  reader = await api.token({ workspaceId: WS, tenantIds: [T1, T2], role: 'reader' });
  otherOperator = await api.token({ workspaceId: OTHER_WS, tenantIds: [T1], role: 'operator' });
});

afterAll(async () => {
  await api?.stop();
});

describe('ignored properties', () => {
  const IGNORE = [
    { policyType: 'settingsCatalogPolicy', path: '/settings/*/settingInstance/choiceSettingValue/children', reason: 'child values set per site' },
    { policyType: TYPE, path: '/assignments', reason: 'assigned by the customer' },
  ];

  it('are kept on a profile (admin), replaced by PATCH, and refused with why and what to do when they can never match', async () => {
    const created = await api.call('POST', '/baseline-profiles', { token: admin, body: { name: 'Exceptions', ignoredProperties: IGNORE } });
    expect(created.status).toBe(201);
    expect(created.body.ignoredProperties).toEqual(IGNORE);
    const id = created.body.id as string;

    const refused = await api.call('PATCH', `/baseline-profiles/${id}`, {
      token: admin,
      body: { ignoredProperties: [IGNORE[0], { policyType: 'conditionalAccessPolicy', path: '/assignments', reason: 'x' }] },
    });
    expect(refused).toBeProblem(422, 'ignored-property-invalid');
    expect(refused.body.detail).toMatch(/ignoredProperties\[1\].*have no assignments: remove this entry/);
    expect(refused.body.errors).toEqual([{ path: 'body.ignoredProperties.1.path', message: expect.any(String) }]);
    const named = await api.call('PATCH', `/baseline-profiles/${id}`, { token: admin, body: { ignoredProperties: [{ policyType: TYPE, path: '/displayName', reason: 'x' }] } });
    expect(named).toBeProblem(422, 'ignored-property-invalid');
    expect(named.body.detail).toMatch(/subject link/);
    expect(await api.call('PATCH', `/baseline-profiles/${id}`, { token: operator, body: { ignoredProperties: [] } })).toBeProblem(403);
    expect(await api.call('PATCH', `/baseline-profiles/${id}`, { token: admin, body: { ignoredProperties: [{ policyType: TYPE, path: '/x' }] } })).toBeProblem(400);

    const patched = await api.call('PATCH', `/baseline-profiles/${id}`, { token: admin, body: { ignoredProperties: IGNORE.slice(0, 1) } });
    expect(patched.status).toBe(200);
    expect((await api.call('GET', `/baseline-profiles/${id}`, { token: reader })).body.ignoredProperties).toEqual(IGNORE.slice(0, 1));
  });

  it("an assignment adds the tenant's own; the same PUT again is a retry, other ones a conflict", async () => {
    const profile = (await api.call('POST', '/baseline-profiles', { token: admin, body: { name: 'Assigned with exceptions' } })).body.id as string;
    const own = [{ policyType: TYPE, path: '/passwordMinimumLength', reason: 'a longer screen lock for this customer' }];
    const put = await api.call('PUT', `/baseline-profiles/${profile}/assignments/${T1}`, { token: admin, body: { ignoredProperties: own } });
    expect(put.status).toBe(201);
    expect(put.body.ignoredProperties).toEqual(own);
    expect((await api.call('PUT', `/baseline-profiles/${profile}/assignments/${T1}`, { token: admin, body: { ignoredProperties: own } })).status).toBe(200);
    expect(await api.call('PUT', `/baseline-profiles/${profile}/assignments/${T1}`, { token: admin, body: {} })).toBeProblem(409, 'assignment-conflict');
    expect(await api.call('PUT', `/baseline-profiles/${profile}/assignments/${T2}`, { token: admin, body: { ignoredProperties: [{ policyType: TYPE, path: '/id', reason: 'x' }] } })).toBeProblem(
      422,
      'ignored-property-invalid',
    );
  });
});

describe('subject links', () => {
  const base = `/tenants/${T1}/subject-links`;
  const body = { policyType: TYPE, baselineSubjectKey: `${TYPE}:Win - Kiosk`, tenantDisplayName: 'Kiosk (Contoso)' };

  it('creates (201 with a linkId), replaces the link of the same baseline subject (200), lists, deletes (204), audited', async () => {
    const created = await api.call('POST', base, { token: operator, body, headers: { 'x-correlation-id': 'corr-link-1' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ linkId: expect.stringMatching(/^sl-[0-9a-f]{24}$/), policyType: TYPE, baselineSubjectKey: `${TYPE}:win - kiosk`, tenantDisplayName: 'Kiosk (Contoso)', createdBy: 'oscar@example.test' });
    const linkId = created.body.linkId as string;

    const replaced = await api.call('POST', base, { token: operator, body: { ...body, baselineSubjectKey: `${TYPE}:WIN - kiosk`, tenantDisplayName: 'Contoso Kiosk' } });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ linkId, tenantDisplayName: 'Contoso Kiosk' });
    const other = await api.call('POST', base, { token: operator, body: { ...body, baselineSubjectKey: `${TYPE}:Win - Shared`, tenantDisplayName: 'Shared PCs' } });
    expect(other.status).toBe(201);

    const list = await api.call('GET', base, { token: reader });
    expect(list.status).toBe(200);
    expect(list.body.items.map((l: { tenantDisplayName: string }) => l.tenantDisplayName).sort()).toEqual(['Contoso Kiosk', 'Shared PCs']);

    expect((await api.call('DELETE', `${base}/${linkId}`, { token: operator })).status).toBe(204);
    expect(await api.call('DELETE', `${base}/${linkId}`, { token: operator })).toBeProblem(404);
    expect((await api.call('GET', base, { token: reader })).body.items).toHaveLength(1);

    const audit = (await api.call('GET', `/tenants/${T1}/audit`, { token: reader })).body.items as { action: string; actor: string; correlationId: string; details: Record<string, unknown> }[];
    const actions = audit.filter((e) => e.action.startsWith('subject_link.')).map((e) => e.action);
    expect(actions.sort()).toEqual(['subject_link.created', 'subject_link.created', 'subject_link.deleted', 'subject_link.replaced']);
    expect(audit.find((e) => e.correlationId === 'corr-link-1')).toMatchObject({ action: 'subject_link.created', actor: 'oscar@example.test', details: { linkId } });
    expect(audit.find((e) => e.action === 'subject_link.replaced')?.details).toMatchObject({ previousTenantDisplayName: 'Kiosk (Contoso)', tenantDisplayName: 'Contoso Kiosk' });
  });

  it('refuses what cannot be a link (422, saying what to send), a weak role (403), a tenant outside the token or another workspace (404)', async () => {
    const wrongType = await api.call('POST', base, { token: operator, body: { ...body, baselineSubjectKey: 'settingsCatalogPolicy:Win - Kiosk' } });
    expect(wrongType).toBeProblem(422, 'subject-link-invalid');
    expect(wrongType.body.detail).toMatch(/write it 'deviceConfiguration:<baseline policy name>'/);
    expect(await api.call('POST', base, { token: operator, body: { ...body, tenantDisplayName: ' win -  KIOSK ' } })).toBeProblem(422, 'subject-link-invalid');
    // A tenant policy stands for one baseline subject.
    const taken = await api.call('POST', base, { token: operator, body: { ...body, baselineSubjectKey: `${TYPE}:Win - Other`, tenantDisplayName: 'SHARED pcs' } });
    expect(taken).toBeProblem(422, 'subject-link-invalid');
    expect(taken.body.detail).toMatch(/already linked to 'deviceConfiguration:win - shared'.*delete that link first/);
    expect(await api.call('POST', base, { token: operator, body: { ...body, extra: 1 } })).toBeProblem(400);
    expect(await api.call('POST', base, { token: reader, body })).toBeProblem(403);
    expect(await api.call('DELETE', `${base}/sl-000000000000000000000000`, { token: reader })).toBeProblem(403);
    expect(await api.call('GET', `/tenants/tenant-${randomUUID()}/subject-links`, { token: reader })).toBeProblem(404);
    // T1's links were written by WS: another workspace holding T1 in its token sees nothing of them.
    expect(await api.call('GET', base, { token: otherOperator })).toBeProblem(404);
    expect(await api.call('POST', base, { token: otherOperator, body })).toBeProblem(404);
    expect((await api.call('GET', `/tenants/${T2}/subject-links`, { token: reader })).body).toEqual({ tenantId: T2, items: [] });
  });

  it('are in the OpenAPI document', async () => {
    const doc = (await api.call('GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/tenants/{tenantId}/subject-links'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/tenants/{tenantId}/subject-links/{linkId}'] ?? {})).toEqual(['delete']);
  });
});
