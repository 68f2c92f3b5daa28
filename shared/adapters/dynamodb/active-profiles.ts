/**
 * AP listActiveProfiles (the scheduled dispatcher): every `active` baseline profile, across workspaces.
 *
 * A paginated Scan of the baselines table filtered on profile items of status `active`. The baselines
 * table holds only profiles, snapshot headers and assignments (small items, no content), and the
 * dispatcher reads it once per schedule window, so a Scan costs less than the index that would have to
 * be written on every profile change. Should the table grow large, a sparse index on active profiles
 * is the way to go.
 */
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BaselineProfile } from '../../domain/model.js';
import type { CapacityMeter } from './capacity.js';
import { profileKeys } from './keys.js';
import type { ActiveProfileSource } from '../../usecases/ports/persistence.js';

const INTERNAL = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'];

export class DynamoActiveProfileSource implements ActiveProfileSource {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly meter?: CapacityMeter,
  ) {}

  async listActiveProfiles(): Promise<BaselineProfile[]> {
    const profileSortKey = profileKeys.primary('any').sk;
    const out: BaselineProfile[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'sk = :sk AND #status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sk': profileSortKey, ':active': 'active' },
          ConsistentRead: true,
          ReturnConsumedCapacity: 'TOTAL',
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      this.meter?.record('read', page.ConsumedCapacity);
      for (const item of page.Items ?? []) {
        const profile: Record<string, unknown> = { ...item };
        for (const a of INTERNAL) delete profile[a];
        out.push(profile as unknown as BaselineProfile);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
