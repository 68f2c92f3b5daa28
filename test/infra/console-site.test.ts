/**
 * The console on AWS, as synthesized: a private bucket that only the distribution may read (origin
 * access control), HTTPS only, the security headers with the content security policy, access logs,
 * the build and its config.json deployed, the API's CORS allowing the console's origin only, and no
 * unacknowledged AWS Solutions finding. A stage without a console client id deploys none of it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeStacks, type CfnTemplate, type SynthesizedStacks } from '../../infra/local/synth.js';
import { logicalIdOf, resourcesOfType } from './helpers.js';

const STAGE = { stage: 'prod', jwtIssuer: 'https://login.example.com/tenant-1/v2.0', consoleClientId: 'console-spa', consoleAuthOrigins: 'https://tokens.example.com' };

let dir: string;
let synth: SynthesizedStacks;
let app: CfnTemplate;
let template: Template;
let configDocument: unknown;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'drift-console-asset-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dir, 'assets', 'index-abc.js'), '');
  synth = synthesizeStacks({
    stage: STAGE,
    consoleAssetDir: dir,
    nag: true,
    extend: ({ app: stack }) => {
      configDocument = stack.resolve(stack.console?.configDocument);
    },
  });
  app = synth.templates.app;
  template = Template.fromJSON(app);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function distribution(): Record<string, unknown> {
  return Object.values(resourcesOfType(app, 'AWS::CloudFront::Distribution'))[0]!.DistributionConfig as Record<string, unknown>;
}

describe('the console site', () => {
  it('keeps its files in a private, TLS-only bucket that only this distribution may read', () => {
    const bucketId = logicalIdOf(app, 'ConsoleFiles', 'AWS::S3::Bucket');
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 's3/' }),
    });
    const policy = Object.values(resourcesOfType(app, 'AWS::S3::BucketPolicy')).find((p) => JSON.stringify(p.Bucket) === JSON.stringify({ Ref: bucketId }));
    const statements = (policy!.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
    expect(statements.some((s) => s.Effect === 'Deny' && JSON.stringify(s.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }))).toBe(true);
    const reads = statements.filter((s) => s.Effect === 'Allow');
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' } });
    expect(JSON.stringify(reads[0]!.Condition)).toContain('AWS:SourceArn');
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
  });

  it('serves over HTTPS only, GET and HEAD, with access logs and the index function', () => {
    const d = distribution();
    const behavior = d.DefaultCacheBehavior as Record<string, unknown>;
    expect(behavior.ViewerProtocolPolicy).toBe('https-only');
    expect(behavior.AllowedMethods).toEqual(['GET', 'HEAD']);
    expect(behavior.FunctionAssociations).toEqual([expect.objectContaining({ EventType: 'viewer-request' })]);
    expect((d.Origins as Record<string, unknown>[])[0]).toMatchObject({ OriginAccessControlId: expect.anything(), S3OriginConfig: { OriginAccessIdentity: '' } });
    expect(d.Logging).toMatchObject({ Prefix: 'cloudfront/' });
    const fn = Object.values(resourcesOfType(app, 'AWS::CloudFront::Function'))[0]!;
    expect(fn.FunctionCode).toContain("'/console/'");
  });

  it('sends a strict content security policy, HSTS, no framing and no referrer', () => {
    const policy = Object.values(resourcesOfType(app, 'AWS::CloudFront::ResponseHeadersPolicy'))[0]!.ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: Record<string, Record<string, unknown>>;
    };
    const h = policy.SecurityHeadersConfig;
    const csp = JSON.stringify(h.ContentSecurityPolicy!.ContentSecurityPolicy);
    for (const part of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", 'https://login.example.com', 'https://tokens.example.com', 'https://*.execute-api.']) {
      expect(csp).toContain(part);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(h.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 730 * 86400, IncludeSubdomains: true, Override: true });
    expect(h.FrameOptions).toMatchObject({ FrameOption: 'DENY' });
    expect(h.ReferrerPolicy).toMatchObject({ ReferrerPolicy: 'no-referrer' });
    expect(h.ContentTypeOptions).toMatchObject({ Override: true });
  });

  it('deploys the build under console/ with a config.json naming the API, the issuer and the client', () => {
    const deployments = Object.values(resourcesOfType(app, 'Custom::CDKBucketDeployment'));
    expect(deployments).toHaveLength(1);
    const d = deployments[0]!;
    expect(d.DestinationBucketKeyPrefix).toBe('console/');
    expect(d.Prune).toBe(true);
    // Two sources: the build and config.json (whose API URL is a deploy-time value, hence a marker).
    expect((d.SourceObjectKeys as unknown[]).length).toBe(2);
    expect(JSON.stringify(d.SourceMarkers)).toContain(logicalIdOf(app, 'HttpApi', 'AWS::ApiGatewayV2::Api'));
    expect(configDocument).toEqual({
      signIn: 'oidc',
      apiUrl: expect.objectContaining({ 'Fn::Join': expect.any(Array) }),
      issuer: 'https://login.example.com/tenant-1/v2.0',
      clientId: 'console-spa',
      scope: 'openid profile',
    });
    expect(JSON.stringify(d.DistributionPaths)).toContain('/console/index.html');
  });

  it('lets the API answer the console\'s origin only', () => {
    const api = Object.values(resourcesOfType(app, 'AWS::ApiGatewayV2::Api'))[0]!;
    const origins = (api.CorsConfiguration as { AllowOrigins: unknown[] }).AllowOrigins;
    expect(origins).toHaveLength(1);
    const distributionId = logicalIdOf(app, 'ConsoleDistribution', 'AWS::CloudFront::Distribution');
    expect(origins[0]).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] });
    expect((api.CorsConfiguration as { AllowCredentials?: boolean }).AllowCredentials).toBeUndefined();
  });

  it('leaves no AWS Solutions finding unacknowledged', () => {
    const left = (synth.violations ?? []).map((v) => `${v.ruleName} at ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}`);
    expect(left).toEqual([]);
  });

  it('refuses to deploy a console that is not built, saying how to build it', () => {
    expect(() => synthesizeStacks({ stage: STAGE, consoleAssetDir: join(dir, 'missing') })).toThrow(/npm run console:build/);
  });
});

describe('a stage without a console client id', () => {
  it('deploys no console and keeps CORS as the stage says', () => {
    const plain = synthesizeStacks({ stage: { apiCorsOrigins: 'https://portal.example.com' } }).templates.app;
    expect(Object.keys(resourcesOfType(plain, 'AWS::CloudFront::Distribution'))).toEqual([]);
    expect(Object.keys(resourcesOfType(plain, 'Custom::CDKBucketDeployment'))).toEqual([]);
    const api = Object.values(resourcesOfType(plain, 'AWS::ApiGatewayV2::Api'))[0]!;
    expect((api.CorsConfiguration as { AllowOrigins: unknown[] }).AllowOrigins).toEqual(['https://portal.example.com']);
  });
});
