/**
 * The Step Functions side of `WorkflowStarter`: StartExecution of the BaselineCompare state machine
 * with the run id as input and the caller's deterministic execution name. A name already used (even
 * by a finished execution, for 90 days) is refused by Step Functions with `ExecutionAlreadyExists`;
 * the error keeps that name so callers can tell a duplicate from a failure.
 */
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { WorkflowStarter } from '../../usecases/ports/workflow.js';
import { traced } from '../observability.js';

let client: SFNClient | undefined;

/** The container's client, created on first use. */
function sfnClient(): SFNClient {
  client ??= traced(new SFNClient({}));
  return client;
}

export class StateMachineNotConfiguredError extends Error {
  override readonly name = 'StateMachineNotConfiguredError';
}

export function stepFunctionsStarter(stateMachineArn: string, sfn: Pick<SFNClient, 'send'> = sfnClient()): WorkflowStarter {
  return {
    async start(input, executionName) {
      await sfn.send(new StartExecutionCommand({ stateMachineArn, name: executionName, input: JSON.stringify(input) }));
    },
  };
}

/** The starter of this process from `STATE_MACHINE_ARN`, read at call time. */
export function stepFunctionsStarterFromEnv(env: NodeJS.ProcessEnv = process.env): WorkflowStarter {
  const arn = env.STATE_MACHINE_ARN;
  if (!arn) throw new StateMachineNotConfiguredError('STATE_MACHINE_ARN is not set: the function cannot start compares');
  return stepFunctionsStarter(arn);
}
