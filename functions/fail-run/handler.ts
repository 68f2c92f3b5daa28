/** Placeholder: the FailRun function is not wired yet. */
export function handler(_event: unknown): Promise<never> {
  return Promise.reject(new Error('FailRun handler is not wired yet'));
}
