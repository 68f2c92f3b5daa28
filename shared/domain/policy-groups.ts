/**
 * Groups named inside a policy (the issue "Assignments: a compared dimension of drift", design 3.2):
 * conditional access `conditions.users.includeGroups` / `excludeGroups` and any other list under
 * `GROUP_REFERENCE_KEYS`, at any depth. They are compared as mapped references, exactly as an
 * assignment's group is (`assignments.ts`): an explicit mapping of the tenant, else the same object
 * id on both sides, else the same display name, else unresolved. So "excluded the break-glass group"
 * and "excluded some other group" are told apart; users and locations stay `tenant-ref`.
 *
 * - In the content (what is hashed and shown) a group id becomes the group's display name when it
 *   is known (the `groupDisplayNames` a sync writes beside the policy, captured with it into a
 *   snapshot), else `tenant-ref` (`normalize.ts`).
 * - Beside the content a subject keeps its group lists (`PolicyGroupList`: the list's JSON pointer,
 *   its groups as `{ id, name? }`, and any value that is no group id), which the compare resolves when
 *   the content hashes differ, a group has no name, or the tenant has explicit mappings.
 * - Resolution: the content without the group lists must be equal; then every list is a set of
 *   references matched as assignments are. No pairing even if every unresolved group were the one it
 *   faces (a group more or fewer, a group mapped or named otherwise) -> provable drift, a finding on
 *   `settings`; a pairing only that way -> unresolved, an `assignment_target_unresolved` gap, never
 *   aligned and never a finding.
 * - Evidence paths stay the list's own (`/conditions/users/excludeGroups`), its values the groups'
 *   names (or ids when unnamed), paired groups shown by the baseline's label so that only what differs shows.
 *
 * A list inside an array is addressed by the array position of the object as Graph returned it (no
 * registry type has such a list today).
 */
import { canonicalJson, sha256Hex } from './canonical.js';
import { maximumMatching, referenceMatch, type AssignmentReference, type GroupMapping, type Match } from './assignments.js';
import { toJsonPointer } from './drift.js';
import { toGraphShape } from './export-shapes.js';
import type { RegistryTypeKey } from './model.js';
import { groupNamesOf, isGuid, isNoiseKey } from './normalize.js';
import { GROUP_NAMES_PROPERTY, GROUP_REFERENCE_KEYS, TENANT_REF_TOKEN } from './registry.js';

/** One list of groups inside a policy. */
export interface PolicyGroupList {
  /** JSON pointer of the list in the content, e.g. `/conditions/users/excludeGroups`. */
  path: string;
  groups: AssignmentReference[];
  /** Values of the list that are no group id (kept as they are in the content). */
  values?: string[];
}

const GROUP_KEYS: ReadonlySet<string> = new Set(GROUP_REFERENCE_KEYS);
/** Top-level properties that are not content: the assignments dimension and the group names. */
const NOT_CONTENT = new Set(['assignments', GROUP_NAMES_PROPERTY]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every group list of a Graph object (as found: a single value is a one-element list). */
function visitGroupLists(obj: Record<string, unknown>, visit: (segments: readonly (string | number)[], items: readonly unknown[]) => void): void {
  const walk = (value: unknown, segments: (string | number)[], top: boolean): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...segments, i], false));
      return;
    }
    if (!isRecord(value)) return;
    for (const [key, item] of Object.entries(value)) {
      if (item === null || item === undefined || isNoiseKey(key) || (top && NOT_CONTENT.has(key))) continue;
      if (GROUP_KEYS.has(key)) visit([...segments, key], Array.isArray(item) ? item : [item]);
      else if (typeof item === 'object') walk(item, [...segments, key], false);
    }
  };
  walk(obj, [], true);
}

/**
 * The group lists of an object of `typeKey` with the names known for their ids (the object's
 * `groupDisplayNames` over `names`); lists without any group id are left out.
 */
export function policyGroupLists(typeKey: RegistryTypeKey, obj: Record<string, unknown>, names?: ReadonlyMap<string, string>): PolicyGroupList[] {
  const known = groupNamesOf(obj, names);
  const out: PolicyGroupList[] = [];
  visitGroupLists(toGraphShape(typeKey, obj), (segments, items) => {
    const groups: AssignmentReference[] = [];
    const values: string[] = [];
    for (const item of items) {
      if (isGuid(item)) {
        const name = known.get(item.toLowerCase());
        groups.push(name === undefined ? { id: item } : { id: item, name });
      } else if (typeof item === 'string') values.push(item);
    }
    if (groups.length === 0) return;
    const list: PolicyGroupList = { path: toJsonPointer(segments), groups: groups.sort((a, b) => compareText(a.id ?? '', b.id ?? '')) };
    if (values.length > 0) list.values = values.sort(compareText);
    out.push(list);
  });
  return out.sort((a, b) => compareText(a.path, b.path));
}

/**
 * The group lists of normalized content stored without them (captured before groups named inside a
 * policy were kept beside the content): a name is a reference by name, `tenant-ref` one without a
 * name or id, so such a side resolves by name or stays unresolved, never compares as "no groups".
 */
export function policyGroupListsOfContent(content: Record<string, unknown>): PolicyGroupList[] {
  const out: PolicyGroupList[] = [];
  visitGroupLists(content, (segments, items) => {
    const groups: AssignmentReference[] = [];
    for (const item of items) {
      if (item === TENANT_REF_TOKEN) groups.push({});
      else if (typeof item === 'string') groups.push({ name: item });
    }
    if (groups.length > 0) out.push({ path: toJsonPointer(segments), groups });
  });
  return out.sort((a, b) => compareText(a.path, b.path));
}

/** The group ids a Graph object names inside itself (for resolving their names, as assignments' are). */
export function policyGroupIds(obj: Record<string, unknown>): string[] {
  const out: string[] = [];
  visitGroupLists(obj, (_segments, items) => {
    for (const item of items) if (isGuid(item)) out.push(item);
  });
  return out;
}

/**
 * The object with the names of the groups it names inside itself written beside it
 * (`groupDisplayNames: { "<id>": "<name>" }`), so that an export is self-contained. Names already
 * there are kept; an id without a known name is left out. Returns `obj` itself when nothing is added.
 */
export function withPolicyGroupNames(obj: Record<string, unknown>, groups: ReadonlyMap<string, string>): Record<string, unknown> {
  const ids = policyGroupIds(obj);
  if (ids.length === 0 || groups.size === 0) return obj;
  const existing = obj[GROUP_NAMES_PROPERTY];
  const names: Record<string, unknown> = isRecord(existing) ? { ...existing } : {};
  let added = false;
  for (const id of ids) {
    const name = groups.get(id);
    if (name === undefined || typeof names[id] === 'string') continue;
    names[id] = name;
    added = true;
  }
  return added ? { ...obj, [GROUP_NAMES_PROPERTY]: names } : obj;
}

/** What the compare reads of a side's group lists without loading them. */
export interface PolicyGroupsSummary {
  /** Group references in the lists. */
  count: number;
  /** References without a name. */
  unresolved: number;
  /** SHA-256 over the lists with their ids and names: tells a stored copy from a changed one; equal on both sides, the same groups. */
  hash: string;
}

export function summarizePolicyGroups(lists: readonly PolicyGroupList[]): PolicyGroupsSummary {
  let count = 0;
  let unresolved = 0;
  for (const list of lists) {
    count += list.groups.length;
    unresolved += list.groups.filter((g) => g.name === undefined).length;
  }
  return { count, unresolved, hash: sha256Hex(canonicalJson(lists)) };
}

// ---------------------------------------------------------------------------------------------------
// Resolution
// ---------------------------------------------------------------------------------------------------

export type PolicyGroupsVerdict = 'equal' | 'drift' | 'unresolved';

export interface PolicyGroupsResolution {
  verdict: PolicyGroupsVerdict;
  /** What could not be resolved (verdict `unresolved`), e.g. `baseline /conditions/users/excludeGroups group <id>`. */
  unresolved: string[];
  /** Both contents with every group list written as labels (paired groups by the baseline's): what drifted properties are computed on. */
  baseline: Record<string, unknown>;
  current: Record<string, unknown>;
}

function segmentsOf(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The object holding the last segment of `pointer` in `root`, if there is one. */
function holderOf(root: unknown, pointer: string): { holder: Record<string, unknown>; key: string } | undefined {
  const segments = segmentsOf(pointer);
  let current: unknown = root;
  for (const segment of segments.slice(0, -1)) {
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isRecord(current)) current = current[segment];
    else return undefined;
  }
  const key = segments[segments.length - 1];
  return isRecord(current) && key !== undefined ? { holder: current, key } : undefined;
}

function label(ref: AssignmentReference): string {
  return ref.name ?? ref.id ?? '?';
}

function withLists(content: Record<string, unknown>, lists: ReadonlyMap<string, string[] | undefined>): Record<string, unknown> {
  const copy = structuredClone(content);
  for (const [path, value] of lists) {
    const at = holderOf(copy, path);
    if (at === undefined) continue;
    if (value === undefined) delete at.holder[at.key];
    else if (Object.hasOwn(at.holder, at.key) || value.length > 0) at.holder[at.key] = value;
  }
  return copy;
}

/**
 * Compares the groups named inside one subject's policy on both sides (contents as normalized, lists
 * as `policyGroupLists` gave them) with the tenant's explicit group mappings.
 */
export function resolvePolicyGroups(input: {
  baseline: Record<string, unknown>;
  current: Record<string, unknown>;
  baselineLists: readonly PolicyGroupList[];
  currentLists: readonly PolicyGroupList[];
  mappings?: readonly GroupMapping[];
}): PolicyGroupsResolution {
  const mappings = input.mappings ?? [];
  const byPath = (lists: readonly PolicyGroupList[]) => new Map(lists.map((l) => [l.path, l]));
  const baseLists = byPath(input.baselineLists);
  const curLists = byPath(input.currentLists);
  const paths = [...new Set([...baseLists.keys(), ...curLists.keys()])].sort(compareText);

  // The content without its group lists must be equal whatever the groups are.
  const removed = new Map<string, undefined>(paths.map((p) => [p, undefined]));
  let drift = canonicalJson(withLists(input.baseline, removed)) !== canonicalJson(withLists(input.current, removed));
  const unresolved = new Set<string>();
  const baseLabels = new Map<string, string[]>();
  const curLabels = new Map<string, string[]>();
  for (const path of paths) {
    const b = baseLists.get(path);
    const c = curLists.get(path);
    const bg = b?.groups ?? [];
    const cg = c?.groups ?? [];
    if (canonicalJson(b?.values ?? []) !== canonicalJson(c?.values ?? [])) drift = true;
    const edges: Match[][] = bg.map((x) => cg.map((y) => referenceMatch(x, y, mappings)));
    const sure = maximumMatching(bg.length, cg.length, (i, j) => edges[i]![j] === 'yes');
    const possible = maximumMatching(bg.length, cg.length, (i, j) => edges[i]![j] !== 'no', sure);
    if (bg.length !== cg.length || possible.size !== bg.length) drift = true;
    else if (sure.size !== bg.length) {
      for (const [j, i] of possible) {
        if (edges[i]![j] === 'yes') continue;
        if (bg[i]!.name === undefined) unresolved.add(`baseline ${path} group ${label(bg[i]!)}`);
        if (cg[j]!.name === undefined) unresolved.add(`current ${path} group ${label(cg[j]!)}`);
      }
    }
    // Labels: a paired tenant group shows as the baseline group it is; any other by its own name or id.
    const bl = bg.map(label);
    const taken = new Set(bl);
    const cl = cg.map((g, j) => {
      const i = possible.get(j);
      if (i !== undefined) return bl[i]!;
      const own = label(g);
      return taken.has(own) && g.id !== undefined ? `${own} (${g.id})` : own;
    });
    baseLabels.set(path, [...(b?.values ?? []), ...bl].sort(compareText));
    curLabels.set(path, [...(c?.values ?? []), ...cl].sort(compareText));
  }
  const verdict: PolicyGroupsVerdict = drift ? 'drift' : unresolved.size > 0 ? 'unresolved' : 'equal';
  return {
    verdict,
    unresolved: verdict === 'unresolved' ? [...unresolved].sort(compareText) : [],
    baseline: withLists(input.baseline, baseLabels),
    current: withLists(input.current, curLabels),
  };
}
