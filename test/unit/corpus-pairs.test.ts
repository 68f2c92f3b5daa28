/**
 * The same policy at successive commits of its source (`NAME.vN.json` -> `NAME.vN+1.json`): what the
 * hashes say must match what the corpus README says. The pairs that differ only in volatile fields or
 * in properties Graph added later with value null were found by reading each pair's differences;
 * every other pair changes settings or conditions.
 */
import { describe, expect, it } from 'vitest';
import { loadGraphExportReport } from '../../shared/adapters/filesystem/graph-export.js';
import type { NormalizedSubject } from '../../shared/domain/model.js';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import { buildSubject } from '../../shared/domain/subject.js';
import { corpusAvailable, corpusDir } from '../support/corpus.js';
import { TEST_SECRET_KEY } from '../fixtures/graph/fixtures.js';

const digester = createSecretDigester(TEST_SECRET_KEY);

/** Pairs (named by their older file) whose newer version changes no configuration. */
const NO_DRIFT: Record<string, string> = {
  // Re-created (new id, echoed in @odata.id/editLink and action annotations) plus `conditions.agents: null`.
  'conditionalAccessPolicies/J0EYV__CA000-Global-IdentityProtection-AnyApp-AnyPlatform-MFA.v2.json': 'new id, null-only additions',
  // Exported with id, timestamps and @odata.context added, plus `conditions.agents: null`.
  'conditionalAccessPolicies/J0EYV__CA100-Admins-IdentityProtection-AdminPortals-AnyPlatform-MFA.v1.json': 'volatile and null-only additions',
  'conditionalAccessPolicies/J0EYV__CA101-Admins-IdentityProtection-AnyApp-AnyPlatform-MFA.v1.json': 'volatile and null-only additions',
  'conditionalAccessPolicies/J0EYV__CA202-Internals-IdentityProtection-AllApps-WindowsMacOS-SigninFrequency-UnmanagedDevices.v1.json': 'volatile and null-only additions',
  // `sessionControls.blockSensitiveActions: null` only.
  'conditionalAccessPolicies/J0EYV__CA102-Admins-IdentityProtection-AllApps-AnyPlatform-SigninFrequency.v1.json': 'null-only addition',
  'conditionalAccessPolicies/J0EYV__CA103-Admins-IdentityProtection-AllApps-AnyPlatform-PersistentBrowser.v1.json': 'null-only addition',
  'conditionalAccessPolicies/J0EYV__CA104-Admins-IdentityProtection-AllApps-AnyPlatform-ContinuousAccessEvaluation.v1.json': 'null-only addition',
  'conditionalAccessPolicies/J0EYV__CA202-Internals-IdentityProtection-AllApps-WindowsMacOS-SigninFrequency-UnmanagedDevices.v2.json': 'null-only addition',
  // lastModifiedDateTime one second later.
  'configurationPolicies/OIB__Win_-_OIB_-_ES_-_Attack_Surface_Reduction_-_D_-_ASR_Rules_L2.v2.json': 'timestamp only',
  // Re-created: a new id (and its annotations), same settings.
  'configurationPolicies/OIB__Win_-_OIB_-_ES_-_Windows_LAPS_-_D_-_LAPS_Configuration.v1.json': 'new id only',
  'configurationPolicies/OIB__Win_-_OIB_-_SC_-_Device_Security_-_D_-_Location_and_Privacy.v1.json': 'new id and annotations only',
};

interface Pair {
  older: string;
  newer: string;
  a: NormalizedSubject;
  b: NormalizedSubject;
}

async function pairs(): Promise<Pair[]> {
  const { objects } = await loadGraphExportReport(corpusDir);
  const byFile = new Map(objects.map((item) => [item.file.slice(corpusDir.length + 1), item]));
  const out: Pair[] = [];
  for (const [older, item] of byFile) {
    const match = /^(.*)\.v(\d+)\.json$/.exec(older);
    if (!match) continue;
    const newer = `${match[1]}.v${Number(match[2]) + 1}.json`;
    const next = byFile.get(newer);
    if (!next) continue;
    out.push({ older, newer, a: buildSubject(item.policyType, item.object, digester), b: buildSubject(next.policyType, next.object, digester) });
  }
  return out;
}

describe.skipIf(!corpusAvailable)('corpus: versions of the same policy', () => {
  it('finds the 58 consecutive pairs, every no-drift pair of the table among them', async () => {
    const all = await pairs();
    expect(all).toHaveLength(58);
    const olderFiles = all.map((p) => p.older);
    for (const file of Object.keys(NO_DRIFT)) expect(olderFiles).toContain(file);
  });

  it('hashes volatile-only and null-only pairs equal', async () => {
    const same = (await pairs()).filter((p) => p.older in NO_DRIFT);
    expect(same).toHaveLength(Object.keys(NO_DRIFT).length);
    for (const pair of same) {
      expect(pair.a.contentHash).toMatch(/^[0-9a-f]{64}$/);
      expect({ pair: pair.older, hash: pair.b.contentHash, key: pair.b.subjectKey }).toEqual({
        pair: pair.older,
        hash: pair.a.contentHash,
        key: pair.a.subjectKey,
      });
    }
  });

  it('hashes every pair that changes settings or conditions differently', async () => {
    const changed = (await pairs()).filter((p) => !(p.older in NO_DRIFT));
    expect(changed).toHaveLength(47);
    for (const pair of changed) {
      expect(pair.a.contentHash).toMatch(/^[0-9a-f]{64}$/);
      expect(pair.b.contentHash).toMatch(/^[0-9a-f]{64}$/);
      expect({ pair: pair.older, hash: pair.b.contentHash }).not.toEqual({ pair: pair.older, hash: pair.a.contentHash });
    }
  });

  it('keeps the meta hash of every pair (same type, same platform and template)', async () => {
    for (const pair of await pairs()) expect({ pair: pair.older, meta: pair.b.metaHash }).toEqual({ pair: pair.older, meta: pair.a.metaHash });
  });
});
