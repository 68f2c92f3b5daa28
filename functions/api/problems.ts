/**
 * The one error mapper of the API: every error becomes an RFC 9457 problem (application/problem+json)
 * with a stable `type` URI. Domain and persistence errors are matched by their stable `name`; their
 * messages are written for callers and never quote policy content. Anything unknown is a 500 with a
 * fixed message and the request id: no stack, no internal names.
 */
import type { z } from 'zod';

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

type Mapper = (err: Error & Record<string, unknown>) => HttpProblem;

const conflict = (slug: string, title: string): Mapper => (err) => new HttpProblem(409, slug, title, err.message);
const unprocessable: Mapper = (err) => new HttpProblem(422, 'unprocessable', 'Unprocessable Content', err.message);

/** Known errors by their stable name. */
const BY_NAME: Record<string, Mapper> = {
  NotVisibleError: (err) => problems.notFound(err.message),
  ProfileNotFoundError: (err) => problems.notFound(`baseline profile '${String(err.profileId)}' was not found`),
  RecordNotFoundError: (err) => problems.notFound(`${String(err.entity)} '${String(err.id)}' was not found`),
  RunNotFoundError: (err) => problems.notFound(`operation run '${String(err.runId)}' was not found`),
  InventorySyncNotFoundError: (err) => problems.notFound(`inventory sync '${String(err.runId)}' was not found`),

  InvalidCursorError: (err) => new HttpProblem(400, 'invalid-cursor', 'Invalid cursor', err.message, { errors: [{ path: 'query.cursor', message: err.message }] }),
  InvalidScopeError: (err) => new HttpProblem(400, 'validation', 'Request validation failed', err.message, { errors: [{ path: 'body.scope', message: err.message.slice(0, 300) }] }),
  InvalidKeyPartError: (err) => new HttpProblem(400, 'validation', 'Request validation failed', err.message, { errors: [{ path: String(err.field), message: err.message }] }),
  InvalidInventoryPageError: (err) => new HttpProblem(400, 'invalid-inventory-page', 'Invalid inventory page', err.message),

  FindingTransitionRefusedError: (err) =>
    new HttpProblem(409, 'transition-refused', 'Transition refused', err.message, { from: err.from, to: err.to, allowed: err.allowed }),
  FindingTransitionReasonRequiredError: (err) =>
    new HttpProblem(422, 'reason-required', 'Reason required', err.message, { errors: [{ path: 'body.reason', message: err.message }] }),
  AcceptanceExpiryInvalidError: (err) =>
    new HttpProblem(422, 'acceptance-expiry-invalid', 'Acceptance expiry refused', err.message, { errors: [{ path: 'body.expiresAt', message: err.message }] }),
  AcceptanceExpiryNotApplicableError: (err) =>
    new HttpProblem(422, 'acceptance-expiry-invalid', 'Acceptance expiry refused', err.message, { errors: [{ path: 'body.expiresAt', message: err.message }] }),
  ProfileStatusTransitionError: conflict('profile-status-transition', 'Profile status transition refused'),
  ProfileArchivedError: conflict('profile-archived', 'Profile archived'),
  NoActiveProfileError: conflict('profile-not-active', 'Profile not active'),
  TenantNotAssignedError: conflict('tenant-not-assigned', 'Tenant not assigned'),
  SnapshotNotCompleteError: conflict('snapshot-not-complete', 'Snapshot not complete'),
  NoCompleteSnapshotError: conflict('snapshot-not-complete', 'Snapshot not complete'),
  CompareAlreadyActiveError: (err) =>
    new HttpProblem(409, 'compare-already-active', 'Compare already active', err.message, { activeRunId: err.activeRunId }),
  SyncAlreadyActiveError: (err) =>
    new HttpProblem(409, 'sync-already-active', 'Inventory sync already active', err.message, typeof err.activeRunId === 'string' ? { activeRunId: err.activeRunId } : {}),
  InventorySyncAlreadyCompletedError: conflict('inventory-sync-completed', 'Inventory sync already completed'),
  InventoryPageConflictError: conflict('inventory-page-conflict', 'Inventory page conflict'),
  InventoryPagesMissingError: conflict('inventory-pages-missing', 'Inventory pages missing'),
  IdempotencyKeyReusedError: conflict('idempotency-key-reused', 'Idempotency key reused'),
  AssignmentConflictError: conflict('assignment-conflict', 'Assignment conflict'),
  RecordAlreadyExistsError: conflict('conflict', 'Conflict'),
  ConcurrentUpdateError: conflict('concurrent-update', 'Concurrent update'),
  RunAlreadyCompletedError: conflict('run-completed', 'Run already completed'),

  WebhookUrlRefusedError: (err) => new HttpProblem(422, 'webhook-url-refused', 'Webhook URL refused', err.message, { errors: [{ path: 'body.url', message: err.message }] }),
  MalformedGraphObjectError: unprocessable,
  MissingPolicyNameError: unprocessable,
  UnclassifiableGraphObjectError: unprocessable,
  UnknownPolicyTypeError: unprocessable,
  NonCanonicalValueError: unprocessable,

  DispatchFailedError: (err) => new HttpProblem(503, 'service-unavailable', 'Service Unavailable', err.message, {}, { 'retry-after': '5' }),
};

const TRANSIENT = new Set([
  'TransientError',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionInProgressException',
  'TransactionConflictException',
  'ServiceUnavailable',
  'TooManyRequestsException',
  'UnprocessedItemsError',
]);

/** The problem for any error; `internal: true` when it is a server fault the caller gets no detail of. */
export function mapError(err: unknown): { problem: HttpProblem; internal: boolean } {
  if (err instanceof HttpProblem) return { problem: err, internal: false };
  if (err instanceof Error) {
    const mapper = BY_NAME[err.name];
    if (mapper !== undefined) return { problem: mapper(err as Error & Record<string, unknown>), internal: false };
    if (TRANSIENT.has(err.name)) {
      return {
        problem: new HttpProblem(503, 'service-unavailable', 'Service Unavailable', 'The service is busy: retry shortly.', {}, { 'retry-after': '2' }),
        internal: true,
      };
    }
  }
  return { problem: new HttpProblem(500, 'internal', 'Internal Server Error', 'An unexpected error occurred. Quote the request id when reporting it.'), internal: true };
}
