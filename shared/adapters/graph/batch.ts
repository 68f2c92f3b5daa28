/**
 * JSON batching (`POST /{version}/$batch`): up to 20 GET requests per POST, responses matched by id
 * (Graph may answer out of order), each inner response judged by its own status. Throttled items are
 * re-sent alone (only them, not their batch neighbours), each no earlier than its own Retry-After;
 * paged items follow their `@odata.nextLink`s in later rounds, batched again.
 */
import { budgetFrom, parseRetryAfter, type RetryBudget } from './backoff.js';
import { GraphNetworkError, GraphProtocolError, GraphTokenError, isTransientStatus } from './errors.js';
import type { GraphApiVersion } from './contract.js';
import { assertNoClearSecretEndpoint, batchRelativeUrl, checkNextLink } from './paths.js';
import { giveUp, httpError, objectBody, type RawResponse, type Transport } from './transport.js';

/** Graph's limit of requests in one `$batch`. */
export const MAX_BATCH_SIZE = 20;

export interface BatchGetRequest {
  /** Unique within the call; the result is keyed by it. */
  id: string;
  /** Relative to the version root, with query: `/deviceManagement/intents/abc/settings?$top=100`. */
  url: string;
  /** Follow `@odata.nextLink` and gather every page's `value`. */
  paged?: boolean;
}

export type BatchGetResult =
  /** `body` is the response object; for a paged request, `{ value: [every page's items] }`. */
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; error: Error };

export interface BatchGetOptions {
  apiVersion: GraphApiVersion;
  budget?: RetryBudget;
  /** Stop sending further rounds as soon as one request failed for good (its siblings get no result). */
  failFast?: boolean;
}

interface ItemState {
  id: string;
  url: string;
  paged: boolean;
  pages: unknown[];
  transientFailures: number;
  refreshedToken: boolean;
  /** Not to be sent before this time (epoch ms): honours the item's own Retry-After. */
  notBefore: number;
}

export async function batchGet(
  transport: Transport,
  requests: readonly BatchGetRequest[],
  options: BatchGetOptions,
): Promise<Map<string, BatchGetResult>> {
  const { clock, sleep, baseUrl } = transport.config;
  const budget = options.budget ?? budgetFrom(clock, 300_000);
  const results = new Map<string, BatchGetResult>();
  const seen = new Set<string>();
  let queue: ItemState[] = [];
  for (const request of requests) {
    if (seen.has(request.id)) throw new GraphProtocolError('duplicate batch request id');
    seen.add(request.id);
    assertNoClearSecretEndpoint(request.url);
    queue.push({
      id: request.id,
      url: request.url.startsWith('/') ? request.url : `/${request.url}`,
      paged: request.paged ?? false,
      pages: [],
      transientFailures: 0,
      refreshedToken: false,
      notBefore: 0,
    });
  }

  let failed = false;
  const fail = (item: ItemState, error: Error): void => {
    results.set(item.id, { ok: false, error });
    failed = true;
  };

  while (queue.length > 0 && !(failed && options.failFast)) {
    const now = clock();
    const ready = queue.filter((item) => item.notBefore <= now);
    if (ready.length === 0) {
      const earliest = Math.min(...queue.map((item) => item.notBefore));
      await sleep(earliest - now);
      continue;
    }
    const waiting = queue.filter((item) => item.notBefore > now);
    const chunks: ItemState[][] = [];
    for (let i = 0; i < ready.length; i += MAX_BATCH_SIZE) chunks.push(ready.slice(i, i + MAX_BATCH_SIZE));
    const answered = await Promise.all(chunks.map((chunk) => sendChunk(transport, options.apiVersion, chunk)));

    const next: ItemState[] = [...waiting];
    const invalidated = new Set<string>();
    for (const { chunk, outcome } of answered) {
      for (const item of chunk) {
        const verdict = judge(item, outcome, clock());
        if (verdict.kind === 'done') {
          if (item.paged) {
            const body = objectBodyOrFail(verdict.response);
            if (body instanceof Error) {
              fail(item, body);
              continue;
            }
            const value = body.value;
            if (!Array.isArray(value)) {
              fail(item, new GraphProtocolError('paged response without a value array'));
              continue;
            }
            item.pages.push(...(value as unknown[]));
            const nextLink = body['@odata.nextLink'];
            if (nextLink !== undefined && nextLink !== null) {
              try {
                item.url = batchRelativeUrl(baseUrl, options.apiVersion, checkNextLink(baseUrl, nextLink));
              } catch (error) {
                fail(item, error as Error);
                continue;
              }
              item.transientFailures = 0;
              item.refreshedToken = false;
              next.push(item);
            } else {
              results.set(item.id, { ok: true, body: { value: item.pages } });
            }
          } else {
            const body = objectBodyOrFail(verdict.response);
            if (body instanceof Error) fail(item, body);
            else results.set(item.id, { ok: true, body });
          }
        } else if (verdict.kind === 'refresh') {
          if (item.refreshedToken) {
            fail(item, verdict.error);
            continue;
          }
          item.refreshedToken = true;
          if (!invalidated.has(verdict.token)) {
            invalidated.add(verdict.token);
            transport.config.tokenProvider.invalidate(verdict.token);
          }
          transport.counters.retries += 1;
          next.push(item);
        } else if (verdict.kind === 'transient') {
          item.transientFailures += 1;
          if (item.transientFailures > transport.config.maxRetries) {
            fail(item, giveUp(verdict.error, 'retries exhausted'));
            continue;
          }
          const delay = transport.delayFor(item.transientFailures, verdict.retryAfterMs);
          if (clock() + delay > budget.deadline) {
            fail(item, giveUp(verdict.error, 'retry budget exhausted'));
            continue;
          }
          transport.counters.retries += 1;
          item.notBefore = clock() + delay;
          next.push(item);
        } else {
          fail(item, verdict.error);
        }
      }
    }
    queue = next;
  }
  return results;
}

type ChunkOutcome =
  /** Inner responses by id (a single request is sent plainly and appears here under its id). */
  | { kind: 'responses'; byId: Map<string, RawResponse>; token: string }
  /** The whole POST failed: every item in the chunk shares the failure. */
  | { kind: 'whole'; response: RawResponse; token: string }
  | { kind: 'thrown'; error: Error };

async function sendChunk(
  transport: Transport,
  version: GraphApiVersion,
  chunk: ItemState[],
): Promise<{ chunk: ItemState[]; outcome: ChunkOutcome }> {
  const { baseUrl } = transport.config;
  try {
    if (chunk.length === 1) {
      // A batch of one saves nothing: send the request as it is.
      const item = chunk[0]!;
      const { response, token } = await transport.send('GET', `${baseUrl}/${version}${item.url}`);
      return { chunk, outcome: { kind: 'responses', byId: new Map([[item.id, response]]), token } };
    }
    transport.counters.batchedRequests += chunk.length;
    const { response, token } = await transport.send('POST', `${baseUrl}/${version}/$batch`, {
      requests: chunk.map((item) => ({ id: item.id, method: 'GET', url: item.url })),
    });
    if (response.status !== 200) return { chunk, outcome: { kind: 'whole', response, token } };
    const byId = new Map<string, RawResponse>();
    const inner = (response.body as { responses?: unknown } | undefined)?.responses;
    if (!Array.isArray(inner)) {
      return { chunk, outcome: { kind: 'thrown', error: new GraphProtocolError('batch response without responses') } };
    }
    for (const entry of inner as unknown[]) {
      if (entry === null || typeof entry !== 'object') continue;
      const { id, status, headers, body } = entry as { id?: unknown; status?: unknown; headers?: unknown; body?: unknown };
      if (typeof id !== 'string' || typeof status !== 'number') continue;
      byId.set(id, { status, headers: lowerCaseHeaders(headers), body });
    }
    return { chunk, outcome: { kind: 'responses', byId, token } };
  } catch (error) {
    return { chunk, outcome: { kind: 'thrown', error: error instanceof Error ? error : new Error('request failed') } };
  }
}

type Verdict =
  | { kind: 'done'; response: RawResponse }
  | { kind: 'refresh'; token: string; error: Error }
  | { kind: 'transient'; error: Error; retryAfterMs: number | undefined }
  | { kind: 'permanent'; error: Error };

function judge(item: ItemState, outcome: ChunkOutcome, now: number): Verdict {
  if (outcome.kind === 'thrown') {
    const error = outcome.error;
    if (error instanceof GraphNetworkError) return { kind: 'transient', error, retryAfterMs: undefined };
    if (error instanceof GraphTokenError && error.transient) return { kind: 'transient', error, retryAfterMs: undefined };
    return { kind: 'permanent', error };
  }
  const response = outcome.kind === 'whole' ? outcome.response : outcome.byId.get(item.id);
  if (response === undefined) {
    // Graph answered the batch but not this item: send it again.
    return { kind: 'transient', error: new GraphProtocolError('batch response lacks an item'), retryAfterMs: undefined };
  }
  if (response.status >= 200 && response.status < 300) return { kind: 'done', response };
  const error = httpError(response);
  if (response.status === 401) return { kind: 'refresh', token: outcome.token, error };
  if (isTransientStatus(response.status)) {
    return { kind: 'transient', error, retryAfterMs: parseRetryAfter(response.headers['retry-after'], now) };
  }
  return { kind: 'permanent', error };
}

function objectBodyOrFail(response: RawResponse): Record<string, unknown> | Error {
  try {
    return objectBody(response);
  } catch (error) {
    return error as Error;
  }
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (headers !== null && typeof headers === 'object') {
    for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
      if (typeof value === 'string' || typeof value === 'number') result[key.toLowerCase()] = String(value);
    }
  }
  return result;
}
