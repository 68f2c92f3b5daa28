/**
 * An audit entry is part of its write's retry: a throttled audit table neither loses the entry of a
 * change that stands nor writes it twice (an append that landed before its error is settled by the id).
 */
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/domain/model.js';
import { updateProfile } from '../../shared/usecases/manage-profiles.js';
import type { AuditRepository } from '../../shared/usecases/ports/persistence.js';
import { testRepositories, uniqueId } from '../support/dynamodb.js';
import { profileRecord } from '../support/records.js';

const throttled = (): Error => Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ProvisionedThroughputExceededException' });

/** The audit port whose first appends fail: the first after it has written, the second before. */
function flaky(audit: AuditRepository): AuditRepository & { attempts: number } {
  const port = {
    attempts: 0,
    async append(entry: AuditEntry): Promise<void> {
      port.attempts += 1;
      if (port.attempts === 1) {
        await audit.append(entry);
        throw throttled();
      }
      if (port.attempts === 2) throw throttled();
      await audit.append(entry);
    },
    listByTenant: audit.listByTenant.bind(audit),
    listByWorkspace: audit.listByWorkspace.bind(audit),
  };
  return port;
}

describe('the audit entry of a write', () => {
  it('is appended exactly once through throttling, and the caller gets the change', async () => {
    const repos = testRepositories();
    const workspaceId = uniqueId('ws');
    const now = () => new Date('2026-03-01T10:00:00.000Z');
    const profile = await repos.profiles.create(profileRecord(workspaceId, { status: 'draft', scope: { policy_types: ['deviceConfiguration'], foundation_types: [] } }));
    const audit = flaky(repos.audit);
    const updated = await updateProfile({ ...repos, audit, now, auditBackoffMs: () => 1 }, { actor: 'alice@example.test', workspaceId, correlationId: uniqueId('corr') }, profile.id, { name: 'Windows baseline v2' });
    expect(updated.name).toBe('Windows baseline v2');
    expect(audit.attempts).toBe(3);
    const entries = (await repos.audit.listByWorkspace(workspaceId, { limit: 10 })).items;
    expect(entries.map((e) => e.action)).toEqual(['profile.updated']);
  });
});
