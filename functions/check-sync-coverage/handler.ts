/** CheckSyncCoverage: moves the run to `running`, resolves the effective scope and gates it on coverage. */
import { taskHandler } from '../../shared/adapters/lambda/task-handler.js';
import { compareDepsFromEnv } from '../../shared/adapters/runtime.js';
import { checkSyncCoverage } from '../../shared/usecases/baseline-compare.js';
import { checkSyncCoverageInput, coverageResult } from '../../shared/schemas/workflow.js';

export const handler = taskHandler('CheckSyncCoverage', checkSyncCoverageInput, coverageResult, (event) =>
  checkSyncCoverage(compareDepsFromEnv(), { runId: event.runId }),
);
