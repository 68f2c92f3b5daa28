/**
 * Subject links on DynamoDB Local: the tenant's record is replaced only if unchanged since read, so
 * concurrent operators never lose each other's links; the group mappings share the same store.
 */
import { describe, expect, it } from 'vitest';
import type { TenantSubjectLinks } from '../../shared/domain/model.js';
import { ConcurrentUpdateError } from '../../shared/usecases/ports/errors.js';
import { putSubjectLink, subjectLinksOf } from '../../shared/usecases/subject-links.js';
import { replaceGroupMappings } from '../../shared/usecases/group-mappings.js';
import { testRepositories, uniqueId } from '../support/dynamodb.js';

const T = 'deviceConfiguration' as const;

function record(tenantId: string, revision: number, names: string[]): TenantSubjectLinks {
  return {
    tenantId,
    workspaceId: 'ws-1',
    links: names.map((n) => ({ linkId: `sl-${n}`, policyType: T, baselineSubjectKey: `${T}:${n}`, tenantDisplayName: `${n} (renamed)`, createdAt: '2026-12-01T00:00:00.000Z', createdBy: 'op' })),
    updatedAt: `2026-12-01T00:00:0${revision}.000Z`,
    updatedBy: 'op',
    revision,
  };
}

describe('SubjectLinkRepository on DynamoDB Local', () => {
  it('replaces the record only from the revision it was read at', async () => {
    const { subjectLinks } = testRepositories();
    const tenantId = uniqueId('tenant');
    expect(await subjectLinks.get(tenantId)).toBeUndefined();
    expect(await subjectLinks.list(tenantId)).toEqual([]);
    await subjectLinks.put(record(tenantId, 1, ['a']), null);
    await expect(subjectLinks.put(record(tenantId, 1, ['b']), null)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    await subjectLinks.put(record(tenantId, 2, ['a', 'b']), 1);
    await expect(subjectLinks.put(record(tenantId, 2, ['c']), 1)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(await subjectLinks.get(tenantId)).toEqual(record(tenantId, 2, ['a', 'b']));
  });

  it('concurrent links of one tenant are all kept (a writer that lost reads again), each audited', async () => {
    const repos = testRepositories();
    const tenantId = uniqueId('tenant');
    const deps = { subjectLinks: repos.subjectLinks, audit: repos.audit, now: () => new Date() };
    const ctx = { workspaceId: 'ws-1', actor: 'oscar@example.test', correlationId: 'corr-concurrent' };
    const names = ['Kiosk', 'Shared', 'Lab', 'Front desk'];
    await Promise.all(names.map((n) => putSubjectLink(deps, ctx, tenantId, { policyType: T, baselineSubjectKey: `${T}:${n}`, tenantDisplayName: `${n} (Contoso)` })));
    const links = await subjectLinksOf(deps, 'ws-1', tenantId);
    expect(links.map((l) => l.tenantDisplayName).sort()).toEqual(names.map((n) => `${n} (Contoso)`).sort());
    expect((await repos.subjectLinks.get(tenantId))?.revision).toBe(names.length);
    const audit = (await repos.audit.listByTenant(tenantId, { limit: 20 })).items;
    expect(audit.filter((e) => e.action === 'subject_link.created')).toHaveLength(names.length);
  });

  it("the tenant's group mappings live beside its links, each its own record", async () => {
    const repos = testRepositories();
    const tenantId = uniqueId('tenant');
    const deps = { subjectLinks: repos.subjectLinks, groupMappings: repos.groupMappings, audit: repos.audit, now: () => new Date() };
    const ctx = { workspaceId: 'ws-1', actor: 'oscar@example.test', correlationId: 'corr-both' };
    await putSubjectLink(deps, ctx, tenantId, { policyType: T, baselineSubjectKey: `${T}:Kiosk`, tenantDisplayName: 'Kiosk (Contoso)' });
    await replaceGroupMappings(deps, ctx, tenantId, [{ baselineGroup: 'All Kiosks', tenantGroupId: '6a1d2f3e-aaaa-4b5c-9d8e-000000000002' }]);
    expect(await repos.groupMappings.list(tenantId)).toEqual([{ baselineGroup: 'All Kiosks', tenantGroupId: '6a1d2f3e-aaaa-4b5c-9d8e-000000000002' }]);
    expect((await repos.subjectLinks.list(tenantId)).map((l) => l.tenantDisplayName)).toEqual(['Kiosk (Contoso)']);
  });
});
