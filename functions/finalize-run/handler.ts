/** FinalizeRun: auto-resolve through the gate, summary counts, outcome, run context, events; releases the run. */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { metrics } from '../../shared/adapters/observability.js';
import { taskHandler } from '../_shared/task-handler.js';
import { compareDepsFromEnv } from '../_shared/runtime.js';
import { finalizeRun } from '../../shared/usecases/baseline-compare.js';
import { finalizeRunInput, finalizeRunOutput } from '../../shared/schemas/workflow.js';

export const handler = taskHandler('FinalizeRun', finalizeRunInput, finalizeRunOutput, async (event) => {
  const deps = compareDepsFromEnv();
  const result = await finalizeRun(deps, event, () => ({ ...deps.repos.meter.totals() }));
  if (process.env.POWERTOOLS_METRICS_DISABLED !== 'true') {
    metrics.addMetric('FindingsOpened', MetricUnit.Count, result.summaryCounts.findings_new);
    metrics.addMetric('FindingsReopened', MetricUnit.Count, result.summaryCounts.findings_reopened);
    metrics.addMetric('FindingsResolved', MetricUnit.Count, result.summaryCounts.findings_resolved);
    metrics.publishStoredMetrics();
  }
  return { ...result, summaryCounts: { ...result.summaryCounts } };
});
