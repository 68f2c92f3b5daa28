import { createHash, randomBytes } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { NormalizedSubject, RegistryTypeKey } from '../../shared/domain/model.js';
import { CapacityMeter } from '../../shared/adapters/dynamodb/capacity.js';
import { contentJson } from '../../shared/adapters/dynamodb/content.js';
import { inventoryKeys } from '../../shared/adapters/dynamodb/keys.js';
import { dynamoTestContext, testRepositories, uniqueId } from '../support/dynamodb.js';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import { buildSubject } from '../../shared/domain/subject.js';
import { settingsCatalogPolicy } from '../support/assignments.js';
import { conditionalAccessPolicy } from '../support/conditional-access.js';

const TYPE: RegistryTypeKey = 'deviceConfiguration';

function sha(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

function policy(externalId: string, name: string, content: Record<string, unknown> = { setting: name }): NormalizedSubject {
  const meta = { odataType: '#microsoft.graph.windows10GeneralConfiguration' };
  return {
    policyType: TYPE,
    subjectKey: `${TYPE}:${name.toLowerCase()}`,
    displayName: name,
    metaHash: sha(meta),
    contentHash: sha(content),
    externalId,
    meta,
    content,
  };
}

async function contentItemCount(tenantId: string): Promise<number> {
  const { db, tables } = dynamoTestContext();
  const out = await db.send(
    new QueryCommand({
      TableName: tables.inventory,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': inventoryKeys.contentPartition(tenantId, TYPE) },
      Select: 'COUNT',
    }),
  );
  return out.Count ?? 0;
}

describe('InventoryRepository on DynamoDB Local', () => {
  it('does not rewrite unchanged policies: the second identical sync consumes no write units', async () => {
    const meter = new CapacityMeter();
    const { inventory } = testRepositories({ meter });
    const tenantId = uniqueId('tenant');
    const policies = Array.from({ length: 30 }, (_, i) => policy(`ext-${i}`, `Policy ${i}`));

    expect(await inventory.putTypeInventory(tenantId, TYPE, policies, { runId: 'sync-1', observedAt: '2025-03-01T00:00:00.000Z' }, { removeMissing: true })).toEqual({
      written: 30,
      unchanged: 0,
      removed: 0,
      stampedByRun: 30,
    });
    expect(meter.totals().writeUnits).toBeGreaterThanOrEqual(60); // 30 summaries + 30 content items

    meter.reset();
    expect(await inventory.putTypeInventory(tenantId, TYPE, policies, { runId: 'sync-2', observedAt: '2025-03-02T00:00:00.000Z' }, { removeMissing: true })).toEqual({
      written: 0,
      unchanged: 30,
      removed: 0,
      stampedByRun: 0,
    });
    expect(meter.totals().writeUnits).toBe(0);
    expect(meter.totals().readUnits).toBeGreaterThan(0);

    // One changed (content), one renamed (display name only): exactly those two are written.
    meter.reset();
    const changed = [...policies];
    changed[4] = policy('ext-4', 'Policy 4', { setting: 'different' });
    changed[9] = { ...policies[9]!, displayName: 'POLICY 9' };
    expect(await inventory.putTypeInventory(tenantId, TYPE, changed, { runId: 'sync-3', observedAt: '2025-03-03T00:00:00.000Z' }, { removeMissing: true })).toEqual({
      written: 2,
      unchanged: 28,
      removed: 0,
      stampedByRun: 2,
    });
    expect(meter.totals().writeUnits).toBe(4); // 2 summaries + 2 content items, 1 unit each

    const summaries = await inventory.listSummaries(tenantId, TYPE);
    const byId = new Map(summaries.map((s) => [s.externalId, s]));
    expect(byId.get('ext-4')).toMatchObject({ inventorySyncRunId: 'sync-3', observedAt: '2025-03-03T00:00:00.000Z', contentHash: sha({ setting: 'different' }) });
    expect(byId.get('ext-9')).toMatchObject({ displayName: 'POLICY 9', inventorySyncRunId: 'sync-3' });
    expect(byId.get('ext-0')).toMatchObject({ inventorySyncRunId: 'sync-1', observedAt: '2025-03-01T00:00:00.000Z' });
    expect(Object.keys(byId.get('ext-0')!).sort()).toEqual(
      ['contentHash', 'displayName', 'externalId', 'inventorySyncRunId', 'metaHash', 'observedAt', 'policyType', 'subjectKey'].sort(),
    );
    expect((await inventory.getContents(tenantId, TYPE, ['ext-4'])).get('ext-4')).toEqual({ meta: changed[4].meta, content: { setting: 'different' } });
  });

  it('removes policies missing from a sync only when told to (a succeeded sync of the type)', async () => {
    const { inventory } = testRepositories();
    const tenantId = uniqueId('tenant');
    const run = { runId: 'sync-1', observedAt: '2025-03-01T00:00:00.000Z' };
    await inventory.putTypeInventory(tenantId, TYPE, [policy('a', 'A'), policy('b', 'B'), policy('c', 'C')], run, { removeMissing: true });

    // A failed or partial collection: what was not seen stays.
    expect(await inventory.putTypeInventory(tenantId, TYPE, [policy('a', 'A')], run, { removeMissing: false })).toEqual({ written: 0, unchanged: 1, removed: 0, stampedByRun: 1 });
    expect((await inventory.listSummaries(tenantId, TYPE)).map((s) => s.externalId)).toEqual(['a', 'b', 'c']);

    expect(await inventory.putTypeInventory(tenantId, TYPE, [policy('a', 'A')], run, { removeMissing: true })).toEqual({ written: 0, unchanged: 1, removed: 2, stampedByRun: 1 });
    expect((await inventory.listSummaries(tenantId, TYPE)).map((s) => s.externalId)).toEqual(['a']);
    expect(await contentItemCount(tenantId)).toBe(1);
    expect((await inventory.getContents(tenantId, TYPE, ['b'])).size).toBe(0);
  });

  it('round-trips a 540 KB policy and drops the extra parts when it shrinks', async () => {
    const { inventory } = testRepositories();
    const tenantId = uniqueId('tenant');
    const settings = Array.from({ length: 900 }, (_, i) => ({ id: `setting_${i}`, value: randomBytes(450).toString('base64') }));
    const big = policy('big', 'Big', { settings });
    expect(contentJson(big).length).toBeGreaterThan(540_000);
    await inventory.putTypeInventory(tenantId, TYPE, [big], { runId: 's1', observedAt: '2025-03-01T00:00:00.000Z' }, { removeMissing: true });
    expect(await contentItemCount(tenantId)).toBeGreaterThan(1);
    const back = (await inventory.getContents(tenantId, TYPE, ['big'])).get('big')!;
    expect(contentJson(back)).toBe(contentJson(big));

    const small = policy('big', 'Big', { settings: settings.slice(0, 2) });
    await inventory.putTypeInventory(tenantId, TYPE, [small], { runId: 's2', observedAt: '2025-03-02T00:00:00.000Z' }, { removeMissing: true });
    expect(await contentItemCount(tenantId)).toBe(1);
    expect((await inventory.getContents(tenantId, TYPE, ['big'])).get('big')).toEqual({ meta: small.meta, content: small.content });
  });

  it('pages through a listing larger than one 1 MB query page', async () => {
    const meter = new CapacityMeter();
    const { inventory } = testRepositories({ meter });
    const tenantId = uniqueId('tenant');
    // About 1.3 MB of summaries: long display names, as some tenants have.
    const policies = Array.from({ length: 1100 }, (_, i) => policy(`ext-${String(i).padStart(5, '0')}`, `Policy ${i} ${'n'.repeat(1000)}`));
    await inventory.putTypeInventory(tenantId, TYPE, policies, { runId: 's1', observedAt: '2025-03-01T00:00:00.000Z' }, { removeMissing: false });

    meter.reset();
    const listed = await inventory.listSummaries(tenantId, TYPE);
    expect(listed).toHaveLength(1100);
    expect(new Set(listed.map((s) => s.externalId)).size).toBe(1100);
    expect(meter.totals().requests).toBeGreaterThan(1);
  });

  it('refuses subjects without an external id or of another type', async () => {
    const { inventory } = testRepositories();
    const tenantId = uniqueId('tenant');
    const run = { runId: 's1', observedAt: '2025-03-01T00:00:00.000Z' };
    const { externalId: _dropped, ...noId } = policy('x', 'X');
    await expect(inventory.putTypeInventory(tenantId, TYPE, [noId], run, { removeMissing: false })).rejects.toThrow(/externalId/);
    await expect(
      inventory.putTypeInventory(tenantId, 'compliancePolicy', [policy('x', 'X')], run, { removeMissing: false }),
    ).rejects.toThrow(/not a compliancePolicy/);
    await expect(inventory.putTypeInventory(tenantId, TYPE, [policy('x', 'X'), policy('x', 'Y')], run, { removeMissing: false })).rejects.toThrow(
      /twice/,
    );
    expect(await inventory.listSummaries(tenantId, TYPE)).toEqual([]);
  });

  it('rewrites a policy whose unnamed group changed although its hashes did not (ids are kept beside them)', async () => {
    const { inventory } = testRepositories();
    const tenantId = uniqueId('tenant');
    const digester = createSecretDigester('inventory-test-key-0123456789abcdef');
    const assigned = (groupId: string) =>
      buildSubject('settingsCatalogPolicy', settingsCatalogPolicy('0b7e5a1c-4444-4a2b-8c3d-000000000004', 'Defender Archive Scanning', [{ target: 'group', groupId }]), digester);
    const excluding = (groupId: string) =>
      buildSubject('conditionalAccessPolicy', conditionalAccessPolicy('c1c0ffee-0401-4000-8000-000000000004', 'CA004 - Require MFA', { excludeGroups: [groupId] }), digester);
    const cases = [
      { type: 'settingsCatalogPolicy' as const, before: assigned('6a1d2f3e-aaaa-4b5c-9d8e-00000000e004'), after: assigned('6a1d2f3e-bbbb-4b5c-9d8e-00000000e004') },
      { type: 'conditionalAccessPolicy' as const, before: excluding('6b1d2f3e-0001-4b5c-9d8e-00000000e004'), after: excluding('6b1d2f3e-0002-4b5c-9d8e-00000000e004') },
    ];
    for (const { type, before, after } of cases) {
      // Unnamed groups: what is compared across tenants is the same, what is stored is not.
      expect([after.contentHash, after.assignmentsHash]).toEqual([before.contentHash, before.assignmentsHash]);
      await inventory.putTypeInventory(tenantId, type, [before], { runId: 's1', observedAt: '2025-03-01T00:00:00.000Z' }, { removeMissing: true });
      const put = await inventory.putTypeInventory(tenantId, type, [after], { runId: 's2', observedAt: '2025-03-02T00:00:00.000Z' }, { removeMissing: true });
      expect(put).toMatchObject({ written: 1, unchanged: 0 });
    }
    const policy = (await inventory.getContents(tenantId, 'settingsCatalogPolicy', [cases[0]!.after.externalId!])).get(cases[0]!.after.externalId!);
    expect(policy?.assignments?.[0]?.group).toEqual({ id: '6a1d2f3e-bbbb-4b5c-9d8e-00000000e004' });
    const ca = (await inventory.getContents(tenantId, 'conditionalAccessPolicy', [cases[1]!.after.externalId!])).get(cases[1]!.after.externalId!);
    expect(ca?.policyGroups).toEqual([{ path: '/conditions/users/excludeGroups', groups: [{ id: '6b1d2f3e-0002-4b5c-9d8e-00000000e004' }] }]);
  });
});
