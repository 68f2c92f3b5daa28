/**
 * Baseline profiles and tenant assignments as the API manages them, in the caller's workspace only.
 * Every write appends an audit entry. Idempotency: a create with an idempotency key derives the
 * profile id from it (a retry finds the profile it created; a different request under the same key
 * is refused); updates set values (a retry sets them again); assign/unassign work on the natural key
 * (profile, tenant).
 */
import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '../domain/canonical.js';
import type { BaselineProfile, BaselineTenantAssignment, IgnoredProperty, ProfileScope, ProfileStatus, Severity, SeverityMapping } from '../domain/model.js';
import { validateScope } from '../domain/scope.js';
import { validateIgnoredProperties } from '../domain/ignored-properties.js';
import { DEFAULT_SEVERITY_MAPPING } from '../domain/severity.js';
import { AssignmentConflictError, IdempotencyKeyReusedError, NotVisibleError, ProfileArchivedError, RecordAlreadyExistsError, SnapshotNotCompleteError } from './ports/errors.js';
import type { ProfilePatch, ProfileRepository, SnapshotRepository } from './ports/persistence.js';
import { recordAudit, type ActorContext, type AuditDeps } from './audit-trail.js';

export interface ManageProfilesDeps extends AuditDeps {
  profiles: ProfileRepository;
  /** Reads the snapshot a PATCH makes active (only a complete snapshot of the profile). */
  snapshots?: Pick<SnapshotRepository, 'get'>;
}

export interface ProfileInput {
  name: string;
  description?: string;
  versionLabel?: string;
  status: 'draft' | 'active';
  scope: { policy_types?: readonly string[]; foundation_types?: readonly string[] };
  severityMapping?: Partial<SeverityMapping>;
  alertMinSeverity: Severity;
  autoResolve: boolean;
  compareAssignments?: boolean;
  ignoredProperties?: readonly IgnoredProperty[];
}

export interface ProfileChanges {
  /** A complete snapshot of the profile to make active. */
  activeSnapshotId?: string;
  name?: string;
  description?: string;
  versionLabel?: string;
  status?: ProfileStatus;
  scope?: { policy_types?: readonly string[]; foundation_types?: readonly string[] };
  severityMapping?: Partial<SeverityMapping>;
  alertMinSeverity?: Severity;
  autoResolve?: boolean;
  compareAssignments?: boolean;
  /** Replaces the list (an empty list removes it); applies from the next compare on. */
  ignoredProperties?: readonly IgnoredProperty[];
}

/** A deterministic id for what a workspace creates under an idempotency key (UUID-shaped). */
export function idForIdempotencyKey(workspaceId: string, kind: string, key: string): string {
  const h = createHash('sha256').update(canonicalJson([kind, workspaceId, key])).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The profile when it exists in the caller's workspace; NotVisibleError otherwise (same answer). */
export async function visibleProfile(profiles: ProfileRepository, workspaceId: string, profileId: string): Promise<BaselineProfile> {
  const profile = await profiles.get(profileId);
  if (profile === undefined || profile.workspaceId !== workspaceId) throw new NotVisibleError('baseline profile', profileId);
  return profile;
}

function sameDefinition(a: BaselineProfile, b: BaselineProfile): boolean {
  const pick = (p: BaselineProfile) => [p.workspaceId, p.name, p.description ?? null, p.versionLabel ?? null, p.scope, p.severityMapping, p.alertMinSeverity, p.autoResolve, p.compareAssignments !== false, p.ignoredProperties ?? [], p.createdBy];
  return canonicalJson(pick(a)) === canonicalJson(pick(b));
}

export async function createProfile(
  deps: ManageProfilesDeps,
  ctx: ActorContext,
  input: ProfileInput,
  options: { idempotencyKey?: string } = {},
): Promise<{ created: boolean; profile: BaselineProfile }> {
  const scope: ProfileScope = validateScope(input.scope);
  const ignoredProperties = validateIgnoredProperties(input.ignoredProperties ?? []);
  const now = deps.now().toISOString();
  const id = options.idempotencyKey !== undefined ? idForIdempotencyKey(ctx.workspaceId, 'profile', options.idempotencyKey) : (deps.newId ?? randomUUID)();
  const profile: BaselineProfile = {
    id,
    workspaceId: ctx.workspaceId,
    name: input.name,
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.versionLabel !== undefined ? { versionLabel: input.versionLabel } : {}),
    status: input.status,
    scope,
    severityMapping: { ...DEFAULT_SEVERITY_MAPPING, ...input.severityMapping },
    alertMinSeverity: input.alertMinSeverity,
    autoResolve: input.autoResolve,
    compareAssignments: input.compareAssignments !== false,
    ...(ignoredProperties.length > 0 ? { ignoredProperties } : {}),
    createdBy: ctx.actor,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await deps.profiles.create(profile);
  } catch (err) {
    if (!(err instanceof RecordAlreadyExistsError) || options.idempotencyKey === undefined) throw err;
    const existing = await deps.profiles.get(id);
    if (existing === undefined || !sameDefinition(existing, profile)) throw new IdempotencyKeyReusedError(options.idempotencyKey);
    return { created: false, profile: existing };
  }
  await recordAudit(deps, ctx, {
    action: 'profile.created',
    profileId: id,
    details: { name: profile.name, status: profile.status, scope: profile.scope, ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}) },
  });
  return { created: true, profile };
}

export async function updateProfile(deps: ManageProfilesDeps, ctx: ActorContext, profileId: string, changes: ProfileChanges): Promise<BaselineProfile> {
  const current = await visibleProfile(deps.profiles, ctx.workspaceId, profileId);
  const fields = Object.keys(changes).filter((k) => changes[k as keyof ProfileChanges] !== undefined);
  if (current.status === 'archived') {
    // Archiving again is a retry of the same request: the answer is the archived profile.
    if (fields.length === 1 && changes.status === 'archived') return current;
    throw new ProfileArchivedError(profileId);
  }
  const patch: ProfilePatch = { updatedAt: deps.now().toISOString() };
  if (changes.name !== undefined) patch.name = changes.name;
  if (changes.description !== undefined) patch.description = changes.description;
  if (changes.versionLabel !== undefined) patch.versionLabel = changes.versionLabel;
  if (changes.status !== undefined) patch.status = changes.status;
  if (changes.scope !== undefined) patch.scope = validateScope(changes.scope);
  if (changes.severityMapping !== undefined) patch.severityMapping = { ...current.severityMapping, ...changes.severityMapping };
  if (changes.alertMinSeverity !== undefined) patch.alertMinSeverity = changes.alertMinSeverity;
  if (changes.autoResolve !== undefined) patch.autoResolve = changes.autoResolve;
  if (changes.compareAssignments !== undefined) patch.compareAssignments = changes.compareAssignments;
  if (changes.ignoredProperties !== undefined) patch.ignoredProperties = validateIgnoredProperties(changes.ignoredProperties);
  if (changes.activeSnapshotId !== undefined) {
    const snapshot = await deps.snapshots?.get(changes.activeSnapshotId);
    if (snapshot === undefined || snapshot.profileId !== profileId) throw new NotVisibleError('snapshot', changes.activeSnapshotId);
    if (snapshot.status !== 'complete') throw new SnapshotNotCompleteError(snapshot.id, snapshot.status);
    patch.activeSnapshotId = snapshot.id;
  }
  const updated = await deps.profiles.update(profileId, patch);
  await recordAudit(deps, ctx, {
    action: 'profile.updated',
    profileId,
    details: {
      fields,
      ...(changes.status !== undefined && changes.status !== current.status ? { statusFrom: current.status, statusTo: changes.status } : {}),
      ...(patch.ignoredProperties !== undefined ? { ignoredProperties: patch.ignoredProperties.map((e) => `${e.policyType} ${e.path}`) } : {}),
      ...(patch.activeSnapshotId !== undefined ? { activeSnapshotFrom: current.activeSnapshotId ?? null, activeSnapshotTo: patch.activeSnapshotId } : {}),
    },
  });
  return updated;
}

export async function assignTenant(
  deps: ManageProfilesDeps,
  ctx: ActorContext,
  req: {
    profileId: string;
    tenantId: string;
    scopeOverride?: { policy_types?: readonly string[]; foundation_types?: readonly string[] };
    /** This tenant's own ignored properties, added to the profile's. */
    ignoredProperties?: readonly IgnoredProperty[];
  },
): Promise<{ created: boolean; assignment: BaselineTenantAssignment }> {
  const profile = await visibleProfile(deps.profiles, ctx.workspaceId, req.profileId);
  if (profile.status === 'archived') throw new ProfileArchivedError(profile.id);
  const scopeOverride = req.scopeOverride !== undefined ? validateScope(req.scopeOverride) : undefined;
  const ignoredProperties = validateIgnoredProperties(req.ignoredProperties ?? []);
  const assignment: BaselineTenantAssignment = {
    profileId: profile.id,
    tenantId: req.tenantId,
    workspaceId: ctx.workspaceId,
    ...(scopeOverride !== undefined ? { scopeOverride } : {}),
    ...(ignoredProperties.length > 0 ? { ignoredProperties } : {}),
    assignedAt: deps.now().toISOString(),
    assignedBy: ctx.actor,
  };
  const result = await deps.profiles.assign(assignment);
  if (!result.created) {
    const same = (a: BaselineTenantAssignment) => canonicalJson([a.scopeOverride ?? null, a.ignoredProperties ?? []]);
    if (same(result.assignment) !== same(assignment)) {
      throw new AssignmentConflictError(profile.id, req.tenantId);
    }
    return result;
  }
  await recordAudit(deps, ctx, {
    action: 'assignment.created',
    tenantId: req.tenantId,
    profileId: profile.id,
    details: {
      ...(scopeOverride !== undefined ? { scopeOverride } : {}),
      ...(ignoredProperties.length > 0 ? { ignoredProperties: ignoredProperties.map((e) => `${e.policyType} ${e.path}`) } : {}),
    },
  });
  return result;
}

/** Removes the assignment; `removed: false` when there was none (a retried unassign). */
export async function unassignTenant(deps: ManageProfilesDeps, ctx: ActorContext, req: { profileId: string; tenantId: string }): Promise<{ removed: boolean }> {
  const profile = await visibleProfile(deps.profiles, ctx.workspaceId, req.profileId);
  const removed = await deps.profiles.unassign(profile.id, req.tenantId);
  if (removed) {
    await recordAudit(deps, ctx, { action: 'assignment.removed', tenantId: req.tenantId, profileId: profile.id, details: {} });
  }
  return { removed };
}
