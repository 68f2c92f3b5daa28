/**
 * Assignments: a compared dimension of drift (design 3.5 and the issue "Assignments: a compared
 * dimension of drift, mapped across tenants").
 *
 * An assignment as Graph returns it (`$expand=assignments` or `/{id}/assignments`):
 * `{ id, source, sourceId, intent?, target: { "@odata.type", groupId?, groupDisplayName?,
 * deviceAndAppManagementAssignmentFilterId?, deviceAndAppManagementAssignmentFilterDisplayName?,
 * deviceAndAppManagementAssignmentFilterType?, collectionId? } }` normalizes to what it means:
 * - `kind`: the target kind, from `target.@odata.type` (`group`, `exclusionGroup`, `allDevices`,
 *   `allLicensedUsers`, `configurationManagerCollection`, ...): configuration, never noise;
 * - `intent` where the type has one (`required`, `available`, `uninstall`; `apply`, the default of
 *   device configurations, is left out so that exports with and without it agree);
 * - `source`: `direct` (also when absent) or `policySets`;
 * - `group` and `filter`: *references* `{ id?, name? }`, compared as mapped references (below);
 * - `filterType`: `include`, `exclude` or `none` (a filter with type `none` is no filter);
 * - `settings`: any other property of the assignment, normalized by the type's rules (noise, secrets,
 *   tenant references, ordering), as content is.
 * `id`, `sourceId`, `collectionId` and the group and filter object ids never reach the hash: the hash
 * covers the reference's folded name, or `?` when it has none. Assignments are an unordered set.
 *
 * Mapped references: a baseline group and a tenant group are the same group when an explicit mapping
 * of the tenant says so (baseline group name or id -> tenant group id or name), else when their object
 * ids are equal (ids are globally unique), else when their display names are equal (folded as
 * policy names are); a reference without a name, neither mapped nor of equal id, is unresolved.
 * Filters follow the same order without explicit mappings (a filter's name comes from the
 * assignmentFilter inventory of the same tenant).
 *
 * Provable drift: the two sides are equal when every assignment of one side pairs with one of the
 * other whose kind, intent, source, filter type and settings are equal and whose references are the
 * same. When no pairing exists even if every unresolved reference were taken for the one it faces,
 * the drift is provable: a finding. When a pairing exists only that way, the dimension is
 * `unresolved`: a gap (`assignment_target_unresolved`), never aligned and never a finding.
 */
import { canonicalJson, sha256Hex } from './canonical.js';
import type { DriftedProperty } from './model.js';
import { driftedProperties, type DriftResult } from './drift.js';
import { normalizeName } from './names.js';
import { isNoiseKey } from './normalize.js';
import { ALWAYS_UNORDERED_ARRAYS } from './registry.js';

/** The two dimensions of a subject's drift. */
export const DRIFT_DIMENSIONS = ['settings', 'assignments'] as const;
export type DriftDimension = (typeof DRIFT_DIMENSIONS)[number];

/** A group or filter as an assignment names it: its object id and, when known, its display name. */
export interface AssignmentReference {
  id?: string;
  name?: string;
}

export interface NormalizedAssignment {
  kind: string;
  intent?: string;
  source: string;
  filterType: string;
  group?: AssignmentReference;
  filter?: AssignmentReference;
  settings?: Record<string, unknown>;
}

/** One explicit group mapping of a tenant: a baseline group (name or id) is this tenant group (id or name). */
export interface GroupMapping {
  baselineGroup: string;
  tenantGroup: string;
}

const ODATA_PREFIX = /^#?microsoft\.graph\./;
const TARGET_SUFFIX = /AssignmentTarget$/;
const ASSIGNMENT_NOISE = new Set(['id', 'source', 'sourceId', 'intent', 'target']);
const TARGET_KNOWN = new Set([
  'groupId',
  'groupDisplayName',
  'collectionId',
  'deviceAndAppManagementAssignmentFilterId',
  'deviceAndAppManagementAssignmentFilterDisplayName',
  'deviceAndAppManagementAssignmentFilterType',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** The target kind of a Graph `@odata.type` (`#microsoft.graph.exclusionGroupAssignmentTarget` -> `exclusionGroup`). */
export function targetKindOf(odataType: unknown): string {
  const text = nonEmptyString(odataType);
  if (text === undefined) return 'unknown';
  return text.replace(ODATA_PREFIX, '').replace(TARGET_SUFFIX, '');
}

function reference(id: unknown, name: unknown): AssignmentReference | undefined {
  const ref: AssignmentReference = {};
  const i = nonEmptyString(id);
  const n = nonEmptyString(name);
  if (i !== undefined) ref.id = i;
  if (n !== undefined) ref.name = n;
  return i === undefined && n === undefined ? undefined : ref;
}

/** Noise removed at every depth (the rules of docs/normalization.md, "Noise"), keys in canonical order. */
/**
 * An assignment's remaining properties without noise, with the ordering rule of content
 * (docs/normalization.md, "Ordering"): the include/exclude lists every type sorts are sorted here
 * too, and the elements of an array inherit its property name (a list of lists stays unordered).
 */
function withoutNoise(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => withoutNoise(item, key));
    if (key === undefined || !UNORDERED.has(key)) return items;
    return items.map((item) => ({ item, text: canonicalJson(item) })).sort((a, b) => compareText(a.text, b.text)).map(({ item }) => item);
  }
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    const v = value[k];
    if (v === null || v === undefined || isNoiseKey(k)) continue;
    out[k] = withoutNoise(v, k);
  }
  return out;
}

const UNORDERED: ReadonlySet<string> = new Set(ALWAYS_UNORDERED_ARRAYS);

/** Names to fill in where an export carries only ids (e.g. filters, from the tenant's assignmentFilter inventory). */
export interface ReferenceNames {
  groups?: ReadonlyMap<string, string>;
  filters?: ReadonlyMap<string, string>;
}

/** Names of a tenant's assignment filters (id -> displayName), from its assignmentFilter objects. */
export function filterNamesOf(filters: readonly Record<string, unknown>[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of filters) {
    const id = nonEmptyString(f['id']);
    const name = nonEmptyString(f['displayName']);
    if (id !== undefined && name !== undefined) out.set(id, name);
  }
  return out;
}

/**
 * A Graph object's `assignments` as a list: an array as it is, a single assignment object (Windows
 * PowerShell's `ConvertTo-Json` unrolls a one-element array) as a one-element array; anything else
 * (absent, `null`) is `undefined`: not collected.
 */
export function assignmentList(raw: unknown): unknown[] | undefined {
  if (Array.isArray(raw)) return raw as unknown[];
  return isRecord(raw) ? [raw] : undefined;
}

/** The group ids a Graph object's assignments target (for resolving their names). */
export function assignmentGroupIds(obj: Record<string, unknown>): string[] {
  const raw = assignmentList(obj['assignments']);
  if (raw === undefined) return [];
  const out: string[] = [];
  for (const entry of raw) {
    const target = isRecord(entry) && isRecord(entry['target']) ? entry['target'] : undefined;
    const id = target === undefined ? undefined : nonEmptyString(target['groupId']);
    if (id !== undefined) out.push(id);
  }
  return out;
}

/**
 * The object with the names it names only by id written beside its assignments' ids
 * (`target.groupDisplayName`, `target.deviceAndAppManagementAssignmentFilterDisplayName`), so that an
 * export is self-contained. Names already there are kept; an id without a known name stays as it is.
 */
export function withReferenceNames(obj: Record<string, unknown>, names: ReferenceNames): Record<string, unknown> {
  const raw = assignmentList(obj['assignments']);
  if (raw === undefined) return obj;
  const assignments = raw.map((entry: unknown) => {
    if (!isRecord(entry) || !isRecord(entry['target'])) return entry;
    const target = { ...entry['target'] };
    const groupId = nonEmptyString(target['groupId']);
    const groupName = groupId === undefined ? undefined : names.groups?.get(groupId);
    if (groupName !== undefined && nonEmptyString(target['groupDisplayName']) === undefined) target['groupDisplayName'] = groupName;
    const filterId = nonEmptyString(target['deviceAndAppManagementAssignmentFilterId']);
    const filterName = filterId === undefined ? undefined : names.filters?.get(filterId);
    if (filterName !== undefined && nonEmptyString(target['deviceAndAppManagementAssignmentFilterDisplayName']) === undefined) {
      target['deviceAndAppManagementAssignmentFilterDisplayName'] = filterName;
    }
    return { ...entry, target };
  });
  return { ...obj, assignments };
}

/**
 * The assignments of a Graph object, normalized; `undefined` when the object carries no
 * `assignments` (not collected: that dimension is then not compared). `[]` is "collected: none"; a
 * single assignment object is a one-element array (`assignmentList`).
 */
export function normalizeAssignments(
  raw: unknown,
  names: ReferenceNames = {},
  normalizeSettings: (settings: Record<string, unknown>) => Record<string, unknown> = (settings) => withoutNoise(settings) as Record<string, unknown>,
): NormalizedAssignment[] | undefined {
  const list = assignmentList(raw);
  if (list === undefined) return undefined;
  const out: NormalizedAssignment[] = [];
  for (const entry of list) {
    if (!isRecord(entry)) continue;
    const target = isRecord(entry['target']) ? entry['target'] : {};
    const kind = targetKindOf(target['@odata.type']);
    const rawFilterType = nonEmptyString(target['deviceAndAppManagementAssignmentFilterType']);
    const filterId = nonEmptyString(target['deviceAndAppManagementAssignmentFilterId']);
    const filterType = rawFilterType ?? (filterId !== undefined ? 'include' : 'none');
    const assignment: NormalizedAssignment = {
      kind,
      source: nonEmptyString(entry['source']) ?? 'direct',
      filterType,
    };
    const intent = nonEmptyString(entry['intent']);
    if (intent !== undefined && intent !== 'apply') assignment.intent = intent;
    const groupId = nonEmptyString(target['groupId']);
    const group = reference(groupId, target['groupDisplayName'] ?? (groupId !== undefined ? names.groups?.get(groupId) : undefined));
    if (group !== undefined) assignment.group = group;
    if (filterType !== 'none') {
      const filterName =
        target['deviceAndAppManagementAssignmentFilterDisplayName'] ?? (filterId !== undefined ? names.filters?.get(filterId) : undefined);
      assignment.filter = reference(filterId, filterName) ?? {};
    }
    const settings: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(entry)) {
      if (!ASSIGNMENT_NOISE.has(key)) settings[key] = value;
    }
    for (const [key, value] of Object.entries(target)) {
      if (!TARGET_KNOWN.has(key)) settings[`target.${key}`] = value;
    }
    const cleaned = normalizeSettings(settings);
    if (Object.keys(cleaned).length > 0) assignment.settings = cleaned;
    out.push(assignment);
  }
  return sortAssignments(out);
}

/** Assignments in the order `normalizeAssignments` returns them (by what they mean). */
export function sortAssignments(assignments: readonly NormalizedAssignment[]): NormalizedAssignment[] {
  return [...assignments].sort((a, b) => compareText(meaningText(a), meaningText(b)));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The hashed form of a reference: its folded name, or `?` (unresolved). Ids never reach it. */
function referenceToken(ref: AssignmentReference | undefined): string | undefined {
  if (ref === undefined) return undefined;
  return ref.name !== undefined ? normalizeName(ref.name) : '?';
}

/** What an assignment means, without any tenant-specific id: what the hash covers. */
function meaningOf(a: NormalizedAssignment): Record<string, unknown> {
  const out: Record<string, unknown> = { filterType: a.filterType, kind: a.kind, source: a.source };
  if (a.intent !== undefined) out['intent'] = a.intent;
  const group = referenceToken(a.group);
  if (group !== undefined) out['group'] = group;
  const filter = referenceToken(a.filter);
  if (filter !== undefined) out['filter'] = filter;
  if (a.settings !== undefined) out['settings'] = a.settings;
  return out;
}

function meaningText(a: NormalizedAssignment): string {
  return canonicalJson(meaningOf(a));
}

/** What the compare reads of a side's assignments without loading them: hash and reference counts. */
export interface AssignmentsSummary {
  /** SHA-256 over the canonical JSON of the sorted meanings. */
  hash: string;
  /** Group references (an explicit mapping of the tenant may apply to them). */
  groups: number;
  /** References without a name (only their id can resolve them). */
  unresolved: number;
  /** SHA-256 over the assignments with their ids: tells a stored copy from a changed one (an unnamed
   *  group replaced by another leaves `hash` as it was). Never compared across tenants. */
  storedHash: string;
}

export function summarizeAssignments(assignments: readonly NormalizedAssignment[]): AssignmentsSummary {
  const meanings = assignments.map(meaningText).sort(compareText);
  let groups = 0;
  let unresolved = 0;
  for (const a of assignments) {
    if (a.group !== undefined) {
      groups += 1;
      if (a.group.name === undefined) unresolved += 1;
    }
    if (a.filter !== undefined && a.filter.name === undefined) unresolved += 1;
  }
  return { hash: sha256Hex(`[${meanings.join(',')}]`), groups, unresolved, storedHash: sha256Hex(canonicalJson(assignments)) };
}

// ---------------------------------------------------------------------------------------------------
// Resolution
// ---------------------------------------------------------------------------------------------------

export type Match = 'yes' | 'no' | 'unknown';

function sameName(a: string, b: string): boolean {
  return normalizeName(a) === normalizeName(b);
}

function denotes(ref: AssignmentReference, text: string): boolean {
  return ref.id === text || (ref.name !== undefined && sameName(ref.name, text));
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function referenceMatch(b: AssignmentReference | undefined, t: AssignmentReference | undefined, mappings: readonly GroupMapping[]): Match {
  if (b === undefined || t === undefined) return b === t ? 'yes' : 'no';
  const mapping = mappings.find((m) => denotes(b, m.baselineGroup));
  if (mapping !== undefined) {
    if (denotes(t, mapping.tenantGroup)) return 'yes';
    // The mapping names a tenant group by id: a known id that differs is another group.
    if (GUID.test(mapping.tenantGroup) && t.id !== undefined) return 'no';
    return t.name === undefined ? 'unknown' : 'no';
  }
  if (b.id !== undefined && b.id === t.id) return 'yes';
  // A tenant group that a mapping gives to another baseline group is not this one.
  if (mappings.some((m) => denotes(t, m.tenantGroup))) return 'no';
  if (b.name !== undefined && t.name !== undefined) return sameName(b.name, t.name) ? 'yes' : 'no';
  return 'unknown';
}

/** Kind, intent, source, filter type and settings: what must be equal whatever the references. */
function fixedPart(a: NormalizedAssignment): string {
  return canonicalJson({
    filterType: a.filterType,
    hasFilter: a.filter !== undefined,
    hasGroup: a.group !== undefined,
    intent: a.intent ?? null,
    kind: a.kind,
    settings: a.settings ?? null,
    source: a.source,
  });
}

function edge(b: NormalizedAssignment, t: NormalizedAssignment, mappings: readonly GroupMapping[]): Match {
  if (fixedPart(b) !== fixedPart(t)) return 'no';
  const group = referenceMatch(b.group, t.group, mappings);
  if (group === 'no') return 'no';
  const filter = referenceMatch(b.filter, t.filter, []);
  if (filter === 'no') return 'no';
  return group === 'yes' && filter === 'yes' ? 'yes' : 'unknown';
}

/**
 * A maximum matching of baseline to tenant assignments over the allowed edges (Kuhn's augmenting
 * paths; assignment lists are small), extending `seed`. Returns tenant index -> baseline index.
 */
export function maximumMatching(n: number, m: number, allowed: (i: number, j: number) => boolean, seed?: Map<number, number>): Map<number, number> {
  const ofTenant = new Map<number, number>(seed);
  const ofBaseline = new Map<number, number>([...ofTenant].map(([j, i]) => [i, j]));
  const augment = (i: number, seen: Set<number>): boolean => {
    for (let j = 0; j < m; j += 1) {
      if (seen.has(j) || !allowed(i, j)) continue;
      seen.add(j);
      const holder = ofTenant.get(j);
      if (holder === undefined || augment(holder, seen)) {
        ofTenant.set(j, i);
        ofBaseline.set(i, j);
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < n; i += 1) if (!ofBaseline.has(i)) augment(i, new Set());
  return ofTenant;
}

export type AssignmentsVerdict = 'equal' | 'drift' | 'unresolved';

export interface AssignmentsResolution {
  verdict: AssignmentsVerdict;
  /** Paths under `/assignments/<target>` naming each target by what it is (verdict `drift`). */
  drift: DriftResult;
  /** What could not be resolved (verdict `unresolved`), e.g. `baseline include:group:<id>`. */
  unresolved: string[];
}

/** The readable address of an assignment: `include:group:Finance Devices`, `exclude:group:<id>`, `include:allDevices`. */
export function assignmentLabel(a: NormalizedAssignment): string {
  const exclude = /^exclusion/i.test(a.kind);
  const direction = exclude ? 'exclude' : 'include';
  if (a.group !== undefined) {
    const what = a.kind === 'group' || a.kind === 'exclusionGroup' ? 'group' : a.kind;
    return `${direction}:${what}:${a.group.name ?? a.group.id ?? '?'}`;
  }
  return `${direction}:${exclude ? a.kind.replace(/^exclusion/i, '').replace(/^./, (c) => c.toLowerCase()) : a.kind}`;
}

/** What evidence shows of one assignment beside its address. */
function shownValue(a: NormalizedAssignment): Record<string, unknown> {
  const out: Record<string, unknown> = { filterType: a.filterType, source: a.source };
  if (a.intent !== undefined) out['intent'] = a.intent;
  if (a.filter !== undefined) out['filter'] = a.filter.name ?? a.filter.id ?? '?';
  if (a.settings !== undefined) out['settings'] = a.settings;
  return out;
}

function unique(label: string, taken: Set<string>): string {
  let out = label;
  for (let n = 2; taken.has(out); n += 1) out = `${label} (${n})`;
  taken.add(out);
  return out;
}

function describeUnresolved(side: 'baseline' | 'current', a: NormalizedAssignment): string[] {
  const out: string[] = [];
  if (a.group !== undefined && a.group.name === undefined) out.push(`${side} ${assignmentLabel(a)}`);
  if (a.filter !== undefined && a.filter.name === undefined) out.push(`${side} ${assignmentLabel(a)} filter ${a.filter.id ?? '?'}`);
  return out;
}

/**
 * Compares the assignments of one subject on both sides with the tenant's explicit group mappings.
 * `equal`: the same targets (every reference resolved); `drift`: provably different (with paths);
 * `unresolved`: equal only if some unresolved reference is taken for the one it faces.
 */
export function resolveAssignments(
  baseline: readonly NormalizedAssignment[],
  current: readonly NormalizedAssignment[],
  options: { mappings?: readonly GroupMapping[]; maxProperties?: number; maxValueChars?: number } = {},
): AssignmentsResolution {
  const mappings = options.mappings ?? [];
  const n = baseline.length;
  const m = current.length;
  const edges: Match[][] = baseline.map((b) => current.map((t) => edge(b, t, mappings)));
  const sure = maximumMatching(n, m, (i, j) => edges[i]![j] === 'yes');
  const noDrift: DriftResult = { properties: [], truncated: false };
  if (n === m && sure.size === n) return { verdict: 'equal', drift: noDrift, unresolved: [] };
  const possible = maximumMatching(n, m, (i, j) => edges[i]![j] !== 'no', sure);
  if (n === m && possible.size === n) {
    const unresolved = new Set<string>();
    for (const [j, i] of possible) {
      if (edges[i]![j] === 'yes') continue;
      for (const d of describeUnresolved('baseline', baseline[i]!)) unresolved.add(d);
      for (const d of describeUnresolved('current', current[j]!)) unresolved.add(d);
    }
    return { verdict: 'unresolved', drift: noDrift, unresolved: [...unresolved].sort(compareText) };
  }
  // Provable drift. Addresses: paired assignments share the baseline's; an unpaired tenant
  // assignment that targets the same thing as an unpaired baseline one (same kind, same or unresolved
  // group) shares its address too, so a changed filter or source shows as that field; any other
  // keeps its own address, told apart from the baseline's when the names collide.
  const baseKeyed: Record<string, unknown> = {};
  const curKeyed: Record<string, unknown> = {};
  const baseTaken = new Set<string>();
  const labels: string[] = baseline.map((b) => unique(assignmentLabel(b), baseTaken));
  baseline.forEach((b, i) => (baseKeyed[labels[i]!] = shownValue(b)));
  const pairedOf = new Map<number, number>(possible);
  const pairedBaseline = new Set<number>(pairedOf.values());
  current.forEach((t, j) => {
    if (pairedOf.has(j)) return;
    const i = baseline.findIndex(
      (b, k) => !pairedBaseline.has(k) && b.kind === t.kind && (b.group === undefined) === (t.group === undefined) && referenceMatch(b.group, t.group, mappings) !== 'no',
    );
    if (i >= 0) {
      pairedOf.set(j, i);
      pairedBaseline.add(i);
    }
  });
  const curTaken = new Set<string>(labels);
  current.forEach((t, j) => {
    const i = pairedOf.get(j);
    let label: string;
    if (i !== undefined) label = labels[i]!;
    else {
      const own = assignmentLabel(t);
      label = curTaken.has(own) && t.group?.id !== undefined ? unique(`${own} (${t.group.id})`, curTaken) : unique(own, curTaken);
    }
    curKeyed[label] = shownValue(t);
  });
  const drift = driftedProperties(
    { assignments: baseKeyed },
    { assignments: curKeyed },
    { ...(options.maxProperties !== undefined ? { maxProperties: options.maxProperties } : {}), ...(options.maxValueChars !== undefined ? { maxValueChars: options.maxValueChars } : {}) },
  );
  return { verdict: 'drift', drift, unresolved: [] };
}

/** Settings and assignments drift of one subject as one list (settings first), capped as drift is. */
export function combineDrift(settings: DriftResult | undefined, assignments: DriftResult | undefined, maxProperties = 50): DriftResult {
  const properties: DriftedProperty[] = [...(settings?.properties ?? []), ...(assignments?.properties ?? [])];
  const truncated = (settings?.truncated ?? false) || (assignments?.truncated ?? false) || properties.length > maxProperties;
  return { properties: properties.slice(0, maxProperties), truncated };
}

/**
 * Group mappings from a `--group-map` file: `{ "<baseline group name or id>": "<tenant group name or id>" }`.
 * Throws a `TypeError` saying what is wrong.
 */
export function groupMappingsFromRecord(value: unknown): GroupMapping[] {
  if (!isRecord(value)) throw new TypeError('a group map is a JSON object { "<baseline group name or id>": "<tenant group name or id>" }');
  const out: GroupMapping[] = [];
  for (const [baselineGroup, tenantGroup] of Object.entries(value)) {
    if (baselineGroup.trim() === '' || typeof tenantGroup !== 'string' || tenantGroup.trim() === '') {
      throw new TypeError(`group map entry "${baselineGroup}" must map a non-empty baseline group to a non-empty tenant group name or id`);
    }
    out.push({ baselineGroup, tenantGroup });
  }
  return out;
}
