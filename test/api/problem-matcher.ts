/**
 * `expect(response).toBeProblem(status, type?)`: the response is an application/problem+json answer
 * with that status (in the HTTP status line and the body), a title, and the stable type URI when given.
 */
import { expect } from 'vitest';
import type { ApiResponse } from './support.js';

const PROBLEM_TYPE_BASE = 'https://baseline-drift.dev/problems/';

interface ProblemMatchers<R = unknown> {
  toBeProblem(status: number, type?: string): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any
  interface Matchers<T = any> extends ProblemMatchers<T> {}
}

expect.extend({
  toBeProblem(received: ApiResponse, status: number, type?: string) {
    const body = received.body as Record<string, unknown> | undefined;
    const failures: string[] = [];
    if (received.status !== status) failures.push(`status ${received.status}, expected ${status}`);
    if (!received.contentType.includes('application/problem+json')) failures.push(`content-type '${received.contentType}'`);
    if (body?.status !== status) failures.push(`body.status ${String(body?.status)}`);
    if (typeof body?.title !== 'string') failures.push('no title');
    if (type !== undefined && body?.type !== `${PROBLEM_TYPE_BASE}${type}`) failures.push(`type '${String(body?.type)}', expected '${PROBLEM_TYPE_BASE}${type}'`);
    return {
      pass: failures.length === 0,
      message: () => `expected a ${status} problem${type ? ` of type ${type}` : ''}: ${failures.join('; ') || 'it is one'} (body ${JSON.stringify(body)?.slice(0, 500)})`,
    };
  },
});
