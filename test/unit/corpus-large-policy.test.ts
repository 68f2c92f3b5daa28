/** The largest real policy (a settings catalog policy of about 540 KB on disk, 240 KB compact). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalHash } from '../../shared/domain/canonical.js';
import { parseGraphObjects } from '../../shared/domain/graph-objects.js';
import { normalizeGraphObject } from '../../shared/domain/normalize.js';
import { classifyGraphObject } from '../../shared/domain/classification.js';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import { buildSubject } from '../../shared/domain/subject.js';
import { corpusAvailable, corpusDir } from '../support/corpus.js';
import { TEST_SECRET_KEY } from '../fixtures/graph/fixtures.js';

const FILE = join(corpusDir, 'configurationPolicies', 'OIB__Win_-_OIB_-_SC_-_Microsoft_Office_-_U_-_Security_-_v3.6.json');
const digester = createSecretDigester(TEST_SECRET_KEY);

describe.skipIf(!corpusAvailable)('corpus: the largest policy', () => {
  it('normalizes and hashes, keeping every setting, keyed by definition id', async () => {
    const text = await readFile(FILE, 'utf8');
    expect(text.length).toBeGreaterThan(500_000);
    const [raw] = parseGraphObjects(text, FILE);
    const type = classifyGraphObject('configurationPolicies', raw!);
    expect(type).toBe('settingsCatalogPolicy');

    const subject = buildSubject(type, raw!, digester);
    expect(subject.contentHash).toBe(canonicalHash(subject.content));
    const settings = subject.content?.['settings'] as { settingInstance: { settingDefinitionId: string } }[];
    expect(settings).toHaveLength(raw!['settingCount'] as number);
    const ids = settings.map((s) => s.settingInstance.settingDefinitionId);
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(JSON.stringify(subject.content).length).toBeLessThan(JSON.stringify(raw).length);

    // Reversing the settings (their positional ids renumbered) changes nothing.
    const reversed = { ...raw!, settings: [...(raw!['settings'] as unknown[])].reverse().map((s, i) => ({ ...(s as object), id: String(i) })) };
    expect(buildSubject(type, reversed, digester).contentHash).toBe(subject.contentHash);
    expect(normalizeGraphObject(type, subject.content!, digester).content).toEqual(subject.content);
  });
});
