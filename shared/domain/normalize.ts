/**
 * The per-type normalizer (docs/normalization.md): turns a Graph object into
 * - `meta`: the meta contract (`META_CONTRACT`), taken from the object as Graph returned it, and
 * - `content`: its canonical, redacted configuration (undefined when the registry says the object
 *   lacks what its full content needs).
 *
 * Rules, applied at every depth of the content:
 * 1. Noise removed: the closed list `NOISE_KEYS`, every key starting with or containing `@odata.`,
 *    every key starting with `#microsoft.graph.`, every property whose value is `null`.
 * 2. Tenant-scoped references: GUID values in `TENANT_REFERENCE_KEYS` (and the type's
 *    `tenantRefKeys`) become `tenant-ref`; other values (`All`, `None`, ...) stay. The type's
 *    `opaqueTenantRefKeys` (e.g. `secretReferenceValueId`) become `tenant-ref` whatever they hold.
 *    Groups named inside a policy (`GROUP_REFERENCE_KEYS`: `includeGroups`, `excludeGroups`) become
 *    their display name when it is known (the object's `groupDisplayNames`, or names given by the
 *    caller), else `tenant-ref`; their ids are compared as mapped references (`policy-groups.ts`).
 * 3. Order-insensitive arrays sorted: keyed arrays by their key (ties by canonical JSON), the
 *    include/exclude lists and what the registry declares by canonical JSON. String order is by UTF-16
 *    code units, never locale-dependent.
 * 4. Secrets (the type's `secretPaths`) replaced by `hmac-sha256:<hex>`, a keyed digest.
 * Top-level `assignments` are not content: they are the subject's assignments dimension, normalized
 * and hashed apart (`assignments.ts`).
 * The name field (`displayName`, or `name` for settings catalog style types) is the subject's identity,
 * not its content: it is removed from the top level of the content, and so is the other of the two
 * when an export carries both and they name the same thing (equal after NFKC, case and space folding);
 * a second name that says something else is configuration.
 *
 * The four rules run in one pass over the tree. Each only reads what the rules before it leave:
 * noise is never a tenant reference, a sort key or a secret; references are replaced before the list
 * holding them is sorted (so the order never depends on raw ids); a secret's value is normalized, then
 * digested; and sorting compares elements whose secrets are already redacted, so the order of an array
 * never depends on a secret. The result is the same as applying the rules one after the other.
 * Normalizing normalized content changes nothing: a value that already is a digest is kept as it is
 * (a plain value written exactly like a digest, `hmac-sha256:` + 64 hex digits, is taken for one).
 *
 * Secret conditions (`SecretRule.when`) are read on the object as Graph returned it, before its
 * `@odata.type` is removed as noise.
 *
 * Input is JSON data (as parsed from Graph); a `__proto__` property is kept as a plain property.
 * Every object of the content is built with its keys in canonical (sorted) order, so
 * `canonicalJson(content)` takes its fast path.
 */
import type { RegistryTypeKey } from './model.js';
import { ALWAYS_UNORDERED_ARRAYS, GROUP_NAMES_PROPERTY, GROUP_REFERENCE_KEYS, META_CONTRACT, TENANT_REFERENCE_KEYS, TENANT_REF_TOKEN, policyTypeDefinition, type MetaField, type PolicyTypeDefinition, type SecretRule } from './registry.js';
import { canonicalJson } from './canonical.js';
import { toGraphShape } from './export-shapes.js';
import { isSecretDigest, type SecretDigester } from './secrets.js';

/** Volatile keys removed at every depth (docs/normalization.md, "Noise"). This list is closed: anything else is configuration. */
export const NOISE_KEYS: ReadonlySet<string> = new Set([
  'id',
  'createdDateTime',
  'lastModifiedDateTime',
  'modifiedDateTime',
  'version',
  'deletedDateTime',
  'settingCount',
  'deployedAppCount',
  'isAssigned',
  'supportsScopeTags',
  'roleScopeTagIds',
  'priorityMetaData',
  'creationSource',
]);

/** True for a key that is noise wherever it occurs (docs/normalization.md, "Noise"). */
export function isNoiseKey(key: string): boolean {
  return NOISE_KEYS.has(key) || key.includes('@odata.') || key.startsWith('#microsoft.graph.');
}

const KEEP = 0;
const NOISE = 1;
/** Kept, and an array index ("0", "42"): JavaScript lists such keys first, whatever the insertion order. */
const KEEP_INDEX_KEY = 2;

/** What a property name is for one type: noise, plain configuration, or special (a secret or a
 *  tenant-scoped reference). */
type KeyInfo = typeof KEEP | typeof NOISE | typeof KEEP_INDEX_KEY | SpecialKey;

/** Bound of each type's cache of key verdicts (Graph reuses a bounded set of property names). */
const MAX_KEY_VERDICTS = 20_000;

function keyInfo(rules: CompiledRules, key: string): KeyInfo {
  let info = rules.keyInfos.get(key);
  if (info === undefined) {
    info = isNoiseKey(key) ? NOISE : (rules.special.get(key) ?? (isArrayIndexKey(key) ? KEEP_INDEX_KEY : KEEP));
    if (rules.keyInfos.size < MAX_KEY_VERDICTS) rules.keyInfos.set(key, info);
  }
  return info;
}

/** Integer-like keys (all of them, not only those below 2^32 - 1: taking the slow path is harmless). */
function isArrayIndexKey(key: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(key);
}

/**
 * Set during one normalization when the output holds something `JSON.stringify` would not write in
 * canonical form (array-index keys, non-JSON leaves): then the canonical serializer is used instead.
 * Normalization is synchronous, so one module-level flag is enough.
 */
let needsCanonicalSerializer = false;

function checkLeaf(value: unknown): void {
  const kind = typeof value;
  if (kind === 'string' || kind === 'boolean') return;
  if (kind === 'number' && Number.isFinite(value)) return;
  needsCanonicalSerializer = true;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && value.length === 36 && GUID.test(value);
}

export type Meta = Record<MetaField, string | null>;

export interface NormalizedGraphObject {
  meta: Meta;
  /** Undefined when the object lacks what its full content needs (the registry's `contentComplete`). */
  content: Record<string, unknown> | undefined;
}

/** What a key is besides configuration: a secret (under conditions), a tenant-scoped reference. */
interface SpecialKey {
  secrets?: readonly SecretRule[];
  tenantRef?: 'guid' | 'opaque' | 'group';
}

interface CompiledRules {
  special: ReadonlyMap<string, SpecialKey>;
  /** Cache of `keyInfo` verdicts. */
  keyInfos: Map<string, KeyInfo>;
  /** array property -> key paths (segments), tried in order */
  keyedArrays: ReadonlyMap<string, readonly (readonly string[])[]>;
  unorderedArrays: ReadonlySet<string>;
}

const compiled = new Map<RegistryTypeKey, CompiledRules>();

function rulesOf(definition: PolicyTypeDefinition): CompiledRules {
  const cached = compiled.get(definition.key);
  if (cached) return cached;
  const special = new Map<string, { secrets?: SecretRule[]; tenantRef?: SpecialKey['tenantRef'] }>();
  const entry = (key: string): { secrets?: SecretRule[]; tenantRef?: SpecialKey['tenantRef'] } => {
    let found = special.get(key);
    if (found === undefined) special.set(key, (found = {}));
    return found;
  };
  for (const rule of definition.secretPaths) (entry(rule.key).secrets ??= []).push(rule);
  for (const key of [...TENANT_REFERENCE_KEYS, ...definition.tenantRefKeys]) entry(key).tenantRef = 'guid';
  for (const key of definition.opaqueTenantRefKeys) entry(key).tenantRef = 'opaque';
  for (const key of GROUP_REFERENCE_KEYS) entry(key).tenantRef = 'group';
  const rules: CompiledRules = {
    special,
    keyInfos: new Map(),
    keyedArrays: new Map(
      Object.entries(definition.keyedArrays).map(([name, paths]) => [name, (typeof paths === 'string' ? [paths] : paths).map((p) => p.split('.'))]),
    ),
    unorderedArrays: new Set([...ALWAYS_UNORDERED_ARRAYS, ...definition.unorderedArrays]),
  };
  compiled.set(definition.key, rules);
  return rules;
}

/**
 * Normalizes one Graph object of a registry type: meta always, content when complete.
 * Throws `UnknownPolicyTypeError` for a key that is not in the registry.
 */
export function normalizeGraphObject(
  typeKey: RegistryTypeKey,
  obj: Record<string, unknown>,
  digester: SecretDigester,
  groupNames?: ReadonlyMap<string, string>,
): NormalizedGraphObject {
  const definition = policyTypeDefinition(typeKey);
  const graphShaped = toGraphShape(typeKey, obj);
  const meta = metaOf(definition, graphShaped);
  if (!definition.contentComplete(graphShaped)) return { meta, content: undefined };
  return { meta, content: normalizeContent(definition, graphShaped, digester, groupNames) };
}

/**
 * The names of the groups an object names by id: its own `groupDisplayNames` (what a sync wrote
 * beside it) over `extra` (names the caller resolved). Ids are compared in lower case.
 */
export function groupNamesOf(obj: Record<string, unknown>, extra?: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, name] of extra ?? []) out.set(id.toLowerCase(), name);
  const own = obj[GROUP_NAMES_PROPERTY];
  if (own !== null && typeof own === 'object' && !Array.isArray(own)) {
    for (const [id, name] of Object.entries(own as Record<string, unknown>)) {
      if (typeof name === 'string' && name.trim() !== '') out.set(id.toLowerCase(), name);
    }
  }
  return out;
}

/**
 * A fragment of an object of `typeKey` normalized by the type's own rules (noise, secrets, tenant
 * references, ordering): what an assignment's other properties become (`assignments.ts`).
 */
export function normalizeFragment(typeKey: RegistryTypeKey, obj: Record<string, unknown>, digester: SecretDigester): Record<string, unknown> {
  return normalizeObject(obj, rulesOf(policyTypeDefinition(typeKey)), digester);
}

/** A normalization with the canonical JSON of its meta and content (what the hashes cover). */
export interface SerializedGraphObject extends NormalizedGraphObject {
  metaJson: string;
  contentJson: string | undefined;
  /**
   * For types whose content can be incomplete (the registry's `contentParts`): the comparable
   * remainder, i.e. the normalized top-level configuration without the content parts and without
   * `assignments` (their own dimension), and its canonical JSON. It is what a side lacking its
   * content can still be compared on (design 3.6).
   */
  surface?: Record<string, unknown>;
  surfaceJson?: string;
  /** True when the content names groups by id (`GROUP_REFERENCE_KEYS`): see `policy-groups.ts`. */
  namesGroups?: true;
}

/** The properties a comparable remainder leaves out besides the type's content parts. */
const NOT_IN_SURFACE = ['assignments'];

/** The comparable remainder of normalized content (see `SerializedGraphObject.surface`). */
export function surfaceOf(definition: PolicyTypeDefinition, content: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(content)) {
    if (definition.contentParts.includes(key) || NOT_IN_SURFACE.includes(key)) continue;
    out[key] = content[key];
  }
  return out;
}

/**
 * `normalizeGraphObject` plus the canonical JSON of meta and content, computed in the cheapest sound
 * way: the normalizer builds every object with its keys in sorted order, so the native
 * `JSON.stringify` already writes the canonical form unless the content holds array-index keys or
 * non-JSON values (then `canonicalJson` writes, or rejects, it).
 */
export function normalizeAndSerialize(
  typeKey: RegistryTypeKey,
  obj: Record<string, unknown>,
  digester: SecretDigester,
  groupNames?: ReadonlyMap<string, string>,
): SerializedGraphObject {
  const definition = policyTypeDefinition(typeKey);
  const graphShaped = toGraphShape(typeKey, obj);
  const meta = metaOf(definition, graphShaped);
  const metaJson = JSON.stringify(meta);
  const complete = definition.contentComplete(graphShaped);
  if (!complete && definition.contentParts.length === 0) return { meta, content: undefined, metaJson, contentJson: undefined };
  needsCanonicalSerializer = false;
  namedGroups = false;
  const normalized = normalizeContent(definition, graphShaped, digester, groupNames);
  const groups = namedGroups ? { namesGroups: true as const } : {};
  const surface = definition.contentParts.length > 0 ? surfaceOf(definition, normalized) : undefined;
  const surfaceJson = surface === undefined ? undefined : needsCanonicalSerializer ? canonicalJson(surface) : JSON.stringify(surface);
  if (!complete) return { meta, content: undefined, metaJson, contentJson: undefined, surface, surfaceJson, ...groups };
  const contentJson = needsCanonicalSerializer ? canonicalJson(normalized) : JSON.stringify(normalized);
  return { meta, content: normalized, metaJson, contentJson, surface, surfaceJson, ...groups };
}

/** The meta contract of an object (values as Graph returned them, before noise removal). */
export function metaOf(definition: PolicyTypeDefinition, obj: Record<string, unknown>): Meta {
  const reference = obj['templateReference'];
  const family =
    reference !== null && typeof reference === 'object'
      ? (reference as Record<string, unknown>)['templateFamily']
      : undefined;
  const values: Meta = {
    policy_type: definition.key,
    odata_type: stringOr(obj['@odata.type'], definition.metaDefaults.odata_type),
    platforms: stringOr(obj['platforms'], stringOr(obj['platform'], undefined) ?? undefined),
    technologies: stringOr(obj['technologies'], undefined),
    template_family: stringOr(family, definition.metaDefaults.template_family),
    template_id: stringOr(obj['templateId'], undefined),
  };
  // Built with sorted keys (META_CONTRACT lists them in reading order) for the fast path.
  const meta = {} as Meta;
  for (const field of SORTED_META_FIELDS) meta[field] = values[field];
  return meta;
}

const SORTED_META_FIELDS: readonly MetaField[] = [...META_CONTRACT].sort();

function stringOr(value: unknown, fallback: string | undefined): string | null {
  if (typeof value === 'string' && value !== '') return value;
  return fallback ?? null;
}

/** The names an object carries for its identity; both are identity, not content, when equal. */
const NAME_FIELDS = ['displayName', 'name'] as const;

function normalizeContent(
  definition: PolicyTypeDefinition,
  obj: Record<string, unknown>,
  digester: SecretDigester,
  groupNames?: ReadonlyMap<string, string>,
): Record<string, unknown> {
  const rules = rulesOf(definition);
  const nameValue = obj[definition.nameField];
  // `assignments` are a dimension of their own (design 3.5, `assignments.ts`): not settings content;
  // the group names a sync wrote beside the policy are what its group ids are called, not configuration.
  const identityKeys = new Set<string>([definition.nameField, 'assignments', GROUP_NAMES_PROPERTY]);
  for (const other of NAME_FIELDS) {
    if (other === definition.nameField) continue;
    const otherValue = obj[other];
    // The other field is identity too when it is an alias of the name (equal after NFKC, case and
    // space folding); otherwise it says something else and is configuration.
    if (typeof nameValue === 'string' && typeof otherValue === 'string' && sameName(nameValue, otherValue)) {
      identityKeys.add(other);
    }
  }
  const names = obj[GROUP_NAMES_PROPERTY] !== undefined || (groupNames !== undefined && groupNames.size > 0) ? groupNamesOf(obj, groupNames) : undefined;
  currentGroupNames = names;
  try {
    return normalizeObject(obj, rules, digester, identityKeys);
  } finally {
    currentGroupNames = undefined;
  }
}

function sameName(a: string, b: string): boolean {
  if (a === b) return true;
  const fold = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
  return fold(a) === fold(b);
}

function normalizeObject(
  obj: Record<string, unknown>,
  rules: CompiledRules,
  digester: SecretDigester,
  skipKeys?: ReadonlySet<string>,
): Record<string, unknown> {
  // Drop noise before sorting: Graph objects carry about as many annotations as properties.
  const all = Object.keys(obj);
  const keys: string[] = [];
  let specials: Map<string, SpecialKey> | undefined;
  for (let i = 0; i < all.length; i++) {
    const key = all[i]!;
    const value = obj[key];
    if (value === null || value === undefined) continue;
    const info = keyInfo(rules, key);
    if (info === NOISE) continue;
    if (skipKeys !== undefined && skipKeys.has(key)) continue;
    if (info === KEEP_INDEX_KEY) needsCanonicalSerializer = true;
    else if (info !== KEEP) (specials ??= new Map()).set(key, info);
    keys.push(key);
  }
  sortStrings(keys);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = obj[key];
    if (key === '__proto__') {
      // A JSON property of that name: define it, never set the prototype.
      Object.defineProperty(out, key, { value: normalizeValue(key, value, rules, digester), enumerable: true, writable: true, configurable: true });
      continue;
    }
    const special = specials?.get(key);
    if (special === undefined) {
      if (typeof value === 'object') {
        out[key] = normalizeValue(key, value, rules, digester);
      } else {
        checkLeaf(value);
        out[key] = value;
      }
      continue;
    }
    if (special.secrets !== undefined && secretApplies(special.secrets, obj)) {
      const plain = normalizeValue(key, value, rules, digester);
      out[key] = isSecretDigest(plain) ? plain : digester.digest(plain);
    } else if (special.tenantRef !== undefined) {
      // References are replaced before sorting (rule 2 before rule 3): the sorted order of a list
      // of ids must not depend on the raw ids.
      const replaced = special.tenantRef === 'guid' ? replaceGuids(value) : special.tenantRef === 'group' ? replaceGroupIds(value) : replaceOpaqueReference(value);
      out[key] = normalizeValue(key, replaced, rules, digester);
    } else {
      out[key] = normalizeValue(key, value, rules, digester);
    }
  }
  return out;
}

function secretApplies(secretRules: readonly SecretRule[], holder: Record<string, unknown>): boolean {
  for (const rule of secretRules) {
    if (rule.when === undefined) return true;
    const found = holder[rule.when.key];
    if (rule.when.equals === undefined ? found !== undefined && found !== null : found === rule.when.equals) return true;
  }
  return false;
}

function normalizeValue(key: string, value: unknown, rules: CompiledRules, digester: SecretDigester): unknown {
  if (value === null) return value;
  if (typeof value !== 'object') {
    checkLeaf(value);
    return value;
  }
  if (Array.isArray(value)) return normalizeArray(key, value, rules, digester);
  return normalizeObject(value as Record<string, unknown>, rules, digester);
}

function normalizeArray(key: string, items: readonly unknown[], rules: CompiledRules, digester: SecretDigester): unknown[] {
  // Elements of an array inherit the array's property name: a list of lists stays under its rules.
  const out = new Array<unknown>(items.length);
  for (let i = 0; i < items.length; i++) out[i] = normalizeValue(key, items[i], rules, digester);
  const keyPath = rules.keyedArrays.get(key);
  if (keyPath !== undefined) return sortByKey(out, keyPath);
  if (rules.unorderedArrays.has(key)) return sortByCanonical(out);
  return out;
}

function replaceGuids(value: unknown): unknown {
  return replaceGuidsWith(value, tenantRefToken);
}

function tenantRefToken(): string {
  return TENANT_REF_TOKEN;
}

/** Every GUID in `value` (at any depth) replaced by what `replace` makes of it. */
function replaceGuidsWith(value: unknown, replace: (guid: string) => string): unknown {
  if (isGuid(value)) return replace(value);
  if (Array.isArray(value)) return value.map((item) => replaceGuidsWith(item, replace));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = replaceGuidsWith(v, replace);
    return out;
  }
  return value;
}

/** Names of the groups the object being normalized names by id (lower-case id -> name), if any. */
let currentGroupNames: ReadonlyMap<string, string> | undefined;
/** Set during one normalization when a group list held a group id. */
let namedGroups = false;

/** A group id becomes the group's display name when known, else `tenant-ref`; other values stay. */
function replaceGroupIds(value: unknown): unknown {
  return replaceGuidsWith(value, groupToken);
}

function groupToken(id: string): string {
  namedGroups = true;
  return currentGroupNames?.get(id.toLowerCase()) ?? TENANT_REF_TOKEN;
}

function replaceOpaqueReference(value: unknown): unknown {
  if (typeof value === 'string') return value === '' ? value : TENANT_REF_TOKEN;
  if (Array.isArray(value)) return value.map(replaceOpaqueReference);
  return value;
}

function keyOf(item: unknown, paths: readonly (readonly string[])[]): string | undefined {
  for (const path of paths) {
    const key = keyAt(item, path);
    if (key !== undefined) return key;
  }
  return undefined;
}

function keyAt(item: unknown, path: readonly string[]): string | undefined {
  let current: unknown = item;
  for (const segment of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  if (typeof current === 'string') return current;
  if (typeof current === 'number' || typeof current === 'boolean') return String(current);
  return undefined;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts in place by UTF-16 code units (the default order of `Array.prototype.sort()` on strings):
 *  insertion sort for the few keys of a typical object (up to 3x faster there), the built-in sort
 *  (faster than any comparator function) for the large top-level objects. */
function sortStrings(keys: string[]): void {
  const n = keys.length;
  if (n > 24) {
    keys.sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const current = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > current) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = current;
  }
}

/** Elements with a key first, by key; ties and elements without a key by canonical JSON. */
function sortByKey(items: unknown[], path: readonly (readonly string[])[]): unknown[] {
  const entries = items.map((item) => ({ item, key: keyOf(item, path), text: undefined as string | undefined }));
  const textOf = (entry: { item: unknown; text: string | undefined }): string => (entry.text ??= canonicalJson(entry.item));
  entries.sort((a, b) => {
    if (a.key !== undefined && b.key !== undefined) {
      const byKey = compareStrings(a.key, b.key);
      if (byKey !== 0) return byKey;
    } else if (a.key !== undefined) {
      return -1;
    } else if (b.key !== undefined) {
      return 1;
    }
    return compareStrings(textOf(a), textOf(b));
  });
  return entries.map((entry) => entry.item);
}

function sortByCanonical(items: unknown[]): unknown[] {
  if (items.length < 2) return items;
  const entries = items.map((item) => ({ item, text: canonicalJson(item) }));
  entries.sort((a, b) => compareStrings(a.text, b.text));
  return entries.map((entry) => entry.item);
}
