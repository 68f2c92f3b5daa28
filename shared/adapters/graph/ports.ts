/**
 * The seams of the Graph adapter: network, time and randomness are injected so that tests run against
 * a local server without real waits, and production uses Node's own implementations.
 */

/** The subset of the WHATWG fetch the adapter uses (Node 20's global `fetch` satisfies it). */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Waits `ms` milliseconds. Tests pass a fake that records the wait and returns at once. */
export type Sleep = (ms: number) => Promise<void>;

/** Milliseconds since the epoch. */
export type Clock = () => number;

/** A number in [0, 1), as `Math.random`. */
export type Random = () => number;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
export const realClock: Clock = () => Date.now();
export const realRandom: Random = () => Math.random();
export const globalFetch: FetchLike = (input, init) => fetch(input, init);
