import type { TenantDirectory, TenantName } from '../../usecases/ports/tenants.js';
import type { DynamoGateway, Item } from './gateway.js';
import { workspaceKeys } from './keys.js';

/** Tenant display names of a workspace (baselines table, the workspace's partition). */
export class DynamoTenantDirectory implements TenantDirectory {
  constructor(
    private readonly gateway: DynamoGateway,
    private readonly tableName: string,
  ) {}

  async listNames(workspaceId: string): Promise<TenantName[]> {
    const items = await this.gateway.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': workspaceKeys.partition(workspaceId), ':prefix': workspaceKeys.tenantNamePrefix },
    });
    return items.map(toName);
  }

  async getName(workspaceId: string, tenantId: string): Promise<TenantName | undefined> {
    const item = await this.gateway.get(this.tableName, workspaceKeys.tenantName(workspaceId, tenantId));
    return item === undefined ? undefined : toName(item);
  }

  async putName(workspaceId: string, name: TenantName): Promise<void> {
    await this.gateway.put({
      TableName: this.tableName,
      Item: { ...workspaceKeys.tenantName(workspaceId, name.tenantId), kind: 'tenantName', workspaceId, ...name },
    });
  }
}

function toName(item: Item): TenantName {
  return { tenantId: String(item.tenantId), displayName: String(item.displayName), updatedAt: String(item.updatedAt), updatedBy: String(item.updatedBy) };
}
