/**
 * Writes the API's OpenAPI document (the one `GET /openapi.json` serves) to a file, for the linter:
 * `tsx scripts/write-openapi.ts <file>`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { openApiDocument } from '../functions/api/app.js';

const out = process.argv[2];
if (out === undefined) {
  console.error('usage: tsx scripts/write-openapi.ts <file>   (for example cdk.out/openapi.json)');
  process.exit(2);
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.error(`OpenAPI document written to ${out}`);
