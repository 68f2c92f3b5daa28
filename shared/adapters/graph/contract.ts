/**
 * The requests the policy type registry declares and this adapter executes. The registry
 * (`shared/domain/registry.ts`) owns these declarations; the adapter depends only on their shape.
 */

export type GraphApiVersion = 'v1.0' | 'beta';

/** One Graph collection the product reads; `key` is its folder name in exported inventories. */
export interface GraphCollectionSpec {
  key: string;
  apiVersion: GraphApiVersion;
  /** e.g. '/deviceManagement/configurationPolicies' (relative to the Graph base URL + version). */
  listPath: string;
  /** Query options sent on the list request, e.g. { $expand: 'assignments' }. Always with `$`. */
  listQuery?: Record<string, string>;
  /** Objects of these `@odata.type`s are dropped from the list. */
  excludeODataTypes?: string[];
  /** Requests made per listed object to complete it; every one must succeed for the type to succeed. */
  followUps: GraphFollowUp[];
}

export type GraphFollowUp =
  /** GET a paged sub-collection and put its `value` items into object[property]. */
  | { kind: 'subcollection'; property: string; pathTemplate: string; query?: Record<string, string> }
  /** GET the object by id and use that body instead of the list entry. */
  | { kind: 'itemById'; pathTemplate: string; query?: Record<string, string> }
  /** Re-GET on the concrete collection derived from `@odata.type`. */
  | { kind: 'concreteTypeItem'; collectionRoot: string; query?: Record<string, string> };
