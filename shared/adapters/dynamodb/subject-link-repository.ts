import type { SubjectLink, TenantSubjectLinks } from '../../domain/model.js';
import type { DynamoGateway } from './gateway.js';
import { TenantRecordStore } from './tenant-record-store.js';
import type { SubjectLinkRepository } from '../../usecases/ports/persistence.js';

/** A tenant's subject links (baselines table), one item per tenant, replaced as a whole if unchanged since read. */
export class DynamoSubjectLinkRepository implements SubjectLinkRepository {
  private readonly store: TenantRecordStore<TenantSubjectLinks, 'links'>;

  constructor(gateway: DynamoGateway, tableName: string) {
    this.store = new TenantRecordStore(gateway, tableName, 'subject-links', 'links');
  }

  get(tenantId: string): Promise<TenantSubjectLinks | undefined> {
    return this.store.get(tenantId);
  }

  list(tenantId: string): Promise<SubjectLink[]> {
    return this.store.list(tenantId);
  }

  put(record: TenantSubjectLinks, expectedRevision: number | null): Promise<TenantSubjectLinks> {
    return this.store.put(record, expectedRevision);
  }
}
