/** Placeholder: the UpsertFindings function is not wired yet. */
export function handler(_event: unknown): Promise<never> {
  return Promise.reject(new Error('UpsertFindings handler is not wired yet'));
}
