/**
 * The API's `CaptureStarter` on AWS: an asynchronous invocation (`InvocationType: Event`) of the
 * CaptureSnapshot function with the run id the API already answered with.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { CaptureStarter } from '../../shared/usecases/ports/workflow.js';

let client: LambdaClient | undefined;

export class CaptureInvokeError extends Error {
  override readonly name = 'DispatchFailedError';
  constructor(readonly runId: string, status: number) {
    super(`the capture (run ${runId}) was not accepted (status ${status}): try again later`);
  }
}

export function lambdaCaptureStarter(functionName: string, lambda: Pick<LambdaClient, 'send'> = (client ??= new LambdaClient({}))): CaptureStarter {
  return {
    async start(req) {
      const out = await lambda.send(
        new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(req)) }),
      );
      if (out.StatusCode !== undefined && out.StatusCode !== 202) throw new CaptureInvokeError(req.runId, out.StatusCode);
    },
  };
}
