/**
 * Evidence of a finding (docs/compare.md, "Evidence") and the observation a compare hands to the lifecycle.
 *
 * Each side's `hash` and `fidelity` are what that side had: its content hash (`content`) when the
 * full object was available, else its meta hash (`meta`); `null` for the side that does not have the
 * subject. `drifted_properties` are listed for `different_version` when both normalized contents are
 * given (the caller loads content only for subjects whose hashes differ); otherwise the list is
 * empty. The current side's provenance names the inventory sync that was compared, also for
 * `missing_policy` (that sync is what showed the subject absent); `external_id` only when the tenant
 * has the subject. No tenant identifier appears on the baseline side.
 * A `different_version` finding says which dimensions drifted (`settings`, `assignments`), gives each
 * compared dimension's hashes, and records `not_compared: ["assignments"]` when a side's assignments
 * were not collected (with the profile's `compareAssignments` off nothing of them is shown).
 */
import type { FindingEvidence, SeverityMapping, SubjectSummary } from './model.js';
import type { DriftCandidate } from './compare.js';
import { sideFidelity } from './compare.js';
import type { DriftOptions, DriftResult } from './drift.js';
import { driftedProperties } from './drift.js';
import type { FindingObservation } from './lifecycle.js';
import { fingerprint, recurrenceKey, scopeKeyOf } from './identity.js';
import { severityFor } from './severity.js';

/** The compare run a finding is observed in. */
export interface CompareRunContext {
  tenantId: string;
  profileId: string;
  snapshotId: string;
  /** When the baseline snapshot was captured (ISO). */
  capturedAt: string;
  /** The compare operation run. */
  runId: string;
  /** The inventory sync run whose coverage and items were compared (null when unknown). */
  inventorySyncRunId: string | null;
  /** When the compare observed the finding (ISO): becomes lastSeenAt. */
  observedAt: string;
  /** When the inventory was observed (ISO), e.g. the sync's completion; null when unknown. */
  inventoryObservedAt?: string | null;
  /** The profile's mapping; the default mapping fills what it leaves out. */
  severityMapping?: Partial<SeverityMapping>;
}

export interface EvidenceInput {
  candidate: DriftCandidate;
  context: CompareRunContext;
  /** Normalized content of the baseline subject (only needed for `different_version`). */
  baselineContent?: Record<string, unknown>;
  /** Normalized content of the tenant's subject (only needed for `different_version`). */
  currentContent?: Record<string, unknown>;
  /** Keyed arrays of the policy type and the caps of drifted properties. */
  drift?: DriftOptions;
  /** Drifted properties already worked out (settings and assignments, `comparePolicyType`): used as they are. */
  drifted?: DriftResult;
}

function sideHash(s: SubjectSummary | undefined): { hash: string | null; fidelity: 'content' | 'meta' | null } {
  if (s === undefined) return { hash: null, fidelity: null };
  const fidelity = sideFidelity(s);
  return { hash: fidelity === 'content' ? (s.contentHash ?? null) : s.metaHash, fidelity };
}

/** Which dimensions drifted, each dimension's hashes, and what was not compared (design 3.5). */
type DimensionFields = 'dimensions' | 'dimension_hashes' | 'not_compared' | 'unresolved_references' | 'content_incomplete';

function dimensionsOf(c: DriftCandidate): Pick<FindingEvidence, DimensionFields> {
  if (c.changeType !== 'different_version') return { dimensions: [] };
  const out: Pick<FindingEvidence, DimensionFields> = {
    dimensions: c.dimensions ?? ['settings'],
    dimension_hashes: { settings: { baseline: sideHash(c.baseline).hash, current: sideHash(c.current).hash } },
  };
  const state = c.assignments;
  if (state === 'equal' || state === 'drift' || state === 'unresolved') {
    out.dimension_hashes!.assignments = { baseline: c.baseline?.assignmentsHash ?? null, current: c.current?.assignmentsHash ?? null };
  }
  if (state === 'not_compared') out.not_compared = ['assignments'];
  if (c.unresolvedReferences !== undefined) out.unresolved_references = c.unresolvedReferences;
  if (c.contentIncomplete !== undefined) out.content_incomplete = { side: c.contentIncomplete.side, missing: [...c.contentIncomplete.missing] };
  return out;
}

export function buildEvidence(input: EvidenceInput): FindingEvidence {
  const { candidate: c, context: ctx } = input;
  const drift =
    c.changeType !== 'different_version'
      ? { properties: [], truncated: false }
      : (input.drifted ??
        (input.baselineContent !== undefined && input.currentContent !== undefined
          ? driftedProperties(input.baselineContent, input.currentContent, input.drift)
          : { properties: [], truncated: false }));
  return {
    change_type: c.changeType,
    policy_type: c.policyType,
    subject_key: c.subjectKey,
    display_name: c.displayName,
    baseline: {
      ...sideHash(c.baseline),
      provenance: { snapshot_id: ctx.snapshotId, captured_at: ctx.capturedAt },
    },
    current: {
      ...sideHash(c.current),
      provenance: {
        inventory_sync_run_id: ctx.inventorySyncRunId,
        observed_at: ctx.inventoryObservedAt ?? null,
        external_id: c.current?.externalId ?? null,
      },
    },
    drifted_properties: drift.properties,
    truncated: drift.truncated,
    ...dimensionsOf(c),
    ...(c.ignoredPaths !== undefined && c.ignoredPaths.length > 0 ? { ignored_paths: [...c.ignoredPaths] } : {}),
    ...(c.current?.linkedFrom !== undefined ? { subject_link: { link_id: c.current.linkedFrom.linkId, tenant_subject_key: c.current.linkedFrom.subjectKey } } : {}),
    provenance: {
      baseline_profile_id: ctx.profileId,
      baseline_snapshot_id: ctx.snapshotId,
      compare_operation_run_id: ctx.runId,
      inventory_sync_run_id: ctx.inventorySyncRunId,
    },
  };
}

/** The observation of one drift candidate in a compare run: identity, severity and evidence. */
export function buildObservation(input: EvidenceInput): FindingObservation {
  const { candidate: c, context: ctx } = input;
  const identity = {
    tenantId: ctx.tenantId,
    snapshotId: ctx.snapshotId,
    policyType: c.policyType,
    subjectKey: c.subjectKey,
    changeType: c.changeType,
  };
  return {
    tenantId: ctx.tenantId,
    scopeKey: scopeKeyOf(ctx.profileId),
    fingerprint: fingerprint(identity),
    recurrenceKey: recurrenceKey(identity),
    changeType: c.changeType,
    policyType: c.policyType,
    subjectKey: c.subjectKey,
    displayName: c.displayName,
    severity: severityFor(c.changeType, ctx.severityMapping),
    evidence: buildEvidence(input),
    evidenceFidelity: c.fidelity,
    runId: ctx.runId,
    observedAt: ctx.observedAt,
  };
}
