/**
 * Reads an exported inventory: one subfolder per Graph collection (named as the registry's collection
 * keys), each file holding one Graph object, an array of them, or a Graph page `{ "value": [...] }`.
 * Every object is classified into exactly one registry type. Errors name the file and what to do.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RegistryTypeKey } from '../../domain/model.js';
import { classifyGraphObject, GRAPH_COLLECTION_KEYS, isGraphCollectionKey } from '../../domain/registry.js';
import { parseGraphObjects } from '../../domain/graph-objects.js';
import { UnknownGraphCollectionError } from '../../domain/errors.js';

export interface LoadedGraphObject {
  collection: string;
  file: string;
  object: Record<string, unknown>;
  policyType: RegistryTypeKey;
}

export async function loadGraphExport(dir: string): Promise<LoadedGraphObject[]> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    throw new Error(`${dir} is not a directory: give a folder with one subfolder per Graph collection (e.g. configurationPolicies/)`);
  }
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const unknown = entries.filter((name) => !isGraphCollectionKey(name));
  if (unknown.length > 0) throw new UnknownGraphCollectionError(unknown, GRAPH_COLLECTION_KEYS, dir);
  const out: LoadedGraphObject[] = [];
  for (const collection of entries) {
    const folder = join(dir, collection);
    const files = (await readdir(folder, { withFileTypes: true })).filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => e.name).sort();
    for (const name of files) {
      const file = join(folder, name);
      const text = await readFile(file, 'utf8');
      for (const object of parseGraphObjects(text, file)) {
        let policyType: RegistryTypeKey;
        try {
          policyType = classifyGraphObject(collection, object);
        } catch (err) {
          throw new Error(`${file}: ${err instanceof Error ? err.message : String(err)}`);
        }
        out.push({ collection, file, object, policyType });
      }
    }
  }
  return out;
}
