/**
 * Ignored properties and subject links through the whole BaselineCompare workflow (the synthesized
 * ASL on DynamoDB Local, the DynamoDB repositories): a tenant's ignored path hides its drift on both
 * sides and nothing else, from the next compare on; a subject link turns the missing + unexpected
 * pair of a renamed policy into one compared subject; a link whose tenant policy is gone is a
 * `subject_link_broken` gap, never a missing finding.
 */
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocalStack } from '../../infra/local/stack.js';
import { runPipeline, type PipelineReport } from '../../cli/commands/pipeline.js';
import { updateProfile } from '../../shared/usecases/manage-profiles.js';
import { putSubjectLink } from '../../shared/usecases/subject-links.js';
import type { AuditEntry } from '../../shared/domain/model.js';

const FIXTURES = 'test/fixtures/exports';
const T = 'settingsCatalogPolicy' as const;
const BEHAVIOUR = '/settings/device_vendor_msft_policy_config_defender_allowbehaviormonitoring/settingInstance/choiceSettingValue/value';
const CLOUD = '/settings/device_vendor_msft_policy_config_defender_allowcloudprotection/settingInstance/choiceSettingValue/value';

describe('ignored properties and subject links through the workflow', () => {
  let report: PipelineReport;
  let audit: AuditEntry[] = [];
  let renamed: string;

  beforeAll(async () => {
    // Round 2's tenant renamed "Firewall Baseline" to "Contoso Firewall" (same content, another id).
    renamed = await mkdtemp(join(tmpdir(), 'drift-renamed-'));
    await cp(`${FIXTURES}/drifted`, renamed, { recursive: true });
    const firewall = JSON.parse(await readFile(`${FIXTURES}/baseline/configurationPolicies/firewall.json`, 'utf8')) as Record<string, unknown>;
    await writeFile(join(renamed, 'configurationPolicies', 'firewall.json'), JSON.stringify({ ...firewall, id: 'c7a9e2f4-5b1d-4e8a-9c3f-2d6b8a1e4f70', name: 'Contoso Firewall' }));

    const stack = await startLocalStack({ endpoint: inject('dynamoEndpoint'), prefix: `x${randomUUID().slice(0, 8)}-`, retryIntervalOverrides: 0 });
    let auditOf: (() => Promise<AuditEntry[]>) | undefined;
    try {
      report = await runPipeline(
        {
          baseline: `${FIXTURES}/baseline`,
          // 1: as drifted; 2: ignore + link applied, firewall renamed; 3: drifted further, the renamed firewall gone.
          current: [`${FIXTURES}/drifted`, renamed, `${FIXTURES}/drifted-further`],
          secretKey: 'exceptions-pipeline-secret-0123456789',
          async beforeRound(round, { repos, tenantId, profileId, workspaceId }) {
            auditOf = async () => (await repos.audit.listByTenant(tenantId, { limit: 100 })).items;
            if (round !== 2) return;
            const ctx = { workspaceId, actor: 'ada@example.test', correlationId: 'corr-exceptions' };
            const deps = { profiles: repos.profiles, audit: repos.audit, now: () => new Date() };
            // The profile ignores descriptions everywhere; this tenant also ignores its behaviour monitoring choice.
            await updateProfile(deps, ctx, profileId, { ignoredProperties: [{ policyType: T, path: '/description', reason: 'free text' }] });
            const assignment = (await repos.profiles.getAssignment(profileId, tenantId))!;
            await repos.profiles.unassign(profileId, tenantId);
            await repos.profiles.assign({ ...assignment, ignoredProperties: [{ policyType: T, path: BEHAVIOUR, reason: 'kiosks run without it' }] });
            await putSubjectLink({ ...deps, subjectLinks: repos.subjectLinks }, { ...ctx, actor: 'oscar@example.test' }, tenantId, {
              policyType: T,
              baselineSubjectKey: `${T}:Firewall Baseline`,
              tenantDisplayName: 'Contoso Firewall',
            });
          },
        },
        stack,
      );
      audit = (await auditOf?.()) ?? [];
    } finally {
      await stack.stop();
      await rm(renamed, { recursive: true, force: true });
    }
  }, 300_000);

  afterAll(async () => {
    await rm(renamed, { recursive: true, force: true });
  });

  it('round 1 (no exceptions): the setting drift, the missing firewall and the extra MFA policy', () => {
    const first = report.rounds[0]!;
    expect(first.findings.map((f) => [f.changeType, f.displayName]).sort()).toEqual([
      ['different_version', 'Defender Antivirus'],
      ['missing_policy', 'Firewall Baseline'],
      ['unexpected_policy', 'Require MFA for admins'],
    ]);
  });

  it('from the next compare on, the ignored path hides its drift and the link pairs the renamed firewall', () => {
    const second = report.rounds[1]!;
    expect(second.run.outcome).toBe('succeeded');
    const byName = new Map(second.findings.map((f) => [`${f.changeType}|${f.displayName}`, f]));
    expect(byName.get('different_version|Defender Antivirus')).toMatchObject({ status: 'resolved', resolvedReason: 'no_longer_drifting' });
    expect(byName.get('missing_policy|Firewall Baseline')).toMatchObject({ status: 'resolved' });
    expect([...byName.keys()].some((k) => k.includes('Contoso Firewall'))).toBe(false);
    expect(byName.get('unexpected_policy|Require MFA for admins')?.status).toBe('new');
    expect(second.run.summaryCounts.aligned).toBe((report.rounds[0]!.run.summaryCounts.aligned ?? 0) + 2);
    // No gap of the type (the fixtures' conditional access policies name unnamed groups: a gap of their own).
    const gapsOf = (run: typeof second.run) => ((run.context.baseline_compare as { gaps?: Record<string, unknown>[] }).gaps ?? []).filter((g) => g['policy_type'] === T);
    expect(gapsOf(second.run)).toEqual([]);
    // The run compared with the profile's list plus the tenant's own.
    const ctx = second.run.context.baseline_compare as { ignored_properties?: unknown; subject_link_types?: unknown };
    expect(ctx.ignored_properties).toEqual([
      { policy_type: T, path: '/description' },
      { policy_type: T, path: BEHAVIOUR },
    ]);
    expect(ctx.subject_link_types).toEqual([T]);
  });

  it('hides nothing else: drift on another setting is a finding, its evidence naming the ignored path that applied', () => {
    const third = report.rounds[2]!;
    const defender = third.findings.find((f) => f.changeType === 'different_version' && f.displayName === 'Defender Antivirus')!;
    expect(defender.status).toBe('reopened');
    expect(defender.evidence.drifted_properties.map((p) => p.path)).toEqual([CLOUD]);
    // Every ignored path that removed something from a side, in the order of the tenant's list.
    expect(defender.evidence.ignored_paths).toEqual(['/description', BEHAVIOUR]);
  });

  it('a link whose tenant policy no longer exists is a subject_link_broken gap, not a missing finding', () => {
    const third = report.rounds[2]!;
    const all = (third.run.context.baseline_compare as { gaps?: Record<string, unknown>[] }).gaps ?? [];
    const gaps = all.filter((g) => g['policy_type'] === T);
    expect(gaps).toEqual([
      expect.objectContaining({ reason: 'subject_link_broken', policy_type: T, subject_key: `${T}:firewall baseline`, tenant_display_name: 'Contoso Firewall' }),
    ]);
    expect(third.run.summaryCounts.gaps).toBe(all.length);
    expect(all.filter((g) => g['policy_type'] !== T).every((g) => g['reason'] === 'assignment_target_unresolved')).toBe(true);
    const missing = third.findings.find((f) => f.changeType === 'missing_policy')!;
    expect(missing.status).toBe('resolved');
    expect(missing.timesSeen).toBe(1);
  });

  it('audits the link', () => {
    const link = audit.find((e) => e.action === 'subject_link.created');
    expect(link).toMatchObject({ actor: 'oscar@example.test', correlationId: 'corr-exceptions', details: { baselineSubjectKey: `${T}:firewall baseline`, tenantDisplayName: 'Contoso Firewall' } });
  });
});

describe('drift pipeline --links and --ignore', () => {
  it('stores the links as the tenant\'s and the ignored properties as the profile\'s before the first compare', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'drift-pipeline-exceptions-'));
    try {
      await cp(`${FIXTURES}/drifted`, join(dir, 'current'), { recursive: true });
      const firewall = JSON.parse(await readFile(`${FIXTURES}/baseline/configurationPolicies/firewall.json`, 'utf8')) as Record<string, unknown>;
      await writeFile(join(dir, 'current', 'configurationPolicies', 'firewall.json'), JSON.stringify({ ...firewall, id: 'c7a9e2f4-5b1d-4e8a-9c3f-2d6b8a1e4f71', name: 'Contoso Firewall' }));
      await writeFile(join(dir, 'links.json'), JSON.stringify([{ policyType: T, baselineSubjectKey: `${T}:Firewall Baseline`, tenantDisplayName: 'Contoso Firewall' }]));
      await writeFile(join(dir, 'ignore.json'), JSON.stringify([{ policyType: T, path: BEHAVIOUR, reason: 'kiosks run without it' }]));
      const stack = await startLocalStack({ endpoint: inject('dynamoEndpoint'), prefix: `y${randomUUID().slice(0, 8)}-`, retryIntervalOverrides: 0 });
      try {
        const report = await runPipeline(
          { baseline: `${FIXTURES}/baseline`, current: [join(dir, 'current')], links: join(dir, 'links.json'), ignore: join(dir, 'ignore.json'), secretKey: 'exceptions-pipeline-secret-0123456789' },
          stack,
        );
        expect(report.rounds[0]!.findings.map((f) => [f.changeType, f.displayName])).toEqual([['unexpected_policy', 'Require MFA for admins']]);
      } finally {
        await stack.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
