/**
 * fanout: the scheduled dispatcher (dispatchCompares, as the Dispatcher function runs it) starting one
 * compare per assigned tenant on the local stack: every run must complete, none twice, and a second
 * trigger in the same window must start nothing.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import { DynamoActiveProfileSource } from '../../shared/adapters/dynamodb/active-profiles.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { createDynamoRepositories, type Repositories } from '../../shared/adapters/dynamodb/index.js';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import type { OperationRun } from '../../shared/domain/model.js';
import { ingestInventory } from '../../shared/usecases/ingest-inventory.js';
import { dispatchCompares } from '../../shared/usecases/dispatch-compares.js';
import { LOCAL_REGION } from '../../infra/local/dynamodb-local.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { seedTenant } from './pipeline.js';
import { tenantData } from './compare.js';
import { round } from './measure.js';

export interface FanoutReport {
  tenants: number;
  started: number;
  completed: number;
  succeeded: number;
  duplicates: number;
  /** Compares the second trigger in the same window started (must be 0). */
  secondTriggerStarted: number;
  secondTriggerAlreadyStartedInWindow: number;
  seconds: number;
  seedSeconds: number;
}

async function compareRuns(repos: Repositories, tenantId: string): Promise<OperationRun[]> {
  const page = await repos.runs.listByTenant(tenantId, { limit: 10, type: 'baseline_compare' });
  return page.items;
}

export async function measureFanout(stack: LocalStack, options: { tenants: number; perType?: number }): Promise<FanoutReport> {
  const repos = createDynamoRepositories();
  const perType = options.perType ?? 5;
  const families = ['settingsCatalog', 'conditionalAccess'] as const;
  const seedStart = performance.now();
  // One profile with its snapshot and a first tenant, then the other tenants' inventories.
  const first = await seedTenant(repos, { perType, driftRate: 0.2, families, bytes: 1_500, workspaceId: 'ws-fanout' });
  const data = tenantData(perType, 0.2, 1_500, families);
  const digester = createSecretDigester(Buffer.alloc(32, 3));
  const tenants = [first.tenantId];
  const limit = pLimit(8);
  await Promise.all(
    Array.from({ length: options.tenants - 1 }, () =>
      limit(async () => {
        const tenantId = `tenant-${randomUUID()}`;
        const synced = await ingestInventory(
          { runs: repos.runs, inventory: repos.inventory, digester, now: () => new Date() },
          { tenantId, workspaceId: 'ws-fanout', initiator: 'bench', types: Object.fromEntries(data.map((t) => [t.type, { status: 'succeeded' as const, objects: t.current }])) },
        );
        if (synced.status !== 'completed') throw new Error('seeding a fan-out tenant failed');
        await repos.profiles.assign({ profileId: first.profileId, tenantId, workspaceId: 'ws-fanout', assignedAt: new Date().toISOString(), assignedBy: 'bench' });
        tenants.push(tenantId);
      }),
    ),
  );
  const seedSeconds = (performance.now() - seedStart) / 1000;

  const deps = {
    profiles: repos.profiles,
    activeProfiles: new DynamoActiveProfileSource(createDocumentClient({ endpoint: stack.endpoint, region: LOCAL_REGION }), stack.tables.baselines),
    runs: repos.runs,
    starter: stack.starter,
    now: () => new Date(),
  };
  const scheduledAt = new Date().toISOString();
  const started = performance.now();
  const round1 = await dispatchCompares(deps, { scheduledAt, windowMinutes: 60 });
  const runIds = round1.results.filter((r) => r.status === 'started' && r.runId !== undefined).map((r) => r.runId!);
  const executions = await Promise.all(runIds.map((id) => stack.starter.wait(id)));
  const seconds = (performance.now() - started) / 1000;
  const round2 = await dispatchCompares(deps, { scheduledAt, windowMinutes: 60 });
  await Promise.all(round2.results.filter((r) => r.status === 'started' && r.runId !== undefined).map((r) => stack.starter.wait(r.runId!)));

  let completed = 0;
  let succeeded = 0;
  let duplicates = 0;
  await Promise.all(
    tenants.map((tenantId) =>
      limit(async () => {
        const runs = await compareRuns(repos, tenantId);
        duplicates += Math.max(0, runs.length - 1);
        if (runs.some((r) => r.status === 'completed')) completed += 1;
        if (runs.some((r) => r.outcome === 'succeeded')) succeeded += 1;
      }),
    ),
  );
  if (executions.some((e) => e.status !== 'SUCCEEDED')) process.stderr.write(`[bench] fanout: ${executions.filter((e) => e.status !== 'SUCCEEDED').length} execution(s) did not succeed\n`);
  await repos.profiles.update(first.profileId, { status: 'archived', updatedAt: new Date().toISOString() });
  return {
    tenants: tenants.length,
    started: round1.started,
    completed,
    succeeded,
    duplicates,
    secondTriggerStarted: round2.started,
    secondTriggerAlreadyStartedInWindow: round2.alreadyStartedInWindow,
    seconds: round(seconds, 1),
    seedSeconds: round(seedSeconds, 1),
  };
}
