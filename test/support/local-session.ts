/**
 * `npm start`'s session in-process for a test file: on the run's DynamoDB Local with tables of its
 * own prefix, a state folder of its own (removed on stop), no scheduler, the dev stage.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { parseStageConfig } from '../../infra/stage.js';
import { startLocal, type LocalSession } from '../../infra/local/start.js';

export interface TestSession {
  session: LocalSession;
  stateDir: string;
  /** Stops the session, removes the state folder and restores the environment. */
  stop(): Promise<void>;
}

export async function startTestSession(tag: string): Promise<TestSession> {
  const savedEnv = { ...process.env };
  const stateDir = mkdtempSync(join(tmpdir(), `drift-${tag}-`));
  delete process.env.DRIFT_SECRET_KEY; // start keeps its own key in the state folder
  const stop = async (session?: LocalSession) => {
    await session?.stop();
    rmSync(stateDir, { recursive: true, force: true });
    process.env = savedEnv;
  };
  let session: LocalSession;
  try {
    session = await startLocal({
      port: 0,
      endpoint: inject('dynamoEndpoint'),
      prefix: `${tag.slice(0, 1)}${randomUUID().slice(0, 8)}-`,
      stateDir,
      schedule: false,
      stage: parseStageConfig({ stage: 'dev' }),
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { session, stateDir, stop: () => stop(session) };
}
