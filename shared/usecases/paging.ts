/** Every item of a paged listing (a port's `list*` method), page after page from the first. */
import type { Page, PageRequest } from './ports/persistence.js';

export async function collectPages<T>(list: (page: PageRequest) => Promise<Page<T>>, pageSize = 100): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await list({ limit: pageSize, ...(cursor !== undefined ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return out;
}
