/** UpsertFindings (inside the Map, after ComparePolicyType): applies the staged observations once per run. */
import { taskHandler } from '../_shared/task-handler.js';
import { compareDepsFromEnv } from '../_shared/runtime.js';
import { upsertFindingsTask } from '../../shared/usecases/baseline-compare.js';
import { upsertFindingsInput, upsertResult } from '../../shared/schemas/workflow.js';

export const handler = taskHandler('UpsertFindings', upsertFindingsInput, upsertResult, (event) =>
  upsertFindingsTask(compareDepsFromEnv(), { runId: event.runId, policyType: event.policyType }),
);
