/**
 * Properties of normalization and hashing, checked with fast-check over generated Graph-like objects
 * and exhaustively over the project's own fixtures.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RegistryTypeKey } from '../../shared/domain/model.js';
import { FOUNDATION_TYPE_KEYS, POLICY_TYPE_KEYS } from '../../shared/domain/model.js';
import { ALWAYS_UNORDERED_ARRAYS, POLICY_TYPES, TENANT_REFERENCE_KEYS } from '../../shared/domain/registry.js';
import { NOISE_KEYS, isGuid, isNoiseKey, normalizeGraphObject } from '../../shared/domain/normalize.js';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import { buildSubject } from '../../shared/domain/subject.js';
import { FIXTURE_TYPES, TEST_SECRET_KEY, fixtureObject } from '../fixtures/graph/fixtures.js';

const digester = createSecretDigester(TEST_SECRET_KEY);
const ALL_TYPES: RegistryTypeKey[] = [...POLICY_TYPE_KEYS, ...FOUNDATION_TYPE_KEYS];
const RUNS = { numRuns: 150 };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const GUIDS = ['5b8c0d2e-1f3a-4b5c-8d9e-0a1b2c3d4e5f', 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', 'F0E1D2C3-B4A5-4697-8877-665544332211'];

/** Property names: plain configuration, every kind of special key, and some awkward ones. */
const anyKey = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('enabled', 'mode', 'level', 'targets', 'options', 'value', 'description', 'state', 'rules') },
  { weight: 2, arbitrary: fc.constantFrom(...NOISE_KEYS, '@odata.type', 'children@odata.type', '#microsoft.graph.assign') },
  { weight: 2, arbitrary: fc.constantFrom(...TENANT_REFERENCE_KEYS, ...ALWAYS_UNORDERED_ARRAYS, 'secretReferenceValueId', 'selectedMobileAppIds') },
  { weight: 2, arbitrary: fc.constantFrom('settings', 'children', 'settingInstance', 'settingDefinitionId', 'definitionId', 'omaSettings', 'omaUri', 'assignments', 'apps') },
  { weight: 1, arbitrary: fc.constantFrom('preSharedKey', 'password', 'scriptContent', 'payload', 'isEncrypted', 'name', 'displayName', '__proto__', '10', '9') },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);

const leaf: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, '', 'All', 'None', 'tenant-ref', ...GUIDS),
  fc.string({ maxLength: 8 }),
  fc.integer(),
);

const { tree } = fc.letrec<{ tree: Json; obj: Json; arr: Json }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('obj'), tie('arr')),
  obj: fc.dictionary(anyKey, tie('tree'), { maxKeys: 6 }),
  arr: fc.array(tie('tree'), { maxLength: 4 }),
}));

const graphObject = fc
  .tuple(fc.dictionary(anyKey, tree, { maxKeys: 8 }), fc.string({ minLength: 1, maxLength: 10 }))
  .map(([body, name]): Record<string, unknown> => ({ ...body, name: `Policy ${name}`, displayName: `Policy ${name}` }));

const typeKey = fc.constantFrom(...ALL_TYPES);

/** The hashes of both dimensions (settings content, assignments): what a compare tells apart. */
function contentHash(type: RegistryTypeKey, obj: Record<string, unknown>): string | undefined {
  const subject = buildSubject(type, obj, digester);
  if (subject.contentHash === undefined) return undefined;
  return subject.assignmentsHash === undefined ? subject.contentHash : `${subject.contentHash}|${subject.assignmentsHash}`;
}

/** The same JSON with every object's keys in a shuffled order (driven by `seed`). */
function shuffleKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item, i) => shuffleKeys(item, seed + i + 1));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const order = entries.map((entry, i) => ({ entry, rank: (Math.sin(seed * 9301 + i * 49297) + 1) % 1 }));
  order.sort((a, b) => a.rank - b.rank);
  const out: Record<string, unknown> = {};
  for (const { entry } of order) {
    Object.defineProperty(out, entry[0], { value: shuffleKeys(entry[1], seed + 7), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function unorderedNames(type: RegistryTypeKey): Set<string> {
  const definition = POLICY_TYPES[type];
  return new Set([...ALWAYS_UNORDERED_ARRAYS, ...definition.unorderedArrays, ...Object.keys(definition.keyedArrays)]);
}

/** Reverses (and rotates) every array whose property name the type declares unordered or keyed. */
function permuteDeclaredArrays(value: unknown, names: Set<string>, seed: number, key?: string): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => permuteDeclaredArrays(item, names, seed + 1, key));
    if (key === undefined || !names.has(key) || items.length < 2) return items;
    const shift = seed % items.length;
    return [...items.slice(shift), ...items.slice(0, shift)].reverse();
  }
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    Object.defineProperty(out, k, { value: permuteDeclaredArrays(v, names, seed + 3, k), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Adds null-valued properties and volatile fields to objects at every depth. */
function addNoise(value: unknown, extras: readonly [string, unknown][], depth = 0): unknown {
  if (Array.isArray(value)) return value.map((item) => addNoise(item, extras, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    Object.defineProperty(out, k, { value: addNoise(v, extras, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  for (const [k, v] of extras) {
    // settingCount at the top level is a completeness signal, not noise: it is left alone here.
    if (depth === 0 && k === 'settingCount') continue;
    if (!Object.prototype.hasOwnProperty.call(out, k)) out[k] = v;
  }
  return out;
}

describe('normalization properties', () => {
  it('normalizing normalized content changes nothing (any type, any object)', () => {
    fc.assert(
      fc.property(typeKey, graphObject, (type, obj) => {
        const first = normalizeGraphObject(type, obj, digester).content;
        if (first === undefined) return;
        const second = normalizeGraphObject(type, first, digester).content;
        expect(JSON.stringify(second)).toBe(JSON.stringify(first));
      }),
      RUNS,
    );
  });

  it('the order of keys never changes a hash', () => {
    fc.assert(
      fc.property(typeKey, graphObject, fc.integer({ min: 1, max: 1000 }), (type, obj, seed) => {
        const shuffled = shuffleKeys(obj, seed) as Record<string, unknown>;
        expect(contentHash(type, shuffled)).toBe(contentHash(type, obj));
        expect(buildSubject(type, shuffled, digester).metaHash).toBe(buildSubject(type, obj, digester).metaHash);
      }),
      RUNS,
    );
  });

  it('the order of declared unordered (and keyed) arrays never changes a hash', () => {
    fc.assert(
      fc.property(typeKey, graphObject, fc.integer({ min: 0, max: 100 }), (type, obj, seed) => {
        const permuted = permuteDeclaredArrays(obj, unorderedNames(type), seed) as Record<string, unknown>;
        expect(contentHash(type, permuted)).toBe(contentHash(type, obj));
      }),
      RUNS,
    );
  });

  it('null-valued properties and volatile fields never change a hash', () => {
    const volatile = fc.array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...NOISE_KEYS, '@odata.etag', 'value@odata.type', '#microsoft.graph.restore'), anyKey.filter((k) => !isNoiseKey(k))),
        fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.constant('2025-01-01T00:00:00Z')),
      ),
      { maxLength: 4 },
    );
    fc.assert(
      fc.property(typeKey, graphObject, volatile, (type, obj, extras) => {
        // Volatile keys get any value; other keys only null.
        const noise = extras.map(([k, v]) => [k, isNoiseKey(k) ? v : null] as [string, unknown]);
        const noisy = addNoise(obj, noise) as Record<string, unknown>;
        expect(contentHash(type, noisy)).toBe(contentHash(type, obj));
      }),
      RUNS,
    );
  });

  it('any change to a configuration leaf of a generated object changes its hash', () => {
    const plainKey = fc.constantFrom('alpha', 'beta', 'gamma', 'delta', 'list', 'nested', 'mode');
    const plainLeaf = fc.oneof(fc.boolean(), fc.integer(), fc.string({ maxLength: 6 }));
    const { node } = fc.letrec<{ node: Json }>((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, plainLeaf, fc.dictionary(plainKey, tie('node'), { minKeys: 1, maxKeys: 4 }), fc.array(tie('node'), { minLength: 1, maxLength: 3 })),
    }));
    fc.assert(
      fc.property(fc.dictionary(plainKey, node, { minKeys: 1, maxKeys: 5 }), fc.nat(), (body, pick) => {
        const obj = { displayName: 'Generated', ...body } as Record<string, unknown>;
        const paths = leafPaths(obj).filter((p) => !(p.length === 1 && p[0] === 'displayName'));
        const path = paths[pick % paths.length]!;
        const changed = structuredClone(obj);
        setAt(changed, path, mutate(getAt(changed, path)));
        expect(contentHash('deviceConfiguration', changed)).not.toBe(contentHash('deviceConfiguration', obj));
      }),
      RUNS,
    );
  });

  it('a changed secret changes the hash, and no secret ever appears in the subject', () => {
    const secret = fc.string({ minLength: 4, maxLength: 24 }).map((s) => `S3cr3t:${s}`);
    fc.assert(
      fc.property(secret, secret, (first, second) => {
        fc.pre(first !== second);
        const withFirst = { ...fixtureObject('deviceConfigurations', 'wifi-psk.json'), preSharedKey: first };
        const withSecond = { ...fixtureObject('deviceConfigurations', 'wifi-psk.json'), preSharedKey: second };
        const a = buildSubject('deviceConfiguration', withFirst, digester);
        const b = buildSubject('deviceConfiguration', withSecond, digester);
        expect(a.contentHash).not.toBe(b.contentHash);
        expect(buildSubject('deviceConfiguration', withFirst, digester).contentHash).toBe(a.contentHash);
        for (const [subject, plain] of [[a, first], [b, second]] as const) {
          const text = JSON.stringify(subject);
          expect(text).not.toContain(plain);
          expect(text).not.toContain(JSON.stringify(plain).slice(1, -1));
        }
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// Exhaustive over the fixtures: every configuration leaf matters
// ---------------------------------------------------------------------------------------------------

type Path = (string | number)[];

function leafPaths(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => leafPaths(item, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...path, k]));
  }
  return [path];
}

function getAt(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, segment) => (node as Record<string | number, unknown>)[segment], root);
}

function setAt(root: unknown, path: Path, value: unknown): void {
  const parent = getAt(root, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path[path.length - 1]!] = value;
}

function mutate(value: unknown): unknown {
  if (typeof value === 'string') return `${value}-changed`;
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  return 'was-null';
}

/** Leaves that are configuration: not noise, not the top-level name, not a tenant-scoped id. */
function configurationLeaves(type: RegistryTypeKey, obj: Record<string, unknown>): Path[] {
  const definition = POLICY_TYPES[type];
  const tenantKeys = new Set<string>([...TENANT_REFERENCE_KEYS, ...definition.tenantRefKeys]);
  return leafPaths(obj).filter((path) => {
    const keys = path.filter((s): s is string => typeof s === 'string');
    // The one exception to the noise rule (docs/normalization.md, "Noise"): an assignment's target kind.
    const targetKind = path.length === 4 && path[0] === 'assignments' && path[2] === 'target' && path[3] === '@odata.type';
    if (!targetKind && keys.some((k) => isNoiseKey(k))) return false;
    if (path.length === 1 && (path[0] === 'name' || path[0] === 'displayName')) return false;
    if (keys.some((k) => definition.opaqueTenantRefKeys.includes(k))) return false;
    if (keys.some((k) => tenantKeys.has(k)) && isGuid(getAt(obj, path))) return false;
    // An assignment filter whose type is `none` applies no filter: its id says nothing.
    if (path[0] === 'assignments' && path[path.length - 1] === 'deviceAndAppManagementAssignmentFilterId') {
      if (getAt(obj, [...path.slice(0, -1), 'deviceAndAppManagementAssignmentFilterType']) === 'none') return false;
    }
    return true;
  });
}

describe('every configuration leaf of every fixture matters', () => {
  it.each(FIXTURE_TYPES.map((f) => [`${f.collection}/${f.file}#${f.index}`, f] as const))('%s', (_name, fixture) => {
    const type = fixture.type as RegistryTypeKey;
    const original = fixtureObject(fixture.collection, fixture.file, fixture.index);
    const baseline = contentHash(type, original);
    expect(baseline).toBeDefined();
    const leaves = configurationLeaves(type, original);
    expect(leaves.length).toBeGreaterThan(0);
    const unchanged = leaves.filter((path) => {
      const changed = fixtureObject(fixture.collection, fixture.file, fixture.index);
      setAt(changed, path, mutate(getAt(changed, path)));
      return contentHash(type, changed) === baseline;
    });
    expect(unchanged).toEqual([]);
  });

  it('while a tenant-scoped id or a volatile field of every fixture does not', () => {
    for (const fixture of FIXTURE_TYPES) {
      const type = fixture.type as RegistryTypeKey;
      const original = fixtureObject(fixture.collection, fixture.file, fixture.index);
      const baseline = contentHash(type, original);
      const ignored = leafPaths(original).filter((path) => !configurationLeaves(type, original).some((p) => p.join('/') === path.join('/')));
      for (const path of ignored) {
        // The top-level name is identity (tested in subject tests); settingCount signals completeness.
        if (path.length === 1 && ['name', 'displayName', 'settingCount'].includes(String(path[0]))) continue;
        const changed = fixtureObject(fixture.collection, fixture.file, fixture.index);
        const current = getAt(changed, path);
        // A null that gets a value is a property that appears: configuration, whatever its key.
        if (current === null && !path.some((k) => typeof k === 'string' && isNoiseKey(k))) continue;
        setAt(changed, path, isGuid(current) ? 'ffffffff-ffff-4fff-8fff-ffffffffffff' : mutate(current));
        expect({ leaf: `${fixture.file} ${path.join('/')}`, hash: contentHash(type, changed) }).toEqual({ leaf: `${fixture.file} ${path.join('/')}`, hash: baseline });
      }
    }
  });
});
