/**
 * Secret redaction (docs/normalization.md, "Secrets"): a secret becomes a keyed digest before anything is stored or hashed.
 *
 * The digest is HMAC-SHA256, keyed with a per-workspace key kept outside the data, over the canonical
 * JSON of the secret value, written `hmac-sha256:<64 hex digits>`. The same secret under the same key
 * always gives the same digest (so an unchanged secret is no drift), a changed secret gives another
 * (a rotated key or password still changes the hash), and without the key nothing stored allows
 * guessing the secret offline (a plain SHA-256 of a short password would).
 *
 * `node:crypto` is computation, not I/O: the domain may use it.
 */
import { createHmac } from 'node:crypto';
import { canonicalJson } from './canonical.js';
import { InvalidSecretKeyError } from './errors.js';

export const SECRET_DIGEST_PREFIX = 'hmac-sha256:';

/** Shortest key accepted (bytes). A workspace key is normally 32 random bytes. */
export const MIN_SECRET_KEY_BYTES = 16;

export interface SecretDigester {
  /** `hmac-sha256:<hex>` over the canonical JSON of the value. */
  digest(value: unknown): string;
}

const DIGEST = /^hmac-sha256:[0-9a-f]{64}$/;

/**
 * True for a value that already is a digest. Normalization keeps such values as they are, which makes
 * it idempotent (a value written exactly like a digest is taken for one).
 */
export function isSecretDigest(value: unknown): value is string {
  return typeof value === 'string' && value.length === SECRET_DIGEST_PREFIX.length + 64 && DIGEST.test(value);
}

/** A digester for one workspace key (a Buffer, or a string taken as UTF-8). */
export function createSecretDigester(key: Buffer | string): SecretDigester {
  const keyBytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key);
  if (keyBytes.length < MIN_SECRET_KEY_BYTES) throw new InvalidSecretKeyError();
  return {
    digest(value: unknown): string {
      return SECRET_DIGEST_PREFIX + createHmac('sha256', keyBytes).update(canonicalJson(value)).digest('hex');
    },
  };
}
