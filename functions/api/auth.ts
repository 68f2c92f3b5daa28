/**
 * The caller, from the claims API Gateway's JWT authorizer passed on (the token itself was verified
 * there): `sub`, `workspace_id`, `tenant_ids`, `role`. On AWS every claim arrives as a string and an
 * array as `"[a b]"`; a JSON array text or a real array (local tests) is read as well.
 */
import { problems } from './problems.js';

export const ROLES = ['reader', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Caller {
  subject: string;
  workspaceId: string;
  tenantIds: ReadonlySet<string>;
  role: Role;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

/** `tenant_ids` in any of the shapes it arrives in: a list, `"[a b]"`, `'["a","b"]'`, or `"a,b"`. */
export function parseListClaim(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string') ? (value) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text.startsWith('[') && text.endsWith(']')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.every((v) => typeof v === 'string') ? (parsed) : undefined;
    } catch {
      // API Gateway's form: "[a b c]"
    }
    return text.slice(1, -1).split(/[\s,]+/).filter(Boolean);
  }
  return text.split(/[\s,]+/).filter(Boolean);
}

/** The caller, or a 401 problem when a claim the API needs is missing or malformed. */
export function callerFromClaims(claims: Record<string, unknown> | undefined): Caller {
  if (claims === undefined) throw problems.unauthorized();
  const { sub, workspace_id: workspaceId, role } = claims;
  const tenantIds = parseListClaim(claims.tenant_ids);
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 256) throw problems.unauthorized('The token has no subject.');
  if (typeof workspaceId !== 'string' || !ID.test(workspaceId)) throw problems.unauthorized('The token grants no workspace.');
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) throw problems.unauthorized('The token grants no role.');
  if (tenantIds === undefined) throw problems.unauthorized('The token grants no tenants.');
  return { subject: sub, workspaceId, tenantIds: new Set(tenantIds.filter((t) => ID.test(t))), role: role as Role };
}

export function roleAtLeast(role: Role, min: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(min);
}
