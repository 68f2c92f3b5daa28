import type { TenantSubjectLinks } from '../../domain/model.js';
import type { DynamoGateway } from './gateway.js';
import { TenantRecordStore } from './tenant-record-store.js';
import type { SubjectLinkRepository } from '../../usecases/ports/persistence.js';

/** A tenant's subject links (baselines table), one item per tenant, replaced as a whole if unchanged since read. */
export class DynamoSubjectLinkRepository extends TenantRecordStore<TenantSubjectLinks, 'links'> implements SubjectLinkRepository {
  constructor(gateway: DynamoGateway, tableName: string) {
    super(gateway, tableName, 'subject-links', 'links');
  }
}
