/**
 * Recording an inventory sync: the objects collected per type (from Graph, or pushed by a portal) are
 * normalized, redacted and hashed, written to the tenant's inventory, and an `inventory_sync` run is
 * completed whose `context.inventory.coverage` says, per type, whether it succeeded. A type that failed
 * never touches the inventory: a failed collection must never look like a deleted policy.
 */
import { randomUUID } from 'node:crypto';
import { canonicalHash } from '../domain/canonical.js';
import type { InventoryCoverage, NormalizedSubject, RegistryTypeKey } from '../domain/model.js';
import { DomainError } from '../domain/errors.js';
import type { SecretDigester } from '../domain/secrets.js';
import { buildSubject } from '../domain/subject.js';
import { filterNamesOf, type ReferenceNames } from '../domain/assignments.js';
import type { InventoryRepository, OperationRunRepository } from './ports/persistence.js';
import { applyInventoryRun, type SyncedType } from './ingest-inventory-pages.js';

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

/** One type's objects normalized; an object that cannot be normalized fails the whole type (never a partial type). */
export function normalizedType(type: RegistryTypeKey, objects: readonly Record<string, unknown>[], digester: SecretDigester, names?: ReferenceNames): SyncedType {
  try {
    return { status: 'succeeded', subjects: subjectsOf(type, objects, digester, names) };
  } catch (err) {
    return { status: 'failed', error: `normalization_failed: ${err instanceof DomainError ? err.code : 'invalid object'}` };
  }
}

/**
 * An inventory sync of objects collected in one piece (an export, a test or demo world): the run is
 * opened, every type normalized, and the result recorded by the same apply step as the Graph sync and
 * the paged upload (`applyInventoryRun`).
 */
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

  // Assignment filters named by id resolve to their names in the same tenant (this sync's filters).
  const filters = req.types.assignmentFilter;
  const names: ReferenceNames = { filters: filterNamesOf(filters?.status === 'succeeded' ? filters.objects : []) };
  const synced: Partial<Record<RegistryTypeKey, SyncedType>> = {};
  for (const [type, collected] of Object.entries(req.types) as [RegistryTypeKey, CollectedType][]) {
    synced[type] = collected.status === 'succeeded' ? normalizedType(type, collected.objects, deps.digester, names) : collected;
  }
  const { outcome, coverage, written, unchanged, removed } = await applyInventoryRun(deps, { runId, tenantId: req.tenantId, observedAt, types: synced });
  return { status: 'completed', runId, outcome, coverage, written, unchanged, removed };
}
