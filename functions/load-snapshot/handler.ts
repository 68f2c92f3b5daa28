/** LoadSnapshot: the profile's complete snapshot (ids and counts for the Map, never content). */
import { taskHandler } from '../_shared/task-handler.js';
import { compareDepsFromEnv } from '../_shared/runtime.js';
import { loadSnapshot } from '../../shared/usecases/baseline-compare.js';
import { loadSnapshotInput, snapshotResult } from '../../shared/schemas/workflow.js';

export const handler = taskHandler('LoadSnapshot', loadSnapshotInput, snapshotResult, (event) =>
  loadSnapshot(compareDepsFromEnv(), { runId: event.runId, coverage: event.coverage }),
);
