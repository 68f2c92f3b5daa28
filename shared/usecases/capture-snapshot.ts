/**
 * Capturing a baseline snapshot from a source (golden) tenant's inventory, as its own operation run:
 * every type of the profile's scope is read from the inventory, stored as snapshot items without
 * tenant identifiers, and the snapshot is sealed `complete` in one conditional step. Capturing
 * identical content again yields the same identity hash and returns the existing snapshot.
 */
import { randomUUID } from 'node:crypto';
import { canonicalHash } from '../domain/canonical.js';
import type { BaselineProfile, BaselineSnapshot, OperationRun, RegistryTypeKey } from '../domain/model.js';
import { effectiveScope, scopeTypes } from '../domain/scope.js';
import type {
  CreateQueuedResult,
  InventoryRepository,
  OperationRunRepository,
  ProfileRepository,
  SnapshotItemInput,
  SnapshotRepository,
} from './ports/persistence.js';
import { ProfileNotFoundError } from './ports/errors.js';

export interface CaptureDeps {
  runs: OperationRunRepository;
  profiles: ProfileRepository;
  snapshots: SnapshotRepository;
  inventory: InventoryRepository;
  now: () => Date;
  newId?: () => string;
}

export type CaptureResult =
  | { status: 'captured' | 'deduplicated'; snapshot: BaselineSnapshot; runId: string }
  | { status: 'already_running'; activeRunId: string };

/**
 * Creates the queued `baseline_capture` run of a profile and source tenant, holding their lock: one
 * capture of a profile from a source at a time (`created: false` names the active one). The API
 * creates it before invoking the capture, so the run id it answers always exists.
 */
export function openCaptureRun(
  runs: OperationRunRepository,
  req: { runId: string; profile: BaselineProfile; sourceTenantId: string; initiator: string; createdAt: string },
): Promise<CreateQueuedResult> {
  return runs.createQueued({
    id: req.runId,
    tenantId: req.sourceTenantId,
    workspaceId: req.profile.workspaceId,
    type: 'baseline_capture',
    identityHash: canonicalHash(['baseline_capture', req.sourceTenantId, req.profile.id]),
    initiator: req.initiator,
    createdAt: req.createdAt,
    context: { baseline_capture: { profile_id: req.profile.id } },
  });
}

/** The capture's own run: the queued one the API created under `runId`, else a new one. */
async function claimCaptureRun(
  deps: CaptureDeps,
  profile: BaselineProfile,
  req: { sourceTenantId: string; initiator: string; runId?: string },
): Promise<{ runId: string } | { activeRunId: string }> {
  const runId = req.runId ?? (deps.newId ?? randomUUID)();
  const queued = req.runId !== undefined ? await deps.runs.get(req.runId) : undefined;
  if (queued !== undefined) {
    const ours = queued.type === 'baseline_capture' && queued.tenantId === req.sourceTenantId && capturedProfileId(queued) === profile.id;
    // A run of another request under this id, or one already taken (an invoke delivered twice).
    if (!ours || queued.status !== 'queued') return { activeRunId: queued.id };
    return { runId };
  }
  const created = await openCaptureRun(deps.runs, { runId, profile, sourceTenantId: req.sourceTenantId, initiator: req.initiator, createdAt: deps.now().toISOString() });
  return created.created ? { runId } : { activeRunId: created.activeRunId };
}

function capturedProfileId(run: OperationRun): unknown {
  return (run.context['baseline_capture'] as { profile_id?: unknown } | undefined)?.profile_id;
}

export async function captureSnapshot(
  deps: CaptureDeps,
  req: { profileId: string; sourceTenantId: string; initiator: string; activate?: boolean; runId?: string },
): Promise<CaptureResult> {
  const newId = deps.newId ?? randomUUID;
  const profile = await deps.profiles.get(req.profileId);
  if (profile === undefined) throw new ProfileNotFoundError(req.profileId);
  const types = scopeTypes(effectiveScope(profile.scope));

  const claimed = await claimCaptureRun(deps, profile, req);
  if ('activeRunId' in claimed) return { status: 'already_running', activeRunId: claimed.activeRunId };
  const { runId } = claimed;
  await deps.runs.markRunning(runId, deps.now().toISOString());

  let building: string | undefined;
  try {
    // Read every type first: the identity hash covers the whole content, so a repeat capture dedupes.
    const perType = new Map<RegistryTypeKey, SnapshotItemInput[]>();
    for (const type of types) {
      const summaries = await deps.inventory.listSummaries(req.sourceTenantId, type);
      const contents = await deps.inventory.getContents(req.sourceTenantId, type, summaries.map((s) => s.externalId));
      perType.set(
        type,
        summaries.map((s) => {
          const c = contents.get(s.externalId);
          const item: SnapshotItemInput = {
            policyType: s.policyType,
            subjectKey: s.subjectKey,
            displayName: s.displayName,
            metaHash: s.metaHash,
            meta: c?.meta ?? {},
          };
          if (s.contentHash !== undefined && c?.content !== undefined) {
            item.contentHash = s.contentHash;
            item.content = c.content;
          }
          // What a subject without content can still be compared on (design 3.6).
          if (s.surfaceHash !== undefined) item.surfaceHash = s.surfaceHash;
          if (item.content === undefined && c?.surface !== undefined) item.surface = c.surface;
          // Assignments with their group and filter names as the inventory holds them: the baseline
          // is self-contained (tenants are compared against those names, never against the source tenant).
          if (s.assignmentsHash !== undefined && c?.assignments !== undefined) {
            item.assignmentsHash = s.assignmentsHash;
            item.assignmentGroups = s.assignmentGroups ?? 0;
            item.assignmentsUnresolved = s.assignmentsUnresolved ?? 0;
            if (s.assignmentsStoredHash !== undefined) item.assignmentsStoredHash = s.assignmentsStoredHash;
            item.assignments = c.assignments;
          }
          // The groups named inside the policy, with the names they had in the source tenant.
          if (s.policyGroupsHash !== undefined && item.content !== undefined && c?.policyGroups !== undefined) {
            item.policyGroupsHash = s.policyGroupsHash;
            item.policyGroupCount = s.policyGroupCount ?? 0;
            item.policyGroupsUnresolved = s.policyGroupsUnresolved ?? 0;
            item.policyGroups = c.policyGroups;
          }
          return item;
        }),
      );
    }
    const identityHash = canonicalHash([
      profile.id,
      ...[...perType.entries()].map(([type, items]) => [
        type,
        items
          .map((i) => [
            i.subjectKey,
            i.metaHash,
            i.contentHash ?? null,
            ...(i.contentHash === undefined && i.surfaceHash !== undefined ? [i.surfaceHash] : []),
            ...(i.assignmentsHash !== undefined ? [`assignments:${i.assignmentsHash}`] : []),
            ...(i.policyGroupsHash !== undefined ? [`policyGroups:${i.policyGroupsHash}`] : []),
          ])
          .sort((a, b) => (String(a) < String(b) ? -1 : 1)),
      ]),
    ]);
    const existing = await deps.snapshots.findByIdentityHash(profile.id, identityHash);
    let snapshot: BaselineSnapshot;
    let status: 'captured' | 'deduplicated';
    if (existing !== undefined) {
      snapshot = existing;
      status = 'deduplicated';
    } else {
      const snapshotId = newId();
      await deps.snapshots.createBuilding({ id: snapshotId, profileId: profile.id, capturedAt: deps.now().toISOString(), identityHash, operationRunId: runId });
      building = snapshotId;
      let itemCount = 0;
      const summary: Record<string, number> = {};
      for (const [type, items] of perType) {
        if (items.length === 0) continue;
        const put = await deps.snapshots.putItems(snapshotId, items);
        const stored = put.written + put.alreadyStored;
        summary[type] = stored;
        itemCount += stored;
      }
      snapshot = await deps.snapshots.complete(snapshotId, { itemCount, summary });
      building = undefined;
      status = 'captured';
    }
    if (req.activate !== false) {
      await deps.profiles.update(profile.id, { activeSnapshotId: snapshot.id, updatedAt: deps.now().toISOString() });
    }
    await deps.runs.complete(runId, {
      outcome: 'succeeded',
      summaryCounts: { items: snapshot.itemCount, types: Object.keys(snapshot.summary).length },
      failureSummary: [],
      context: { baseline_capture: { profile_id: profile.id, snapshot_id: snapshot.id, deduplicated: status === 'deduplicated' } },
      completedAt: deps.now().toISOString(),
    });
    return { status, snapshot, runId };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // A half-built snapshot is marked failed: it is never consumed.
    if (building !== undefined) await deps.snapshots.markFailed(building).catch(() => undefined);
    await deps.runs.complete(runId, {
      outcome: 'failed',
      summaryCounts: {},
      failureSummary: [{ code: 'capture_failed', message: message.slice(0, 500), count: 1 }],
      context: { baseline_capture: { profile_id: profile.id } },
      completedAt: deps.now().toISOString(),
    });
    throw err;
  }
}
