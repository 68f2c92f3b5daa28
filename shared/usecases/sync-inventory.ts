/**
 * Inventory sync of one tenant from Microsoft Graph (issue 6): the tenant's `inventory_sync` run is
 * created first (one active sync per tenant), the registry types are read from Graph
 * (through the Graph inventory reader port: paging, follow-ups, retries, per-type coverage), each succeeded type is
 * normalized and redacted with the workspace's key before anything is stored, and the inventory is
 * written with removals only for types that succeeded. The run completes with
 * `context.inventory.coverage` (`{policy_types, foundation_types}`, each type `{status, item_count}` or
 * `{status, error}`) and the Graph request counts.
 *
 * When the tenant's credentials cannot be had, every requested type is recorded failed: the run says
 * honestly that nothing is covered, and nothing is removed.
 */
import { randomUUID } from 'node:crypto';
import { FOUNDATION_TYPE_KEYS, POLICY_TYPE_KEYS, type InventoryCoverage, type OperationRunOutcome, type RegistryTypeKey } from '../domain/model.js';
import { isRegistryTypeKey } from '../domain/registry.js';
import type { SecretDigester } from '../domain/secrets.js';
import type { InventoryProgress, InventoryReaderFactory, TenantInventoryReader } from './ports/graph-inventory.js';
import { normalizedType, openInventorySyncRun } from './ingest-inventory.js';
import { applyInventoryRun, type ApplyInventoryDeps, type SyncedType } from './ingest-inventory-pages.js';
import { InvalidInventoryPageError, SyncAlreadyActiveError } from './ports/errors.js';

export { SyncAlreadyActiveError };

export interface SyncInventoryDeps extends ApplyInventoryDeps {
  /** A Graph inventory reader for the tenant (its credentials resolved); may throw when they are unavailable. */
  inventoryReaderFor: InventoryReaderFactory;
  /** The workspace's secret digester. */
  digesterFor: (workspaceId: string) => Promise<SecretDigester>;
  newId?: () => string;
  /** Retry budget per collection (default: the collector's, 10 minutes). */
  typeBudgetMs?: number;
  onProgress?: (progress: InventoryProgress) => void;
}

export interface SyncInventoryRequest {
  tenantId: string;
  workspaceId: string;
  initiator: string;
  /** Registry keys to read; default every policy and foundation type. */
  types?: RegistryTypeKey[];
}

export interface SyncInventoryResult {
  runId: string;
  outcome: Exclude<OperationRunOutcome, 'pending' | 'cancelled'>;
  coverage: InventoryCoverage;
  /** Graph HTTP requests (a `$batch` POST counts once), retries, and the read's duration. */
  requests: number;
  retries: number;
  durationMs: number;
}

export const ALL_REGISTRY_TYPES: readonly RegistryTypeKey[] = [...POLICY_TYPE_KEYS, ...FOUNDATION_TYPE_KEYS];

export async function syncTenantInventory(deps: SyncInventoryDeps, req: SyncInventoryRequest): Promise<SyncInventoryResult> {
  const types = [...new Set(req.types ?? ALL_REGISTRY_TYPES)];
  const unknown = types.filter((t) => !isRegistryTypeKey(t));
  if (unknown.length > 0) throw new InvalidInventoryPageError(`unknown policy type key(s): ${unknown.slice(0, 10).join(', ')}`);
  if (types.length === 0) throw new InvalidInventoryPageError('a sync needs at least one policy type');

  const runId = (deps.newId ?? randomUUID)();
  const opened = await openInventorySyncRun(deps.runs, deps.now, {
    id: runId,
    tenantId: req.tenantId,
    workspaceId: req.workspaceId,
    initiator: req.initiator,
    context: { inventory_sync: { source: 'graph', types } },
  });
  if (!opened.opened) throw new SyncAlreadyActiveError(req.tenantId, opened.activeRunId);

  let synced: Partial<Record<RegistryTypeKey, SyncedType>> = {};
  const stats = { requests: 0, retries: 0, batched_requests: 0, duration_ms: 0 };
  let unclassified: Record<string, number> = {};
  let readInventory: TenantInventoryReader | undefined;
  try {
    readInventory = await deps.inventoryReaderFor(req.tenantId);
  } catch (err) {
    const reason = `credentials_unavailable: ${errorCode(err)}`;
    for (const type of types) synced[type] = { status: 'failed', error: reason };
  }
  if (readInventory !== undefined) {
    try {
      const collection = await readInventory({
        types,
        ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
        ...(deps.typeBudgetMs !== undefined ? { typeBudgetMs: deps.typeBudgetMs } : {}),
      });
      stats.requests = collection.requestCount;
      stats.retries = collection.retryCount;
      stats.batched_requests = collection.batchedRequestCount;
      stats.duration_ms = collection.durationMs;
      unclassified = collection.unclassified;
      const digester = await deps.digesterFor(req.workspaceId);
      synced = {};
      for (const type of types) {
        const read = collection.types[type];
        if (read.status === 'failed') {
          synced[type] = { status: 'failed', error: read.error };
          continue;
        }
        synced[type] = normalizedType(type, read.objects, digester);
      }
    } catch (err) {
      // Something other than Graph failed (no key for the workspace, a bug): the run must not stay open.
      await deps.runs.complete(runId, {
        outcome: 'failed',
        summaryCounts: { types: types.length, types_failed: types.length },
        failureSummary: [{ code: 'sync_failed', message: `The sync stopped: ${err instanceof Error ? err.name : 'error'}.`, count: 1 }],
        context: {},
        completedAt: deps.now().toISOString(),
      });
      throw err;
    }
  }

  const applied = await applyInventoryRun(deps, {
    runId,
    tenantId: req.tenantId,
    observedAt: deps.now().toISOString(),
    types: synced,
    context: { inventory_sync: { source: 'graph', types, ...stats, unclassified } },
    counts: { graph_requests: stats.requests, graph_retries: stats.retries },
  });
  return { runId, outcome: applied.outcome, coverage: applied.coverage, requests: stats.requests, retries: stats.retries, durationMs: stats.duration_ms };
}

/** A stable, safe code for an error: its snake_case `code` when it has one, else its name. */
function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[a-z][a-z0-9_]{0,63}$/.test(code)) return code;
  return err instanceof Error && /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(err.name) ? err.name : 'error';
}
