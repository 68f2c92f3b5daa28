/** Records as the repositories store them, for tests that write them directly. */
import { randomUUID } from 'node:crypto';
import type { AuditEntry, BaselineProfile } from '../../shared/domain/model.js';

/** A baseline profile of `workspaceId` (a draft of no types unless `overrides` say otherwise). */
export function profileRecord(workspaceId: string, overrides: Partial<BaselineProfile> = {}): BaselineProfile {
  return {
    id: `profile-${randomUUID()}`,
    workspaceId,
    name: 'Windows baseline',
    status: 'draft',
    scope: { policy_types: [], foundation_types: [] },
    severityMapping: { missing_policy: 'high', different_version: 'medium', unexpected_policy: 'low' },
    alertMinSeverity: 'high',
    autoResolve: true,
    createdBy: 'user-1',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** An audit entry of `workspaceId` (about `tenantId` when given) at `at`. */
export function auditRecord(workspaceId: string, tenantId: string | undefined, at: string): AuditEntry {
  return {
    id: `audit-${randomUUID()}`,
    workspaceId,
    ...(tenantId !== undefined ? { tenantId } : {}),
    actor: 'user-1',
    at,
    action: tenantId !== undefined ? 'compare.started' : 'profile.updated',
    correlationId: `req-${randomUUID()}`,
    details: { note: at },
  };
}
