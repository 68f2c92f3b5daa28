/**
 * The requests the policy type registry declares and this adapter executes. The registry
 * (`shared/domain/graph-collections.ts`) owns these declarations; the adapter depends only on their shape.
 */
import type { GraphCollectionSpec } from '../../domain/graph-collections.js';

export type { GraphCollectionSpec, GraphFollowUp } from '../../domain/graph-collections.js';
export type GraphApiVersion = GraphCollectionSpec['apiVersion'];
