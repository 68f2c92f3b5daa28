import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidSecretKeyError, MissingPolicyNameError } from '../../shared/domain/errors.js';
import { SECRET_DIGEST_PREFIX, createSecretDigester, isSecretDigest } from '../../shared/domain/secrets.js';
import { buildSubject } from '../../shared/domain/subject.js';
import { TEST_SECRET_KEY } from '../fixtures/graph/fixtures.js';

const digester = createSecretDigester(TEST_SECRET_KEY);

describe('secret digests', () => {
  it('is HMAC-SHA256 with the workspace key over the canonical JSON of the value', () => {
    const expected = createHmac('sha256', Buffer.from(TEST_SECRET_KEY, 'utf8')).update('"hunter2"').digest('hex');
    expect(digester.digest('hunter2')).toBe(`hmac-sha256:${expected}`);
    const objectDigest = createHmac('sha256', TEST_SECRET_KEY).update('{"a":1,"b":[true,"x"]}').digest('hex');
    expect(digester.digest({ b: [true, 'x'], a: 1 })).toBe(`${SECRET_DIGEST_PREFIX}${objectDigest}`);
  });

  it('is stable for the same secret and key, and differs for another secret or another key', () => {
    expect(digester.digest('hunter2')).toBe(createSecretDigester(TEST_SECRET_KEY).digest('hunter2'));
    expect(digester.digest('hunter2')).toBe(createSecretDigester(Buffer.from(TEST_SECRET_KEY, 'utf8')).digest('hunter2'));
    expect(digester.digest('hunter3')).not.toBe(digester.digest('hunter2'));
    expect(createSecretDigester('another-workspace-key-0000').digest('hunter2')).not.toBe(digester.digest('hunter2'));
    expect(digester.digest('1')).not.toBe(digester.digest(1));
  });

  it('never contains the secret and is recognised as a digest', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4 }), (secret) => {
        const digest = digester.digest(secret);
        expect(isSecretDigest(digest)).toBe(true);
        expect(digest).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
        expect(digest).not.toContain(secret);
      }),
    );
    expect(isSecretDigest('hmac-sha256:abc')).toBe(false);
    expect(isSecretDigest(`hmac-sha256:${'A'.repeat(64)}`)).toBe(false);
    expect(isSecretDigest(42)).toBe(false);
  });

  it('refuses keys shorter than 16 bytes', () => {
    expect(() => createSecretDigester('')).toThrow(InvalidSecretKeyError);
    expect(() => createSecretDigester('short-key')).toThrow(/at least 16 bytes/);
    expect(() => createSecretDigester(Buffer.alloc(15))).toThrow(InvalidSecretKeyError);
    expect(() => createSecretDigester(Buffer.alloc(16))).not.toThrow();
  });

  it('keeps secrets out of error messages', () => {
    const unnamed = { '@odata.type': '#microsoft.graph.windowsWifiConfiguration', id: 'abc', displayName: '  ', preSharedKey: 'Pl41n-PSK-value' };
    let error: unknown;
    try {
      buildSubject('deviceConfiguration', unnamed, digester);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingPolicyNameError);
    expect(String((error as Error).message)).not.toContain('Pl41n-PSK-value');
    expect(JSON.stringify(error)).not.toContain('Pl41n-PSK-value');
  });
});
