/**
 * The fleet view of a baseline profile: every assigned tenant (of the caller's) against the profile's
 * active snapshot, from what the compares stored, never from Graph and never by comparing again.
 *
 * What it reads, all of this profile and snapshot only: the snapshot's subject summaries, the
 * assignments, the fleet records of (profile, snapshot) (one partition: each tenant's last finalized
 * compare), each such compare's staged results per compared type (drift and gaps), and the findings
 * those compares observed, by exact key (their status now: accepted or not). Nothing of another
 * profile is read, so the time does not grow with other profiles' findings.
 */
import pLimit from 'p-limit';
import { driftedSubjectOf, fleetCursor, fleetMatrix, fleetPage, readFleetCursor, type FleetCompare, type FleetState, type FleetSubject, type FleetTenant, type FleetTenantInput } from '../domain/compared-subjects.js';
import { scopeKeyOf } from '../domain/identity.js';
import type { RegistryTypeKey } from '../domain/model.js';
import { InvalidCursorError, NoCompleteSnapshotError } from './ports/errors.js';
import type { CompareStageRepository, FindingRepository, FleetCompareRecord, FleetRepository, ProfileRepository, SnapshotRepository } from './ports/persistence.js';
import type { TenantDirectory } from './ports/tenants.js';
import { visibleProfile } from './manage-profiles.js';

export interface FleetDeps {
  profiles: ProfileRepository;
  snapshots: SnapshotRepository;
  fleet: FleetRepository;
  compareStage: CompareStageRepository;
  findings: FindingRepository;
  tenants: TenantDirectory;
}

export interface FleetRequest {
  profileId: string;
  policyType?: RegistryTypeKey;
  state?: FleetState;
  limit: number;
  cursor?: string;
}

export interface FleetView {
  profileId: string;
  snapshotId: string;
  tenants: FleetTenant[];
  subjects: FleetSubject[];
  nextCursor?: string;
}

const READS_AT_ONCE = 8;

export async function fleetView(deps: FleetDeps, caller: { workspaceId: string; tenantIds: ReadonlySet<string> }, request: FleetRequest): Promise<FleetView> {
  const profile = await visibleProfile(deps.profiles, caller.workspaceId, request.profileId);
  const snapshot = profile.activeSnapshotId ? await deps.snapshots.get(profile.activeSnapshotId) : undefined;
  if (snapshot === undefined || snapshot.status !== 'complete') throw new NoCompleteSnapshotError(profile.id, profile.activeSnapshotId ?? null, snapshot?.status);
  const filters = { policyType: request.policyType ?? null, state: request.state ?? null };
  const after = request.cursor !== undefined ? readFleetCursor(request.cursor, filters) : undefined;
  if (request.cursor !== undefined && after === undefined) throw new InvalidCursorError();

  const limit = pLimit(READS_AT_ONCE);
  const types = Object.entries(snapshot.summary)
    .filter(([, n]) => n > 0)
    .map(([t]) => t as RegistryTypeKey);
  const [baseline, assignments, records, names] = await Promise.all([
    Promise.all(types.map((t) => limit(() => deps.snapshots.listSummaries(snapshot.id, t, { consistent: false })))).then((lists) => lists.flat()),
    deps.profiles.listAssignmentsByProfile(profile.id),
    deps.fleet.list(profile.id, snapshot.id),
    deps.tenants.listNames(caller.workspaceId),
  ]);
  const recordOf = new Map(records.map((r) => [r.tenantId, r]));
  const nameOf = new Map(names.map((n) => [n.tenantId, n.displayName]));
  const visible = assignments.filter((a) => caller.tenantIds.has(a.tenantId)).map((a) => a.tenantId);

  const tenants: FleetTenantInput[] = await Promise.all(
    visible.map(async (tenantId): Promise<FleetTenantInput> => {
      const record = recordOf.get(tenantId);
      const displayName = nameOf.get(tenantId) ?? tenantId;
      return record === undefined ? { tenantId, displayName } : { tenantId, displayName, compare: await fleetCompareOf(deps, record, limit) };
    }),
  );
  tenants.sort((a, b) => a.displayName.localeCompare(b.displayName, 'en') || a.tenantId.localeCompare(b.tenantId));
  const matrix = fleetMatrix({ baseline, tenants });
  const page = fleetPage(matrix.subjects, { ...(request.policyType ? { policyType: request.policyType } : {}), ...(request.state ? { state: request.state } : {}), ...(after !== undefined ? { after } : {}), limit: request.limit });
  return {
    profileId: profile.id,
    snapshotId: snapshot.id,
    tenants: matrix.tenants,
    subjects: page.items,
    ...(page.last !== undefined ? { nextCursor: fleetCursor(page.last, filters) } : {}),
  };
}

/** What one tenant's last compare saw (its staged drift and gaps) and the status of its findings now. */
async function fleetCompareOf(deps: FleetDeps, record: FleetCompareRecord, limit: ReturnType<typeof pLimit>): Promise<FleetCompare> {
  const staged = await Promise.all(record.comparedTypes.map((t) => limit(() => deps.compareStage.get(record.runId, t))));
  const seen: FleetCompare['seen'][number][] = [];
  for (const s of staged) {
    for (const o of s?.observations ?? []) seen.push({ ...driftedSubjectOf(o), state: o.changeType });
    for (const g of s?.gaps ?? []) seen.push({ subjectKey: g.subjectKey, displayName: g.displayName, policyType: g.policyType, state: 'gap' });
  }
  const fingerprints = seen.flatMap((s) => (s.fingerprint !== undefined ? [s.fingerprint] : []));
  const findings = await limit(() => deps.findings.getMany(record.tenantId, scopeKeyOf(record.profileId), fingerprints));
  return {
    runId: record.runId,
    outcome: record.outcome,
    completedAt: record.completedAt,
    scopeTypes: record.scopeTypes,
    comparedTypes: record.comparedTypes,
    uncoveredTypes: record.uncoveredTypes,
    proof: record.proof,
    counts: record.counts,
    seen,
    findingStatus: new Map(findings.map((f) => [f.fingerprint, f.status])),
  };
}
