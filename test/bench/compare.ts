/**
 * compare: the domain compare of one tenant (10 types x N subjects, 1 % drift) with the baseline's
 * hashes precomputed as a snapshot holds them (normalize + hash the tenant's objects, match the
 * summaries, diff the content of the subjects whose hashes differ), against the approach a user would
 * otherwise write: deep-diff every pair of objects (matched by name) with jsondiffpatch.
 */
import { performance } from 'node:perf_hooks';
import { create as createDiffPatcher } from 'jsondiffpatch';
import { compareSubjects } from '../../shared/domain/compare.js';
import { driftedProperties } from '../../shared/domain/drift.js';
import type { NormalizedSubject, RegistryTypeKey } from '../../shared/domain/model.js';
import { policyTypeDefinition } from '../../shared/domain/registry.js';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import { buildSubject } from '../../shared/domain/subject.js';
import { FAMILIES, PIPELINE_FAMILIES, asOtherTenant, generateType, rng, type Family } from './generate.js';
import { median, round } from './measure.js';

export interface CompareReport {
  types: number;
  subjects: number;
  driftRate: number;
  /** different_version found by the domain compare (the drifted subjects). */
  drifted: number;
  /** Pairs the naive deep diff reported as different (noise included: it cannot tell). */
  naiveDifferent: number;
  seconds: number;
  naiveSeconds: number;
  subjectsPerSec: number;
  /** naive time / domain time (the tenant's objects normalized and hashed within the timing). */
  speedup: number;
  /**
   * The compare as the workflow runs it: both sides' hashes come from storage (the inventory is hashed
   * at sync), so only matching and the diff of the drifted subjects are timed.
   */
  matchOnlySeconds: number;
  matchOnlySpeedup: number;
}

const digester = createSecretDigester(Buffer.alloc(32, 9));

interface TypeData {
  type: RegistryTypeKey;
  baselineRaw: Record<string, unknown>[];
  current: Record<string, unknown>[];
  /** As a snapshot holds them: summaries and normalized content, computed before timing. */
  baseline: NormalizedSubject[];
}

/** One tenant of `types` families x `perType` policies, `driftRate` of them drifted (deterministic). */
export function tenantData(perType: number, driftRate: number, bytes = 2_000, families: readonly Family[] = PIPELINE_FAMILIES) {
  return families.map((family, i) => {
    const baselineRaw = generateType(family, perType, bytes, 500 + i);
    const r = rng(900 + i);
    const drift = Math.round(perType * driftRate);
    const current = baselineRaw.map((p, k) => asOtherTenant(p, r, k < drift));
    return { family, type: FAMILIES[family], baselineRaw, current };
  });
}

export function measureCompare(options: { perType: number; driftRate: number; rounds?: number }): CompareReport {
  const data: TypeData[] = tenantData(options.perType, options.driftRate).map((t) => ({
    ...t,
    baseline: t.baselineRaw.map((o) => buildSubject(t.type, o, digester)),
  }));
  const diffpatcher = createDiffPatcher({ arrays: { detectMove: true } });
  let drifted = 0;
  let naiveDifferent = 0;

  const ours = (): void => {
    drifted = 0;
    for (const t of data) {
      const current = t.current.map((o) => buildSubject(t.type, o, digester));
      const result = compareSubjects({ policyType: t.type, baseline: t.baseline, current });
      const byKeyB = new Map(t.baseline.map((s) => [s.subjectKey, s]));
      const byKeyC = new Map(current.map((s) => [s.subjectKey, s]));
      const { keyedArrays } = policyTypeDefinition(t.type);
      for (const d of result.drift) {
        if (d.changeType !== 'different_version') continue;
        drifted += 1;
        const b = byKeyB.get(d.subjectKey)?.content;
        const c = byKeyC.get(d.subjectKey)?.content;
        if (b && c) driftedProperties(b, c, { keyedArrays });
      }
    }
  };
  const naive = (): void => {
    naiveDifferent = 0;
    for (const t of data) {
      const byName = new Map(t.baselineRaw.map((o) => [String(o.displayName ?? o.name), o]));
      for (const c of t.current) {
        const b = byName.get(String(c.displayName ?? c.name));
        if (b !== undefined && diffpatcher.diff(b, c) !== undefined) naiveDifferent += 1;
      }
    }
  };

  const hashedCurrent = data.map((t) => t.current.map((o) => buildSubject(t.type, o, digester)));
  const matchOnly = (): void => {
    data.forEach((t, i) => {
      const current = hashedCurrent[i]!;
      const result = compareSubjects({ policyType: t.type, baseline: t.baseline, current });
      const byKeyB = new Map(t.baseline.map((s) => [s.subjectKey, s]));
      const byKeyC = new Map(current.map((s) => [s.subjectKey, s]));
      const { keyedArrays } = policyTypeDefinition(t.type);
      for (const d of result.drift) {
        const b = byKeyB.get(d.subjectKey)?.content;
        const c = byKeyC.get(d.subjectKey)?.content;
        if (d.changeType === 'different_version' && b && c) driftedProperties(b, c, { keyedArrays });
      }
    });
  };
  const tMatch: number[] = [];

  const rounds = options.rounds ?? 3;
  const tOurs: number[] = [];
  const tNaive: number[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const [fn, into] of i % 2 === 0 ? ([[ours, tOurs], [naive, tNaive]] as const) : ([[naive, tNaive], [ours, tOurs]] as const)) {
      const t0 = performance.now();
      fn();
      into.push(performance.now() - t0);
    }
    const t0 = performance.now();
    matchOnly();
    tMatch.push(performance.now() - t0);
  }
  const oursMs = median(tOurs);
  const naiveMs = median(tNaive);
  const subjects = data.reduce((n, t) => n + t.current.length, 0);
  return {
    types: data.length,
    subjects,
    driftRate: options.driftRate,
    drifted,
    naiveDifferent,
    seconds: round(oursMs / 1000),
    naiveSeconds: round(naiveMs / 1000),
    subjectsPerSec: Math.round((subjects / oursMs) * 1000),
    speedup: round(naiveMs / oursMs, 2),
    matchOnlySeconds: round(median(tMatch) / 1000, 4),
    matchOnlySpeedup: round(naiveMs / median(tMatch), 1),
  };
}
