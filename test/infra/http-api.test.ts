import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_LOG_FORMAT } from '../../infra/constructs/http-api.js';
import { synthesizeStacks, type CfnTemplate } from '../../infra/local/synth.js';
import { apiEnvironment } from '../../functions/api/handler.js';
import { envOf, logicalIdOf, resourcesOfType } from './helpers.js';

/** The portal HTTP API: authorizer, routes, stage throttling, access logs, CORS, and the integration. */

describe('HTTP API (dev stage defaults)', () => {
  let app: CfnTemplate;
  let template: Template;
  let apiId: string;

  beforeAll(() => {
    app = synthesizeStacks().templates.app;
    template = Template.fromJSON(app);
    apiId = logicalIdOf(app, 'HttpApi', 'AWS::ApiGatewayV2::Api');
  });

  it('is one HTTP API without CORS unless the stage allows origins', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    expect(app.Resources[apiId]!.Properties!.CorsConfiguration).toBeUndefined();
  });

  it('checks JWTs with the stage issuer and audience, from the Authorization header', () => {
    const authorizers = Object.values(resourcesOfType(app, 'AWS::ApiGatewayV2::Authorizer'));
    expect(authorizers).toEqual([
      {
        ApiId: { Ref: apiId },
        AuthorizerType: 'JWT',
        Name: 'jwt',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Issuer: 'https://baseline-drift.local/dev', Audience: ['baseline-drift-api'] },
      },
    ]);
  });

  it('routes every path through the authorizer except GET /health and GET /openapi.json', () => {
    const authorizerId = logicalIdOf(app, 'HttpApiJwtAuthorizer', 'AWS::ApiGatewayV2::Authorizer');
    const routes = Object.values(resourcesOfType(app, 'AWS::ApiGatewayV2::Route'));
    const byKey = Object.fromEntries(routes.map((r) => [r.RouteKey as string, { type: r.AuthorizationType, authorizer: r.AuthorizerId }]));
    expect(byKey).toEqual({
      'ANY /{proxy+}': { type: 'JWT', authorizer: { Ref: authorizerId } },
      'GET /health': { type: 'NONE', authorizer: undefined },
      'GET /openapi.json': { type: 'NONE', authorizer: undefined },
    });
  });

  it('proxies every route to the API function with payload format 2.0', () => {
    const integrations = resourcesOfType(app, 'AWS::ApiGatewayV2::Integration');
    expect(Object.keys(integrations)).toHaveLength(1);
    const [integrationId, integration] = Object.entries(integrations)[0]!;
    expect(integration).toMatchObject({
      ApiId: { Ref: apiId },
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [logicalIdOf(app, 'Api', 'AWS::Lambda::Function'), 'Arn'] },
    });
    for (const route of Object.values(resourcesOfType(app, 'AWS::ApiGatewayV2::Route'))) {
      expect(route.Target).toEqual({ 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] });
    }
  });

  it('lets API Gateway invoke the function for its own routes only', () => {
    const permissions = Object.values(resourcesOfType(app, 'AWS::Lambda::Permission'));
    expect(permissions.length).toBeGreaterThan(0);
    for (const p of permissions) {
      expect(p).toMatchObject({
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        FunctionName: { 'Fn::GetAtt': [logicalIdOf(app, 'Api', 'AWS::Lambda::Function'), 'Arn'] },
      });
      expect(JSON.stringify(p.SourceArn)).toContain(`{"Ref":"${apiId}"}`);
    }
  });

  it('throttles the auto-deployed default stage and writes JSON access logs to their own log group', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    const logGroupId = logicalIdOf(app, 'HttpApiAccessLogs', 'AWS::Logs::LogGroup');
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: { Ref: apiId },
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] }, Format: ACCESS_LOG_FORMAT },
    });
    expect(app.Resources[logGroupId]!.Properties).toMatchObject({ RetentionInDays: 14 });
    const format = JSON.parse(ACCESS_LOG_FORMAT) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', authorizerError: '$context.authorizer.error' });
  });

  it('gives the API function the timeout API Gateway can wait for, and its body limit (far below the 10 MB of HTTP APIs)', () => {
    const fn = app.Resources[logicalIdOf(app, 'Api', 'AWS::Lambda::Function')]!;
    expect(fn.Properties!.Timeout).toBeLessThanOrEqual(30);
    expect(envOf(app, 'Api')).toMatchObject({ API_MAX_BODY_BYTES: String(1024 * 1024) });
    // The handler accepts the value the stack sets.
    expect(apiEnvironment.parse({ ...envOf(app, 'Api'), STATE_MACHINE_ARN: 'arn', CAPTURE_FUNCTION_NAME: 'fn', SECRET_KEY_SECRET_ARN: 'arn' })).toMatchObject({
      API_MAX_BODY_BYTES: 1024 * 1024,
    });
  });

  it('publishes the API URL', () => {
    const outputs = app.Outputs as Record<string, { Value: unknown }>;
    const apiUrl = Object.entries(outputs).find(([id]) => id.startsWith('ApiUrl'));
    expect(JSON.stringify(apiUrl?.[1].Value)).toContain(`{"Ref":"${apiId}"}`);
  });
});

describe('HTTP API (stage overrides)', () => {
  it('takes issuer, audiences, throttling and CORS origins from the stage configuration', () => {
    const { templates } = synthesizeStacks({
      stage: {
        stage: 'prod',
        jwtIssuer: 'https://login.example.com/tenant/v2.0',
        jwtAudience: 'api://drift,portal',
        apiThrottleRateLimit: '200',
        apiThrottleBurstLimit: '400',
        apiCorsOrigins: 'https://portal.example.com',
        apiMaxBodyBytes: String(256 * 1024),
      },
    });
    const template = Template.fromJSON(templates.app);
    expect(envOf(templates.app, 'Api')).toMatchObject({ API_MAX_BODY_BYTES: String(256 * 1024) });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Issuer: 'https://login.example.com/tenant/v2.0', Audience: ['api://drift', 'portal'] },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: ['https://portal.example.com'],
        AllowHeaders: Match.arrayWith(['authorization', 'content-type']),
      }),
    });
    const accessLogs = Object.entries(templates.app.Resources).find(([id]) => id.startsWith('HttpApiAccessLogs'))![1];
    expect(accessLogs.DeletionPolicy).toBe('Retain');
    expect(accessLogs.Properties).toMatchObject({ RetentionInDays: 365 });
  });
});
