import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEvidence, buildObservation, type CompareRunContext } from '../../shared/domain/evidence.js';
import { compareSubjects, type DriftCandidate } from '../../shared/domain/compare.js';
import { recurrenceKey } from '../../shared/domain/identity.js';
import { observeFinding } from '../../shared/domain/lifecycle.js';
import type { SubjectSummary } from '../../shared/domain/model.js';
import { POLICY_TYPES } from '../../shared/domain/registry.js';
import { classifyGraphObject } from '../../shared/domain/classification.js';
import { buildSubject } from '../../shared/domain/subject.js';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import { corpusAvailable, corpusDir } from '../support/corpus.js';

const T = 'settingsCatalogPolicy' as const;
const ctx: CompareRunContext = {
  tenantId: 'tenant-a',
  profileId: 'prof-1',
  snapshotId: 'snap-1',
  capturedAt: '2025-01-01T00:00:00.000Z',
  runId: 'run-7',
  inventorySyncRunId: 'sync-3',
  observedAt: '2025-03-01T10:00:00.000Z',
  inventoryObservedAt: '2025-03-01T09:00:00.000Z',
};

function subj(name: string, meta: string, content?: string, externalId?: string): SubjectSummary {
  const s: SubjectSummary = { policyType: T, subjectKey: `${T}:${name.toLowerCase()}`, displayName: name, metaHash: meta.repeat(64) };
  if (content !== undefined) s.contentHash = content.repeat(64);
  if (externalId !== undefined) s.externalId = externalId;
  return s;
}

function only(baseline: SubjectSummary[], current: SubjectSummary[]): DriftCandidate {
  const [d] = compareSubjects({ policyType: T, baseline, current }).drift;
  if (d === undefined) throw new Error('expected one drift candidate');
  return d;
}

describe('buildEvidence (design 2.6)', () => {
  it('different_version: both sides, drifted properties, provenance', () => {
    const candidate = only([subj('Defender', 'm', 'a')], [subj('Defender', 'm', 'b', 'graph-id-1')]);
    const e = buildEvidence({
      candidate,
      context: ctx,
      baselineContent: { settings: [{ settingInstance: { settingDefinitionId: 'def_x', simpleSettingValue: { value: 1 } } }] },
      currentContent: { settings: [{ settingInstance: { settingDefinitionId: 'def_x', simpleSettingValue: { value: 2 } } }] },
      drift: { keyedArrays: POLICY_TYPES[T].keyedArrays },
    });
    expect(e).toEqual({
      change_type: 'different_version',
      policy_type: T,
      subject_key: 'settingsCatalogPolicy:defender',
      display_name: 'Defender',
      baseline: { hash: 'a'.repeat(64), fidelity: 'content', provenance: { snapshot_id: 'snap-1', captured_at: '2025-01-01T00:00:00.000Z' } },
      current: {
        hash: 'b'.repeat(64),
        fidelity: 'content',
        provenance: { inventory_sync_run_id: 'sync-3', observed_at: '2025-03-01T09:00:00.000Z', external_id: 'graph-id-1' },
      },
      drifted_properties: [{ path: '/settings/def_x/settingInstance/simpleSettingValue/value', kind: 'changed', baseline: 1, current: 2 }],
      truncated: false,
      dimensions: ['settings'],
      dimension_hashes: { settings: { baseline: 'a'.repeat(64), current: 'b'.repeat(64) } },
      // Neither side carried assignments: that dimension was not compared.
      not_compared: ['assignments'],
      provenance: { baseline_profile_id: 'prof-1', baseline_snapshot_id: 'snap-1', compare_operation_run_id: 'run-7', inventory_sync_run_id: 'sync-3' },
    });
  });

  it('missing_policy: no current hash or external id, but the sync that showed it absent', () => {
    const e = buildEvidence({ candidate: only([subj('Gone', 'm', 'a')], []), context: ctx });
    expect(e.change_type).toBe('missing_policy');
    expect(e.baseline).toMatchObject({ hash: 'a'.repeat(64), fidelity: 'content' });
    expect(e.current).toEqual({ hash: null, fidelity: null, provenance: { inventory_sync_run_id: 'sync-3', observed_at: '2025-03-01T09:00:00.000Z', external_id: null } });
    expect(e.drifted_properties).toEqual([]);
    expect(e.truncated).toBe(false);
  });

  it('unexpected_policy: no baseline hash; the baseline side names the snapshot', () => {
    const e = buildEvidence({ candidate: only([], [subj('Extra', 'm', undefined, 'g2')]), context: { ...ctx, inventoryObservedAt: undefined } });
    expect(e.change_type).toBe('unexpected_policy');
    expect(e.baseline).toEqual({ hash: null, fidelity: null, provenance: { snapshot_id: 'snap-1', captured_at: '2025-01-01T00:00:00.000Z' } });
    expect(e.current).toEqual({ hash: 'm'.repeat(64), fidelity: 'meta', provenance: { inventory_sync_run_id: 'sync-3', observed_at: null, external_id: 'g2' } });
  });

  it('mixed fidelity: each side shows the hash it had', () => {
    const e = buildEvidence({ candidate: only([subj('P', 'm', 'a')], [subj('P', 'n')]), context: ctx });
    expect(e.baseline).toMatchObject({ hash: 'a'.repeat(64), fidelity: 'content' });
    expect(e.current).toMatchObject({ hash: 'n'.repeat(64), fidelity: 'meta' });
  });

  it('lists no properties without both contents, or for one-sided findings even when content is passed', () => {
    const dv = only([subj('P', 'm', 'a')], [subj('P', 'm', 'b')]);
    expect(buildEvidence({ candidate: dv, context: ctx, baselineContent: { a: 1 } }).drifted_properties).toEqual([]);
    const missing = only([subj('P', 'm', 'a')], []);
    expect(buildEvidence({ candidate: missing, context: ctx, baselineContent: { a: 1 }, currentContent: { a: 2 } }).drifted_properties).toEqual([]);
  });

  it('passes the caps through and reports truncation', () => {
    const dv = only([subj('P', 'm', 'a')], [subj('P', 'm', 'b')]);
    const e = buildEvidence({ candidate: dv, context: ctx, baselineContent: { a: 1, b: 1, c: 1 }, currentContent: { a: 2, b: 2, c: 2 }, drift: { maxProperties: 2 } });
    expect(e.drifted_properties.map((p) => p.path)).toEqual(['/a', '/b']);
    expect(e.truncated).toBe(true);
  });

  it('the baseline side carries no tenant identifier', () => {
    const e = buildEvidence({ candidate: only([subj('P', 'm', 'a')], [subj('P', 'm', 'b', 'ext')]), context: ctx });
    expect(JSON.stringify(e.baseline)).not.toContain('tenant-a');
    expect(JSON.stringify(e.baseline)).not.toContain('ext');
  });
});

describe('buildObservation', () => {
  it('identity, scope, severity and evidence from the candidate and the run', () => {
    const candidate = only([subj('Gone', 'm', 'a')], []);
    const o = buildObservation({ candidate, context: ctx });
    const key = recurrenceKey({ tenantId: 'tenant-a', snapshotId: 'snap-1', policyType: T, subjectKey: 'settingsCatalogPolicy:gone', changeType: 'missing_policy' });
    expect(o).toEqual({
      tenantId: 'tenant-a',
      scopeKey: 'baseline_profile:prof-1',
      fingerprint: key,
      recurrenceKey: key,
      changeType: 'missing_policy',
      policyType: T,
      subjectKey: 'settingsCatalogPolicy:gone',
      displayName: 'Gone',
      severity: 'high',
      evidence: buildEvidence({ candidate, context: ctx }),
      evidenceFidelity: 'content',
      runId: 'run-7',
      observedAt: '2025-03-01T10:00:00.000Z',
    });
  });

  it("uses the profile's severity mapping", () => {
    const candidate = only([], [subj('Extra', 'm')]);
    expect(buildObservation({ candidate, context: { ...ctx, severityMapping: { unexpected_policy: 'critical' } } }).severity).toBe('critical');
    expect(buildObservation({ candidate, context: ctx }).severity).toBe('low');
  });

  it('hashes are not part of the identity: new content keeps the fingerprint', () => {
    const a = buildObservation({ candidate: only([subj('P', 'm', 'a')], [subj('P', 'm', 'b')]), context: ctx });
    const b = buildObservation({ candidate: only([subj('P', 'm', 'a')], [subj('P', 'm', 'c')]), context: ctx });
    expect(a.fingerprint).toBe(b.fingerprint);
    const otherSnapshot = buildObservation({ candidate: only([subj('P', 'm', 'a')], [subj('P', 'm', 'b')]), context: { ...ctx, snapshotId: 'snap-2' } });
    expect(otherSnapshot.fingerprint).not.toBe(a.fingerprint);
  });

  it('feeds the lifecycle: first observation opens a finding', () => {
    const o = buildObservation({ candidate: only([subj('P', 'm', 'a')], [subj('P', 'm', 'b')]), context: ctx });
    const { finding, effect } = observeFinding(undefined, o);
    expect(effect).toBe('new');
    expect(finding).toMatchObject({ status: 'new', severity: 'medium', evidenceFidelity: 'content', currentOperationRunId: 'run-7', dueAt: '2025-03-15T10:00:00.000Z' });
  });
});

describe.skipIf(!corpusAvailable)('evidence on the real exports', () => {
  it('a drifting settings catalog pair yields bounded evidence addressed by setting id; the largest policy stays fast', () => {
    const digester = createSecretDigester('corpus-test-key-0123456789abcdef');
    const dir = join(corpusDir, 'configurationPolicies');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    const read = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>;
    const pair = files.filter((f) => /\.v1\.json$/.test(f)).find((f) => files.includes(f.replace('.v1.', '.v2.')));
    expect(pair).toBeDefined();
    const a = read(pair!);
    const b = read(pair!.replace('.v1.', '.v2.'));
    const type = classifyGraphObject('configurationPolicies', a);
    const sa = buildSubject(type, a, digester);
    const sb = buildSubject(type, b, digester);
    const r = compareSubjects({ policyType: type, baseline: [sa], current: [sb] });
    const candidate = r.drift[0];
    expect(candidate?.changeType).toBe('different_version');
    const e = buildEvidence({ candidate: candidate!, context: ctx, baselineContent: sa.content, currentContent: sb.content, drift: { keyedArrays: POLICY_TYPES[type].keyedArrays } });
    expect(e.drifted_properties.length).toBeGreaterThan(0);
    expect(e.drifted_properties.length).toBeLessThanOrEqual(50);
    expect(e.drifted_properties.some((p) => /^\/settings\/[a-z]/.test(p.path))).toBe(true);
    for (const p of e.drifted_properties) {
      for (const v of [p.baseline, p.current]) {
        expect(typeof v === 'string' ? v.length : JSON.stringify(v ?? null).length).toBeLessThanOrEqual(512 + 20);
      }
    }

    // the largest export: one changed value among thousands of settings
    const largest = files.map((f) => ({ f, size: statSync(join(dir, f)).size })).sort((x, y) => y.size - x.size)[0]!;
    const big = buildSubject(classifyGraphObject('configurationPolicies', read(largest.f)), read(largest.f), digester);
    const changed = structuredClone(big.content!) as { settings?: unknown[] };
    expect(Array.isArray(changed.settings)).toBe(true);
    changed.settings!.splice(Math.floor(changed.settings!.length / 2), 1);
    const t0 = performance.now();
    const e2 = buildEvidence({
      candidate: { ...candidate!, policyType: big.policyType },
      context: ctx,
      baselineContent: big.content,
      currentContent: changed,
      drift: { keyedArrays: POLICY_TYPES[big.policyType].keyedArrays },
    });
    const ms = performance.now() - t0;
    expect(e2.drifted_properties).toHaveLength(1);
    expect(e2.drifted_properties[0]?.kind).toBe('removed');
    expect(e2.drifted_properties[0]?.path).toMatch(/^\/settings\/[^/]+$/);
    expect(ms).toBeLessThan(2000);
  });
});
