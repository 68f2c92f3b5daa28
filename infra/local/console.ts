/**
 * The console's build on this machine: its typed API client generated from the API's own OpenAPI
 * document, and its static build (Vite) made when it is missing or older than its sources.
 *
 *   npm run console:api      rewrites console/src/api/schema.d.ts from functions/api/openapi.ts
 *   npm run console:build    builds console/dist (always)
 *
 * `npm start` calls `ensureConsoleBuild()`: it builds only when `console/dist/index.html` is missing or
 * older than the newest file of the console's sources, so a fresh clone needs nothing more than
 * `npm ci && npm start`.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONSOLE_DIR = resolve(fileURLToPath(new URL('../../console', import.meta.url)));
export const CONSOLE_DIST = join(CONSOLE_DIR, 'dist');
export const CONSOLE_API_TYPES = join(CONSOLE_DIR, 'src', 'api', 'schema.d.ts');
/** What the build reads: a newer file here makes the build stale. */
const CONSOLE_SOURCES = ['src', 'index.html', 'vite.config.ts', 'tsconfig.json'];

const GENERATED_HEADER =
  '/**\n * Generated from the API\'s OpenAPI document (functions/api/openapi.ts) by `npm run console:api`.\n' +
  ' * Do not edit: a test fails when this file differs from what the API describes.\n */\n\n';

/** The TypeScript types of the API (openapi-typescript over the document the API serves). */
export async function generateApiTypes(): Promise<string> {
  const [{ default: openapiTS, astToString }, { openApiDocument }] = await Promise.all([import('openapi-typescript'), import('../../functions/api/app.js')]);
  const ast = await openapiTS(openApiDocument() as unknown as Parameters<typeof openapiTS>[0], { alphabetize: false });
  return GENERATED_HEADER + astToString(ast);
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Why the build must be (re)made, or undefined when it is current. */
export function consoleBuildStaleness(consoleDir = CONSOLE_DIR): string | undefined {
  const built = join(consoleDir, 'dist', 'index.html');
  if (!existsSync(built)) return 'no build yet';
  const builtAt = statSync(built).mtimeMs;
  const sourcesAt = Math.max(...CONSOLE_SOURCES.map((s) => newestMtime(join(consoleDir, s))));
  return sourcesAt > builtAt ? 'its sources changed since the last build' : undefined;
}

/** Builds the console into `console/dist` with Vite. */
export async function buildConsole(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: join(CONSOLE_DIR, 'vite.config.ts'), root: CONSOLE_DIR, logLevel: 'warn', mode: 'production' });
}

const LOCK_DIR = join(CONSOLE_DIR, '.build-lock');
/** A lock older than this was left by a build that died. */
const STALE_LOCK_MS = 120_000;

/** Runs `fn` holding the build lock (a directory: creating it is atomic), so two starts never build at once. */
async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = Date.now() - (statSync(LOCK_DIR, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) rmSync(LOCK_DIR, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

/** Builds the console when its build is missing or older than its sources; returns what it did. */
export async function ensureConsoleBuild(progress: (line: string) => void = () => undefined): Promise<'built' | 'current'> {
  if (consoleBuildStaleness() === undefined) return 'current';
  return withBuildLock(async () => {
    const why = consoleBuildStaleness(); // another start may have built it while this one waited
    if (why === undefined) return 'current';
    progress(`building the console (${why})…`);
    await buildConsole();
    return 'built';
  });
}

async function main(command: string | undefined): Promise<number> {
  if (command === 'api') {
    writeFileSync(CONSOLE_API_TYPES, await generateApiTypes());
    process.stderr.write(`wrote ${CONSOLE_API_TYPES}\n`);
    return 0;
  }
  if (command === 'build') {
    await buildConsole();
    process.stderr.write(`built ${CONSOLE_DIST}\n`);
    return 0;
  }
  process.stderr.write('usage: tsx infra/local/console.ts api|build\n');
  return 2;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === new URL(`file://${resolve(process.argv[1])}`).href;
if (invokedDirectly) {
  main(process.argv[2]).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`console: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
