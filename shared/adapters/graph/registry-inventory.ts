/**
 * The collector wired to the policy type registry: what the product reads, as the registry declares it.
 * It implements the Graph inventory reader port of the sync use case.
 */
import type { RegistryTypeKey } from '../../domain/model.js';
import { classifyGraphObject, GRAPH_COLLECTIONS, isRegistryTypeKey, POLICY_TYPES } from '../../domain/registry.js';
import type { InventoryCollection, InventoryReaderFactory, InventoryReadRequest, TenantInventoryReader } from '../../usecases/ports/graph-inventory.js';
import type { GraphClient } from './client.js';
import { collectInventory } from './collector.js';

export interface CollectRegistryInventoryInput extends InventoryReadRequest {
  client: GraphClient;
}

/** Reads the requested registry types of one tenant (see `collectInventory`). */
export function collectRegistryInventory(input: CollectRegistryInventoryInput): Promise<InventoryCollection<RegistryTypeKey>> {
  return collectInventory<RegistryTypeKey>({
    ...input,
    collectionOf: (type) => (isRegistryTypeKey(type) ? GRAPH_COLLECTIONS[POLICY_TYPES[type].collection] : undefined),
    classify: classifyGraphObject,
  });
}

/** The reader port over one tenant's Graph client. */
export function registryInventoryReader(client: GraphClient): TenantInventoryReader {
  return (req) => collectRegistryInventory({ ...req, client });
}

/** The reader factory port over a Graph client factory (which resolves the tenant's credentials). */
export function registryInventoryReaders(graphClientFor: (tenantId: string) => Promise<GraphClient>): InventoryReaderFactory {
  return async (tenantId) => registryInventoryReader(await graphClientFor(tenantId));
}
