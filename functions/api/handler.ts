/**
 * The API function behind API Gateway (HTTP API, payload 2.0, JWT authorizer). Configuration is
 * parsed once per container with zod; the app (routing, validation, auth checks, problem+json) is
 * `createApiApp`, the same one the local server runs.
 *
 * Environment: TABLE_BASELINES, TABLE_OPERATION_RUNS, TABLE_FINDINGS, TABLE_AUDIT, TABLE_INVENTORY
 * (read/write), STATE_MACHINE_ARN (states:StartExecution), CAPTURE_FUNCTION_NAME (lambda:InvokeFunction,
 * asynchronous), SECRET_KEY_SECRET_ARN (secretsmanager:GetSecretValue: digests of pushed inventory),
 * optional API_MAX_BODY_BYTES, MAX_ACCEPTANCE_DAYS.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { createDynamoRepositories, getDocumentClient } from '../../shared/adapters/dynamodb/index.js';
import { grantedTableNames } from '../_shared/runtime.js';
import { workspaceKeySourceFromEnv } from '../../shared/adapters/secrets/workspace-key.js';
import { stepFunctionsStarter } from '../../shared/adapters/stepfunctions/starter.js';
import { createApiApp, type ApiApp } from './app.js';
import { lambdaCaptureStarter } from './capture-starter.js';
import { wireApiDeps } from './wiring.js';
import { logger } from '../../shared/adapters/observability.js';

export { logger };

export const apiEnvironment = z.object({
  STATE_MACHINE_ARN: z.string().min(1),
  CAPTURE_FUNCTION_NAME: z.string().min(1),
  SECRET_KEY_SECRET_ARN: z.string().min(1).optional(),
  DRIFT_SECRET_KEY: z.string().min(16).optional(),
  API_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).optional(),
  /** The longest an accepted deviation may stay accepted before it expires (default 365 days). */
  MAX_ACCEPTANCE_DAYS: z.coerce.number().int().min(1).max(3650).optional(),
});

let app: ApiApp | undefined;

/** The app of this container, built on first use from the environment. */
export function apiAppFromEnv(env: NodeJS.ProcessEnv = process.env): ApiApp {
  const config = apiEnvironment.parse(env);
  const tables = grantedTableNames(env);
  const db = getDocumentClient(env);
  const repos = createDynamoRepositories({ db, tables });
  return createApiApp(
    wireApiDeps({
      repos,
      db,
      tables,
      workflow: stepFunctionsStarter(config.STATE_MACHINE_ARN),
      capture: lambdaCaptureStarter(config.CAPTURE_FUNCTION_NAME),
      keys: workspaceKeySourceFromEnv(env),
      ...(config.API_MAX_BODY_BYTES !== undefined ? { maxBodyBytes: config.API_MAX_BODY_BYTES } : {}),
      ...(config.MAX_ACCEPTANCE_DAYS !== undefined ? { maxAcceptanceDays: config.MAX_ACCEPTANCE_DAYS } : {}),
      onServerError: (error, info) =>
        logger.error('request failed', { ...info, errorName: error instanceof Error ? error.name : typeof error, errorMessage: error instanceof Error ? error.message : undefined }),
    }),
  );
}

export const handler = middy<APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    app ??= apiAppFromEnv();
    const result = await app(event);
    logger.info('request', {
      method: event.requestContext.http.method,
      path: event.rawPath,
      status: result.statusCode,
      correlationId: result.headers?.['x-correlation-id'],
    });
    return result;
  });
