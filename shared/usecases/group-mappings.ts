/**
 * A tenant's explicit group mappings (design 3.5): which of the tenant's groups stands for a baseline
 * group, the first way a group is resolved across tenants (then equal object ids, then display names).
 * Replaced as a whole; every replacement is audited.
 */
import type { TenantGroupMapping, TenantGroupMappings } from '../domain/model.js';
import type { GroupMappingRepository } from './ports/persistence.js';
import { recordAudit, type ActorContext, type AuditDeps } from './audit-trail.js';
import { NotVisibleError } from './ports/errors.js';

export interface GroupMappingDeps extends AuditDeps {
  groupMappings: GroupMappingRepository;
}

/**
 * A record a tenant keeps (its group mappings, its subject links) as `workspaceId` may see it: a
 * record written by another workspace is not this caller's to see (NotVisibleError, as for a tenant
 * that does not exist).
 */
export function visibleTenantRecord<R extends { workspaceId: string }>(record: R | undefined, workspaceId: string, tenantId: string): R | undefined {
  if (record !== undefined && record.workspaceId !== workspaceId) throw new NotVisibleError('tenant', tenantId);
  return record;
}

/** The tenant's mappings as the caller's workspace sees them (none when it has no record). */
export async function groupMappingsOf(deps: Pick<GroupMappingDeps, 'groupMappings'>, workspaceId: string, tenantId: string): Promise<TenantGroupMappings | { tenantId: string; mappings: [] }> {
  return visibleTenantRecord(await deps.groupMappings.get(tenantId), workspaceId, tenantId) ?? { tenantId, mappings: [] };
}

export async function replaceGroupMappings(deps: GroupMappingDeps, ctx: ActorContext, tenantId: string, mappings: readonly TenantGroupMapping[]): Promise<TenantGroupMappings> {
  const existing = visibleTenantRecord(await deps.groupMappings.get(tenantId), ctx.workspaceId, tenantId);
  const record: TenantGroupMappings = {
    tenantId,
    workspaceId: ctx.workspaceId,
    mappings: mappings.map((m) => ({ baselineGroup: m.baselineGroup, tenantGroupId: m.tenantGroupId })),
    updatedAt: deps.now().toISOString(),
    updatedBy: ctx.actor,
  };
  await deps.groupMappings.put(record);
  await recordAudit(deps, ctx, {
    action: 'group_mappings.updated',
    tenantId,
    details: { mappings: record.mappings.length, previous: existing?.mappings.length ?? 0 },
  });
  return record;
}
