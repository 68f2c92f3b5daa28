/**
 * Serves real Graph exports (read where they lie, never copied) as a tenant of the fake Graph server,
 * laid out the way Graph returns them: lists without the data that needs follow-up requests, and that
 * data at the sub-collection, by-id and concrete-type paths the registry declares.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphCollectionSpec } from '../../../shared/adapters/graph/contract.js';
import { concreteCollectionName, fillTemplate } from '../../../shared/adapters/graph/paths.js';
import type { FakeTenantFixtures } from './server.js';

export interface CorpusTenant {
  fixtures: FakeTenantFixtures;
  /** Per collection key: the objects a complete read must return (by the id given to each), after exclusions. */
  expected: Map<string, Map<string, Record<string, unknown>>>;
  /** Files that hold no Graph object (e.g. a JSON string), not served. */
  rejected: string[];
}

export function corpusAsGraphTenant(corpusDir: string, collections: Readonly<Record<string, GraphCollectionSpec>>): CorpusTenant {
  const resources: Record<string, unknown> = {};
  const expected = new Map<string, Map<string, Record<string, unknown>>>();
  const rejected: string[] = [];
  const folders = new Set(readdirSync(corpusDir));

  for (const spec of Object.values(collections)) {
    if (!folders.has(spec.key)) continue;
    const listed: Record<string, unknown>[] = [];
    const wanted = new Map<string, Record<string, unknown>>();
    const excluded = new Set((spec.excludeODataTypes ?? []).map((t) => t.replace(/^#/, '').toLowerCase()));
    const files = readdirSync(join(corpusDir, spec.key)).filter((f) => f.endsWith('.json')).sort();
    files.forEach((file, index) => {
      const parsed: unknown = JSON.parse(readFileSync(join(corpusDir, spec.key, file), 'utf8'));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        rejected.push(`${spec.key}/${file}`);
        return;
      }
      // Exports of one policy at several commits share an id: give every file an id of its own.
      const id = `corpus-${index}`;
      const full: Record<string, unknown> = { ...(parsed as Record<string, unknown>), id };
      const listEntry: Record<string, unknown> = { ...full };
      for (const followUp of spec.followUps) {
        if (followUp.kind === 'subcollection') {
          const items = Array.isArray(full[followUp.property]) ? full[followUp.property] : [];
          full[followUp.property] = items;
          delete listEntry[followUp.property];
          resources[fillTemplate(followUp.pathTemplate, id)] = items;
        } else if (followUp.kind === 'itemById') {
          resources[fillTemplate(followUp.pathTemplate, id)] = full;
        } else {
          const odataType = full['@odata.type'];
          if (typeof odataType !== 'string' || excluded.has(odataType.replace(/^#/, '').toLowerCase())) continue;
          const collectionPath = `${followUp.collectionRoot}/${concreteCollectionName(odataType)}`;
          const { '@odata.type': _type, ...concrete } = full;
          for (const name of (followUp.query?.$expand ?? '').split(',').filter(Boolean)) {
            const items = Array.isArray(full[name]) ? full[name] : [];
            full[name] = items;
            delete concrete[name];
            resources[`${collectionPath}/${id}/${name}`] = items;
          }
          const existing = resources[collectionPath];
          resources[collectionPath] = [...(Array.isArray(existing) ? existing : []), concrete];
        }
      }
      // A single GET's `@odata.context` describes that response, not the object: the collector drops it.
      if (spec.followUps.some((f) => f.kind !== 'subcollection')) delete full['@odata.context'];
      listed.push(listEntry);
      const odataType = typeof full['@odata.type'] === 'string' ? full['@odata.type'].replace(/^#/, '').toLowerCase() : '';
      if (!excluded.has(odataType)) wanted.set(id, full);
    });
    resources[spec.listPath] = listed;
    expected.set(spec.key, wanted);
  }
  return { fixtures: { resources }, expected, rejected };
}
