/** Schemas of the fleet view (`GET /baseline-profiles/{profileId}/fleet`). */
import { z } from 'zod';
import { FLEET_STATES } from '../domain/compared-subjects.js';
import { pageQuerySchema, registryTypeKeySchema } from './api.js';

export const fleetStateSchema = z.enum(FLEET_STATES).meta({
  id: 'FleetState',
  description:
    'What the tenant\'s last compare against the active snapshot made of the subject: aligned, a change type (open, triaged, in progress, reopened or closed finding), accepted (risk_accepted finding), gap, uncovered (its type\'s inventory was not proven), not_compared (no compare yet, the type outside the tenant\'s scope, or its compare failed).',
});

export const fleetQuery = pageQuerySchema.extend({
  policyType: registryTypeKeySchema.optional().meta({ description: 'Only subjects of this policy type.' }),
  state: fleetStateSchema.optional().meta({ description: 'Only subjects that are in this state for at least one tenant.' }),
});

const count = z.number().int().min(0);

export const fleetTenantSchema = z
  .object({
    tenantId: z.string(),
    displayName: z.string().meta({ description: 'The tenant\'s name; its id when it has none.' }),
    lastCompare: z
      .object({ runId: z.string(), outcome: z.string(), completedAt: z.string().meta({ format: 'date-time' }) })
      .nullable()
      .meta({ description: 'The last finalized compare against the active snapshot; null when there is none.' }),
    counts: z
      .object({
        aligned: count,
        aligned_meta: count,
        missing_policy: count.meta({ description: 'Open findings of the last compare.' }),
        unexpected_policy: count,
        different_version: count,
        gaps: count,
        uncovered_types: count,
        accepted: count.meta({ description: 'Findings of the last compare that are risk_accepted (counted here only).' }),
      })
      .meta({ id: 'FleetCounts' }),
  })
  .meta({ id: 'FleetTenant' });

export const fleetSubjectSchema = z
  .object({
    subjectKey: z.string(),
    displayName: z.string(),
    policyType: z.string(),
    states: z.record(z.string(), fleetStateSchema).meta({ description: 'By tenant id, for every tenant listed.' }),
  })
  .meta({ id: 'FleetSubject' });

export const fleetSchema = z
  .object({
    profileId: z.string(),
    snapshotId: z.string().meta({ description: 'The profile\'s active snapshot, which the states are against.' }),
    tenants: z.array(fleetTenantSchema),
    subjects: z.array(fleetSubjectSchema).meta({ description: 'The baseline\'s subjects plus those the tenants\' compares saw beyond it, in subject key order; one page.' }),
    nextCursor: z.string().optional(),
  })
  .meta({ id: 'Fleet' });
