/**
 * Duplicate and concurrent starts of a compare for the same tenant and profile: several API-style
 * starts (`startCompare`) and several scheduled rounds (`dispatchCompares`, same window) race, with
 * throttling injected into their DynamoDB calls. Exactly one compare may start per (tenant, profile);
 * every other attempt must answer with the run id of the active one. The race is strict: the
 * executions begin only after every attempt has answered, so no run can end in between.
 * Then a repeated trigger of the same window starts nothing, and once the run ended a new start works.
 */
import { startCompare } from '../../../shared/usecases/start-compare.js';
import { dispatchCompares } from '../../../shared/usecases/dispatch-compares.js';
import { ingestInventory } from '../../../shared/usecases/ingest-inventory.js';
import { newFaultScope, newFaultStats, withFaultScope, type FaultStats } from '../../support/faults/dynamo-faults.js';
import { Random, seedOf } from '../../support/faults/random.js';
import type { ChaosEnv } from './faults.js';
import { chaosDigester, collected, generateWorld, seedProfile, WORKSPACE_ID } from './world.js';
import type { WorkflowStarter } from '../../../shared/usecases/ports/workflow.js';

export interface StartsOptions {
  seed: number;
  trials: number;
  /** API-style starts per tenant per trial. */
  apiStarts: number;
  /** Concurrent dispatcher rounds per trial. */
  dispatches: number;
  tenants: number;
  /** Share of DynamoDB calls of the starters that are throttled. */
  rate: number;
}

export interface StartsReport {
  trials: number;
  attempts: number;
  /** Compares started beyond one per (tenant, profile) and trial. */
  duplicates: number;
  /** Attempts that neither started nor named the active run (or named a wrong one). */
  wrongAnswers: number;
  /** Attempts that failed on an injected fault after the SDK's retries (nothing started; the caller retries). */
  failedUnderFaults: number;
  /** Runs that did not complete, or a new start that failed after the run ended. */
  stuck: number;
  injected: number;
  details: string[];
}

export async function runStartScenarios(env: ChaosEnv, options: StartsOptions): Promise<StartsReport> {
  const report: StartsReport = { trials: 0, attempts: 0, duplicates: 0, wrongAnswers: 0, failedUnderFaults: 0, stuck: 0, injected: 0, details: [] };
  const { repos, stack } = env;
  const now = () => new Date();
  const stats: FaultStats = newFaultStats();
  for (let t = 0; t < options.trials; t += 1) {
    const tag = `${env.nonce}-${options.seed}-start-${t}`;
    const world = generateWorld(new Random(seedOf(options.seed, 'starts', t)), 1);
    const tenants = Array.from({ length: options.tenants }, (_, i) => `chaos-start-${tag}-${i}`);
    const seeded = await seedProfile(repos, world, { profileId: `chaos-start-profile-${tag}`, goldenTenantId: `chaos-start-golden-${tag}`, tenantIds: tenants });
    for (const tenantId of tenants) {
      await ingestInventory(
        { runs: repos.runs, inventory: repos.inventory, digester: chaosDigester(), now },
        { tenantId, workspaceId: WORKSPACE_ID, initiator: 'chaos', types: collected(world.rounds[0]!, world.types) },
      );
    }

    // Executions begin only when every attempt has answered.
    const held: { input: { runId: string }; name: string }[] = [];
    const gate: WorkflowStarter = { start: (input, name) => (held.push({ input, name }), Promise.resolve()) };
    const faulty = <T>(key: string, fn: () => Promise<T>) =>
      withFaultScope(newFaultScope({ rate: options.rate, kinds: ['throttle', 'unavailable'], random: new Random(seedOf(options.seed, tag, key)), stats }), fn);
    const profile = (await repos.profiles.get(seeded.profileId))!;
    const scheduledAt = new Date().toISOString();
    const api = tenants.flatMap((tenantId) =>
      Array.from({ length: options.apiStarts }, (_, i) =>
        faulty(`api-${tenantId}-${i}`, () =>
          startCompare({ runs: repos.runs, profiles: repos.profiles, starter: gate, now }, { tenantId, profileId: seeded.profileId, initiator: `user-${i}` }),
        ).then(
          (r) => ({ tenantId, started: r.started ? r.runId : undefined, named: r.started ? undefined : r.activeRunId }),
          (err: unknown) => ({ tenantId, started: undefined, named: `failed: ${err instanceof Error ? err.name : String(err)}` }),
        ),
      ),
    );
    const scheduled = Array.from({ length: options.dispatches }, (_, i) =>
      faulty(`dispatch-${i}`, () =>
        dispatchCompares(
          { runs: repos.runs, profiles: repos.profiles, activeProfiles: { listActiveProfiles: () => Promise.resolve([profile]) }, starter: gate, now },
          { scheduledAt, windowMinutes: 60 },
        ),
      ),
    );
    const apiResults = await Promise.all(api);
    const dispatchResults = await Promise.all(scheduled);
    report.trials += 1;
    report.attempts += apiResults.length + dispatchResults.reduce((n, d) => n + d.results.length, 0);

    const scheduledWinners = new Set(dispatchResults.flatMap((d) => d.results.filter((a) => a.status === 'started').map((a) => a.tenantId)));
    for (const tenantId of tenants) {
      const answers = [
        ...apiResults.filter((r) => r.tenantId === tenantId),
        ...dispatchResults.flatMap((d) =>
          d.results
            .filter((a) => a.tenantId === tenantId)
            .map((a) => ({ tenantId, started: a.status === 'started' ? a.runId : undefined, named: a.status === 'started' ? undefined : a.status === 'failed' ? `failed: ${a.error}` : a.runId })),
        ),
      ];
      const started = answers.flatMap((a) => (a.started ? [a.started] : []));
      const allFailed = answers.every((a) => a.started === undefined && a.named?.startsWith('failed: ') === true);
      if (started.length > 1 || (started.length === 0 && !allFailed)) {
        report.duplicates += Math.max(0, started.length - 1);
        report.details.push(`trial ${t} ${tenantId}: ${started.length} compares started`);
      }
      const winner = started[0];
      // An attempt that failed on an injected fault (after the SDK's retries) started nothing: no
      // duplicate, the caller retries. Counted apart; naming another run is wrong.
      const failed = answers.filter((a) => a.started === undefined && a.named?.startsWith('failed: ') === true);
      report.failedUnderFaults += failed.length;
      const wrong = answers.filter((a) => a.started === undefined && a.named !== winner && !failed.includes(a));
      report.wrongAnswers += wrong.length;
      for (const w of wrong.slice(0, 3)) report.details.push(`trial ${t} ${tenantId}: answered ${w.named ?? 'nothing'} instead of ${winner ?? 'a run'}`);
    }

    for (const h of held) await stack.starter.start(h.input, h.name);
    for (const h of held) await stack.starter.wait(h.input.runId);
    for (const h of held) {
      const run = await repos.runs.get(h.input.runId);
      if (run?.status !== 'completed') {
        report.stuck += 1;
        report.details.push(`trial ${t}: run ${h.input.runId} is ${run?.status ?? 'missing'}`);
      }
    }
    const fresh = held.length;
    // The same window again: nothing new. A start after the runs ended: a new compare.
    const again = await dispatchCompares(
      { runs: repos.runs, profiles: repos.profiles, activeProfiles: { listActiveProfiles: () => Promise.resolve([profile]) }, starter: gate, now },
      { scheduledAt, windowMinutes: 60 },
    );
    // A tenant whose window compare was started by the schedule must not get a second one.
    const restarted = again.results.filter((a) => a.status === 'started' && scheduledWinners.has(a.tenantId));
    if (restarted.length > 0) {
      report.duplicates += restarted.length;
      report.details.push(`trial ${t}: a repeated trigger of the window started ${restarted.length} compare(s)`);
    }
    const afterRound = held.length;
    for (const h of held.slice(fresh)) {
      await stack.starter.start(h.input, h.name);
      await stack.starter.wait(h.input.runId);
    }
    const next = await startCompare({ runs: repos.runs, profiles: repos.profiles, starter: gate, now }, { tenantId: tenants[0]!, profileId: seeded.profileId, initiator: 'user-after' });
    if (!next.started) {
      report.stuck += 1;
      report.details.push(`trial ${t}: a start after the run ended was refused (active ${next.activeRunId})`);
    }
    for (const h of held.slice(afterRound)) {
      await stack.starter.start(h.input, h.name);
      await stack.starter.wait(h.input.runId);
    }
  }
  report.injected = stats.injected;
  return report;
}
