/**
 * A Graph client per tenant, from that tenant's credentials and the stage's endpoints: the Graph base
 * URL (`GRAPH_BASE_URL`, national clouds and local test servers) and the token URL template
 * (`GRAPH_TOKEN_URL_TEMPLATE`, `{tenantId}` replaced; `{tenant}` is accepted too). Credentials may carry
 * their own `tokenUrl` / `graphUrl`, which win.
 */
import type { TenantCredentialSource } from '../secrets/tenant-credentials.js';
import { createGraphClient, type GraphClient, type GraphClientConfig } from './client.js';
import { createClientCredentialsTokenProvider, DEFAULT_GRAPH_BASE_URL } from './token-provider.js';

export const DEFAULT_TOKEN_URL_TEMPLATE = 'https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token';

export type TenantGraphClientFactory = (tenantId: string) => Promise<GraphClient>;

export function tokenUrlFor(template: string, tenantId: string): string {
  return template.replaceAll('{tenantId}', encodeURIComponent(tenantId)).replaceAll('{tenant}', encodeURIComponent(tenantId));
}

export interface TenantGraphClientOptions {
  credentials: TenantCredentialSource;
  graphBaseUrl?: string;
  tokenUrlTemplate?: string;
  /** Client settings (concurrency, retries, and in tests fetch / sleep / clock). */
  client?: Partial<Omit<GraphClientConfig, 'tokenProvider' | 'baseUrl'>>;
}

export function tenantGraphClientFactory(options: TenantGraphClientOptions): TenantGraphClientFactory {
  return async (tenantId) => {
    const creds = await options.credentials.credentialsFor(tenantId);
    const baseUrl = (creds.graphUrl ?? options.graphBaseUrl ?? DEFAULT_GRAPH_BASE_URL).replace(/\/+$/, '');
    const tokenProvider = createClientCredentialsTokenProvider({
      tenantId,
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      graphBaseUrl: baseUrl,
      tokenUrl: creds.tokenUrl ?? tokenUrlFor(options.tokenUrlTemplate ?? DEFAULT_TOKEN_URL_TEMPLATE, tenantId),
      ...(options.client?.fetch ? { fetch: options.client.fetch } : {}),
      ...(options.client?.clock ? { clock: options.client.clock } : {}),
    });
    return createGraphClient({ ...options.client, tokenProvider, baseUrl });
  };
}

/** The factory of this process from `GRAPH_BASE_URL` and `GRAPH_TOKEN_URL_TEMPLATE`. */
export function tenantGraphClientFactoryFromEnv(credentials: TenantCredentialSource, env: NodeJS.ProcessEnv = process.env): TenantGraphClientFactory {
  return tenantGraphClientFactory({
    credentials,
    ...(env.GRAPH_BASE_URL ? { graphBaseUrl: env.GRAPH_BASE_URL } : {}),
    ...(env.GRAPH_TOKEN_URL_TEMPLATE ? { tokenUrlTemplate: env.GRAPH_TOKEN_URL_TEMPLATE } : {}),
  });
}
