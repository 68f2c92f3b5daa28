/**
 * Errors of the Graph adapter. Every message is built from an HTTP status and a Graph / Entra error
 * code only: never from a response text, a token, a secret or request headers, so an error can be
 * logged, stored in a run's coverage or shown to a user as it is.
 */

/** A Graph request answered with a non-success status (after retries, when the status is transient). */
export class GraphHttpError extends Error {
  override readonly name = 'GraphHttpError';
  constructor(
    readonly status: number,
    /** Graph's `error.code` (e.g. `Authorization_RequestDenied`), or a generic code when absent. */
    readonly code: string,
    /** Why the request was given up, when not simply a permanent status (e.g. budget exhausted). */
    readonly reason?: string,
  ) {
    super(reason ? `${status} ${code} (${reason})` : `${status} ${code}`);
  }

  /** Transient statuses worth retrying: throttling and temporary unavailability. */
  get transient(): boolean {
    return isTransientStatus(this.status);
  }
}

/** The token endpoint refused or failed. Carries the status and the Entra error code only. */
export class GraphTokenError extends Error {
  override readonly name = 'GraphTokenError';
  constructor(
    /** HTTP status of the token endpoint, or 0 when it could not be reached. */
    readonly status: number,
    /** Entra `error` (e.g. `invalid_client`), plus the first `AADSTS` code when present. */
    readonly code: string,
  ) {
    super(`token request failed: ${status === 0 ? 'unreachable' : status} ${code}`.trim());
  }

  get transient(): boolean {
    return this.status === 0 || isTransientStatus(this.status) || this.status >= 500;
  }
}

/** The network failed (connection refused or reset, DNS, timeout) before any HTTP status arrived. */
export class GraphNetworkError extends Error {
  override readonly name = 'GraphNetworkError';
  constructor(readonly kind: 'timeout' | 'network') {
    super(kind === 'timeout' ? 'network timeout' : 'network error');
  }
}

/** A response the client refuses to follow or understand (foreign nextLink, body that is not JSON). */
export class GraphProtocolError extends Error {
  override readonly name = 'GraphProtocolError';
  constructor(message: string) {
    super(message);
  }
}

/** A request the client refuses to send because its endpoint would return a secret in clear. */
export class ForbiddenGraphRequestError extends Error {
  override readonly name = 'ForbiddenGraphRequestError';
  constructor(endpoint: string) {
    super(`refused to call ${endpoint}: it returns a secret in clear`);
  }
}

export function isTransientStatus(status: number): boolean {
  return status === 429 || status === 503 || status === 504;
}

/**
 * A short, safe description of any error met while reading Graph, e.g. `403 Authorization_RequestDenied`.
 * Unknown errors become `internal error` rather than echoing a message that might hold anything.
 */
export function shortGraphError(error: unknown): string {
  if (
    error instanceof GraphHttpError ||
    error instanceof GraphTokenError ||
    error instanceof GraphNetworkError ||
    error instanceof GraphProtocolError ||
    error instanceof ForbiddenGraphRequestError
  ) {
    return error.message;
  }
  if (error instanceof Error && error.name === 'UnclassifiableGraphObjectError') {
    return 'unclassifiable object';
  }
  return 'internal error';
}
