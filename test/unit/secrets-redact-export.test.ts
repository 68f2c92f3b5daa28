/**
 * Redaction of Graph objects kept in Graph's shape (what `drift sync` writes): declared secrets become
 * digests, nothing else changes, and the export normalizes to the same hashes as the object itself.
 */
import { describe, expect, it } from 'vitest';
import type { RegistryTypeKey } from '../../shared/domain/model.js';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import { buildSubject } from '../../shared/domain/subject.js';
import { redactGraphObject } from '../../shared/adapters/graph/redact.js';
import { FIXTURE_SECRETS, FIXTURE_TYPES, fixtureObject, TEST_SECRET_KEY } from '../fixtures/graph/fixtures.js';

const digester = createSecretDigester(TEST_SECRET_KEY);

describe('redactGraphObject', () => {
  it('replaces a Wi-Fi pre-shared key by its digest and leaves every other property as it was', () => {
    const wifi = fixtureObject('deviceConfigurations', 'wifi-psk.json');
    const redacted = redactGraphObject('deviceConfiguration', wifi, digester);
    expect(redacted.preSharedKey).toBe(digester.digest(wifi.preSharedKey));
    const { preSharedKey: _a, ...rest } = redacted;
    const { preSharedKey: _b, ...original } = wifi;
    expect(rest).toEqual(original);
  });

  it('redacts an OMA-URI value only where isEncrypted is true', () => {
    const redacted = redactGraphObject('deviceConfiguration', {
      displayName: 'OMA',
      omaSettings: [
        { omaUri: './a', isEncrypted: true, value: 'cleartext-1' },
        { omaUri: './b', isEncrypted: false, value: 'plain-setting' },
      ],
    }, digester);
    expect(redacted.omaSettings).toEqual([
      { omaUri: './a', isEncrypted: true, value: digester.digest('cleartext-1') },
      { omaUri: './b', isEncrypted: false, value: 'plain-setting' },
    ]);
  });

  it('leaves no fixture secret, is idempotent, and normalizes to the same hashes as the original', () => {
    for (const { collection, file, index, type } of FIXTURE_TYPES) {
      const obj = fixtureObject(collection, file, index);
      const redacted = redactGraphObject(type as RegistryTypeKey, obj, digester);
      const text = JSON.stringify(redacted);
      expect(FIXTURE_SECRETS.filter((s) => text.includes(s)), `${collection}/${file}`).toEqual([]);
      expect(redactGraphObject(type as RegistryTypeKey, redacted, digester)).toEqual(redacted);
      const direct = buildSubject(type as RegistryTypeKey, obj, digester);
      const viaExport = buildSubject(type as RegistryTypeKey, redacted, digester);
      expect([viaExport.metaHash, viaExport.contentHash], `${collection}/${file}`).toEqual([direct.metaHash, direct.contentHash]);
    }
  });
});
