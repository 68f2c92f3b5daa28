/**
 * Listings filter what the caller may see inside the query: paging through items that interleave two
 * workspaces (or visible and hidden tenants) gives full pages of the visible items only, and a cursor
 * only while visible items remain.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/domain/model.js';
import type { Page, PageRequest } from '../../shared/usecases/ports/persistence.js';
import { testRepositories, uniqueId } from '../support/dynamodb.js';
import { auditRecord } from '../support/records.js';

/** Every page of a listing, in order. */
async function allPages<T>(list: (page: PageRequest) => Promise<Page<T>>, limit: number): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  do {
    const page = await list({ limit, ...(cursor !== undefined ? { cursor } : {}) });
    pages.push(page.items);
    cursor = page.cursor;
  } while (cursor !== undefined && pages.length < 50);
  return pages;
}

function expectFullPages<T>(pages: T[][], limit: number): void {
  for (const page of pages.slice(0, -1)) expect(page).toHaveLength(limit);
  expect(pages.at(-1)!.length).toBeGreaterThan(0);
}

const auditEntry = (workspaceId: string, tenantId: string | undefined, i: number): AuditEntry => auditRecord(workspaceId, tenantId, `2025-02-01T00:00:${String(i).padStart(2, '0')}.000Z`);

describe('visibility is part of the query, not a filter after paging', () => {
  it("a tenant's runs: two workspaces interleaved, pages of the caller's workspace are full", async () => {
    const { runs } = testRepositories();
    const tenantId = uniqueId('tenant');
    const [mine, theirs] = [uniqueId('ws'), uniqueId('ws')];
    const created: { id: string; workspaceId: string }[] = [];
    for (let i = 0; i < 12; i += 1) {
      // Mostly the other workspace's runs, so that a filter after paging would return short pages.
      const workspaceId = i % 3 === 0 ? mine : theirs;
      const id = uniqueId('run');
      await runs.createQueued({ id, tenantId, workspaceId, type: 'inventory_sync', identityHash: `sync-${i}`, initiator: 'user-1', createdAt: `2025-03-01T10:00:${String(i).padStart(2, '0')}.000Z` });
      created.push({ id, workspaceId });
    }
    const pages = await allPages((page) => runs.listByTenant(tenantId, { ...page, visibleTo: { workspaceId: mine } }), 2);
    expectFullPages(pages, 2);
    expect(pages.flat().map((r) => r.id)).toEqual(created.filter((r) => r.workspaceId === mine).map((r) => r.id).reverse());
  });

  it("a tenant's audit trail and a workspace's: only the caller's workspace, only the token's tenants", async () => {
    const { audit } = testRepositories();
    const tenant = uniqueId('tenant');
    const hidden = uniqueId('tenant');
    const [mine, theirs] = [uniqueId('ws'), uniqueId('ws')];
    const entries: AuditEntry[] = [];
    for (let i = 0; i < 15; i += 1) {
      const e = auditEntry(i % 4 === 0 ? mine : theirs, tenant, i);
      entries.push(e);
      await audit.append(e);
    }
    const ofTenant = await allPages((page) => audit.listByTenant(tenant, { ...page, visibleTo: { workspaceId: mine } }), 2);
    expectFullPages(ofTenant, 2);
    expect(ofTenant.flat().map((e) => e.id)).toEqual(entries.filter((e) => e.workspaceId === mine).map((e) => e.id).reverse());

    const ws = uniqueId('ws');
    const wsEntries: AuditEntry[] = [];
    for (let i = 0; i < 15; i += 1) {
      const e = auditEntry(ws, i % 5 === 0 ? undefined : i % 2 === 0 ? tenant : hidden, i);
      wsEntries.push(e);
      await audit.append(e);
    }
    const visible = wsEntries.filter((e) => e.tenantId === undefined || e.tenantId === tenant).map((e) => e.id).reverse();
    // A token of a few tenants filters in the query; one of many tenants filters while reading: the same pages.
    const many = new Set([tenant, ...Array.from({ length: 150 }, () => uniqueId('tenant'))]);
    for (const tenantIds of [new Set([tenant]), many]) {
      const pages = await allPages((page) => audit.listByWorkspace(ws, { ...page, visibleTo: { tenantIds } }), 3);
      expectFullPages(pages, 3);
      expect(pages.flat().map((e) => e.id)).toEqual(visible);
    }
  });
});
