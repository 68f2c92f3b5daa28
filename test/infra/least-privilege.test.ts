import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizeStacks, type CfnTemplate } from '../../infra/local/synth.js';
import { FUNCTION_IDS } from '../../infra/stacks/app-stack.js';
import { TABLE_NAMES, TABLE_SPECS, type TableName } from '../../shared/adapters/dynamodb/table-specs.js';
import { logicalIdOf, permissionLines, statementsOf, statementsOfRole } from './helpers.js';

/**
 * Least privilege, read from the synthesized IAM policies: for every function, the exact set of
 * (action, resource) pairs its role allows, tables and indexes included. Anything granted beyond this
 * list, or missing from it, fails the test.
 */

type FunctionId = (typeof FUNCTION_IDS)[keyof typeof FUNCTION_IDS];
type Access = 'read' | 'write' | 'readWrite';

const READ = ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'];
const WRITE = ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];

/** The tables each function may touch, and how. */
const TABLE_ACCESS: Record<FunctionId, Partial<Record<TableName, Access>>> = {
  CheckSyncCoverage: { operationRuns: 'readWrite', baselines: 'read' },
  LoadSnapshot: { operationRuns: 'readWrite', baselines: 'read' },
  ComparePolicyType: { snapshotItems: 'read', inventory: 'read', baselines: 'read', operationRuns: 'readWrite' },
  UpsertFindings: { findings: 'readWrite', operationRuns: 'readWrite', audit: 'write' },
  FinalizeRun: { findings: 'readWrite', operationRuns: 'readWrite', baselines: 'read' },
  FailRun: { operationRuns: 'readWrite' },
  CaptureSnapshot: { baselines: 'readWrite', snapshotItems: 'readWrite', inventory: 'read', operationRuns: 'readWrite', audit: 'write' },
  InventorySync: { inventory: 'readWrite', operationRuns: 'readWrite', baselines: 'read', audit: 'write' },
  Dispatcher: { baselines: 'read', operationRuns: 'readWrite', findings: 'readWrite', audit: 'write' },
  Api: {
    baselines: 'readWrite',
    snapshotItems: 'read',
    inventory: 'readWrite',
    operationRuns: 'readWrite',
    findings: 'readWrite',
    audit: 'readWrite',
  },
};

const PUT_EVENTS = 'events:PutEvents -> event-bus/default';
const READ_MASTER_KEY = 'secretsmanager:GetSecretValue -> secret:NormalizationKey';
const START_COMPARE = 'states:StartExecution -> WorkflowBaselineCompare';
const invoke = (fn: FunctionId) => [`lambda:InvokeFunction -> ${fn}`, `lambda:InvokeFunction -> ${fn}:*`];
/** What the failure destination of a function's asynchronous invokes needs (SqsDestination's grant). */
const sendAsyncFailures = (fn: FunctionId) =>
  ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'].map((action) => `${action} -> ${fn}AsyncFailures`);

/** Everything else each function may do (besides its own logs and X-Ray). */
const OTHER_PERMISSIONS: Record<FunctionId, string[]> = {
  CheckSyncCoverage: [],
  LoadSnapshot: [],
  ComparePolicyType: [],
  UpsertFindings: [PUT_EVENTS],
  FinalizeRun: [PUT_EVENTS],
  FailRun: [PUT_EVENTS],
  CaptureSnapshot: [READ_MASTER_KEY, ...sendAsyncFailures('CaptureSnapshot')],
  InventorySync: [
    READ_MASTER_KEY,
    ...sendAsyncFailures('InventorySync'),
    START_COMPARE,
    'sts:AssumeRole -> TenantSecretsTenantSecretsReader',
    'sts:TagSession -> TenantSecretsTenantSecretsReader',
  ],
  Dispatcher: [START_COMPARE, PUT_EVENTS],
  Api: [PUT_EVENTS, READ_MASTER_KEY, START_COMPARE, ...invoke('CaptureSnapshot')],
};

function expectedLines(id: FunctionId, extra: string[] = []): string[] {
  const lines = [
    `logs:CreateLogStream -> ${id}LogGroup`,
    `logs:PutLogEvents -> ${id}LogGroup`,
    'xray:PutTelemetryRecords -> *',
    'xray:PutTraceSegments -> *',
    ...OTHER_PERMISSIONS[id],
    ...extra,
  ];
  for (const [name, access] of Object.entries(TABLE_ACCESS[id]) as [TableName, Access][]) {
    const reads = access !== 'write';
    const actions = [...(reads ? READ : []), ...(access !== 'read' ? WRITE : [])];
    // Reads cover the table's own indexes, each by name; a write-only grant covers the table alone.
    const resources = [`table:${name}`, ...(reads ? TABLE_SPECS[name].indexes.map((i) => `table:${name}/index/${i.indexName}`) : [])];
    for (const action of actions) for (const resource of resources) lines.push(`${action} -> ${resource}`);
  }
  return [...new Set(lines)].sort();
}

describe('least privilege per function (dev stage: no sync before compare)', () => {
  let app: CfnTemplate;
  let data: CfnTemplate;

  beforeAll(() => {
    ({ app, data } = synthesizeStacks().templates);
  });

  it('covers every function of the stack', () => {
    expect(Object.keys(TABLE_ACCESS).sort()).toEqual(Object.values(FUNCTION_IDS).sort());
  });

  for (const id of Object.values(FUNCTION_IDS)) {
    it(`${id}: exactly its tables, actions and resources`, () => {
      expect(permissionLines(statementsOf(app, id), data)).toEqual(expectedLines(id));
    });
  }

  it('lets no function touch a table through a wildcard or another account\'s resource', () => {
    for (const id of Object.values(FUNCTION_IDS)) {
      const text = JSON.stringify(statementsOf(app, id));
      expect(text).not.toMatch(/dynamodb:\*|"\*:|table\/\*|\/index\/\*/);
      const wildcard = statementsOf(app, id).filter((s) => s.Resource.includes('*'));
      expect(wildcard.flatMap((s) => s.Action).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    }
  });

  it('gives every function with a table variable the table, and no table without one', () => {
    for (const id of Object.values(FUNCTION_IDS)) {
      const fn = app.Resources[logicalIdOf(app, id, 'AWS::Lambda::Function')]!;
      const vars = Object.keys((fn.Properties!.Environment as { Variables: Record<string, unknown> }).Variables);
      const named = TABLE_NAMES.filter((n) => vars.includes(TABLE_SPECS[n].envVar)).sort();
      expect({ id, tables: named }).toEqual({ id, tables: (Object.keys(TABLE_ACCESS[id]) as TableName[]).sort() });
    }
  });

  it('lets the scheduler\'s role invoke the dispatcher and dead-letter to its queue, nothing else', () => {
    const lines = permissionLines(statementsOfRole(app, logicalIdOf(app, 'CompareScheduleRole', 'AWS::IAM::Role')), data);
    expect(lines).toEqual([...invoke('Dispatcher'), 'sqs:SendMessage -> CompareScheduleDeadLetterQueue'].sort());
  });
});

describe('least privilege per function (sync before compare)', () => {
  let app: CfnTemplate;
  let data: CfnTemplate;

  beforeAll(() => {
    ({ app, data } = synthesizeStacks({ stage: { syncBeforeCompare: 'true' } }).templates);
  });

  it('lets the dispatcher also invoke InventorySync, and changes nothing else', () => {
    expect(permissionLines(statementsOf(app, 'Dispatcher'), data)).toEqual(expectedLines('Dispatcher', invoke('InventorySync')));
    for (const id of Object.values(FUNCTION_IDS).filter((f) => f !== 'Dispatcher')) {
      expect(permissionLines(statementsOf(app, id), data)).toEqual(expectedLines(id));
    }
  });
});
