/**
 * The collector wired to the policy type registry: what the product reads, as the registry declares it.
 * It implements the Graph inventory reader port of the sync use case.
 */
import type { RegistryTypeKey } from '../../domain/model.js';
import { isRegistryTypeKey, POLICY_TYPES } from '../../domain/registry.js';
import { GRAPH_COLLECTIONS } from '../../domain/graph-collections.js';
import { classifyGraphObject } from '../../domain/classification.js';
import type { InventoryCollection, InventoryReaderFactory, InventoryReadRequest, TenantInventoryReader } from '../../usecases/ports/graph-inventory.js';
import { assignmentGroupIds, filterNamesOf, withReferenceNames } from '../../domain/assignments.js';
import type { GraphClient } from './client.js';
import { collectInventory } from './collector.js';
import { resolveGroupNames } from './group-names.js';
import { policyGroupIds, withPolicyGroupNames } from '../../domain/policy-groups.js';

export interface CollectRegistryInventoryInput extends InventoryReadRequest {
  client: GraphClient;
}

/**
 * Reads the requested registry types of one tenant (see `collectInventory`), then writes beside each
 * assignment the names of its group (resolved through Graph, batched) and of its filter (from the
 * tenant's assignment filters when they were read), and beside a policy that names groups inside
 * itself (conditional access `includeGroups` / `excludeGroups`) their names as `groupDisplayNames`,
 * so the objects are self-contained: a baseline captured from them, or an export written from them,
 * compares groups by name in any tenant.
 */
export async function collectRegistryInventory(input: CollectRegistryInventoryInput): Promise<InventoryCollection<RegistryTypeKey>> {
  const collection = await collectInventory<RegistryTypeKey>({
    ...input,
    collectionOf: (type) => (isRegistryTypeKey(type) ? GRAPH_COLLECTIONS[POLICY_TYPES[type].collection] : undefined),
    classify: classifyGraphObject,
  });
  const succeeded = Object.values(collection.types).filter((t) => t.status === 'succeeded');
  const groupIds = succeeded.flatMap((t) => t.objects.flatMap((obj) => [...assignmentGroupIds(obj), ...policyGroupIds(obj)]));
  if (groupIds.length === 0 && collection.types.assignmentFilter?.status !== 'succeeded') return collection;
  const before = input.client.stats();
  const groups = await resolveGroupNames(input.client, groupIds);
  const after = input.client.stats();
  const filterRead = collection.types.assignmentFilter;
  const names = { groups, filters: filterNamesOf(filterRead?.status === 'succeeded' ? filterRead.objects : []) };
  for (const t of succeeded) t.objects = t.objects.map((obj) => withPolicyGroupNames(withReferenceNames(obj, names), groups));
  return {
    ...collection,
    requestCount: collection.requestCount + (after.requests - before.requests),
    batchedRequestCount: collection.batchedRequestCount + (after.batchedRequests - before.batchedRequests),
    retryCount: collection.retryCount + (after.retries - before.retries),
  };
}

/** The reader port over one tenant's Graph client. */
export function registryInventoryReader(client: GraphClient): TenantInventoryReader {
  return (req) => collectRegistryInventory({ ...req, client });
}

/** The reader factory port over a Graph client factory (which resolves the tenant's credentials). */
export function registryInventoryReaders(graphClientFor: (tenantId: string) => Promise<GraphClient>): InventoryReaderFactory {
  return async (tenantId) => registryInventoryReader(await graphClientFor(tenantId));
}
