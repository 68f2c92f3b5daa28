/**
 * The Graph inventory reader port: what an inventory sync needs from Microsoft Graph. The collector in
 * `shared/adapters/graph/` implements it (paging, follow-ups, batching, retries, per-type coverage);
 * a use case never talks to Graph itself.
 */
import type { RegistryTypeKey } from '../../domain/model.js';

/** One Graph object as Graph returned it (sub-collections merged in). */
export type GraphObject = Record<string, unknown>;

export type TypeInventory =
  | {
      status: 'succeeded';
      collectionKey: string;
      item_count: number;
      /** Complete Graph objects, as `$expand` would return them (sub-collections merged in). */
      objects: GraphObject[];
    }
  | {
      status: 'failed';
      collectionKey: string | null;
      /** Short and safe, e.g. `403 Authorization_RequestDenied`: HTTP status and Graph error code. */
      error: string;
    };

export interface InventoryProgress<T extends string = RegistryTypeKey> {
  type: T;
  status: TypeInventory['status'];
  done: number;
  total: number;
}

export interface InventoryCollection<T extends string = RegistryTypeKey> {
  /** One entry per requested type. */
  types: Record<T, TypeInventory>;
  /** Graph HTTP requests sent by this collection (`$batch` POSTs count once). */
  requestCount: number;
  /** Requests carried inside `$batch` POSTs. */
  batchedRequestCount: number;
  /** Requests or batch items sent again after a transient failure or a refused token. */
  retryCount: number;
  durationMs: number;
  /** Per collection key: listed objects that no registry type claims (skipped). */
  unclassified: Record<string, number>;
}

export interface InventoryReadRequest {
  /** Registry keys (policy and foundation types) to read. */
  types: readonly RegistryTypeKey[];
  /** Called after each type is settled (for a progress line). */
  onProgress?: (progress: InventoryProgress) => void;
  /** Time budget for retries per collection and its types. Default: the reader's (10 min). */
  typeBudgetMs?: number;
}

/** Reads the requested registry types of one tenant. */
export type TenantInventoryReader = (req: InventoryReadRequest) => Promise<InventoryCollection>;

/** A reader for the tenant (its credentials resolved); rejects when they are unavailable. */
export type InventoryReaderFactory = (tenantId: string) => Promise<TenantInventoryReader>;
