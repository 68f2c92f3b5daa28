import type { AuditEntry } from '../../domain/model.js';
import { RecordAlreadyExistsError } from '../../usecases/ports/errors.js';
import { isConditionalCheckFailed, keyAttributes, withVisibility, type DynamoGateway, type Item } from './gateway.js';
import { auditKeys } from './keys.js';
import type { AuditRepository, Page, PageRequest, Visibility } from '../../usecases/ports/persistence.js';

/** Append-only audit trail: an entry is written once (conditional) and never updated. */
export class DynamoAuditRepository implements AuditRepository {
  constructor(
    private readonly gateway: DynamoGateway,
    private readonly tableName: string,
  ) {}

  async append(entry: AuditEntry): Promise<void> {
    try {
      await this.gateway.put({
        TableName: this.tableName,
        Item: { ...auditKeys.primary(entry.id), atKey: auditKeys.atKey(entry.at, entry.id), ...entry },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new RecordAlreadyExistsError('audit entry', entry.id);
      throw error;
    }
  }

  listByTenant(tenantId: string, page: PageRequest & { visibleTo?: Visibility }): Promise<Page<AuditEntry>> {
    return this.list(auditKeys.byTenant, tenantId, page);
  }

  listByWorkspace(workspaceId: string, page: PageRequest & { visibleTo?: Visibility }): Promise<Page<AuditEntry>> {
    return this.list(auditKeys.byWorkspace, workspaceId, page);
  }

  private async list(
    pattern: { index: string; partition: string },
    value: string,
    page: PageRequest & { visibleTo?: Visibility },
  ): Promise<Page<AuditEntry>> {
    const { input, accept } = withVisibility(
      {
        TableName: this.tableName,
        IndexName: pattern.index,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': pattern.partition },
        ExpressionAttributeValues: { ':p': value },
        ScanIndexForward: false,
      },
      page.visibleTo,
    );
    const result = await this.gateway.queryLimited(input, {
      ...(accept !== undefined ? { accept } : {}),
      limit: page.limit,
      ...(page.cursor !== undefined ? { cursor: page.cursor } : {}),
      tag: `audit:${pattern.index}:${value}`,
      keyAttributes: keyAttributes('audit', pattern.index),
    });
    return { ...result, items: result.items.map(toEntry) };
  }
}

function toEntry(item: Item): AuditEntry {
  const { pk: _pk, atKey: _atKey, ...rest } = item;
  return rest as unknown as AuditEntry;
}
