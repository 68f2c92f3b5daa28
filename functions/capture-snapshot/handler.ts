/** Placeholder: the CaptureSnapshot function is not wired yet. */
export function handler(_event: unknown): Promise<never> {
  return Promise.reject(new Error('CaptureSnapshot handler is not wired yet'));
}
