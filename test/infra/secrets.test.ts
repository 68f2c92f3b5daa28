import { beforeAll, describe, expect, it } from 'vitest';
import { TENANT_TAG_KEY } from '../../infra/constructs/secrets.js';
import { synthesizeStacks, type CfnTemplate } from '../../infra/local/synth.js';
import { TENANT_SESSION_TAG } from '../../shared/adapters/secrets/tenant-credentials.js';
import { FUNCTION_IDS } from '../../infra/stacks/app-stack.js';
import { envOf, logicalIdOf, permissionLines, resourcesOfType, statementsOf, statementsOfRole, trustStatementsOf } from './helpers.js';

/**
 * Secrets: the generated normalization master key (data stack) readable only by the functions that
 * normalize, and tenant credentials read through the TenantSecretsReader role under an ABAC condition.
 */

describe('secrets (dev stage defaults)', () => {
  let app: CfnTemplate;
  let data: CfnTemplate;
  let readerId: string;

  beforeAll(() => {
    ({ app, data } = synthesizeStacks().templates);
    readerId = logicalIdOf(app, 'TenantSecretsTenantSecretsReader', 'AWS::IAM::Role');
  });

  it('generates the master key in the data stack, deleted with a dev stack', () => {
    const secrets = Object.entries(resourcesOfType(data, 'AWS::SecretsManager::Secret'));
    // The normalization key and the webhook key.
    expect(secrets.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['NormalizationKeySecret', 'WebhookKeySecret']);
    const [id, secret] = secrets.find(([k]) => k.startsWith('NormalizationKey'))!;
    expect(secret.GenerateSecretString).toMatchObject({ PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false });
    expect(secret.SecretString).toBeUndefined();
    expect(data.Resources[id]!.DeletionPolicy).toBe('Delete');
    expect(resourcesOfType(app, 'AWS::SecretsManager::Secret')).toEqual({});
  });

  it('lets exactly the normalizing functions (API ingest, CaptureSnapshot, InventorySync) read the master key', () => {
    const readers = Object.values(FUNCTION_IDS).filter((id) =>
      permissionLines(statementsOf(app, id), data).some((l) => l.includes('secret:NormalizationKey')),
    );
    expect(readers.sort()).toEqual(['Api', 'CaptureSnapshot', 'InventorySync']);
    for (const id of readers) {
      expect(permissionLines(statementsOf(app, id), data).filter((l) => l.includes('secret:NormalizationKey'))).toEqual([
        'secretsmanager:GetSecretValue -> secret:NormalizationKey',
      ]);
      expect(JSON.stringify(envOf(app, id).SECRET_KEY_SECRET_ARN)).toMatch(/ExportsOutputRefNormalizationKeySecret/);
    }
    const withVariable = Object.values(FUNCTION_IDS).filter((id) => 'SECRET_KEY_SECRET_ARN' in envOf(app, id));
    expect(withVariable.sort()).toEqual(readers.sort());
  });

  it('lets exactly the API (creating destinations) and WebhookDelivery read the webhook key, a secret of its own', () => {
    const readers = Object.values(FUNCTION_IDS).filter((id) => permissionLines(statementsOf(app, id), data).some((l) => l.includes('secret:WebhookKey')));
    expect(readers.sort()).toEqual(['Api', 'WebhookDelivery']);
    expect(permissionLines(statementsOf(app, 'WebhookDelivery'), data).filter((l) => l.includes('secret'))).toEqual(['secretsmanager:GetSecretValue -> secret:WebhookKey']);
    for (const id of readers) expect(JSON.stringify(envOf(app, id).WEBHOOK_KEY_SECRET_ARN)).toMatch(/ExportsOutputRefWebhookKeySecret/);
    const withVariable = Object.values(FUNCTION_IDS).filter((id) => 'WEBHOOK_KEY_SECRET_ARN' in envOf(app, id));
    expect(withVariable.sort()).toEqual(readers.sort());
  });

  it('reads a tenant secret only when its tenantId tag equals the session tag (ABAC)', () => {
    const statements = statementsOfRole(app, readerId);
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue'],
        Resource: [
          {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':secret:baseline-drift/dev/tenants/*'],
            ],
          },
        ],
        Condition: {
          StringEquals: { 'secretsmanager:ResourceTag/tenantId': '${aws:PrincipalTag/tenantId}' },
          Null: { 'aws:PrincipalTag/tenantId': 'false' },
        },
      },
    ]);
    expect(app.Resources[readerId]!.Properties!.ManagedPolicyArns).toBeUndefined();
  });

  it('is assumable only by the sync function\'s role, with a tenantId session tag and no other tag', () => {
    expect(trustStatementsOf(app, readerId)).toEqual([
      {
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Resource: [],
        Principal: { AWS: { 'Fn::GetAtt': [logicalIdOf(app, 'InventorySyncRole', 'AWS::IAM::Role'), 'Arn'] } },
        Condition: {
          Null: { 'aws:RequestTag/tenantId': 'false' },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['tenantId'] },
        },
      },
    ]);
    const assumers = Object.values(FUNCTION_IDS).filter((id) => statementsOf(app, id).some((s) => s.Action.includes('sts:AssumeRole')));
    expect(assumers).toEqual(['InventorySync']);
    const assume = statementsOf(app, 'InventorySync').filter((s) => s.Action.includes('sts:AssumeRole'));
    expect(assume).toEqual([
      { Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: [{ 'Fn::GetAtt': [readerId, 'Arn'] }] },
    ]);
  });

  it('uses the session tag the credential source sends when it assumes the role', () => {
    expect(TENANT_TAG_KEY).toBe(TENANT_SESSION_TAG);
  });

  it('lets no function role read tenant secrets directly', () => {
    for (const id of Object.values(FUNCTION_IDS)) {
      expect(JSON.stringify(statementsOf(app, id))).not.toContain(':secret:');
    }
  });

  it('tells the sync function where credentials and Graph are', () => {
    expect(envOf(app, 'InventorySync')).toMatchObject({
      TENANT_SECRET_PREFIX: 'baseline-drift/dev/tenants/',
      TENANT_SECRETS_ROLE_ARN: { 'Fn::GetAtt': [readerId, 'Arn'] },
      GRAPH_BASE_URL: 'https://graph.microsoft.com',
      GRAPH_TOKEN_URL_TEMPLATE: 'https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token',
    });
  });
});

describe('secrets (stage overrides)', () => {
  it('takes the secret prefix and Graph endpoints from the stage, and keeps the master key in prod', () => {
    const { templates } = synthesizeStacks({
      stage: {
        stage: 'prod',
        jwtIssuer: 'https://idp.example.com/',
        tenantSecretPrefix: 'drift/tenants/',
        graphBaseUrl: 'https://graph.microsoft.us',
        graphTokenUrlTemplate: 'https://login.microsoftonline.us/{tenantId}/oauth2/v2.0/token',
      },
    });
    expect(envOf(templates.app, 'InventorySync')).toMatchObject({
      TENANT_SECRET_PREFIX: 'drift/tenants/',
      GRAPH_BASE_URL: 'https://graph.microsoft.us',
      GRAPH_TOKEN_URL_TEMPLATE: 'https://login.microsoftonline.us/{tenantId}/oauth2/v2.0/token',
    });
    const reader = logicalIdOf(templates.app, 'TenantSecretsTenantSecretsReader', 'AWS::IAM::Role');
    expect(JSON.stringify(statementsOfRole(templates.app, reader))).toContain(':secret:drift/tenants/*');
    const [secret] = Object.values(templates.data.Resources).filter((r) => r.Type === 'AWS::SecretsManager::Secret');
    expect(secret!.DeletionPolicy).toBe('Retain');
  });
});
