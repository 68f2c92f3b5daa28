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

/** The tenant's mappings as the caller's workspace sees them (none when it has no record). */
export async function groupMappingsOf(deps: Pick<GroupMappingDeps, 'groupMappings'>, workspaceId: string, tenantId: string): Promise<TenantGroupMappings | { tenantId: string; mappings: [] }> {
  const record = await deps.groupMappings.get(tenantId);
  if (record === undefined) return { tenantId, mappings: [] };
  // A record written by another workspace is not this caller's to see.
  if (record.workspaceId !== workspaceId) throw new NotVisibleError('tenant', tenantId);
  return record;
}

export async function replaceGroupMappings(deps: GroupMappingDeps, ctx: ActorContext, tenantId: string, mappings: readonly TenantGroupMapping[]): Promise<TenantGroupMappings> {
  const existing = await deps.groupMappings.get(tenantId);
  if (existing !== undefined && existing.workspaceId !== ctx.workspaceId) throw new NotVisibleError('tenant', tenantId);
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
