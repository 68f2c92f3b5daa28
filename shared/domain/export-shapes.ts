/**
 * Export shapes (docs/normalization.md, before normalization): what administrators' exports hold that Graph
 * itself never writes, mapped back to Graph's shape so that every export of the same policy hashes the
 * same, and what is no policy at all, told apart from policies by its shape rather than by a name.
 *
 * Mapped (`toGraphShape`, pure, returns the input itself when nothing needed mapping):
 * - **Unrolled arrays**: Windows PowerShell's `ConvertTo-Json` (and any script that returns a
 *   one-element array from a function) writes a single element where Graph writes an array. Wherever
 *   the registry expects an array (its keyed and unordered arrays: `settings`, `definitionValues`,
 *   `presentationValues`, `omaSettings`, `apps`, `assignments`, `scheduledActionsForRule`, the
 *   include/exclude lists, ...), at any depth, a single value is read as a one-element array, so the
 *   evidence path stays the array's (`/definitionValues/<definition>/...`).
 * - **Intents in an export tool's shape** (`TemplateId`, `TemplateDisplayName`, `versionInfo`,
 *   `settingsDelta`, as Microsoft's Intune export scripts and IntuneCD write them): `settingsDelta`
 *   becomes `settings` and `TemplateId` becomes Graph's `templateId` (read into the meta contract);
 *   `TemplateDisplayName` and `versionInfo` describe the template that id names, so they are dropped;
 *   so is `isMigratingToConfigurationPolicy`, a state Graph reports that no export tool writes.
 * - **Administrative template definitions and presentations** are Microsoft's ADMX catalog: of an
 *   expanded `definition` only its identity (`displayName`, `classType`, `categoryPath`) and of a
 *   `presentation` its `label` are kept, what every export (expanded or noted by name) has alike.
 * - **Definition values named only by `definition@odata.bind`** (an administrative template exported
 *   without `$expand=definition`, or the body a tool sends to `updateDefinitionValues`): the
 *   definition id in that URL becomes `definitionId` (and a presentation's, `presentationId`), which
 *   the registry keys the values by when no expanded definition is there.
 *
 * Refused (`describeNonPolicy`): objects whose shape says they are not a policy, whatever names they
 * carry: a CIPP template (the policy as a `RAWJson` string inside a wrapper), the body of Graph's
 * `updateDefinitionValues` action (`added`, `updated`, `deletedIds`), a Conditional Access named
 * location. The `@odata.*` annotations of a full-metadata export are noise, never a reason to refuse.
 */
import type { RegistryTypeKey } from './model.js';
import { ALWAYS_UNORDERED_ARRAYS, policyTypeDefinition } from './registry.js';

const arrayKeysByType = new Map<RegistryTypeKey, ReadonlySet<string>>();

/** The properties a type's objects hold as arrays, at any depth. */
export function expectedArrayProperties(typeKey: RegistryTypeKey): ReadonlySet<string> {
  let keys = arrayKeysByType.get(typeKey);
  if (keys === undefined) {
    const definition = policyTypeDefinition(typeKey);
    keys = new Set([...Object.keys(definition.keyedArrays), ...definition.unorderedArrays, ...ALWAYS_UNORDERED_ARRAYS]);
    arrayKeysByType.set(typeKey, keys);
  }
  return keys;
}

/** `groupPolicyDefinitions('<id>')` in a bind URL. */
const DEFINITION_IN_URL = /groupPolicyDefinitions\('([^']+)'\)/;
/** `presentations('<id>')` in a bind URL. */
const PRESENTATION_IN_URL = /presentations\('([^']+)'\)/;

/**
 * An object of a registry type in Graph's shape (see the module comment). Returns `obj` itself when
 * nothing needed mapping; never changes its input.
 */
export function toGraphShape(typeKey: RegistryTypeKey, obj: Record<string, unknown>): Record<string, unknown> {
  let top = obj;
  if (typeKey === 'securityBaselineIntent') top = intentToGraphShape(top);
  return unrollArrays(top, expectedArrayProperties(typeKey), typeKey === 'administrativeTemplate');
}

/** Intent properties Graph reports about the intent's state, never set by an administrator, that export
 *  tools do not write: read as noise so that a tool's export and Graph's hash alike. */
const INTENT_STATE_PROPERTIES = ['isMigratingToConfigurationPolicy'];

function intentToGraphShape(obj: Record<string, unknown>): Record<string, unknown> {
  const hasDelta = Object.hasOwn(obj, 'settingsDelta');
  const hasToolTemplate = Object.hasOwn(obj, 'TemplateId') || Object.hasOwn(obj, 'TemplateDisplayName');
  const hasState = INTENT_STATE_PROPERTIES.some((key) => Object.hasOwn(obj, key));
  if (!hasDelta && !hasToolTemplate && !hasState) return obj;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (INTENT_STATE_PROPERTIES.includes(key)) continue;
    if (key === 'settingsDelta') {
      if (!Object.hasOwn(obj, 'settings')) out['settings'] = value;
    } else if (key === 'TemplateId') {
      if (!Object.hasOwn(obj, 'templateId')) out['templateId'] = value;
    } else if (hasToolTemplate && (key === 'TemplateDisplayName' || key === 'versionInfo')) {
      // Describe the template `templateId` names: not configuration of the intent.
    } else {
      out[key] = value;
    }
  }
  return out;
}

function unrollArrays(value: Record<string, unknown>, arrayKeys: ReadonlySet<string>, bindIds: boolean): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  const set = (key: string, next: unknown): void => {
    out ??= { ...value };
    out[key] = next;
  };
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item === null || item === undefined) continue;
    let next: unknown = item;
    if (arrayKeys.has(key) && !Array.isArray(item)) next = [item];
    if (bindIds && (key === 'definition' || key === 'presentation') && typeof item === 'object' && !Array.isArray(item)) {
      const reduced = catalogIdentity(key, item as Record<string, unknown>);
      if (reduced !== item) set(key, reduced);
      continue;
    }
    if (Array.isArray(next)) {
      const mapped = mapArray(next, arrayKeys, bindIds);
      if (mapped !== item) set(key, mapped);
    } else if (typeof next === 'object') {
      const mapped = unrollArrays(next as Record<string, unknown>, arrayKeys, bindIds);
      if (mapped !== item) set(key, mapped);
    }
  }
  if (bindIds) {
    const current = out ?? value;
    const definitionId = bindId(current, 'definition', DEFINITION_IN_URL);
    if (definitionId !== undefined) set('definitionId', definitionId);
    const presentationId = bindId(current, 'presentation', PRESENTATION_IN_URL);
    if (presentationId !== undefined) set('presentationId', presentationId);
  }
  return out ?? value;
}

function mapArray(items: unknown[], arrayKeys: ReadonlySet<string>, bindIds: boolean): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    let mapped: unknown = item;
    if (Array.isArray(item)) mapped = mapArray(item, arrayKeys, bindIds);
    else if (item !== null && typeof item === 'object') mapped = unrollArrays(item as Record<string, unknown>, arrayKeys, bindIds);
    if (mapped !== item) (out ??= [...items])[i] = mapped;
  }
  return out ?? items;
}

/** What of an expanded ADMX definition or presentation identifies it. The rest (explain text,
 *  supported-on text, versions) is Microsoft's catalog, the same in every tenant and absent from
 *  exports that only note the name: it is not the policy's configuration. */
const CATALOG_IDENTITY: Readonly<Record<'definition' | 'presentation', readonly string[]>> = {
  definition: ['displayName', 'classType', 'categoryPath'],
  presentation: ['label'],
};

function catalogIdentity(key: 'definition' | 'presentation', value: Record<string, unknown>): Record<string, unknown> {
  const fields = CATALOG_IDENTITY[key];
  const keys = Object.keys(value);
  if (keys.every((k) => fields.includes(k))) return value;
  const out: Record<string, unknown> = {};
  for (const field of fields) if (value[field] !== undefined) out[field] = value[field];
  return out;
}

/** The id a `<navigation>@odata.bind` URL names, when the navigation itself is not expanded. */
function bindId(obj: Record<string, unknown>, navigation: string, pattern: RegExp): string | undefined {
  if (obj[navigation] !== undefined && obj[navigation] !== null) return undefined;
  if (obj[`${navigation}Id`] !== undefined) return undefined;
  const url = obj[`${navigation}@odata.bind`];
  if (typeof url !== 'string') return undefined;
  return pattern.exec(url)?.[1];
}

// ---------------------------------------------------------------------------------------------------
// Objects that are not policies
// ---------------------------------------------------------------------------------------------------

/** Conditional Access objects that are no policy (they live beside the policies in Graph and in tools' folders). */
const NON_POLICY_ODATA_TYPES: Readonly<Record<string, string>> = {
  '#microsoft.graph.ipNamedLocation': 'a Conditional Access named location (IP ranges)',
  '#microsoft.graph.countryNamedLocation': 'a Conditional Access named location (countries)',
  '#microsoft.graph.compliantNetworkNamedLocation': 'a Conditional Access named location (compliant network)',
  '#microsoft.graph.namedLocation': 'a Conditional Access named location',
  '#microsoft.graph.authenticationStrengthPolicy': 'a Conditional Access authentication strength',
  '#microsoft.graph.authenticationContextClassReference': 'a Conditional Access authentication context',
};

/**
 * What an object looks like when its shape says it is no policy (and what to do), else undefined.
 * Reads only the object's keys and `@odata.type`, never quotes its values.
 */
export function describeNonPolicy(obj: Record<string, unknown>): string | undefined {
  const rawJson = obj['RAWJson'] ?? obj['RawJSON'] ?? obj['rawJson'];
  if (typeof rawJson === 'string') {
    return (
      'is a CIPP template (the policy as a "RAWJson" string inside a wrapper), which is not read yet: ' +
      'export the policy from Graph (drift sync), IntuneCD or IntuneManagement instead'
    );
  }
  const actionKeys = ['added', 'updated', 'deletedIds'].filter((key) => Object.hasOwn(obj, key));
  if (actionKeys.length >= 2 && typeof obj['displayName'] !== 'string' && typeof obj['name'] !== 'string') {
    return (
      `is the body of Graph's updateDefinitionValues action (${actionKeys.map((k) => `"${k}"`).join(', ')}), not a policy: ` +
      'export the administrative template itself (groupPolicyConfigurations/{id} with its definitionValues)'
    );
  }
  const odataType = obj['@odata.type'];
  if (typeof odataType === 'string') {
    const known = NON_POLICY_ODATA_TYPES[odataType.startsWith('#') ? odataType : `#${odataType}`];
    if (known !== undefined) {
      return `is ${known} (${odataType}), not a policy: leave it out of the policy folders`;
    }
  }
  return undefined;
}
