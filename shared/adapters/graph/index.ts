/** The Microsoft Graph adapter: app-only token, read-only client, and the inventory collector. */
export type { GraphApiVersion, GraphCollectionSpec, GraphFollowUp } from './contract.js';
export {
  createClientCredentialsTokenProvider,
  defaultTokenUrl,
  DEFAULT_GRAPH_BASE_URL,
  type AccessTokenProvider,
  type ClientCredentialsConfig,
} from './token-provider.js';
export {
  createGraphClient,
  type GraphClient,
  type GraphClientConfig,
  type GraphClientStats,
  type GraphObject,
  type GraphRequestOptions,
} from './client.js';
export { MAX_BATCH_SIZE, type BatchGetOptions, type BatchGetRequest, type BatchGetResult } from './batch.js';
export {
  collectInventory,
  coverageOf,
  type CollectInventoryInput,
  type InventoryCollection,
  type InventoryProgress,
  type TypeInventory,
} from './collector.js';
export { collectRegistryInventory, type CollectRegistryInventoryInput } from './registry-inventory.js';
export {
  ForbiddenGraphRequestError,
  GraphHttpError,
  GraphNetworkError,
  GraphProtocolError,
  GraphTokenError,
  shortGraphError,
} from './errors.js';
export { DEFAULT_BACKOFF, type BackoffSettings, type RetryBudget } from './backoff.js';
export type { Clock, FetchLike, Random, Sleep } from './ports.js';
export {
  DEFAULT_TOKEN_URL_TEMPLATE,
  tenantGraphClientFactory,
  tenantGraphClientFactoryFromEnv,
  tokenUrlFor,
  type TenantGraphClientFactory,
  type TenantGraphClientOptions,
} from './tenant-client.js';
export { redactGraphObject } from './redact.js';
