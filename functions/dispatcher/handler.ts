/**
 * Dispatcher: invoked by EventBridge Scheduler on the stage's schedule. Starts one BaselineCompare per
 * assignment of every active profile (shared/usecases/dispatch-compares.ts), named per (tenant, profile,
 * schedule window) so a repeated or retried trigger in the same window starts nothing new.
 *
 * Input: the scheduled-event document the schedule sends (`time` = the scheduled time, not the
 * delivery time). Configuration (read per invocation): `SCHEDULE_WINDOW_MINUTES` (default 60),
 * `SYNC_BEFORE_COMPARE` ('true' | 'false', default false), `STATE_MACHINE_ARN`,
 * `INVENTORY_SYNC_FUNCTION_NAME` (when syncing first), the `TABLE_*` names.
 */
import { z } from 'zod';
import { DynamoActiveProfileSource } from '../../shared/adapters/dynamodb/active-profiles.js';
import { getDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { createDynamoRepositories } from '../../shared/adapters/dynamodb/index.js';
import { lambdaInventorySyncTrigger } from '../../shared/adapters/lambda/inventory-sync-trigger.js';
import { logger, taskHandler } from '../_shared/task-handler.js';
import { grantedTableNames } from '../_shared/runtime.js';
import { eventPublisherFromEnv } from '../../shared/adapters/events/publisher.js';
import { stepFunctionsStarterFromEnv } from '../../shared/adapters/stepfunctions/starter.js';
import { dispatchCompares, type DispatchDeps } from '../../shared/usecases/dispatch-compares.js';

/** The scheduled event (extra fields of the envelope are ignored). */
export const dispatcherEvent = z.object({
  /** When the schedule fired (ISO 8601); absent = now. */
  time: z.iso.datetime({ offset: true }).optional(),
});

const output = z.object({
  windowStart: z.string(),
  windowEnd: z.string(),
  assignments: z.number().int(),
  started: z.number().int(),
  syncRequested: z.number().int(),
  alreadyActive: z.number().int(),
  alreadyStartedInWindow: z.number().int(),
  failed: z.number().int(),
  staleRunsCompleted: z.number().int(),
  acceptancesExpired: z.number().int(),
});
export type DispatcherOutput = z.infer<typeof output>;

const config = z.object({
  SCHEDULE_WINDOW_MINUTES: z.coerce.number().int().min(1).max(44_640).default(60),
  SYNC_BEFORE_COMPARE: z.enum(['true', 'false']).default('false'),
  INVENTORY_SYNC_FUNCTION_NAME: z.string().min(1).optional(),
  DISPATCH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
});

export class DispatcherConfigError extends Error {
  override readonly name = 'DispatcherConfigError';
}

/** Configuration of this invocation, from the environment (all handlers share one process locally). */
export function dispatcherConfig(env: NodeJS.ProcessEnv = process.env): DispatcherConfig {
  const parsed = config.safeParse(env);
  if (!parsed.success) {
    throw new DispatcherConfigError(`invalid dispatcher configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  if (parsed.data.SYNC_BEFORE_COMPARE === 'true' && parsed.data.INVENTORY_SYNC_FUNCTION_NAME === undefined) {
    throw new DispatcherConfigError('SYNC_BEFORE_COMPARE is true but INVENTORY_SYNC_FUNCTION_NAME is not set');
  }
  return parsed.data;
}

export type DispatcherConfig = z.infer<typeof config>;

/** The ports of one invocation on AWS: DynamoDB, Step Functions, and Lambda for the sync before compare. */
export function awsDispatchDeps(cfg: DispatcherConfig): DispatchDeps {
  const tables = grantedTableNames();
  const repos = createDynamoRepositories({ tables });
  return {
    profiles: repos.profiles,
    activeProfiles: new DynamoActiveProfileSource(getDocumentClient(), tables.baselines, repos.meter),
    runs: repos.runs,
    starter: stepFunctionsStarterFromEnv(),
    acceptances: { findings: repos.findings, audit: repos.audit, events: { publish: (events) => eventPublisherFromEnv().publish(events) } },
    now: () => new Date(),
    concurrency: cfg.DISPATCH_CONCURRENCY,
    ...(cfg.INVENTORY_SYNC_FUNCTION_NAME ? { sync: lambdaInventorySyncTrigger(cfg.INVENTORY_SYNC_FUNCTION_NAME) } : {}),
  };
}

/** The dispatcher on the given ports (the local scheduler passes the local stack's). */
export function dispatcherHandler(depsFor: (cfg: DispatcherConfig) => DispatchDeps) {
  return taskHandler('Dispatcher', dispatcherEvent, output, async (event) => {
    const cfg = dispatcherConfig();
    const result = await dispatchCompares(depsFor(cfg), {
      scheduledAt: event.time ?? new Date().toISOString(),
      windowMinutes: cfg.SCHEDULE_WINDOW_MINUTES,
      syncBeforeCompare: cfg.SYNC_BEFORE_COMPARE === 'true',
    });
    for (const r of result.results.filter((x) => x.status === 'failed')) {
      logger.warn('scheduled compare not started', { tenantId: r.tenantId, profileId: r.profileId, executionName: r.executionName, error: r.error });
    }
    const { results: _results, ...counts } = result;
    logger.info('compare round dispatched', counts);
    return counts;
  });
}

export const handler = dispatcherHandler(awsDispatchDeps);
