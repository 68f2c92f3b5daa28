/**
 * Recording an inventory sync: the objects collected per type (from Graph, or pushed by a portal) are
 * normalized, redacted and hashed, written to the tenant's inventory, and an `inventory_sync` run is
 * completed whose `context.inventory.coverage` says, per type, whether it succeeded. A type that failed
 * never touches the inventory: a failed collection must never look like a deleted policy.
 */
import { randomUUID } from 'node:crypto';
import { canonicalHash } from '../domain/canonical.js';
import type { InventoryCoverage, NormalizedSubject, RegistryTypeKey, TypeCoverage } from '../domain/model.js';
import { isFoundationType } from '../domain/registry.js';
import type { SecretDigester } from '../domain/secrets.js';
import { buildSubject } from '../domain/subject.js';
import { filterNamesOf, type ReferenceNames } from '../domain/assignments.js';
import type { InventoryRepository, OperationRunRepository } from './ports/persistence.js';

export type CollectedType =
  | { status: 'succeeded'; objects: Record<string, unknown>[] }
  | { status: 'failed'; error: string };

export interface IngestDeps {
  runs: OperationRunRepository;
  inventory: InventoryRepository;
  digester: SecretDigester;
  now: () => Date;
  newId?: () => string;
}

export type IngestResult =
  | { status: 'completed'; runId: string; outcome: 'succeeded' | 'partially_succeeded' | 'failed'; coverage: InventoryCoverage; written: number; unchanged: number; removed: number }
  | { status: 'already_running'; activeRunId: string };

export function syncIdentityHash(tenantId: string): string {
  return canonicalHash(['inventory_sync', tenantId]);
}

export type OpenSyncRunResult = { opened: true; startedAt: string } | { opened: false; activeRunId: string };

/**
 * Creates an `inventory_sync` run queued, holding the tenant's sync lock (at most one active sync per
 * tenant), and moves it to running. Shared by every way inventory arrives (export, pages, Graph).
 */
export async function openInventorySyncRun(
  runs: OperationRunRepository,
  now: () => Date,
  run: { id: string; tenantId: string; workspaceId?: string; initiator: string; context?: Record<string, unknown> },
): Promise<OpenSyncRunResult> {
  const created = await runs.createQueued({
    id: run.id,
    tenantId: run.tenantId,
    ...(run.workspaceId ? { workspaceId: run.workspaceId } : {}),
    type: 'inventory_sync',
    identityHash: syncIdentityHash(run.tenantId),
    initiator: run.initiator,
    createdAt: now().toISOString(),
    ...(run.context ? { context: run.context } : {}),
  });
  if (!created.created) return { opened: false, activeRunId: created.activeRunId };
  const startedAt = now().toISOString();
  await runs.markRunning(run.id, startedAt);
  return { opened: true, startedAt };
}

/** Normalizes one type's objects; an object that cannot be normalized fails the whole type. */
export function subjectsOf(
  type: RegistryTypeKey,
  objects: readonly Record<string, unknown>[],
  digester: SecretDigester,
  names?: ReferenceNames,
): NormalizedSubject[] {
  return objects.map((obj) => {
    const s = buildSubject(type, obj, digester, names);
    if (s.externalId === undefined) s.externalId = `${type}:${s.subjectKey}`;
    return s;
  });
}

export async function ingestInventory(
  deps: IngestDeps,
  req: { tenantId: string; workspaceId?: string; initiator: string; types: Partial<Record<RegistryTypeKey, CollectedType>>; runId?: string },
): Promise<IngestResult> {
  const runId = req.runId ?? (deps.newId ?? randomUUID)();
  const opened = await openInventorySyncRun(deps.runs, deps.now, {
    id: runId,
    tenantId: req.tenantId,
    ...(req.workspaceId ? { workspaceId: req.workspaceId } : {}),
    initiator: req.initiator,
  });
  if (!opened.opened) return { status: 'already_running', activeRunId: opened.activeRunId };
  const observedAt = opened.startedAt;

  const coverage: InventoryCoverage = { policy_types: {}, foundation_types: {} };
  let written = 0;
  let unchanged = 0;
  let removed = 0;
  // Assignment filters named by id resolve to their names in the same tenant (this sync's filters).
  const filters = req.types.assignmentFilter;
  const names: ReferenceNames = { filters: filterNamesOf(filters?.status === 'succeeded' ? filters.objects : []) };
  for (const [type, collected] of Object.entries(req.types) as [RegistryTypeKey, CollectedType][]) {
    const section = isFoundationType(type) ? coverage.foundation_types : coverage.policy_types;
    let entry: TypeCoverage;
    if (collected.status === 'succeeded') {
      try {
        const subjects = subjectsOf(type, collected.objects, deps.digester, names);
        const put = await deps.inventory.putTypeInventory(req.tenantId, type, subjects, { runId, observedAt }, { removeMissing: true });
        written += put.written;
        unchanged += put.unchanged;
        removed += put.removed;
        entry = { status: 'succeeded', item_count: subjects.length, items_from_run: put.stampedByRun };
      } catch (err) {
        entry = { status: 'failed', error: `ingest_failed: ${(err instanceof Error ? err.message : String(err)).slice(0, 300)}` };
      }
    } else {
      entry = { status: 'failed', error: collected.error.slice(0, 300) };
    }
    section[type] = entry;
  }
  const entries = [...Object.values(coverage.policy_types), ...Object.values(coverage.foundation_types)];
  const failed = entries.filter((e) => e?.status !== 'succeeded').length;
  const outcome = failed === 0 ? 'succeeded' : failed === entries.length ? 'failed' : 'partially_succeeded';
  await deps.runs.complete(runId, {
    outcome,
    summaryCounts: { types: entries.length, types_failed: failed, items_written: written, items_unchanged: unchanged, items_removed: removed },
    failureSummary: failed > 0 ? [{ code: 'type_failed', message: 'Some policy types could not be collected; they were left untouched.', count: failed }] : [],
    context: { inventory: { coverage } },
    completedAt: deps.now().toISOString(),
  });
  return { status: 'completed', runId, outcome, coverage, written, unchanged, removed };
}
