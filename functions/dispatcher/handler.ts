/** Placeholder: the Dispatcher function is not wired yet. */
export function handler(_event: unknown): Promise<never> {
  return Promise.reject(new Error('Dispatcher handler is not wired yet'));
}
