/**
 * pipeline: one full BaselineCompare of a tenant on the local stack (DynamoDB Local, the synthesized
 * ASL run in-process, the real handlers), seeded before timing: a complete snapshot of T types x N
 * subjects and the tenant's inventory at the given drift rate, written through the repositories.
 * Measured: wall time, DynamoDB requests and consumed read/write units (every task records in one
 * meter), state transitions (StateEntered events of the execution's log), task invocations and the
 * peak memory of this process (DynamoDB Local's JVM is a separate process and not included).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CapacityMeter } from '../../shared/adapters/dynamodb/capacity.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { createDynamoRepositories, type Repositories } from '../../shared/adapters/dynamodb/index.js';
import { findingKeys, inventoryKeys, snapshotItemKeys } from '../../shared/adapters/dynamodb/keys.js';
import { TABLE_SPECS } from '../../shared/adapters/dynamodb/table-specs.js';
import { scopeKeyOf } from '../../shared/domain/identity.js';
import { useProcessCapacityMeter } from '../../functions/_shared/runtime.js';
import { canonicalHash } from '../../shared/domain/canonical.js';
import type { BaselineProfile, RegistryTypeKey } from '../../shared/domain/model.js';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import { DEFAULT_SEVERITY_MAPPING } from '../../shared/domain/severity.js';
import { buildSubject } from '../../shared/domain/subject.js';
import { ingestInventory } from '../../shared/usecases/ingest-inventory.js';
import { startCompare } from '../../shared/usecases/start-compare.js';
import { LOCAL_REGION } from '../../infra/local/dynamodb-local.js';
import type { LocalStack } from '../../infra/local/stack.js';
import { statesEntered } from '../../infra/local/workflow-runner.js';
import { constructIdOfLogicalId } from '../../infra/local/asl.js';
import { appStackTemplate } from '../../infra/local/synth.js';
import { tenantData } from './compare.js';
import { PIPELINE_FAMILIES, type Family } from './generate.js';
import { round } from './measure.js';
import { profileRecord } from '../support/records.js';

export interface PipelineMeasurement {
  types: number;
  subjects: number;
  driftRate: number;
  outcome: string;
  seconds: number;
  /** Seeding (not timed): snapshot and tenant inventory written through the repositories. */
  seedSeconds: number;
  requests: number;
  rcu: number;
  /** Read units of reading every small per-subject item of both sides once, eventually consistent. */
  rcuFloor: number;
  wcu: number;
  /** The write units of the findings the run wrote, by their item sizes (table + indexes). */
  findingsWcu: number;
  /** (wcu - findingsWcu) / types: the run's own bookkeeping per type (runs, stage, locks). */
  wcuOverheadPerType: number;
  /** Findings created, seen, reopened or resolved by the run. */
  findingsWritten: number;
  transitions: number;
  taskInvocations: number;
  /** Task durations in this process x configured Lambda memory (a model of Lambda's billed GB-s). */
  lambdaGbSeconds: number;
  peakRssMb: number;
  peakHeapMb: number;
  /** The run's summary counts (what the compare found). */
  summaryCounts: Record<string, number>;
}

export interface InvocationCounter {
  count: number;
  /** Sum over invocations of duration (s) x the function's configured memory (GB), as Lambda bills it. */
  gbSeconds: number;
  wrap: (name: string, handler: (e: unknown) => Promise<unknown>) => (e: unknown) => Promise<unknown>;
}

/** Memory (MB) of each function of the synthesized app stack, by function id. */
export function functionMemoryMb(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [logicalId, resource] of Object.entries(appStackTemplate().Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const memory = (resource.Properties as { MemorySize?: unknown } | undefined)?.MemorySize;
    out[constructIdOfLogicalId(logicalId)] = typeof memory === 'number' ? memory : 128;
  }
  return out;
}

/** Counts task invocations and their GB-seconds: pass `wrap` as the local stack's `wrapHandler`. */
export function invocationCounter(): InvocationCounter {
  const memory = functionMemoryMb();
  const counter: InvocationCounter = {
    count: 0,
    gbSeconds: 0,
    wrap: (name, handler) => async (event) => {
      counter.count += 1;
      const t0 = performance.now();
      try {
        return await handler(event);
      } finally {
        const billedMs = Math.ceil(performance.now() - t0);
        counter.gbSeconds += (billedMs / 1000) * ((memory[name] ?? 1024) / 1024);
      }
    },
  };
  return counter;
}

/** DynamoDB's size of an item (attribute names + values), as it rounds reads to 4 KB units. */
export function dynamoItemBytes(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') {
    const digits = String(Math.abs(value)).replace(/[^0-9]/g, '').replace(/^0+/, '').length;
    return Math.ceil(Math.max(digits, 1) / 2) + 1;
  }
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + dynamoItemBytes(v), 0);
  if (value instanceof Set) return [...value].reduce((n: number, v) => n + dynamoItemBytes(v), 0);
  return (
    3 +
    Object.entries(value as Record<string, unknown>).reduce((n, [k, v]) => n + Buffer.byteLength(k, 'utf8') + 1 + dynamoItemBytes(v), 0)
  );
}

const PAGE_BYTES = 1024 * 1024;

const FINDING_INDEXES_ALL = TABLE_SPECS.findings.indexes.filter((i) => i.projection.type === 'ALL').length;
const FINDING_INDEXES_KEYS_ONLY = TABLE_SPECS.findings.indexes.filter((i) => i.projection.type === 'KEYS_ONLY').length;

/**
 * Read units of an eventually consistent Query over the given items: per page (1 MB of items), half a
 * unit per started 4 KB of the page's summed item sizes.
 */
export function eventuallyConsistentQueryUnits(items: readonly Record<string, unknown>[]): number {
  let units = 0;
  let page = 0;
  for (const item of items) {
    const size = Object.entries(item).reduce((n, [k, v]) => n + Buffer.byteLength(k, 'utf8') + dynamoItemBytes(v), 0);
    if (page > 0 && page + size > PAGE_BYTES) {
      units += Math.ceil(page / 4096) * 0.5;
      page = 0;
    }
    page += size;
  }
  if (page > 0 || items.length === 0) units += Math.max(1, Math.ceil(page / 4096)) * 0.5;
  return units;
}

async function partitionItems(db: DynamoDBDocumentClient, table: string, pk: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...((out.Items ?? []) as Record<string, unknown>[]));
    start = out.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

export interface SeededTenant {
  tenantId: string;
  profileId: string;
  snapshotId: string;
  types: RegistryTypeKey[];
  subjects: number;
}

/** Seeds a complete snapshot of an active profile and one assigned tenant's inventory (not timed). */
export async function seedTenant(
  repos: Repositories,
  options: { perType: number; driftRate: number; families?: readonly Family[]; bytes?: number; workspaceId?: string; log?: (message: string) => void },
): Promise<SeededTenant> {
  const digester = createSecretDigester(Buffer.alloc(32, 3));
  const data = tenantData(options.perType, options.driftRate, options.bytes ?? 2_000, options.families ?? PIPELINE_FAMILIES);
  const now = () => new Date();
  const workspaceId = options.workspaceId ?? 'ws-bench';
  const types = data.map((t) => t.type);
  const profile: BaselineProfile = profileRecord(workspaceId, { id: `profile-${randomUUID()}`, name: 'Benchmark baseline', status: 'active', scope: { policy_types: types, foundation_types: [] }, severityMapping: { ...DEFAULT_SEVERITY_MAPPING }, createdBy: 'bench', createdAt: now().toISOString(), updatedAt: now().toISOString() });
  await repos.profiles.create(profile);

  const t0 = performance.now();
  const snapshotId = `snap-${randomUUID()}`;
  await repos.snapshots.createBuilding({
    id: snapshotId,
    profileId: profile.id,
    capturedAt: now().toISOString(),
    identityHash: canonicalHash(['bench', snapshotId]),
    operationRunId: `capture-${randomUUID()}`,
  });
  const summary: Record<string, number> = {};
  let itemCount = 0;
  for (const t of data) {
    const items = t.baselineRaw.map((o) => {
      const { externalId: _id, ...item } = buildSubject(t.type, o, digester);
      return item;
    });
    await repos.snapshots.putItems(snapshotId, items);
    summary[t.type] = items.length;
    itemCount += items.length;
  }
  await repos.snapshots.complete(snapshotId, { itemCount, summary });
  const snapshotSeconds = (performance.now() - t0) / 1000;
  await repos.profiles.update(profile.id, { activeSnapshotId: snapshotId, updatedAt: now().toISOString() });

  const tenantId = `tenant-${randomUUID()}`;
  const synced = await ingestInventory(
    { runs: repos.runs, inventory: repos.inventory, digester, now },
    {
      tenantId,
      workspaceId,
      initiator: 'bench',
      types: Object.fromEntries(data.map((t) => [t.type, { status: 'succeeded' as const, objects: t.current }])),
    },
  );
  if (synced.status !== 'completed' || synced.outcome !== 'succeeded') throw new Error('seeding the tenant inventory failed');
  await repos.profiles.assign({ profileId: profile.id, tenantId, workspaceId, assignedAt: now().toISOString(), assignedBy: 'bench' });
  if (options.log) options.log(`seeded ${itemCount} subjects: snapshot ${snapshotSeconds.toFixed(1)} s, inventory ${((performance.now() - t0) / 1000 - snapshotSeconds).toFixed(1)} s`);
  return { tenantId, profileId: profile.id, snapshotId, types, subjects: itemCount };
}

/**
 * Seeds a tenant and times one compare on `stack` (started with `counter.wrap` as its handler
 * wrapper, so task invocations are counted).
 */
export async function measurePipeline(
  stack: LocalStack,
  counter: InvocationCounter,
  options: { perType: number; driftRate: number; families?: readonly Family[]; bytes?: number; log?: (message: string) => void },
): Promise<PipelineMeasurement> {
  const seedMeter = new CapacityMeter();
  const repos = createDynamoRepositories({ meter: seedMeter });
  const seedStart = performance.now();
  const seeded = await seedTenant(repos, options);
  const seedSeconds = (performance.now() - seedStart) / 1000;

  const db = createDocumentClient({ endpoint: stack.endpoint, region: LOCAL_REGION });
  let rcuFloor = 0;
  for (const type of seeded.types) {
    rcuFloor += eventuallyConsistentQueryUnits(await partitionItems(db, stack.tables.snapshotItems, snapshotItemKeys.summaryPartition(seeded.snapshotId, type)));
    rcuFloor += eventuallyConsistentQueryUnits(await partitionItems(db, stack.tables.inventory, inventoryKeys.summaryPartition(seeded.tenantId, type)));
  }

  const meter = new CapacityMeter();
  useProcessCapacityMeter(meter);
  counter.count = 0;
  counter.gbSeconds = 0;
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const sampler = setInterval(sample, 20);
  const started = performance.now();
  try {
    const start = await startCompare(
      { runs: repos.runs, profiles: repos.profiles, starter: stack.starter, now: () => new Date() },
      { tenantId: seeded.tenantId, profileId: seeded.profileId, initiator: 'bench' },
    );
    if (!start.started) throw new Error(`a compare is already active for the benchmark tenant (${start.activeRunId})`);
    const execution = await stack.starter.wait(start.runId);
    const seconds = (performance.now() - started) / 1000;
    sample();
    if (execution.status !== 'SUCCEEDED') throw new Error(`the compare execution ended ${execution.status}: ${JSON.stringify(execution.error)}`);
    const run = await repos.runs.get(start.runId);
    if (run === undefined) throw new Error('the compare run is gone');
    const totals = meter.totals();
    const c = run.summaryCounts;
    // What writing the run's findings costs by itself: each finding item's write units in the table
    // and in every index that projects it (ALL: the whole item; KEYS_ONLY: one unit).
    const findingItems = await partitionItems(db, stack.tables.findings, findingKeys.scopePartition(seeded.tenantId, scopeKeyOf(seeded.profileId)));
    const findingsWcu = findingItems.reduce((n, item) => {
      const units = Math.ceil(Object.entries(item).reduce((b, [k, v]) => b + Buffer.byteLength(k, 'utf8') + dynamoItemBytes(v), 0) / 1024);
      return n + units * (1 + FINDING_INDEXES_ALL) + FINDING_INDEXES_KEYS_ONLY;
    }, 0);
    return {
      types: seeded.types.length,
      subjects: seeded.subjects,
      driftRate: options.driftRate,
      outcome: run.outcome,
      seconds: round(seconds, 2),
      seedSeconds: round(seedSeconds, 1),
      requests: totals.requests,
      rcu: round(totals.readUnits, 1),
      rcuFloor: round(rcuFloor, 1),
      wcu: round(totals.writeUnits, 1),
      findingsWcu,
      wcuOverheadPerType: round((totals.writeUnits - findingsWcu) / seeded.types.length, 1),
      findingsWritten: (c.findings_new ?? 0) + (c.findings_seen ?? 0) + (c.findings_reopened ?? 0) + (c.findings_resolved ?? 0),
      transitions: statesEntered(execution.events).length,
      taskInvocations: counter.count,
      lambdaGbSeconds: round(counter.gbSeconds, 2),
      peakRssMb: round(peakRss / 1_048_576, 0),
      peakHeapMb: round(peakHeap / 1_048_576, 0),
      summaryCounts: { ...c },
    };
  } finally {
    clearInterval(sampler);
    useProcessCapacityMeter(undefined);
    // Out of the way of later measurements (the dispatcher compares every active profile).
    await repos.profiles.update(seeded.profileId, { status: 'archived', updatedAt: new Date().toISOString() });
  }
}
