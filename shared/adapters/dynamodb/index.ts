/**
 * DynamoDB persistence: build every repository of the product on one document client, one set of
 * table names and one capacity meter.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAuditRepository } from './audit-repository.js';
import { CapacityMeter } from './capacity.js';
import { getDocumentClient } from './client.js';
import type { ContentCodecOptions } from './content.js';
import { DynamoCompareStageRepository } from './compare-stage-repository.js';
import { DynamoFindingRepository, type FindingRepositoryOptions } from './finding-repository.js';
import { DynamoFleetRepository } from './fleet-repository.js';
import { DynamoGateway, type GatewayOptions } from './gateway.js';
import { DynamoGroupMappingRepository } from './group-mapping-repository.js';
import { DynamoSubjectLinkRepository } from './subject-link-repository.js';
import { DynamoInventoryRepository } from './inventory-repository.js';
import { DynamoOperationRunRepository, type OperationRunRepositoryOptions } from './operation-run-repository.js';
import type {
  AuditRepository,
  CompareStageRepository,
  FindingRepository,
  FleetRepository,
  GroupMappingRepository,
  SubjectLinkRepository,
  InventoryRepository,
  OperationRunRepository,
  ProfileRepository,
  SnapshotRepository,
} from '../../usecases/ports/persistence.js';
import { DynamoProfileRepository } from './profile-repository.js';
import { DynamoSnapshotRepository } from './snapshot-repository.js';
import { DynamoTenantDirectory } from './tenant-directory.js';
import { DynamoWebhookDeliveryLog } from './webhook-delivery-log.js';
import { DynamoWebhookRepository } from './webhook-repository.js';
import type { TenantDirectory } from '../../usecases/ports/tenants.js';
import type { WebhookDeliveryLog, WebhookDestinationRepository } from '../../usecases/ports/webhooks.js';
import { tableNamesFromEnv, type TableNames } from './table-specs.js';

export * from './capacity.js';
export * from './client.js';
export * from './content.js';
export * from '../../usecases/ports/errors.js';
export type * from '../../usecases/ports/persistence.js';
export * from './table-specs.js';
export { DynamoAuditRepository } from './audit-repository.js';
export { DynamoFindingRepository } from './finding-repository.js';
export { DynamoInventoryRepository } from './inventory-repository.js';
export { DynamoOperationRunRepository } from './operation-run-repository.js';
export { DynamoProfileRepository, PROFILE_STATUS_SOURCES } from './profile-repository.js';
export { DynamoSnapshotRepository } from './snapshot-repository.js';
export { DynamoGateway } from './gateway.js';
export { DynamoIngestStageRepository } from './ingest-stage-repository.js';
export { DynamoCompareStageRepository } from './compare-stage-repository.js';
export { DynamoFleetRepository } from './fleet-repository.js';
export { DynamoGroupMappingRepository } from './group-mapping-repository.js';
export { DynamoSubjectLinkRepository } from './subject-link-repository.js';
export { DynamoTenantDirectory } from './tenant-directory.js';
export { DynamoWebhookDeliveryLog } from './webhook-delivery-log.js';
export { DynamoWebhookRepository } from './webhook-repository.js';

export interface Repositories {
  inventory: InventoryRepository;
  snapshots: SnapshotRepository;
  runs: OperationRunRepository;
  findings: FindingRepository;
  profiles: ProfileRepository;
  audit: AuditRepository;
  groupMappings: GroupMappingRepository;
  /** A tenant's subject links (baselines table). */
  subjectLinks: SubjectLinkRepository;
  /** Tenant display names of a workspace (baselines table). */
  tenants: TenantDirectory;
  /** Webhook destinations of a workspace (baselines table). */
  webhooks: WebhookDestinationRepository;
  /** What was delivered to which destination (operationRuns table, TTL). */
  webhookDeliveries: WebhookDeliveryLog;
  /** What each compare run saw per policy type (observations and gaps; operationRuns table, kept with the run). */
  compareStage: CompareStageRepository;
  /** Each tenant's last finalized compare per profile and snapshot (operationRuns table). */
  fleet: FleetRepository;
  /** The meter every repository above records its consumed capacity in. */
  meter: CapacityMeter;
}

export interface RepositoryConfig {
  /** Default: the container's client (`getDocumentClient()`, configured from the environment now). */
  db?: DynamoDBDocumentClient;
  /** Default: `TABLE_<NAME>` from the environment, read now. */
  tables?: TableNames;
  /** Default: a new meter. Pass one per run or benchmark to read its totals afterwards. */
  meter?: CapacityMeter;
  gateway?: GatewayOptions;
  content?: ContentCodecOptions;
  findings?: FindingRepositoryOptions;
  runs?: OperationRunRepositoryOptions;
}

/** Every repository on DynamoDB. Cheap: call it per invocation (or per run, with a fresh meter). */
export function createDynamoRepositories(config: RepositoryConfig = {}): Repositories {
  const tables = config.tables ?? tableNamesFromEnv();
  const meter = config.meter ?? new CapacityMeter();
  const gateway = new DynamoGateway(config.db ?? getDocumentClient(), meter, config.gateway);
  return {
    inventory: new DynamoInventoryRepository(gateway, tables.inventory, config.content),
    snapshots: new DynamoSnapshotRepository(gateway, { baselines: tables.baselines, snapshotItems: tables.snapshotItems }, config.content),
    runs: new DynamoOperationRunRepository(gateway, tables.operationRuns, config.runs),
    findings: new DynamoFindingRepository(gateway, tables.findings, config.findings),
    profiles: new DynamoProfileRepository(gateway, tables.baselines),
    audit: new DynamoAuditRepository(gateway, tables.audit),
    groupMappings: new DynamoGroupMappingRepository(gateway, tables.baselines),
    subjectLinks: new DynamoSubjectLinkRepository(gateway, tables.baselines),
    tenants: new DynamoTenantDirectory(gateway, tables.baselines),
    webhooks: new DynamoWebhookRepository(gateway, tables.baselines),
    webhookDeliveries: new DynamoWebhookDeliveryLog(gateway, tables.operationRuns),
    compareStage: new DynamoCompareStageRepository(gateway, tables.operationRuns),
    fleet: new DynamoFleetRepository(gateway, tables.operationRuns),
    meter,
  };
}
