/**
 * Seeds the demo workspace on an empty database through the product's own use cases, as a portal
 * would: the golden tenant's inventory sync, an active profile with a complete snapshot captured from
 * it, two assigned tenants and their inventory syncs (one with a failed policy type).
 */
import type { ProfileRepository, Repositories } from '../../../shared/adapters/dynamodb/index.js';
import type { BaselineProfile, RegistryTypeKey } from '../../../shared/domain/model.js';
import type { SecretDigester } from '../../../shared/domain/secrets.js';
import { DEFAULT_SEVERITY_MAPPING } from '../../../shared/domain/severity.js';
import { captureSnapshot } from '../../../shared/usecases/capture-snapshot.js';
import { ingestInventory, type CollectedType } from '../../../shared/usecases/ingest-inventory.js';
import {
  DEMO_GOLDEN_TENANT,
  DEMO_PROFILE_ID,
  DEMO_SCOPE,
  DEMO_WORKSPACE_ID,
  demoTenants,
  goldenExport,
  type DemoExport,
  type DemoTenant,
} from './data.js';

export interface SeedDeps {
  /** `tenants` names the demo tenants (the seed needs it; an inventory sync alone does not). */
  repos: Pick<Repositories, 'profiles' | 'runs' | 'inventory' | 'snapshots'> & Partial<Pick<Repositories, 'tenants'>>;
  /** The digester of a workspace's secrets (the same key the API's ingest uses). */
  digesterFor: (workspaceId: string) => Promise<SecretDigester>;
  now: () => Date;
  /** Who the seed acts as (run initiator, profile creator). */
  actor?: string;
}

export interface DemoSeed {
  workspaceId: string;
  profileId: string;
  profileName: string;
  snapshotId: string;
  snapshotItems: number;
  golden: { tenantId: string; name: string; syncRunId: string };
  tenants: { tenantId: string; name: string; story: string; syncRunId: string; syncOutcome: string; failedTypes: string[] }[];
}

export class DemoSeedError extends Error {
  override readonly name = 'DemoSeedError';
}

/** Whether the database has no demo profile yet (DynamoDB Local runs in memory: every start is empty). */
export async function needsSeed(profiles: Pick<ProfileRepository, 'get'>): Promise<boolean> {
  return (await profiles.get(DEMO_PROFILE_ID)) === undefined;
}

/** An inventory sync of every type in scope: collected objects, or failed with the given reason. */
function collected(exp: DemoExport, failed: Partial<Record<RegistryTypeKey, string>>): Partial<Record<RegistryTypeKey, CollectedType>> {
  const out: Partial<Record<RegistryTypeKey, CollectedType>> = {};
  for (const type of [...DEMO_SCOPE.policy_types, ...DEMO_SCOPE.foundation_types] as RegistryTypeKey[]) {
    const reason = failed[type];
    out[type] = reason !== undefined ? { status: 'failed', error: reason } : { status: 'succeeded', objects: exp[type] ?? [] };
  }
  return out;
}

export async function syncDemoInventory(deps: SeedDeps, tenantId: string, exp: DemoExport, failed: Partial<Record<RegistryTypeKey, string>>) {
  const digester = await deps.digesterFor(DEMO_WORKSPACE_ID);
  const result = await ingestInventory(
    { runs: deps.repos.runs, inventory: deps.repos.inventory, digester, now: deps.now },
    { tenantId, workspaceId: DEMO_WORKSPACE_ID, initiator: deps.actor ?? 'demo-seed', types: collected(exp, failed) },
  );
  if (result.status !== 'completed') throw new DemoSeedError(`an inventory sync of tenant ${tenantId} is already running (run ${result.activeRunId})`);
  return result;
}

/** Seeds the demo workspace (see the module comment). Call on an empty database. */
export async function seedDemo(deps: SeedDeps, tenants: DemoTenant[] = demoTenants()): Promise<DemoSeed> {
  const actor = deps.actor ?? 'demo-seed';
  const at = deps.now().toISOString();
  const profile: BaselineProfile = {
    id: DEMO_PROFILE_ID,
    workspaceId: DEMO_WORKSPACE_ID,
    name: 'Windows and iOS baseline',
    description: 'The approved configuration of managed Windows and iOS devices, from the golden tenant',
    versionLabel: '2026.11',
    status: 'draft',
    scope: { policy_types: [...DEMO_SCOPE.policy_types], foundation_types: [...DEMO_SCOPE.foundation_types] },
    severityMapping: { ...DEFAULT_SEVERITY_MAPPING },
    alertMinSeverity: 'high',
    autoResolve: true,
    createdBy: actor,
    createdAt: at,
    updatedAt: at,
  };
  await deps.repos.profiles.create(profile);
  // The names people recognise (GET /tenants); a tenant without one would show its id.
  for (const t of [DEMO_GOLDEN_TENANT, ...tenants]) {
    if (deps.repos.tenants === undefined) throw new DemoSeedError('the demo seed needs the tenant directory to name its tenants');
    await deps.repos.tenants.putName(DEMO_WORKSPACE_ID, { tenantId: t.tenantId, displayName: t.name, updatedAt: at, updatedBy: actor });
  }

  const golden = await syncDemoInventory(deps, DEMO_GOLDEN_TENANT.tenantId, goldenExport(), {});
  const capture = await captureSnapshot(
    { runs: deps.repos.runs, profiles: deps.repos.profiles, snapshots: deps.repos.snapshots, inventory: deps.repos.inventory, now: deps.now },
    { profileId: profile.id, sourceTenantId: DEMO_GOLDEN_TENANT.tenantId, initiator: actor, activate: true },
  );
  if (capture.status === 'already_running') throw new DemoSeedError(`a capture of profile ${profile.id} is already running (run ${capture.activeRunId})`);
  await deps.repos.profiles.update(profile.id, { status: 'active', updatedAt: deps.now().toISOString() });

  const seeded: DemoSeed['tenants'] = [];
  for (const tenant of tenants) {
    await deps.repos.profiles.assign({ profileId: profile.id, tenantId: tenant.tenantId, workspaceId: DEMO_WORKSPACE_ID, assignedAt: deps.now().toISOString(), assignedBy: actor });
    const result = await syncDemoInventory(deps, tenant.tenantId, tenant.inventory, tenant.failedTypes);
    seeded.push({
      tenantId: tenant.tenantId,
      name: tenant.name,
      story: tenant.story,
      syncRunId: result.runId,
      syncOutcome: result.outcome,
      failedTypes: Object.keys(tenant.failedTypes),
    });
  }
  return {
    workspaceId: DEMO_WORKSPACE_ID,
    profileId: profile.id,
    profileName: profile.name,
    snapshotId: capture.snapshot.id,
    snapshotItems: capture.snapshot.itemCount,
    golden: { tenantId: DEMO_GOLDEN_TENANT.tenantId, name: DEMO_GOLDEN_TENANT.name, syncRunId: golden.runId },
    tenants: seeded,
  };
}
