/**
 * The requests the policy type registry declares and this adapter executes. The registry
 * (`shared/domain/registry.ts`) owns these declarations; the adapter depends only on their shape.
 */
import type { GraphCollectionSpec } from '../../domain/registry.js';

export type { GraphCollectionSpec, GraphFollowUp } from '../../domain/registry.js';
export type GraphApiVersion = GraphCollectionSpec['apiVersion'];
