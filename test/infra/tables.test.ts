import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Stack } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { DriftTables } from '../../infra/constructs/tables.js';
import { DataStack } from '../../infra/stacks/data-stack.js';
import {
  createTableInputFromResource,
  tableNameForLogicalId,
  type SynthesizedTemplate,
} from '../../infra/local/dynamodb-local.js';
import { TABLE_NAMES, TABLE_SPECS } from '../../shared/adapters/dynamodb/table-specs.js';

function synth(props: { stage: string; retain?: boolean }): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return Template.fromStack(new DataStack(app, 'BaselineDriftData', props));
}

describe('data stack tables', () => {
  let dev: Template;
  let prod: Template;
  beforeAll(() => {
    dev = synth({ stage: 'dev' });
    prod = synth({ stage: 'prod' });
  });

  it('has exactly one table per spec, with no physical name', () => {
    dev.resourceCountIs('AWS::DynamoDB::Table', TABLE_NAMES.length);
    const tables = dev.findResources('AWS::DynamoDB::Table');
    for (const resource of Object.values(tables)) expect(resource.Properties.TableName).toBeUndefined();
    expect(Object.keys(tables).map((id) => tableNameForLogicalId(id)).sort()).toEqual([...TABLE_NAMES].sort());
  });

  it('keys the findings table by tenantId#scopeKey / fingerprint with the listing indexes', () => {
    expect(() =>
      dev.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({
          IndexName: 'byTenantLastSeen',
          KeySchema: [
            { AttributeName: 'tenantId', KeyType: 'HASH' },
            { AttributeName: 'lastSeenAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }),
        Match.objectLike({ IndexName: 'byTenantStatus', KeySchema: Match.arrayWith([{ AttributeName: 'tenantStatus', KeyType: 'HASH' }]) }),
        Match.objectLike({ IndexName: 'byTenantPolicyType', KeySchema: Match.arrayWith([{ AttributeName: 'tenantPolicyType', KeyType: 'HASH' }]) }),
        Match.objectLike({
          IndexName: 'byTenantFingerprint',
          KeySchema: [
            { AttributeName: 'tenantId', KeyType: 'HASH' },
            { AttributeName: 'fingerprint', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        }),
      ]),
      }),
    ).not.toThrow();
  });

  it('builds every table and index exactly as its spec says', () => {
    const tables = dev.findResources('AWS::DynamoDB::Table');
    for (const [logicalId, resource] of Object.entries(tables)) {
      const spec = TABLE_SPECS[tableNameForLogicalId(logicalId)!];
      const props = resource.Properties as Record<string, unknown>;
      expect(props.KeySchema).toEqual([
        { AttributeName: spec.partitionKey.name, KeyType: 'HASH' },
        ...(spec.sortKey ? [{ AttributeName: spec.sortKey.name, KeyType: 'RANGE' }] : []),
      ]);
      const gsis = (props.GlobalSecondaryIndexes as Array<{ IndexName: string }> | undefined) ?? [];
      expect(gsis.map((g) => g.IndexName)).toEqual(spec.indexes.map((i) => i.indexName));
    }
  });

  it('is on-demand, point-in-time recoverable and encrypted, everywhere', () => {
    const tables = Object.values(dev.findResources('AWS::DynamoDB::Table'));
    for (const t of tables) {
      expect(t.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(t.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(t.Properties.SSESpecification).toEqual({ SSEEnabled: true });
    }
  });

  it('has TTL only on the operation runs table (runs and locks), on expiresAt', () => {
    const tables = dev.findResources('AWS::DynamoDB::Table');
    const withTtl = Object.entries(tables)
      .filter(([, t]) => t.Properties.TimeToLiveSpecification !== undefined)
      .map(([id, t]) => ({ table: tableNameForLogicalId(id), ttl: t.Properties.TimeToLiveSpecification }));
    expect(withTtl).toEqual([{ table: 'operationRuns', ttl: { AttributeName: 'expiresAt', Enabled: true } }]);
  });

  it('retains and protects the tables in prod (or when asked), and lets dev stacks go', () => {
    for (const t of Object.values(prod.findResources('AWS::DynamoDB::Table'))) {
      expect(t.DeletionPolicy).toBe('Retain');
      expect(t.UpdateReplacePolicy).toBe('Retain');
      expect(t.Properties.DeletionProtectionEnabled).toBe(true);
    }
    for (const t of Object.values(dev.findResources('AWS::DynamoDB::Table'))) {
      expect(t.DeletionPolicy).toBe('Delete');
      expect(t.Properties.DeletionProtectionEnabled).toBe(false);
    }
    const retained = synth({ stage: 'dev', retain: true });
    for (const t of Object.values(retained.findResources('AWS::DynamoDB::Table'))) expect(t.DeletionPolicy).toBe('Retain');
  });

  it('uses a customer-managed key when given one', () => {
    const app = new App();
    const stack = new Stack(app, 'KeyStack');
    const key = new Key(stack, 'TableKey');
    new DriftTables(stack, 'Tables', { stage: 'dev', encryptionKey: key });
    const template = Template.fromStack(stack);
    expect(() =>
      template.allResourcesProperties('AWS::DynamoDB::Table', {
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
      }),
    ).not.toThrow();
    template.resourceCountIs('AWS::DynamoDB::Table', TABLE_NAMES.length);
  });

  it('hands the app stack one TABLE_<NAME> variable per table', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const data = new DataStack(app, 'BaselineDriftData', { stage: 'dev' });
    const env = data.tables.environment();
    expect(Object.keys(env).sort()).toEqual(TABLE_NAMES.map((n) => TABLE_SPECS[n].envVar).sort());
    expect(data.tables.envVarName('findings')).toBe('TABLE_FINDINGS');
    expect(data.tables.table('audit')).toBe(data.tables.audit);
  });

  it('turns each template table into the CreateTable input DynamoDB Local gets', () => {
    const template = dev.toJSON() as SynthesizedTemplate;
    const [logicalId, runs] = Object.entries(template.Resources!).find(([id]) => tableNameForLogicalId(id) === 'operationRuns')!;
    expect(logicalId).toMatch(/^TablesOperationRuns[0-9A-F]{8}$/);
    const { input, ttlAttribute } = createTableInputFromResource('p-operationRuns', runs.Properties!);
    expect(ttlAttribute).toBe('expiresAt');
    expect(input).toMatchObject({
      TableName: 'p-operationRuns',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
    expect(input.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(TABLE_SPECS.operationRuns.indexes.map((i) => i.indexName));
    expect(input.ProvisionedThroughput).toBeUndefined();
  });
});
