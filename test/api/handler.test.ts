/**
 * The API function as Lambda runs it: configuration parsed from the environment (refused when
 * incomplete), the middy handler with a Lambda context, repositories on DynamoDB Local. No compare or
 * capture is started here (those go to Step Functions and Lambda on AWS).
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiAppFromEnv, apiEnvironment, handler, logger } from '../../functions/api/handler.js';
import { localContext } from '../../infra/local/stack.js';
import { dynamoTestContext } from '../support/dynamodb.js';

const AWS_ENV = {
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:BaselineCompare',
  CAPTURE_FUNCTION_NAME: 'CaptureSnapshot',
  DRIFT_SECRET_KEY: 'handler-test-secret-key-0123456789',
};

function event(method: string, path: string, claims: Record<string, string>, body?: unknown): APIGatewayProxyEventV2WithJWTAuthorizer {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'x-correlation-id': 'lambda-corr-1' },
    requestContext: {
      accountId: '000000000000',
      apiId: 'api',
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } },
      domainName: 'api.example.test',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '10.0.0.1', userAgent: 'test' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    isBase64Encoded: false,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  };
}

describe('the API Lambda handler', () => {
  beforeAll(() => {
    dynamoTestContext(); // DynamoDB Local endpoint and TABLE_* in the environment
    Object.assign(process.env, AWS_ENV);
    logger.setLogLevel('SILENT');
  });

  it('refuses an incomplete configuration, naming what is missing', () => {
    const result = apiEnvironment.safeParse({ CAPTURE_FUNCTION_NAME: 'x' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain('STATE_MACHINE_ARN');
    expect(() => apiAppFromEnv({ ...process.env, STATE_MACHINE_ARN: '' })).toThrow();
  });

  it('serves requests with API Gateway claims (strings, "[a b]" lists) on DynamoDB Local', async () => {
    const ws = `ws-${randomUUID().slice(0, 8)}`;
    const claims = { sub: 'lambda-admin', workspace_id: ws, tenant_ids: '[t-1 t-2]', role: 'admin', exp: String(Math.floor(Date.now() / 1000) + 60) };
    const ctx: Context = localContext('Api');
    const created = await handler(event('POST', '/baseline-profiles', claims, { name: 'From Lambda' }), ctx);
    expect(created.statusCode).toBe(201);
    expect(created.headers?.['x-correlation-id']).toBe('lambda-corr-1');
    const id = (JSON.parse(created.body!) as { id: string }).id;
    const got = await handler(event('GET', `/baseline-profiles/${id}`, { ...claims, role: 'reader' }), ctx);
    expect(got.statusCode).toBe(200);
    expect(JSON.parse(got.body!)).toMatchObject({ id, workspaceId: ws, name: 'From Lambda', createdBy: 'lambda-admin' });
    const hidden = await handler(event('GET', `/tenants/t-3/findings`, claims), ctx);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.headers?.['content-type']).toBe('application/problem+json');
  });
});
