/**
 * The console on AWS: its static files in a private S3 bucket, served only through CloudFront with
 * origin access control (the bucket has no public access and trusts only this distribution), HTTPS
 * only, a response headers policy with a strict content security policy (scripts and styles from the
 * console's own origin, connections to the API and the identity provider only), HSTS, no framing, no
 * referrer; CloudFront and S3 access logs in a bucket of their own.
 *
 * The console lives under `/console/` (as locally): a CloudFront function answers `/` with a redirect
 * there and maps the folder to its `index.html`. `deploy()` uploads the build and the console's
 * `config.json` (the API's URL and the OpenID Connect issuer and client id it signs in with), and
 * invalidates the two files that are not content-hashed.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

/** Where the console lives on its origin (the build's base path). */
export const CONSOLE_PREFIX = 'console/';

export interface ConsoleSiteProps {
  readonly stage: string;
  /** Keep the buckets (and their objects) when the stack is deleted. */
  readonly retain: boolean;
  /** The OpenID Connect issuer the console signs in with (the API's JWT issuer). */
  readonly issuer: string;
  /** Further origins the sign-in talks to (e.g. a token endpoint on another host than the issuer). */
  readonly authOrigins?: string[];
  /** Days CloudFront and S3 access logs are kept. */
  readonly logRetentionDays: number;
}

export interface ConsoleDeployment {
  /** The console's build (`console/dist`). */
  readonly assetDir: string;
  /** Base URL of the API. */
  readonly apiUrl: string;
  readonly clientId: string;
  readonly scope: string;
}

/** Viewer-request function: `/` goes to the console, a folder path to its index. */
const INDEX_FUNCTION = `function handler(event) {
  var uri = event.request.uri;
  if (uri === '/' || uri === '/${CONSOLE_PREFIX.slice(0, -1)}') {
    return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '/${CONSOLE_PREFIX}' } } };
  }
  if (uri.endsWith('/')) event.request.uri = uri + 'index.html';
  return event.request;
}`;

function originOf(url: string): string {
  return new URL(url).origin;
}

/** The console's content security policy on AWS (the API on its execute-api host). */
export function consoleContentSecurityPolicy(issuer: string, authOrigins: readonly string[] = []): string {
  const connect = ["'self'", `https://*.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, originOf(issuer), ...authOrigins.map(originOf)];
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${[...new Set(connect)].join(' ')}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export class ConsoleSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly headers: cloudfront.ResponseHeadersPolicy;
  /** `https://<distribution domain>`: the one origin the API's CORS allows. */
  readonly origin: string;
  /** The OpenID Connect issuer the console signs in with. */
  readonly issuer: string;
  /** The console's `config.json`, once deployed. */
  configDocument?: Record<string, string>;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    this.issuer = props.issuer;
    const removalPolicy = props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logging writes with an ACL, so the log bucket keeps object ACLs enabled.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(props.logRetentionDays) }],
      removalPolicy,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access log bucket of the console: logging its own access would log the logs.',
    });

    this.bucket = new s3.Bucket(this, 'Files', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/',
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy,
    });

    this.headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `Baseline Drift Engine console (${props.stage}): CSP, HSTS, no framing, no referrer`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: consoleContentSecurityPolicy(props.issuer, props.authOrigins), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, preload: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    const index = new cloudfront.Function(this, 'Index', {
      code: cloudfront.FunctionCode.fromInline(INDEX_FUNCTION),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Redirects / to the console and maps a folder to its index.html',
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Baseline Drift Engine console (${props.stage})`,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        functionAssociations: [{ function: index, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'The console is for the MSP\'s staff wherever they work; sign-in (OIDC) and the API\'s JWT authorizer decide who gets data, not geography.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason: 'The distribution serves only static, public build files (no tenant data); every data request goes to the API, which has its own throttling and JWT authorizer.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason: 'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose viewer policy is CloudFront\'s; TLSv1.2_2021 is set for when a domain and certificate are added.',
      },
    );
    this.origin = `https://${this.distribution.distributionDomainName}`;
    new CfnOutput(Stack.of(this), 'ConsoleUrl', { value: `${this.origin}/${CONSOLE_PREFIX}`, description: 'The console' });
  }

  /** Uploads the console's build and its `config.json`; invalidates what is not content-hashed. */
  deploy(d: ConsoleDeployment): s3deploy.BucketDeployment {
    if (!existsSync(join(d.assetDir, 'index.html'))) {
      throw new Error(`the console is not built (${d.assetDir}/index.html is missing): run \`npm run console:build\` first`);
    }
    this.configDocument = { signIn: 'oidc', apiUrl: d.apiUrl, issuer: this.issuer, clientId: d.clientId, scope: d.scope };
    const deployment = new s3deploy.BucketDeployment(this, 'Deploy', {
      sources: [s3deploy.Source.asset(d.assetDir), s3deploy.Source.jsonData('config.json', this.configDocument)],
      destinationBucket: this.bucket,
      destinationKeyPrefix: CONSOLE_PREFIX,
      distribution: this.distribution,
      distributionPaths: [`/${CONSOLE_PREFIX}index.html`, `/${CONSOLE_PREFIX}config.json`, `/${CONSOLE_PREFIX}`],
      prune: true,
      memoryLimit: 256,
    });
    // The deployment's provider is one function per stack, created beside this construct.
    const stack = Stack.of(this);
    for (const child of stack.node.children) {
      if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
      const copies = 'The CDK bucket deployment copies the build from the CDK asset bucket into this console bucket and prunes what the build no longer has';
      Validations.of(child).acknowledge(
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason: 'The CDK bucket deployment function (run only during a deployment) logs with the AWS managed basic execution policy.',
        },
        ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({ id: `AwsSolutions-IAM5[Action::${action}]`, reason: `${copies}: ${action} on those two buckets only.` })),
        { id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]', reason: `${copies}: it reads the build's asset objects.` },
        { id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`, reason: `${copies}: it writes and deletes the console's objects.` },
        { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'cloudfront:CreateInvalidation and GetInvalidation (index.html and config.json after each deployment) are granted on * by the CDK bucket deployment.' },
        { id: 'AwsSolutions-L1', reason: 'The runtime of the CDK bucket deployment function is chosen by aws-cdk-lib, not by this project; it runs only during a deployment.' },
      );
    }
    return deployment;
  }

}
