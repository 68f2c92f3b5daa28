/**
 * Counts the DynamoDB writes a client completes (a test-only SDK middleware): a request that was
 * rejected must not have written anything, whatever the tables look like afterwards.
 */
import { WRITE_COMMANDS } from './dynamo-faults.js';

type Next = (args: unknown) => Promise<unknown>;
interface Stack {
  add(middleware: (next: Next, context: { commandName?: string }) => Next, options: { step: 'initialize'; name: string; override: boolean }): void;
  remove(name: string): boolean;
}

export interface WriteObserver {
  /** Writes completed so far (each command once, whatever its retries). */
  count(): number;
  /** The commands, in order, for a failure message. */
  log(): string[];
  uninstall(): void;
}

export function installWriteObserver(client: { middlewareStack: unknown }): WriteObserver {
  const stack = client.middlewareStack as Stack;
  const name = 'testWriteObserver';
  const seen: string[] = [];
  let total = 0;
  stack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const command = context.commandName ?? 'unknown';
      if (WRITE_COMMANDS.has(command)) {
        total += 1;
        seen.push(command);
        if (seen.length > 1000) seen.splice(0, 500);
      }
      return result;
    },
    { step: 'initialize', name, override: true },
  );
  return {
    count: () => total,
    log: () => [...seen],
    uninstall: () => {
      stack.remove(name);
    },
  };
}
