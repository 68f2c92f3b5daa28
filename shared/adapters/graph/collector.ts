/**
 * Reads the inventory of one tenant from Graph, type by type, as the registry declares it: each
 * collection listed once (shared by the types that live in it), excluded `@odata.type`s dropped, each
 * object classified, then every declared follow-up run (batched) and merged into the object.
 *
 * A type is `succeeded` only when every page of its collection and every follow-up of every one of
 * its objects succeeded; otherwise it is `failed`, carries a short error and no objects, so a caller
 * can never take a partial read for deletions.
 */
import type { RetryBudget } from './backoff.js';
import type { BatchGetRequest } from './batch.js';
import type { InventoryCollection, InventoryProgress, TypeInventory } from '../../usecases/ports/graph-inventory.js';
import type { GraphClient, GraphObject } from './client.js';
import type { GraphCollectionSpec, GraphFollowUp } from './contract.js';
import { GraphProtocolError, shortGraphError } from './errors.js';
import { buildQuery, concreteCollectionName, fillTemplate } from './paths.js';

export type { InventoryCollection, InventoryProgress, TypeInventory };

export interface CollectInventoryInput<T extends string> {
  /** Registry keys to read. */
  types: readonly T[];
  client: GraphClient;
  /** The collection a type lives in (registry: `GRAPH_COLLECTIONS[POLICY_TYPES[type].collection]`). */
  collectionOf: (type: T) => GraphCollectionSpec | undefined;
  /**
   * Which registry type a listed object is (registry: `classifyGraphObject`). An error named
   * `UnclassifiableGraphObjectError` means no type: the object is skipped and counted as unclassified.
   */
  classify: (collectionKey: string, obj: GraphObject) => string;
  /** Called after each type is settled (for a progress line). */
  onProgress?: (progress: InventoryProgress<T>) => void;
  /** Time budget for retries per collection and its types (listing and follow-ups). Default 10 min. */
  typeBudgetMs?: number;
}

export async function collectInventory<T extends string>(input: CollectInventoryInput<T>): Promise<InventoryCollection<T>> {
  const { client } = input;
  const started = client.clock();
  const before = client.stats();
  const total = input.types.length;
  const results = {} as Record<T, TypeInventory>;
  const unclassified: Record<string, number> = {};
  let done = 0;

  const settle = (type: T, result: TypeInventory): void => {
    results[type] = result;
    done += 1;
    try {
      input.onProgress?.({ type, status: result.status, done, total });
    } catch {
      // Progress is advisory: a failing display must not fail the read.
    }
  };

  // Group the requested types by collection, so each collection is listed once.
  const groups = new Map<string, { spec: GraphCollectionSpec; types: T[] }>();
  for (const type of new Set(input.types)) {
    const spec = input.collectionOf(type);
    if (spec === undefined) {
      settle(type, { status: 'failed', collectionKey: null, error: 'no Graph collection declared' });
      continue;
    }
    const group = groups.get(spec.key) ?? { spec, types: [] };
    group.types.push(type);
    groups.set(spec.key, group);
  }

  await Promise.all(
    [...groups.values()].map(async ({ spec, types }) => {
      const budget = client.newBudget(input.typeBudgetMs ?? 10 * 60_000);
      let listed: GraphObject[];
      try {
        listed = await client.getAllPages(spec.listPath, spec.listQuery, { apiVersion: spec.apiVersion, budget });
      } catch (error) {
        for (const type of types) settle(type, { status: 'failed', collectionKey: spec.key, error: shortGraphError(error) });
        return;
      }

      const byType = new Map<string, GraphObject[]>(types.map((type) => [type, []]));
      const excluded = new Set((spec.excludeODataTypes ?? []).map(odataTypeName));
      const seenIds = new Set<string>();
      let classificationError: unknown;
      for (const obj of listed) {
        if (excluded.has(odataTypeName(obj['@odata.type']))) continue;
        // Paging over a collection that changes can repeat an object: keep its first occurrence.
        if (typeof obj.id === 'string') {
          if (seenIds.has(obj.id)) continue;
          seenIds.add(obj.id);
        }
        let type: string;
        try {
          type = input.classify(spec.key, obj);
        } catch (error) {
          if (error instanceof Error && error.name === 'UnclassifiableGraphObjectError') {
            unclassified[spec.key] = (unclassified[spec.key] ?? 0) + 1;
            continue;
          }
          classificationError = error;
          break;
        }
        byType.get(type)?.push(obj);
      }
      if (classificationError !== undefined) {
        for (const type of types) {
          settle(type, { status: 'failed', collectionKey: spec.key, error: `classification failed: ${shortGraphError(classificationError)}` });
        }
        return;
      }

      await Promise.all(
        types.map(async (type) => {
          try {
            const objects = await completeObjects(client, spec, byType.get(type) ?? [], budget);
            settle(type, { status: 'succeeded', collectionKey: spec.key, item_count: objects.length, objects });
          } catch (error) {
            settle(type, { status: 'failed', collectionKey: spec.key, error: shortGraphError(error) });
          }
        }),
      );
    }),
  );

  const after = client.stats();
  return {
    types: results,
    requestCount: after.requests - before.requests,
    batchedRequestCount: after.batchedRequests - before.batchedRequests,
    retryCount: after.retries - before.retries,
    durationMs: client.clock() - started,
    unclassified,
  };
}

/** The coverage of each type (`context.inventory.coverage` entries): the result without objects. */
export function coverageOf<T extends string>(
  collection: InventoryCollection<T>,
): Record<T, { status: 'succeeded' | 'failed'; item_count?: number; error?: string }> {
  const coverage = {} as Record<T, { status: 'succeeded' | 'failed'; item_count?: number; error?: string }>;
  for (const [type, result] of Object.entries(collection.types) as [T, TypeInventory][]) {
    coverage[type] =
      result.status === 'succeeded'
        ? { status: 'succeeded', item_count: result.item_count }
        : { status: 'failed', error: result.error };
  }
  return coverage;
}

/** Runs every follow-up of every object (batched; the first failure fails the whole type). */
async function completeObjects(
  client: GraphClient,
  spec: GraphCollectionSpec,
  objects: GraphObject[],
  budget: RetryBudget,
): Promise<GraphObject[]> {
  if (spec.followUps.length === 0 || objects.length === 0) return objects;
  const requests: BatchGetRequest[] = [];
  objects.forEach((obj, i) => {
    spec.followUps.forEach((followUp, j) => {
      requests.push({ id: `${i}.${j}`, ...followUpRequest(followUp, obj) });
    });
  });
  const results = await client.batchGet(requests, { apiVersion: spec.apiVersion, budget, failFast: true });
  for (const result of results.values()) {
    if (!result.ok) throw result.error;
  }

  return objects.map((listEntry, i) => {
    const bodyOf = (j: number): Record<string, unknown> => {
      const result = results.get(`${i}.${j}`);
      if (result === undefined || !result.ok) throw new GraphProtocolError('follow-up without a result');
      return result.body;
    };
    // Whole-object replacements first (single GET), then sub-collections merged into the result.
    let complete: GraphObject = listEntry;
    spec.followUps.forEach((followUp, j) => {
      if (followUp.kind === 'subcollection') return;
      const { '@odata.context': _context, ...body } = bodyOf(j);
      complete = body['@odata.type'] === undefined && listEntry['@odata.type'] !== undefined
        ? { '@odata.type': listEntry['@odata.type'], ...body }
        : body;
    });
    complete = { ...complete };
    spec.followUps.forEach((followUp, j) => {
      if (followUp.kind !== 'subcollection') return;
      complete[followUp.property] = bodyOf(j).value;
    });
    return complete;
  });
}

function followUpRequest(followUp: GraphFollowUp, obj: GraphObject): Omit<BatchGetRequest, 'id'> {
  const id = obj.id;
  if (typeof id !== 'string' || id === '') throw new GraphProtocolError('listed object without an id');
  switch (followUp.kind) {
    case 'subcollection':
      return { url: fillTemplate(followUp.pathTemplate, id) + buildQuery(followUp.query), paged: true };
    case 'itemById':
      return { url: fillTemplate(followUp.pathTemplate, id) + buildQuery(followUp.query) };
    case 'concreteTypeItem': {
      const odataType = obj['@odata.type'];
      if (typeof odataType !== 'string') throw new GraphProtocolError('listed object without @odata.type');
      const root = followUp.collectionRoot.replace(/\/+$/, '');
      return { url: `${root}/${concreteCollectionName(odataType)}/${encodeURIComponent(id)}${buildQuery(followUp.query)}` };
    }
  }
}

/** `#microsoft.graph.X` and `microsoft.graph.X` name the same type; compared case-insensitively. */
function odataTypeName(value: unknown): string {
  return typeof value === 'string' ? value.replace(/^#/, '').toLowerCase() : '';
}
