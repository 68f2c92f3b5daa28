/**
 * A compare started right after a sync reads that sync's inventory, never the one before, although
 * the index of completed runs and the inventory listings are read eventually consistent (half the read
 * units). The lagging replica answers every such read as it was first answered, the worst a replica
 * may lag: a second round (sync of the fixed exports, then compare) must still end exactly as it does
 * on a consistent table.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { runPipeline, type PipelineReport } from '../../cli/commands/pipeline.js';
import { startLocalStack } from '../../infra/local/stack.js';
import { getDocumentClient } from '../../shared/adapters/dynamodb/client.js';
import { installLaggingReplica } from '../support/faults/lagging-replica.js';

const FIXTURES = 'test/fixtures/exports';
const SECRET_KEY = 'compare-after-sync-secret-key-0123';

async function twoRounds(lagging: boolean): Promise<{ report: PipelineReport; staleAnswers: number }> {
  const stack = await startLocalStack({ endpoint: inject('dynamoEndpoint'), prefix: `l${randomUUID().slice(0, 8)}-`, retryIntervalOverrides: 0 });
  const replica = lagging ? installLaggingReplica(getDocumentClient(), [stack.tables.inventory, stack.tables.operationRuns]) : undefined;
  try {
    const report = await runPipeline(
      { baseline: `${FIXTURES}/baseline`, current: [`${FIXTURES}/drifted`, `${FIXTURES}/fixed`], secretKey: SECRET_KEY },
      stack,
    );
    return { report, staleAnswers: replica?.staleAnswers() ?? 0 };
  } finally {
    replica?.uninstall();
    await stack.stop();
  }
}

const summary = (r: PipelineReport) =>
  r.rounds.map((x) => ({
    outcome: x.run.outcome,
    inventorySyncRunId: typeof (x.run.context.baseline_compare as { inventory_sync_run_id?: unknown }).inventory_sync_run_id,
    counts: x.run.summaryCounts,
    findings: x.findings.map((f) => [f.subjectKey, f.changeType, f.status, f.timesSeen]).sort(),
  }));

describe('a compare right after a sync', () => {
  it('reads that sync\'s inventory even while eventually consistent reads still show the one before', async () => {
    const consistent = await twoRounds(false);
    const lagging = await twoRounds(true);
    // The replica did answer stale: the second round's listings and the completed-runs index.
    expect(lagging.staleAnswers).toBeGreaterThan(0);
    expect(summary(lagging.report)).toEqual(summary(consistent.report));
    // Each round compared the sync that ran just before it.
    const syncOf = (r: PipelineReport) => r.rounds.map((x) => (x.run.context.baseline_compare as { inventory_sync_run_id: string }).inventory_sync_run_id);
    const [first, second] = syncOf(lagging.report);
    expect(second).not.toBe(first);
    // The fixed exports resolve what the drifted ones opened (the drift is gone in round 2).
    expect(consistent.report.rounds[1]!.findings.some((f) => f.status === 'resolved')).toBe(true);
  }, 300_000);
});
