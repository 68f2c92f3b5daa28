/**
 * The chaos environment: the local stack (DynamoDB Local, the synthesized BaselineCompare ASL run
 * in-process) with every task wrapped by the workflow fault harness, and the DynamoDB fault
 * middleware installed on the client the handlers share. Used by `npm run chaos` and by the
 * smaller vitest versions (which pass the endpoint of the test run's DynamoDB Local).
 */
import { randomUUID } from 'node:crypto';
import { startLocalStack } from '../../infra/local/stack.js';
import { getDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { logger } from '../../functions/_shared/task-handler.js';
import { installDynamoFaults } from '../support/faults/dynamo-faults.js';
import { WorkflowFaults } from '../support/faults/workflow-faults.js';
import type { ChaosEnv } from './scenarios/faults.js';
import { chaosRepositories } from './scenarios/world.js';

export interface StartedChaosEnv extends ChaosEnv {
  stop(): Promise<void>;
}

export async function startChaosEnv(options: { endpoint?: string; eventsFile?: string } = {}): Promise<StartedChaosEnv> {
  const faults = new WorkflowFaults();
  const nonce = randomUUID().slice(0, 8);
  const stack = await startLocalStack({
    wrapHandler: faults.wrap,
    // Step Functions' backoff between task retries is waited for nowhere here (the SDK's own is).
    retryIntervalOverrides: 0,
    prefix: `chaos${nonce}-`,
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.eventsFile !== undefined ? { eventsFile: options.eventsFile } : {}),
  });
  // The stack has pointed this process at its DynamoDB: this is the client every handler uses.
  const uninstall = installDynamoFaults(getDocumentClient());
  // Injected faults and kills make the tasks log an error each: expected here, so not printed.
  const level = logger.getLevelName();
  logger.setLogLevel('SILENT');
  return {
    stack,
    faults,
    repos: chaosRepositories(),
    nonce,
    async stop() {
      uninstall();
      logger.setLogLevel(level);
      await stack.stop();
    },
  };
}
