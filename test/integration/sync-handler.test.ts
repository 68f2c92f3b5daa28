/**
 * The InventorySync function: its input schema, its configuration from the environment (credentials,
 * Graph and token URLs, the workspace key), and `thenCompare` whatever the sync's fate.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localContext } from '../../infra/local/stack.js';
import type { BaselineProfile } from '../../shared/domain/model.js';
import { DEFAULT_SEVERITY_MAPPING } from '../../shared/domain/severity.js';
import type { Repositories } from '../../shared/adapters/dynamodb/index.js';
import { syncIdentityHash } from '../../shared/usecases/ingest-inventory.js';
import { handler, runInventorySync } from '../../functions/inventory-sync/handler.js';
import { fakeGraphPool } from '../support/fake-graph/harness.js';
import type { FakeGraph } from '../support/fake-graph/server.js';
import { loadGraphTenant } from '../support/fake-graph/tenant.js';
import { dynamoTestContext, testRepositories } from '../support/dynamodb.js';
import type { WorkflowStarter } from '../../shared/usecases/ports/workflow.js';
import { profileRecord } from '../support/records.js';

const pool = fakeGraphPool();
let repos: Repositories;
let fake: FakeGraph;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dynamoTestContext();
  repos = testRepositories();
  fake = await pool.start({ fixtures: loadGraphTenant(), tenantId: `tenant-${randomUUID()}` });
  env = {
    ...process.env,
    DRIFT_SECRET_KEY: 'handler-test-master-key-0123456789',
    DRIFT_GRAPH_CLIENT_ID: fake.clientId,
    DRIFT_GRAPH_CLIENT_SECRET: fake.clientSecret,
    GRAPH_BASE_URL: fake.baseUrl,
    GRAPH_TOKEN_URL_TEMPLATE: `${fake.baseUrl}/{tenantId}/oauth2/v2.0/token`,
  };
});
afterAll(() => pool.closeAll());

async function activeProfile(tenantId: string): Promise<BaselineProfile> {
  const now = new Date().toISOString();
  const profile: BaselineProfile = profileRecord('ws-handler', { id: `profile-${randomUUID()}`, name: 'Handler profile', status: 'active', scope: { policy_types: ['roleScopeTag'], foundation_types: [] }, severityMapping: { ...DEFAULT_SEVERITY_MAPPING }, createdBy: 'test', createdAt: now, updatedAt: now });
  await repos.profiles.create(profile);
  await repos.profiles.assign({ profileId: profile.id, tenantId, workspaceId: profile.workspaceId, assignedAt: now, assignedBy: 'test' });
  return profile;
}

function recordingStarter(fail?: Error): WorkflowStarter & { started: { runId: string; name: string }[] } {
  const started: { runId: string; name: string }[] = [];
  return {
    started,
    start(input, name) {
      if (fail) return Promise.reject(fail);
      started.push({ runId: input.runId, name });
      return Promise.resolve();
    },
  };
}

describe('InventorySync handler', () => {
  it('refuses an input without a tenant id as a named, permanent error', async () => {
    await expect(handler({ workspaceId: 'ws' } as never, localContext('InventorySync'))).rejects.toMatchObject({ name: 'InvalidTaskInputError' });
    await expect(handler({ tenantId: 'a#b', workspaceId: 'ws' }, localContext('InventorySync'))).rejects.toMatchObject({ name: 'InvalidTaskInputError' });
  });

  it('syncs a tenant with credentials, Graph and token URLs from the environment', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const out = await handler({ tenantId: fake.tenantId, workspaceId: 'ws-handler' }, localContext('InventorySync'));
      expect(out.sync).toMatchObject({ status: 'completed', outcome: 'succeeded' });
      expect(out.compare).toBeUndefined();
      const run = await repos.runs.latestCompleted(fake.tenantId, 'inventory_sync');
      expect(run).toMatchObject({ id: (out.sync as { runId: string }).runId, initiator: 'system' });
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });

  it('starts the compare after the sync, and says when it was already active or already started', async () => {
    const profile = await activeProfile(fake.tenantId);
    const starter = recordingStarter();
    const name = `window-${randomUUID()}`;
    const first = await runInventorySync({ tenantId: fake.tenantId, workspaceId: profile.workspaceId, thenCompare: { profileId: profile.id, executionName: name } }, { starter }, env);
    expect(first.sync.status).toBe('completed');
    expect(first.compare).toEqual({ status: 'started', runId: starter.started[0]!.runId });
    expect(starter.started[0]!.name).toBe(name);

    const second = await runInventorySync({ tenantId: fake.tenantId, workspaceId: profile.workspaceId, thenCompare: { profileId: profile.id, executionName: name } }, { starter }, env);
    expect(second.compare).toEqual({ status: 'already_active', runId: first.compare!.runId });

    await repos.runs.complete(first.compare!.runId!, { outcome: 'succeeded', summaryCounts: {}, failureSummary: [], context: {}, completedAt: new Date().toISOString() });
    const duplicate = Object.assign(new Error(`Execution already exists: ${name}`), { name: 'ExecutionAlreadyExists' });
    const third = await runInventorySync(
      { tenantId: fake.tenantId, workspaceId: profile.workspaceId, thenCompare: { profileId: profile.id, executionName: name } },
      { starter: recordingStarter(duplicate) },
      env,
    );
    expect(third.compare).toEqual({ status: 'already_started' });
  });

  it('still starts the compare when another sync of the tenant is active', async () => {
    const tenantId = `tenant-${randomUUID()}`;
    const profile = await activeProfile(tenantId);
    const busy = await repos.runs.createQueued({ id: randomUUID(), tenantId, type: 'inventory_sync', identityHash: syncIdentityHash(tenantId), initiator: 'other', createdAt: new Date().toISOString() });
    expect(busy.created).toBe(true);
    const starter = recordingStarter();
    const out = await runInventorySync({ tenantId, workspaceId: profile.workspaceId, thenCompare: { profileId: profile.id, executionName: `w-${randomUUID()}` } }, { starter }, env);
    expect(out.sync).toEqual({ status: 'already_active', activeRunId: busy.created ? busy.run.id : '' });
    expect(out.compare?.status).toBe('started');
  });

  it('reports a compare that cannot start without failing the invocation', async () => {
    const out = await runInventorySync(
      { tenantId: fake.tenantId, workspaceId: 'ws-handler', thenCompare: { profileId: `missing-${randomUUID()}`, executionName: 'n' } },
      { starter: recordingStarter() },
      env,
    );
    expect(out.sync.status).toBe('completed');
    expect(out.compare).toMatchObject({ status: 'failed', error: expect.stringMatching(/^ProfileNotFoundError/) as unknown });
  });
});
