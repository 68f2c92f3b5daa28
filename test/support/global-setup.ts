/**
 * vitest global setup: one DynamoDB Local (in memory) for the whole run, with the product's tables
 * created from the synthesized data stack. Test files get the endpoint and table names with
 * `inject('dynamoEndpoint')` / `inject('dynamoTables')` (see `test/support/dynamodb.ts`) and keep
 * their data apart by random tenant, snapshot and run ids. Teardown stops the JVM; the watchdog in
 * `startDynamoDbLocal` ends it too should vitest itself be killed.
 */
import type { TestProject } from 'vitest/node';
import {
  createTablesFromTemplate,
  startDynamoDbLocal,
  synthesizeDataTemplate,
} from '../../infra/local/dynamodb-local.js';
import type { TableNames } from '../../shared/adapters/dynamodb/table-specs.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:<port>` of the run's DynamoDB Local. */
    dynamoEndpoint: string;
    /** Physical names of the product's tables on it. */
    dynamoTables: TableNames;
  }
}

export const TEST_TABLE_PREFIX = 'test-';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const starting = startDynamoDbLocal();
  starting.catch(() => undefined); // awaited below; this only keeps an early failure from counting as unhandled
  // Synthesizing is synchronous CPU work: do it while the JVM boots (once java has been spawned).
  const template = await new Promise<ReturnType<typeof synthesizeDataTemplate> | Error>((resolve) =>
    setTimeout(() => {
      try {
        resolve(synthesizeDataTemplate('test'));
      } catch (error) {
        resolve(error instanceof Error ? error : new Error(String(error)));
      }
    }, 100),
  );
  const local = await starting;
  try {
    if (template instanceof Error) throw template;
    const tables = await createTablesFromTemplate(template, {
      endpoint: local.endpoint,
      prefix: TEST_TABLE_PREFIX,
    });
    project.provide('dynamoEndpoint', local.endpoint);
    project.provide('dynamoTables', tables);
  } catch (error) {
    await local.stop();
    throw error;
  }
  return () => local.stop();
}
