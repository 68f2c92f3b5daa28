/**
 * Ignored properties (the issue "Tenant exceptions", part 2): a profile, and an assignment for one
 * tenant, may name properties that differ for good reason. Each is a JSON pointer into the normalized
 * content (RFC 6901, `~0` / `~1` escapes) in which `*` stands for any one segment; a segment inside a
 * keyed array (`settings`, `children`, ...) matches an element by its position or by its key, as the
 * drifted properties address it (`/settings/<settingDefinitionId>/...`). `/assignments` ignores the
 * assignments dimension as a whole.
 *
 * Ignored paths are removed from both sides before hashing, so they never produce drift. Pure: no I/O.
 */
import type { IgnoredProperty, RegistryTypeKey } from './model.js';
import { InvalidIgnoredPropertyError } from './errors.js';

export { InvalidIgnoredPropertyError };
import { isNoiseKey } from './normalize.js';
import { policyTypeDefinition, typeHasAssignments } from './registry.js';
import type { KeyedArrays } from './drift.js';

/** The whole assignments dimension. */
export const ASSIGNMENTS_POINTER = '/assignments';

/** Most ignored properties a profile or an assignment may list. */
export const MAX_IGNORED_PROPERTIES = 100;

/** The reference tokens of a pointer (`/a/b~1c` -> `['a', 'b/c']`); undefined when it is not one. */
export function pointerSegments(path: string): string[] | undefined {
  if (!path.startsWith('/')) return undefined;
  const raw = path.slice(1).split('/');
  if (raw.some((s) => s === '' || /~(?![01])/.test(s))) return undefined;
  return raw.map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Why `path` can never match a subject of `policyType`, with what to do instead; undefined when it
 * may match. Checked when a profile or an assignment is written.
 */
export function ignoredPathProblem(policyType: RegistryTypeKey, path: string): string | undefined {
  const segments = pointerSegments(path);
  if (segments === undefined) {
    return "it is not a JSON pointer: start with '/', separate segments with '/', no empty segment, escape '~' as '~0' and '/' as '~1' (for example /settings/*/settingInstance/choiceSettingValue/children)";
  }
  const definition = policyTypeDefinition(policyType);
  const [first] = segments;
  if (first === 'assignments') {
    if (!typeHasAssignments(policyType)) return `${policyType} policies have no assignments: remove this entry`;
    if (segments.length > 1) {
      return 'assignments are compared as a whole dimension (by what each assignment means, not by position): ignore /assignments, or turn compareAssignments off on the profile';
    }
    return undefined;
  }
  if (segments.length === 1 && first === '*') return 'it ignores the whole content, so nothing would be compared: take the type out of the profile scope instead';
  if (first === definition.nameField) {
    return `'${first}' is the policy's identity, never part of its hashed content: to pair a renamed policy with the baseline one, add a subject link (POST /tenants/{tenantId}/subject-links)`;
  }
  const noise = segments.find((s) => s !== '*' && isNoiseKey(s));
  if (noise !== undefined) return `'${noise}' is removed by normalization at every depth, so it never produces drift: remove this entry`;
  return undefined;
}

/** Refuses the first entry that can never match its type (InvalidIgnoredPropertyError). */
export function validateIgnoredProperties(list: readonly IgnoredProperty[]): IgnoredProperty[] {
  if (list.length > MAX_IGNORED_PROPERTIES) {
    throw new InvalidIgnoredPropertyError(MAX_IGNORED_PROPERTIES, list[MAX_IGNORED_PROPERTIES]!.path, `at most ${MAX_IGNORED_PROPERTIES} entries are allowed: ignore a parent path instead of many children`);
  }
  return list.map((entry, index) => {
    const why = ignoredPathProblem(entry.policyType, entry.path);
    if (why !== undefined) throw new InvalidIgnoredPropertyError(index, entry.path, why);
    return { policyType: entry.policyType, path: entry.path, reason: entry.reason };
  });
}

/** The paths of `policyType` among the lists (a profile's, then an assignment's), each once, in order. */
export function ignoredPathsFor(policyType: RegistryTypeKey, ...lists: (readonly IgnoredProperty[] | undefined)[]): string[] {
  const out: string[] = [];
  for (const list of lists) for (const e of list ?? []) if (e.policyType === policyType && !out.includes(e.path)) out.push(e.path);
  return out;
}

/** The profile's list plus the assignment's own entries (one entry per type and path). */
export function effectiveIgnoredProperties(profile: readonly IgnoredProperty[] | undefined, assignment: readonly IgnoredProperty[] | undefined): IgnoredProperty[] {
  const out: IgnoredProperty[] = [];
  for (const e of [...(profile ?? []), ...(assignment ?? [])]) {
    if (!out.some((o) => o.policyType === e.policyType && o.path === e.path)) out.push(e);
  }
  return out;
}

export interface StrippedContent {
  content: Record<string, unknown>;
  /** The paths that removed something, in the order given. */
  applied: string[];
}

/**
 * `content` without what the pointers name (a copy; the input is left as is). `/assignments` is no
 * content path (the dimension is switched off by the caller) and is skipped here.
 */
export function stripIgnored(content: Record<string, unknown>, paths: readonly string[], keyedArrays: KeyedArrays): StrippedContent {
  const copy = structuredClone(content);
  const applied: string[] = [];
  for (const path of paths) {
    if (path === ASSIGNMENTS_POINTER) continue;
    const segments = pointerSegments(path);
    if (segments !== undefined && removeAt(copy, undefined, segments, 0, keyedArrays)) applied.push(path);
  }
  return { content: copy, applied };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function elementKey(element: unknown, keyPaths: readonly string[]): string | undefined {
  if (!isObject(element)) return undefined;
  for (const p of keyPaths) {
    let cur: unknown = element;
    for (const part of p.split('.')) cur = isObject(cur) && Object.hasOwn(cur, part) ? cur[part] : undefined;
    if (typeof cur === 'string' || (typeof cur === 'number' && Number.isFinite(cur))) return String(cur);
  }
  return undefined;
}

/** Whether array element `index` (of the array held by `arrayKey`) matches `segment`. */
function elementMatches(arr: unknown[], index: number, segment: string, arrayKey: string | undefined, keyedArrays: KeyedArrays): boolean {
  if (segment === '*' || segment === String(index)) return true;
  const spec = arrayKey !== undefined && Object.hasOwn(keyedArrays, arrayKey) ? keyedArrays[arrayKey] : undefined;
  if (spec === undefined) return false;
  return elementKey(arr[index], typeof spec === 'string' ? [spec] : spec) === segment;
}

/** Removes what `segments[i..]` names below `node`; true when something was removed. */
function removeAt(node: unknown, nodeKey: string | undefined, segments: readonly string[], i: number, keyedArrays: KeyedArrays): boolean {
  const segment = segments[i]!;
  const last = i === segments.length - 1;
  let removed = false;
  if (Array.isArray(node)) {
    for (let index = node.length - 1; index >= 0; index--) {
      if (!elementMatches(node, index, segment, nodeKey, keyedArrays)) continue;
      if (last) {
        node.splice(index, 1);
        removed = true;
      } else if (removeAt(node[index], nodeKey, segments, i + 1, keyedArrays)) removed = true;
    }
    return removed;
  }
  if (!isObject(node)) return false;
  for (const key of segment === '*' ? Object.keys(node) : Object.hasOwn(node, segment) ? [segment] : []) {
    if (last) {
      delete node[key];
      removed = true;
    } else if (removeAt(node[key], key, segments, i + 1, keyedArrays)) removed = true;
  }
  return removed;
}
