/** CheckSyncCoverage: moves the run to `running`, resolves the effective scope and gates it on coverage. */
import { taskHandler } from '../_shared/task-handler.js';
import { compareDepsFromEnv } from '../_shared/runtime.js';
import { checkSyncCoverage } from '../../shared/usecases/baseline-compare.js';
import { checkSyncCoverageInput, coverageResult } from '../../shared/schemas/workflow.js';

export const handler = taskHandler('CheckSyncCoverage', checkSyncCoverageInput, coverageResult, (event) =>
  checkSyncCoverage(compareDepsFromEnv(), { runId: event.runId }),
);
