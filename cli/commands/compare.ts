/**
 * `drift compare --baseline <dir> --current <dir>`: the compare of two exported inventories, offline,
 * through the same domain functions and the same per-type use case the pipeline runs. Every type is
 * treated as covered.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { filterNamesOf, groupMappingsFromRecord, type GroupMapping } from '../../shared/domain/assignments.js';
import { loadExport, type ExportFormat } from '../../shared/adapters/filesystem/export-reader.js';
import type { CompareGap, NormalizedSubject, RegistryTypeKey, Severity } from '../../shared/domain/model.js';
import { CHANGE_TYPES, SEVERITIES } from '../../shared/domain/model.js';
import { isRegistryTypeKey, ALL_POLICY_TYPES, ALL_FOUNDATION_TYPES } from '../../shared/domain/registry.js';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import { buildSubject } from '../../shared/domain/subject.js';
import { severityFor } from '../../shared/domain/severity.js';
import { summarizeCompare } from '../../shared/domain/outcome.js';
import type { CompareSummaryCounts, DriftedProperty } from '../../shared/domain/model.js';
import type { CompareTypeResult } from '../../shared/domain/compare.js';
import type { DriftResult } from '../../shared/domain/drift.js';
import { comparePolicyType, comparedHash, currentId, type SubjectContent } from '../../shared/usecases/compare-policy-type.js';
import { renderTable, UsageError, type OutputFormat, type Progress } from '../../infra/local/terminal.js';
import { z } from 'zod';
import type { IgnoredProperty, SubjectLink } from '../../shared/domain/model.js';
import { ignoredPathsFor, validateIgnoredProperties } from '../../shared/domain/ignored-properties.js';
import { normalizeSubjectLink, subjectLinkIdOf } from '../../shared/domain/subject-links.js';
import { ignoredPropertySchema, subjectLinkBody } from '../../shared/schemas/api.js';

export interface CompareCommandOptions {
  baseline: string;
  current: string;
  types?: string[];
  /** Layout of both exports: `graph`, `intunecd`, `intunemanagement` (default: detected per folder). */
  formatIn?: ExportFormat | 'auto';
  /** Key of the secret digests; a random one per run when absent (both sides use the same). */
  secretKey?: string;
  /** A `--group-map` file: `{ "<baseline group name or id>": "<tenant group name or id>" }`. */
  groupMap?: string;
  /** A `--links` file: `[{ "policyType", "baselineSubjectKey", "tenantDisplayName" }]` (the API's subject links). */
  links?: string;
  /** An `--ignore` file: `[{ "policyType", "path", "reason" }]` (a profile's ignored properties). */
  ignore?: string;
  progress?: Progress;
  /** Called with each compared type: its baseline subjects and the compare's result (the evidence export). */
  collect?: (compared: { policyType: RegistryTypeKey; baseline: readonly NormalizedSubject[]; result: CompareTypeResult; drifted: ReadonlyMap<string, DriftResult> }) => void;
}

export interface CompareFindingOutput {
  changeType: string;
  policyType: string;
  subjectKey: string;
  displayName: string;
  severity: Severity;
  baselineHash: string | null;
  currentHash: string | null;
  driftedProperties: DriftedProperty[];
  truncated: boolean;
  /** `different_version`: which dimensions drifted (settings, assignments). */
  dimensions?: string[];
  /** `assignments` when a side's assignments were not collected. */
  notCompared?: string[];
  /** Ignored paths that removed something from a side. */
  ignoredPaths?: string[];
  /** The tenant's own subject key, when a subject link paired it with this baseline subject. */
  linkedFrom?: string;
}

export interface CompareGapOutput {
  reason: CompareGap['reason'];
  policyType: string;
  subjectKey: string;
  displayName: string;
  baselineCount: number;
  currentCount: number;
  /** `content_incomplete`: the side that lacked its content, and what it lacked. */
  incompleteSide?: CompareGap['incompleteSide'];
  missing?: string[];
  unresolved?: string[];
  /** `subject_link_broken`: the link and the tenant policy name it waits for. */
  link?: CompareGap['link'];
}

export interface CompareReport {
  summary: CompareSummaryCounts & { types: number; findings: number };
  findings: CompareFindingOutput[];
  gaps: CompareGapOutput[];
}

type Side = Map<RegistryTypeKey, NormalizedSubject[]>;

async function loadSide(dir: string, label: string, digest: ReturnType<typeof createSecretDigester>, format: ExportFormat | 'auto'): Promise<Side> {
  const loaded = await loadExport(dir, format).catch((err: unknown) => {
    throw new UsageError(`cannot read the ${label} inventory: ${err instanceof Error ? err.message : String(err)}`);
  });
  const side: Side = new Map();
  // Filter names come from the same tenant's assignment filters (an export of that folder).
  const names = { filters: filterNamesOf(loaded.filter((i) => i.policyType === 'assignmentFilter').map((i) => i.object)) };
  for (const item of loaded) {
    let subject: NormalizedSubject;
    try {
      subject = buildSubject(item.policyType, item.object, digest, names);
    } catch (err) {
      throw new UsageError(`${item.file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const list = side.get(item.policyType) ?? [];
    list.push(subject);
    side.set(item.policyType, list);
  }
  return side;
}

function contentLoader(subjects: readonly NormalizedSubject[], idOf: (s: NormalizedSubject) => string) {
  const byId = new Map<string, SubjectContent>();
  for (const s of subjects) {
    byId.set(idOf(s), {
      meta: s.meta,
      ...(s.content ? { content: s.content } : {}),
      ...(s.surface ? { surface: s.surface } : {}),
      ...(s.assignments ? { assignments: s.assignments } : {}),
      ...(s.policyGroups ? { policyGroups: s.policyGroups } : {}),
    });
  }
  return (ids: readonly string[]) => {
    const out = new Map<string, SubjectContent>();
    for (const id of ids) {
      const c = byId.get(id);
      if (c) out.set(id, c);
    }
    return Promise.resolve(out);
  };
}

/** Reads a JSON file of a CLI option; a clear error names the file and what is wrong. */
async function readJsonOption<T>(file: string, what: string, parse: (value: unknown) => T): Promise<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (err) {
    throw new UsageError(`cannot read the ${what} ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return parse(parsed);
  } catch (err) {
    const message = err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ') : err instanceof Error ? err.message : String(err);
    throw new UsageError(`${file}: ${message}`);
  }
}

/** A list, or an object holding it under `key` (the API's body shape). */
function listOf<T extends z.ZodType>(item: T, key: string) {
  return z.union([z.array(item), z.object({ [key]: z.array(item) }).transform((o) => o[key] as z.output<T>[])]);
}

/** Reads a `--links` file: the tenant's subject links, as the API takes them. */
export async function readSubjectLinks(file: string): Promise<SubjectLink[]> {
  return readJsonOption(file, 'subject links', (value) =>
    listOf(subjectLinkBody, 'links')
      .parse(value)
      .map((l) => {
        const link = normalizeSubjectLink(l);
        return { ...link, linkId: subjectLinkIdOf(link.baselineSubjectKey), createdAt: '', createdBy: 'cli' };
      }),
  );
}

/** Reads an `--ignore` file: ignored properties, as a profile takes them. */
export async function readIgnoredProperties(file: string): Promise<IgnoredProperty[]> {
  return readJsonOption(file, 'ignored properties', (value) => validateIgnoredProperties(listOf(ignoredPropertySchema, 'ignoredProperties').parse(value)));
}

/** Reads a `--group-map` file; a clear error says what is wrong with it. */
export async function readGroupMap(file: string): Promise<GroupMapping[]> {
  return readJsonOption(file, 'group map', groupMappingsFromRecord);
}

function requestedTypes(types: string[] | undefined, present: Set<RegistryTypeKey>): RegistryTypeKey[] {
  if (types === undefined || types.length === 0) {
    const order = [...ALL_POLICY_TYPES, ...ALL_FOUNDATION_TYPES] as RegistryTypeKey[];
    return order.filter((t) => present.has(t));
  }
  const unknown = types.filter((t) => !isRegistryTypeKey(t));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown policy type(s): ${unknown.join(', ')}. Known types: ${[...ALL_POLICY_TYPES, ...ALL_FOUNDATION_TYPES].join(', ')}`,
    );
  }
  return [...new Set(types)] as RegistryTypeKey[];
}

export async function runCompare(options: CompareCommandOptions): Promise<CompareReport> {
  const groupMappings = options.groupMap !== undefined ? await readGroupMap(options.groupMap) : [];
  const subjectLinks = options.links !== undefined ? await readSubjectLinks(options.links) : [];
  const ignored = options.ignore !== undefined ? await readIgnoredProperties(options.ignore) : [];
  const digest = createSecretDigester(options.secretKey ?? randomBytes(32));
  options.progress?.update('reading the baseline inventory…');
  const baseline = await loadSide(options.baseline, 'baseline', digest, options.formatIn ?? 'auto');
  options.progress?.update('reading the current inventory…');
  const current = await loadSide(options.current, 'current', digest, options.formatIn ?? 'auto');
  const present = new Set<RegistryTypeKey>([...baseline.keys(), ...current.keys()]);
  const types = requestedTypes(options.types, present);

  const findings: CompareFindingOutput[] = [];
  const gaps: CompareGapOutput[] = [];
  const typeResults: CompareTypeResult[] = [];
  for (const [i, policyType] of types.entries()) {
    options.progress?.update(`comparing ${policyType} (${i + 1}/${types.length})…`);
    const b = baseline.get(policyType) ?? [];
    const c = current.get(policyType) ?? [];
    const { result, drifted } = await comparePolicyType({
      policyType,
      baseline: b,
      current: c,
      loadBaseline: contentLoader(b, (s) => s.subjectKey),
      loadCurrent: contentLoader(c, currentId),
      groupMappings,
      subjectLinks,
      ignoredPaths: ignoredPathsFor(policyType, ignored),
    });
    typeResults.push(result);
    options.collect?.({ policyType, baseline: b, result, drifted });
    for (const gap of result.gaps) gaps.push({ ...gap });
    for (const d of result.drift) {
      const dp = drifted.get(d.subjectKey);
      findings.push({
        changeType: d.changeType,
        policyType: d.policyType,
        subjectKey: d.subjectKey,
        displayName: d.baseline?.displayName ?? d.displayName,
        severity: severityFor(d.changeType),
        baselineHash: comparedHash(d, 'baseline'),
        currentHash: comparedHash(d, 'current'),
        driftedProperties: dp?.properties ?? [],
        truncated: dp?.truncated ?? false,
        ...(d.changeType === 'different_version' ? { dimensions: d.dimensions ?? ['settings'] } : {}),
        ...(d.assignments === 'not_compared' ? { notCompared: ['assignments'] } : {}),
        ...(d.ignoredPaths !== undefined ? { ignoredPaths: d.ignoredPaths } : {}),
        ...(d.current?.linkedFrom !== undefined ? { linkedFrom: d.current.linkedFrom.subjectKey } : {}),
      });
    }
  }
  options.progress?.done();
  const counts = summarizeCompare({ total: types.length, uncovered: 0, failed: 0, typeResults });
  return { summary: { ...counts, types: types.length, findings: findings.length }, findings, gaps };
}

export function renderCompareTable(report: CompareReport): string {
  const lines: string[] = [];
  const byType = new Map<string, CompareFindingOutput[]>();
  for (const f of report.findings) byType.set(f.policyType, [...(byType.get(f.policyType) ?? []), f]);
  for (const [policyType, list] of byType) {
    lines.push(`${policyType} (${list.length} finding${list.length === 1 ? '' : 's'})`);
    lines.push(
      renderTable(
        ['change', 'severity', 'policy', 'drifted properties'],
        list.map((f) => [f.changeType, f.severity, f.displayName, describeDrift(f)]),
      ),
    );
  }
  if (report.gaps.length > 0) {
    lines.push(`Gaps (no finding: the compare cannot tell whether these subjects drifted)`);
    lines.push(
      renderTable(
        ['reason', 'policy type', 'policy', 'why', 'what to do'],
        report.gaps.map((g) => [g.reason, g.policyType, g.displayName, ...explainGap(g)]),
      ),
    );
  }
  const s = report.summary;
  lines.push(
    renderTable(
      ['types', 'subjects', 'aligned', 'aligned_meta', 'gaps', ...CHANGE_TYPES, ...SEVERITIES],
      [[s.types, s.subjects, s.aligned, s.aligned_meta, s.gaps, ...CHANGE_TYPES.map((c) => s[c]), ...SEVERITIES.map((v) => s[`severity_${v}`])]],
    ),
  );
  if (s.assignments_not_compared > 0) {
    lines.push(`Assignments not compared for ${s.assignments_not_compared} subject(s): a side's export carries no assignments.`);
  }
  lines.push(verdict(report));
  return lines.join('\n');
}

function verdict(report: CompareReport): string {
  const findings = report.findings.length;
  const gaps = report.gaps.length;
  if (findings === 0 && gaps === 0) return 'No drift: the current inventory matches the baseline.';
  const parts = [...(findings > 0 ? [`${findings} finding(s)`] : []), ...(gaps > 0 ? [`${gaps} gap(s): not proven aligned`] : [])];
  return `${parts.join(', ')}.`;
}

/** Why a gap is one and what to do about it (a table cell each). */
function explainGap(g: CompareGapOutput): [string, string] {
  if (g.reason === 'ambiguous_match') {
    return [`${g.baselineCount} in the baseline, ${g.currentCount} in the tenant share this name`, 'rename the duplicates so each name is unique'];
  }
  if (g.reason === 'subject_link_broken') {
    return [
      `linked to the tenant's '${g.link?.tenantDisplayName ?? ''}', which the tenant no longer has`,
      "link the baseline subject to the policy's current name, or delete the link",
    ];
  }
  if (g.reason === 'assignment_target_unresolved') {
    return [
      `equal only if these unnamed groups or filters are the same: ${(g.unresolved ?? []).join('; ')}`,
      'sync with group read permission (names), or map the groups with --group-map',
    ];
  }
  const side = g.incompleteSide === 'both' ? 'both sides lack' : `the ${g.incompleteSide ?? 'current'} side lacks`;
  const missing = g.missing !== undefined && g.missing.length > 0 ? g.missing.join(', ') : 'its full content';
  return [`${side} ${missing}; equal on meta only`, `export it again with its ${missing} (drift sync reads them)`];
}

function describeDrift(f: CompareFindingOutput): string {
  if (f.changeType !== 'different_version') return '';
  const shown = f.driftedProperties.slice(0, 3).map((p) => `${p.kind} ${p.path}`);
  const more = f.driftedProperties.length - shown.length;
  return [
    ...shown,
    ...(more > 0 || f.truncated ? [`… (${f.driftedProperties.length}${f.truncated ? '+' : ''} in all)`] : []),
    ...(f.notCompared?.includes('assignments') ? ['(assignments not compared)'] : []),
  ].join('\n');
}

/** Exit status of `drift compare` (like `diff`): 0 with no findings and no gaps, 1 with findings or gaps. */
export function compareExitStatus(report: CompareReport): 0 | 1 {
  return report.findings.length > 0 || report.gaps.length > 0 ? 1 : 0;
}

export function formatCompare(report: CompareReport, format: OutputFormat): string {
  return format === 'json' ? JSON.stringify(report, null, 2) : renderCompareTable(report);
}
