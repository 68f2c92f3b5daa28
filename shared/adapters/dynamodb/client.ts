import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableNamesFromEnv, type TableNames } from './table-specs.js';
import { traced } from '../observability.js';

export interface DynamoClientConfig {
  region?: string;
  /** Overrides the SDK's own resolution (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL`). */
  endpoint?: string;
}

/** A document client that drops `undefined` values (optional entity fields) and keeps numbers exact. */
export function createDocumentClient(config: DynamoClientConfig = {}): DynamoDBDocumentClient {
  const client = traced(
    new DynamoDBClient({
      ...(config.region !== undefined ? { region: config.region } : {}),
      ...(config.endpoint !== undefined ? { endpoint: config.endpoint } : {}),
    }),
  );
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}

const clients = new Map<string, DynamoDBDocumentClient>();

/**
 * The container's document client, created on first use from the configuration in the environment at
 * that moment (one per region + endpoint: all handlers share one process locally, and a test may point
 * the process at another endpoint).
 */
export function getDocumentClient(env: NodeJS.ProcessEnv = process.env): DynamoDBDocumentClient {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL;
  const key = `${region ?? ''}|${endpoint ?? ''}`;
  let client = clients.get(key);
  if (client === undefined) {
    client = createDocumentClient({
      ...(region !== undefined ? { region } : {}),
      ...(endpoint !== undefined ? { endpoint } : {}),
    });
    clients.set(key, client);
  }
  return client;
}

/** The table names of this process (`TABLE_<NAME>`), read at call time. */
export function tableNamesFromEnvironment(env: NodeJS.ProcessEnv = process.env): TableNames {
  return tableNamesFromEnv(env);
}
