/**
 * Which registry type a Graph object of a collection is: the registry's classification rules
 * (`matches`) applied, exactly one of them claiming the object.
 */
import { UnclassifiableGraphObjectError, UnknownGraphCollectionError } from './errors.js';
import { GRAPH_COLLECTION_KEYS } from './graph-collections.js';
import type { RegistryTypeKey } from './model.js';
import { odataTypeOf, POLICY_TYPES } from './registry.js';

const TYPES_BY_COLLECTION = new Map<string, RegistryTypeKey[]>();
for (const definition of Object.values(POLICY_TYPES)) {
  const list = TYPES_BY_COLLECTION.get(definition.collection) ?? [];
  list.push(definition.key);
  TYPES_BY_COLLECTION.set(definition.collection, list);
}

/** The registry types read from a collection (registry order); throws for an unknown collection. */
export function typesOfCollection(collectionKey: string): RegistryTypeKey[] {
  const types = TYPES_BY_COLLECTION.get(collectionKey);
  if (types === undefined) throw new UnknownGraphCollectionError([collectionKey], GRAPH_COLLECTION_KEYS);
  return [...types];
}

/**
 * The one registry type of a Graph object listed in a collection. Throws
 * `UnclassifiableGraphObjectError` when no type (or more than one) claims it, and
 * `UnknownGraphCollectionError` for a collection the registry does not read.
 */
export function classifyGraphObject(collectionKey: string, obj: Record<string, unknown>): RegistryTypeKey {
  const candidates = typesOfCollection(collectionKey);
  const matching = candidates.filter((key) => POLICY_TYPES[key].matches(obj));
  const [only] = matching;
  if (only !== undefined && matching.length === 1) return only;
  const odataType = odataTypeOf(obj);
  const described = odataType === undefined ? 'an object without @odata.type' : `an object of type ${odataType}`;
  throw new UnclassifiableGraphObjectError(
    collectionKey,
    odataType,
    matching.length === 0
      ? `${described} in ${collectionKey} matches none of its policy types (${candidates.join(', ')}): ` +
          `it is not a kind of object the product reads from this collection; move it to its own collection's folder`
      : `${described} in ${collectionKey} matches several policy types (${matching.join(', ')}): the registry's ` +
          `classification rules overlap; this is a defect of the product`,
  );
}
