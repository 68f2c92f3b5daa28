/** ComparePolicyType (inside the Map): compares one policy type and stages its observations. */
import { taskHandler } from '../_shared/task-handler.js';
import { compareDepsFromEnv } from '../_shared/runtime.js';
import { comparePolicyTypeTask } from '../../shared/usecases/baseline-compare.js';
import { comparePolicyTypeInput, typeCompareResult } from '../../shared/schemas/workflow.js';

export const handler = taskHandler('ComparePolicyType', comparePolicyTypeInput, typeCompareResult, (event) =>
  comparePolicyTypeTask(compareDepsFromEnv(), { runId: event.runId, snapshotId: event.snapshotId, policyType: event.policyType }),
);
