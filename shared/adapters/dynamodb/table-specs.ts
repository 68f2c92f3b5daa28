/**
 * The tables of the product, as data. The CDK construct (`infra/constructs/tables.ts`), the local
 * table creation (`infra/local/dynamodb-local.ts`) and the repositories (through `keys.ts`) all read
 * these specs, so infrastructure and code cannot disagree on a key or index name.
 *
 * No physical table names: on AWS CloudFormation names the tables and the Lambda environment carries
 * them as `TABLE_<NAME>`; locally a prefix plus the spec name is used.
 */

export type KeyAttributeType = 'S' | 'N' | 'B';

export interface KeyAttributeSpec {
  name: string;
  type: KeyAttributeType;
}

export type ProjectionSpec = { type: 'ALL' } | { type: 'KEYS_ONLY' } | { type: 'INCLUDE'; attributes: string[] };

export interface IndexSpec {
  indexName: string;
  partitionKey: KeyAttributeSpec;
  sortKey?: KeyAttributeSpec;
  projection: ProjectionSpec;
}

export interface TableSpec {
  /** The table's name inside the product (also the local physical name, after a prefix). */
  name: TableName;
  /** The CDK construct id of the table: the synthesized logical id starts with it. */
  constructId: string;
  /** The Lambda environment variable holding the physical table name. */
  envVar: string;
  partitionKey: KeyAttributeSpec;
  sortKey?: KeyAttributeSpec;
  indexes: IndexSpec[];
  /** Epoch-seconds attribute DynamoDB TTL deletes by; only on disposable data. */
  timeToLiveAttribute?: string;
  description: string;
}

export const TABLE_NAMES = ['findings', 'snapshotItems', 'inventory', 'baselines', 'operationRuns', 'audit'] as const;
export type TableName = (typeof TABLE_NAMES)[number];

/** Physical table names by product name (what every repository is configured with). */
export type TableNames = Record<TableName, string>;

const S = (name: string): KeyAttributeSpec => ({ name, type: 'S' });

/** Index names, referenced by `keys.ts` next to the access patterns that use them. */
export const INDEX = {
  findings: {
    byTenantLastSeen: 'byTenantLastSeen',
    byTenantStatus: 'byTenantStatus',
    byTenantPolicyType: 'byTenantPolicyType',
    byTenantFingerprint: 'byTenantFingerprint',
  },
  baselines: {
    gsi1: 'gsi1',
    gsi2: 'gsi2',
  },
  operationRuns: {
    byTenant: 'byTenant',
    byTenantType: 'byTenantType',
    byTenantTypeCompleted: 'byTenantTypeCompleted',
    activeLocks: 'activeLocks',
  },
  audit: {
    byTenant: 'byTenant',
    byWorkspace: 'byWorkspace',
  },
} as const;

/** TTL attribute (epoch seconds) of the disposable items: run records and active-run locks. */
export const TTL_ATTRIBUTE = 'expiresAt';

export const TABLE_SPECS: Record<TableName, TableSpec> = {
  findings: {
    name: 'findings',
    constructId: 'Findings',
    envVar: 'TABLE_FINDINGS',
    description: 'Drift findings: pk tenantId#scopeKey, sk fingerprint',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    indexes: [
      { indexName: INDEX.findings.byTenantLastSeen, partitionKey: S('tenantId'), sortKey: S('lastSeenAt'), projection: { type: 'ALL' } },
      { indexName: INDEX.findings.byTenantStatus, partitionKey: S('tenantStatus'), sortKey: S('lastSeenAt'), projection: { type: 'ALL' } },
      { indexName: INDEX.findings.byTenantPolicyType, partitionKey: S('tenantPolicyType'), sortKey: S('lastSeenAt'), projection: { type: 'ALL' } },
      { indexName: INDEX.findings.byTenantFingerprint, partitionKey: S('tenantId'), sortKey: S('fingerprint'), projection: { type: 'KEYS_ONLY' } },
    ],
  },
  snapshotItems: {
    name: 'snapshotItems',
    constructId: 'SnapshotItems',
    envVar: 'TABLE_SNAPSHOT_ITEMS',
    description: 'Snapshot item summaries (pk snapshotId#policyType, sk subjectKey) and their content in partitions of their own',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    indexes: [],
  },
  inventory: {
    name: 'inventory',
    constructId: 'Inventory',
    envVar: 'TABLE_INVENTORY',
    description: 'Inventory summaries (pk tenantId#policyType, sk externalId) and their content in partitions of their own',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    indexes: [],
  },
  baselines: {
    name: 'baselines',
    constructId: 'Baselines',
    envVar: 'TABLE_BASELINES',
    description: 'Baseline profiles, snapshot headers and tenant assignments',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    indexes: [
      { indexName: INDEX.baselines.gsi1, partitionKey: S('gsi1pk'), sortKey: S('gsi1sk'), projection: { type: 'ALL' } },
      { indexName: INDEX.baselines.gsi2, partitionKey: S('gsi2pk'), sortKey: S('gsi2sk'), projection: { type: 'ALL' } },
    ],
  },
  operationRuns: {
    name: 'operationRuns',
    constructId: 'OperationRuns',
    envVar: 'TABLE_OPERATION_RUNS',
    description: 'Operation runs and the active-run lock per (tenant, identityHash)',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    indexes: [
      { indexName: INDEX.operationRuns.byTenant, partitionKey: S('tenantId'), sortKey: S('createdKey'), projection: { type: 'ALL' } },
      { indexName: INDEX.operationRuns.byTenantType, partitionKey: S('tenantType'), sortKey: S('createdKey'), projection: { type: 'ALL' } },
      { indexName: INDEX.operationRuns.byTenantTypeCompleted, partitionKey: S('completedTenantType'), sortKey: S('completedKey'), projection: { type: 'ALL' } },
      { indexName: INDEX.operationRuns.activeLocks, partitionKey: S('lockShard'), sortKey: S('lockCreatedKey'), projection: { type: 'ALL' } },
    ],
    timeToLiveAttribute: TTL_ATTRIBUTE,
  },
  audit: {
    name: 'audit',
    constructId: 'Audit',
    envVar: 'TABLE_AUDIT',
    description: 'Append-only audit entries, listed by tenant and by workspace newest first',
    partitionKey: S('pk'),
    indexes: [
      { indexName: INDEX.audit.byTenant, partitionKey: S('tenantId'), sortKey: S('atKey'), projection: { type: 'ALL' } },
      { indexName: INDEX.audit.byWorkspace, partitionKey: S('workspaceId'), sortKey: S('atKey'), projection: { type: 'ALL' } },
    ],
  },
};

/** The physical name of every table when they are named by prefix (DynamoDB Local, tests). */
export function prefixedTableNames(prefix = ''): TableNames {
  return Object.fromEntries(TABLE_NAMES.map((n) => [n, `${prefix}${n}`])) as TableNames;
}

/** Reads `TABLE_<NAME>` for every table; throws naming every variable that is missing. */
export function tableNamesFromEnv(env: NodeJS.ProcessEnv = process.env): TableNames {
  const missing: string[] = [];
  const names = {} as TableNames;
  for (const n of TABLE_NAMES) {
    const v = env[TABLE_SPECS[n].envVar];
    if (v === undefined || v === '') missing.push(TABLE_SPECS[n].envVar);
    else names[n] = v;
  }
  if (missing.length > 0) throw new Error(`missing table configuration: ${missing.join(', ')}`);
  return names;
}

/** The `TABLE_<NAME>` environment for the given physical names. */
export function tableEnvironment(names: TableNames): Record<string, string> {
  return Object.fromEntries(TABLE_NAMES.map((n) => [TABLE_SPECS[n].envVar, names[n]]));
}
