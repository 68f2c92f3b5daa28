import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { driftedProperties, escapePointerToken, toJsonPointer, TRUNCATION_MARKER, type KeyedArrays } from '../../shared/domain/drift.js';
import { canonicalJson } from '../../shared/domain/canonical.js';
import { POLICY_TYPES } from '../../shared/domain/registry.js';
import { classifyGraphObject } from '../../shared/domain/classification.js';
import { buildSubject } from '../../shared/domain/subject.js';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import { corpusAvailable, corpusDir } from '../support/corpus.js';

const SC_KEYED: KeyedArrays = { settings: 'settingInstance.settingDefinitionId', children: 'settingDefinitionId' };

function choice(id: string, value: string, children: unknown[] = []) {
  return { settingInstance: { settingDefinitionId: id, choiceSettingValue: { value, children } } };
}

/** Resolves a pointer the way drifted properties address content: keyed arrays by key, others by index. */
function resolvePointer(content: unknown, pointer: string, keyed: KeyedArrays): unknown {
  const segments = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = content;
  let prop: string | undefined;
  for (const seg of segments) {
    if (Array.isArray(node)) {
      const spec = prop === undefined ? undefined : keyed[prop];
      const paths = spec === undefined ? [] : typeof spec === 'string' ? [spec] : spec;
      const byKey = node.find((el) =>
        paths.some((p) => String(p.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], el)) === seg),
      );
      node = byKey ?? node[Number(seg)];
      prop = undefined;
    } else if (typeof node === 'object' && node !== null) {
      node = (node as Record<string, unknown>)[seg];
      prop = seg;
    } else {
      return undefined;
    }
  }
  return node;
}

describe('driftedProperties (design 2.6)', () => {
  it('reports added, removed and changed properties as JSON pointers', () => {
    const r = driftedProperties({ a: 1, b: { c: 'x' }, gone: true }, { a: 2, b: { c: 'x', d: null }, extra: 'y' });
    expect(r).toEqual({
      truncated: false,
      properties: [
        { path: '/a', kind: 'changed', baseline: 1, current: 2 },
        { path: '/b/d', kind: 'added', current: null },
        { path: '/extra', kind: 'added', current: 'y' },
        { path: '/gone', kind: 'removed', baseline: true },
      ],
    });
  });

  it('equal content gives nothing', () => {
    const c = { settings: [choice('a', 'a_1')], list: [1, 2], nested: { x: [{ y: 1 }] } };
    expect(driftedProperties(c, structuredClone(c), { keyedArrays: SC_KEYED })).toEqual({ properties: [], truncated: false });
  });

  it('addresses settings by definition id, not position, at any depth', () => {
    const baseline = {
      settings: [
        choice('device_vendor_msft_policy_config_defender_allowarchivescanning', 'allowarchivescanning_1'),
        choice('parent', 'parent_1', [{ settingDefinitionId: 'parent_child', simpleSettingValue: { value: 1 } }]),
      ],
    };
    const current = {
      settings: [
        choice('aaa_inserted_first', 'x_1'),
        choice('device_vendor_msft_policy_config_defender_allowarchivescanning', 'allowarchivescanning_0'),
        choice('parent', 'parent_1', [{ settingDefinitionId: 'parent_child', simpleSettingValue: { value: 2 } }]),
      ],
    };
    const r = driftedProperties(baseline, current, { keyedArrays: SC_KEYED });
    expect(r.properties).toEqual([
      { path: '/settings/aaa_inserted_first', kind: 'added', current: choice('aaa_inserted_first', 'x_1') },
      {
        path: '/settings/device_vendor_msft_policy_config_defender_allowarchivescanning/settingInstance/choiceSettingValue/value',
        kind: 'changed',
        baseline: 'allowarchivescanning_1',
        current: 'allowarchivescanning_0',
      },
      {
        path: '/settings/parent/settingInstance/choiceSettingValue/children/parent_child/simpleSettingValue/value',
        kind: 'changed',
        baseline: 1,
        current: 2,
      },
    ]);
  });

  it('escapes ~ and / in keys and key values (RFC 6901)', () => {
    const r = driftedProperties(
      { settings: [choice('vendor~policy/edge', 'a')], 'a/b~c': 1 },
      { settings: [choice('vendor~policy/edge', 'b')], 'a/b~c': 2 },
      { keyedArrays: SC_KEYED },
    );
    expect(r.properties.map((p) => p.path)).toEqual(['/a~1b~0c', '/settings/vendor~0policy~1edge/settingInstance/choiceSettingValue/value']);
    expect(escapePointerToken('~/')).toBe('~0~1');
    expect(escapePointerToken('~1')).toBe('~01');
    expect(toJsonPointer(['a', 0, 'b/c'])).toBe('/a/0/b~1c');
  });

  it('key paths may be a list: each element uses the first that yields a key', () => {
    const keyed: KeyedArrays = { items: ['id2', 'name'] };
    const r = driftedProperties({ items: [{ name: 'n1', v: 1 }, { id2: 'k', v: 1 }] }, { items: [{ id2: 'k', v: 2 }, { name: 'n1', v: 1 }] }, { keyedArrays: keyed });
    expect(r.properties).toEqual([{ path: '/items/k/v', kind: 'changed', baseline: 1, current: 2 }]);
  });

  it('falls back to positions when keys repeat or are missing', () => {
    const dup = { settings: [choice('same', 'a'), choice('same', 'b')] };
    const r = driftedProperties(dup, { settings: [choice('same', 'a'), choice('same', 'c')] }, { keyedArrays: SC_KEYED });
    expect(r.properties.map((p) => p.path)).toEqual(['/settings/1/settingInstance/choiceSettingValue/value']);
    const missing = driftedProperties({ settings: [{ other: 1 }] }, { settings: [{ other: 2 }] }, { keyedArrays: SC_KEYED });
    expect(missing.properties.map((p) => p.path)).toEqual(['/settings/0/other']);
  });

  it('compares arrays of primitives as a whole value', () => {
    const r = driftedProperties({ includeRoles: ['a', 'b', 'c'], empty: [], same: [1, 2] }, { includeRoles: ['a', 'c'], empty: ['x'], same: [1, 2] });
    expect(r.properties).toEqual([
      { path: '/empty', kind: 'changed', baseline: [], current: ['x'] },
      { path: '/includeRoles', kind: 'changed', baseline: ['a', 'b', 'c'], current: ['a', 'c'] },
    ]);
  });

  it('compares other arrays of objects element by element, by position', () => {
    const r = driftedProperties({ rules: [{ a: 1 }, { a: 2 }] }, { rules: [{ a: 1 }, { a: 3 }, { a: 4 }] });
    expect(r.properties).toEqual([
      { path: '/rules/1/a', kind: 'changed', baseline: 2, current: 3 },
      { path: '/rules/2', kind: 'added', current: { a: 4 } },
    ]);
  });

  it('a value that changes shape is one change with both values', () => {
    const r = driftedProperties({ v: { a: 1 }, w: [1], x: 'text' }, { v: [{ a: 1 }], w: { 0: 1 }, x: { t: 1 } });
    expect(r.properties).toEqual([
      { path: '/v', kind: 'changed', baseline: { a: 1 }, current: [{ a: 1 }] },
      { path: '/w', kind: 'changed', baseline: [1], current: { 0: 1 } },
      { path: '/x', kind: 'changed', baseline: 'text', current: { t: 1 } },
    ]);
  });

  it('keys named like Object.prototype members are plain keys', () => {
    const r = driftedProperties(JSON.parse('{"constructor":"a","__proto__":{"x":1},"toString":1}'), JSON.parse('{"__proto__":{"x":2},"hasOwnProperty":1}'));
    expect(r.properties).toEqual([
      { path: '/__proto__/x', kind: 'changed', baseline: 1, current: 2 },
      { path: '/constructor', kind: 'removed', baseline: 'a' },
      { path: '/hasOwnProperty', kind: 'added', current: 1 },
      { path: '/toString', kind: 'removed', baseline: 1 },
    ]);
  });

  it('strings that look like the internal leaf encoding stay strings, never equal to a list', () => {
    const r = driftedProperties({ s: '\u0000a[1]', t: '\u0000sx', u: [1] }, { s: [1], t: '\u0000sx', u: '\u0000a[1]' });
    expect(r.properties).toEqual([
      { path: '/s', kind: 'changed', baseline: '\u0000a[1]', current: [1] },
      { path: '/u', kind: 'changed', baseline: [1], current: '\u0000a[1]' },
    ]);
  });

  it('orders paths with array positions numerically', () => {
    const a = { rules: Array.from({ length: 12 }, (_, i) => ({ v: i })) };
    const b = { rules: Array.from({ length: 12 }, (_, i) => ({ v: i + 100 })) };
    const r = driftedProperties(a, b);
    expect(r.properties.map((p) => p.path)).toEqual(Array.from({ length: 12 }, (_, i) => `/rules/${i}/v`));
  });

  it('more than maxProperties: the first maxProperties in path order, truncated', () => {
    const a = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${String(i).padStart(2, '0')}`, i]));
    const b = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${String(i).padStart(2, '0')}`, -i - 1]));
    const r = driftedProperties(a, b);
    expect(r.truncated).toBe(true);
    expect(r.properties).toHaveLength(50);
    expect(r.properties[49]?.path).toBe('/k49');
    const r5 = driftedProperties(a, b, { maxProperties: 5 });
    expect(r5.properties.map((p) => p.path)).toEqual(['/k00', '/k01', '/k02', '/k03', '/k04']);
    const exact = driftedProperties({ a: 1 }, { a: 2 }, { maxProperties: 1 });
    expect(exact.truncated).toBe(false);
  });

  it('values longer than maxValueChars are cut with a marker and set truncated', () => {
    const long = 'x'.repeat(600);
    const r = driftedProperties({ s: long, o: { big: 'y'.repeat(600) }, small: 'a' }, { s: 'short', o: 1, small: 'b' });
    expect(r.truncated).toBe(true);
    const [o, s, small] = r.properties;
    expect(s).toEqual({ path: '/s', kind: 'changed', baseline: 'x'.repeat(512) + TRUNCATION_MARKER, current: 'short' });
    expect(o?.baseline).toBe(canonicalJson({ big: 'y'.repeat(600) }).slice(0, 512) + TRUNCATION_MARKER);
    expect(small).toEqual({ path: '/small', kind: 'changed', baseline: 'a', current: 'b' });
    const exact = driftedProperties({ s: 'x'.repeat(10) }, { s: 'y'.repeat(10) }, { maxValueChars: 10 });
    expect(exact.truncated).toBe(false);
  });

  it('does not change its inputs', () => {
    const a = { settings: [choice('a', '1')], l: [3, 1] };
    const b = { settings: [choice('a', '2')], l: [1, 3] };
    const copies = structuredClone([a, b]);
    driftedProperties(a, b, { keyedArrays: SC_KEYED });
    expect([a, b]).toEqual(copies);
  });
});

describe('driftedProperties properties', () => {
  const json = fc.jsonValue({ maxDepth: 4 });
  const obj = fc.dictionary(fc.string({ maxLength: 4 }), json, { maxKeys: 6 });

  it('nothing drifts exactly when the canonical JSON (and so the hash) is equal', () => {
    fc.assert(
      fc.property(obj, obj, (a, b) => {
        const r = driftedProperties(a, b, { maxProperties: 10_000, maxValueChars: 1_000_000 });
        expect(r.properties.length === 0).toBe(canonicalJson(a) === canonicalJson(b));
        expect(driftedProperties(a, structuredClone(a)).properties).toEqual([]);
      }),
    );
  });

  it('swapping sides swaps added and removed, with the same paths', () => {
    fc.assert(
      fc.property(obj, obj, (a, b) => {
        const ab = driftedProperties(a, b, { maxProperties: 10_000, maxValueChars: 1_000_000 }).properties;
        const ba = driftedProperties(b, a, { maxProperties: 10_000, maxValueChars: 1_000_000 }).properties;
        const flip = { added: 'removed', removed: 'added', changed: 'changed' } as const;
        expect(ba.map((p) => [p.path, p.kind])).toEqual(ab.map((p) => [p.path, flip[p.kind]]));
      }),
    );
  });

  it('every reported path resolves to the reported values on each side', () => {
    fc.assert(
      fc.property(obj, obj, (a, b) => {
        const props = driftedProperties(a, b, { maxProperties: 10_000, maxValueChars: 1_000_000 }).properties;
        // compared as JSON: -0 and 0 are one JSON number
        const text = (v: unknown) => (v === undefined ? '-' : canonicalJson(v));
        const reported = props.map((p) => [p.path, text(p.kind === 'added' ? undefined : p.baseline), text(p.kind === 'removed' ? undefined : p.current)]);
        const resolved = props.map((p) => [
          p.path,
          text(p.kind === 'added' ? undefined : resolvePointer(a, p.path, {})),
          text(p.kind === 'removed' ? undefined : resolvePointer(b, p.path, {})),
        ]);
        expect(resolved).toEqual(reported);
      }),
    );
  });
});

/** The real exports: consecutive versions of one policy (`NAME.vN.json`), normalized by the project's own normalizer. */
function corpusPairs(): { collection: string; name: string; a: Record<string, unknown>; b: Record<string, unknown> }[] {
  const out: { collection: string; name: string; a: Record<string, unknown>; b: Record<string, unknown> }[] = [];
  for (const collection of readdirSync(corpusDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) {
    const files = readdirSync(join(corpusDir, collection)).filter((f) => /\.v\d+\.json$/.test(f)).sort();
    for (const f of files) {
      const next = f.replace(/\.v(\d+)\.json$/, (_m, n: string) => `.v${Number(n) + 1}.json`);
      if (!files.includes(next)) continue;
      const read = (name: string) => JSON.parse(readFileSync(join(corpusDir, collection, name), 'utf8')) as unknown;
      const a = read(f);
      const b = read(next);
      if (typeof a === 'object' && a !== null && !Array.isArray(a) && typeof b === 'object' && b !== null && !Array.isArray(b)) {
        out.push({ collection, name: f, a: a as Record<string, unknown>, b: b as Record<string, unknown> });
      }
    }
  }
  return out;
}

describe.skipIf(!corpusAvailable)('driftedProperties on the real exports', () => {
  it('consecutive versions: properties drift exactly when content hashes differ, settings addressed by definition id', () => {
    const digester = createSecretDigester('corpus-test-key-0123456789abcdef');
    const pairs = corpusPairs();
    expect(pairs.length).toBeGreaterThan(10);
    let drifting = 0;
    let settingPaths = 0;
    const problems: string[] = [];
    for (const { collection, name, a, b } of pairs) {
      const type = classifyGraphObject(collection, a);
      const sa = buildSubject(type, a, digester);
      const sb = buildSubject(type, b, digester);
      if (sa.content === undefined || sb.content === undefined) continue;
      const keyedArrays = POLICY_TYPES[type].keyedArrays;
      const r = driftedProperties(sa.content, sb.content, { keyedArrays, maxProperties: 100_000, maxValueChars: 10_000_000 });
      if ((r.properties.length > 0) !== (sa.contentHash !== sb.contentHash)) problems.push(`${name}: properties and hashes disagree`);
      if (r.properties.length > 0) drifting++;
      for (const p of r.properties) {
        if (p.kind !== 'added' && canonicalJson(resolvePointer(sa.content, p.path, keyedArrays)) !== canonicalJson(p.baseline)) {
          problems.push(`${name} ${p.path}: baseline value does not resolve`);
        }
        if (p.kind !== 'removed' && canonicalJson(resolvePointer(sb.content, p.path, keyedArrays)) !== canonicalJson(p.current)) {
          problems.push(`${name} ${p.path}: current value does not resolve`);
        }
        const m = /^\/settings\/([^/]+)/.exec(p.path);
        if (m && collection === 'configurationPolicies') {
          settingPaths++;
          if (/^\d+$/.test(m[1]!)) problems.push(`${name} ${p.path}: setting addressed by position`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(drifting).toBeGreaterThan(5);
    expect(settingPaths).toBeGreaterThan(0);
  });
});
