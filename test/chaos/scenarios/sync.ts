/**
 * Inventory sync interrupted mid-type: a tenant with a stored inventory syncs again (some policies
 * gone, some changed), and the writes of one type stop after a seeded number of them (between none
 * and all but the last, measured on a twin tenant). The interrupted type must be `failed` in the
 * run's coverage, none of its stored policies may be removed, the other types must succeed, and the
 * next compare must treat the type as uncovered (no finding of that type resolved or opened).
 */
import type { InventoryRepository } from '../../../shared/usecases/ports/persistence.js';
import type { RegistryTypeKey } from '../../../shared/domain/model.js';
import { ingestInventory } from '../../../shared/usecases/ingest-inventory.js';
import { startCompare } from '../../../shared/usecases/start-compare.js';
import { newFaultScope, newFaultStats, withFaultScope } from '../../support/faults/dynamo-faults.js';
import { Random, seedOf } from '../../support/faults/random.js';
import { allFindings, type ChaosEnv } from './faults.js';
import { chaosDigester, collected, generateWorld, seedProfile, WORKSPACE_ID, type Inventory } from './world.js';

export interface SyncOptions {
  seed: number;
  trials: number;
}

export interface SyncReport {
  trials: number;
  /** Trials whose interrupted type was not `failed`, or another type not `succeeded`. */
  wrongCoverage: number;
  /** Stored policies of the interrupted type that the sync removed. */
  removed: number;
  /** Findings of the interrupted type changed by the compare after the interrupted sync. */
  touched: number;
  details: string[];
}

/** The inventory port with one type's writes made to stop after `killAfterWrites` writes. */
function interrupted(inventory: InventoryRepository, victim: RegistryTypeKey, killAfterWrites: number | undefined, measure: { writes: number }): InventoryRepository {
  return {
    listSummaries: (t, p) => inventory.listSummaries(t, p),
    getContents: (t, p, ids) => inventory.getContents(t, p, ids),
    putTypeInventory: async (tenantId, policyType, subjects, run, options) => {
      if (policyType !== victim) return inventory.putTypeInventory(tenantId, policyType, subjects, run, options);
      const scope = newFaultScope({ rate: 0, kinds: [], random: new Random(0), stats: newFaultStats(), ...(killAfterWrites !== undefined ? { killAfterWrites } : {}) });
      try {
        return await withFaultScope(scope, () => inventory.putTypeInventory(tenantId, policyType, subjects, run, options));
      } finally {
        measure.writes = scope.writes;
      }
    },
  };
}

/** The second inventory: the first with a policy of every type dropped and one changed. */
function secondInventory(first: Inventory, random: Random): Inventory {
  const out: Inventory = {};
  for (const [type, objects] of Object.entries(first) as [RegistryTypeKey, Record<string, unknown>[]][]) {
    const kept = objects.filter((_, i) => i !== 0 || objects.length === 1);
    out[type] = kept.map((o, i) => (i === kept.length - 1 && random.chance(0.5) ? { ...o, description: 'changed by the tenant' } : o));
  }
  return out;
}

export async function runSyncScenarios(env: ChaosEnv, options: SyncOptions): Promise<SyncReport> {
  const report: SyncReport = { trials: 0, wrongCoverage: 0, removed: 0, touched: 0, details: [] };
  const { repos, stack } = env;
  const digester = chaosDigester();
  const now = () => new Date();
  for (let t = 0; t < options.trials; t += 1) {
    const random = new Random(seedOf(options.seed, 'sync', t));
    const world = generateWorld(random, 1);
    // Every type needs something to remove: a policy more than the generator may give.
    const first: Inventory = {};
    for (const type of world.types) first[type] = [...(world.rounds[0]![type] ?? []), ...(world.baseline[type] ?? []).slice(0, 1)];
    const second = secondInventory(first, random);
    const victim = random.pick(world.types);
    const tag = `${env.nonce}-${options.seed}-sync-${t}`;
    const twin = `chaos-sync-twin-${tag}`;
    const tenant = `chaos-sync-${tag}`;
    const seeded = await seedProfile(repos, world, { profileId: `chaos-sync-profile-${tag}`, goldenTenantId: `chaos-sync-golden-${tag}`, tenantIds: [tenant] });
    const sync = (tenantId: string, inv: Inventory, inventory: InventoryRepository) =>
      ingestInventory({ runs: repos.runs, inventory, digester, now }, { tenantId, workspaceId: WORKSPACE_ID, initiator: 'chaos', types: collected(inv, world.types) });

    // The twin measures how many writes the victim type's second sync makes.
    const measured = { writes: 0 };
    await sync(twin, first, repos.inventory);
    await sync(twin, second, interrupted(repos.inventory, victim, undefined, measured));
    const killAfter = random.int(0, Math.max(0, measured.writes - 1));

    await sync(tenant, first, repos.inventory);
    const compare = async () => {
      const started = await startCompare({ runs: repos.runs, profiles: repos.profiles, starter: stack.starter, now }, { tenantId: tenant, profileId: seeded.profileId, initiator: 'chaos' });
      if (!started.started) throw new Error(`compare of ${tenant} did not start`);
      await stack.starter.wait(started.runId);
      return started.runId;
    };
    await compare();
    const before = await repos.inventory.listSummaries(tenant, victim);
    const findingsBefore = (await allFindings(repos, tenant)).filter((f) => f.policyType === victim);

    const result = await sync(tenant, second, interrupted(repos.inventory, victim, killAfter, { writes: 0 }));
    report.trials += 1;
    if (result.status !== 'completed') throw new Error('the interrupted sync did not complete');
    const coverage = result.coverage.policy_types;
    const wrong = world.types.filter((type) => coverage[type]?.status !== (type === victim ? 'failed' : 'succeeded'));
    if (wrong.length > 0) {
      report.wrongCoverage += 1;
      report.details.push(`trial ${t}: coverage of ${wrong.join(', ')} is wrong after ${victim} stopped at write ${killAfter}: ${JSON.stringify(coverage)}`);
    }
    const after = new Set((await repos.inventory.listSummaries(tenant, victim)).map((s) => s.externalId));
    const gone = before.filter((s) => !after.has(s.externalId));
    report.removed += gone.length;
    if (gone.length > 0) report.details.push(`trial ${t}: ${gone.length} ${victim} policies removed by an interrupted sync (stopped at write ${killAfter})`);

    const runId = await compare();
    const findingsAfter = (await allFindings(repos, tenant)).filter((f) => f.policyType === victim);
    const key = (f: { fingerprint: string; status: string; timesSeen: number }) => `${f.fingerprint}|${f.status}|${f.timesSeen}`;
    const changed = findingsAfter.filter((f) => !findingsBefore.some((b) => key(b) === key(f)) || f.currentOperationRunId === runId);
    report.touched += changed.length;
    if (changed.length > 0) report.details.push(`trial ${t}: the compare after the interrupted sync changed ${changed.length} ${victim} finding(s)`);
  }
  return report;
}
