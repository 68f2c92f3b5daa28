/**
 * A tenant's Graph app credentials (client id and secret of the app registration consented in that
 * tenant), read only by the sync.
 *
 * - AWS: the Secrets Manager secret `${TENANT_SECRET_PREFIX}${tenantId}` (a JSON object), read through
 *   the role `TENANT_SECRETS_ROLE_ARN` assumed with the session tag `tenantId = <tenantId>`. The role may
 *   read a secret only when the secret's own `tenantId` tag matches the session's (ABAC), so a session
 *   opened for one tenant cannot read another tenant's credentials, whatever name it asks for.
 * - Locally: the JSON file `DRIFT_TENANT_CREDENTIALS_FILE` (`{ "<tenantId>": { clientId, clientSecret,
 *   tokenUrl?, graphUrl? }, "*": { ... } }`, `*` for every tenant not listed), or the environment
 *   `DRIFT_GRAPH_CLIENT_ID` / `DRIFT_GRAPH_CLIENT_SECRET` (one multi-tenant app for every tenant).
 *
 * Errors say which tenant and which source, never a secret value.
 */
import { readFile } from 'node:fs/promises';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { traced } from '../observability.js';

export interface TenantCredentials {
  clientId: string;
  clientSecret: string;
  /** Token endpoint of this tenant, when it differs from the stage's template. */
  tokenUrl?: string;
  /** Graph base URL of this tenant (national clouds), when it differs from the stage's. */
  graphUrl?: string;
}

export interface TenantCredentialSource {
  credentialsFor(tenantId: string): Promise<TenantCredentials>;
}

/** The tenant's credentials could not be had (missing, not permitted, malformed). */
export class TenantCredentialsUnavailableError extends Error {
  override readonly name = 'TenantCredentialsUnavailableError';
  readonly code = 'tenant_credentials_unavailable';
  constructor(
    readonly tenantId: string,
    reason: string,
  ) {
    super(`credentials of tenant ${tenantId} are unavailable: ${reason}`);
  }
}

/** The session tag (and secret tag) binding a read to one tenant. */
export const TENANT_SESSION_TAG = 'tenantId';

const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const credentialsSchema = z
  .object({
    clientId: z.string().min(1).max(256).optional(),
    client_id: z.string().min(1).max(256).optional(),
    clientSecret: z.string().min(1).max(4096).optional(),
    client_secret: z.string().min(1).max(4096).optional(),
    tokenUrl: z.url().optional(),
    graphUrl: z.url().optional(),
  })
  .transform((v, ctx): TenantCredentials => {
    const clientId = v.clientId ?? v.client_id;
    const clientSecret = v.clientSecret ?? v.client_secret;
    if (clientId === undefined || clientSecret === undefined) {
      ctx.addIssue({ code: 'custom', message: 'clientId and clientSecret are required' });
      return z.NEVER;
    }
    return { clientId, clientSecret, ...(v.tokenUrl ? { tokenUrl: v.tokenUrl } : {}), ...(v.graphUrl ? { graphUrl: v.graphUrl } : {}) };
  });

/** Parses a credentials document; the error names the missing field, never a value. */
export function parseTenantCredentials(tenantId: string, value: unknown, source: string): TenantCredentials {
  const parsed = credentialsSchema.safeParse(value);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || i.message).join(', ');
    throw new TenantCredentialsUnavailableError(tenantId, `${source} is not a credentials object (${fields})`);
  }
  return parsed.data;
}

function checkTenantId(tenantId: string): void {
  if (!TENANT_ID.test(tenantId)) throw new TenantCredentialsUnavailableError(tenantId.slice(0, 64), 'not a valid tenant id');
}

// ---------------------------------------------------------------------------------------------
// AWS
// ---------------------------------------------------------------------------------------------

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export interface AwsTenantSecretPorts {
  /** Assumes the reader role with the tenant's session tag. */
  assumeRole(input: { roleArn: string; sessionName: string; tenantId: string }): Promise<TemporaryCredentials>;
  /** Reads the secret with the session's credentials. */
  readSecret(secretId: string, credentials: TemporaryCredentials): Promise<string | undefined>;
}

let stsClient: STSClient | undefined;

export const awsTenantSecretPorts: AwsTenantSecretPorts = {
  async assumeRole({ roleArn, sessionName, tenantId }) {
    stsClient ??= traced(new STSClient({}));
    const out = await stsClient.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: sessionName,
        DurationSeconds: 900,
        Tags: [{ Key: TENANT_SESSION_TAG, Value: tenantId }],
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error('AssumeRole returned no credentials');
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  },
  async readSecret(secretId, credentials) {
    // A client per session: its credentials are the tenant's, used for this one read.
    const client = traced(new SecretsManagerClient({ credentials }));
    try {
      const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      return out.SecretString;
    } finally {
      client.destroy();
    }
  },
};

/** `tenant-<id>` within STS's 64-character session name alphabet. */
export function sessionNameFor(tenantId: string): string {
  return `sync-${tenantId.replace(/[^\w+=,.@-]/g, '-')}`.slice(0, 64);
}

export function awsTenantCredentialSource(config: { roleArn: string; secretPrefix: string; ports?: AwsTenantSecretPorts }): TenantCredentialSource {
  const ports = config.ports ?? awsTenantSecretPorts;
  return {
    async credentialsFor(tenantId) {
      checkTenantId(tenantId);
      let text: string | undefined;
      try {
        const session = await ports.assumeRole({ roleArn: config.roleArn, sessionName: sessionNameFor(tenantId), tenantId });
        text = await ports.readSecret(`${config.secretPrefix}${tenantId}`, session);
      } catch (err) {
        throw new TenantCredentialsUnavailableError(tenantId, `the tenant secret could not be read (${err instanceof Error ? err.name : 'error'})`);
      }
      if (text === undefined) throw new TenantCredentialsUnavailableError(tenantId, 'the tenant secret has no string value');
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new TenantCredentialsUnavailableError(tenantId, 'the tenant secret is not JSON');
      }
      return parseTenantCredentials(tenantId, value, 'the tenant secret');
    },
  };
}

// ---------------------------------------------------------------------------------------------
// local
// ---------------------------------------------------------------------------------------------

export function fileTenantCredentialSource(file: string): TenantCredentialSource {
  let loaded: Promise<Record<string, unknown>> | undefined;
  return {
    async credentialsFor(tenantId) {
      checkTenantId(tenantId);
      loaded ??= readFile(file, 'utf8').then(
        (text) => {
          const parsed: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
          if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
          return parsed as Record<string, unknown>;
        },
      );
      let all: Record<string, unknown>;
      try {
        all = await loaded;
      } catch {
        loaded = undefined;
        throw new TenantCredentialsUnavailableError(tenantId, 'DRIFT_TENANT_CREDENTIALS_FILE cannot be read as a JSON object');
      }
      const entry = Object.hasOwn(all, tenantId) ? all[tenantId] : all['*'];
      if (entry === undefined) throw new TenantCredentialsUnavailableError(tenantId, 'the credentials file has no entry for it (nor "*")');
      return parseTenantCredentials(tenantId, entry, 'its entry in the credentials file');
    },
  };
}

export function staticTenantCredentialSource(credentials: TenantCredentials): TenantCredentialSource {
  return {
    credentialsFor(tenantId) {
      checkTenantId(tenantId);
      return Promise.resolve({ ...credentials });
    },
  };
}

/**
 * The stage's source: AWS when `TENANT_SECRETS_ROLE_ARN` is set, else the local file, else the
 * environment's single app. Without any, every read fails with a message naming the variables.
 */
export function tenantCredentialSourceFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  options: { ports?: AwsTenantSecretPorts } = {},
): TenantCredentialSource {
  if (env.TENANT_SECRETS_ROLE_ARN) {
    return awsTenantCredentialSource({
      roleArn: env.TENANT_SECRETS_ROLE_ARN,
      secretPrefix: env.TENANT_SECRET_PREFIX ?? '',
      ...(options.ports ? { ports: options.ports } : {}),
    });
  }
  if (env.DRIFT_TENANT_CREDENTIALS_FILE) return fileTenantCredentialSource(env.DRIFT_TENANT_CREDENTIALS_FILE);
  if (env.DRIFT_GRAPH_CLIENT_ID && env.DRIFT_GRAPH_CLIENT_SECRET) {
    return staticTenantCredentialSource({ clientId: env.DRIFT_GRAPH_CLIENT_ID, clientSecret: env.DRIFT_GRAPH_CLIENT_SECRET });
  }
  return {
    credentialsFor: (tenantId) =>
      Promise.reject(
        new TenantCredentialsUnavailableError(
          tenantId,
          'no source configured: set TENANT_SECRETS_ROLE_ARN (AWS), DRIFT_TENANT_CREDENTIALS_FILE, or DRIFT_GRAPH_CLIENT_ID and DRIFT_GRAPH_CLIENT_SECRET',
        ),
      ),
  };
}
