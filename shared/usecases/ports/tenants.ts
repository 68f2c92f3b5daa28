/** The display names a workspace gives its tenants. */

export interface TenantName {
  tenantId: string;
  displayName: string;
  updatedAt: string;
  updatedBy: string;
}

export interface TenantDirectory {
  /** The named tenants of a workspace (any order). */
  listNames(workspaceId: string): Promise<TenantName[]>;
  getName(workspaceId: string, tenantId: string): Promise<TenantName | undefined>;
  /** Sets (or replaces) a tenant's display name in a workspace. */
  putName(workspaceId: string, name: TenantName): Promise<void>;
}
