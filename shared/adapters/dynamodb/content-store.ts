/**
 * Writing and reading content parts (see `content.ts` for the encoding and `keys.ts` for where the
 * parts live). Part 0 carries the encoding and the number of parts; every part carries its bytes.
 */
import { decodeContent, encodeContent, type ContentCodecOptions, type ContentEncoding, type SubjectContent } from './content.js';
import type { DynamoGateway, Item, Key } from './gateway.js';
import type { TableKey } from './keys.js';
import type { SubjectSummary } from '../../domain/model.js';

/** What is stored as a subject's content: meta, content when complete, assignments when collected. */
export function storedContentOf(s: SubjectContent): SubjectContent {
  const out: SubjectContent = { meta: s.meta };
  if (s.content !== undefined) out.content = s.content;
  else if (s.surface !== undefined) out.surface = s.surface;
  if (s.assignments !== undefined) out.assignments = s.assignments;
  if (s.policyGroups !== undefined) out.policyGroups = s.policyGroups;
  return out;
}

/** The reference attributes of a summary item: the assignments dimension (absent when not collected)
 *  and the groups named inside the policy (absent when it names none). */
export function assignmentAttributes(s: SubjectSummary): Item {
  const out: Item = {};
  if (s.assignmentsHash !== undefined) {
    Object.assign(out, { assignmentsHash: s.assignmentsHash, assignmentGroups: s.assignmentGroups ?? 0, assignmentsUnresolved: s.assignmentsUnresolved ?? 0 });
    if (s.assignmentsStoredHash !== undefined) out.assignmentsStoredHash = s.assignmentsStoredHash;
  }
  if (s.policyGroupsHash !== undefined) {
    Object.assign(out, { policyGroupsHash: s.policyGroupsHash, policyGroupCount: s.policyGroupCount ?? 0, policyGroupsUnresolved: s.policyGroupsUnresolved ?? 0 });
  }
  return out;
}

export function sameAssignmentAttributes(stored: Item, wanted: SubjectSummary | Item): boolean {
  return (
    (stored.assignmentsHash ?? undefined) === (wanted.assignmentsHash ?? undefined) &&
    (stored.assignmentGroups ?? 0) === (wanted.assignmentGroups ?? 0) &&
    (stored.assignmentsUnresolved ?? 0) === (wanted.assignmentsUnresolved ?? 0) &&
    (stored.assignmentsStoredHash ?? undefined) === (wanted.assignmentsStoredHash ?? undefined) &&
    (stored.policyGroupsHash ?? undefined) === (wanted.policyGroupsHash ?? undefined) &&
    (stored.policyGroupCount ?? 0) === (wanted.policyGroupCount ?? 0) &&
    (stored.policyGroupsUnresolved ?? 0) === (wanted.policyGroupsUnresolved ?? 0)
  );
}

export function readAssignmentAttributes(item: Item, summary: SubjectSummary | Omit<SubjectSummary, 'externalId'>): void {
  if (typeof item.policyGroupsHash === 'string') {
    summary.policyGroupsHash = item.policyGroupsHash;
    summary.policyGroupCount = typeof item.policyGroupCount === 'number' ? item.policyGroupCount : 0;
    summary.policyGroupsUnresolved = typeof item.policyGroupsUnresolved === 'number' ? item.policyGroupsUnresolved : 0;
  }
  if (typeof item.assignmentsHash !== 'string') return;
  summary.assignmentsHash = item.assignmentsHash;
  summary.assignmentGroups = typeof item.assignmentGroups === 'number' ? item.assignmentGroups : 0;
  summary.assignmentsUnresolved = typeof item.assignmentsUnresolved === 'number' ? item.assignmentsUnresolved : 0;
  if (typeof item.assignmentsStoredHash === 'string') summary.assignmentsStoredHash = item.assignmentsStoredHash;
}

export interface ContentParts {
  /** The items to put, part 0 first. */
  items: Item[];
  parts: number;
  storedBytes: number;
}

export function contentItems(value: SubjectContent, keyOf: (part: number) => TableKey, codec: ContentCodecOptions): ContentParts {
  const encoded = encodeContent(value, codec);
  const items = encoded.parts.map((data, part): Item => ({
    ...keyOf(part),
    data,
    ...(part === 0 ? { enc: encoded.encoding, parts: encoded.parts.length } : {}),
  }));
  return { items, parts: encoded.parts.length, storedBytes: encoded.storedBytes };
}

/**
 * Reads and decodes the content of `ids` (strongly consistent unless `consistent` is false): part 0 of every id in one batch, then
 * the further parts of the ids that have them. Ids without content are absent from the result.
 */
export async function readContents(
  gateway: DynamoGateway,
  tableName: string,
  ids: readonly string[],
  keyOf: (id: string, part: number) => TableKey,
  consistent = true,
): Promise<Map<string, SubjectContent>> {
  const unique = [...new Set(ids)];
  const firstBySk = new Map<string, string>(unique.map((id) => [keyOf(id, 0).sk, id]));
  const firsts = await gateway.batchGet(tableName, unique.map((id): Key => keyOf(id, 0)), consistent);
  const heads = new Map<string, { enc: ContentEncoding; parts: number; data: Uint8Array }>();
  for (const item of firsts) {
    const id = firstBySk.get(item.sk as string);
    if (id !== undefined) heads.set(id, { enc: item.enc as ContentEncoding, parts: item.parts as number, data: item.data as Uint8Array });
  }
  const restKeys: Key[] = [];
  const restBySk = new Map<string, { id: string; part: number }>();
  for (const [id, head] of heads) {
    for (let part = 1; part < head.parts; part += 1) {
      const key = keyOf(id, part);
      restKeys.push(key);
      restBySk.set(key.sk, { id, part });
    }
  }
  const rest = new Map<string, Uint8Array[]>();
  for (const item of restKeys.length > 0 ? await gateway.batchGet(tableName, restKeys, consistent) : []) {
    const at = restBySk.get(item.sk as string);
    if (at === undefined) continue;
    const parts = rest.get(at.id) ?? [];
    parts[at.part] = item.data as Uint8Array;
    rest.set(at.id, parts);
  }
  const out = new Map<string, SubjectContent>();
  for (const [id, head] of heads) {
    const parts = rest.get(id) ?? [];
    parts[0] = head.data;
    for (let part = 0; part < head.parts; part += 1) {
      if (parts[part] === undefined) throw new Error(`content of '${id}' is missing part ${part} of ${head.parts}`);
    }
    out.set(id, decodeContent(head.enc, parts));
  }
  return out;
}
