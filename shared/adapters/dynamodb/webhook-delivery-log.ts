import type { DeliveryRecord, WebhookDeliveryLog } from '../../usecases/ports/webhooks.js';
import type { DynamoGateway } from './gateway.js';
import { webhookDeliveryKeys } from './keys.js';
import { TTL_ATTRIBUTE } from './table-specs.js';

/** How long a delivery is remembered (a republished or redriven event within it is not sent again). */
export const DELIVERY_RECORD_DAYS = 30;

/** Webhook deliveries per (event id, destination), in the operationRuns table with a TTL. */
export class DynamoWebhookDeliveryLog implements WebhookDeliveryLog {
  constructor(
    private readonly gateway: DynamoGateway,
    private readonly tableName: string,
  ) {}

  async get(eventId: string, webhookId: string): Promise<DeliveryRecord | undefined> {
    const item = await this.gateway.get(this.tableName, webhookDeliveryKeys.primary(eventId, webhookId));
    if (item === undefined) return undefined;
    const { pk: _pk, sk: _sk, [TTL_ATTRIBUTE]: _ttl, ...rest } = item;
    return rest as unknown as DeliveryRecord;
  }

  async record(entry: DeliveryRecord): Promise<void> {
    await this.gateway.put({
      TableName: this.tableName,
      Item: {
        ...webhookDeliveryKeys.primary(entry.eventId, entry.webhookId),
        ...entry,
        [TTL_ATTRIBUTE]: Math.floor(Date.parse(entry.at) / 1000) + DELIVERY_RECORD_DAYS * 86_400,
      },
    });
  }
}
