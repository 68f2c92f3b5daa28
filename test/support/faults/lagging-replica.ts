/**
 * Eventual consistency at its worst, for tests: an AWS SDK middleware that answers every eventually
 * consistent read of the chosen tables (a Query or BatchGetItem without `ConsistentRead: true`, and
 * any Query on a secondary index) with the answer the same request got the first time, as a replica
 * that has not caught up since would. Strongly consistent reads and writes pass untouched.
 * DynamoDB Local itself is always consistent, so without this a stale read cannot be shown.
 */
interface Stack {
  add(
    middleware: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
    options: { step: 'initialize'; name: string; priority: 'low'; override: boolean },
  ): void;
  remove(name: string): boolean;
}

const MIDDLEWARE_NAME = 'testLaggingReplica';

interface ReadInput {
  TableName?: string;
  IndexName?: string;
  ConsistentRead?: boolean;
  RequestItems?: Record<string, { ConsistentRead?: boolean }>;
}

function isEventualRead(command: string, input: ReadInput, tables: ReadonlySet<string>): boolean {
  if (command === 'QueryCommand') {
    return input.TableName !== undefined && tables.has(input.TableName) && (input.IndexName !== undefined || input.ConsistentRead !== true);
  }
  if (command === 'BatchGetItemCommand' || command === 'BatchGetCommand') {
    const requested = Object.entries(input.RequestItems ?? {});
    return requested.length > 0 && requested.every(([table, r]) => tables.has(table) && r.ConsistentRead !== true);
  }
  return false;
}

export interface LaggingReplica {
  /** Eventually consistent reads answered from an earlier answer. */
  staleAnswers(): number;
  uninstall(): void;
}

/** Installs the lagging replica on a (document) client for reads of `tables` (physical names). */
export function installLaggingReplica(client: { middlewareStack: unknown }, tables: readonly string[]): LaggingReplica {
  const stack = client.middlewareStack as Stack;
  const watched = new Set(tables);
  const firstAnswers = new Map<string, unknown>();
  let stale = 0;
  stack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      const input = (args as { input?: ReadInput }).input ?? {};
      if (!isEventualRead(command, input, watched)) return next(args);
      const key = `${command} ${JSON.stringify(input)}`;
      const earlier = firstAnswers.get(key);
      if (earlier !== undefined) {
        stale += 1;
        return { output: structuredClone(earlier), response: undefined };
      }
      const answer = (await next(args)) as { output: unknown };
      firstAnswers.set(key, structuredClone(answer.output));
      return answer;
    },
    { step: 'initialize', name: MIDDLEWARE_NAME, priority: 'low', override: true },
  );
  return {
    staleAnswers: () => stale,
    uninstall: () => {
      stack.remove(MIDDLEWARE_NAME);
    },
  };
}
