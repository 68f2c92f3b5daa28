/**
 * Schemas of the BaselineCompare state payloads (ids and counts only), shared by the task handlers and
 * the tests. Each task parses its input with them and validates its output before returning.
 */
import { z } from 'zod';
import { isRegistryTypeKey } from '../domain/registry.js';
import { GAP_REASONS } from '../domain/model.js';

export const runId = z.string().min(1).max(128);
export const policyType = z
  .string()
  .refine((v) => isRegistryTypeKey(v), { message: 'not a policy type of the registry' })
  .transform((v) => v);

const counts = z.record(z.string(), z.number());

export const coverageResult = z.object({
  runId,
  comparableTypes: z.array(policyType),
  total: z.number().int().min(0),
  uncovered: z.number().int().min(0),
  proof: z.boolean(),
});

export const snapshotResult = z.object({
  runId,
  snapshotId: z.string().min(1),
  capturedAt: z.string(),
  itemCounts: counts,
});

export const typeCompareResult = z.object({
  policyType,
  counts,
  gaps: z.array(
    z.object({
      // Absent in state written before gaps had reasons: those were all ambiguous matches.
      reason: z.enum(GAP_REASONS).optional(),
      subjectKey: z.string(),
      displayName: z.string(),
      baselineCount: z.number(),
      currentCount: z.number(),
      incompleteSide: z.enum(['baseline', 'current', 'both']).optional(),
      missing: z.array(z.string()).optional(),
      unresolved: z.array(z.string()).optional(),
      link: z.object({ linkId: z.string(), tenantDisplayName: z.string() }).optional(),
    }),
  ),
  fidelity: counts,
  observations: z.number().int().min(0),
});

export const upsertResult = z.object({
  policyType,
  findings_new: z.number().int(),
  findings_seen: z.number().int(),
  findings_reopened: z.number().int(),
  already_applied: z.number().int(),
});

export const stepError = z.object({ Error: z.string().optional(), Cause: z.string().optional() }).loose();

export const checkSyncCoverageInput = z.object({ runId }).loose();
export const loadSnapshotInput = z.object({ runId, coverage: coverageResult }).loose();
export const comparePolicyTypeInput = z.object({ runId, snapshotId: z.string().min(1), policyType }).loose();
export const upsertFindingsInput = z.object({ runId, snapshotId: z.string().min(1), policyType, compare: typeCompareResult }).loose();
export const comparedTypeState = z
  .object({
    runId,
    snapshotId: z.string(),
    policyType,
    compare: typeCompareResult.optional(),
    upsert: upsertResult.optional(),
    failed: z.boolean().optional(),
    error: stepError.optional(),
  })
  .loose();
export const finalizeRunInput = z.object({ runId, coverage: coverageResult, snapshot: snapshotResult, compared: z.array(comparedTypeState) }).loose();
export const finalizeRunOutput = z.object({ runId, outcome: z.string(), summaryCounts: counts });
export const failRunInput = z.object({ runId, error: stepError.optional() }).loose();
export const failRunOutput = z.object({ runId, outcome: z.literal('failed'), completed: z.boolean() });
