import { CfnOutput, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { LogRetentionDays } from '../stage.js';

/**
 * The portal API: an API Gateway HTTP API in front of the API function (payload format 2.0, the event
 * shape `functions/api/handler.ts` and the local HTTP server share).
 *
 * - `ANY /{proxy+}`: JWT authorizer (issuer and audiences of the stage). API Gateway refuses a missing,
 *   expired or foreign token with 401 before the function runs; the function then checks that the
 *   claims (`workspace_id`, `tenant_ids`, `role`) grant the route.
 * - `GET /health` and `GET /openapi.json`: no authorizer (liveness and the API description).
 * - Default stage `$default`: auto-deployed, throttled (rate and burst of the stage configuration),
 *   JSON access logs in their own log group.
 * - CORS: off unless the stage names allowed origins.
 * - Request size: HTTP APIs accept bodies up to 10 MB (a hard limit of the service); the API function
 *   enforces its own, much smaller body limit and answers 413 `application/problem+json` above it.
 *   Large inventories are pushed in pages of one sync run.
 */

/** Routes that answer without a token. */
export const PUBLIC_ROUTES = ['GET /health', 'GET /openapi.json'] as const;
/** The one authenticated route: every other path, every method. */
export const PROXY_ROUTE = 'ANY /{proxy+}';

/** One JSON line per request: ids, route, status, latency, and why the authorizer refused (if it did). */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  method: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  subject: '$context.authorizer.claims.sub',
});

export interface DriftHttpApiProps {
  /** The API function (every route proxies to it). */
  readonly handler: lambda.IFunction;
  /** `iss` the JWT authorizer accepts (an https URL serving `.well-known/openid-configuration`). */
  readonly jwtIssuer: string;
  /** `aud` values the JWT authorizer accepts. */
  readonly jwtAudience: string[];
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  /** Allowed CORS origins; empty or absent: CORS off. */
  readonly corsOrigins?: string[];
  readonly logRetentionDays: LogRetentionDays;
  /** Keep the access log group when the stack is deleted. */
  readonly retain: boolean;
  readonly stage: string;
}

export class DriftHttpApi extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  readonly defaultStage: apigwv2.HttpStage;
  readonly accessLogs: logs.LogGroup;
  readonly authorizer: HttpJwtAuthorizer;

  constructor(scope: Construct, id: string, props: DriftHttpApiProps) {
    super(scope, id);
    const cors = props.corsOrigins ?? [];

    this.httpApi = new apigwv2.HttpApi(this, 'Api', {
      apiName: `baseline-drift-api-${props.stage}`,
      description: `Baseline Drift Engine portal API (stage ${props.stage})`,
      // The stage below carries throttling and access logging, which the implicit one cannot.
      createDefaultStage: false,
      ...(cors.length > 0
        ? {
            corsPreflight: {
              allowOrigins: cors,
              allowMethods: [
                apigwv2.CorsHttpMethod.GET,
                apigwv2.CorsHttpMethod.POST,
                apigwv2.CorsHttpMethod.PUT,
                apigwv2.CorsHttpMethod.PATCH,
                apigwv2.CorsHttpMethod.DELETE,
              ],
              allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-correlation-id'],
              exposeHeaders: ['x-correlation-id', 'location'],
            },
          }
        : {}),
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.defaultStage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttle.rateLimit, burstLimit: props.throttle.burstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: apigw.AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });

    this.authorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.jwtIssuer, {
      authorizerName: 'jwt',
      jwtAudience: props.jwtAudience,
      identitySource: ['$request.header.Authorization'],
    });
    const integration = new HttpLambdaIntegration('ApiIntegration', props.handler, {
      payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
    });

    this.httpApi.addRoutes({
      path: '/{proxy+}',
      methods: [apigwv2.HttpMethod.ANY],
      integration,
      authorizer: this.authorizer,
    });
    for (const route of PUBLIC_ROUTES) {
      const [method, path] = route.split(' ') as [string, string];
      const routes = this.httpApi.addRoutes({
        path,
        methods: [method as apigwv2.HttpMethod],
        integration,
        authorizer: new apigwv2.HttpNoneAuthorizer(),
      });
      for (const r of routes) {
        Validations.of(r).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route} is public by design (liveness / API description); it returns no tenant data.`,
        });
      }
    }

    new CfnOutput(Stack.of(this), 'ApiUrl', {
      value: this.defaultStage.url,
      description: 'Base URL of the portal API',
    });
  }
}
