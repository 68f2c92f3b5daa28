/**
 * Accepted deviations through the whole BaselineCompare workflow (the synthesized ASL on DynamoDB
 * Local): an acceptance holds while the tenant keeps the accepted value, ends with
 * `accepted_value_changed` when the tenant drifts further and with `acceptance_expired` past its
 * expiry, each with one `Drift Finding Reopened` event and one audit entry, also when every
 * UpsertFindings is retried after it applied its observations.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocalStack, type HandlerWrapper } from '../../infra/local/stack.js';
import { runPipeline, type PipelineReport } from '../../cli/commands/pipeline.js';
import { moveFinding } from '../../shared/usecases/findings.js';
import type { AuditEntry } from '../../shared/domain/model.js';

const FIXTURES = 'test/fixtures/exports';
const DAY_MS = 86_400_000;

describe('accepted deviations through the workflow', () => {
  let report: PipelineReport;
  let events: { 'detail-type': string; detail: Record<string, unknown> }[] = [];
  let audit: AuditEntry[] = [];
  const retried = new Set<string>();
  let session: Parameters<NonNullable<Parameters<typeof runPipeline>[0]['beforeRound']>>[1] | undefined;

  beforeAll(async () => {
    // Every UpsertFindings fails once after applying its observations: the retry must change nothing.
    const wrap: HandlerWrapper = (name, handler) => async (event) => {
      const result = await handler(event);
      const e = event as { runId?: string; policyType?: string };
      const key = `${e.runId}|${e.policyType}`;
      if (name === 'UpsertFindings' && e.policyType !== undefined && !retried.has(key)) {
        retried.add(key);
        throw Object.assign(new Error('simulated timeout after applying'), { name: 'TransientError' });
      }
      return result;
    };
    const stack = await startLocalStack({ endpoint: inject('dynamoEndpoint'), prefix: `a${randomUUID().slice(0, 8)}-`, retryIntervalOverrides: 0, wrapHandler: wrap });
    try {
      report = await runPipeline(
        {
          baseline: `${FIXTURES}/baseline`,
          current: [`${FIXTURES}/drifted`, `${FIXTURES}/drifted`, `${FIXTURES}/drifted-further`],
          secretKey: 'acceptance-pipeline-secret-0123456789',
          async beforeRound(round, given) {
            session = given;
            const { repos, tenantId, workspaceId } = given;
            if (round !== 2) return;
            const findings = (await repos.findings.list(tenantId, { limit: 50 })).items;
            const ctx = { workspaceId, actor: 'oscar@example.test', correlationId: 'corr-accept' };
            const defender = findings.find((f) => f.changeType === 'different_version')!;
            await moveFinding({ findings: repos.findings, audit: repos.audit, now: () => new Date() }, ctx, {
              tenantId,
              fingerprint: defender.fingerprint,
              to: 'risk_accepted',
              reason: 'Behaviour monitoring off on kiosks by design',
              expiresAt: new Date(Date.now() + 30 * DAY_MS).toISOString(),
            });
            // Accepted two days ago for one day: the next compare finds it expired.
            const extra = findings.find((f) => f.changeType === 'unexpected_policy')!;
            const twoDaysAgo = new Date(Date.now() - 2 * DAY_MS);
            await moveFinding({ findings: repos.findings, audit: repos.audit, now: () => twoDaysAgo }, ctx, {
              tenantId,
              fingerprint: extra.fingerprint,
              to: 'risk_accepted',
              reason: 'Pilot of an extra MFA policy',
              expiresAt: new Date(twoDaysAgo.getTime() + DAY_MS).toISOString(),
            });
          },
        },
        stack,
      );
      events = existsSync(stack.eventsFile) ? readFileSync(stack.eventsFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
      audit = (await session!.repos.audit.listByTenant(session!.tenantId, { limit: 100 })).items;
    } finally {
      await stack.stop();
    }
  }, 300_000);

  it('retried every UpsertFindings once', () => {
    expect(retried.size).toBe(9);
  });

  it('keeps an acceptance while the tenant holds the accepted value', () => {
    const second = report.rounds[1]!;
    const defender = second.findings.find((f) => f.changeType === 'different_version')!;
    expect(defender.status).toBe('risk_accepted');
    expect(defender.timesSeen).toBe(2);
  });

  it('reopens an expired acceptance with acceptance_expired', () => {
    const second = report.rounds[1]!;
    const extra = second.findings.find((f) => f.changeType === 'unexpected_policy')!;
    expect(extra.status).toBe('reopened');
    expect(extra.evidence.accepted?.expires_at).toBeTruthy();
    expect(second.run.summaryCounts.findings_reopened).toBe(1);
  });

  it('reopens with accepted_value_changed when the tenant drifts further, the evidence holding both values', () => {
    const third = report.rounds[2]!;
    const defender = third.findings.find((f) => f.changeType === 'different_version')!;
    expect(defender.status).toBe('reopened');
    expect(defender.evidence.accepted?.drifted_properties.map((p) => p.path)).toEqual([
      '/settings/device_vendor_msft_policy_config_defender_allowbehaviormonitoring/settingInstance/choiceSettingValue/value',
    ]);
    expect(defender.evidence.drifted_properties.map((p) => p.path).sort()).toEqual([
      '/settings/device_vendor_msft_policy_config_defender_allowbehaviormonitoring/settingInstance/choiceSettingValue/value',
      '/settings/device_vendor_msft_policy_config_defender_allowcloudprotection/settingInstance/choiceSettingValue/value',
    ]);
    expect(third.run.summaryCounts.findings_reopened).toBe(1);
  });

  it('sends one Drift Finding Reopened event per ended acceptance, with its reason', () => {
    const reopened = events.filter((e) => e['detail-type'] === 'Drift Finding Reopened');
    expect(reopened.map((e) => [e.detail.changeType, e.detail.reopenReason, e.detail.operationRunId])).toEqual([
      ['unexpected_policy', 'acceptance_expired', report.rounds[1]!.run.id],
      ['different_version', 'accepted_value_changed', report.rounds[2]!.run.id],
    ]);
  });

  it('audits each acceptance and each automatic reopen once (system)', () => {
    const of = (action: string) => audit.filter((e) => e.action === action);
    expect(of('finding.transitioned').map((e) => e.details.to)).toEqual(['risk_accepted', 'risk_accepted']);
    expect(of('finding.acceptance_expired').map((e) => [e.actor, e.correlationId])).toEqual([['system', report.rounds[1]!.run.id]]);
    expect(of('finding.reopened').map((e) => [e.actor, e.correlationId, e.details.reopenReason])).toEqual([['system', report.rounds[2]!.run.id, 'accepted_value_changed']]);
  });
});
