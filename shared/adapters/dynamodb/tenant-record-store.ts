import type { DynamoGateway, Item } from './gateway.js';
import { isConditionalCheckFailed } from './gateway.js';
import { tenantRecordKeys } from './keys.js';
import { ConcurrentUpdateError } from '../../usecases/ports/errors.js';

type Kind = Parameters<typeof tenantRecordKeys.primary>[1];

/** What a tenant keeps as one record per kind, replaced as a whole. */
export interface TenantRecord {
  tenantId: string;
  workspaceId: string;
  updatedAt: string;
  updatedBy: string;
  /** Counts replaces where the record is replaced only if unchanged since read. */
  revision?: number;
}

/**
 * One item per (tenant, kind) in the baselines table: read whole, replaced whole (optionally only if
 * the stored record is still the one read). The repositories of group mappings and subject links
 * are this store with their list's name.
 */
export class TenantRecordStore<R extends TenantRecord, L extends keyof R & string> {
  constructor(
    private readonly gateway: DynamoGateway,
    private readonly tableName: string,
    private readonly kind: Kind,
    private readonly listField: L,
  ) {}

  async get(tenantId: string): Promise<R | undefined> {
    const item = await this.gateway.get(this.tableName, tenantRecordKeys.primary(tenantId, this.kind));
    if (item === undefined) return undefined;
    return {
      tenantId: item.tenantId as string,
      workspaceId: item.workspaceId as string,
      [this.listField]: (item[this.listField] as unknown[] | undefined) ?? [],
      updatedAt: item.updatedAt as string,
      updatedBy: item.updatedBy as string,
      ...(typeof item.revision === 'number' ? { revision: item.revision } : {}),
    } as unknown as R;
  }

  async list(tenantId: string): Promise<R[L]> {
    return ((await this.get(tenantId))?.[this.listField] ?? []) as R[L];
  }

  /** `expectedRevision`: undefined replaces whatever is stored; null only if nothing is; else only that revision. */
  async put(record: R, expectedRevision?: number | null): Promise<R> {
    const Item: Item = { ...tenantRecordKeys.primary(record.tenantId, this.kind), ...(record as unknown as Item) };
    const guard =
      expectedRevision === undefined
        ? {}
        : expectedRevision === null
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'revision = :expected', ExpressionAttributeValues: { ':expected': expectedRevision } };
    try {
      await this.gateway.put({ TableName: this.tableName, Item, ...guard });
    } catch (err) {
      if (isConditionalCheckFailed(err)) throw new ConcurrentUpdateError(this.kind, record.tenantId, 1);
      throw err;
    }
    return record;
  }
}
