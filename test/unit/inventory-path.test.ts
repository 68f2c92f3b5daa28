/**
 * One inventory path: however inventory arrives (Graph, API pages, an export, the demo, the CLI, the
 * chaos and bench worlds), it is written by one apply step (`applyInventoryRun`), so what the tests and
 * the demo prove is the path AWS takes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

describe('the inventory path', () => {
  it('writes a tenant\'s inventory from one apply step only (beside the port and its adapter)', () => {
    const writers = ['cli', 'shared', 'functions', 'infra', 'test']
      .flatMap(sources)
      .filter((file) => {
        const text = readFileSync(join(ROOT, file), 'utf8');
        // A decorator of the port (a fault-injecting wrapper) passes writes on; it does not make them.
        return /\.putTypeInventory\(/.test(text) && !/putTypeInventory: async/.test(text);
      })
      .filter((file) => !file.startsWith('shared/adapters/') && !file.startsWith('test/integration/'));
    expect(writers).toEqual(['shared/usecases/ingest-inventory-pages.ts']);
  });
});
