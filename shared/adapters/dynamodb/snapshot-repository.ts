import type { BaselineSnapshot, RegistryTypeKey } from '../../domain/model.js';
import type { ContentCodecOptions } from './content.js';
import pLimit from 'p-limit';
import { assignmentAttributes, contentItems, readAssignmentAttributes, readContents, sameAssignmentAttributes, storedContentOf } from './content-store.js';
import { RecordAlreadyExistsError, RecordNotFoundError, SnapshotItemConflictError, SnapshotNotBuildingError } from '../../usecases/ports/errors.js';
import { cancellationCodes, isConditionalCheckFailed, keyAttributes, type DynamoGateway, type Item } from './gateway.js';
import { snapshotItemKeys, snapshotKeys } from './keys.js';
import type {
  Page,
  PageRequest,
  PutSnapshotItemsResult,
  ReadOptions,
  SnapshotItemInput,
  SnapshotItemSummary,
  SnapshotRepository,
  SubjectContent,
} from '../../usecases/ports/persistence.js';

/** Most actions in one TransactWriteItems call, and a byte budget under its 4 MB limit. */
const TRANSACT_MAX_ACTIONS = 100;
/** Transactions of one `putItems` call in flight at once. */
const TRANSACTIONS_IN_FLIGHT = 4;
const TRANSACT_MAX_BYTES = 3_500_000;

const HEADER_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'];

/** One subject as stored: its summary item and its content items (none for an ambiguous marker). */
interface SubjectWrite {
  subjectKey: string;
  summary: Item;
  content: Item[];
  bytes: number;
}

/**
 * Snapshots: the header (in the baselines table) and the items (in the snapshot items table). Every
 * item write is a transaction whose first action checks the header is still `building`; completing
 * moves the header to `complete` in one conditional update. Transactions are serializable against
 * other writes of the header, so once `complete` commits no item write can commit after it.
 */
export class DynamoSnapshotRepository implements SnapshotRepository {
  constructor(
    private readonly gateway: DynamoGateway,
    private readonly tables: { baselines: string; snapshotItems: string },
    private readonly codec: ContentCodecOptions = {},
  ) {}

  async createBuilding(
    input: Omit<BaselineSnapshot, 'status' | 'itemCount' | 'summary'> & Partial<Pick<BaselineSnapshot, 'itemCount' | 'summary'>>,
  ): Promise<BaselineSnapshot> {
    const snapshot: BaselineSnapshot = {
      id: input.id,
      profileId: input.profileId,
      status: 'building',
      capturedAt: input.capturedAt,
      identityHash: input.identityHash,
      itemCount: input.itemCount ?? 0,
      operationRunId: input.operationRunId,
      summary: input.summary ?? {},
    };
    try {
      await this.gateway.put({
        TableName: this.tables.baselines,
        Item: {
          ...snapshotKeys.primary(snapshot.id),
          gsi1pk: snapshotKeys.byProfile(snapshot.profileId).gsi1pk,
          gsi1sk: snapshotKeys.gsi1sk(snapshot.capturedAt, snapshot.id),
          ...snapshot,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new RecordAlreadyExistsError('snapshot', snapshot.id);
      throw error;
    }
    return snapshot;
  }

  async putItems(snapshotId: string, items: SnapshotItemInput[]): Promise<PutSnapshotItemsResult> {
    const writes = this.subjectWrites(snapshotId, items);
    const result: PutSnapshotItemsResult = { written: 0, alreadyStored: 0, ambiguous: 0 };
    // Transactions are independent (each checks that the snapshot is still building): a few at once.
    const limit = pLimit(TRANSACTIONS_IN_FLIGHT);
    await Promise.all(chunkWrites(writes).map((chunk) => limit(() => this.writeChunk(snapshotId, chunk, result))));
    return result;
  }

  private subjectWrites(snapshotId: string, items: SnapshotItemInput[]): SubjectWrite[] {
    const groups = new Map<string, SnapshotItemInput[]>();
    for (const item of items) {
      const group = groups.get(item.subjectKey) ?? [];
      group.push(item);
      groups.set(item.subjectKey, group);
    }
    const writes: SubjectWrite[] = [];
    for (const [subjectKey, group] of groups) {
      const first = group[0]!;
      const types = new Set(group.map((g) => g.policyType));
      if (types.size > 1) throw new Error(`subject key '${subjectKey}' is used by more than one policy type`);
      const ambiguousCount = group.length > 1 ? group.reduce((n, g) => n + memberCount(g), 0) : memberCount(first);
      const base = {
        ...snapshotItemKeys.summary(snapshotId, first.policyType, subjectKey),
        snapshotId,
        policyType: first.policyType,
        subjectKey,
        displayName: first.displayName,
      };
      if (ambiguousCount >= 2) {
        // One marker for every source policy sharing the key: no hashes, no content.
        const summary: Item = { ...base, metaHash: '', ambiguousCount };
        writes.push({ subjectKey, summary, content: [], bytes: approximateBytes(summary) });
        continue;
      }
      const content = contentItems(
        storedContentOf(first),
        (part) => snapshotItemKeys.content(snapshotId, first.policyType, subjectKey, part),
        this.codec,
      );
      const summary: Item = { ...base, metaHash: first.metaHash, contentHash: first.contentHash, surfaceHash: first.surfaceHash, ...assignmentAttributes(first), contentParts: content.parts };
      writes.push({ subjectKey, summary, content: content.items, bytes: approximateBytes(summary) + content.storedBytes + 200 * content.parts });
    }
    return writes;
  }

  private async writeChunk(snapshotId: string, chunk: SubjectWrite[], result: PutSnapshotItemsResult): Promise<void> {
    let pending = chunk;
    while (pending.length > 0) {
      const actions = [
        {
          ConditionCheck: {
            TableName: this.tables.baselines,
            Key: snapshotKeys.primary(snapshotId),
            ConditionExpression: '#status = :building',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':building': 'building' },
          },
        },
        ...pending.flatMap((w) =>
          [w.summary, ...w.content].map((Item) => ({
            Put: { TableName: this.tables.snapshotItems, Item, ConditionExpression: 'attribute_not_exists(pk)' },
          })),
        ),
      ];
      try {
        await this.gateway.transactWrite(actions);
        for (const w of pending) {
          result.written += 1;
          if (typeof w.summary.ambiguousCount === 'number') result.ambiguous += 1;
        }
        return;
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes === undefined) throw error;
        if (codes[0] === 'ConditionalCheckFailed') {
          const header = await this.gateway.get(this.tables.baselines, snapshotKeys.primary(snapshotId));
          throw new SnapshotNotBuildingError(snapshotId, header?.status as string | undefined);
        }
        if (!codes.some((c) => c === 'ConditionalCheckFailed')) throw error;
        // Some keys are already stored: identical ones are a retried call; anything else is refused.
        const stored = await this.gateway.batchGet(
          this.tables.snapshotItems,
          pending.map((w) => ({ pk: w.summary.pk, sk: w.summary.sk })),
        );
        const storedByKey = new Map(stored.map((s) => [s.sk as string, s]));
        const conflicts: string[] = [];
        const next: SubjectWrite[] = [];
        for (const w of pending) {
          const existing = storedByKey.get(w.subjectKey);
          if (existing === undefined) next.push(w);
          else if (sameStoredSummary(existing, w.summary)) result.alreadyStored += 1;
          else conflicts.push(w.subjectKey);
        }
        if (conflicts.length > 0) throw new SnapshotItemConflictError(snapshotId, conflicts);
        if (next.length === pending.length) throw error;
        pending = next;
      }
    }
  }

  async complete(snapshotId: string, input: { itemCount: number; summary: Record<string, number> }): Promise<BaselineSnapshot> {
    const current = await this.get(snapshotId);
    if (current === undefined) throw new RecordNotFoundError('snapshot', snapshotId);
    try {
      const attributes = await this.gateway.update({
        TableName: this.tables.baselines,
        Key: snapshotKeys.primary(snapshotId),
        UpdateExpression: 'SET #status = :complete, itemCount = :itemCount, summary = :summary, gsi2pk = :gsi2pk, gsi2sk = :gsi2sk',
        ConditionExpression: '#status = :building',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':complete': 'complete',
          ':building': 'building',
          ':itemCount': input.itemCount,
          ':summary': input.summary,
          ':gsi2pk': snapshotKeys.byIdentity(current.profileId, current.identityHash).gsi2pk,
          ':gsi2sk': snapshotKeys.gsi1sk(current.capturedAt, snapshotId),
        },
        ReturnValues: 'ALL_NEW',
      });
      return toSnapshot(attributes!);
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const after = await this.get(snapshotId);
      // A retried completion with the same result is answered with the complete snapshot.
      if (after?.status === 'complete' && after.itemCount === input.itemCount) return after;
      throw new SnapshotNotBuildingError(snapshotId, after?.status);
    }
  }

  async markFailed(snapshotId: string): Promise<BaselineSnapshot> {
    try {
      const attributes = await this.gateway.update({
        TableName: this.tables.baselines,
        Key: snapshotKeys.primary(snapshotId),
        UpdateExpression: 'SET #status = :failed',
        ConditionExpression: '#status = :building',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':failed': 'failed', ':building': 'building' },
        ReturnValues: 'ALL_NEW',
      });
      return toSnapshot(attributes!);
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const after = await this.get(snapshotId);
      if (after?.status === 'failed') return after;
      if (after === undefined) throw new RecordNotFoundError('snapshot', snapshotId);
      throw new SnapshotNotBuildingError(snapshotId, after.status);
    }
  }

  async get(snapshotId: string): Promise<BaselineSnapshot | undefined> {
    const item = await this.gateway.get(this.tables.baselines, snapshotKeys.primary(snapshotId));
    return item === undefined ? undefined : toSnapshot(item);
  }

  async findByIdentityHash(profileId: string, identityHash: string): Promise<BaselineSnapshot | undefined> {
    const { index, gsi2pk } = snapshotKeys.byIdentity(profileId, identityHash);
    const page = await this.gateway.queryOnce({
      TableName: this.tables.baselines,
      IndexName: index,
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': gsi2pk },
      ScanIndexForward: false,
      Limit: 1,
    });
    const item = page.items[0];
    return item === undefined ? undefined : toSnapshot(item);
  }

  async listByProfile(profileId: string, page: PageRequest): Promise<Page<BaselineSnapshot>> {
    const { index, gsi1pk } = snapshotKeys.byProfile(profileId);
    const result = await this.gateway.queryLimited(
      {
        TableName: this.tables.baselines,
        IndexName: index,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': gsi1pk },
        ScanIndexForward: false,
      },
      { ...page, tag: `snapshots:${profileId}`, keyAttributes: keyAttributes('baselines', index) },
    );
    return { ...result, items: result.items.map(toSnapshot) };
  }

  async listSummaries(snapshotId: string, policyType: RegistryTypeKey, options: ReadOptions = {}): Promise<SnapshotItemSummary[]> {
    const items = await this.gateway.queryAll({
      TableName: this.tables.snapshotItems,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': snapshotItemKeys.summaryPartition(snapshotId, policyType) },
      ConsistentRead: options.consistent ?? true,
    });
    return items.map(toItemSummary);
  }

  getContents(snapshotId: string, policyType: RegistryTypeKey, subjectKeys: string[], options: ReadOptions = {}): Promise<Map<string, SubjectContent>> {
    return readContents(
      this.gateway,
      this.tables.snapshotItems,
      subjectKeys,
      (key, part) => snapshotItemKeys.content(snapshotId, policyType, key, part),
      options.consistent ?? true,
    );
  }
}

/** How many source policies an input stands for (a marker passed by the caller counts its members). */
function memberCount(item: SnapshotItemInput): number {
  return item.ambiguousCount !== undefined && item.ambiguousCount >= 2 ? item.ambiguousCount : 1;
}

function approximateBytes(item: Item): number {
  return Buffer.byteLength(JSON.stringify(item), 'utf8');
}

/** Groups subject writes into transactions under the action and byte limits; a subject never spans two. */
function chunkWrites(writes: SubjectWrite[]): SubjectWrite[][] {
  const chunks: SubjectWrite[][] = [];
  let current: SubjectWrite[] = [];
  let actions = 1;
  let bytes = 0;
  for (const w of writes) {
    const n = 1 + w.content.length;
    if (n + 1 > TRANSACT_MAX_ACTIONS || w.bytes > TRANSACT_MAX_BYTES) {
      throw new Error(`subject '${w.subjectKey}' is too large for one transaction (${n} items, ${w.bytes} bytes)`);
    }
    if (current.length > 0 && (actions + n > TRANSACT_MAX_ACTIONS || bytes + w.bytes > TRANSACT_MAX_BYTES)) {
      chunks.push(current);
      current = [];
      actions = 1;
      bytes = 0;
    }
    current.push(w);
    actions += n;
    bytes += w.bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function sameStoredSummary(stored: Item, wanted: Item): boolean {
  return (
    stored.displayName === wanted.displayName &&
    stored.metaHash === wanted.metaHash &&
    (stored.contentHash ?? undefined) === (wanted.contentHash ?? undefined) &&
    (stored.ambiguousCount ?? undefined) === (wanted.ambiguousCount ?? undefined) &&
    sameAssignmentAttributes(stored, wanted)
  );
}

function toSnapshot(item: Item): BaselineSnapshot {
  const rest = { ...item };
  for (const a of HEADER_ATTRIBUTES) delete rest[a];
  return rest as unknown as BaselineSnapshot;
}

function toItemSummary(item: Item): SnapshotItemSummary {
  const summary: SnapshotItemSummary = {
    snapshotId: item.snapshotId as string,
    policyType: item.policyType as SnapshotItemSummary['policyType'],
    subjectKey: item.subjectKey as string,
    displayName: item.displayName as string,
    metaHash: item.metaHash as string,
  };
  if (typeof item.contentHash === 'string') summary.contentHash = item.contentHash;
  if (typeof item.surfaceHash === 'string') summary.surfaceHash = item.surfaceHash;
  if (typeof item.ambiguousCount === 'number') summary.ambiguousCount = item.ambiguousCount;
  readAssignmentAttributes(item, summary);
  return summary;
}
