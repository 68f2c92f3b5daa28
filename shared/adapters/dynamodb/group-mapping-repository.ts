import type { TenantGroupMapping, TenantGroupMappings } from '../../domain/model.js';
import type { DynamoGateway } from './gateway.js';
import { groupMappingKeys } from './keys.js';
import type { GroupMappingRepository } from '../../usecases/ports/persistence.js';

/** A tenant's explicit group mappings (baselines table), one item per tenant, replaced as a whole. */
export class DynamoGroupMappingRepository implements GroupMappingRepository {
  constructor(
    private readonly gateway: DynamoGateway,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string): Promise<TenantGroupMappings | undefined> {
    const item = await this.gateway.get(this.tableName, groupMappingKeys.primary(tenantId));
    if (item === undefined) return undefined;
    return {
      tenantId: item.tenantId as string,
      workspaceId: item.workspaceId as string,
      mappings: (item.mappings as TenantGroupMapping[] | undefined) ?? [],
      updatedAt: item.updatedAt as string,
      updatedBy: item.updatedBy as string,
    };
  }

  async list(tenantId: string): Promise<TenantGroupMapping[]> {
    return (await this.get(tenantId))?.mappings ?? [];
  }

  async put(record: TenantGroupMappings): Promise<TenantGroupMappings> {
    await this.gateway.put({ TableName: this.tableName, Item: { ...groupMappingKeys.primary(record.tenantId), ...record } });
    return record;
  }
}
