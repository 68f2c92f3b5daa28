/** The collector wired to the policy type registry: what the product reads, as the registry declares it. */
import type { RegistryTypeKey } from '../../domain/model.js';
import { classifyGraphObject, GRAPH_COLLECTIONS, isRegistryTypeKey, POLICY_TYPES } from '../../domain/registry.js';
import type { GraphClient } from './client.js';
import { collectInventory, type InventoryCollection, type InventoryProgress } from './collector.js';

export interface CollectRegistryInventoryInput {
  /** Registry keys (policy and foundation types) to read. */
  types: readonly RegistryTypeKey[];
  client: GraphClient;
  onProgress?: (progress: InventoryProgress<RegistryTypeKey>) => void;
  typeBudgetMs?: number;
}

/** Reads the requested registry types of one tenant (see `collectInventory`). */
export function collectRegistryInventory(input: CollectRegistryInventoryInput): Promise<InventoryCollection<RegistryTypeKey>> {
  return collectInventory<RegistryTypeKey>({
    ...input,
    collectionOf: (type) => (isRegistryTypeKey(type) ? GRAPH_COLLECTIONS[POLICY_TYPES[type].collection] : undefined),
    classify: classifyGraphObject,
  });
}
