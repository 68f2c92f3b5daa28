import type { NormalizedSubject, RegistryTypeKey } from '../../domain/model.js';
import type { ContentCodecOptions } from './content.js';
import { assignmentAttributes, contentItems, readAssignmentAttributes, readContents, sameAssignmentAttributes, storedContentOf } from './content-store.js';
import type { DynamoGateway, Item, WriteRequest } from './gateway.js';
import { inventoryKeys } from './keys.js';
import type { InventoryRepository, InventorySummary, PutTypeInventoryResult, ReadOptions, SubjectContent } from '../../usecases/ports/persistence.js';

/** Inventory of a tenant: one small summary item per policy, its content in the type's content partition. */
export class DynamoInventoryRepository implements InventoryRepository {
  constructor(
    private readonly gateway: DynamoGateway,
    private readonly tableName: string,
    private readonly codec: ContentCodecOptions = {},
  ) {}

  async putTypeInventory(
    tenantId: string,
    policyType: RegistryTypeKey,
    subjects: NormalizedSubject[],
    run: { runId: string; observedAt: string },
    options: { removeMissing: boolean },
  ): Promise<PutTypeInventoryResult> {
    const seen = new Set<string>();
    for (const s of subjects) {
      if (s.externalId === undefined || s.externalId === '') {
        throw new Error(`inventory subject '${s.subjectKey}' has no externalId`);
      }
      if (s.policyType !== policyType) {
        throw new Error(`inventory subject '${s.subjectKey}' is a ${s.policyType}, not a ${policyType}`);
      }
      if (seen.has(s.externalId)) throw new Error(`externalId '${s.externalId}' appears twice in one inventory`);
      seen.add(s.externalId);
    }

    const stored = new Map<string, Item>();
    for (const item of await this.gateway.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': inventoryKeys.summaryPartition(tenantId, policyType) },
      ConsistentRead: true,
    })) {
      stored.set(item.sk as string, item);
    }

    const contentWrites: WriteRequest[] = [];
    const summaryWrites: WriteRequest[] = [];
    const deletes: WriteRequest[] = [];
    let written = 0;
    let unchanged = 0;
    let unchangedFromRun = 0;
    for (const s of subjects) {
      const externalId = s.externalId!;
      const prev = stored.get(externalId);
      if (prev !== undefined && sameSummary(prev, s)) {
        unchanged += 1;
        if (prev.inventorySyncRunId === run.runId) unchangedFromRun += 1;
        continue;
      }
      const content = contentItems(
        storedContentOf(s),
        (part) => inventoryKeys.content(tenantId, policyType, externalId, part),
        this.codec,
      );
      contentWrites.push(...content.items.map((put) => ({ put })));
      summaryWrites.push({
        put: {
          ...inventoryKeys.summary(tenantId, policyType, externalId),
          tenantId,
          policyType,
          subjectKey: s.subjectKey,
          displayName: s.displayName,
          metaHash: s.metaHash,
          contentHash: s.contentHash,
          surfaceHash: s.surfaceHash,
          ...assignmentAttributes(s),
          externalId,
          observedAt: run.observedAt,
          inventorySyncRunId: run.runId,
          contentParts: content.parts,
        },
      });
      const prevParts = typeof prev?.contentParts === 'number' ? prev.contentParts : 0;
      for (let part = content.parts; part < prevParts; part += 1) {
        deletes.push({ delete: inventoryKeys.content(tenantId, policyType, externalId, part) });
      }
      written += 1;
    }

    let removed = 0;
    if (options.removeMissing) {
      for (const [externalId, prev] of stored) {
        if (seen.has(externalId)) continue;
        deletes.push({ delete: inventoryKeys.summary(tenantId, policyType, externalId) });
        const parts = typeof prev.contentParts === 'number' ? prev.contentParts : 1;
        for (let part = 0; part < parts; part += 1) {
          deletes.push({ delete: inventoryKeys.content(tenantId, policyType, externalId, part) });
        }
        removed += 1;
      }
    }

    // Content first, then the summaries that point at it, then what is gone: a reader never finds a
    // summary whose content is missing.
    await this.gateway.batchWrite(this.tableName, contentWrites);
    await this.gateway.batchWrite(this.tableName, summaryWrites);
    await this.gateway.batchWrite(this.tableName, deletes);
    return { written, unchanged, removed, stampedByRun: written + unchangedFromRun };
  }

  async listSummaries(tenantId: string, policyType: RegistryTypeKey, options: ReadOptions = {}): Promise<InventorySummary[]> {
    const items = await this.gateway.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': inventoryKeys.summaryPartition(tenantId, policyType) },
      ConsistentRead: options.consistent ?? true,
    });
    return items.map(toSummary);
  }

  getContents(tenantId: string, policyType: RegistryTypeKey, externalIds: string[], options: ReadOptions = {}): Promise<Map<string, SubjectContent>> {
    return readContents(this.gateway, this.tableName, externalIds, (id, part) => inventoryKeys.content(tenantId, policyType, id, part), options.consistent ?? true);
  }
}

function sameSummary(prev: Item, s: NormalizedSubject): boolean {
  return (
    prev.displayName === s.displayName &&
    prev.subjectKey === s.subjectKey &&
    prev.metaHash === s.metaHash &&
    (prev.contentHash ?? undefined) === (s.contentHash ?? undefined) &&
    (prev.surfaceHash ?? undefined) === (s.surfaceHash ?? undefined) &&
    sameAssignmentAttributes(prev, s)
  );
}

function toSummary(item: Item): InventorySummary {
  const summary: InventorySummary = {
    policyType: item.policyType as InventorySummary['policyType'],
    subjectKey: item.subjectKey as string,
    displayName: item.displayName as string,
    metaHash: item.metaHash as string,
    externalId: item.externalId as string,
    observedAt: item.observedAt as string,
    inventorySyncRunId: item.inventorySyncRunId as string,
  };
  if (typeof item.contentHash === 'string') summary.contentHash = item.contentHash;
  if (typeof item.surfaceHash === 'string') summary.surfaceHash = item.surfaceHash;
  readAssignmentAttributes(item, summary);
  return summary;
}
