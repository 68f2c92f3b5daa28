/**
 * `drift pipeline --baseline <dir> --current <dir> [--current <dir> ...]`: the whole product on the
 * local stack. The baseline export becomes a golden tenant's inventory, a snapshot is captured for an
 * active profile whose scope lists every type present, one tenant is assigned, and each `--current`
 * export is ingested as that tenant's inventory (with `--failed-types` recorded as failed in coverage;
 * with `--no-sync` no sync run exists) followed by one compare through the synthesized workflow.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { loadExport, type ExportFormat } from '../../shared/adapters/filesystem/export-reader.js';
import { createDynamoRepositories, type Repositories } from '../../shared/adapters/dynamodb/index.js';
import type { BaselineProfile, Finding, FoundationTypeKey, OperationRun, PolicyTypeKey, RegistryTypeKey } from '../../shared/domain/model.js';
import { isFoundationType, isRegistryTypeKey } from '../../shared/domain/registry.js';
import { createSecretDigester, type SecretDigester } from '../../shared/domain/secrets.js';
import { DEFAULT_SEVERITY_MAPPING } from '../../shared/domain/severity.js';
import { captureSnapshot } from '../../shared/usecases/capture-snapshot.js';
import { ingestInventory, type CollectedType } from '../../shared/usecases/ingest-inventory.js';
import { startCompare } from '../../shared/usecases/start-compare.js';
import { startLocalStack, type LocalStack } from '../../infra/local/stack.js';
import { readGroupMap, readIgnoredProperties, readSubjectLinks } from './compare.js';
import { renderTable, UsageError, type Progress } from '../../infra/local/terminal.js';
import { collectPages } from '../../shared/usecases/paging.js';

export interface PipelineOptions {
  baseline: string;
  current: string[];
  /** Layout of the exports (default: detected per folder). */
  formatIn?: ExportFormat | 'auto';
  failedTypes?: string[];
  noSync?: boolean;
  secretKey?: string;
  /** A `--group-map` file: stored as the tenant's group mappings before the first compare. */
  groupMap?: string;
  /** A `--links` file: stored as the tenant's subject links before the first compare. */
  links?: string;
  /** An `--ignore` file: the profile's ignored properties. */
  ignore?: string;
  progress?: Progress;
  /** Called before each round after the first (a person's moves between compares, in tests). */
  beforeRound?: (round: number, session: { repos: Repositories; tenantId: string; profileId: string; workspaceId: string }) => Promise<void>;
}

export interface PipelineRound {
  run: { id: string; status: string; outcome: string; summaryCounts: Record<string, number>; failureSummary: unknown[]; context: Record<string, unknown> };
  findings: Pick<
    Finding,
    'fingerprint' | 'changeType' | 'policyType' | 'subjectKey' | 'displayName' | 'status' | 'severity' | 'timesSeen' | 'firstSeenAt' | 'lastSeenAt' | 'resolvedReason' | 'evidence'
  >[];
}

export interface PipelineReport {
  rounds: PipelineRound[];
}

type Export = Map<RegistryTypeKey, Record<string, unknown>[]>;

async function readExport(dir: string, label: string, format: ExportFormat | 'auto'): Promise<Export> {
  const loaded = await loadExport(dir, format).catch((err: unknown) => {
    throw new UsageError(`cannot read the ${label} inventory: ${err instanceof Error ? err.message : String(err)}`);
  });
  const out: Export = new Map();
  for (const item of loaded) out.set(item.policyType, [...(out.get(item.policyType) ?? []), item.object]);
  return out;
}

/** Objects pushed as an inventory sync: every type of the export, plus the types in scope it lacks (empty). */
function collected(exp: Export, scope: RegistryTypeKey[], failed: Set<string>): Partial<Record<RegistryTypeKey, CollectedType>> {
  const out: Partial<Record<RegistryTypeKey, CollectedType>> = {};
  for (const t of new Set<RegistryTypeKey>([...scope, ...exp.keys()])) {
    out[t] = failed.has(t) ? { status: 'failed', error: 'collection failed (simulated with --failed-types)' } : { status: 'succeeded', objects: exp.get(t) ?? [] };
  }
  return out;
}

async function allFindings(repos: Repositories, tenantId: string): Promise<Finding[]> {
  const out = await collectPages((page) => repos.findings.list(tenantId, page), 200);
  return out.sort((a, b) => (a.policyType + a.subjectKey + a.changeType < b.policyType + b.subjectKey + b.changeType ? -1 : 1));
}

function roundOf(run: OperationRun, findings: Finding[]): PipelineRound {
  return {
    run: { id: run.id, status: run.status, outcome: run.outcome, summaryCounts: run.summaryCounts, failureSummary: run.failureSummary, context: run.context },
    findings: findings.map((f) => ({
      fingerprint: f.fingerprint,
      changeType: f.changeType,
      policyType: f.policyType,
      subjectKey: f.subjectKey,
      displayName: f.displayName,
      status: f.status,
      severity: f.severity,
      timesSeen: f.timesSeen,
      firstSeenAt: f.firstSeenAt,
      lastSeenAt: f.lastSeenAt,
      ...(f.resolvedReason ? { resolvedReason: f.resolvedReason } : {}),
      evidence: f.evidence,
    })),
  };
}

export interface PipelineSession {
  stack: LocalStack;
  repos: Repositories;
  digester: SecretDigester;
}

/** Runs the pipeline on a local stack (started here unless one is given). */
export async function runPipeline(options: PipelineOptions, given?: LocalStack): Promise<PipelineReport> {
  const failed = new Set(options.failedTypes ?? []);
  const unknown = [...failed].filter((t) => !isRegistryTypeKey(t));
  if (unknown.length > 0) throw new UsageError(`unknown policy type(s) in --failed-types: ${unknown.join(', ')}`);
  if (options.current.length === 0) throw new UsageError('give at least one --current <dir>');

  const groupMappings = options.groupMap !== undefined ? await readGroupMap(options.groupMap) : [];
  const links = options.links !== undefined ? await readSubjectLinks(options.links) : [];
  const ignoredProperties = options.ignore !== undefined ? await readIgnoredProperties(options.ignore) : [];
  const digester = createSecretDigester(options.secretKey ?? randomBytes(32));
  options.progress?.update('reading exports…');
  const format = options.formatIn ?? 'auto';
  const baseline = await readExport(options.baseline, 'baseline', format);
  const currents: Export[] = [];
  for (const dir of options.current) currents.push(await readExport(dir, `current (${dir})`, format));

  options.progress?.update('starting the local stack (DynamoDB Local)…');
  const stack = given ?? (await startLocalStack());
  try {
    const repos = createDynamoRepositories();
    const now = () => new Date();
    const workspaceId = 'ws-local';
    const goldenTenant = `golden-${randomUUID()}`;
    const tenantId = `tenant-${randomUUID()}`;
    const types = [...baseline.keys()];
    const scope = {
      policy_types: types.filter((t): t is PolicyTypeKey => !isFoundationType(t)),
      foundation_types: types.filter((t): t is FoundationTypeKey => isFoundationType(t)),
    };
    const profile: BaselineProfile = {
      id: `profile-${randomUUID()}`,
      workspaceId,
      name: 'Local baseline',
      status: 'active',
      scope,
      severityMapping: { ...DEFAULT_SEVERITY_MAPPING },
      alertMinSeverity: 'high',
      autoResolve: true,
      ...(ignoredProperties.length > 0 ? { ignoredProperties } : {}),
      createdBy: 'cli',
      createdAt: now().toISOString(),
      updatedAt: now().toISOString(),
    };
    await repos.profiles.create(profile);

    options.progress?.update('capturing the baseline snapshot…');
    const ingestDeps = { runs: repos.runs, inventory: repos.inventory, digester, now };
    const golden = await ingestInventory(ingestDeps, { tenantId: goldenTenant, workspaceId, initiator: 'cli', types: collected(baseline, types, new Set()) });
    if (golden.status !== 'completed') throw new Error('the golden tenant sync did not complete');
    const capture = await captureSnapshot(
      { runs: repos.runs, profiles: repos.profiles, snapshots: repos.snapshots, inventory: repos.inventory, now },
      { profileId: profile.id, sourceTenantId: goldenTenant, initiator: 'cli' },
    );
    if (capture.status === 'already_running') throw new Error('a capture is already running for this profile');
    await repos.profiles.assign({ profileId: profile.id, tenantId, workspaceId, assignedAt: now().toISOString(), assignedBy: 'cli' });
    if (groupMappings.length > 0) {
      await repos.groupMappings.put({
        tenantId,
        workspaceId,
        mappings: groupMappings.map((m) => ({ baselineGroup: m.baselineGroup, tenantGroupId: m.tenantGroup })),
        updatedAt: now().toISOString(),
        updatedBy: 'cli',
      });
    }

    if (links.length > 0) {
      const at = now().toISOString();
      await repos.subjectLinks.put({ tenantId, workspaceId, links: links.map((l) => ({ ...l, createdAt: at })), updatedAt: at, updatedBy: 'cli', revision: 1 }, null);
    }

    const rounds: PipelineRound[] = [];
    const scopeTypes = [...scope.policy_types, ...scope.foundation_types];
    for (const [i, current] of currents.entries()) {
      if (i > 0 && options.beforeRound) await options.beforeRound(i + 1, { repos, tenantId, profileId: profile.id, workspaceId });
      options.progress?.update(`round ${i + 1}/${currents.length}: syncing and comparing…`);
      let afterInventorySyncRunId: string | undefined;
      if (!options.noSync) {
        const sync = await ingestInventory(ingestDeps, { tenantId, workspaceId, initiator: 'cli', types: collected(current, scopeTypes, failed) });
        if (sync.status !== 'completed') throw new Error('the tenant sync did not complete');
        afterInventorySyncRunId = sync.runId;
      }
      const started = await startCompare(
        { runs: repos.runs, profiles: repos.profiles, starter: stack.starter, now },
        { tenantId, profileId: profile.id, initiator: 'cli', ...(afterInventorySyncRunId !== undefined ? { afterInventorySyncRunId } : {}) },
      );
      if (!started.started) throw new Error(`a compare is already active for this tenant (run ${started.activeRunId})`);
      const execution = await stack.starter.wait(started.runId);
      const run = await repos.runs.get(started.runId);
      if (run === undefined) throw new Error(`run ${started.runId} vanished`);
      if (execution.status !== 'SUCCEEDED' && run.status !== 'completed') {
        throw new Error(`the compare execution ended ${execution.status}: ${execution.error?.Cause ?? 'no cause'}`);
      }
      rounds.push(roundOf(run, await allFindings(repos, tenantId)));
    }
    options.progress?.done();
    return { rounds };
  } finally {
    if (given === undefined) await stack.stop();
  }
}

export function renderPipelineTable(report: PipelineReport): string {
  const lines: string[] = [];
  lines.push(
    renderTable(
      ['round', 'outcome', 'types', 'compared', 'uncovered', 'new', 'seen', 'reopened', 'resolved', 'open findings'],
      report.rounds.map((r, i) => {
        const c = r.run.summaryCounts;
        const open = r.findings.filter((f) => ['new', 'triaged', 'in_progress', 'reopened'].includes(f.status)).length;
        return [i + 1, r.run.outcome, c.total ?? 0, c.processed ?? 0, c.errors_recorded ?? 0, c.findings_new ?? 0, c.findings_seen ?? 0, c.findings_reopened ?? 0, c.findings_resolved ?? 0, open];
      }),
    ),
  );
  const last = report.rounds.at(-1);
  if (last && last.findings.length > 0) {
    lines.push(`Findings after the last round`);
    lines.push(
      renderTable(
        ['status', 'change', 'severity', 'policy type', 'policy', 'seen'],
        last.findings.map((f) => [f.status, f.changeType, f.severity, f.policyType, f.displayName, f.timesSeen]),
      ),
    );
  }
  return lines.join('\n');
}
