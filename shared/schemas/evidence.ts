/** Schemas of the evidence export (`GET /operation-runs/{runId}/evidence`). */
import { z } from 'zod';
import { EVIDENCE_FORMATS } from '../domain/evidence-export.js';
import { registryTypeKeySchema } from './api.js';

export const evidenceQuery = z.strictObject({
  format: z.enum(EVIDENCE_FORMATS).default('json').meta({ description: 'json (with its sha256), csv (one row per subject) or html (one printable page).' }),
  policyType: registryTypeKeySchema.optional().meta({ description: 'Only this compared policy type (for runs too large for one answer).' }),
});

const hash = z.string().nullable();

export const evidenceSubjectSchema = z
  .object({
    subjectKey: z.string(),
    displayName: z.string(),
    policyType: z.string(),
    state: z.enum(['aligned', 'missing_policy', 'unexpected_policy', 'different_version', 'gap']),
    changeType: z.enum(['missing_policy', 'unexpected_policy', 'different_version']).optional(),
    gapReason: z.string().optional(),
    baselineHash: hash,
    currentHash: hash,
    fidelity: z.enum(['content', 'meta', 'mixed']).nullable(),
    dimensions: z.array(z.enum(['settings', 'assignments'])).meta({ description: 'The dimensions that drifted (different_version).' }),
  })
  .meta({ id: 'EvidenceSubject' });

export const evidenceDocumentSchema = z
  .object({
    run: z.record(z.string(), z.unknown()).meta({ description: 'The run: ids, outcome, times, effective scope, types, summaryCounts, failureSummary.' }),
    coverage: z.record(z.string(), z.unknown()).meta({ description: 'context.baseline_compare.coverage: proof, comparable_types, uncovered_types.' }),
    subjects: z.array(evidenceSubjectSchema).meta({ description: 'Every compared subject, aligned ones included, by policy type then subject key.' }),
    findings: z.array(z.record(z.string(), z.unknown())).meta({ description: 'Every finding the run observed: fingerprint, change type, severity, status now, evidence (snake_case).' }),
    gaps: z.array(z.record(z.string(), z.unknown())),
    provenance: z.record(z.string(), z.unknown()).meta({ description: 'Profile and its version, snapshot, inventory sync run, when exported.' }),
    sha256: z.string().meta({ description: 'SHA-256 (hex) over the canonical JSON (RFC 8785) of the document without sha256.' }),
  })
  .meta({ id: 'EvidenceDocument' });
