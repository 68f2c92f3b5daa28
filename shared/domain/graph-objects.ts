/**
 * Graph objects out of a file's (or a request body's) JSON, checked before anything reads them.
 *
 * Accepted shapes: one Graph object, a JSON array of objects, or a Graph page `{ "value": [...] }`.
 * A policy object has a `displayName` or a `name` and no shape that says it is something else (a CIPP
 * template, the body of an `updateDefinitionValues` action, a named location: `describeNonPolicy`).
 * Anything else throws `MalformedGraphObjectError` naming the source, what is wrong and what to do.
 * Messages never quote the data (it may hold secrets).
 */
import { MalformedGraphObjectError } from './errors.js';
import { describeNonPolicy } from './export-shapes.js';

const BOM = '\uFEFF';

/** Parses JSON text (a UTF-8 BOM at the start is allowed) and extracts its Graph objects. */
export function parseGraphObjects(text: string, source: string): Record<string, unknown>[] {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  if (body.trim() === '') {
    throw new MalformedGraphObjectError(source, `${source} is empty: export the policy object from Graph again`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/\s+/g, ' ').slice(0, 200) : 'unreadable';
    throw new MalformedGraphObjectError(
      source,
      `${source} is not valid JSON (${reason}): fix or re-export the file; it must hold a Graph object, an array of them, or a Graph page { "value": [...] }`,
    );
  }
  return extractGraphObjects(parsed, source);
}

/** The Graph objects a parsed JSON value holds. */
export function extractGraphObjects(parsed: unknown, source: string): Record<string, unknown>[] {
  if (typeof parsed === 'string') {
    throw new MalformedGraphObjectError(
      source,
      `${source} holds a JSON string, not a Graph object (its JSON was encoded twice by the exporting tool): ` +
        're-export it without double encoding',
    );
  }
  if (Array.isArray(parsed)) return parsed.map((item, index) => checkedObject(item, source, `item ${index} of its array`));
  if (isPlainObject(parsed)) {
    if (!hasName(parsed) && Array.isArray(parsed['value'])) {
      return parsed['value'].map((item: unknown, index) => checkedObject(item, source, `item ${index} of its "value" page`));
    }
    return [checkedObject(parsed, source, undefined)];
  }
  throw new MalformedGraphObjectError(
    source,
    `${source} holds ${describe(parsed)}, not a Graph object: export the policy object itself, an array of them, or a Graph page { "value": [...] }`,
  );
}

function checkedObject(item: unknown, source: string, where: string | undefined): Record<string, unknown> {
  const subject = where === undefined ? source : `${source}, ${where},`;
  if (!isPlainObject(item)) {
    throw new MalformedGraphObjectError(
      source,
      typeof item === 'string'
        ? `${subject} is a JSON string, not a Graph object (encoded twice by the exporting tool): re-export it without double encoding`
        : `${subject} is ${describe(item)}, not a Graph object: the file must hold policy objects only`,
    );
  }
  const nonPolicy = describeNonPolicy(item);
  if (nonPolicy !== undefined) throw new MalformedGraphObjectError(source, `${subject} ${nonPolicy}`);
  if (!hasName(item)) {
    throw new MalformedGraphObjectError(
      source,
      `${subject} is an object with neither "displayName" nor "name", so it is no policy object Graph returns: ` +
        'export the policy itself (not a fragment such as its settings) and name it',
    );
  }
  return item;
}

function hasName(obj: Record<string, unknown>): boolean {
  return typeof obj['displayName'] === 'string' || typeof obj['name'] === 'string';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'JSON null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return 'a JSON number';
  if (typeof value === 'boolean') return 'a JSON boolean';
  if (typeof value === 'string') return 'a JSON string';
  return `a ${typeof value}`;
}
