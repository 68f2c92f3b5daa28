/**
 * CaptureSnapshot: builds a complete snapshot of a profile's scope from a source tenant's inventory, as
 * its own `baseline_capture` operation run (no tenant identifiers in snapshot items).
 */
import { z } from 'zod';
import { taskHandler } from '../_shared/task-handler.js';
import { compareDepsFromEnv } from '../_shared/runtime.js';
import { captureSnapshot } from '../../shared/usecases/capture-snapshot.js';

const input = z.object({
  profileId: z.string().min(1).max(128),
  sourceTenantId: z.string().min(1).max(128),
  initiator: z.string().min(1).max(256),
  runId: z.string().min(1).max(128).optional(),
  activate: z.boolean().optional(),
});

const output = z.union([
  z.object({ status: z.enum(['captured', 'deduplicated']), snapshotId: z.string(), runId: z.string(), itemCount: z.number() }),
  z.object({ status: z.literal('already_running'), activeRunId: z.string() }),
]);

export const handler = taskHandler('CaptureSnapshot', input, output, async (event) => {
  const deps = compareDepsFromEnv();
  const result = await captureSnapshot(
    { runs: deps.runs, profiles: deps.profiles, snapshots: deps.snapshots, inventory: deps.inventory, now: deps.now },
    {
      profileId: event.profileId,
      sourceTenantId: event.sourceTenantId,
      initiator: event.initiator,
      ...(event.runId ? { runId: event.runId } : {}),
      ...(event.activate !== undefined ? { activate: event.activate } : {}),
    },
  );
  if (result.status === 'already_running') return result;
  return { status: result.status, snapshotId: result.snapshot.id, runId: result.runId, itemCount: result.snapshot.itemCount };
});
