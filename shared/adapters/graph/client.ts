/**
 * A read-only Microsoft Graph client for one tenant: app-only token, bounded concurrency, retries,
 * paging and JSON batching. It knows nothing of policy types; the collector drives it.
 */
import { DEFAULT_BACKOFF, budgetFrom, type BackoffSettings, type RetryBudget } from './backoff.js';
import { batchGet, type BatchGetOptions, type BatchGetRequest, type BatchGetResult } from './batch.js';
import type { GraphApiVersion } from './contract.js';
import { GraphProtocolError } from './errors.js';
import { checkNextLink, graphUrl } from './paths.js';
import { globalFetch, realClock, realRandom, realSleep, type Clock, type FetchLike, type Random, type Sleep } from './ports.js';
import { DEFAULT_GRAPH_BASE_URL, type AccessTokenProvider } from './token-provider.js';
import { objectBody, Transport } from './transport.js';

export type GraphObject = Record<string, unknown>;

export interface GraphClientConfig {
  tokenProvider: AccessTokenProvider;
  /** Default `https://graph.microsoft.com` (national clouds have their own host). */
  baseUrl?: string;
  /** Version used when a call names none. Default `v1.0`. */
  defaultApiVersion?: GraphApiVersion;
  /** Requests in flight at once for this tenant. Default 4. */
  concurrency?: number;
  /** Retries of one request after transient failures. Default 8. */
  maxRetries?: number;
  /** Time budget of a call made without an explicit budget. Default 5 minutes. */
  defaultBudgetMs?: number;
  backoff?: Partial<BackoffSettings>;
  /** Abort one HTTP request after this long. Default 100 s (Graph's own gateway timeout). */
  requestTimeoutMs?: number;
  fetch?: FetchLike;
  /** `sleep` and `clock` must agree (a fake sleep advances a fake clock), as the real ones do. */
  sleep?: Sleep;
  clock?: Clock;
  random?: Random;
}

export interface GraphRequestOptions {
  apiVersion?: GraphApiVersion;
  /** Retries stop when the next wait would end after this budget's deadline. */
  budget?: RetryBudget;
}

export interface GraphClientStats {
  /** HTTP requests sent to Graph (a `$batch` POST counts once; token requests are not counted). */
  requests: number;
  /** Requests or batch items sent again after a transient failure or a refused token. */
  retries: number;
  /** Requests carried inside `$batch` POSTs. */
  batchedRequests: number;
}

export interface GraphClient {
  readonly baseUrl: string;
  readonly clock: Clock;
  /** GET one object (relative path, e.g. `/deviceManagement/deviceManagementScripts/{id}`). */
  get(path: string, query?: Record<string, string>, options?: GraphRequestOptions): Promise<GraphObject>;
  /** GET a collection and follow `@odata.nextLink` to the end; returns every page's `value` items. */
  getAllPages(path: string, query?: Record<string, string>, options?: GraphRequestOptions): Promise<GraphObject[]>;
  /** Many GETs through `$batch` (20 per POST); one result per request id. */
  batchGet(requests: readonly BatchGetRequest[], options?: Partial<BatchGetOptions>): Promise<Map<string, BatchGetResult>>;
  /** A retry budget of `ms` from now (the client's default when omitted). */
  newBudget(ms?: number): RetryBudget;
  stats(): GraphClientStats;
}

export function createGraphClient(config: GraphClientConfig): GraphClient {
  const baseUrl = (config.baseUrl ?? DEFAULT_GRAPH_BASE_URL).replace(/\/+$/, '');
  const clock = config.clock ?? realClock;
  const defaultVersion = config.defaultApiVersion ?? 'v1.0';
  const defaultBudgetMs = config.defaultBudgetMs ?? 5 * 60_000;
  const transport = new Transport({
    baseUrl,
    tokenProvider: config.tokenProvider,
    fetch: config.fetch ?? globalFetch,
    sleep: config.sleep ?? realSleep,
    clock,
    random: config.random ?? realRandom,
    backoff: { ...DEFAULT_BACKOFF, ...config.backoff },
    maxRetries: config.maxRetries ?? 8,
    concurrency: config.concurrency ?? 4,
    requestTimeoutMs: config.requestTimeoutMs ?? 100_000,
  });
  const budgetOf = (options?: GraphRequestOptions): RetryBudget => options?.budget ?? budgetFrom(clock, defaultBudgetMs);

  return {
    baseUrl,
    clock,
    async get(path, query, options) {
      const url = graphUrl(baseUrl, options?.apiVersion ?? defaultVersion, path, query);
      return objectBody(await transport.request('GET', url, undefined, budgetOf(options)));
    },
    async getAllPages(path, query, options) {
      const budget = budgetOf(options);
      const items: GraphObject[] = [];
      let url: string | undefined = graphUrl(baseUrl, options?.apiVersion ?? defaultVersion, path, query);
      while (url !== undefined) {
        const page = objectBody(await transport.request('GET', url, undefined, budget));
        const value = page.value;
        if (!Array.isArray(value)) throw new GraphProtocolError('collection response without a value array');
        for (const item of value as unknown[]) {
          if (item === null || typeof item !== 'object' || Array.isArray(item)) {
            throw new GraphProtocolError('collection item is not an object');
          }
          items.push(item as GraphObject);
        }
        const nextLink = page['@odata.nextLink'];
        url = nextLink === undefined || nextLink === null ? undefined : checkNextLink(baseUrl, nextLink);
      }
      return items;
    },
    batchGet(requests, options) {
      return batchGet(transport, requests, {
        apiVersion: options?.apiVersion ?? defaultVersion,
        budget: options?.budget ?? budgetFrom(clock, defaultBudgetMs),
        failFast: options?.failFast ?? false,
      });
    },
    newBudget(ms) {
      return budgetFrom(clock, ms ?? defaultBudgetMs);
    },
    stats() {
      return { ...transport.counters };
    },
  };
}
