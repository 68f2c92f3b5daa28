/**
 * The evidence export of one compare (docs/compare.md): the run, its coverage with proof, every
 * compared subject (aligned ones included), every finding with its evidence, every gap and the
 * provenance, rendered as JSON, CSV or one self-contained HTML page.
 *
 * Rendering streams: the subjects arrive per policy type (an async iterable) and each renderer
 * yields text as it goes, so a large run is never held as one document. Findings and gaps (bounded by
 * the drift, as the findings table is) are held.
 *
 * JSON: `sha256` is SHA-256 over the canonical JSON (`canonical.ts`, RFC 8785 form) of the document
 * without it. The document is written in canonical key order (coverage, findings, gaps, provenance,
 * run, subjects), so the hash runs over exactly the text written, and `sha256` comes last:
 * a verifier parses the document, deletes `sha256`, canonicalizes and hashes (`verifyEvidenceDocument`).
 */
import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { canonicalJson, sha256Hex } from './canonical.js';
import type { ComparedSubject } from './compared-subjects.js';
import type { CompareGap, FindingEvidence } from './model.js';
import type { FindingObservation } from './lifecycle.js';

export const EVIDENCE_FORMATS = ['json', 'csv', 'html'] as const;
export type EvidenceFormat = (typeof EVIDENCE_FORMATS)[number];

export const EVIDENCE_CONTENT_TYPES: Record<EvidenceFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
  html: 'text/html; charset=utf-8',
};

export interface EvidenceFinding {
  fingerprint: string;
  changeType: string;
  policyType: string;
  subjectKey: string;
  displayName: string;
  severity: string;
  /** The finding's status now (absent where it is not stored, e.g. offline). */
  status?: string;
  evidence: FindingEvidence;
}

/** A finding as the export lists it: what the run observed, with the finding's status now when known. */
export function evidenceFindingOf(o: FindingObservation, status?: string): EvidenceFinding {
  return {
    fingerprint: o.fingerprint,
    changeType: o.changeType,
    policyType: o.policyType,
    subjectKey: o.subjectKey,
    displayName: o.displayName,
    severity: o.severity,
    ...(status !== undefined ? { status } : {}),
    evidence: o.evidence,
  };
}

export interface EvidenceParts {
  run: Record<string, unknown>;
  coverage: Record<string, unknown>;
  provenance: Record<string, unknown>;
  findings: readonly EvidenceFinding[];
  gaps: readonly CompareGap[];
  /** Every compared subject, one batch per policy type (read as the export is written). */
  subjects: AsyncIterable<readonly ComparedSubject[]> | Iterable<readonly ComparedSubject[]>;
}

/** The subject as the document lists it (`changeType` only for drift, `gapReason` only for gaps). */
function subjectEntry(s: ComparedSubject): Record<string, unknown> {
  const { fingerprint: _f, ...rest } = s;
  return rest;
}

export function renderEvidence(parts: EvidenceParts, format: EvidenceFormat): AsyncGenerator<string> {
  switch (format) {
    case 'json':
      return evidenceJson(parts);
    case 'csv':
      return evidenceCsv(parts);
    case 'html':
      return evidenceHtml(parts);
  }
}

async function* evidenceJson(parts: EvidenceParts): AsyncGenerator<string> {
  const hash = createHash('sha256');
  const emit = (text: string): string => {
    hash.update(text, 'utf8');
    return text;
  };
  yield emit(
    `{"coverage":${canonicalJson(parts.coverage)},"findings":${canonicalJson(parts.findings)},"gaps":${canonicalJson(parts.gaps)},` +
      `"provenance":${canonicalJson(parts.provenance)},"run":${canonicalJson(parts.run)},"subjects":[`,
  );
  let first = true;
  for await (const batch of parts.subjects) {
    if (batch.length === 0) continue;
    yield emit(`${first ? '' : ','}${batch.map((s) => canonicalJson(subjectEntry(s))).join(',')}`);
    first = false;
  }
  yield emit(']');
  hash.update('}', 'utf8');
  yield `,"sha256":"${hash.digest('hex')}"}`;
}

/** Whether a parsed JSON export is intact: its `sha256` is that of the rest, canonicalized. */
export function verifyEvidenceDocument(document: Record<string, unknown>): boolean {
  const { sha256, ...rest } = document;
  return typeof sha256 === 'string' && sha256Hex(canonicalJson(rest)) === sha256;
}

export const EVIDENCE_CSV_COLUMNS = [
  'subjectKey',
  'displayName',
  'policyType',
  'state',
  'changeType',
  'gapReason',
  'severity',
  'findingStatus',
  'fingerprint',
  'baselineHash',
  'currentHash',
  'fidelity',
  'dimensions',
  'driftedProperties',
] as const;

async function* evidenceCsv(parts: EvidenceParts): AsyncGenerator<string> {
  const byFingerprint = new Map(parts.findings.map((f) => [f.fingerprint, f]));
  // escape_formulas: a policy name starting with = + - @ must not run as a formula in a spreadsheet.
  const options = { escape_formulas: true, record_delimiter: 'windows' as const };
  yield stringify([[...EVIDENCE_CSV_COLUMNS]], options);
  for await (const batch of parts.subjects) {
    if (batch.length === 0) continue;
    const rows = batch.map((s) => {
      const f = s.fingerprint !== undefined ? byFingerprint.get(s.fingerprint) : undefined;
      return [
        s.subjectKey,
        s.displayName,
        s.policyType,
        s.state,
        s.changeType ?? '',
        s.gapReason ?? '',
        f?.severity ?? '',
        f?.status ?? '',
        s.fingerprint ?? '',
        s.baselineHash ?? '',
        s.currentHash ?? '',
        s.fidelity ?? '',
        s.dimensions.join(';'),
        (f?.evidence.drifted_properties ?? []).map((p) => `${p.kind} ${p.path}`).join(';'),
      ];
    });
    yield stringify(rows, options);
  }
}

/** Text for HTML element content and attribute values (both quotes escaped). */
export function escapeHtml(value: unknown): string {
  const text =
    typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : value === undefined || value === null ? '' : JSON.stringify(value);
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const MAX_VALUE_CHARS = 300;

function valueText(value: unknown): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
}

function table(head: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const th = head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function keyValues(record: Record<string, unknown>): string {
  return table(['field', 'value'], Object.entries(record).map(([k, v]) => [k, typeof v === 'object' && v !== null ? JSON.stringify(v) : v]));
}

const STYLE = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#111;margin:2rem;max-width:1200px}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #999}h3{font-size:1rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #bbb;padding:.25rem .4rem;text-align:left;vertical-align:top;word-break:break-word}
th{background:#eee}code,td.mono{font-family:ui-monospace,Consolas,monospace;font-size:12px}
.state-aligned{color:#064}.note{color:#444}
@media print{body{margin:0;font-size:11px}h2{break-after:avoid}tr{break-inside:avoid}thead{display:table-header-group}}`;

async function* evidenceHtml(parts: EvidenceParts): AsyncGenerator<string> {
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  const title = `Compare evidence: ${text(parts.run.tenantName) || text(parts.run.tenantId)}${text(parts.provenance.profileName) ? ` against ${text(parts.provenance.profileName)}` : ''}, run ${text(parts.run.id)}`;
  yield `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>\n<h1>${escapeHtml(title)}</h1>\n` +
    `<p class="note">One compare of a tenant against its baseline snapshot: what was in scope, what coverage proved, every subject compared (aligned ones included), every finding with its evidence and every gap. Hashes are SHA-256 over canonical JSON of the normalized, redacted policy; secrets appear only as digests.</p>\n`;
  const { summaryCounts, ...run } = parts.run;
  yield `<h2>Run</h2>\n${keyValues(run)}\n`;
  if (summaryCounts !== undefined && typeof summaryCounts === 'object' && summaryCounts !== null) {
    yield `<h3>Summary counts</h3>\n${table(Object.keys(summaryCounts), [Object.values(summaryCounts)])}\n`;
  }
  yield `<h2>Coverage</h2>\n${keyValues(parts.coverage)}\n<h2>Provenance</h2>\n${keyValues(parts.provenance)}\n`;
  yield `<h2>Findings (${parts.findings.length})</h2>\n`;
  for (const f of parts.findings) {
    const e = f.evidence;
    yield `<h3>${escapeHtml(f.changeType)}: ${escapeHtml(f.displayName)} <small>(${escapeHtml(f.policyType)}, ${escapeHtml(f.severity)}${f.status ? `, ${escapeHtml(f.status)}` : ''})</small></h3>\n` +
      table(['fingerprint', 'baseline hash', 'current hash', 'fidelity', 'dimensions'], [[f.fingerprint, e.baseline.hash ?? '—', e.current.hash ?? '—', `${e.baseline.fidelity ?? '—'} / ${e.current.fidelity ?? '—'}`, (e.dimensions ?? []).join(', ')]]) +
      (e.drifted_properties.length > 0
        ? table(['path', 'kind', 'baseline', 'current'], e.drifted_properties.map((p) => [p.path, p.kind, valueText(p.baseline), valueText(p.current)])) +
          (e.truncated ? '<p class="note">More properties drifted than are listed (truncated).</p>' : '')
        : '') +
      '\n';
  }
  yield `<h2>Gaps (${parts.gaps.length})</h2>\n<p class="note">A gap is a subject the compare could not prove aligned: no finding, never counted aligned.</p>\n` +
    table(['reason', 'policy type', 'subject', 'baseline count', 'current count', 'details'], parts.gaps.map((g) => [g.reason, g.policyType, g.displayName, g.baselineCount, g.currentCount, [g.incompleteSide ? `incomplete: ${g.incompleteSide}` : '', g.missing?.join(', ') ?? '', g.unresolved?.join('; ') ?? ''].filter((x) => x !== '').join(' · ')])) +
    '\n';
  yield `<h2>Compared subjects</h2>\n<table><thead><tr>${['subject', 'policy type', 'state', 'baseline hash', 'current hash', 'fidelity', 'dimensions'].map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>\n`;
  let count = 0;
  for await (const batch of parts.subjects) {
    count += batch.length;
    yield batch
      .map(
        (s) =>
          `<tr><td>${escapeHtml(s.displayName)}<br><code>${escapeHtml(s.subjectKey)}</code></td><td>${escapeHtml(s.policyType)}</td>` +
          `<td class="state-${escapeHtml(s.state)}">${escapeHtml(s.state === 'gap' ? `gap: ${s.gapReason ?? ''}` : s.state)}</td>` +
          `<td class="mono">${escapeHtml(s.baselineHash ?? '—')}</td><td class="mono">${escapeHtml(s.currentHash ?? '—')}</td>` +
          `<td>${escapeHtml(s.fidelity ?? '—')}</td><td>${escapeHtml(s.dimensions.join(', '))}</td></tr>`,
      )
      .join('\n');
    yield '\n';
  }
  yield `</tbody></table>\n<p class="note">${count} subject(s).</p>\n</body></html>\n`;
}
