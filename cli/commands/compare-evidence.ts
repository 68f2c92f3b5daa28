/**
 * `drift compare --format csv|html`: the offline compare written as the evidence export of a compare
 * run (the same renderer the API's `GET /operation-runs/{runId}/evidence` uses). Findings carry the
 * evidence the workflow would build (`buildObservation`, with `offline` in place of the run, tenant
 * and snapshot ids); every type is treated as covered, as `drift compare` always does.
 */
import { comparedSubjects, driftedSubjectOf, type ComparedSubject } from '../../shared/domain/compared-subjects.js';
import { buildObservation, type CompareRunContext } from '../../shared/domain/evidence.js';
import { evidenceFindingOf, type EvidenceFinding, type EvidenceParts } from '../../shared/domain/evidence-export.js';
import type { CompareGap } from '../../shared/domain/model.js';
import { runCompare, type CompareCommandOptions, type CompareReport } from './compare.js';

export async function runCompareEvidence(options: CompareCommandOptions & { now?: () => Date }): Promise<{ report: CompareReport; parts: EvidenceParts }> {
  const at = (options.now ?? (() => new Date()))().toISOString();
  const context: CompareRunContext = { tenantId: 'offline', profileId: 'offline', snapshotId: 'offline', capturedAt: at, runId: 'offline', inventorySyncRunId: null, observedAt: at, inventoryObservedAt: null };
  const batches: ComparedSubject[][] = [];
  const findings: EvidenceFinding[] = [];
  const gaps: CompareGap[] = [];
  const report = await runCompare({
    ...options,
    collect: ({ baseline, result, drifted }) => {
      const observations = result.drift.map((candidate) => {
        const found = drifted.get(candidate.subjectKey);
        return buildObservation({ candidate, context, ...(found ? { drifted: found } : {}) });
      });
      findings.push(...observations.map((o) => evidenceFindingOf(o)));
      gaps.push(...result.gaps);
      batches.push(comparedSubjects({ baseline, drift: observations.map(driftedSubjectOf), gaps: result.gaps }));
    },
  });
  const types = [...new Set(batches.flatMap((b) => b.map((s) => s.policyType)))];
  return {
    report,
    parts: {
      run: { id: 'offline', type: 'offline_compare', status: 'completed', outcome: 'succeeded', completedAt: at, scope: { types }, summaryCounts: report.summary },
      coverage: { proof: true, comparable_types: types, uncovered_types: [], note: 'offline: every type present on either side is treated as covered' },
      provenance: { baseline: options.baseline, current: options.current, formatIn: options.formatIn ?? 'auto', exportedAt: at },
      findings,
      gaps,
      subjects: batches,
    },
  };
}
