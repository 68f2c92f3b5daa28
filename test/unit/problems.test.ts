/**
 * The one error mapper: a named error's kind decides its HTTP status, so an error class added later
 * needs no table row; the one transient list serves the API and the workflow alike.
 */
import { describe, expect, it } from 'vitest';
import { classifyError } from '../../functions/_shared/task-handler.js';
import { mapError } from '../../functions/api/problems.js';
import { DomainError, FindingTransitionRefusedError, InvalidScopeError, type ErrorKind } from '../../shared/domain/errors.js';
import { CompareAlreadyActiveError, InvalidKeyPartError, RunNotFoundError, TransientError, UnprocessedItemsError } from '../../shared/usecases/ports/errors.js';

class LaterError extends DomainError {
  override readonly name = 'LaterError';
  readonly code = 'later';
  constructor(readonly kind: ErrorKind) {
    super('something a caller can act on');
  }
}

describe('errors by kind', () => {
  it.each([
    ['invalid', 400],
    ['not_found', 404],
    ['conflict', 409],
    ['unprocessable', 422],
    ['unavailable', 503],
  ] as const)('an error of kind %s is a %i with its message as detail, without any table row', (kind, status) => {
    const { problem, internal } = mapError(new LaterError(kind));
    expect(problem.status).toBe(status);
    expect(problem.body().detail).toBe('something a caller can act on');
    expect(internal).toBe(false);
  });

  it('internal and transient errors say nothing of themselves; transient ones ask for a retry', () => {
    const internal = mapError(new LaterError('internal'));
    expect(internal.problem.status).toBe(500);
    expect(internal.problem.body().detail).not.toContain('something');
    const busy = mapError(new LaterError('transient'));
    expect(busy.problem.status).toBe(503);
    expect(busy.problem.headers['retry-after']).toBe('2');
    expect(mapError(new Error('boom')).problem.status).toBe(500);
  });

  it('an error names its own problem type, the request path at fault and extra members', () => {
    const refused = mapError(new FindingTransitionRefusedError('resolved', 'triaged', [])).problem.body();
    expect(refused).toMatchObject({ status: 409, type: expect.stringMatching(/transition-refused$/), from: 'resolved', to: 'triaged', allowed: [] });
    const active = mapError(new CompareAlreadyActiveError('t1', 'p1', 'run-1')).problem.body();
    expect(active).toMatchObject({ status: 409, activeRunId: 'run-1' });
    const scope = mapError(new InvalidScopeError({ policy_types: ['x'], foundation_types: [] }, { policy_types: [], foundation_types: [] }, [], [])).problem.body();
    expect(scope).toMatchObject({ status: 400, type: expect.stringMatching(/validation$/), errors: [{ path: 'body.scope' }] });
    expect(mapError(new InvalidKeyPartError('path.tenantId', 'a#b')).problem.body()).toMatchObject({ errors: [{ path: 'path.tenantId' }] });
    expect(mapError(new RunNotFoundError('r1')).problem.body()).toMatchObject({ status: 404, detail: "operation run 'r1' was not found" });
  });

  it('one transient list: what the API answers 503 to, the workflow retries', () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' });
    const retryable = Object.assign(new Error('fault'), { name: 'SomeServiceFault', $retryable: {} });
    for (const err of [throttled, retryable, new UnprocessedItemsError('BatchWrite', 3), new TransientError('later')]) {
      expect(mapError(err).problem.status).toBe(503);
      expect(classifyError(err).name).toBe('TransientError');
    }
    expect(classifyError(new RunNotFoundError('r1')).name).toBe('RunNotFoundError');
  });
});
