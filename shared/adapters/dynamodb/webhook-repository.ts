import type { StoredWebhookDestination, WebhookDestinationPage, WebhookDestinationRepository } from '../../usecases/ports/webhooks.js';
import { RecordAlreadyExistsError } from '../../usecases/ports/errors.js';
import { isConditionalCheckFailed, keyAttributes, type DynamoGateway, type Item } from './gateway.js';
import { workspaceKeys } from './keys.js';

/** Webhook destinations of a workspace (baselines table, the workspace's partition), in id order. */
export class DynamoWebhookRepository implements WebhookDestinationRepository {
  constructor(
    private readonly gateway: DynamoGateway,
    private readonly tableName: string,
  ) {}

  async create(destination: StoredWebhookDestination): Promise<void> {
    try {
      await this.gateway.put({
        TableName: this.tableName,
        Item: { ...workspaceKeys.webhook(destination.workspaceId, destination.id), kind: 'webhook', ...destination },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new RecordAlreadyExistsError('webhook', destination.id);
      throw error;
    }
  }

  async get(workspaceId: string, webhookId: string): Promise<StoredWebhookDestination | undefined> {
    const item = await this.gateway.get(this.tableName, workspaceKeys.webhook(workspaceId, webhookId));
    return item === undefined ? undefined : toDestination(item);
  }

  private query(workspaceId: string) {
    return {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': workspaceKeys.partition(workspaceId), ':prefix': workspaceKeys.webhookPrefix },
    };
  }

  async list(workspaceId: string, page: { limit: number; cursor?: string }): Promise<WebhookDestinationPage> {
    const result = await this.gateway.queryLimited(this.query(workspaceId), {
      limit: page.limit,
      ...(page.cursor !== undefined ? { cursor: page.cursor } : {}),
      tag: `webhooks:${workspaceId}`,
      keyAttributes: keyAttributes('baselines'),
    });
    return { items: result.items.map(toDestination), ...(result.cursor !== undefined ? { cursor: result.cursor } : {}) };
  }

  async listAll(workspaceId: string): Promise<StoredWebhookDestination[]> {
    return (await this.gateway.queryAll(this.query(workspaceId))).map(toDestination);
  }

  async delete(workspaceId: string, webhookId: string): Promise<boolean> {
    try {
      await this.gateway.delete({ TableName: this.tableName, Key: workspaceKeys.webhook(workspaceId, webhookId), ConditionExpression: 'attribute_exists(pk)' });
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}

function toDestination(item: Item): StoredWebhookDestination {
  const { pk: _pk, sk: _sk, kind: _kind, ...rest } = item;
  return rest as unknown as StoredWebhookDestination;
}
