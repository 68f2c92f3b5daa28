import { describe, expect, it } from 'vitest';
import type { BaselineProfile } from '../../shared/domain/model.js';
import { ProfileStatusTransitionError, RecordAlreadyExistsError, RecordNotFoundError } from '../../shared/usecases/ports/errors.js';
import { testRepositories, uniqueId } from '../support/dynamodb.js';
import { auditRecord, profileRecord } from '../support/records.js';

const profile = profileRecord;

describe('ProfileRepository on DynamoDB Local', () => {
  it('creates once and moves status draft <-> active -> archived, nothing else', async () => {
    const { profiles } = testRepositories();
    const p = await profiles.create(profile(uniqueId('ws')));
    await expect(profiles.create(p)).rejects.toBeInstanceOf(RecordAlreadyExistsError);
    expect(await profiles.get(p.id)).toEqual(p);

    await expect(profiles.update(p.id, { status: 'archived', updatedAt: '2025-01-02T00:00:00.000Z' })).rejects.toBeInstanceOf(
      ProfileStatusTransitionError,
    );
    const active = await profiles.update(p.id, { status: 'active', activeSnapshotId: 'snap-1', updatedAt: '2025-01-02T00:00:00.000Z' });
    expect(active).toMatchObject({ status: 'active', activeSnapshotId: 'snap-1', updatedAt: '2025-01-02T00:00:00.000Z', name: p.name });
    expect((await profiles.update(p.id, { status: 'draft', updatedAt: '2025-01-03T00:00:00.000Z' })).status).toBe('draft');
    await profiles.update(p.id, { status: 'active', updatedAt: '2025-01-04T00:00:00.000Z' });
    expect((await profiles.update(p.id, { status: 'archived', updatedAt: '2025-01-05T00:00:00.000Z' })).status).toBe('archived');

    // Archived is final: no status move and no other change.
    await expect(profiles.update(p.id, { status: 'active', updatedAt: '2025-01-06T00:00:00.000Z' })).rejects.toBeInstanceOf(ProfileStatusTransitionError);
    await expect(profiles.update(p.id, { name: 'renamed', updatedAt: '2025-01-06T00:00:00.000Z' })).rejects.toBeInstanceOf(ProfileStatusTransitionError);
    expect(await profiles.get(p.id)).toMatchObject({ status: 'archived', name: p.name, updatedAt: '2025-01-05T00:00:00.000Z' });
    await expect(profiles.update(uniqueId('profile'), { name: 'x', updatedAt: '2025-01-06T00:00:00.000Z' })).rejects.toBeInstanceOf(RecordNotFoundError);
  });

  it('lists a workspace profiles newest first, by status, across pages', async () => {
    const { profiles } = testRepositories();
    const ws = uniqueId('ws');
    const created: BaselineProfile[] = [];
    for (let i = 0; i < 5; i += 1) {
      created.push(await profiles.create(profile(ws, { createdAt: `2025-01-0${i + 1}T00:00:00.000Z`, status: i % 2 === 0 ? 'active' : 'draft' })));
    }
    const first = await profiles.listByWorkspace(ws, { limit: 3 });
    const second = await profiles.listByWorkspace(ws, { limit: 3, cursor: first.cursor! });
    expect([...first.items, ...second.items].map((p) => p.id)).toEqual(created.map((p) => p.id).reverse());
    expect(second.cursor).toBeUndefined();
    const active = await profiles.listByWorkspace(ws, { limit: 10, status: 'active' });
    expect(active.items.map((p) => p.id)).toEqual([created[4]!.id, created[2]!.id, created[0]!.id]);
    expect(Object.keys(active.items[0]!)).not.toContain('gsi1pk');
  });

  it('assigns tenants to a profile once, lists them by profile and by tenant, and unassigns', async () => {
    const { profiles } = testRepositories();
    const ws = uniqueId('ws');
    const p1 = await profiles.create(profile(ws, { status: 'active' }));
    const p2 = await profiles.create(profile(ws, { status: 'active' }));
    const tenantA = uniqueId('tenant');
    const tenantB = uniqueId('tenant');
    const assignment = { profileId: p1.id, tenantId: tenantA, workspaceId: ws, assignedAt: '2025-01-02T00:00:00.000Z', assignedBy: 'user-1' };

    expect(await profiles.assign(assignment)).toEqual({ created: true, assignment });
    expect((await profiles.assign({ ...assignment, assignedBy: 'user-2' })).created).toBe(false);
    expect((await profiles.getAssignment(p1.id, tenantA))?.assignedBy).toBe('user-1');
    await profiles.assign({ ...assignment, tenantId: tenantB });
    await profiles.assign({ ...assignment, profileId: p2.id, scopeOverride: { policy_types: ['deviceConfiguration'], foundation_types: [] } });

    expect((await profiles.listAssignmentsByProfile(p1.id)).map((a) => a.tenantId).sort()).toEqual([tenantA, tenantB].sort());
    const ofTenant = await profiles.listAssignmentsByTenant(tenantA);
    expect(ofTenant.map((a) => a.profileId).sort()).toEqual([p1.id, p2.id].sort());
    expect(ofTenant.find((a) => a.profileId === p2.id)?.scopeOverride).toEqual({ policy_types: ['deviceConfiguration'], foundation_types: [] });

    expect(await profiles.unassign(p1.id, tenantA)).toBe(true);
    expect(await profiles.unassign(p1.id, tenantA)).toBe(false);
    expect((await profiles.listAssignmentsByProfile(p1.id)).map((a) => a.tenantId)).toEqual([tenantB]);
  });

  it('refuses assignments to an unknown or archived profile', async () => {
    const { profiles } = testRepositories();
    const ws = uniqueId('ws');
    const base = { tenantId: uniqueId('tenant'), workspaceId: ws, assignedAt: '2025-01-02T00:00:00.000Z', assignedBy: 'user-1' };
    await expect(profiles.assign({ ...base, profileId: uniqueId('profile') })).rejects.toBeInstanceOf(RecordNotFoundError);
    const p = await profiles.create(profile(ws, { status: 'active' }));
    await profiles.update(p.id, { status: 'archived', updatedAt: '2025-01-03T00:00:00.000Z' });
    await expect(profiles.assign({ ...base, profileId: p.id })).rejects.toBeInstanceOf(ProfileStatusTransitionError);
    expect(await profiles.listAssignmentsByProfile(p.id)).toEqual([]);
  });
});

describe('AuditRepository on DynamoDB Local', () => {
  const entry = auditRecord;


  it('appends once and never overwrites an entry', async () => {
    const { audit } = testRepositories();
    const ws = uniqueId('ws');
    const e = entry(ws, undefined, '2025-01-01T00:00:00.000Z');
    await audit.append(e);
    await expect(audit.append({ ...e, actor: 'someone-else' })).rejects.toBeInstanceOf(RecordAlreadyExistsError);
    expect((await audit.listByWorkspace(ws, { limit: 10 })).items).toEqual([e]);
  });

  it('lists by tenant and by workspace, newest first, across pages', async () => {
    const { audit } = testRepositories();
    const ws = uniqueId('ws');
    const tenant = uniqueId('tenant');
    const entries = Array.from({ length: 7 }, (_, i) => entry(ws, i % 3 === 0 ? undefined : tenant, `2025-01-01T00:0${i}:00.000Z`));
    for (const e of entries) await audit.append(e);

    const workspaceIds: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await audit.listByWorkspace(ws, { limit: 2, ...(cursor ? { cursor } : {}) });
      workspaceIds.push(...page.items.map((e) => e.id));
      cursor = page.cursor;
    } while (cursor !== undefined);
    expect(workspaceIds).toEqual(entries.map((e) => e.id).reverse());

    const ofTenant = await audit.listByTenant(tenant, { limit: 10 });
    expect(ofTenant.items.map((e) => e.id)).toEqual(entries.filter((e) => e.tenantId === tenant).map((e) => e.id).reverse());
    expect(ofTenant.items[0]).toEqual(entries[5]);
  });
});
