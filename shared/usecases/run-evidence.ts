/**
 * The evidence export of a completed compare run (docs/compare.md): assembled from what the compare
 * stored (the run and its context, the staged drift and gaps of each compared type, the immutable
 * snapshot) plus the current status of its findings. The subjects are produced per policy type while
 * the export is written (`EvidenceParts.subjects`), so a large run is never held whole.
 */
import { comparedSubjects, driftedSubjectOf, type DriftedSubject } from '../domain/compared-subjects.js';
import { evidenceFindingOf, type EvidenceFinding, type EvidenceParts } from '../domain/evidence-export.js';
import { scopeKeyOf } from '../domain/identity.js';
import type { CompareGap, OperationRun, RegistryTypeKey } from '../domain/model.js';
import { EvidenceNotAvailableError, NotVisibleError } from './ports/errors.js';
import { compareContextOf, type BaselineCompareContext } from './baseline-compare.js';
import type { TenantDirectory } from './ports/tenants.js';
import type { CompareStageRepository, FindingRepository, OperationRunRepository, ProfileRepository, SnapshotRepository } from './ports/persistence.js';

export interface EvidenceDeps {
  runs: OperationRunRepository;
  profiles: ProfileRepository;
  snapshots: SnapshotRepository;
  compareStage: CompareStageRepository;
  findings: FindingRepository;
  /** The tenant's display name for the export (its id when absent or unnamed). */
  tenants?: TenantDirectory;
  now: () => Date;
}

/** The caller may see the run: its tenant is in the token and it belongs to the caller's workspace. */
export function visibleRun(run: OperationRun | undefined, caller: { workspaceId: string; tenantIds: ReadonlySet<string> }, runId: string): OperationRun {
  if (run === undefined || !caller.tenantIds.has(run.tenantId) || (run.workspaceId !== undefined && run.workspaceId !== caller.workspaceId)) {
    throw new NotVisibleError('operation run', runId);
  }
  return run;
}

interface ComparedType {
  policyType: RegistryTypeKey;
  drift: DriftedSubject[];
  gaps: CompareGap[];
}

export async function runEvidence(
  deps: EvidenceDeps,
  caller: { workspaceId: string; tenantIds: ReadonlySet<string> },
  request: { runId: string; policyType?: RegistryTypeKey },
): Promise<EvidenceParts> {
  const run = visibleRun(await deps.runs.get(request.runId), caller, request.runId);
  if (run.type !== 'baseline_compare') throw new EvidenceNotAvailableError(`operation run '${run.id}' is a ${run.type}, not a baseline compare: only compares have evidence to export`);
  if (run.status !== 'completed') throw new EvidenceNotAvailableError(`operation run '${run.id}' is ${run.status}: export its evidence once it has completed`);
  const ctx = compareContextOf(run);
  const snapshotId = ctx.snapshot_id ?? undefined;
  const compared = Object.entries(ctx.types ?? {})
    .filter(([t, v]) => (v as { status?: string }).status === 'compared' && (request.policyType === undefined || t === request.policyType))
    .map(([t]) => t as RegistryTypeKey)
    .sort();
  const [profile, snapshot, tenantName] = await Promise.all([
    deps.profiles.get(ctx.profile_id),
    snapshotId !== undefined ? deps.snapshots.get(snapshotId) : undefined,
    run.workspaceId !== undefined && deps.tenants !== undefined ? deps.tenants.getName(run.workspaceId, run.tenantId) : undefined,
  ]);

  const types: ComparedType[] = [];
  const findings: EvidenceFinding[] = [];
  for (const policyType of compared) {
    const staged = await deps.compareStage.get(run.id, policyType);
    if (staged === undefined) throw new EvidenceNotAvailableError(`the compare results of ${policyType} in run '${run.id}' are no longer stored: run a new compare and export that one`);
    const status = new Map(
      (await deps.findings.getMany(run.tenantId, scopeKeyOf(ctx.profile_id), staged.observations.map((o) => o.fingerprint))).map((f) => [f.fingerprint, f.status]),
    );
    for (const o of staged.observations) findings.push(evidenceFindingOf(o, status.get(o.fingerprint)));
    types.push({ policyType, drift: staged.observations.map(driftedSubjectOf), gaps: staged.gaps ?? contextGaps(ctx, policyType) });
  }

  async function* subjects(): AsyncGenerator<ReturnType<typeof comparedSubjects>> {
    for (const t of types) {
      const baseline = snapshotId !== undefined ? await deps.snapshots.listSummaries(snapshotId, t.policyType, { consistent: false }) : [];
      yield comparedSubjects({ baseline, drift: t.drift, gaps: t.gaps });
    }
  }

  return {
    run: {
      id: run.id,
      type: run.type,
      tenantId: run.tenantId,
      tenantName: tenantName?.displayName ?? run.tenantId,
      ...(run.workspaceId !== undefined ? { workspaceId: run.workspaceId } : {}),
      status: run.status,
      outcome: run.outcome,
      initiator: run.initiator,
      createdAt: run.createdAt,
      ...(run.startedAt !== undefined ? { startedAt: run.startedAt } : {}),
      ...(run.completedAt !== undefined ? { completedAt: run.completedAt } : {}),
      scope: ctx.effective_scope ?? null,
      types: ctx.types ?? {},
      summaryCounts: run.summaryCounts,
      failureSummary: run.failureSummary,
    },
    coverage: (ctx.coverage as Record<string, unknown> | undefined) ?? { proof: false },
    provenance: {
      profileId: ctx.profile_id,
      profileName: profile?.name ?? null,
      // The version label as the compare recorded it (older runs: the profile's label now).
      profileVersion: ctx.profile_version ?? profile?.versionLabel ?? null,
      snapshotId: snapshotId ?? null,
      snapshotCapturedAt: snapshot?.capturedAt ?? null,
      snapshotIdentityHash: snapshot?.identityHash ?? null,
      inventorySyncRunId: ctx.inventory_sync_run_id ?? null,
      inventoryObservedAt: ctx.inventory_observed_at ?? null,
      policyTypes: request.policyType !== undefined ? [request.policyType] : compared,
      exportedAt: deps.now().toISOString(),
    },
    findings,
    gaps: types.flatMap((t) => t.gaps),
    subjects: subjects(),
  };
}

/** A stage written before gaps were staged: the gaps the run context lists (it keeps up to 500). */
function contextGaps(ctx: BaselineCompareContext, policyType: string): CompareGap[] {
  return ((ctx.gaps ?? []) as { reason: CompareGap['reason']; policy_type: string; subject_key: string; display_name: string; baseline_count: number; current_count: number }[])
    .filter((g) => g.policy_type === policyType)
    .map((g) => ({ reason: g.reason, policyType: g.policy_type as RegistryTypeKey, subjectKey: g.subject_key, displayName: g.display_name, baselineCount: g.baseline_count, currentCount: g.current_count }));
}
