import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { localDynamoClient, startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';

/** Pids of DynamoDB Local JVMs listening on `port` (read from /proc). */
function javaPids(port: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // exited meanwhile
    }
    const portAt = args.indexOf('-port');
    if (args.some((a) => a.endsWith('DynamoDBLocal.jar')) && portAt >= 0 && args[portAt + 1] === String(port) && !args[0]?.endsWith('sh')) {
      pids.push(Number(entry));
    }
  }
  return pids;
}

async function waitUntil(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return predicate();
}

describe.skipIf(process.platform !== 'linux')('DynamoDB Local lifecycle', () => {
  it('answers once started and leaves no java behind after stop()', async () => {
    const local = await startDynamoDbLocal();
    try {
      expect(javaPids(local.port)).toHaveLength(1);
      const client = localDynamoClient(local.endpoint);
      const tables = await client.send(new ListTablesCommand({}));
      client.destroy();
      expect(tables.TableNames).toEqual([]);
    } finally {
      await local.stop();
    }
    expect(await waitUntil(() => javaPids(local.port).length === 0, 5000)).toBe(true);
    await local.stop(); // a second stop is harmless
  });

  it('leaves no java behind when the process that started it is killed with SIGKILL', async () => {
    const script = fileURLToPath(new URL('./support/dynamodb-local-child.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    try {
      const started = await new Promise<{ port: number }>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const line = out.split('\n').find((l) => l.startsWith('{'));
          if (line !== undefined) resolve(JSON.parse(line) as { port: number });
        });
        child.once('exit', (code) => reject(new Error(`child exited (${code}) before DynamoDB Local was up: ${stderr}`)));
      });
      expect(javaPids(started.port)).toHaveLength(1);

      child.kill('SIGKILL');
      // The watchdog polls twice a second and gives java two seconds to stop before killing it.
      expect(await waitUntil(() => javaPids(started.port).length === 0, 10_000)).toBe(true);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
