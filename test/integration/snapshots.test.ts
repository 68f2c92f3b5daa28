import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { RegistryTypeKey } from '../../shared/domain/model.js';
import { CapacityMeter } from '../../shared/adapters/dynamodb/capacity.js';
import { contentJson } from '../../shared/adapters/dynamodb/content.js';
import { SnapshotItemConflictError, SnapshotNotBuildingError } from '../../shared/usecases/ports/errors.js';
import { snapshotItemKeys } from '../../shared/adapters/dynamodb/keys.js';
import type { SnapshotItemInput } from '../../shared/usecases/ports/persistence.js';
import { corpusAvailable, corpusDir } from '../support/corpus.js';
import { dynamoTestContext, testRepositories, uniqueId } from '../support/dynamodb.js';

const TYPE: RegistryTypeKey = 'settingsCatalogPolicy';

function sha(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

function subject(name: string, content: Record<string, unknown> = { setting: name }, policyType: RegistryTypeKey = TYPE): SnapshotItemInput {
  const meta = { odataType: '#microsoft.graph.deviceManagementConfigurationPolicy', platforms: 'windows10' };
  return {
    policyType,
    subjectKey: `${policyType}:${name.toLowerCase()}`,
    displayName: name,
    metaHash: sha(meta),
    contentHash: sha(content),
    meta,
    content,
  };
}

/** A settings-catalog-like policy of about `bytes` bytes whose values are random (barely compressible). */
function largeRandomContent(bytes: number): Record<string, unknown> {
  const settings: Array<Record<string, unknown>> = [];
  let size = 0;
  for (let i = 0; size < bytes; i += 1) {
    const setting = { settingDefinitionId: `device_vendor_msft_policy_config_${i}`, value: randomBytes(600).toString('base64') };
    size += JSON.stringify(setting).length + 1;
    settings.push(setting);
  }
  return { name: 'large', settings };
}

async function newSnapshot(profileId = uniqueId('profile'), identityHash = sha(randomBytes(8))): Promise<string> {
  const { snapshots } = testRepositories();
  const id = uniqueId('snap');
  await snapshots.createBuilding({ id, profileId, capturedAt: new Date().toISOString(), identityHash, operationRunId: uniqueId('run') });
  return id;
}

describe('SnapshotRepository on DynamoDB Local', () => {
  it('stores summaries apart from content and reads content only for the subjects asked for', async () => {
    const meter = new CapacityMeter();
    const { snapshots } = testRepositories({ meter });
    const id = await newSnapshot();
    const items = Array.from({ length: 40 }, (_, i) => subject(`Policy ${i}`, { setting: i, blob: 'x'.repeat(3000) }));
    expect(await snapshots.putItems(id, items)).toEqual({ written: 40, alreadyStored: 0, ambiguous: 0 });

    meter.reset();
    const summaries = await snapshots.listSummaries(id, TYPE);
    expect(summaries).toHaveLength(40);
    expect(summaries[0]).toEqual({
      snapshotId: id,
      policyType: TYPE,
      subjectKey: items.map((i) => i.subjectKey).sort()[0],
      displayName: expect.any(String),
      metaHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // 40 small summaries fit in one 4 KB read unit each way: far less than the content would cost.
    expect(meter.totals().readUnits).toBeLessThanOrEqual(5);

    const contents = await snapshots.getContents(id, TYPE, [items[3]!.subjectKey, items[7]!.subjectKey, `${TYPE}:unknown`]);
    expect([...contents.keys()].sort()).toEqual([items[3]!.subjectKey, items[7]!.subjectKey].sort());
    expect(contents.get(items[3]!.subjectKey)).toEqual({ meta: items[3]!.meta, content: items[3]!.content });
    expect(await snapshots.listSummaries(id, 'deviceConfiguration')).toEqual([]);
  });

  it('round-trips a 540 KB policy byte for byte (compressed, and split when still too large)', async () => {
    const { snapshots } = testRepositories();
    const { db, tables } = dynamoTestContext();
    const id = await newSnapshot();
    const random = subject('Huge random', largeRandomContent(540_000));
    const repetitive = subject('Huge repetitive', {
      settings: Array.from({ length: 3000 }, (_, i) => ({ settingDefinitionId: `device_vendor_msft_policy_config_setting_${i}`, value: i % 7 })),
    });
    expect(contentJson(random).length).toBeGreaterThan(540_000);
    expect(contentJson(repetitive).length).toBeGreaterThan(200_000);
    await snapshots.putItems(id, [random, repetitive]);

    const contents = await snapshots.getContents(id, TYPE, [random.subjectKey, repetitive.subjectKey]);
    expect(contentJson(contents.get(random.subjectKey)!)).toBe(contentJson(random));
    expect(contentJson(contents.get(repetitive.subjectKey)!)).toBe(contentJson(repetitive));

    // The random one could not be compressed under one item: it is stored in more than one part.
    const parts = await db.send(
      new QueryCommand({
        TableName: tables.snapshotItems,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': snapshotItemKeys.contentPartition(id, TYPE) },
      }),
    );
    const partsOf = (key: string): number => (parts.Items ?? []).filter((i) => (i.sk as string).startsWith(`${key}#`)).length;
    expect(partsOf(random.subjectKey)).toBeGreaterThan(1);
    expect(partsOf(repetitive.subjectKey)).toBe(1);
  });

  it.skipIf(!corpusAvailable)('round-trips the largest corpus policy byte for byte', async () => {
    const { snapshots } = testRepositories();
    const folder = join(corpusDir, 'configurationPolicies');
    const largest = readdirSync(folder)
      .filter((f) => f.endsWith('.json'))
      .map((f) => ({ f, size: statSync(join(folder, f)).size }))
      .sort((a, b) => b.size - a.size)[0]!;
    expect(largest.size).toBeGreaterThan(400_000);
    const policy = JSON.parse(readFileSync(join(folder, largest.f), 'utf8')) as Record<string, unknown>;
    const item = subject('Corpus largest', policy);
    const id = await newSnapshot();
    await snapshots.putItems(id, [item]);
    const back = (await snapshots.getContents(id, TYPE, [item.subjectKey])).get(item.subjectKey);
    expect(back).toBeDefined();
    expect(contentJson(back!)).toBe(contentJson(item));
  });

  it('keeps two source policies with one subject key as ONE ambiguous marker, never one over the other', async () => {
    const { snapshots } = testRepositories();
    const id = await newSnapshot();
    const a = subject('Same Name', { version: 'a' });
    const b = { ...subject('same  name', { version: 'b' }), subjectKey: a.subjectKey };
    const c = subject('Unique');
    expect(await snapshots.putItems(id, [a, c, b])).toEqual({ written: 2, alreadyStored: 0, ambiguous: 1 });

    const summaries = await snapshots.listSummaries(id, TYPE);
    const marker = summaries.find((s) => s.subjectKey === a.subjectKey);
    expect(marker).toMatchObject({ subjectKey: a.subjectKey, ambiguousCount: 2 });
    expect(marker?.contentHash).toBeUndefined();
    expect((await snapshots.getContents(id, TYPE, [a.subjectKey])).size).toBe(0);

    // A later call with a different item under the same key is refused; the marker stays as it was.
    await expect(snapshots.putItems(id, [subject('Same Name', { version: 'c' })])).rejects.toBeInstanceOf(SnapshotItemConflictError);
    await expect(snapshots.putItems(id, [{ ...c, contentHash: sha('other'), content: { other: true } }])).rejects.toBeInstanceOf(
      SnapshotItemConflictError,
    );
    expect(await snapshots.listSummaries(id, TYPE)).toEqual(summaries);
    // The very same call again (a retried task) is accepted and writes nothing new.
    expect(await snapshots.putItems(id, [a, c, b])).toEqual({ written: 0, alreadyStored: 2, ambiguous: 0 });
  });

  it('refuses every item write once the snapshot is complete', async () => {
    const { snapshots } = testRepositories();
    const id = await newSnapshot();
    await snapshots.putItems(id, [subject('One'), subject('Two')]);
    const complete = await snapshots.complete(id, { itemCount: 2, summary: { [TYPE]: 2 } });
    expect(complete).toMatchObject({ id, status: 'complete', itemCount: 2, summary: { [TYPE]: 2 } });

    await expect(snapshots.putItems(id, [subject('Three')])).rejects.toBeInstanceOf(SnapshotNotBuildingError);
    // Not even an identical rewrite of a stored item, nor a change of one.
    await expect(snapshots.putItems(id, [subject('One', { changed: true })])).rejects.toBeInstanceOf(SnapshotNotBuildingError);
    expect((await snapshots.listSummaries(id, TYPE)).map((s) => s.displayName).sort()).toEqual(['One', 'Two']);
    expect((await snapshots.getContents(id, TYPE, [subject('One').subjectKey])).get(subject('One').subjectKey)?.content).toEqual({
      setting: 'One',
    });
    // Completing twice with the same result is answered with the snapshot; a different one is refused.
    expect((await snapshots.complete(id, { itemCount: 2, summary: { [TYPE]: 2 } })).status).toBe('complete');
    await expect(snapshots.complete(id, { itemCount: 3, summary: {} })).rejects.toBeInstanceOf(SnapshotNotBuildingError);
    await expect(snapshots.markFailed(id)).rejects.toBeInstanceOf(SnapshotNotBuildingError);
  });

  it('lets no item land after completion even when writes race the completion', async () => {
    const { snapshots } = testRepositories();
    const id = await newSnapshot();
    const batches = Array.from({ length: 12 }, (_, b) => Array.from({ length: 4 }, (_, i) => subject(`Race ${b}-${i}`)));
    const writes = batches.map(async (batch, b) => {
      await new Promise((r) => setTimeout(r, b * 15));
      return testRepositories().snapshots.putItems(id, batch);
    });
    // Complete as soon as the first call is in, while the others are still on their way.
    const completion = writes[0]!.then(() => snapshots.complete(id, { itemCount: 0, summary: {} }));
    const results = await Promise.allSettled(writes);
    await completion;

    const stored = new Set((await snapshots.listSummaries(id, TYPE)).map((s) => s.subjectKey));
    const accepted = new Set<string>();
    results.forEach((r, b) => {
      if (r.status === 'fulfilled') for (const item of batches[b]!) accepted.add(item.subjectKey);
    });
    const refusals = results.filter((r) => r.status === 'rejected').map((r) => (r.reason as Error).name);
    // Each call is all or nothing, and what is stored is exactly what was accepted before completion.
    expect(accepted.size).toBeGreaterThan(0);
    expect([...stored].sort()).toEqual([...accepted].sort());
    expect(new Set(refusals)).toEqual(new Set(refusals.length > 0 ? ['SnapshotNotBuildingError'] : []));
    await expect(snapshots.putItems(id, [subject('After')])).rejects.toBeInstanceOf(SnapshotNotBuildingError);
  });

  it('finds a complete snapshot by identity hash for dedupe, and lists a profile snapshots newest first', async () => {
    const { snapshots } = testRepositories();
    const profileId = uniqueId('profile');
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const id = uniqueId('snap');
      await snapshots.createBuilding({
        id,
        profileId,
        capturedAt: `2025-02-0${i + 1}T00:00:00.000Z`,
        identityHash: i < 3 ? 'identity-same' : `identity-${i}`,
        operationRunId: uniqueId('run'),
      });
      ids.push(id);
    }
    // Building and failed snapshots are never a dedupe hit.
    expect(await snapshots.findByIdentityHash(profileId, 'identity-same')).toBeUndefined();
    await snapshots.complete(ids[0]!, { itemCount: 0, summary: {} });
    await snapshots.complete(ids[1]!, { itemCount: 0, summary: {} });
    await snapshots.markFailed(ids[2]!);
    expect((await snapshots.findByIdentityHash(profileId, 'identity-same'))?.id).toBe(ids[1]);
    expect(await snapshots.findByIdentityHash(uniqueId('profile'), 'identity-same')).toBeUndefined();

    const first = await snapshots.listByProfile(profileId, { limit: 2 });
    const second = await snapshots.listByProfile(profileId, { limit: 2, cursor: first.cursor! });
    const third = await snapshots.listByProfile(profileId, { limit: 2, cursor: second.cursor! });
    expect([...first.items, ...second.items, ...third.items].map((s) => s.id)).toEqual([...ids].reverse());
    expect(third.cursor).toBeUndefined();
    expect(second.items[0]).toMatchObject({ id: ids[2], status: 'failed' });
    expect(Object.keys(second.items[1]!).sort()).toEqual(
      ['capturedAt', 'id', 'identityHash', 'itemCount', 'operationRunId', 'profileId', 'status', 'summary'].sort(),
    );
  });

  it('stores no tenant identifiers in snapshot items', async () => {
    const { snapshots } = testRepositories();
    const { db, tables } = dynamoTestContext();
    const id = await newSnapshot();
    const withExternalId = { ...subject('Has id'), externalId: 'source-tenant-object-id' } as SnapshotItemInput;
    await snapshots.putItems(id, [withExternalId]);
    const raw = await db.send(
      new QueryCommand({
        TableName: tables.snapshotItems,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': snapshotItemKeys.summaryPartition(id, TYPE) },
      }),
    );
    expect(raw.Items).toHaveLength(1);
    expect(JSON.stringify(raw.Items)).not.toContain('source-tenant-object-id');
  });
});
