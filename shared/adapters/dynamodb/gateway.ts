/**
 * The one place that sends commands to DynamoDB: every call asks for `ReturnConsumedCapacity: 'TOTAL'`
 * and records it in the caller's `CapacityMeter`; batch calls retry unprocessed items with backoff;
 * listings page through `LastEvaluatedKey`; opaque cursors are encoded here.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DeleteCommandInput,
  type DynamoDBDocumentClient,
  type PutCommandInput,
  type QueryCommandInput,
  type TransactWriteCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import { CapacityMeter } from './capacity.js';
import { InvalidCursorError, UnprocessedItemsError } from '../../usecases/ports/errors.js';
import type { Page, Visibility } from '../../usecases/ports/persistence.js';
import { TABLE_SPECS, type TableName } from './table-specs.js';

export type Item = Record<string, unknown>;
export type Key = Record<string, unknown>;

export type WriteRequest = { put: Item } | { delete: Key };

export interface GatewayOptions {
  /** Retries of unprocessed batch items before giving up (default 8). */
  maxBatchRetries?: number;
  /** First backoff delay in ms, doubled per retry with full jitter (default 50). */
  baseBackoffMs?: number;
}

const BATCH_WRITE_MAX = 25;
/** Batches of one `batchWrite` call in flight at once. */
const BATCH_WRITE_CONCURRENCY = 4;
const BATCH_GET_MAX = 100;

export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** The cancellation reason codes of a cancelled transaction (one per action), or undefined. */
export function cancellationCodes(error: unknown): Array<string | undefined> | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
  return reasons?.map((r) => r.Code);
}

/** Key attribute names of a table, or of one of its indexes (index keys plus the table's keys). */
export function keyAttributes(table: TableName, indexName?: string): string[] {
  const spec = TABLE_SPECS[table];
  const base = [spec.partitionKey.name, ...(spec.sortKey ? [spec.sortKey.name] : [])];
  if (indexName === undefined) return base;
  const index = spec.indexes.find((i) => i.indexName === indexName);
  if (index === undefined) throw new Error(`table ${table} has no index ${indexName}`);
  return [...new Set([index.partitionKey.name, ...(index.sortKey ? [index.sortKey.name] : []), ...base])];
}

/** The most tenant ids a visibility filter lists in its expression; a longer list filters in code. */
const MAX_FILTERED_TENANTS = 100;

/**
 * A listing's visibility (`Visibility`) for a Query: a FilterExpression merged into `input` where one
 * fits, else (a token with many tenants) a predicate for `queryLimited`'s `accept`. Items without a
 * workspace stay visible when `workspaceOptional` (records written before workspaces); items about no
 * tenant always do.
 */
export function withVisibility(
  input: QueryCommandInput,
  visibleTo: Visibility | undefined,
  options: { workspaceOptional?: boolean } = {},
): { input: QueryCommandInput; accept?: (item: Item) => boolean } {
  const conditions: string[] = [];
  const names: Record<string, string> = { ...input.ExpressionAttributeNames };
  const values: Record<string, unknown> = { ...input.ExpressionAttributeValues };
  let accept: ((item: Item) => boolean) | undefined;
  if (visibleTo?.workspaceId !== undefined) {
    names['#vw'] = 'workspaceId';
    values[':vw'] = visibleTo.workspaceId;
    conditions.push(options.workspaceOptional ? '(attribute_not_exists(#vw) OR #vw = :vw)' : '#vw = :vw');
  }
  const tenants = visibleTo?.tenantIds;
  if (tenants !== undefined && tenants.size <= MAX_FILTERED_TENANTS) {
    names['#vt'] = 'tenantId';
    const placeholders = [...tenants].map((tenant, i) => {
      values[`:vt${i}`] = tenant;
      return `:vt${i}`;
    });
    conditions.push(placeholders.length > 0 ? `(attribute_not_exists(#vt) OR #vt IN (${placeholders.join(', ')}))` : 'attribute_not_exists(#vt)');
  } else if (tenants !== undefined) {
    accept = (item) => typeof item['tenantId'] !== 'string' || tenants.has(item['tenantId']);
  }
  if (conditions.length === 0) return accept === undefined ? { input } : { input, accept };
  const filter = [...(input.FilterExpression !== undefined ? [`(${input.FilterExpression})`] : []), ...conditions].join(' AND ');
  const merged: QueryCommandInput = { ...input, FilterExpression: filter, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
  return accept === undefined ? { input: merged } : { input: merged, accept };
}

export function pickKey(item: Item, attributes: readonly string[]): Key {
  return Object.fromEntries(attributes.map((a) => [a, item[a]]));
}

/** An opaque cursor: base64url JSON of the listing's tag and the last key it returned. */
export function encodeCursor(tag: string, key: Key): string {
  return Buffer.from(JSON.stringify({ t: tag, k: key }), 'utf8').toString('base64url');
}

export function decodeCursor(tag: string, cursor: string | undefined): Key | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { t?: unknown; k?: unknown };
    if (parsed.t !== tag || typeof parsed.k !== 'object' || parsed.k === null || Array.isArray(parsed.k)) {
      throw new InvalidCursorError();
    }
    return parsed.k as Key;
  } catch (error) {
    if (error instanceof InvalidCursorError) throw error;
    throw new InvalidCursorError();
  }
}

export class DynamoGateway {
  readonly meter: CapacityMeter;
  private readonly maxBatchRetries: number;
  private readonly baseBackoffMs: number;

  constructor(
    readonly db: DynamoDBDocumentClient,
    meter?: CapacityMeter,
    options: GatewayOptions = {},
  ) {
    this.meter = meter ?? new CapacityMeter();
    this.maxBatchRetries = options.maxBatchRetries ?? 8;
    this.baseBackoffMs = options.baseBackoffMs ?? 50;
  }

  async get(tableName: string, key: Key, consistent = true): Promise<Item | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: tableName, Key: key, ConsistentRead: consistent, ReturnConsumedCapacity: 'TOTAL' }),
    );
    this.meter.record('read', out.ConsumedCapacity);
    return out.Item;
  }

  async put(input: PutCommandInput): Promise<void> {
    try {
      const out = await this.db.send(new PutCommand({ ...input, ReturnConsumedCapacity: 'TOTAL' }));
      this.meter.record('write', out.ConsumedCapacity);
    } catch (error) {
      this.meter.record('write', undefined);
      throw error;
    }
  }

  async update(input: UpdateCommandInput): Promise<Item | undefined> {
    try {
      const out = await this.db.send(new UpdateCommand({ ...input, ReturnConsumedCapacity: 'TOTAL' }));
      this.meter.record('write', out.ConsumedCapacity);
      return out.Attributes;
    } catch (error) {
      this.meter.record('write', undefined);
      throw error;
    }
  }

  async delete(input: DeleteCommandInput): Promise<Item | undefined> {
    try {
      const out = await this.db.send(new DeleteCommand({ ...input, ReturnConsumedCapacity: 'TOTAL' }));
      this.meter.record('write', out.ConsumedCapacity);
      return out.Attributes;
    } catch (error) {
      this.meter.record('write', undefined);
      throw error;
    }
  }

  async transactWrite(items: NonNullable<TransactWriteCommandInput['TransactItems']>, token?: string): Promise<void> {
    try {
      const out = await this.db.send(
        new TransactWriteCommand({
          TransactItems: items,
          ReturnConsumedCapacity: 'TOTAL',
          ...(token !== undefined ? { ClientRequestToken: token } : {}),
        }),
      );
      this.meter.record('write', out.ConsumedCapacity);
    } catch (error) {
      this.meter.record('write', undefined);
      throw error;
    }
  }

  /** One Query call. */
  async queryOnce(input: QueryCommandInput): Promise<{ items: Item[]; lastKey?: Key }> {
    const out = await this.db.send(new QueryCommand({ ...input, ReturnConsumedCapacity: 'TOTAL' }));
    this.meter.record('read', out.ConsumedCapacity);
    return { items: out.Items ?? [], ...(out.LastEvaluatedKey ? { lastKey: out.LastEvaluatedKey } : {}) };
  }

  /** Every item a Query matches, following `LastEvaluatedKey` page after page. */
  async queryAll(input: QueryCommandInput): Promise<Item[]> {
    const items: Item[] = [];
    let start: Key | undefined = input.ExclusiveStartKey;
    do {
      const page = await this.queryOnce({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) });
      items.push(...page.items);
      start = page.lastKey;
    } while (start !== undefined);
    return items;
  }

  /** Pages of a Query, following `LastEvaluatedKey` (for streaming work over large partitions). */
  async *queryPages(input: QueryCommandInput): AsyncGenerator<Item[]> {
    let start: Key | undefined = input.ExclusiveStartKey;
    do {
      const page = await this.queryOnce({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) });
      yield page.items;
      start = page.lastKey;
    } while (start !== undefined);
  }

  /**
   * Up to `limit` items of a Query (filters included) from `cursor` on. Reads pages until it has
   * `limit` matches; the cursor is built from the last returned item's key, so no matching item is
   * skipped even when a page held more than were returned. `accept` filters where an expression
   * cannot (it costs the same read units as a FilterExpression).
   */
  async queryLimited(
    input: QueryCommandInput,
    options: { limit: number; cursor?: string; tag: string; keyAttributes: readonly string[]; accept?: (item: Item) => boolean },
  ): Promise<Page<Item>> {
    const limit = Math.max(1, Math.floor(options.limit));
    const items: Item[] = [];
    let start = decodeCursor(options.tag, options.cursor);
    for (;;) {
      const filtered = input.FilterExpression !== undefined || options.accept !== undefined;
      const pageLimit = filtered ? Math.max(limit - items.length, 100) : limit - items.length;
      const page = await this.queryOnce({ ...input, Limit: pageLimit, ...(start ? { ExclusiveStartKey: start } : {}) });
      for (let i = 0; i < page.items.length; i += 1) {
        if (options.accept !== undefined && !options.accept(page.items[i]!)) continue;
        items.push(page.items[i]!);
        if (items.length === limit) {
          const rest = page.items.slice(i + 1);
          const more = page.lastKey !== undefined || (options.accept === undefined ? rest.length > 0 : rest.some(options.accept));
          return more ? { items, cursor: encodeCursor(options.tag, pickKey(items[items.length - 1]!, options.keyAttributes)) } : { items };
        }
      }
      if (page.lastKey === undefined) return { items };
      start = page.lastKey;
    }
  }

  /**
   * Writes (puts and deletes) in batches of 25, up to `BATCH_WRITE_CONCURRENCY` batches at once,
   * retrying unprocessed items with backoff. Resolves when every batch is written (no order among them).
   */
  async batchWrite(tableName: string, requests: readonly WriteRequest[]): Promise<void> {
    const batches: (readonly WriteRequest[])[] = [];
    for (let i = 0; i < requests.length; i += BATCH_WRITE_MAX) batches.push(requests.slice(i, i + BATCH_WRITE_MAX));
    const limit = pLimit(BATCH_WRITE_CONCURRENCY);
    await Promise.all(batches.map((batch) => limit(() => this.writeBatch(tableName, batch))));
  }

  private async writeBatch(tableName: string, batch: readonly WriteRequest[]): Promise<void> {
    {
      let pending = batch.map((r) => ('put' in r ? { PutRequest: { Item: r.put } } : { DeleteRequest: { Key: r.delete } }));
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        if (attempt > this.maxBatchRetries) throw new UnprocessedItemsError('BatchWriteItem', pending.length);
        if (attempt > 0) await this.backoff(attempt);
        const out = await this.db.send(
          new BatchWriteCommand({ RequestItems: { [tableName]: pending }, ReturnConsumedCapacity: 'TOTAL' }),
        );
        this.meter.record('write', out.ConsumedCapacity);
        pending = (out.UnprocessedItems?.[tableName] ?? []) as typeof pending;
      }
    }
  }

  /** Reads items by key in batches of 100 (strongly consistent by default), retrying unprocessed keys. */
  async batchGet(tableName: string, keys: readonly Key[], consistent = true): Promise<Item[]> {
    const items: Item[] = [];
    for (let i = 0; i < keys.length; i += BATCH_GET_MAX) {
      let pending: Key[] = keys.slice(i, i + BATCH_GET_MAX);
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        if (attempt > this.maxBatchRetries) throw new UnprocessedItemsError('BatchGetItem', pending.length);
        if (attempt > 0) await this.backoff(attempt);
        const out = await this.db.send(
          new BatchGetCommand({
            RequestItems: { [tableName]: { Keys: pending, ConsistentRead: consistent } },
            ReturnConsumedCapacity: 'TOTAL',
          }),
        );
        this.meter.record('read', out.ConsumedCapacity);
        items.push(...(out.Responses?.[tableName] ?? []));
        pending = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
      }
    }
    return items;
  }

  private async backoff(attempt: number): Promise<void> {
    const cap = this.baseBackoffMs * 2 ** Math.min(attempt, 8);
    await sleep(Math.random() * cap);
  }
}
