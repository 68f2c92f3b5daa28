/**
 * Backups written by the export tools administrators use most, mapped to Graph's shape (pure; the
 * folder walking is in `shared/adapters/filesystem/tool-exports.ts`).
 *
 * IntuneCD (`IntuneCD-startbackup`, JSON or YAML): each file is the Graph object with ids and
 * timestamps removed and, when the policy is assigned, `assignments` whose targets name their group
 * by `groupName` (with `groupType`, `membershipRule`) instead of `groupId`, and whose
 * `deviceAndAppManagementAssignmentFilterId` holds the filter's display name. Intents carry
 * `templateId` and `settingsDelta` (mapped like every export tool's intent, see export-shapes.ts).
 *
 * IntuneManagement (Micke-K): each file is the Graph object as listed, with Graph's assignments
 * (`groupId`); `MigrationTable.json` at the export root names the groups (`Objects: [{ Id,
 * DisplayName, Type: "Group" }]`); an intent's settings and an administrative template's definition
 * values sit beside it in `<name>_Settings.json` (the intent's settings as `{ "settings": [...] }`,
 * which the tool writes encoded twice, as a JSON string, and the adapter decodes; the definition values with `#Definition_*` and `#Presentation_*` notes
 * beside their `@odata.bind` references).
 *
 * Assignments come out in the shape agreed for every export: `{ intent?, source?, target: {
 * "@odata.type", groupId?, groupDisplayName?, deviceAndAppManagementAssignmentFilterId?,
 * deviceAndAppManagementAssignmentFilterDisplayName?, deviceAndAppManagementAssignmentFilterType? } }`.
 * A policy without an `assignments` key keeps none (assignments not collected).
 */
import { isGuid } from './normalize.js';
import { withPolicyGroupNames } from './policy-groups.js';

const NO_FILTER = '00000000-0000-0000-0000-000000000000';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A value where Graph has an array, as an array (a single value is PowerShell's unrolled one-element array). */
function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [value];
}

/** One IntuneCD assignment target in Graph's shape (group and filter by display name). */
function intuneCdTarget(target: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(target)) {
    if (key === 'groupName') {
      if (typeof value === 'string' && value !== '') out['groupDisplayName'] = value;
    } else if (key === 'groupType' || key === 'membershipRule') {
      // Describe the group, not the assignment.
    } else if (key === 'deviceAndAppManagementAssignmentFilterId' && typeof value === 'string' && value !== NO_FILTER && !isGuid(value)) {
      out['deviceAndAppManagementAssignmentFilterDisplayName'] = value;
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** An object of an IntuneCD backup in Graph's shape. Returns `obj` itself when it has no assignments. */
export function fromIntuneCd(obj: Record<string, unknown>): Record<string, unknown> {
  const assignments = obj['assignments'];
  if (assignments === undefined || assignments === null) return obj;
  const list = asList(assignments);
  return {
    ...obj,
    assignments: list.map((a) => (isRecord(a) && isRecord(a['target']) ? { ...a, target: intuneCdTarget(a['target']) } : a)),
  };
}

/** Group names by object id, from IntuneManagement's `MigrationTable.json` (`Objects` of `Type: "Group"`). */
export function groupNamesOfMigrationTable(table: unknown): Map<string, string> {
  const names = new Map<string, string>();
  const objects = isRecord(table) ? table['Objects'] : undefined;
  for (const entry of Array.isArray(objects) ? objects : isRecord(objects) ? [objects] : []) {
    if (!isRecord(entry)) continue;
    const { Id: id, DisplayName: name, Type: type } = entry;
    if (typeof id === 'string' && typeof name === 'string' && (type === undefined || type === 'Group')) names.set(id, name);
  }
  return names;
}

/** What sits in an IntuneManagement `<name>_Settings.json`, for the collections that have one. */
export type IntuneManagementSettings = { kind: 'intentSettings'; value: unknown } | { kind: 'definitionValues'; value: unknown };

/**
 * An object of an IntuneManagement export in Graph's shape: its `_Settings.json` merged in
 * (intent `settings`, administrative template `definitionValues` with their `#Definition_*` /
 * `#Presentation_*` notes read as the expanded definition and presentation), group names from the
 * migration table added beside the group ids.
 */
export function fromIntuneManagement(
  obj: Record<string, unknown>,
  options: { settings?: IntuneManagementSettings; groupNames?: ReadonlyMap<string, string> } = {},
): Record<string, unknown> {
  let out: Record<string, unknown> = obj;
  const settings = options.settings;
  if (settings?.kind === 'intentSettings' && !Array.isArray(obj['settings'])) {
    const holder = settings.value;
    const list = isRecord(holder) ? holder['settings'] : holder;
    if (list !== undefined) out = { ...out, settings: list };
  }
  if (settings?.kind === 'definitionValues' && obj['definitionValues'] === undefined) {
    const list = asList(settings.value);
    out = { ...out, definitionValues: list.map((v) => (isRecord(v) ? definitionValueOfNotes(v) : v)) };
  }
  const groupNames = options.groupNames;
  const assignments = out['assignments'];
  if (groupNames !== undefined && groupNames.size > 0 && assignments !== undefined && assignments !== null) {
    const list = asList(assignments);
    out = {
      ...out,
      assignments: list.map((a) => {
        if (!isRecord(a) || !isRecord(a['target'])) return a;
        const groupId = a['target']['groupId'];
        const name = typeof groupId === 'string' ? groupNames.get(groupId) : undefined;
        return name === undefined ? a : { ...a, target: { ...a['target'], groupDisplayName: name } };
      }),
    };
  }
  // Groups named inside a policy (conditional access include/exclude groups): their names beside it.
  if (groupNames !== undefined && groupNames.size > 0) out = withPolicyGroupNames(out, groupNames);
  return out;
}

/** `#Definition_displayName` etc. -> `definition: { displayName, classType, categoryPath }`; likewise presentations. */
function definitionValueOfNotes(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const definition: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith('#Definition_')) {
      const field = key.slice('#Definition_'.length);
      if (field !== 'Id') definition[field] = v;
    } else if (key === 'presentationValues') {
      out[key] = v === undefined || v === null ? v : asList(v).map((p) => (isRecord(p) ? presentationValueOfNotes(p) : p));
    } else {
      out[key] = v;
    }
  }
  if (Object.keys(definition).length > 0 && out['definition'] === undefined) {
    out['definition'] = definition;
    delete out['definition@odata.bind'];
  }
  // The tool writes no `configurationType`: Graph's default, `policy`, is what it imports as.
  if (out['configurationType'] === undefined) out['configurationType'] = 'policy';
  return out;
}

function presentationValueOfNotes(value: Record<string, unknown>): Record<string, unknown> {
  const label = value['#Presentation_Label'];
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === '#Presentation_Label' || key === '#Presentation_Id') continue;
    out[key] = v;
  }
  if (typeof label === 'string' && out['presentation'] === undefined) {
    out['presentation'] = { label };
    delete out['presentation@odata.bind'];
  }
  return out;
}
