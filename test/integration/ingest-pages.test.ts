/**
 * Inventory pushed in pages, on DynamoDB Local: pages are staged (normalized and redacted) and nothing
 * reaches the inventory before the last page; the last page applies every type with the reported
 * coverage, completes the `inventory_sync` run and clears the stage; repeated pages are harmless.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import { DynamoGateway } from '../../shared/adapters/dynamodb/gateway.js';
import { DynamoIngestStageRepository } from '../../shared/adapters/dynamodb/ingest-stage-repository.js';
import { ingestInventoryPage, type IngestPagesDeps } from '../../shared/usecases/ingest-inventory-pages.js';
import { dynamoTestContext, testRepositories, uniqueId } from '../support/dynamodb.js';
import { FIXTURE_SECRETS, fixtureObject, TEST_SECRET_KEY } from '../fixtures/graph/fixtures.js';
import { InvalidInventoryPageError, InventoryPageConflictError, InventorySyncAlreadyCompletedError, InventorySyncNotFoundError, SyncAlreadyActiveError } from '../../shared/usecases/ports/errors.js';
import { filterNamesOf } from '../../shared/domain/assignments.js';
import { subjectsOf } from '../../shared/usecases/ingest-inventory.js';
import { settingsCatalogPolicy } from '../support/assignments.js';

let deps: IngestPagesDeps;
let stage: DynamoIngestStageRepository;

beforeAll(() => {
  const { db, tables } = dynamoTestContext();
  const repos = testRepositories();
  stage = new DynamoIngestStageRepository(new DynamoGateway(db, repos.meter), tables.operationRuns);
  deps = {
    runs: repos.runs,
    inventory: repos.inventory,
    stage,
    digesterFor: () => Promise.resolve(createSecretDigester(TEST_SECRET_KEY)),
    now: () => new Date(),
  };
});

function config(i: number, name = `Contoso - Device restrictions ${i}`): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.windows10GeneralConfiguration',
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    displayName: name,
    passwordMinimumLength: 8 + i,
  };
}

function tag(i: number): Record<string, unknown> {
  return { id: String(i), displayName: `Tag ${i}`, description: '' };
}

const base = (tenantId: string) => ({ tenantId, workspaceId: 'ws-pages', initiator: 'portal-user' });

async function stagedItemCount(runId: string): Promise<number> {
  const { db, tables } = dynamoTestContext();
  const out = await db.send(new ScanCommand({ TableName: tables.operationRuns, FilterExpression: 'begins_with(pk, :p)', ExpressionAttributeValues: { ':p': `ingest#${runId}` } }));
  return out.Items?.length ?? 0;
}

describe('ingestInventoryPage', () => {
  it('stages pages without touching the inventory, then applies every type at once on the last page', async () => {
    const tenantId = uniqueId('tenant');
    const first = await ingestInventoryPage(deps, { ...base(tenantId), pageNumber: 1, items: { deviceConfiguration: [config(1), config(2)] }, last: false });
    expect(first).toMatchObject({ status: 'receiving', pagesReceived: 1 });
    const runId = first.runId;
    const second = await ingestInventoryPage(deps, { ...base(tenantId), runId, pageNumber: 2, items: { deviceConfiguration: [config(3)], roleScopeTag: [tag(1)] }, last: false });
    expect(second).toMatchObject({ runId, status: 'receiving', pagesReceived: 2 });

    expect(await deps.inventory.listSummaries(tenantId, 'deviceConfiguration')).toEqual([]);
    const running = await deps.runs.get(runId);
    expect(running).toMatchObject({ type: 'inventory_sync', status: 'running', workspaceId: 'ws-pages' });
    expect(await stagedItemCount(runId)).toBeGreaterThan(0);

    const done = await ingestInventoryPage(deps, {
      ...base(tenantId),
      runId,
      pageNumber: 3,
      items: { roleScopeTag: [tag(2)] },
      coverage: { policy_types: { deviceConfiguration: { status: 'succeeded', item_count: 3 } }, foundation_types: { roleScopeTag: { status: 'succeeded' } } },
      last: true,
    });
    expect(done).toMatchObject({ runId, status: 'completed', pagesReceived: 3, outcome: 'succeeded' });
    const summaries = await deps.inventory.listSummaries(tenantId, 'deviceConfiguration');
    expect(summaries.map((s) => s.displayName).sort()).toEqual(['Contoso - Device restrictions 1', 'Contoso - Device restrictions 2', 'Contoso - Device restrictions 3']);
    expect(summaries.every((s) => s.inventorySyncRunId === runId)).toBe(true);
    expect(await deps.inventory.listSummaries(tenantId, 'roleScopeTag')).toHaveLength(2);

    const run = await deps.runs.get(runId);
    expect(run).toMatchObject({ status: 'completed', outcome: 'succeeded' });
    expect(run?.context.inventory).toEqual({
      coverage: {
        policy_types: { deviceConfiguration: { status: 'succeeded', item_count: 3, items_from_run: 3 } },
        foundation_types: { roleScopeTag: { status: 'succeeded', item_count: 2, items_from_run: 2 } },
      },
    });
    expect(await deps.runs.latestCompleted(tenantId, 'inventory_sync')).toMatchObject({ id: runId });
    expect(await stagedItemCount(runId)).toBe(0);
  });

  it('takes a repeated page once and refuses another page under a used number', async () => {
    const tenantId = uniqueId('tenant');
    const { runId } = await ingestInventoryPage(deps, { ...base(tenantId), pageNumber: 1, items: { deviceConfiguration: [config(1)] }, last: false });
    const page2 = { ...base(tenantId), runId, pageNumber: 2, items: { deviceConfiguration: [config(2)] }, last: false };
    expect((await ingestInventoryPage(deps, page2)).pagesReceived).toBe(2);
    expect((await ingestInventoryPage(deps, page2)).pagesReceived).toBe(2);
    await expect(ingestInventoryPage(deps, { ...page2, items: { deviceConfiguration: [config(9)] } })).rejects.toBeInstanceOf(InventoryPageConflictError);
    const done = await ingestInventoryPage(deps, { ...base(tenantId), runId, pageNumber: 3, items: {}, last: true });
    expect(done).toMatchObject({ status: 'completed', outcome: 'succeeded' });
    expect(await deps.inventory.listSummaries(tenantId, 'deviceConfiguration')).toHaveLength(2);
  });

  it('answers a second sync of the tenant with the active run, and a foreign run id as not found', async () => {
    const tenantId = uniqueId('tenant');
    const { runId } = await ingestInventoryPage(deps, { ...base(tenantId), pageNumber: 1, items: {}, last: false });
    const second = ingestInventoryPage(deps, { ...base(tenantId), pageNumber: 1, items: {}, last: false });
    await expect(second).rejects.toBeInstanceOf(SyncAlreadyActiveError);
    await expect(second).rejects.toMatchObject({ activeRunId: runId });
    await expect(ingestInventoryPage(deps, { ...base(uniqueId('other')), runId, pageNumber: 2, items: {}, last: false })).rejects.toBeInstanceOf(InventorySyncNotFoundError);
    await expect(ingestInventoryPage(deps, { ...base(tenantId), workspaceId: 'ws-foreign', runId, pageNumber: 2, items: {}, last: false })).rejects.toBeInstanceOf(InventorySyncNotFoundError);
    await expect(ingestInventoryPage(deps, { ...base(tenantId), runId: uniqueId('nope'), pageNumber: 2, items: {}, last: false })).rejects.toBeInstanceOf(InventorySyncNotFoundError);
    await expect(ingestInventoryPage(deps, { ...base(tenantId), runId: 'bad#id', pageNumber: 2, items: {}, last: false })).rejects.toBeInstanceOf(InventorySyncNotFoundError);
  });

  it('refuses a last page while earlier pages are missing, and applies once they arrived', async () => {
    const tenantId = uniqueId('tenant');
    const { runId } = await ingestInventoryPage(deps, { ...base(tenantId), pageNumber: 1, items: { deviceConfiguration: [config(1)] }, last: false });
    const last = { ...base(tenantId), runId, pageNumber: 3, items: { deviceConfiguration: [config(3)] }, last: true };
    await expect(ingestInventoryPage(deps, last)).rejects.toMatchObject({ name: 'InventoryPagesMissingError', missing: [2] });
    expect(await deps.inventory.listSummaries(tenantId, 'deviceConfiguration')).toEqual([]);
    await expect(ingestInventoryPage(deps, { ...base(tenantId), runId, pageNumber: 4, items: {}, last: false })).rejects.toBeInstanceOf(InvalidInventoryPageError);
    await ingestInventoryPage(deps, { ...base(tenantId), runId, pageNumber: 2, items: { deviceConfiguration: [config(2)] }, last: false });
    const done = await ingestInventoryPage(deps, last);
    expect(done).toMatchObject({ status: 'completed', pagesReceived: 3 });
    expect(await deps.inventory.listSummaries(tenantId, 'deviceConfiguration')).toHaveLength(3);
  });

  it('answers the same last page again with the same result, and refuses any other page after completion', async () => {
    const tenantId = uniqueId('tenant');
    const last = { ...base(tenantId), pageNumber: 1, items: { deviceConfiguration: [config(1)] }, last: true };
    const done = await ingestInventoryPage(deps, last);
    expect(done).toMatchObject({ status: 'completed', outcome: 'succeeded', pagesReceived: 1 });
    const again = await ingestInventoryPage(deps, { ...last, runId: done.runId });
    expect(again).toMatchObject({ runId: done.runId, status: 'completed', outcome: 'succeeded', coverage: done.coverage });
    await expect(ingestInventoryPage(deps, { ...last, runId: done.runId, items: { deviceConfiguration: [config(2)] } })).rejects.toBeInstanceOf(InventorySyncAlreadyCompletedError);
  });

  it('leaves a type reported failed untouched (no removal) while other types apply', async () => {
    const tenantId = uniqueId('tenant');
    await ingestInventoryPage(deps, { ...base(tenantId), pageNumber: 1, items: { deviceConfiguration: [config(1), config(2)], roleScopeTag: [tag(1)] }, last: true });
    const done = await ingestInventoryPage(deps, {
      ...base(tenantId),
      pageNumber: 1,
      items: { roleScopeTag: [tag(5)] },
      coverage: { policy_types: { deviceConfiguration: { status: 'failed', error: '403 Forbidden' } }, foundation_types: { roleScopeTag: { status: 'succeeded', item_count: 1 } } },
      last: true,
    });
    expect(done.outcome).toBe('partially_succeeded');
    expect(done.coverage).toEqual({
      policy_types: { deviceConfiguration: { status: 'failed', error: '403 Forbidden' } },
      foundation_types: { roleScopeTag: { status: 'succeeded', item_count: 1, items_from_run: 1 } },
    });
    expect(await deps.inventory.listSummaries(tenantId, 'deviceConfiguration')).toHaveLength(2);
    expect((await deps.inventory.listSummaries(tenantId, 'roleScopeTag')).map((s) => s.displayName)).toEqual(['Tag 5']);
  });

  it('records a type whose reported item_count does not match what arrived as failed, removing nothing', async () => {
    const tenantId = uniqueId('tenant');
    await ingestInventoryPage(deps, { ...base(tenantId), pageNumber: 1, items: { deviceConfiguration: [config(1), config(2)] }, last: true });
    const done = await ingestInventoryPage(deps, {
      ...base(tenantId),
      pageNumber: 1,
      items: { deviceConfiguration: [config(1)] },
      coverage: { policy_types: { deviceConfiguration: { status: 'succeeded', item_count: 2 } }, foundation_types: {} },
      last: true,
    });
    expect(done.outcome).toBe('failed');
    expect(done.coverage?.policy_types.deviceConfiguration).toEqual({ status: 'failed', error: 'item_count_mismatch: 2 reported, 1 received' });
    expect(await deps.inventory.listSummaries(tenantId, 'deviceConfiguration')).toHaveLength(2);
  });

  it('rejects unknown type keys, bad page numbers and a new sync that does not start at page 1', async () => {
    const tenantId = uniqueId('tenant');
    await expect(ingestInventoryPage(deps, { ...base(tenantId), pageNumber: 1, items: { nope: [] } as never, last: true })).rejects.toBeInstanceOf(InvalidInventoryPageError);
    await expect(ingestInventoryPage(deps, { ...base(tenantId), pageNumber: 0, items: {}, last: true })).rejects.toBeInstanceOf(InvalidInventoryPageError);
    await expect(ingestInventoryPage(deps, { ...base(tenantId), pageNumber: 2, items: {}, last: false })).rejects.toBeInstanceOf(InvalidInventoryPageError);
    expect(await deps.runs.latestCompleted(tenantId, 'inventory_sync')).toBeUndefined();
  });

  it('stages and stores no secret in clear', async () => {
    const tenantId = uniqueId('tenant');
    const wifi = fixtureObject('deviceConfigurations', 'wifi-psk.json');
    const { runId } = await ingestInventoryPage(deps, { ...base(tenantId), pageNumber: 1, items: { deviceConfiguration: [wifi] }, last: false });
    const staged = await stage.getPage(runId, 1);
    expect(staged).toBeDefined();
    const stagedText = JSON.stringify(staged);
    expect(stagedText).toContain('hmac-sha256:');
    for (const secret of FIXTURE_SECRETS) expect(stagedText).not.toContain(secret);
    await ingestInventoryPage(deps, { ...base(tenantId), runId, pageNumber: 2, items: {}, last: true });
    const [summary] = await deps.inventory.listSummaries(tenantId, 'deviceConfiguration');
    const contents = await deps.inventory.getContents(tenantId, 'deviceConfiguration', [summary!.externalId]);
    const storedText = JSON.stringify([...contents.values()]);
    expect(storedText).toContain('Contoso-Guest');
    for (const secret of FIXTURE_SECRETS) expect(storedText).not.toContain(secret);
  });

  it('fills filter names from the tenant\'s assignment filters of any page, giving the subjects the other inventory paths give', async () => {
    const tenantId = uniqueId('tenant');
    const policyId = '0b7e5a1c-3333-4a2b-8c3d-000000000003';
    const filterId = '9f8e7d6c-cccc-4a1b-8c2d-000000000003';
    const policy = settingsCatalogPolicy(policyId, 'Defender Archive Scanning', [{ target: 'allDevices', filterId, filterType: 'exclude' }]);
    const filter = {
      '@odata.type': '#microsoft.graph.deviceAndAppManagementAssignmentFilter',
      id: filterId,
      createdDateTime: '2026-01-05T10:00:00Z',
      lastModifiedDateTime: '2026-01-05T10:00:00Z',
      displayName: 'Kiosk hardware',
      description: '',
      platform: 'windows10AndLater',
      rule: '(device.model -eq "Kiosk")',
      roleScopeTags: ['0'],
      payloads: [],
      assignmentFilterManagementType: 'devices',
    };
    // The policy arrives before the page with the filters.
    const { runId } = await ingestInventoryPage(deps, { ...base(tenantId), pageNumber: 1, items: { settingsCatalogPolicy: [policy] }, last: false });
    await ingestInventoryPage(deps, { ...base(tenantId), runId, pageNumber: 2, items: { assignmentFilter: [filter] }, last: true });

    const digester = createSecretDigester(TEST_SECRET_KEY);
    const [expected] = subjectsOf('settingsCatalogPolicy', [policy], digester, { filters: filterNamesOf([filter]) });
    const [summary] = await deps.inventory.listSummaries(tenantId, 'settingsCatalogPolicy');
    expect(summary).toMatchObject({ assignmentsHash: expected!.assignmentsHash, assignmentsUnresolved: 0 });
    const contents = await deps.inventory.getContents(tenantId, 'settingsCatalogPolicy', [summary!.externalId]);
    expect(contents.get(summary!.externalId)?.assignments).toEqual([
      { kind: 'allDevices', source: 'direct', filterType: 'exclude', filter: { id: filterId, name: 'Kiosk hardware' } },
    ]);
  });
});
