/**
 * Real Graph exports, served by the fake Graph server as Graph lays them out (lists without settings,
 * settings and assignments paged behind their own paths, app protection on concrete collections), are
 * read back complete by the registry-driven collector.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { GRAPH_COLLECTIONS } from '../../shared/domain/graph-collections.js';
import { typesOfCollection } from '../../shared/domain/classification.js';
import type { RegistryTypeKey } from '../../shared/domain/model.js';
import { collectRegistryInventory } from '../../shared/adapters/graph/registry-inventory.js';
import { corpusAvailable, corpusDir } from '../support/corpus.js';
import { corpusAsGraphTenant } from '../support/fake-graph/corpus-tenant.js';
import { clientFor, fakeGraphPool } from '../support/fake-graph/harness.js';

const pool = fakeGraphPool();
afterAll(() => pool.closeAll());

describe.skipIf(!corpusAvailable)('the collector over the real exports', () => {
  it('returns every exported object complete, in exactly one type, with paged settings intact', async () => {
    const corpus = corpusAsGraphTenant(corpusDir, GRAPH_COLLECTIONS);
    const fake = await pool.start({ fixtures: corpus.fixtures, pageSize: 25 });
    const { client } = clientFor(fake);
    const collectionKeys = [...corpus.expected.keys()];
    const types = [...new Set(collectionKeys.flatMap((key) => typesOfCollection(key)))] as RegistryTypeKey[];

    const result = await collectRegistryInventory({ types, client });

    expect(types.filter((type) => result.types[type].status !== 'succeeded')).toEqual([]);
    // The two double-encoded intent exports are no Graph objects.
    expect(corpus.rejected).toHaveLength(2);
    for (const key of collectionKeys) {
      const wanted = corpus.expected.get(key)!;
      const returned = typesOfCollection(key).flatMap((type) => {
        const entry = result.types[type];
        return entry.status === 'succeeded' ? entry.objects : [];
      });
      // Every served object is either returned once or counted as unclassified.
      expect({ key, total: returned.length + (result.unclassified[key] ?? 0) }).toEqual({ key, total: wanted.size });
      expect(new Set(returned.map((obj) => obj.id)).size).toBe(returned.length);
      for (const obj of returned) expect(obj).toMatchObject(wanted.get(String(obj.id))!);
    }
    // Settings catalog policies hold up to hundreds of settings: every further page was requested once.
    const furtherPages = Object.entries(corpus.fixtures.resources)
      .filter(([path, value]) => path.endsWith('/settings') && Array.isArray(value))
      .reduce((sum, [, value]) => sum + Math.max(0, Math.ceil((value as unknown[]).length / 25) - 1), 0);
    expect(furtherPages).toBeGreaterThan(50);
    const continued = fake.requests.filter((r) => r.path.endsWith('/settings') && new URLSearchParams(r.query).has('$skiptoken'));
    expect(continued).toHaveLength(furtherPages);
    expect(result.retryCount).toBe(0);
  });
});
