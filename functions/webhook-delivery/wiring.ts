/**
 * The webhook delivery's dependencies from the environment (read at call time: every handler of the
 * local stack shares one process): the repositories on DynamoDB, the stage's webhook secrets, the
 * HTTP transport, the URL policy and the base of the links in messages.
 */
import { createDynamoRepositories } from '../../shared/adapters/dynamodb/index.js';
import { HttpWebhookTransport, webhookUrlPolicyFromEnv } from '../../shared/adapters/http/webhook-transport.js';
import { grantedTableNames } from '../_shared/runtime.js';
import { webhookSecretsFromEnv } from '../../shared/adapters/secrets/webhook-secrets.js';
import type { DeliverWebhooksDeps } from '../../shared/usecases/deliver-webhooks.js';

/** Where message links point when `WEBHOOK_LINK_BASE_URL` is not set. */
export const DEFAULT_LINK_BASE_URL = 'http://127.0.0.1:3000';

export function webhookDeliveryDepsFromEnv(env: NodeJS.ProcessEnv = process.env): DeliverWebhooksDeps {
  const repos = createDynamoRepositories({ tables: grantedTableNames(env) });
  const timeoutMs = env.WEBHOOK_TIMEOUT_MS !== undefined ? Number(env.WEBHOOK_TIMEOUT_MS) : undefined;
  return {
    webhooks: repos.webhooks,
    webhookSecrets: webhookSecretsFromEnv(env),
    transport: new HttpWebhookTransport(timeoutMs !== undefined && Number.isFinite(timeoutMs) && timeoutMs > 0 ? { timeoutMs } : {}),
    deliveries: repos.webhookDeliveries,
    profiles: repos.profiles,
    runs: repos.runs,
    tenants: repos.tenants,
    webhookUrlPolicy: webhookUrlPolicyFromEnv(env),
    linkBaseUrl: env.WEBHOOK_LINK_BASE_URL || DEFAULT_LINK_BASE_URL,
    now: () => new Date(),
  };
}
