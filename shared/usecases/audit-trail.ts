/**
 * The audit trail of writes made through the API: who (the caller's subject, or `system`), when, what
 * (an `AuditAction`), on which tenant/profile, with the request's correlation id. Entries are
 * append-only; a listing is newest first.
 */
import { randomUUID } from 'node:crypto';
import type { AuditAction, AuditEntry } from '../domain/model.js';
import type { AuditRepository } from './ports/persistence.js';

/** Who is acting, in which workspace, under which correlation id. */
export interface ActorContext {
  workspaceId: string;
  actor: string;
  correlationId: string;
}

export interface AuditDeps {
  audit: AuditRepository;
  now: () => Date;
  newId?: () => string;
}

export interface AuditRecord {
  action: AuditAction;
  tenantId?: string;
  profileId?: string;
  /** What changed: ids, statuses, field names. Never policy content. */
  details: Record<string, unknown>;
}

export async function recordAudit(deps: AuditDeps, ctx: ActorContext, record: AuditRecord): Promise<AuditEntry> {
  const entry: AuditEntry = {
    id: (deps.newId ?? randomUUID)(),
    workspaceId: ctx.workspaceId,
    ...(record.tenantId !== undefined ? { tenantId: record.tenantId } : {}),
    ...(record.profileId !== undefined ? { profileId: record.profileId } : {}),
    actor: ctx.actor,
    at: deps.now().toISOString(),
    action: record.action,
    correlationId: ctx.correlationId,
    details: record.details,
  };
  await deps.audit.append(entry);
  return entry;
}
