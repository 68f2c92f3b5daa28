/**
 * Assembling the API's dependencies from repositories and transports: shared by the Lambda handler
 * (Step Functions, Lambda async invoke, Secrets Manager) and the local stack (in-process runner and
 * capture, a local master key), so both serve the same use cases.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoGateway, DynamoIngestStageRepository, type Repositories, type TableNames } from '../../shared/adapters/dynamodb/index.js';
import type { WorkspaceKeySource } from '../../shared/adapters/secrets/workspace-key.js';
import type { InventoryCoverage } from '../../shared/domain/model.js';
import { ingestInventoryPage } from '../../shared/usecases/ingest-inventory-pages.js';
import type { ApiDeps } from './routes.js';
import type { CaptureStarter, WorkflowStarter } from '../../shared/usecases/ports/workflow.js';

export interface ApiWiring {
  repos: Repositories;
  db: DynamoDBDocumentClient;
  tables: TableNames;
  workflow: WorkflowStarter;
  capture: CaptureStarter;
  keys: WorkspaceKeySource;
  now?: () => Date;
  maxBodyBytes?: number;
  maxAcceptanceDays?: number;
  onServerError?: ApiDeps['onServerError'];
}

export function wireApiDeps(w: ApiWiring): ApiDeps {
  const now = w.now ?? (() => new Date());
  const stage = new DynamoIngestStageRepository(new DynamoGateway(w.db, w.repos.meter), w.tables.operationRuns);
  return {
    profiles: w.repos.profiles,
    snapshots: w.repos.snapshots,
    runs: w.repos.runs,
    findings: w.repos.findings,
    audit: w.repos.audit,
    groupMappings: w.repos.groupMappings,
    workflow: w.workflow,
    capture: w.capture,
    ingestInventoryPage: (req) =>
      ingestInventoryPage(
        { runs: w.repos.runs, inventory: w.repos.inventory, stage, digesterFor: (workspaceId) => w.keys.digesterFor(workspaceId), now },
        {
          tenantId: req.tenantId,
          workspaceId: req.workspaceId,
          initiator: req.initiator,
          ...(req.runId !== undefined ? { runId: req.runId } : {}),
          pageNumber: req.pageNumber,
          items: req.items,
          ...(req.coverage !== undefined ? { coverage: req.coverage as InventoryCoverage } : {}),
          last: req.last,
        },
      ),
    now,
    ...(w.maxBodyBytes !== undefined ? { maxBodyBytes: w.maxBodyBytes } : {}),
    ...(w.maxAcceptanceDays !== undefined ? { maxAcceptanceDays: w.maxAcceptanceDays } : {}),
    ...(w.onServerError !== undefined ? { onServerError: w.onServerError } : {}),
  };
}
