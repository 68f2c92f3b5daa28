/**
 * The per-type normalizer (design section 3): turns a Graph object into
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
 * 3. Order-insensitive arrays sorted: keyed arrays by their key (ties by canonical JSON), the
 *    include/exclude lists and what the registry declares by canonical JSON. String order is by UTF-16
 *    code units, never locale-dependent.
 * 4. Secrets (the type's `secretPaths`) replaced by `hmac-sha256:<hex>`, a keyed digest.
 * The name field (`displayName`, or `name` for settings catalog style types) is the subject's identity,
 * not its content: it is removed from the top level of the content, and so is the other of the two
 * when an export carries both and they name the same thing.
 *
 * The four rules run in one bottom-up pass. Each only reads what the rules before it leave (noise is
 * never a tenant reference, a sort key or a secret), and sorting compares elements whose secrets are
 * already redacted, so the order of an array never depends on a secret. The result is the same as
 * applying the rules one after the other, and normalizing normalized content changes nothing: a value
 * that already is a digest is kept as it is.
 *
 * Every object of the content is built with its keys in canonical (sorted) order, so
 * `canonicalJson(content)` takes its fast path.
 */
import type { RegistryTypeKey } from './model.js';
import {
  ALWAYS_UNORDERED_ARRAYS,
  META_CONTRACT,
  TENANT_REFERENCE_KEYS,
  TENANT_REF_TOKEN,
  policyTypeDefinition,
  type MetaField,
  type PolicyTypeDefinition,
  type SecretRule,
} from './registry.js';
import { canonicalJson } from './canonical.js';
import { isSecretDigest, type SecretDigester } from './secrets.js';

/** Volatile keys removed at every depth (design 3.1). This list is closed: anything else is configuration. */
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

/** True for a key that is noise wherever it occurs (design 3.1). */
export function isNoiseKey(key: string): boolean {
  return NOISE_KEYS.has(key) || key.includes('@odata.') || key.startsWith('#microsoft.graph.');
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

interface CompiledRules {
  tenantRefKeys: ReadonlySet<string>;
  opaqueTenantRefKeys: ReadonlySet<string>;
  /** array property -> key path segments */
  keyedArrays: ReadonlyMap<string, readonly string[]>;
  unorderedArrays: ReadonlySet<string>;
  secrets: ReadonlyMap<string, readonly SecretRule[]>;
}

const compiled = new Map<RegistryTypeKey, CompiledRules>();

function rulesOf(definition: PolicyTypeDefinition): CompiledRules {
  const cached = compiled.get(definition.key);
  if (cached) return cached;
  const secrets = new Map<string, SecretRule[]>();
  for (const rule of definition.secretPaths) {
    const list = secrets.get(rule.key) ?? [];
    list.push(rule);
    secrets.set(rule.key, list);
  }
  const rules: CompiledRules = {
    tenantRefKeys: new Set([...TENANT_REFERENCE_KEYS, ...definition.tenantRefKeys]),
    opaqueTenantRefKeys: new Set(definition.opaqueTenantRefKeys),
    keyedArrays: new Map(Object.entries(definition.keyedArrays).map(([name, path]) => [name, path.split('.')])),
    unorderedArrays: new Set([...ALWAYS_UNORDERED_ARRAYS, ...definition.unorderedArrays]),
    secrets,
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
): NormalizedGraphObject {
  const definition = policyTypeDefinition(typeKey);
  const meta = metaOf(definition, obj);
  if (!definition.contentComplete(obj)) return { meta, content: undefined };
  return { meta, content: normalizeContent(definition, obj, digester) };
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
  };
  // Built in META_CONTRACT order, which is not sorted: re-create with sorted keys for the fast path.
  const meta = {} as Meta;
  for (const field of [...META_CONTRACT].sort()) meta[field] = values[field];
  return meta;
}

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
): Record<string, unknown> {
  const rules = rulesOf(definition);
  const nameValue = obj[definition.nameField];
  const identityKeys = new Set<string>([definition.nameField]);
  for (const other of NAME_FIELDS) {
    if (other === definition.nameField) continue;
    const otherValue = obj[other];
    if (typeof otherValue !== 'string') continue;
    // The other field is an alias of the name (same after trim/space/case folding), or the name
    // itself when the type's name field is missing (see subject.ts): identity either way.
    if (typeof nameValue !== 'string' || sameName(nameValue, otherValue)) identityKeys.add(other);
  }
  return normalizeObject(obj, rules, digester, identityKeys);
}

function sameName(a: string, b: string): boolean {
  const fold = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
  return fold(a) === fold(b);
}

function normalizeObject(
  obj: Record<string, unknown>,
  rules: CompiledRules,
  digester: SecretDigester,
  skipKeys?: ReadonlySet<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = Object.keys(obj).sort();
  for (const key of keys) {
    const value = obj[key];
    if (value === null || value === undefined) continue;
    if (isNoiseKey(key)) continue;
    if (skipKeys?.has(key)) continue;
    let result: unknown;
    const secretRules = rules.secrets.get(key);
    if (secretRules !== undefined && secretApplies(secretRules, obj)) {
      const plain = normalizeValue(key, value, rules, digester);
      result = isSecretDigest(plain) ? plain : digester.digest(plain);
    } else if (rules.opaqueTenantRefKeys.has(key)) {
      result = replaceOpaqueReference(normalizeValue(key, value, rules, digester));
    } else if (rules.tenantRefKeys.has(key)) {
      result = replaceGuids(normalizeValue(key, value, rules, digester));
    } else {
      result = normalizeValue(key, value, rules, digester);
    }
    out[key] = result;
  }
  return out;
}

function secretApplies(secretRules: readonly SecretRule[], holder: Record<string, unknown>): boolean {
  for (const rule of secretRules) {
    if (rule.when === undefined || holder[rule.when.key] === rule.when.equals) return true;
  }
  return false;
}

function normalizeValue(key: string, value: unknown, rules: CompiledRules, digester: SecretDigester): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return normalizeArray(key, value, rules, digester);
  return normalizeObject(value as Record<string, unknown>, rules, digester);
}

function normalizeArray(key: string, items: readonly unknown[], rules: CompiledRules, digester: SecretDigester): unknown[] {
  // Elements of an array inherit the array's property name: a list of lists stays under its rules.
  const out = items.map((item) => normalizeValue(key, item, rules, digester));
  const keyPath = rules.keyedArrays.get(key);
  if (keyPath !== undefined) return sortByKey(out, keyPath);
  if (rules.unorderedArrays.has(key)) return sortByCanonical(out);
  return out;
}

function replaceGuids(value: unknown): unknown {
  if (isGuid(value)) return TENANT_REF_TOKEN;
  if (Array.isArray(value)) return value.map(replaceGuids);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = replaceGuids(v);
    return out;
  }
  return value;
}

function replaceOpaqueReference(value: unknown): unknown {
  if (typeof value === 'string') return value === '' ? value : TENANT_REF_TOKEN;
  if (Array.isArray(value)) return value.map(replaceOpaqueReference);
  return value;
}

function keyOf(item: unknown, path: readonly string[]): string | undefined {
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

/** Elements with a key first, by key; ties and elements without a key by canonical JSON. */
function sortByKey(items: unknown[], path: readonly string[]): unknown[] {
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
