/**
 * Small seeded worlds for the chaos scenarios: a baseline tenant and a drifting tenant over a few
 * policy types with a few subjects each, in realistic Graph shapes written for the project. Every
 * drift the compare knows shows up across seeds: aligned subjects, changed settings, missing and
 * unexpected policies, renames by case only (no drift), and duplicate names (ambiguous gaps); later
 * rounds fix, re-break and remove policies so that findings are seen again, resolved and reopened.
 */
import { createDynamoRepositories, type Repositories } from '../../../shared/adapters/dynamodb/index.js';
import type { BaselineProfile, PolicyTypeKey, RegistryTypeKey } from '../../../shared/domain/model.js';
import { createSecretDigester, type SecretDigester } from '../../../shared/domain/secrets.js';
import { DEFAULT_SEVERITY_MAPPING } from '../../../shared/domain/severity.js';
import { captureSnapshot } from '../../../shared/usecases/capture-snapshot.js';
import { ingestInventory, type CollectedType } from '../../../shared/usecases/ingest-inventory.js';
import type { Random } from '../../support/faults/random.js';
import { profileRecord } from '../../support/records.js';

export type GraphObject = Record<string, unknown>;
export type Inventory = Partial<Record<RegistryTypeKey, GraphObject[]>>;

export const WORLD_TYPES: readonly PolicyTypeKey[] = ['deviceCompliancePolicy', 'conditionalAccessPolicy', 'deviceConfiguration'];

const LABELS: Record<string, string> = {
  deviceCompliancePolicy: 'Compliance',
  conditionalAccessPolicy: 'CA',
  deviceConfiguration: 'Device restrictions',
};

function guid(random: Random): string {
  const hex = () => random.int(0, 0xffff).toString(16).padStart(4, '0');
  return `${hex()}${hex()}-${hex()}-4${hex().slice(1)}-8${hex().slice(1)}-${hex()}${hex()}${hex()}`;
}

/** One policy of a type, in the Graph shape of its collection; `variant` 0 is the baseline setting. */
export function policyObject(type: PolicyTypeKey, id: string, displayName: string, variant: number): GraphObject {
  switch (type) {
    case 'deviceCompliancePolicy':
      return {
        '@odata.type': '#microsoft.graph.windows10CompliancePolicy',
        id,
        displayName,
        version: variant + 1,
        lastModifiedDateTime: '2026-01-01T00:00:00Z',
        passwordRequired: true,
        passwordMinimumLength: 12 + variant,
        bitLockerEnabled: variant % 2 === 0,
        osMinimumVersion: '10.0.19045',
      };
    case 'conditionalAccessPolicy':
      return {
        id,
        displayName,
        createdDateTime: '2025-05-24T09:27:59Z',
        state: variant === 0 ? 'enabled' : variant % 2 === 1 ? 'enabledForReportingButNotEnforced' : 'disabled',
        conditions: {
          clientAppTypes: ['all'],
          applications: { includeApplications: ['All'], excludeApplications: [] },
          users: { includeUsers: ['All'], excludeUsers: ['GuestsOrExternalUsers'], includeGroups: [], excludeGroups: [] },
        },
        grantControls: { operator: 'OR', builtInControls: variant === 0 ? ['mfa'] : ['mfa', 'compliantDevice'] },
      };
    default:
      return {
        '@odata.type': '#microsoft.graph.windows10GeneralConfiguration',
        id,
        displayName,
        version: variant + 3,
        passwordRequired: true,
        passwordMinimumCharacterSetCount: 3 + variant,
        screenCaptureBlocked: variant === 0,
        defenderScanType: variant === 0 ? 'full' : 'quick',
      };
  }
}

interface TenantSubject {
  type: PolicyTypeKey;
  name: string;
  variant: number;
  present: boolean;
}

export interface ScenarioWorld {
  types: PolicyTypeKey[];
  baseline: Inventory;
  /** The drifting tenant's inventory, one per compare round. */
  rounds: Inventory[];
}

/** A seeded world: 1-3 types, 1-4 baseline subjects per type, `rounds` tenant inventories. */
export function generateWorld(random: Random, rounds: number): ScenarioWorld {
  const types = random.sample(WORLD_TYPES, random.int(1, WORLD_TYPES.length));
  const baseline: Inventory = {};
  const subjects: TenantSubject[] = [];
  for (const type of types) {
    const n = random.int(1, 4);
    baseline[type] = Array.from({ length: n }, (_, i) => policyObject(type, guid(random), `Contoso - ${LABELS[type]} - ${i + 1}`, 0));
    for (let i = 0; i < n; i += 1) {
      const roll = random.float();
      subjects.push({ type, name: `Contoso - ${LABELS[type]} - ${i + 1}`, variant: roll < 0.45 ? 0 : random.int(1, 3), present: roll < 0.85 });
    }
    for (let u = 0; u < random.int(0, 2); u += 1) {
      subjects.push({ type, name: `Tenant only - ${LABELS[type]} - ${u + 1}`, variant: random.int(0, 2), present: true });
    }
  }
  const inventories: Inventory[] = [];
  for (let r = 0; r < rounds; r += 1) {
    if (r > 0) {
      for (const s of subjects) {
        const roll = random.float();
        if (roll < 0.15) s.present = !s.present;
        else if (roll < 0.35) s.variant = s.variant === 0 ? random.int(1, 3) : 0;
      }
    }
    const inv: Inventory = {};
    for (const type of types) inv[type] = [];
    for (const s of subjects.filter((x) => x.present)) {
      // A change of case or spacing in the name is the same subject (no drift).
      const name = random.chance(0.1) ? s.name.toUpperCase().replace(' - ', '  -  ') : s.name;
      inv[s.type]!.push(policyObject(s.type, guid(random), name, s.variant));
    }
    // Now and then two tenant policies share one name: an ambiguous_match gap, no finding.
    if (random.chance(0.15)) {
      const type = random.pick(types);
      const twin = inv[type]![0];
      if (twin !== undefined) inv[type]!.push({ ...twin, id: guid(random) });
    }
    inventories.push(inv);
  }
  return { types, baseline, rounds: inventories };
}

export function collected(inv: Inventory, types: readonly RegistryTypeKey[], failed: ReadonlySet<string> = new Set()): Partial<Record<RegistryTypeKey, CollectedType>> {
  const out: Partial<Record<RegistryTypeKey, CollectedType>> = {};
  for (const t of types) {
    out[t] = failed.has(t) ? { status: 'failed', error: 'collection failed (chaos scenario)' } : { status: 'succeeded', objects: inv[t] ?? [] };
  }
  return out;
}

export const WORKSPACE_ID = 'ws-chaos';
export const CHAOS_SECRET_KEY = 'chaos-scenario-secret-key-0123456789';

export interface SeededProfile {
  profileId: string;
  snapshotId: string;
  goldenTenantId: string;
}

export function chaosDigester(): SecretDigester {
  return createSecretDigester(CHAOS_SECRET_KEY);
}

/** Repositories on the process's DynamoDB (the local stack sets the environment). */
export function chaosRepositories(): Repositories {
  return createDynamoRepositories();
}

/**
 * An active profile over the world's types with a complete snapshot of the baseline (captured from a
 * golden tenant's inventory), and the given tenants assigned.
 */
export async function seedProfile(
  repos: Repositories,
  world: Pick<ScenarioWorld, 'types' | 'baseline'>,
  ids: { profileId: string; goldenTenantId: string; tenantIds: string[]; workspaceId?: string; profileName?: string },
  now: () => Date = () => new Date(),
): Promise<SeededProfile> {
  const at = now().toISOString();
  const workspaceId = ids.workspaceId ?? WORKSPACE_ID;
  const profile: BaselineProfile = profileRecord(workspaceId, { id: ids.profileId, name: ids.profileName ?? `Chaos baseline ${ids.profileId}`, status: 'active', scope: { policy_types: [...world.types], foundation_types: [] }, severityMapping: { ...DEFAULT_SEVERITY_MAPPING }, createdBy: 'chaos', createdAt: at, updatedAt: at });
  await repos.profiles.create(profile);
  const digester = chaosDigester();
  const golden = await ingestInventory(
    { runs: repos.runs, inventory: repos.inventory, digester, now },
    { tenantId: ids.goldenTenantId, workspaceId, initiator: 'chaos', types: collected(world.baseline, world.types) },
  );
  if (golden.status !== 'completed') throw new Error('the golden tenant sync did not complete');
  const capture = await captureSnapshot(
    { runs: repos.runs, profiles: repos.profiles, snapshots: repos.snapshots, inventory: repos.inventory, now },
    { profileId: profile.id, sourceTenantId: ids.goldenTenantId, initiator: 'chaos' },
  );
  if (capture.status === 'already_running') throw new Error('a capture is already running');
  for (const tenantId of ids.tenantIds) {
    await repos.profiles.assign({ profileId: profile.id, tenantId, workspaceId, assignedAt: at, assignedBy: 'chaos' });
  }
  return { profileId: profile.id, snapshotId: capture.snapshot.id, goldenTenantId: ids.goldenTenantId };
}
