/**
 * Subjects (docs/identity.md, "Subjects"): a policy's identity across tenants is its type and its normalized name;
 * its meta hash and (when its content is complete) content hash say what it holds.
 */
import type { NormalizedSubject, RegistryTypeKey } from './model.js';
import { sha256Hex } from './canonical.js';
import { MissingPolicyNameError } from './errors.js';
import { normalizeAndSerialize } from './normalize.js';
import { policyTypeDefinition } from './registry.js';
import type { SecretDigester } from './secrets.js';

/**
 * The name as identity: Unicode NFKC (full-width and compatibility forms folded, e.g. `Ｐｏｌｉｃｙ` ->
 * `Policy`, no-break space -> space), then lower-cased (`toLowerCase`, locale-independent), then every
 * run of white space (`\s`, Unicode-aware) collapsed to one space and the ends trimmed. A change of case
 * or spacing alone is therefore no rename.
 */
export function normalizeName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

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
 * redacted, and their hashes. `externalId` is the object's Graph id when it has one.
 */
export function buildSubject(
  typeKey: RegistryTypeKey,
  obj: Record<string, unknown>,
  digester: SecretDigester,
): NormalizedSubject {
  const { displayName, normalized } = namesOf(typeKey, obj);
  const { meta, content, metaJson, contentJson, surface, surfaceJson } = normalizeAndSerialize(typeKey, obj, digester);
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
  const id = obj['id'];
  if (typeof id === 'string' && id !== '') subject.externalId = id;
  return subject;
}
