/** Placeholder: the CheckSyncCoverage function is not wired yet. */
export function handler(_event: unknown): Promise<never> {
  return Promise.reject(new Error('CheckSyncCoverage handler is not wired yet'));
}
