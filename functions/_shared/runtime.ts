/**
 * The ports a function needs, built from the environment at call time (all handlers share one process
 * locally, and a test may point the process at another DynamoDB endpoint).
 */
import { createDynamoRepositories, DynamoGateway, getDocumentClient, TABLE_NAMES, TABLE_SPECS, type Repositories, type TableNames } from '../../shared/adapters/dynamodb/index.js';
import { DynamoCompareStageRepository } from '../../shared/adapters/dynamodb/compare-stage-repository.js';
import type { CapacityMeter } from '../../shared/adapters/dynamodb/capacity.js';
import { eventPublisherFromEnv } from '../../shared/adapters/events/publisher.js';
import type { CompareDeps } from '../../shared/usecases/baseline-compare.js';

/**
 * Table names from `TABLE_<NAME>`. A function is given only the tables it may use (least privilege):
 * the others get a name that says so, and any use of them fails with an error naming the variable.
 */
export function grantedTableNames(env: NodeJS.ProcessEnv = process.env): TableNames {
  return Object.fromEntries(
    TABLE_NAMES.map((n) => [n, env[TABLE_SPECS[n].envVar] || `not-granted-${TABLE_SPECS[n].envVar}`]),
  ) as TableNames;
}

let processMeter: CapacityMeter | undefined;

/**
 * Makes every task of this process record its consumed capacity in `meter` (the benchmark and the
 * local stack read the totals of a whole run); `undefined` goes back to one meter per invocation.
 */
export function useProcessCapacityMeter(meter: CapacityMeter | undefined): void {
  processMeter = meter;
}

export function compareDepsFromEnv(env: NodeJS.ProcessEnv = process.env): CompareDeps & { repos: Repositories } {
  const tables = grantedTableNames(env);
  const repos = createDynamoRepositories({ tables, ...(processMeter ? { meter: processMeter } : {}) });
  const stageGateway = new DynamoGateway(getDocumentClient(env), repos.meter);
  return {
    repos,
    runs: repos.runs,
    profiles: repos.profiles,
    snapshots: repos.snapshots,
    inventory: repos.inventory,
    findings: repos.findings,
    audit: repos.audit,
    stage: new DynamoCompareStageRepository(stageGateway, tables.operationRuns),
    fleet: repos.fleet,
    groupMappings: repos.groupMappings,
    subjectLinks: repos.subjectLinks,
    // Resolved on first use: functions that publish nothing need no event destination.
    events: { publish: (events) => eventPublisherFromEnv(env).publish(events) },
    now: () => new Date(),
    ...cooldownFromEnv(env),
  };
}

/** `FINDING_EVENT_COOLDOWN_HOURS` (optional, default 24 h in the domain): hours between two events of one finding. */
function cooldownFromEnv(env: NodeJS.ProcessEnv): { findingEventCooldownHours?: number } {
  const raw = env.FINDING_EVENT_COOLDOWN_HOURS;
  if (raw === undefined || raw.trim() === '') return {};
  const hours = Number(raw);
  if (!Number.isFinite(hours) || hours < 0) throw new Error(`FINDING_EVENT_COOLDOWN_HOURS must be a number of hours >= 0, got '${raw}'`);
  return { findingEventCooldownHours: hours };
}
