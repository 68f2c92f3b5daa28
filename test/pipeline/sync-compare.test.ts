/**
 * A sync from Graph followed by a compare through the workflow: the InventorySync function's work
 * (`runInventorySync`, credentials from a local credentials file, Graph served by the fake server on
 * loopback) records coverage, and its `thenCompare` starts BaselineCompare on the local stack (the
 * synthesized ASL in-process on DynamoDB Local). The coverage gate then decides, on data that came
 * through Graph: a type Graph refused yields no findings even though the tenant lacks its policies;
 * once it is read, the same absence is reported.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../infra/local/stack.js';
import { createDynamoRepositories, type Repositories } from '../../shared/adapters/dynamodb/index.js';
import type { BaselineProfile } from '../../shared/domain/model.js';
import { DEFAULT_SEVERITY_MAPPING } from '../../shared/domain/severity.js';
import { captureSnapshot } from '../../shared/usecases/capture-snapshot.js';
import { runInventorySync } from '../../functions/inventory-sync/handler.js';
import { fakeGraphPool } from '../support/fake-graph/harness.js';
import type { FakeGraph, ScriptedBehaviour } from '../support/fake-graph/server.js';
import { loadGraphTenant, mergeFixtures } from '../support/fake-graph/tenant.js';
import { profileRecord } from '../support/records.js';

const pool = fakeGraphPool();
const dir = mkdtempSync(join(tmpdir(), 'drift-sync-compare-'));
const credentialsFile = join(dir, 'tenants.json');
const ENV_KEYS = ['DRIFT_SECRET_KEY', 'DRIFT_TENANT_CREDENTIALS_FILE', 'TENANT_SECRETS_ROLE_ARN', 'DRIFT_GRAPH_CLIENT_ID', 'DRIFT_GRAPH_CLIENT_SECRET'];
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

let stack: LocalStack;
let repos: Repositories;

beforeAll(async () => {
  stack = await startLocalStack({ endpoint: inject('dynamoEndpoint'), prefix: `s${randomUUID().slice(0, 8)}-`, retryIntervalOverrides: 0 });
  repos = createDynamoRepositories();
  delete process.env.TENANT_SECRETS_ROLE_ARN;
  delete process.env.DRIFT_GRAPH_CLIENT_ID;
  delete process.env.DRIFT_GRAPH_CLIENT_SECRET;
  process.env.DRIFT_SECRET_KEY = 'sync-compare-master-key-0123456789';
  process.env.DRIFT_TENANT_CREDENTIALS_FILE = credentialsFile;
});

afterAll(async () => {
  await stack?.stop();
  await pool.closeAll();
  rmSync(dir, { recursive: true, force: true });
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

/** Points the credentials file at these fake servers (one per tenant). */
function credentialsFor(...fakes: FakeGraph[]): void {
  const entries = Object.fromEntries(
    fakes.map((f) => [f.tenantId, { clientId: f.clientId, clientSecret: f.clientSecret, tokenUrl: f.tokenUrl, graphUrl: f.baseUrl }]),
  );
  writeFileSync(credentialsFile, JSON.stringify(entries));
}

/** An active profile of `workspaceId` over `policyTypes`, stored, and a snapshot of the golden tenant captured for it. */
async function goldenBaseline(workspaceId: string, name: string, policyTypes: BaselineProfile['scope']['policy_types'], goldenTenantId: string): Promise<{ profile: BaselineProfile; now: string }> {
  const now = new Date().toISOString();
  const profile: BaselineProfile = profileRecord(workspaceId, { id: `profile-${randomUUID()}`, name: name, status: 'active', scope: { policy_types: policyTypes, foundation_types: [] }, severityMapping: { ...DEFAULT_SEVERITY_MAPPING }, createdBy: 'admin', createdAt: now, updatedAt: now });
  await repos.profiles.create(profile);
  const capture = await captureSnapshot(
    { runs: repos.runs, profiles: repos.profiles, snapshots: repos.snapshots, inventory: repos.inventory, now: () => new Date() },
    { profileId: profile.id, sourceTenantId: goldenTenantId, initiator: 'admin' },
  );
  expect(capture.status).not.toBe('already_running');
  return { profile, now };
}

describe('sync from Graph, then compare through the workflow', () => {
  it('the coverage gate holds back what Graph refused, and reports it once it is read', async () => {
    const golden = await pool.start({ fixtures: loadGraphTenant(), tenantId: `golden-${randomUUID()}` });
    credentialsFor(golden);
    const workspaceId = 'ws-sync-compare';
    const goldenSync = await runInventorySync({ tenantId: golden.tenantId, workspaceId, initiator: 'admin' });
    expect(goldenSync.sync).toMatchObject({ status: 'completed', outcome: 'succeeded' });

    const { profile, now } = await goldenBaseline(workspaceId, 'Contoso golden', ['conditionalAccessPolicy', 'securityBaselineIntent', 'deviceConfiguration'], golden.tenantId);

    // The tenant lacks one conditional access policy and every intent.
    const base = loadGraphTenant();
    const caPolicies = base.resources['/identity/conditionalAccess/policies'] as unknown[];
    const tenantFixtures = mergeFixtures(base, { resources: { '/identity/conditionalAccess/policies': caPolicies.slice(0, 1), '/deviceManagement/intents': [] } });
    const tenantId = `tenant-${randomUUID()}`;
    await repos.profiles.assign({ profileId: profile.id, tenantId, workspaceId, assignedAt: now, assignedBy: 'admin' });

    const round = async (behaviours: ScriptedBehaviour[], n: number) => {
      const fake = await pool.start({ fixtures: tenantFixtures, tenantId, behaviours });
      credentialsFor(golden, fake);
      const out = await runInventorySync(
        { tenantId, workspaceId, initiator: 'system', thenCompare: { profileId: profile.id, executionName: `sync-compare-${n}-${randomUUID()}` } },
        { starter: stack.starter },
      );
      expect(out.compare?.status).toBe('started');
      const execution = await stack.starter.wait(out.compare!.runId!);
      expect(execution.status).toBe('SUCCEEDED');
      const run = (await repos.runs.get(out.compare!.runId!))!;
      const findings = (await repos.findings.list(tenantId, { limit: 100 })).items;
      return { out, run, findings };
    };

    // Round 1: Graph refuses the intents. They are uncovered: no finding, although the tenant has none.
    const first = await round([{ match: '/deviceManagement/intents', status: 403, code: 'Authorization_RequestDenied' }], 1);
    expect(first.out.sync).toMatchObject({ status: 'completed', outcome: 'partially_succeeded' });
    const syncRunId = (first.out.sync as { runId: string }).runId;
    expect((first.out.sync as { coverage: { policy_types: Record<string, unknown> } }).coverage.policy_types.securityBaselineIntent).toEqual({
      status: 'failed',
      error: '403 Authorization_RequestDenied',
    });
    expect(first.run).toMatchObject({ status: 'completed', outcome: 'partially_succeeded' });
    expect(first.run.summaryCounts).toMatchObject({ total: 3, errors_recorded: 1, missing_policy: 1 });
    expect(first.findings.map((f) => [f.policyType, f.changeType])).toEqual([['conditionalAccessPolicy', 'missing_policy']]);
    expect(first.findings[0]!.evidence.provenance.inventory_sync_run_id).toBe(syncRunId);

    // Round 2: the intents are read (there are none): now their absence is drift.
    const second = await round([], 2);
    expect(second.out.sync).toMatchObject({ status: 'completed', outcome: 'succeeded' });
    expect(second.run).toMatchObject({ status: 'completed', outcome: 'succeeded' });
    expect(second.run.summaryCounts).toMatchObject({ total: 3, errors_recorded: 0, missing_policy: 3 });
    const byType = second.findings.map((f) => `${f.policyType}:${f.changeType}`).sort();
    expect(byType).toEqual(['conditionalAccessPolicy:missing_policy', 'securityBaselineIntent:missing_policy', 'securityBaselineIntent:missing_policy']);
  });

  it('a group a conditional access policy excludes is compared by name across tenants: captured with the baseline, read by the sync', async () => {
    const golden = await pool.start({ fixtures: loadGraphTenant(), tenantId: `golden-${randomUUID()}` });
    credentialsFor(golden);
    const workspaceId = 'ws-sync-compare-groups';
    expect((await runInventorySync({ tenantId: golden.tenantId, workspaceId, initiator: 'admin' })).sync).toMatchObject({ status: 'completed' });
    const { profile, now } = await goldenBaseline(workspaceId, 'Contoso golden (conditional access)', ['conditionalAccessPolicy'], golden.tenantId);

    /** The tenant: CA001 excludes its own group (another id) named `name`. */
    const tenantWith = (groupId: string, name: string | undefined) => {
      const base = loadGraphTenant();
      const policies = structuredClone(base.resources['/identity/conditionalAccess/policies']) as { conditions: { users: { excludeGroups: string[] } } }[];
      policies[0]!.conditions.users.excludeGroups = [groupId];
      const group = {
        id: groupId,
        deletedDateTime: null,
        classification: null,
        createdDateTime: '2025-01-10T09:00:00Z',
        description: null,
        displayName: name ?? '',
        groupTypes: [],
        mailEnabled: false,
        mailNickname: (name ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-'),
        securityEnabled: true,
        visibility: null,
      };
      // A group Graph does not return (deleted, or no permission) stays unnamed.
      const groups = name === undefined ? {} : { [`/groups/${groupId}`]: group };
      return mergeFixtures(base, { resources: { '/identity/conditionalAccess/policies': policies, ...groups } });
    };
    const compareTenant = async (fixtures: ReturnType<typeof tenantWith>) => {
      const tenantId = `tenant-${randomUUID()}`;
      await repos.profiles.assign({ profileId: profile.id, tenantId, workspaceId, assignedAt: now, assignedBy: 'admin' });
      const fake = await pool.start({ fixtures, tenantId });
      credentialsFor(golden, fake);
      const out = await runInventorySync(
        { tenantId, workspaceId, initiator: 'system', thenCompare: { profileId: profile.id, executionName: `sync-compare-groups-${randomUUID()}` } },
        { starter: stack.starter },
      );
      expect((await stack.starter.wait(out.compare!.runId!)).status).toBe('SUCCEEDED');
      const run = (await repos.runs.get(out.compare!.runId!))!;
      const findings = (await repos.findings.list(tenantId, { limit: 100 })).items;
      return { run, findings };
    };

    // Its own break-glass group: the same group by name, although every id differs.
    const same = await compareTenant(tenantWith('00000160-5a5a-4b4b-8c8c-1234567890ab', 'Break Glass Accounts'));
    expect(same.findings).toEqual([]);
    expect(same.run.summaryCounts).toMatchObject({ different_version: 0, gaps: 0 });

    // Some other group excluded instead: a finding on settings, the list's path, the groups by name.
    const other = await compareTenant(tenantWith('00000161-5a5a-4b4b-8c8c-1234567890ab', 'Contractors'));
    expect(other.findings.map((f) => [f.displayName, f.changeType])).toEqual([['CA001 - Require MFA for admins', 'different_version']]);
    expect(other.findings[0]!.evidence.dimensions).toEqual(['settings']);
    expect(other.findings[0]!.evidence.drifted_properties).toEqual([
      { path: '/conditions/users/excludeGroups', kind: 'changed', baseline: ['Break Glass Accounts'], current: ['Contractors'] },
    ]);

    // A group the tenant's Graph does not name: the baseline's group (captured by id and name) may be
    // it, so a gap, neither a finding nor aligned.
    const unnamed = await compareTenant(tenantWith('00000162-5a5a-4b4b-8c8c-1234567890ab', undefined));
    expect(unnamed.findings).toEqual([]);
    expect(unnamed.run.summaryCounts).toMatchObject({ different_version: 0, gaps: 1 });
    const gaps = (unnamed.run.context['baseline_compare'] as { gaps: { reason: string; unresolved?: string[] }[] }).gaps;
    expect(gaps).toEqual([
      expect.objectContaining({
        reason: 'assignment_target_unresolved',
        // The baseline's group is named (captured with it); the tenant's is not.
        unresolved: ['current /conditions/users/excludeGroups group 00000162-5a5a-4b4b-8c8c-1234567890ab'],
      }),
    ]);
  });
});
