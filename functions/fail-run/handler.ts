/** FailRun (the workflow's Catch): completes the run it was given as `failed` with a failure summary. */
import { taskHandler } from '../_shared/task-handler.js';
import { compareDepsFromEnv } from '../_shared/runtime.js';
import { failRun } from '../../shared/usecases/baseline-compare.js';
import { failRunInput, failRunOutput } from '../../shared/schemas/workflow.js';

export const handler = taskHandler('FailRun', failRunInput, failRunOutput, (event) =>
  failRun(compareDepsFromEnv(), { runId: event.runId, ...(event.error ? { error: event.error } : {}) }),
);
