/**
 * vitest global setup of every project but `unit`: one DynamoDB Local (in memory) for the whole run,
 * with the product's tables created from the synthesized data stack. Test files get the endpoint and
 * table names with `inject('dynamoEndpoint')` / `inject('dynamoTables')` (see `test/support/dynamodb.ts`)
 * and keep their data apart by random tenant, snapshot and run ids.
 *
 * vitest calls a global setup once per project that has tests queued, all in its main process. The
 * first call starts the JVM and creates the tables; later calls share them (the shared state lives on
 * `globalThis`, since each project may load this module afresh); the last teardown stops the JVM. The
 * watchdog in `startDynamoDbLocal` ends it too should vitest itself be killed.
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

interface SharedDynamoDbLocal {
  ready: Promise<{ endpoint: string; tables: TableNames; stop: () => Promise<void> }>;
  users: number;
}

const SHARED = Symbol.for('baseline-drift-engine.test.dynamodb-local');
type WithShared = typeof globalThis & { [SHARED]?: SharedDynamoDbLocal };

async function startWithTables(): Promise<{ endpoint: string; tables: TableNames; stop: () => Promise<void> }> {
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
    const tables = await createTablesFromTemplate(template, { endpoint: local.endpoint, prefix: TEST_TABLE_PREFIX });
    return { endpoint: local.endpoint, tables, stop: () => local.stop() };
  } catch (error) {
    await local.stop();
    throw error;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const holder = globalThis as WithShared;
  let shared = holder[SHARED];
  if (shared === undefined) {
    shared = { ready: startWithTables(), users: 0 };
    holder[SHARED] = shared;
  }
  shared.users += 1;
  const mine = shared;
  let local: Awaited<SharedDynamoDbLocal['ready']>;
  try {
    local = await mine.ready;
  } catch (error) {
    mine.users -= 1;
    if (holder[SHARED] === mine) delete holder[SHARED];
    throw error;
  }
  project.provide('dynamoEndpoint', local.endpoint);
  project.provide('dynamoTables', local.tables);
  return async () => {
    mine.users -= 1;
    if (mine.users > 0) return;
    if (holder[SHARED] === mine) delete holder[SHARED];
    await local.stop();
  };
}
