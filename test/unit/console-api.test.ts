/**
 * The console cannot drift from the API: its client's types are the ones openapi-typescript
 * generates from the API's own OpenAPI document (committed, so a fresh clone builds without a
 * generator run), and the console type-checks against them.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CONSOLE_API_TYPES, CONSOLE_DIR, generateApiTypes } from '../../infra/local/console.js';

describe('the console\'s API client', () => {
  it('is generated from the API\'s current OpenAPI document (else: npm run console:api)', async () => {
    const committed = readFileSync(CONSOLE_API_TYPES, 'utf8');
    const generated = await generateApiTypes();
    expect(committed === generated, 'console/src/api/schema.d.ts differs from the API\'s OpenAPI document: run `npm run console:api` and commit the result').toBe(true);
  });

  it('type-checks the console against those types', async () => {
    const run = promisify(execFile);
    const result = await run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', `${CONSOLE_DIR}/tsconfig.json`], { cwd: process.cwd() }).then(
      () => '',
      (err: { stdout?: string; stderr?: string }) => `${err.stdout ?? ''}${err.stderr ?? ''}`,
    );
    expect(result).toBe('');
  });
});
