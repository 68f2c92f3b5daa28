/**
 * Assembling the API's dependencies from repositories and transports: shared by the Lambda handler
 * (Step Functions, Lambda async invoke, Secrets Manager) and the local stack (in-process runner and
 * capture, a local master key), so both serve the same use cases.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoGateway, DynamoIngestStageRepository, type Repositories, type TableNames } from '../../shared/adapters/dynamodb/index.js';
import type { WorkspaceKeySource } from '../../shared/adapters/secrets/workspace-key.js';
import { resolveHostAddresses, webhookUrlPolicyFromEnv } from '../../shared/adapters/http/webhook-transport.js';
import { webhookSecretsFromEnv } from '../../shared/adapters/secrets/webhook-secrets.js';
import type { WebhookUrlPolicy } from '../../shared/domain/webhooks.js';
import type { HostResolver, WebhookSecrets } from '../../shared/usecases/ports/webhooks.js';
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
  /** Default: the stage's, from the environment (`WEBHOOK_KEY_SECRET_ARN` or `DRIFT_WEBHOOK_KEY`). */
  webhookSecrets?: WebhookSecrets;
  /** Default: `webhookUrlPolicyFromEnv()` (loopback receivers only where `WEBHOOK_ALLOW_LOOPBACK=true`). */
  webhookUrlPolicy?: WebhookUrlPolicy;
  resolveHost?: HostResolver;
  now?: () => Date;
  maxBodyBytes?: number;
  maxAcceptanceDays?: number;
  onServerError?: ApiDeps['onServerError'];
}

export function wireApiDeps(w: ApiWiring): ApiDeps {
  const now = w.now ?? (() => new Date());
  const stage = new DynamoIngestStageRepository(new DynamoGateway(w.db, w.repos.meter), w.tables.operationRuns);
  return {
    tenants: w.repos.tenants,
    webhooks: w.repos.webhooks,
    webhookSecrets: w.webhookSecrets ?? webhookSecretsFromEnv(process.env),
    resolveHost: w.resolveHost ?? resolveHostAddresses,
    webhookUrlPolicy: w.webhookUrlPolicy ?? webhookUrlPolicyFromEnv(process.env),
    profiles: w.repos.profiles,
    snapshots: w.repos.snapshots,
    runs: w.repos.runs,
    findings: w.repos.findings,
    compareStage: w.repos.compareStage,
    fleet: w.repos.fleet,
    audit: w.repos.audit,
    groupMappings: w.repos.groupMappings,
    subjectLinks: w.repos.subjectLinks,
    workflow: w.workflow,
    capture: w.capture,
    ingestInventoryPage: (req) =>
      ingestInventoryPage({ runs: w.repos.runs, inventory: w.repos.inventory, stage, digesterFor: (workspaceId) => w.keys.digesterFor(workspaceId), now }, req),
    now,
    ...(w.maxBodyBytes !== undefined ? { maxBodyBytes: w.maxBodyBytes } : {}),
    ...(w.maxAcceptanceDays !== undefined ? { maxAcceptanceDays: w.maxAcceptanceDays } : {}),
    ...(w.onServerError !== undefined ? { onServerError: w.onServerError } : {}),
  };
}

