import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  sessionNameFor,
  tenantCredentialSourceFromEnv,
  TenantCredentialsUnavailableError,
  type AwsTenantSecretPorts,
  type TemporaryCredentials,
} from '../../shared/adapters/secrets/tenant-credentials.js';

const TENANT_A = '11111111-1111-4111-8111-111111111111';
const TENANT_B = '22222222-2222-4222-8222-222222222222';
const SECRET = 'Cl1ent~Secret.Value';

/** A fake STS + Secrets Manager enforcing the ABAC rule: a session reads only secrets tagged with its tenant. */
function fakeAws(secrets: Record<string, { tenantTag: string; value: string }>): AwsTenantSecretPorts & { sessions: { roleArn: string; sessionName: string; tenantId: string }[] } {
  const sessions: { roleArn: string; sessionName: string; tenantId: string }[] = [];
  const byToken = new Map<string, string>();
  return {
    sessions,
    assumeRole(input) {
      sessions.push(input);
      const token = `token-${sessions.length}`;
      byToken.set(token, input.tenantId);
      return Promise.resolve({ accessKeyId: 'AKIA', secretAccessKey: 'x', sessionToken: token });
    },
    readSecret(secretId: string, credentials: TemporaryCredentials) {
      const secret = secrets[secretId];
      if (secret === undefined || secret.tenantTag !== byToken.get(credentials.sessionToken)) {
        return Promise.reject(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));
      }
      return Promise.resolve(secret.value);
    },
  };
}

describe('tenant credentials on AWS', () => {
  const env = { TENANT_SECRETS_ROLE_ARN: 'arn:aws:iam::111111111111:role/TenantSecretsReader', TENANT_SECRET_PREFIX: 'drift/tenants/' };

  it('assumes the reader role with the tenantId session tag and reads <prefix><tenantId>', async () => {
    const aws = fakeAws({ [`drift/tenants/${TENANT_A}`]: { tenantTag: TENANT_A, value: JSON.stringify({ clientId: 'app-a', clientSecret: SECRET }) } });
    const creds = await tenantCredentialSourceFromEnv(env, { ports: aws }).credentialsFor(TENANT_A);
    expect(creds).toEqual({ clientId: 'app-a', clientSecret: SECRET });
    expect(aws.sessions).toEqual([{ roleArn: env.TENANT_SECRETS_ROLE_ARN, sessionName: `sync-${TENANT_A}`, tenantId: TENANT_A }]);
  });

  it("cannot read another tenant's secret: the session tag does not match", async () => {
    const aws = fakeAws({ [`drift/tenants/${TENANT_B}`]: { tenantTag: TENANT_A, value: JSON.stringify({ clientId: 'b', clientSecret: SECRET }) } });
    const read = tenantCredentialSourceFromEnv(env, { ports: aws }).credentialsFor(TENANT_B);
    await expect(read).rejects.toBeInstanceOf(TenantCredentialsUnavailableError);
    await expect(read).rejects.toThrow(/AccessDeniedException/);
  });

  it('reports a malformed secret without its value, and refuses tenant ids that are no ids', async () => {
    const aws = fakeAws({ [`drift/tenants/${TENANT_A}`]: { tenantTag: TENANT_A, value: JSON.stringify({ clientId: SECRET }) } });
    const source = tenantCredentialSourceFromEnv(env, { ports: aws });
    const read = source.credentialsFor(TENANT_A);
    await expect(read).rejects.toThrow(/not a credentials object/);
    await expect(read).rejects.not.toThrow(SECRET);
    await expect(source.credentialsFor('../other')).rejects.toBeInstanceOf(TenantCredentialsUnavailableError);
    expect(aws.sessions).toHaveLength(1);
  });

  it('names sessions within the STS alphabet and length', () => {
    expect(sessionNameFor('contoso.onmicrosoft.com')).toBe('sync-contoso.onmicrosoft.com');
    expect(sessionNameFor('x'.repeat(100))).toHaveLength(64);
  });
});

describe('tenant credentials locally', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drift-creds-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a tenant entry of the file, else its "*" entry', async () => {
    const file = join(dir, 'tenants.json');
    writeFileSync(file, JSON.stringify({ [TENANT_A]: { clientId: 'a', clientSecret: SECRET, tokenUrl: 'http://127.0.0.1:1/t/token' }, '*': { client_id: 'any', client_secret: 's2' } }));
    const source = tenantCredentialSourceFromEnv({ DRIFT_TENANT_CREDENTIALS_FILE: file });
    expect(await source.credentialsFor(TENANT_A)).toEqual({ clientId: 'a', clientSecret: SECRET, tokenUrl: 'http://127.0.0.1:1/t/token' });
    expect(await source.credentialsFor(TENANT_B)).toEqual({ clientId: 'any', clientSecret: 's2' });
  });

  it('fails for a tenant the file does not list, and for an unreadable file', async () => {
    const file = join(dir, 'one.json');
    writeFileSync(file, JSON.stringify({ [TENANT_A]: { clientId: 'a', clientSecret: SECRET } }));
    await expect(tenantCredentialSourceFromEnv({ DRIFT_TENANT_CREDENTIALS_FILE: file }).credentialsFor(TENANT_B)).rejects.toThrow(/no entry/);
    await expect(tenantCredentialSourceFromEnv({ DRIFT_TENANT_CREDENTIALS_FILE: join(dir, 'absent.json') }).credentialsFor(TENANT_A)).rejects.toThrow(/cannot be read/);
  });

  it('uses DRIFT_GRAPH_CLIENT_ID / DRIFT_GRAPH_CLIENT_SECRET for every tenant', async () => {
    const source = tenantCredentialSourceFromEnv({ DRIFT_GRAPH_CLIENT_ID: 'app', DRIFT_GRAPH_CLIENT_SECRET: SECRET });
    expect(await source.credentialsFor(TENANT_B)).toEqual({ clientId: 'app', clientSecret: SECRET });
  });

  it('names the variables when no source is configured', async () => {
    await expect(tenantCredentialSourceFromEnv({}).credentialsFor(TENANT_A)).rejects.toThrow(/TENANT_SECRETS_ROLE_ARN.*DRIFT_TENANT_CREDENTIALS_FILE.*DRIFT_GRAPH_CLIENT_ID/);
  });
});
