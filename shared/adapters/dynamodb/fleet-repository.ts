/**
 * The fleet view's records (operationRuns table, `fleet#<profileId>#<snapshotId>` / tenantId): one
 * item per tenant naming its last finalized compare against that snapshot. Written by FinalizeRun,
 * conditional on being newer, and removed by TTL with the run it names.
 */
import type { FleetCompareRecord, FleetRepository } from '../../usecases/ports/persistence.js';
import { isConditionalCheckFailed, type DynamoGateway } from './gateway.js';
import { fleetKeys } from './keys.js';
import { RUN_RETENTION_DAYS } from './operation-run-repository.js';
import { TTL_ATTRIBUTE } from './table-specs.js';

const INTERNAL = ['pk', 'sk', TTL_ATTRIBUTE];

export class DynamoFleetRepository implements FleetRepository {
  constructor(
    private readonly gateway: DynamoGateway,
    private readonly tableName: string,
  ) {}

  async put(record: FleetCompareRecord): Promise<void> {
    const expires = Math.floor(Date.parse(record.completedAt) / 1000) + RUN_RETENTION_DAYS * 86_400;
    try {
      await this.gateway.put({
        TableName: this.tableName,
        Item: { ...fleetKeys.primary(record.profileId, record.snapshotId, record.tenantId), ...record, [TTL_ATTRIBUTE]: expires },
        // A retried FinalizeRun of an older compare never replaces a newer one.
        ConditionExpression: 'attribute_not_exists(pk) OR completedAt <= :completedAt',
        ExpressionAttributeValues: { ':completedAt': record.completedAt },
      });
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async list(profileId: string, snapshotId: string): Promise<FleetCompareRecord[]> {
    const items = await this.gateway.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': fleetKeys.partition(profileId, snapshotId) },
      ConsistentRead: false,
    });
    return items.map((item) => {
      const rest = { ...item };
      for (const a of INTERNAL) delete rest[a];
      return rest as unknown as FleetCompareRecord;
    });
  }
}
