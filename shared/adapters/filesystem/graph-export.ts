/**
 * Reads an exported inventory from disk: one subfolder per Graph collection (named by its
 * GRAPH_COLLECTIONS key, e.g. `configurationPolicies/`), each holding `.json` files with one Graph
 * object, an array of them, or a Graph page `{ "value": [...] }`, in UTF-8 (with or without a byte
 * order mark) or UTF-16 with a byte order mark (`decodeExportText`).
 *
 * - Files at the top level (a README, a manifest) and entries whose name starts with `.` are ignored,
 *   and so are files not ending in `.json` inside collection folders.
 * - A subfolder that is no known collection is an error naming it and listing the known ones.
 * - Order is deterministic: collections, then files, sorted by name (code units), then objects in
 *   their file's order.
 * - Every error names the file it comes from (its path as given: the export directory joined with
 *   the collection folder and the file name).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RegistryTypeKey } from '../../domain/model.js';
import { DomainError, UnknownGraphCollectionError, UnreadableGraphExportError } from '../../domain/errors.js';
import { parseGraphObjects } from '../../domain/graph-objects.js';
import { decodeExportText } from './export-text.js';
import { GRAPH_COLLECTION_KEYS, isGraphCollectionKey } from '../../domain/graph-collections.js';
import { classifyGraphObject } from '../../domain/classification.js';

export interface LoadedGraphObject {
  /** The collection key (folder name). */
  collection: string;
  /** The file's path: the export directory joined with the collection folder and the file name. */
  file: string;
  object: Record<string, unknown>;
  policyType: RegistryTypeKey;
}

export interface RejectedGraphFile {
  collection: string;
  /** The file's path, like `LoadedGraphObject.file`. */
  file: string;
  /** A domain error (`MalformedGraphObjectError`, `UnclassifiableGraphObjectError`, ...) naming the file. */
  error: DomainError;
}

export interface GraphExportReport {
  objects: LoadedGraphObject[];
  /** Files that could not be used, in load order. */
  rejected: RejectedGraphFile[];
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Loads every object of an export directory, setting aside (with their error) the files that cannot be
 * used, so one bad file does not hide the rest. An unknown subfolder still fails the whole load: the
 * export's layout itself is wrong.
 */
export async function loadGraphExportReport(dir: string): Promise<GraphExportReport> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    throw new UnreadableGraphExportError(
      dir,
      `${dir} is not a directory: give the folder of an export, with one subfolder per Graph collection (e.g. configurationPolicies/)`,
    );
  }
  const entries = await readdir(dir, { withFileTypes: true });
  const folders = entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort(byCodeUnits);
  const unknown = folders.filter((name) => !isGraphCollectionKey(name));
  if (unknown.length > 0) throw new UnknownGraphCollectionError(unknown, GRAPH_COLLECTION_KEYS, dir);

  const objects: LoadedGraphObject[] = [];
  const rejected: RejectedGraphFile[] = [];
  for (const collection of folders) {
    const files = (await readdir(join(dir, collection), { withFileTypes: true }))
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && entry.name.toLowerCase().endsWith('.json'))
      .map((entry) => entry.name)
      .sort(byCodeUnits);
    for (const name of files) {
      const file = join(dir, collection, name);
      try {
        const parsed = parseGraphObjects(await readExportText(file), file);
        const loaded = parsed.map((object, index) => ({
          collection,
          file,
          object,
          policyType: classifyInFile(collection, object, file, parsed.length > 1 ? index : undefined),
        }));
        objects.push(...loaded);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        rejected.push({ collection, file, error });
      }
    }
  }
  return { objects, rejected };
}

/**
 * Loads every object of an export directory. Throws the first unusable file's error (its message
 * names the file and, when there are more, the other rejected files), or an
 * `UnknownGraphCollectionError` for subfolders that are no known collection.
 */
export async function loadGraphExport(dir: string): Promise<LoadedGraphObject[]> {
  return objectsOrFirstRejection(await loadGraphExportReport(dir));
}

/** The objects of a report; throws the first rejected file's error, its message naming the other rejected files. */
export function objectsOrFirstRejection({ objects, rejected }: GraphExportReport): LoadedGraphObject[] {
  const [first, ...others] = rejected;
  if (first !== undefined) {
    if (others.length > 0) {
      first.error.message += `; ${others.length} more file${others.length > 1 ? 's' : ''} rejected: ${others.map((r) => r.file).join(', ')}`;
    }
    throw first.error;
  }
  return objects;
}

/** The text of one export file (see `decodeExportText` for the encodings read). */
export async function readExportText(file: string): Promise<string> {
  const bytes = await readFile(file).catch((error: unknown) => {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new UnreadableGraphExportError(file, `${file} cannot be read (${reason}): check the file's permissions`);
  });
  return decodeExportText(bytes, file);
}

function classifyInFile(collection: string, object: Record<string, unknown>, file: string, index: number | undefined): RegistryTypeKey {
  try {
    return classifyGraphObject(collection, object);
  } catch (error) {
    if (error instanceof DomainError) {
      error.message = `${file}${index === undefined ? '' : `, object ${index}`}: ${error.message}`;
    }
    throw error;
  }
}
