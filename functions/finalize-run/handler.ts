/** Placeholder: the FinalizeRun function is not wired yet. */
export function handler(_event: unknown): Promise<never> {
  return Promise.reject(new Error('FinalizeRun handler is not wired yet'));
}
