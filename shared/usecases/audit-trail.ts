/**
 * The audit trail of writes made through the API: who (the caller's subject, or `system`), when, what
 * (an `AuditAction`), on which tenant/profile, with the request's correlation id. Entries are
 * append-only; a listing is newest first.
 *
 * The entry is part of its write's retry: recorded right after the write it describes, with one id for
 * every attempt, and appended again on a transient failure (backoff, `AUDIT_APPEND_ATTEMPTS` in all),
 * so a throttled audit table neither loses the entry nor writes it twice. An attempt that may have
 * landed before failing is settled by the id: `RecordAlreadyExistsError` on a later attempt means written.
 */
import { randomUUID } from 'node:crypto';
import type { AuditAction, AuditEntry } from '../domain/model.js';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditRepository } from './ports/persistence.js';
import { isTransientError, RecordAlreadyExistsError } from './ports/errors.js';

/** Attempts to append one entry (the first and the retries). */
export const AUDIT_APPEND_ATTEMPTS = 5;

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
  /** Milliseconds before retry `attempt` (1-based); default 50 ms doubling. */
  auditBackoffMs?: (attempt: number) => number;
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
  for (let attempt = 1; ; attempt += 1) {
    try {
      await deps.audit.append(entry);
      return entry;
    } catch (err) {
      if (attempt > 1 && err instanceof RecordAlreadyExistsError) return entry;
      if (!isTransientError(err) || attempt >= AUDIT_APPEND_ATTEMPTS) throw err;
      await sleep((deps.auditBackoffMs ?? ((n) => 50 * 2 ** (n - 1)))(attempt));
    }
  }
}
