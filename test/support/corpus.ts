import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The real Graph exports live outside the repository, next to the project root (read-only input);
 *  `INTUNE_CORPUS_DIR` points at them from a checkout that lives elsewhere (a git worktree). */
export const corpusDir = process.env.INTUNE_CORPUS_DIR
  ? resolve(process.env.INTUNE_CORPUS_DIR)
  : resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus/intune');
export const corpusAvailable = existsSync(corpusDir);
export const corpusSkipReason = `corpus not found at ${corpusDir}: corpus tests are skipped; the project's own fixtures still cover every rule`;

if (!corpusAvailable) {
  console.warn(corpusSkipReason);
}
