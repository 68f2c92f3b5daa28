/**
 * InventorySync: syncs one tenant's inventory from Microsoft Graph (shared/usecases/sync-inventory.ts),
 * then, when asked (`thenCompare`, from the scheduled dispatcher), starts that compare so it sees the
 * coverage of this sync. The compare is started whatever the sync's outcome (the coverage gate decides
 * what it may conclude), and also when another sync of the tenant was already active.
 *
 * Configuration (read per invocation): `TABLE_*`, `SECRET_KEY_SECRET_ARN` or `DRIFT_SECRET_KEY`, the
 * tenant credentials (`TENANT_SECRETS_ROLE_ARN` + `TENANT_SECRET_PREFIX`, or locally
 * `DRIFT_TENANT_CREDENTIALS_FILE` / `DRIFT_GRAPH_CLIENT_ID` + `DRIFT_GRAPH_CLIENT_SECRET`),
 * `GRAPH_BASE_URL`, `GRAPH_TOKEN_URL_TEMPLATE`, and `STATE_MACHINE_ARN` for `thenCompare`.
 */
import { z } from 'zod';
import { createDynamoRepositories } from '../../shared/adapters/dynamodb/index.js';
import { registryInventoryReaders } from '../../shared/adapters/graph/registry-inventory.js';
import { tenantGraphClientFactoryFromEnv } from '../../shared/adapters/graph/tenant-client.js';
import { logger, taskHandler } from '../_shared/task-handler.js';
import { grantedTableNames } from '../_shared/runtime.js';
import { tenantCredentialSourceFromEnv } from '../../shared/adapters/secrets/tenant-credentials.js';
import { workspaceKeySourceFromEnv, type WorkspaceKeySource } from '../../shared/adapters/secrets/workspace-key.js';
import { stepFunctionsStarterFromEnv } from '../../shared/adapters/stepfunctions/starter.js';
import { startCompare } from '../../shared/usecases/start-compare.js';
import { syncTenantInventory } from '../../shared/usecases/sync-inventory.js';
import type { WorkflowStarter } from '../../shared/usecases/ports/workflow.js';
import { DispatchFailedError, SyncAlreadyActiveError } from '../../shared/usecases/ports/errors.js';

const id = z.string().min(1).max(128).regex(/^[^#]+$/, 'must not contain #');

export const inventorySyncEvent = z.object({
  tenantId: id,
  workspaceId: id,
  initiator: z.string().min(1).max(256).optional(),
  thenCompare: z.object({ profileId: id, executionName: z.string().min(1).max(80) }).optional(),
});
export type InventorySyncEvent = z.infer<typeof inventorySyncEvent>;

const coverageEntry = z.object({
  status: z.enum(['succeeded', 'failed']),
  item_count: z.number().int().optional(),
  items_from_run: z.number().int().optional(),
  error: z.string().optional(),
});
const coverageSchema = z.object({ policy_types: z.record(z.string(), coverageEntry), foundation_types: z.record(z.string(), coverageEntry) });
const output = z.object({
  sync: z.union([
    z.object({
      status: z.literal('completed'),
      runId: z.string(),
      outcome: z.enum(['succeeded', 'partially_succeeded', 'failed']),
      coverage: coverageSchema,
      requests: z.number().int(),
      retries: z.number().int(),
    }),
    z.object({ status: z.literal('already_active'), activeRunId: z.string() }),
  ]),
  compare: z
    .object({ status: z.enum(['started', 'already_active', 'already_started', 'failed']), runId: z.string().optional(), error: z.string().optional() })
    .optional(),
});
export type InventorySyncOutput = z.infer<typeof output>;

/** The key source is kept per container (it reads the master key once), per configuration. */
const keySources = new Map<string, WorkspaceKeySource>();
function keySourceFromEnv(env: NodeJS.ProcessEnv): WorkspaceKeySource {
  const cacheKey = `${env.SECRET_KEY_SECRET_ARN ?? ''}\u0000${env.DRIFT_SECRET_KEY ?? ''}`;
  let source = keySources.get(cacheKey);
  if (source === undefined) {
    source = workspaceKeySourceFromEnv(env);
    keySources.set(cacheKey, source);
  }
  return source;
}

export interface InventorySyncOverrides {
  /** Starts the compare (default: Step Functions from `STATE_MACHINE_ARN`). */
  starter?: WorkflowStarter;
}

/** The function's work with its ports built from the environment; the local stack passes its own starter. */
export async function runInventorySync(event: InventorySyncEvent, overrides: InventorySyncOverrides = {}, env: NodeJS.ProcessEnv = process.env): Promise<InventorySyncOutput> {
  const repos = createDynamoRepositories({ tables: grantedTableNames(env) });
  const keys = keySourceFromEnv(env);
  const initiator = event.initiator ?? 'system';
  let sync: InventorySyncOutput['sync'];
  try {
    const result = await syncTenantInventory(
      {
        runs: repos.runs,
        inventory: repos.inventory,
        inventoryReaderFor: registryInventoryReaders(tenantGraphClientFactoryFromEnv(tenantCredentialSourceFromEnv(env), env)),
        digesterFor: (workspaceId) => keys.digesterFor(workspaceId),
        now: () => new Date(),
      },
      { tenantId: event.tenantId, workspaceId: event.workspaceId, initiator },
    );
    sync = {
      status: 'completed',
      runId: result.runId,
      outcome: result.outcome,
      coverage: result.coverage as z.infer<typeof coverageSchema>,
      requests: result.requests,
      retries: result.retries,
    };
    logger.debug('inventory sync completed', { tenantId: event.tenantId, runId: result.runId, outcome: result.outcome });
  } catch (err) {
    if (!(err instanceof SyncAlreadyActiveError)) throw err;
    sync = { status: 'already_active', activeRunId: err.activeRunId };
  }
  if (event.thenCompare === undefined) return { sync };

  let duplicateName = false;
  const base = overrides.starter ?? stepFunctionsStarterFromEnv(env);
  const starter: WorkflowStarter = {
    start: (input, name) =>
      base.start(input, name).catch((err: unknown) => {
        duplicateName = err instanceof Error && err.name === 'ExecutionAlreadyExists';
        throw err;
      }),
  };
  try {
    const started = await startCompare(
      { runs: repos.runs, profiles: repos.profiles, starter, now: () => new Date() },
      {
        tenantId: event.tenantId,
        profileId: event.thenCompare.profileId,
        initiator,
        executionName: event.thenCompare.executionName,
        // The compare reads this sync's inventory, not the one the eventually consistent index still shows.
        ...(sync.status === 'completed' ? { afterInventorySyncRunId: sync.runId } : {}),
      },
    );
    return {
      sync,
      compare: started.started ? { status: 'started', runId: started.runId } : { status: 'already_active', runId: started.activeRunId },
    };
  } catch (err) {
    // Not rethrown: a retry of this invocation would sync again for a compare that cannot start.
    if (err instanceof DispatchFailedError && duplicateName) return { sync, compare: { status: 'already_started' } };
    const error = err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : 'error';
    logger.error('the compare after the sync could not be started', { tenantId: event.tenantId, error });
    return { sync, compare: { status: 'failed', error } };
  }
}

export const handler = taskHandler('InventorySync', inventorySyncEvent, output, (event) => runInventorySync(event));
