import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  TABLE_NAMES,
  TABLE_SPECS,
  type KeyAttributeSpec,
  type ProjectionSpec,
  type TableName,
  type TableSpec,
} from '../../shared/adapters/dynamodb/table-specs.js';

export { TABLE_NAMES, TABLE_SPECS, type TableName, type TableSpec };

export interface DriftTablesProps {
  /** Stage name (e.g. `dev`, `prod`); `prod` retains the tables unless `retain` says otherwise. */
  stage: string;
  /** Keep the tables (RETAIN + deletion protection) when the stack is deleted. Default: stage === 'prod'. */
  retain?: boolean;
  /** Encrypt with this customer-managed key instead of the AWS-managed key. */
  encryptionKey?: kms.IKey;
}

const ATTRIBUTE_TYPE: Record<KeyAttributeSpec['type'], dynamodb.AttributeType> = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
  B: dynamodb.AttributeType.BINARY,
};

function attribute(a: KeyAttributeSpec): dynamodb.Attribute {
  return { name: a.name, type: ATTRIBUTE_TYPE[a.type] };
}

function projection(p: ProjectionSpec): Pick<dynamodb.GlobalSecondaryIndexProps, 'projectionType' | 'nonKeyAttributes'> {
  switch (p.type) {
    case 'ALL':
      return { projectionType: dynamodb.ProjectionType.ALL };
    case 'KEYS_ONLY':
      return { projectionType: dynamodb.ProjectionType.KEYS_ONLY };
    case 'INCLUDE':
      return { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: p.attributes };
  }
}

/**
 * Every table of the product, built from `TABLE_SPECS`: on-demand, point-in-time recovery,
 * encrypted (AWS-managed key, or the given customer key), TTL only where the spec declares it
 * (operation runs and locks), retained with deletion protection when `retain` (or stage prod).
 */
export class DriftTables extends Construct {
  readonly findings: dynamodb.Table;
  readonly snapshotItems: dynamodb.Table;
  readonly inventory: dynamodb.Table;
  readonly baselines: dynamodb.Table;
  readonly operationRuns: dynamodb.Table;
  readonly audit: dynamodb.Table;

  constructor(scope: Construct, id: string, props: DriftTablesProps) {
    super(scope, id);
    const retain = props.retain ?? props.stage === 'prod';
    const build = (spec: TableSpec): dynamodb.Table => {
      const table = new dynamodb.Table(this, spec.constructId, {
        partitionKey: attribute(spec.partitionKey),
        ...(spec.sortKey ? { sortKey: attribute(spec.sortKey) } : {}),
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        ...(props.encryptionKey
          ? { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.encryptionKey }
          : { encryption: dynamodb.TableEncryption.AWS_MANAGED }),
        ...(spec.timeToLiveAttribute ? { timeToLiveAttribute: spec.timeToLiveAttribute } : {}),
        deletionProtection: retain,
        removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
      for (const index of spec.indexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.indexName,
          partitionKey: attribute(index.partitionKey),
          ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
          ...projection(index.projection),
        });
      }
      return table;
    };
    this.findings = build(TABLE_SPECS.findings);
    this.snapshotItems = build(TABLE_SPECS.snapshotItems);
    this.inventory = build(TABLE_SPECS.inventory);
    this.baselines = build(TABLE_SPECS.baselines);
    this.operationRuns = build(TABLE_SPECS.operationRuns);
    this.audit = build(TABLE_SPECS.audit);
  }

  /** The table of a product name. */
  table(name: TableName): dynamodb.Table {
    return this[name];
  }

  /** The Lambda environment variable that carries a table's physical name (`TABLE_<NAME>`). */
  envVarName(name: TableName): string {
    return TABLE_SPECS[name].envVar;
  }

  /** `{ TABLE_<NAME>: <physical name token> }` for the given tables (default: all). */
  environment(names: readonly TableName[] = TABLE_NAMES): Record<string, string> {
    return Object.fromEntries(names.map((n) => [TABLE_SPECS[n].envVar, this[n].tableName]));
  }

  /** Every table with its product name. */
  all(): Array<{ name: TableName; table: dynamodb.Table }> {
    return TABLE_NAMES.map((name) => ({ name, table: this[name] }));
  }

  /** Read access to the given tables (and their indexes) for a function or role. */
  grantRead(grantee: IGrantable, names: readonly TableName[]): void {
    for (const n of names) this[n].grantReadData(grantee);
  }

  /** Read and write access to the given tables (and their indexes). */
  grantReadWrite(grantee: IGrantable, names: readonly TableName[]): void {
    for (const n of names) this[n].grantReadWriteData(grantee);
  }
}
