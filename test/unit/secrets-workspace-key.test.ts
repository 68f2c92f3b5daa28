import { createHmac } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import { deriveWorkspaceKey, SecretKeyUnavailableError, workspaceKeySourceFromEnv } from '../../shared/adapters/secrets/workspace-key.js';

const MASTER = 'stage-master-key-0123456789abcdef';

/** RFC 5869 by hand: extract with an all-zero salt, then the first 32-byte block of expand. */
function hkdfByHand(master: string, info: string): Buffer {
  const prk = createHmac('sha256', Buffer.alloc(32)).update(Buffer.from(master, 'utf8')).digest();
  return createHmac('sha256', prk).update(Buffer.concat([Buffer.from(info, 'utf8'), Buffer.from([1])])).digest();
}

describe('deriveWorkspaceKey', () => {
  it('is HKDF-SHA256 of the master key with the workspace id as info', () => {
    expect(deriveWorkspaceKey(MASTER, 'ws-1').equals(hkdfByHand(MASTER, 'ws-1'))).toBe(true);
    expect(deriveWorkspaceKey(MASTER, 'ws-1')).toHaveLength(32);
  });

  it('gives every workspace its own key', () => {
    expect(deriveWorkspaceKey(MASTER, 'ws-1').equals(deriveWorkspaceKey(MASTER, 'ws-2'))).toBe(false);
    expect(deriveWorkspaceKey(MASTER, 'ws-1').equals(deriveWorkspaceKey(`${MASTER}x`, 'ws-1'))).toBe(false);
  });

  it('refuses a short master key and an empty workspace id', () => {
    expect(() => deriveWorkspaceKey('short', 'ws-1')).toThrow(SecretKeyUnavailableError);
    expect(() => deriveWorkspaceKey(MASTER, '')).toThrow(SecretKeyUnavailableError);
  });
});

describe('workspaceKeySourceFromEnv', () => {
  it('locally digests with the key derived from DRIFT_SECRET_KEY', async () => {
    const source = workspaceKeySourceFromEnv({ DRIFT_SECRET_KEY: MASTER });
    const digester = await source.digesterFor('ws-1');
    expect(digester.digest('p@ss')).toBe(createSecretDigester(hkdfByHand(MASTER, 'ws-1')).digest('p@ss'));
    expect((await source.digesterFor('ws-2')).digest('p@ss')).not.toBe(digester.digest('p@ss'));
  });

  it('on AWS reads the master key from Secrets Manager once, and prefers it to DRIFT_SECRET_KEY', async () => {
    const readSecret = vi.fn((_arn: string) => Promise.resolve(`${MASTER}\n`));
    const arn = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:master-AbCdEf';
    const source = workspaceKeySourceFromEnv({ SECRET_KEY_SECRET_ARN: arn, DRIFT_SECRET_KEY: 'another-local-key-that-is-long' }, { readSecret });
    const a = await source.digesterFor('ws-1');
    await source.digesterFor('ws-2');
    await source.digesterFor('ws-1');
    expect(readSecret).toHaveBeenCalledTimes(1);
    expect(readSecret).toHaveBeenCalledWith(arn);
    expect(a.digest('x')).toBe(createSecretDigester(hkdfByHand(MASTER, 'ws-1')).digest('x'));
  });

  it('reports an unreadable secret by error name only, and tries again on the next call', async () => {
    let calls = 0;
    const readSecret = (): Promise<string> => {
      calls += 1;
      if (calls === 1) return Promise.reject(Object.assign(new Error(`denied for ${MASTER}`), { name: 'AccessDeniedException' }));
      return Promise.resolve(MASTER);
    };
    const source = workspaceKeySourceFromEnv({ SECRET_KEY_SECRET_ARN: 'arn:secret' }, { readSecret });
    const failure = source.digesterFor('ws-1');
    await expect(failure).rejects.toThrow(/AccessDeniedException/);
    await expect(failure).rejects.not.toThrow(MASTER);
    await expect(source.digesterFor('ws-1')).resolves.toBeDefined();
  });

  it('fails with a message naming the variables when no key is configured', async () => {
    await expect(workspaceKeySourceFromEnv({}).digesterFor('ws-1')).rejects.toThrow(/DRIFT_SECRET_KEY.*SECRET_KEY_SECRET_ARN/);
  });
});
