/** Placeholder: the ComparePolicyType function is not wired yet. */
export function handler(_event: unknown): Promise<never> {
  return Promise.reject(new Error('ComparePolicyType handler is not wired yet'));
}
