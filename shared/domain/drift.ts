/**
 * Drifted properties of a `different_version` finding (docs/compare.md, "Evidence"): which properties of the
 * normalized content differ between the baseline and the tenant.
 *
 * Paths are RFC 6901 JSON pointers into the normalized content (`~` -> `~0`, `/` -> `~1`).
 * - Keyed arrays (the registry's `keyedArrays`, e.g. settings catalog `settings` keyed by
 *   `settingInstance.settingDefinitionId`, `children` keyed by `settingDefinitionId`) are addressed
 *   by their key value instead of their position, at any depth, so an inserted setting does not
 *   shift every later one. An array is treated as keyed only when every element is an object with a
 *   string (or number) key and the keys are unique; otherwise it falls back to positions.
 * - Arrays of primitives (and empty or mixed arrays) are compared as a whole value: normalization
 *   already sorted those whose order does not matter, so a changed list is reported once, at the
 *   list's path, with both full lists.
 * - Other arrays of objects are compared element by element, addressed by position.
 * - Kinds: `added` (only in the tenant), `removed` (only in the baseline), `changed` (both, differ).
 * - Values longer than `maxValueChars` (strings by length, other values by their JSON text) are
 *   replaced by a string preview ending in a truncation marker; more than `maxProperties` properties
 *   keep the first `maxProperties` in path order. Either sets `truncated: true`.
 *
 * The deep diff itself is `microdiff`: small, dependency-free, fast on large objects, and it yields
 * exactly what evidence needs (create/remove/change with a path). It is run over a prepared copy of
 * both sides in which keyed arrays became objects (so keys become path segments), arrays compared as
 * a whole became opaque primitive leaves, and every object has a null prototype (so keys such as `constructor`
 * or `__proto__` in the data are plain keys for microdiff's `in` checks).
 */
import diff from 'microdiff';
import type { DriftedProperty } from './model.js';
import { canonicalJson } from './canonical.js';

/**
 * Keyed arrays: property name -> key path(s) inside each element (dot-separated). With several
 * paths, each element uses the first one that yields a string or number.
 */
export type KeyedArrays = Readonly<Record<string, string | readonly string[]>>;

export interface DriftOptions {
  keyedArrays?: KeyedArrays;
  /** Default 50. */
  maxProperties?: number;
  /** Default 512. */
  maxValueChars?: number;
}

export interface DriftResult {
  properties: DriftedProperty[];
  truncated: boolean;
}

export const DEFAULT_MAX_PROPERTIES = 50;
export const DEFAULT_MAX_VALUE_CHARS = 512;
/** Appended to a value preview that was cut. */
export const TRUNCATION_MARKER = '…[truncated]';

/** RFC 6901 escaping of one reference token. */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function toJsonPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + escapePointerToken(String(s))).join('');
}

/**
 * The original value of every container of a prepared tree, so that evidence shows the content as it
 * is (a whole `settings` list, not its keyed form).
 */
const originals = new WeakMap<object, unknown>();

function remember<T extends object>(prepared: T, original: unknown): T {
  originals.set(prepared, original);
  return prepared;
}

/**
 * An array compared as one value becomes a primitive string, so that microdiff compares it with `===`
 * and reports any difference (with another leaf, an object, an array or a scalar) as one change:
 * `LEAF` + its canonical JSON. Content strings that begin with the marker character are escaped
 * with `ESCAPED`, so the encoding is injective and `unwrap` recovers every value exactly.
 * (A wrapper object would not do: microdiff coerces `String`/`Date` objects to primitives when it
 * compares them, which throws against a null-prototype object.)
 */
const MARK = '\u0000';
const LEAF = MARK + 'a';
const ESCAPED = MARK + 's';

function leafOf(arr: unknown[]): string {
  return LEAF + stableText(arr);
}

function unwrap(v: unknown): unknown {
  if (typeof v === 'string' && v.startsWith(MARK)) {
    return v.startsWith(LEAF) ? (JSON.parse(v.slice(LEAF.length)) as unknown) : v.slice(ESCAPED.length);
  }
  return typeof v === 'object' && v !== null && originals.has(v) ? originals.get(v) : v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Canonical text of a JSON value: leaves are equal exactly when their hashes would be. */
function stableText(v: unknown): string {
  return canonicalJson(v);
}

function keyAt(element: Record<string, unknown>, path: string): string | number | undefined {
  let cur: unknown = element;
  for (const part of path.split('.')) {
    if (!isPlainObject(cur) || !Object.hasOwn(cur, part)) return undefined;
    cur = cur[part];
  }
  return typeof cur === 'string' || (typeof cur === 'number' && Number.isFinite(cur)) ? cur : undefined;
}

function nullObject(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

/** Keyed form of an array of objects, or undefined when some element has no key or keys repeat. */
function keyedForm(arr: Record<string, unknown>[], keyPaths: readonly string[]): Map<string, Record<string, unknown>> | undefined {
  const keyed = new Map<string, Record<string, unknown>>();
  for (const el of arr) {
    let key: string | number | undefined;
    for (const p of keyPaths) {
      key = keyAt(el, p);
      if (key !== undefined) break;
    }
    if (key === undefined || keyed.has(String(key))) return undefined;
    keyed.set(String(key), el);
  }
  return keyed;
}

function prepareArray(arr: unknown[], keyPaths: readonly string[] | undefined, keyedArrays: KeyedArrays): unknown {
  if (arr.length === 0 || !arr.every(isPlainObject)) return leafOf(arr);
  const keyed = keyPaths === undefined ? undefined : keyedForm(arr, keyPaths);
  if (keyed !== undefined) {
    const out = nullObject();
    for (const [k, el] of keyed) out[k] = prepare(el, keyedArrays);
    return remember(out, arr);
  }
  return remember(
    arr.map((el) => prepare(el, keyedArrays)),
    arr,
  );
}

function prepare(value: unknown, keyedArrays: KeyedArrays): unknown {
  if (Array.isArray(value)) return prepareArray(value, undefined, keyedArrays);
  if (typeof value === 'string') return value.startsWith(MARK) ? ESCAPED + value : value;
  if (!isPlainObject(value)) return Object.is(value, -0) ? 0 : value; // -0 and 0 are one JSON number
  const out = nullObject();
  for (const k of Object.keys(value)) {
    const v = value[k];
    if (v === undefined) continue; // absent in JSON, as in the canonical form
    if (Array.isArray(v)) {
      const spec = Object.hasOwn(keyedArrays, k) ? keyedArrays[k] : undefined;
      out[k] = prepareArray(v, spec === undefined ? undefined : typeof spec === 'string' ? [spec] : spec, keyedArrays);
    } else {
      out[k] = prepare(v, keyedArrays);
    }
  }
  return remember(out, value);
}

function compareSegments(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (typeof x === 'number' && typeof y === 'number') {
      if (x !== y) return x - y;
      continue;
    }
    const xs = String(x);
    const ys = String(y);
    if (xs !== ys) return xs < ys ? -1 : 1;
  }
  return a.length - b.length;
}

function capValue(v: unknown, maxValueChars: number): { value: unknown; cut: boolean } {
  const text = typeof v === 'string' ? v : stableText(v);
  if (text.length <= maxValueChars) return { value: v, cut: false };
  return { value: text.slice(0, maxValueChars) + TRUNCATION_MARKER, cut: true };
}

/**
 * The properties that differ between two normalized contents, as JSON pointers, in path order.
 * `baselineContent`/`currentContent` must be JSON objects (the normalized content of each side).
 */
export function driftedProperties(
  baselineContent: Record<string, unknown>,
  currentContent: Record<string, unknown>,
  options: DriftOptions = {},
): DriftResult {
  const maxProperties = options.maxProperties ?? DEFAULT_MAX_PROPERTIES;
  const maxValueChars = options.maxValueChars ?? DEFAULT_MAX_VALUE_CHARS;
  const keyedArrays = options.keyedArrays ?? {};
  const a = prepare(baselineContent, keyedArrays) as Record<string, unknown>;
  const b = prepare(currentContent, keyedArrays) as Record<string, unknown>;

  const diffs = diff(a, b, { cyclesFix: false }).sort((x, y) => compareSegments(x.path, y.path));
  let truncated = diffs.length > maxProperties;
  const properties: DriftedProperty[] = [];
  for (const d of diffs.slice(0, Math.max(0, maxProperties))) {
    const path = toJsonPointer(d.path);
    if (d.type === 'CREATE') {
      const cur = capValue(unwrap(d.value), maxValueChars);
      truncated ||= cur.cut;
      properties.push({ path, kind: 'added', current: cur.value });
    } else if (d.type === 'REMOVE') {
      const base = capValue(unwrap(d.oldValue), maxValueChars);
      truncated ||= base.cut;
      properties.push({ path, kind: 'removed', baseline: base.value });
    } else {
      const base = capValue(unwrap(d.oldValue), maxValueChars);
      const cur = capValue(unwrap(d.value), maxValueChars);
      truncated ||= base.cut || cur.cut;
      properties.push({ path, kind: 'changed', baseline: base.value, current: cur.value });
    }
  }
  return { properties, truncated };
}
