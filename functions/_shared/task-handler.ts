/**
 * One middleware stack for every workflow task (middy + Powertools): the Lambda context in every log
 * line, the input parsed with the task's zod schema (a bad payload is a permanent, named error), the
 * output validated before it reaches the next state, and transient AWS errors renamed `TransientError`
 * so that the state machine's shared Retry policy matches them by name.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { isTransientError } from '../../shared/usecases/ports/errors.js';
import { logger } from '../../shared/adapters/observability.js';

export { logger };

/** A task input that fails its schema: never retried, ends in FailRun with this name. */
export class InvalidTaskInputError extends Error {
  override readonly name = 'InvalidTaskInputError';
}

/** Errors worth retrying keep their message but carry the name `TransientError`. */
export function classifyError(err: unknown): Error {
  if (!(err instanceof Error)) return new Error(String(err));
  if (isTransientError(err)) {
    const t = new Error(`${err.name}: ${err.message}`);
    t.name = 'TransientError';
    return t;
  }
  if (err.name === 'ParseError') {
    const issues = (err.cause as { issues?: { path: unknown[]; message: string }[] } | undefined)?.issues ?? [];
    return new InvalidTaskInputError(
      `the task input does not match its schema: ${issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') || err.message}`,
    );
  }
  return err;
}

export function taskHandler<S extends z.ZodType, R>(
  name: string,
  input: S,
  output: z.ZodType<R>,
  run: (event: z.infer<S>, context: Context) => Promise<R>,
) {
  return middy<z.infer<S>, R>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(parser({ schema: input }))
    .handler(async (event, context) => {
      logger.appendKeys({ task: name, runId: (event as { runId?: string }).runId });
      try {
        const result = await run(event, context);
        return output.parse(result);
      } catch (err) {
        const classified = classifyError(err);
        logger.error(`${name} failed`, { errorName: classified.name, errorMessage: classified.message });
        throw classified;
      }
    })
    .onError((request) => {
      // Errors raised by the middlewares themselves (the parser) get the same naming.
      if (request.error) request.error = classifyError(request.error);
    });
}
