/**
 * The per-workspace key of the secret digests (docs/normalization.md, "Secrets"), kept outside the data.
 *
 * One master key per stage: `DRIFT_SECRET_KEY` locally, or the Secrets Manager secret whose ARN is in
 * `SECRET_KEY_SECRET_ARN` on AWS (that one wins when both are set). Each workspace gets its own key,
 * HKDF-SHA256 of the master key with the workspace id as `info` (empty salt, 32 bytes), so digests of
 * one workspace say nothing about another's and a workspace's key can be handed out without the master.
 *
 * The master key is read once per container (one Secrets Manager call), the derived digesters are
 * cached per workspace. Errors name the variable or the secret, never a key.
 */
import { hkdfSync } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createSecretDigester, MIN_SECRET_KEY_BYTES, type SecretDigester } from '../../domain/secrets.js';
import { traced } from '../observability.js';

export const WORKSPACE_KEY_BYTES = 32;

export interface WorkspaceKeySource {
  /** The digester of one workspace's secrets. */
  digesterFor(workspaceId: string): Promise<SecretDigester>;
}

/** Reads a secret's value (string or binary) by ARN. */
export type SecretValueReader = (secretId: string) => Promise<string | Uint8Array>;

/** No master key is configured, or the configured one is unusable. */
export class SecretKeyUnavailableError extends Error {
  override readonly name = 'SecretKeyUnavailableError';
  readonly code = 'secret_key_unavailable';
}

/** HKDF-SHA256(master, salt = empty, info = workspaceId) -> 32 bytes. */
export function deriveWorkspaceKey(masterKey: Uint8Array | string, workspaceId: string): Buffer {
  if (workspaceId.length === 0) throw new SecretKeyUnavailableError('a workspace id is needed to derive its key');
  const master = typeof masterKey === 'string' ? Buffer.from(masterKey, 'utf8') : Buffer.from(masterKey);
  if (master.length < MIN_SECRET_KEY_BYTES) {
    throw new SecretKeyUnavailableError(`the secret master key is shorter than ${MIN_SECRET_KEY_BYTES} bytes`);
  }
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), Buffer.from(workspaceId, 'utf8'), WORKSPACE_KEY_BYTES));
}

/** A key source over a master key obtained once (lazily) from `loadMaster`. */
export function workspaceKeySource(loadMaster: () => Promise<Uint8Array | string>): WorkspaceKeySource {
  let master: Promise<Uint8Array | string> | undefined;
  const digesters = new Map<string, SecretDigester>();
  return {
    async digesterFor(workspaceId) {
      const cached = digesters.get(workspaceId);
      if (cached) return cached;
      master ??= loadMaster().catch((err: unknown) => {
        master = undefined; // a failed read is tried again on the next call
        throw err;
      });
      const digester = createSecretDigester(deriveWorkspaceKey(await master, workspaceId));
      digesters.set(workspaceId, digester);
      return digester;
    },
  };
}

let defaultClient: SecretsManagerClient | undefined;

/** Reads a secret with the container's Secrets Manager client (created on first use). */
export const readSecretValue: SecretValueReader = async (secretId) => {
  defaultClient ??= traced(new SecretsManagerClient({}));
  const out = await defaultClient.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (out.SecretString !== undefined) return out.SecretString;
  if (out.SecretBinary !== undefined) return out.SecretBinary;
  throw new SecretKeyUnavailableError(`secret ${secretId} has no value`);
};

/** The stage's key source, from `SECRET_KEY_SECRET_ARN` (AWS) or `DRIFT_SECRET_KEY` (local). */
export function workspaceKeySourceFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  options: { readSecret?: SecretValueReader } = {},
): WorkspaceKeySource {
  const arn = env.SECRET_KEY_SECRET_ARN;
  const local = env.DRIFT_SECRET_KEY;
  if (arn) {
    const read = options.readSecret ?? readSecretValue;
    return workspaceKeySource(async () => {
      let value: string | Uint8Array;
      try {
        value = await read(arn);
      } catch (err) {
        if (err instanceof SecretKeyUnavailableError) throw err;
        throw new SecretKeyUnavailableError(
          `the secret master key (SECRET_KEY_SECRET_ARN) could not be read: ${err instanceof Error ? err.name : 'error'}`,
        );
      }
      return typeof value === 'string' ? value.trim() : value;
    });
  }
  if (local) return workspaceKeySource(() => Promise.resolve(local));
  return workspaceKeySource(() =>
    Promise.reject(
      new SecretKeyUnavailableError('no secret master key: set DRIFT_SECRET_KEY (at least 16 bytes) locally, or SECRET_KEY_SECRET_ARN on AWS'),
    ),
  );
}
