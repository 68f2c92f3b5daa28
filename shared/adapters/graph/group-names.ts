/**
 * Group names for assignments and for groups named inside a policy (design 3.5):
 * `GET /groups/{id}?$select=id,displayName` for every such group, batched 20 per `$batch` POST. Needs `GroupMember.Read.All` or
 * `Group.Read.All`; a group Graph does not return (404, or 403 without the permission) stays
 * unresolved. Resolving names never fails a type's coverage: any failure leaves the names unknown.
 */
import type { GraphClient } from './client.js';

const GROUP_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function resolveGroupNames(client: GraphClient, groupIds: Iterable<string>, budgetMs = 60_000): Promise<Map<string, string>> {
  const ids = [...new Set(groupIds)].filter((id) => GROUP_ID.test(id));
  const names = new Map<string, string>();
  if (ids.length === 0) return names;
  try {
    const results = await client.batchGet(
      ids.map((id) => ({ id, url: `/groups/${encodeURIComponent(id)}?$select=id,displayName` })),
      { apiVersion: 'v1.0', budget: client.newBudget(budgetMs) },
    );
    for (const [id, result] of results) {
      const name = result.ok ? result.body['displayName'] : undefined;
      if (typeof name === 'string' && name.trim() !== '') names.set(id, name);
    }
  } catch {
    // Names are an aid to matching, not inventory: without them the groups stay unresolved.
  }
  return names;
}
