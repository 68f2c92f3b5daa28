/**
 * The one error mapper of the API: every error becomes an RFC 9457 problem (application/problem+json)
 * with a stable `type` URI. A named error's `kind` decides its status (`shared/domain/errors.ts`), so a
 * new error needs no row here; its messages are written for callers and never quote policy content. Anything unknown is a 500 with a
 * fixed message and the request id: no stack, no internal names.
 */
import type { z } from 'zod';
import { DomainError, type ErrorKind } from '../../shared/domain/errors.js';
import { isTransientError } from '../../shared/usecases/ports/errors.js';

export const PROBLEM_BASE = 'https://baseline-drift.dev/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

/** An error the API answers with as is. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    detail?: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
    this.detail = detail;
  }
  readonly detail: string | undefined;

  body(): ProblemBody {
    return {
      type: `${PROBLEM_BASE}${this.slug}`,
      title: this.title,
      status: this.status,
      ...(this.detail !== undefined ? { detail: this.detail } : {}),
      ...this.extensions,
    };
  }
}

/** A path into the request (`body.scope.policy_types.0`) from a zod issue path. */
function issuePath(where: string, path: readonly PropertyKey[]): string {
  return [where, ...path.map((p) => String(p))].join('.');
}

export function validationProblem(where: 'path' | 'query' | 'body' | 'header', error: z.ZodError): HttpProblem {
  const errors = error.issues.slice(0, 50).map((i) => ({ path: issuePath(where, i.path), message: i.message.slice(0, 300) }));
  return new HttpProblem(400, 'validation', 'Request validation failed', `The request ${where} does not match the schema: see errors.`, { errors });
}

export const problems = {
  unauthorized: (detail = 'A valid bearer token is required.') => new HttpProblem(401, 'unauthorized', 'Unauthorized', detail, {}, { 'www-authenticate': 'Bearer' }),
  forbidden: (detail: string) => new HttpProblem(403, 'forbidden', 'Forbidden', detail),
  notFound: (detail: string) => new HttpProblem(404, 'not-found', 'Not Found', detail),
  routeNotFound: () => new HttpProblem(404, 'not-found', 'Not Found', 'No such route.'),
  methodNotAllowed: (allow: string[]) => new HttpProblem(405, 'method-not-allowed', 'Method Not Allowed', `Allowed: ${allow.join(', ')}.`, {}, { allow: allow.join(', ') }),
  malformedJson: () => new HttpProblem(400, 'malformed-json', 'Malformed JSON', 'The request body is not valid JSON.'),
  tooDeep: (max: number) => new HttpProblem(400, 'validation', 'Request validation failed', `The request body nests deeper than ${max} levels.`, { errors: [{ path: 'body', message: `nesting deeper than ${max} levels` }] }),
  payloadTooLarge: (max: number) => new HttpProblem(413, 'payload-too-large', 'Payload Too Large', `The request body is larger than ${max} bytes: send inventory in pages.`),
  unsupportedMediaType: () => new HttpProblem(415, 'unsupported-media-type', 'Unsupported Media Type', 'Send the body as application/json.'),
};

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  unavailable: 503,
  transient: 503,
  internal: 500,
};

/** The problem type and title of a kind, where the error names none of its own. */
const DEFAULT_PROBLEM: Record<ErrorKind, { type: string; title: string }> = {
  invalid: { type: 'validation', title: 'Request validation failed' },
  not_found: { type: 'not-found', title: 'Not Found' },
  conflict: { type: 'conflict', title: 'Conflict' },
  unprocessable: { type: 'unprocessable', title: 'Unprocessable Content' },
  unavailable: { type: 'service-unavailable', title: 'Service Unavailable' },
  transient: { type: 'service-unavailable', title: 'Service Unavailable' },
  internal: { type: 'internal', title: 'Internal Server Error' },
};

const BUSY = (): HttpProblem =>
  new HttpProblem(503, 'service-unavailable', 'Service Unavailable', 'The service is busy: retry shortly.', {}, { 'retry-after': '2' });
const INTERNAL = (): HttpProblem =>
  new HttpProblem(500, 'internal', 'Internal Server Error', 'An unexpected error occurred. Quote the request id when reporting it.');

/** A named error as its kind says; the error's own problem hints and members where it has them. */
function problemOf(err: DomainError): HttpProblem {
  const defaults = DEFAULT_PROBLEM[err.kind];
  const detail = err.problemDetail;
  const extensions = { ...err.problemExtensions() };
  if (err.problem.path !== undefined) extensions['errors'] = [{ path: err.problem.path, message: detail.slice(0, 300) }];
  const headers: Record<string, string> = err.kind === 'unavailable' ? { 'retry-after': '5' } : {};
  return new HttpProblem(STATUS[err.kind], err.problem.type ?? defaults.type, err.problem.title ?? defaults.title, detail, extensions, headers);
}

/** The problem for any error; `internal: true` when it is a server fault the caller gets no detail of. */
export function mapError(err: unknown): { problem: HttpProblem; internal: boolean } {
  if (err instanceof HttpProblem) return { problem: err, internal: false };
  if (isTransientError(err)) return { problem: BUSY(), internal: true };
  if (err instanceof DomainError && err.kind !== 'internal') return { problem: problemOf(err), internal: false };
  return { problem: INTERNAL(), internal: true };
}
