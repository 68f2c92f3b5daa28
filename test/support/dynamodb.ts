/**
 * DynamoDB Local for a test file: the endpoint and tables the global setup created, the environment
 * the AWS SDK (and every in-process handler) needs to reach them, a document client, repositories
 * with their own capacity meter, and random ids so tests never see each other's data.
 */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localDynamoEnvironment, LOCAL_REGION } from '../../infra/local/dynamodb-local.js';
import { CapacityMeter } from '../../shared/adapters/dynamodb/capacity.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { createDynamoRepositories, type RepositoryConfig, type Repositories } from '../../shared/adapters/dynamodb/index.js';
import { tableEnvironment, type TableNames } from '../../shared/adapters/dynamodb/table-specs.js';

export interface DynamoTestContext {
  endpoint: string;
  tables: TableNames;
  /** `AWS_ENDPOINT_URL_DYNAMODB`, region, dummy credentials and every `TABLE_<NAME>`. */
  env: Record<string, string>;
  db: DynamoDBDocumentClient;
}

let context: DynamoTestContext | undefined;

/**
 * The run's DynamoDB Local. Also writes its environment into `process.env`, so code that configures
 * itself from the environment (handlers, `getDocumentClient`, `tableNamesFromEnv`) uses it.
 */
export function dynamoTestContext(): DynamoTestContext {
  if (context !== undefined) return context;
  const endpoint = inject('dynamoEndpoint');
  const tables = inject('dynamoTables');
  if (!endpoint || !tables) {
    throw new Error('DynamoDB Local is not running: the vitest global setup (test/support/global-setup.ts) provides it');
  }
  const env = { ...localDynamoEnvironment(endpoint), ...tableEnvironment(tables) };
  Object.assign(process.env, env);
  context = { endpoint, tables, env, db: createDocumentClient({ endpoint, region: LOCAL_REGION }) };
  return context;
}

/** Repositories on DynamoDB Local with a fresh capacity meter (read it from `.meter`). */
export function testRepositories(config: Omit<RepositoryConfig, 'db' | 'tables'> = {}): Repositories {
  const { db, tables } = dynamoTestContext();
  return createDynamoRepositories({ ...config, db, tables, meter: config.meter ?? new CapacityMeter() });
}

/** A random id (tenant, snapshot, run, profile...) that no other test uses. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}
