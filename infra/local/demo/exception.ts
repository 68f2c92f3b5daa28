/**
 * The demo's accepted deviation: after the first compare round, an operator accepts Fabrikam's raised
 * update deferral (for 90 days); Fabrikam's team then raises it further, and the next compare of
 * Fabrikam reopens the finding with `accepted_value_changed`, sending a `Drift Finding Reopened`
 * event and auditing the reopen as `system`. What `npm start` shows of "accepted deviations stay
 * watched".
 */
import type { Repositories } from '../../../shared/adapters/dynamodb/index.js';
import type { SecretDigester } from '../../../shared/domain/secrets.js';
import { moveFinding } from '../../../shared/usecases/findings.js';
import { startCompare } from '../../../shared/usecases/start-compare.js';
import type { WorkflowStarter } from '../../../shared/usecases/ports/workflow.js';
import type { WorkflowRunResult } from '../workflow-runner.js';
import { DEMO_PROFILE_ID, DEMO_WORKSPACE_ID, FABRIKAM_TENANT_ID, fabrikamDeferralRaisedFurther } from './data.js';
import { syncDemoInventory } from './seed.js';

/** Who accepts the deviation in the demo (the subject of the operator token the summary prints). */
export const DEMO_OPERATOR = 'demo-operator';
const ACCEPTANCE_DAYS = 90;

export interface DemoAcceptance {
  tenant: string;
  policy: string;
  fingerprint: string;
  acceptedBy: string;
  expiresAt: string | null;
  /** The finding after the next compare: `reopened` with `accepted_value_changed`. */
  status: string;
  reopenReason: string | null;
  compareRunId: string;
}

export class DemoAcceptanceError extends Error {
  override readonly name = 'DemoAcceptanceError';
}

export async function runDemoAcceptance(deps: {
  repos: Pick<Repositories, 'profiles' | 'runs' | 'inventory' | 'snapshots' | 'findings' | 'audit'>;
  digesterFor: (workspaceId: string) => Promise<SecretDigester>;
  starter: WorkflowStarter & { wait(runId: string): Promise<WorkflowRunResult> };
  now: () => Date;
}): Promise<DemoAcceptance> {
  const { repos } = deps;
  const findings = (await repos.findings.list(FABRIKAM_TENANT_ID, { limit: 100, policyType: 'windowsUpdateRing' })).items;
  const deferral = findings.find((f) => f.changeType === 'different_version');
  if (deferral === undefined) throw new DemoAcceptanceError("Fabrikam's update ring finding is missing: the first compare round did not find it");
  await moveFinding(
    { findings: repos.findings, audit: repos.audit, now: deps.now },
    { workspaceId: DEMO_WORKSPACE_ID, actor: DEMO_OPERATOR, correlationId: 'demo-acceptance' },
    {
      tenantId: FABRIKAM_TENANT_ID,
      fingerprint: deferral.fingerprint,
      to: 'risk_accepted',
      reason: "Fabrikam's change board runs quality updates 21 days behind the broad ring",
      expiresAt: new Date(deps.now().getTime() + ACCEPTANCE_DAYS * 86_400_000).toISOString(),
    },
  );

  const further = fabrikamDeferralRaisedFurther();
  await syncDemoInventory({ ...deps, actor: 'demo-seed' }, further.tenantId, further.inventory, further.failedTypes);
  const started = await startCompare(
    { runs: repos.runs, profiles: repos.profiles, starter: deps.starter, now: deps.now },
    { tenantId: FABRIKAM_TENANT_ID, profileId: DEMO_PROFILE_ID, initiator: DEMO_OPERATOR },
  );
  if (!started.started) throw new DemoAcceptanceError(`a compare of Fabrikam is already active (run ${started.activeRunId})`);
  await deps.starter.wait(started.runId);
  const after = await repos.findings.get(FABRIKAM_TENANT_ID, deferral.fingerprint);
  return {
    tenant: further.name,
    policy: deferral.displayName,
    fingerprint: deferral.fingerprint,
    acceptedBy: after?.acceptedBy ?? DEMO_OPERATOR,
    expiresAt: after?.expiresAt ?? null,
    status: after?.status ?? 'missing',
    reopenReason: after?.reopenReason ?? null,
    compareRunId: started.runId,
  };
}
