/**
 * Every runtime dependency in package.json is imported by the product's code (infra, functions,
 * shared, the console's sources): a dependency nobody imports only adds install time, bundle risk and audit noise.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const PRODUCT_DIRS = ['cli', 'infra', 'functions', 'shared', 'console/src'];

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The package a module specifier names (`@scope/name/sub` -> `@scope/name`), or undefined for a relative or `node:` one. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('node:') || specifier.startsWith('/')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)'([^']+)'/g;

function importedPackages(): Set<string> {
  const found = new Set<string>();
  for (const dir of PRODUCT_DIRS) {
    for (const file of typeScriptFiles(join(ROOT, dir))) {
      for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const name = packageOf(match[1]!);
        if (name !== undefined) found.add(name);
      }
    }
  }
  return found;
}

describe('runtime dependencies', () => {
  it('reads a package name from a specifier', () => {
    expect(packageOf('@aws-sdk/lib-dynamodb')).toBe('@aws-sdk/lib-dynamodb');
    expect(packageOf('aws-cdk-lib/aws-lambda')).toBe('aws-cdk-lib');
    expect(packageOf('zod')).toBe('zod');
    expect(packageOf('../domain/model.js')).toBeUndefined();
    expect(packageOf('node:crypto')).toBeUndefined();
  });

  it('imports every dependency of package.json from infra, functions, shared or the console', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const imported = importedPackages();
    const unused = Object.keys(manifest.dependencies).filter((name) => !imported.has(name));
    expect(unused).toEqual([]);
  });
});
