/**
 * Tenant display names: a workspace names its tenants; a caller lists the tenants of its token with
 * their names (a tenant without one shows its id). Renaming is audited.
 */
import { recordAudit, type ActorContext, type AuditDeps } from './audit-trail.js';
import type { TenantDirectory } from './ports/tenants.js';

export interface TenantView {
  tenantId: string;
  displayName: string;
  named: boolean;
  updatedAt?: string;
  updatedBy?: string;
}

/** The given tenants with their names, by display name (then id). */
export async function listTenants(deps: { tenants: TenantDirectory }, workspaceId: string, tenantIds: Iterable<string>): Promise<TenantView[]> {
  const names = new Map((await deps.tenants.listNames(workspaceId)).map((n) => [n.tenantId, n]));
  const views = [...new Set(tenantIds)].map((tenantId): TenantView => {
    const n = names.get(tenantId);
    return n === undefined ? { tenantId, displayName: tenantId, named: false } : { tenantId, displayName: n.displayName, named: true, updatedAt: n.updatedAt, updatedBy: n.updatedBy };
  });
  return views.sort((a, b) => a.displayName.localeCompare(b.displayName, 'en') || a.tenantId.localeCompare(b.tenantId));
}

/** Names a tenant of the caller's workspace (the caller checked the tenant is in its token). */
export async function renameTenant(deps: AuditDeps & { tenants: TenantDirectory }, ctx: ActorContext, tenantId: string, displayName: string): Promise<TenantView> {
  const before = await deps.tenants.getName(ctx.workspaceId, tenantId);
  const name = { tenantId, displayName, updatedAt: deps.now().toISOString(), updatedBy: ctx.actor };
  await deps.tenants.putName(ctx.workspaceId, name);
  await recordAudit(deps, ctx, {
    action: 'tenant.renamed',
    tenantId,
    details: { displayName, ...(before !== undefined ? { previousDisplayName: before.displayName } : {}) },
  });
  return { ...name, named: true };
}

/** A tenant's display name, its id when it has none. */
export async function tenantDisplayName(tenants: TenantDirectory, workspaceId: string, tenantId: string): Promise<string> {
  return (await tenants.getName(workspaceId, tenantId))?.displayName ?? tenantId;
}
