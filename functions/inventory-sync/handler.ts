/** Placeholder: the InventorySync function is not wired yet. */
export function handler(_event: unknown): Promise<never> {
  return Promise.reject(new Error('InventorySync handler is not wired yet'));
}
