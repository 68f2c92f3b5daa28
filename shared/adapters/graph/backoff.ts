import type { Clock, Random } from './ports.js';

/** How long the client may keep retrying for one policy type before giving up on it in this run. */
export interface RetryBudget {
  /** Epoch milliseconds after which no further wait is started. */
  readonly deadline: number;
}

export interface BackoffSettings {
  /** First backoff window in ms (attempt 1 waits up to this long). */
  baseDelayMs: number;
  /** Cap of a backoff window in ms. A Retry-After is honoured as given; the budget bounds it. */
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = { baseDelayMs: 1_000, maxDelayMs: 60_000 };

export function budgetFrom(clock: Clock, budgetMs: number): RetryBudget {
  return { deadline: clock() + budgetMs };
}

/**
 * Parses a `Retry-After` header into milliseconds: delta-seconds (what Graph sends) or an HTTP date.
 * Returns undefined when absent or unreadable, so the caller falls back to backoff.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Exponential backoff with full jitter: a uniform wait in [0, min(cap, base * 2^(attempt-1))).
 * Full jitter spreads the retries of many concurrent requests, so they do not hit a throttled tenant
 * again in lock step.
 */
export function fullJitterDelay(attempt: number, settings: BackoffSettings, random: Random): number {
  const window = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * window);
}

/**
 * The wait before retry number `attempt`: Retry-After when Graph gave one (retrying earlier only earns
 * another 429 and counts against the tenant's limit), otherwise backoff.
 */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  settings: BackoffSettings,
  random: Random,
): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  return fullJitterDelay(attempt, settings, random);
}

/** True when a wait of `delayMs` starting now still ends within the budget. */
export function fitsBudget(budget: RetryBudget, clock: Clock, delayMs: number): boolean {
  return clock() + delayMs <= budget.deadline;
}
