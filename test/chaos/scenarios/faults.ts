/**
 * Faults on the workflow: every seeded world is compared twice per round on DynamoDB Local, once for
 * a reference tenant without faults and once for a tenant with the same inventory under faults
 * (throttling and transient errors in a share of the DynamoDB calls, each task killed once after part
 * of its writes and retried as Step Functions does). The faulted run must end exactly like the
 * fault-free one: same outcome and summary counts, same findings with the same status and counts.
 */
import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import type { Repositories } from '../../../shared/adapters/dynamodb/index.js';
import type { Finding, OperationRun } from '../../../shared/domain/model.js';
import { ingestInventory } from '../../../shared/usecases/ingest-inventory.js';
import { startCompare } from '../../../shared/usecases/start-compare.js';
import type { LocalStack } from '../../../infra/local/stack.js';
import { FAULT_KINDS, type FaultKind } from '../../support/faults/dynamo-faults.js';
import { Random, seedOf } from '../../support/faults/random.js';
import type { WorkflowFaults } from '../../support/faults/workflow-faults.js';
import { chaosDigester, collected, generateWorld, seedProfile, WORKSPACE_ID, type ScenarioWorld } from './world.js';
import { collectPages } from '../../../shared/usecases/paging.js';

export interface ChaosEnv {
  stack: LocalStack;
  faults: WorkflowFaults;
  repos: Repositories;
  /** Makes ids unique on a shared database; never part of a seed. */
  nonce: string;
}

export interface FaultScenarioOptions {
  seed: number;
  /** Seeded worlds; each gives `rounds` x `faultedTenants` faulted runs. */
  worlds: number;
  rounds: number;
  /** Tenants with the reference tenant's inventory compared under faults (each its own fault seed). */
  faultedTenants: number;
  /** Share of DynamoDB call attempts that fail. */
  rate: number;
  kinds?: readonly FaultKind[];
  /** Kill every task once per faulted run. */
  kill: boolean;
  /** Only these tasks (`Task` or `Task:policyType`) are killed (default all). */
  killOnly?: (task: string) => boolean;
  /** Kill after exactly this many writes (default a seeded point up to the fault-free run's writes). */
  killAfterWrites?: number;
  /** A given world instead of a generated one. */
  world?: (w: number) => ScenarioWorld;
  /**
   * Before every round after the first, accept (no expiry) every open finding whose subject key
   * hashes even, on every tenant alike: faults must never reopen nor lose an acceptance.
   */
  accept?: boolean;
  /** Worlds run at once. */
  concurrency: number;
  progress?: (done: number, total: number) => void;
}

export interface FaultMismatch {
  world: number;
  round: number;
  tenant: number;
  what: string;
}

export interface FaultReport {
  runs: number;
  injected: number;
  kills: number;
  mismatches: number;
  lost: number;
  doubleCounted: number;
  /** Findings compared across all faulted runs. */
  findings: number;
  /** Of those, findings that carry an acceptance (accepted, or reopened when it ended). */
  accepted: number;
  details: FaultMismatch[];
}

export interface FindingView {
  key: string;
  changeType: string;
  status: string;
  severity: string;
  timesSeen: number;
  reopenCount: number;
  resolvedReason: string | null;
  reopenReason: string | null;
  /** The accepted hash of the finding's acceptance (null: never accepted). */
  accepted: string | null;
  evidenceFidelity: string;
  displayName: string;
  drifted: string[];
}

export interface RunView {
  status: string;
  outcome: string;
  summaryCounts: Record<string, number>;
  failures: string[];
  findings: FindingView[];
}

export async function allFindings(repos: Repositories, tenantId: string): Promise<Finding[]> {
  return collectPages((page) => repos.findings.list(tenantId, page), 200);
}

/** What must be equal between a faulted run and its fault-free twin (nothing tenant- or run-specific). */
export function viewOf(run: OperationRun | undefined, findings: Finding[]): RunView {
  return {
    status: run?.status ?? 'missing',
    outcome: run?.outcome ?? 'missing',
    summaryCounts: Object.fromEntries(Object.entries(run?.summaryCounts ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))),
    failures: (run?.failureSummary ?? []).map((f) => `${f.code}x${f.count}`).sort(),
    findings: findings
      .map((f) => ({
        key: `${f.policyType}|${f.subjectKey}|${f.changeType}`,
        changeType: f.changeType,
        status: f.status,
        severity: f.severity,
        timesSeen: f.timesSeen,
        reopenCount: f.reopenCount,
        resolvedReason: f.resolvedReason ?? null,
        reopenReason: f.reopenReason ?? null,
        accepted: f.acceptedHash === undefined ? null : JSON.stringify(f.acceptedHash),
        evidenceFidelity: f.evidenceFidelity,
        displayName: f.displayName,
        drifted: f.evidence.drifted_properties.map((p) => `${p.kind}:${p.path}`).sort(),
      }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
  };
}

/** Differences between a fault-free view and a faulted one: lost findings, double counts, anything else. */
export function diffViews(reference: RunView, faulted: RunView): { lost: number; doubleCounted: number; differences: string[] } {
  const differences: string[] = [];
  if (reference.status !== faulted.status) differences.push(`status ${faulted.status}, expected ${reference.status}`);
  if (reference.outcome !== faulted.outcome) differences.push(`outcome ${faulted.outcome}, expected ${reference.outcome}`);
  if (JSON.stringify(reference.summaryCounts) !== JSON.stringify(faulted.summaryCounts)) {
    const keys = new Set([...Object.keys(reference.summaryCounts), ...Object.keys(faulted.summaryCounts)]);
    const diffs = [...keys].filter((k) => reference.summaryCounts[k] !== faulted.summaryCounts[k]).map((k) => `${k} ${faulted.summaryCounts[k]} (expected ${reference.summaryCounts[k]})`);
    differences.push(`summary counts: ${diffs.join(', ')}`);
  }
  if (JSON.stringify(reference.failures) !== JSON.stringify(faulted.failures)) differences.push(`failures ${faulted.failures.join(',')}, expected ${reference.failures.join(',')}`);
  const got = new Map(faulted.findings.map((f) => [f.key, f]));
  const want = new Map(reference.findings.map((f) => [f.key, f]));
  let lost = 0;
  let doubleCounted = 0;
  for (const [key, ref] of want) {
    const f = got.get(key);
    if (f === undefined) {
      lost += 1;
      differences.push(`finding lost: ${key}`);
      continue;
    }
    if (f.timesSeen > ref.timesSeen || f.reopenCount > ref.reopenCount) {
      doubleCounted += 1;
      differences.push(`counted twice: ${key} timesSeen ${f.timesSeen} (expected ${ref.timesSeen}), reopenCount ${f.reopenCount} (expected ${ref.reopenCount})`);
    } else if (JSON.stringify(f) !== JSON.stringify(ref)) {
      differences.push(`finding differs: ${key}: ${JSON.stringify(f)} expected ${JSON.stringify(ref)}`);
    }
  }
  for (const key of got.keys()) if (!want.has(key)) differences.push(`unexpected finding: ${key}`);
  return { lost, doubleCounted, differences };
}

export async function runView(repos: Repositories, runId: string, tenantId: string): Promise<RunView> {
  return viewOf(await repos.runs.get(runId), await allFindings(repos, tenantId));
}

/** Accepts the open findings whose subject key hashes even (the same choice on every tenant). */
async function acceptSome(repos: Repositories, tenantId: string): Promise<void> {
  for (const f of await allFindings(repos, tenantId)) {
    if (!['new', 'reopened', 'triaged', 'in_progress'].includes(f.status)) continue;
    if (createHash('sha256').update(`${f.subjectKey}|${f.changeType}`).digest()[0]! % 2 !== 0) continue;
    await repos.findings.transition(tenantId, f.fingerprint, { to: 'risk_accepted', reason: 'chaos: accepted deviation', actor: 'chaos', at: new Date().toISOString() });
  }
}

export async function runFaultScenarios(env: ChaosEnv, options: FaultScenarioOptions): Promise<FaultReport> {
  const report: FaultReport = { runs: 0, injected: 0, kills: 0, mismatches: 0, lost: 0, doubleCounted: 0, findings: 0, accepted: 0, details: [] };
  const injectedBefore = env.faults.stats.injected;
  const killsBefore = env.faults.stats.kills;
  const { repos, stack, faults } = env;
  const digester = chaosDigester();
  const now = () => new Date();
  let done = 0;
  const limit = pLimit(Math.max(1, options.concurrency));

  const oneWorld = async (w: number): Promise<void> => {
    const world = options.world?.(w) ?? generateWorld(new Random(seedOf(options.seed, 'world', w)), options.rounds);
    const tag = `${env.nonce}-${options.seed}-${w}`;
    const reference = `chaos-ref-${tag}`;
    const faulted = Array.from({ length: Math.max(1, options.faultedTenants) }, (_, k) => `chaos-faulted-${tag}-${k}`);
    const seeded = await seedProfile(repos, world, { profileId: `chaos-profile-${tag}`, goldenTenantId: `chaos-golden-${tag}`, tenantIds: [reference, ...faulted] });
    const compare = async (tenantId: string, runId: string) => {
      const started = await startCompare(
        { runs: repos.runs, profiles: repos.profiles, starter: stack.starter, now, newId: () => runId },
        { tenantId, profileId: seeded.profileId, initiator: 'chaos' },
      );
      if (!started.started) throw new Error(`compare of ${tenantId} did not start: run ${started.activeRunId} is active`);
      await stack.starter.wait(runId);
    };
    for (let r = 0; r < world.rounds.length; r += 1) {
      if (options.accept && r > 0) await Promise.all([reference, ...faulted].map((tenantId) => acceptSome(repos, tenantId)));
      await Promise.all(
        [reference, ...faulted].map(async (tenantId) => {
          const sync = await ingestInventory(
            { runs: repos.runs, inventory: repos.inventory, digester, now },
            { tenantId, workspaceId: WORKSPACE_ID, initiator: 'chaos', types: collected(world.rounds[r]!, world.types) },
          );
          if (sync.status !== 'completed') throw new Error(`the sync of ${tenantId} did not complete`);
        }),
      );
      const referenceRun = `run-${reference}-${r}`;
      await compare(reference, referenceRun);
      const referenceView = await runView(repos, referenceRun, reference);
      const referenceWrites = faults.writesOf(referenceRun);
      await Promise.all(
        faulted.map(async (tenantId, k) => {
          const runId = `run-${tenantId}-${r}`;
          faults.plan(runId, {
            seed: seedOf(options.seed, 'faults', w, k, r),
            rate: options.rate,
            kinds: options.kinds ?? FAULT_KINDS,
            ...(options.kill
              ? { kill: { referenceWrites, ...(options.killOnly ? { only: options.killOnly } : {}), ...(options.killAfterWrites !== undefined ? { afterWrites: options.killAfterWrites } : {}) } }
              : {}),
          });
          await compare(tenantId, runId);
          const diff = diffViews(referenceView, await runView(repos, runId, tenantId));
          faults.forget(runId);
          report.runs += 1;
          report.findings += referenceView.findings.length;
          report.accepted += referenceView.findings.filter((f) => f.status === 'risk_accepted').length;
          report.lost += diff.lost;
          report.doubleCounted += diff.doubleCounted;
          if (diff.differences.length > 0) {
            report.mismatches += 1;
            for (const what of diff.differences.slice(0, 5)) if (report.details.length < 50) report.details.push({ world: w, round: r, tenant: k, what });
          }
        }),
      );
      faults.forget(referenceRun);
    }
    done += 1;
    options.progress?.(done, options.worlds);
  };

  await Promise.all(Array.from({ length: options.worlds }, (_, w) => limit(() => oneWorld(w))));
  report.injected = faults.stats.injected - injectedBefore;
  report.kills = faults.stats.kills - killsBefore;
  return report;
}
