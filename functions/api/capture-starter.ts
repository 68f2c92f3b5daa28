/**
 * The API's `CaptureStarter` on AWS: an asynchronous invocation (`InvocationType: Event`) of the
 * CaptureSnapshot function with the run id the API already answered with.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { CaptureStarter } from '../../shared/usecases/ports/workflow.js';
import { DomainError } from '../../shared/domain/errors.js';
import { traced } from '../../shared/adapters/observability.js';

let client: LambdaClient | undefined;

/** Lambda did not accept the asynchronous invoke: the caller is told to try again (503). */
export class CaptureInvokeError extends DomainError {
  override readonly name = 'CaptureInvokeError';
  readonly code = 'capture_invoke_failed';
  readonly kind = 'unavailable';
  constructor(readonly runId: string, status: number) {
    super(`the capture (run ${runId}) was not accepted (status ${status}): try again later`);
  }
}

export function lambdaCaptureStarter(functionName: string, lambda: Pick<LambdaClient, 'send'> = (client ??= traced(new LambdaClient({})))): CaptureStarter {
  return {
    async start(req) {
      const out = await lambda.send(
        new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(req)) }),
      );
      if (out.StatusCode !== undefined && out.StatusCode !== 202) throw new CaptureInvokeError(req.runId, out.StatusCode);
    },
  };
}
