import type { TenantGroupMapping, TenantGroupMappings } from '../../domain/model.js';
import type { DynamoGateway } from './gateway.js';
import { TenantRecordStore } from './tenant-record-store.js';
import type { GroupMappingRepository } from '../../usecases/ports/persistence.js';

/** A tenant's explicit group mappings (baselines table), one item per tenant, replaced as a whole. */
export class DynamoGroupMappingRepository implements GroupMappingRepository {
  private readonly store: TenantRecordStore<TenantGroupMappings, 'mappings'>;

  constructor(gateway: DynamoGateway, tableName: string) {
    this.store = new TenantRecordStore(gateway, tableName, 'group-mappings', 'mappings');
  }

  get(tenantId: string): Promise<TenantGroupMappings | undefined> {
    return this.store.get(tenantId);
  }

  list(tenantId: string): Promise<TenantGroupMapping[]> {
    return this.store.list(tenantId);
  }

  put(record: TenantGroupMappings): Promise<TenantGroupMappings> {
    return this.store.put(record);
  }
}
