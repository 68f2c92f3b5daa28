/**
 * One HTTP exchange with Graph, and the retry policy around single requests.
 *
 * Why these libraries: `p-limit` bounds the requests in flight per tenant (Intune allows 1,000
 * requests per 20 s per app and tenant; a handful in flight stays far below that while still
 * overlapping latency), and `p-retry` runs the attempt loop of a single request (attempt counting,
 * stop on permanent errors) so the code here only decides *whether* and *how long* to wait. Its own
 * timers are set to zero: the wait comes from Retry-After or our jittered backoff, through the
 * injected `sleep`, so tests do not wait for real.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import pRetry, { AbortError } from 'p-retry';
import { fitsBudget, parseRetryAfter, retryDelay, type BackoffSettings, type RetryBudget } from './backoff.js';
import {
  GraphHttpError,
  GraphNetworkError,
  GraphProtocolError,
  GraphTokenError,
  isTransientStatus,
} from './errors.js';
import { assertNoClearSecretEndpoint } from './paths.js';
import type { Clock, FetchLike, Random, Sleep } from './ports.js';
import type { AccessTokenProvider } from './token-provider.js';

export interface RawResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined when there was none or it was not JSON. */
  body: unknown;
}

export interface TransportCounters {
  /** HTTP requests sent to Graph (a `$batch` POST counts once). */
  requests: number;
  /** Requests (or batch items) sent again after a transient failure or a refused token. */
  retries: number;
  /** Requests carried inside `$batch` POSTs. */
  batchedRequests: number;
}

export interface TransportConfig {
  baseUrl: string;
  tokenProvider: AccessTokenProvider;
  fetch: FetchLike;
  sleep: Sleep;
  clock: Clock;
  random: Random;
  backoff: BackoffSettings;
  /** Retries of one request after transient failures (the budget usually ends them first). */
  maxRetries: number;
  concurrency: number;
  requestTimeoutMs: number;
}

export class Transport {
  readonly counters: TransportCounters = { requests: 0, retries: 0, batchedRequests: 0 };
  private readonly limit: LimitFunction;

  constructor(readonly config: TransportConfig) {
    this.limit = pLimit(config.concurrency);
  }

  /**
   * Sends one request, once. Throws `GraphTokenError` when no token could be had and
   * `GraphNetworkError` when no HTTP status arrived; every HTTP status is returned, not thrown.
   */
  async send(method: 'GET' | 'POST', url: string, jsonBody?: unknown): Promise<{ response: RawResponse; token: string }> {
    assertNoClearSecretEndpoint(url);
    const token = await this.config.tokenProvider.getToken();
    const response = await this.limit(async () => {
      this.counters.requests += 1;
      let res: Response;
      try {
        res = await this.config.fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(jsonBody === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(jsonBody === undefined ? {} : { body: JSON.stringify(jsonBody) }),
          signal: AbortSignal.timeout(this.config.requestTimeoutMs),
        });
      } catch (error) {
        const timeout = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
        throw new GraphNetworkError(timeout ? 'timeout' : 'network');
      }
      return toRawResponse(res);
    });
    return { response, token };
  }

  /**
   * Sends one request and retries it: 429/503/504 and network errors after Retry-After or backoff,
   * within the budget; 401 once after dropping the token. Returns the successful response; throws
   * `GraphHttpError` (or the token / network error) otherwise.
   */
  async request(method: 'GET' | 'POST', url: string, jsonBody: unknown, budget: RetryBudget): Promise<RawResponse> {
    let refreshedToken = false;
    let transientFailures = 0;
    return pRetry(
      async () => {
        let sent: { response: RawResponse; token: string };
        try {
          sent = await this.send(method, url, jsonBody);
        } catch (error) {
          if (error instanceof GraphNetworkError) throw new RetryableFailure(error);
          if (error instanceof GraphTokenError && error.transient) throw new RetryableFailure(error);
          throw new AbortError(error instanceof Error ? error : new Error('request failed'));
        }
        const { response, token } = sent;
        if (response.status >= 200 && response.status < 300) return response;
        const failure = httpError(response);
        if (response.status === 401 && !refreshedToken) {
          refreshedToken = true;
          this.config.tokenProvider.invalidate(token);
          throw new RetryableFailure(failure, 0);
        }
        if (isTransientStatus(response.status)) {
          throw new RetryableFailure(failure, parseRetryAfter(response.headers['retry-after'], this.config.clock()));
        }
        throw new AbortError(failure);
      },
      {
        retries: this.config.maxRetries + 1,
        minTimeout: 0,
        maxTimeout: 0,
        factor: 1,
        onFailedAttempt: async (attemptError) => {
          const failure = attemptError as unknown as RetryableFailure;
          if (failure.retryAfterMs === 0) {
            this.counters.retries += 1;
            return;
          }
          transientFailures += 1;
          if (transientFailures > this.config.maxRetries) throw giveUp(failure.original, 'retries exhausted');
          await this.waitBeforeRetry(transientFailures, failure.retryAfterMs, budget, failure.original);
        },
      },
    ).catch((error: unknown) => {
      throw error instanceof RetryableFailure ? error.original : error;
    });
  }

  /** Waits before a retry, or throws the last error (marked budget exhausted) when that would overrun. */
  async waitBeforeRetry(attempt: number, retryAfterMs: number | undefined, budget: RetryBudget, last: Error): Promise<void> {
    const delay = this.delayFor(attempt, retryAfterMs);
    if (!fitsBudget(budget, this.config.clock, delay)) throw giveUp(last, 'retry budget exhausted');
    this.counters.retries += 1;
    await this.config.sleep(delay);
  }

  delayFor(attempt: number, retryAfterMs: number | undefined): number {
    return retryDelay(attempt, retryAfterMs, this.config.backoff, this.config.random);
  }
}

/** An attempt that failed in a way worth retrying; `retryAfterMs` 0 = retry at once (token refresh). */
export class RetryableFailure extends Error {
  override readonly name = 'RetryableFailure';
  constructor(
    readonly original: Error,
    readonly retryAfterMs?: number,
  ) {
    super(original.message);
  }
}

/** The error a request ends with after transient failures: same status and code, with the reason. */
export function giveUp(last: Error, reason: string): Error {
  if (last instanceof GraphHttpError) return new GraphHttpError(last.status, last.code, reason);
  return last;
}

/** A `GraphHttpError` from a Graph error response (`{ error: { code } }`), code only. */
export function httpError(response: RawResponse): GraphHttpError {
  return new GraphHttpError(response.status, graphErrorCode(response.body, response.status));
}

export function graphErrorCode(body: unknown, status: number): string {
  if (body !== null && typeof body === 'object') {
    const error = (body as { error?: unknown }).error;
    if (error !== null && typeof error === 'object') {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && /^[A-Za-z0-9_.-]{1,80}$/.test(code)) return code;
    }
  }
  return GENERIC_CODES[status] ?? 'HttpError';
}

const GENERIC_CODES: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

async function toRawResponse(res: Response): Promise<RawResponse> {
  const headers: Record<string, string> = {};
  res.headers.forEach((value, key) => {
    headers[key.toLowerCase()] = value;
  });
  const text = await res.text();
  let body: unknown;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  return { status: res.status, headers, body };
}

/** The JSON object of a successful response; anything else is a protocol error. */
export function objectBody(response: RawResponse): Record<string, unknown> {
  const body = response.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new GraphProtocolError(`${response.status} response without a JSON object`);
  }
  return body as Record<string, unknown>;
}
