/**
 * `InventorySyncTrigger` on AWS: an asynchronous invocation (`InvocationType: Event`) of the
 * InventorySync function, whose `thenCompare` starts the named compare once the sync is recorded.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { InventorySyncTrigger } from '../../usecases/ports/workflow.js';
import { traced } from '../observability.js';

let client: LambdaClient | undefined;

function lambdaClient(): LambdaClient {
  client ??= traced(new LambdaClient({}));
  return client;
}

export class InventorySyncInvokeError extends Error {
  override readonly name = 'InventorySyncInvokeError';
}

export function lambdaInventorySyncTrigger(functionName: string, lambda: Pick<LambdaClient, 'send'> = lambdaClient()): InventorySyncTrigger {
  return {
    async requestSync(req) {
      const out = await lambda.send(
        new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(req)) }),
      );
      if (out.StatusCode !== undefined && out.StatusCode !== 202) {
        throw new InventorySyncInvokeError(`the inventory sync of tenant ${req.tenantId} was not accepted (status ${out.StatusCode})`);
      }
    },
  };
}
