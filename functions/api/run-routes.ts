/** Routes that start work on a tenant (inventory uploads, compares) and read its operation runs. */
import { recordAudit } from '../../shared/usecases/audit-trail.js';
import { requestCompare } from '../../shared/usecases/request-compare.js';
import * as s from '../../shared/schemas/api.js';
import { COMMON, PROBLEM, WRITE, pageBody, requireTenant, route, visibleRun, type AnyRoute } from './routes.js';
import { NotVisibleError } from '../../shared/usecases/ports/errors.js';

export const RUN_ROUTES: AnyRoute[] = [
  // --- inventory
  route({
    method: 'POST',
    path: '/tenants/{tenantId}/inventory-syncs',
    operationId: 'ingestInventoryPage',
    summary: 'Upload a tenant\'s inventory in pages of one sync run (completes on the page marked last)',
    tag: 'inventory',
    access: 'operator',
    params: s.tenantParams,
    body: s.ingestPageBody,
    responses: {
      202: { description: 'Page staged; send the next one with the runId', schema: s.ingestPageResultSchema },
      200: { description: 'Last page received: the sync is completed', schema: s.ingestPageResultSchema },
      ...WRITE,
      409: PROBLEM('Another sync of the tenant is active, the sync is completed, or the page conflicts'),
      422: PROBLEM('A Graph object cannot be read'),
    },
    async handle(req, deps) {
      requireTenant(req.caller, req.params.tenantId);
      const { tenantId } = req.params;
      if (req.body.runId !== undefined) {
        // A page of a sync started by another workspace (or of another tenant) answers like an unknown sync.
        const run = await deps.runs.get(req.body.runId);
        if (run === undefined || run.tenantId !== tenantId || run.type !== 'inventory_sync' || (run.workspaceId !== undefined && run.workspaceId !== req.caller.workspaceId)) {
          throw new NotVisibleError('inventory sync', req.body.runId);
        }
      }
      const result = await deps.ingestInventoryPage({
        tenantId,
        workspaceId: req.caller.workspaceId,
        initiator: req.caller.subject,
        ...(req.body.runId !== undefined ? { runId: req.body.runId } : {}),
        pageNumber: req.body.pageNumber,
        items: req.body.items,
        ...(req.body.coverage !== undefined ? { coverage: req.body.coverage } : {}),
        last: req.body.last,
      });
      await recordAudit(deps, req.actor, {
        action: 'inventory.ingested',
        tenantId,
        details: {
          runId: result.runId,
          pageNumber: req.body.pageNumber,
          last: req.body.last,
          items: Object.values(req.body.items).reduce((n, list) => n + (list?.length ?? 0), 0),
          status: result.status,
          ...(result.outcome !== undefined ? { outcome: result.outcome } : {}),
        },
      });
      return { status: result.status === 'completed' ? 200 : 202, body: result };
    },
  }),

  // --- compares and runs
  route({
    method: 'POST',
    path: '/tenants/{tenantId}/baseline-compares',
    operationId: 'startCompare',
    summary: 'Compare the tenant with the profile\'s active snapshot (or the one named)',
    tag: 'compares',
    access: 'operator',
    params: s.tenantParams,
    body: s.startCompareBody,
    responses: {
      202: { description: 'Compare started; follow the run', schema: s.acceptedRunSchema },
      ...WRITE,
      409: PROBLEM('A compare of this tenant and profile is already active (activeRunId), or the profile is not active / the tenant not assigned'),
      503: PROBLEM('The workflow could not be started (the run is recorded failed)'),
    },
    async handle(req, deps) {
      requireTenant(req.caller, req.params.tenantId);
      const { runId } = await requestCompare({ ...deps, starter: deps.workflow }, req.actor, {
        tenantId: req.params.tenantId,
        profileId: req.body.profileId,
        ...(req.body.snapshotId !== undefined ? { snapshotId: req.body.snapshotId } : {}),
      });
      return { status: 202, body: { runId }, headers: { location: `/operation-runs/${runId}` } };
    },
  }),
  route({
    method: 'GET',
    path: '/operation-runs/{runId}',
    operationId: 'getRun',
    summary: 'Get an operation run (sync, capture or compare)',
    tag: 'runs',
    access: 'reader',
    params: s.runParams,
    responses: { 200: { description: 'The run', schema: s.runSchema }, ...COMMON },
    async handle(req, deps) {
      return { status: 200, body: visibleRun(await deps.runs.get(req.params.runId), req.caller, req.params.runId) };
    },
  }),
  route({
    method: 'GET',
    path: '/tenants/{tenantId}/operation-runs',
    operationId: 'listRuns',
    summary: 'List a tenant\'s operation runs, newest first',
    tag: 'runs',
    access: 'reader',
    params: s.tenantParams,
    query: s.listRunsQuery,
    responses: { 200: { description: 'A page of runs', schema: s.runPage }, ...COMMON },
    async handle(req, deps) {
      requireTenant(req.caller, req.params.tenantId);
      const page = await deps.runs.listByTenant(req.params.tenantId, {
        limit: req.query.limit,
        ...(req.query.cursor !== undefined ? { cursor: req.query.cursor } : {}),
        ...(req.query.type !== undefined ? { type: req.query.type } : {}),
        visibleTo: { workspaceId: req.caller.workspaceId },
      });
      return { status: 200, body: pageBody(page.items, page.cursor) };
    },
  }),
];
