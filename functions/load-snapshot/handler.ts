/** Placeholder: the LoadSnapshot function is not wired yet. */
export function handler(_event: unknown): Promise<never> {
  return Promise.reject(new Error('LoadSnapshot handler is not wired yet'));
}
