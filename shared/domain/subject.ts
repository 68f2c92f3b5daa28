/**
 * Subjects (docs/identity.md, "Subjects"): a policy's identity across tenants is its type and its normalized name;
 * its meta hash and (when its content is complete) content hash say what it holds.
 */
import type { NormalizedSubject, RegistryTypeKey } from './model.js';
import { normalizeAssignments, sortAssignments, summarizeAssignments, type NormalizedAssignment, type ReferenceNames } from './assignments.js';
import { sha256Hex } from './canonical.js';
import { MissingPolicyNameError } from './errors.js';
import { normalizeName } from './names.js';
import { normalizeAndSerialize, normalizeFragment } from './normalize.js';
import { policyGroupLists, summarizePolicyGroups } from './policy-groups.js';
import { policyTypeDefinition } from './registry.js';
import type { SecretDigester } from './secrets.js';

/** The name as identity (see `names.ts`). */
export { normalizeName };

/** `typeKey + ':' + normalizeName(name)`. */
export function subjectKeyOf(typeKey: RegistryTypeKey, name: string): string {
  return `${typeKey}:${normalizeName(name)}`;
}

/**
 * The name of a Graph object as found, in its type's name field (`name` for settings catalog style
 * types, `displayName` for the others). Throws `MissingPolicyNameError` when it is not a non-blank
 * string: the name is the subject's identity, and guessing it from another field would make the
 * same policy two different subjects depending on the export's shape.
 */
export function policyNameOf(typeKey: RegistryTypeKey, obj: Record<string, unknown>): string {
  return namesOf(typeKey, obj).displayName;
}

/** The name as found and as identity; throws `MissingPolicyNameError` (see `policyNameOf`). */
function namesOf(typeKey: RegistryTypeKey, obj: Record<string, unknown>): { displayName: string; normalized: string } {
  const definition = policyTypeDefinition(typeKey);
  const value = obj[definition.nameField];
  if (typeof value === 'string') {
    const normalized = normalizeName(value);
    if (normalized !== '') return { displayName: value, normalized };
  }
  const id = obj['id'];
  throw new MissingPolicyNameError(typeKey, definition.nameField, typeof id === 'string' ? id : undefined);
}

/**
 * One Graph object as a subject: key, name as found, meta and (when complete) content, normalized and
 * redacted, and their hashes; its assignments (when the object carries them) normalized with their
 * own hash; the groups it names inside itself (`policy-groups.ts`) with their ids and names. `names`
 * fills in group and filter names the object carries only as ids.
 * `externalId` is the object's Graph id when it has one.
 */
export function buildSubject(
  typeKey: RegistryTypeKey,
  obj: Record<string, unknown>,
  digester: SecretDigester,
  names?: ReferenceNames,
): NormalizedSubject {
  const { displayName, normalized } = namesOf(typeKey, obj);
  const { meta, content, metaJson, contentJson, surface, surfaceJson, namesGroups } = normalizeAndSerialize(typeKey, obj, digester, names?.groups);
  const subject: NormalizedSubject = {
    policyType: typeKey,
    subjectKey: `${typeKey}:${normalized}`,
    displayName,
    metaHash: sha256Hex(metaJson),
    meta,
  };
  if (content !== undefined && contentJson !== undefined) {
    subject.contentHash = sha256Hex(contentJson);
    subject.content = content;
  }
  if (surfaceJson !== undefined) {
    subject.surfaceHash = sha256Hex(surfaceJson);
    // Kept only where there is no content to derive it from.
    if (content === undefined && surface !== undefined) subject.surface = surface;
  }
  const assignments = normalizeAssignments(obj['assignments'], names, (settings) => normalizeFragment(typeKey, settings, digester));
  if (assignments !== undefined) {
    const summary = summarizeAssignments(assignments);
    subject.assignments = assignments;
    subject.assignmentsHash = summary.hash;
    subject.assignmentGroups = summary.groups;
    subject.assignmentsUnresolved = summary.unresolved;
    subject.assignmentsStoredHash = summary.storedHash;
  }
  if (namesGroups === true && content !== undefined) {
    // Groups named inside the policy: compared as mapped references (`policy-groups.ts`).
    const lists = policyGroupLists(typeKey, obj, names?.groups);
    if (lists.length > 0) {
      const summary = summarizePolicyGroups(lists);
      subject.policyGroups = lists;
      subject.policyGroupCount = summary.count;
      subject.policyGroupsUnresolved = summary.unresolved;
      subject.policyGroupsHash = summary.hash;
    }
  }
  const id = obj['id'];
  if (typeof id === 'string' && id !== '') subject.externalId = id;
  return subject;
}

/**
 * A subject built without its tenant's filter names (a paged upload normalizes each page as it
 * arrives, before the page with the assignment filters may have come) with the names filled in as
 * `buildSubject` would have filled them from `filters` (id -> displayName): a filter reference without a
 * name gets the name of the filter of that id, and the assignments' summary is computed again. Returns
 * the subject itself when no name was missing.
 */
export function withFilterNames(subject: NormalizedSubject, filters: ReadonlyMap<string, string>): NormalizedSubject {
  const assignments = subject.assignments;
  if (assignments === undefined || filters.size === 0) return subject;
  let changed = false;
  const named = assignments.map((a): NormalizedAssignment => {
    const name = a.filter?.name === undefined && a.filter?.id !== undefined ? filters.get(a.filter.id) : undefined;
    if (name === undefined) return a;
    changed = true;
    return { ...a, filter: { ...a.filter, name } };
  });
  if (!changed) return subject;
  // Sorted as `normalizeAssignments` sorts them: a name changes what an assignment means.
  const sorted = sortAssignments(named);
  const summary = summarizeAssignments(sorted);
  return {
    ...subject,
    assignments: sorted,
    assignmentsHash: summary.hash,
    assignmentGroups: summary.groups,
    assignmentsUnresolved: summary.unresolved,
    assignmentsStoredHash: summary.storedHash,
  };
}
