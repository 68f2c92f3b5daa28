import type { TenantGroupMappings } from '../../domain/model.js';
import type { DynamoGateway } from './gateway.js';
import { TenantRecordStore } from './tenant-record-store.js';
import type { GroupMappingRepository } from '../../usecases/ports/persistence.js';

/** A tenant's explicit group mappings (baselines table), one item per tenant, replaced as a whole. */
export class DynamoGroupMappingRepository extends TenantRecordStore<TenantGroupMappings, 'mappings'> implements GroupMappingRepository {
  constructor(gateway: DynamoGateway, tableName: string) {
    super(gateway, tableName, 'group-mappings', 'mappings');
  }
}
