import { describe, expect, it } from 'vitest';
import type { RegistryTypeKey } from '../../shared/domain/model.js';
import { canonicalHash } from '../../shared/domain/canonical.js';
import { MissingPolicyNameError, UnknownPolicyTypeError } from '../../shared/domain/errors.js';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import { buildSubject, normalizeName, policyNameOf, subjectKeyOf } from '../../shared/domain/subject.js';
import { FIXTURE_TYPES, TEST_SECRET_KEY, fixtureObject } from '../fixtures/graph/fixtures.js';

const digester = createSecretDigester(TEST_SECRET_KEY);

describe('normalizeName', () => {
  it('folds compatibility forms (NFKC), case and white space', () => {
    expect(normalizeName('  Contoso -  Edge\t\tSecurity \n')).toBe('contoso - edge security');
    expect(normalizeName('Ｃｏｎｔｏｓｏ　Ｐｏｌｉｃｙ')).toBe('contoso policy');
    expect(normalizeName('No\u00a0break')).toBe('no break');
    expect(normalizeName('ﬁle ①')).toBe('file 1');
    expect(normalizeName('ÉCOLE')).toBe('école');
    expect(normalizeName('E\u0301cole')).toBe('école');
  });

  it('keeps every other difference: punctuation, digits, inner characters', () => {
    expect(normalizeName('Policy - v3.3')).not.toBe(normalizeName('Policy - v3.7'));
    expect(normalizeName('Policy-A')).not.toBe(normalizeName('Policy A'));
  });

  it('is idempotent', () => {
    for (const name of ['  A  b ', 'Ｆｕｌｌ', 'ß straße', 'İstanbul']) expect(normalizeName(normalizeName(name))).toBe(normalizeName(name));
  });
});

describe('subject keys', () => {
  it('are the type key and the normalized name', () => {
    expect(subjectKeyOf('conditionalAccessPolicy', ' CA101 - Admins  - Require MFA')).toBe('conditionalAccessPolicy:ca101 - admins - require mfa');
  });

  it('read the name from the type name field, and only from it', () => {
    expect(policyNameOf('settingsCatalogPolicy', { name: 'From name', displayName: 'From displayName' })).toBe('From name');
    expect(policyNameOf('deviceConfiguration', { name: 'From name', displayName: 'From displayName' })).toBe('From displayName');
    expect(() => policyNameOf('settingsCatalogPolicy', { displayName: 'Only displayName' })).toThrow(MissingPolicyNameError);
  });

  it('need a non-blank string name', () => {
    for (const obj of [{}, { displayName: '' }, { displayName: ' \t ' }, { displayName: 42 }, { displayName: null }]) {
      expect(() => buildSubject('deviceConfiguration', obj, digester)).toThrow(MissingPolicyNameError);
    }
    expect(() => buildSubject('settingsCatalogPolicy', { id: 'p-1', settings: [] }, digester)).toThrow(/settingsCatalogPolicy object \(id p-1\) has no usable "name"/);
    const error = ((): unknown => {
      try {
        buildSubject('deviceConfiguration', {}, digester);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toMatchObject({ name: 'MissingPolicyNameError', code: 'missing_policy_name', nameField: 'displayName' });
  });
});

describe('buildSubject', () => {
  it('builds every fixture: key, name as found, hashes of meta and content, external id', () => {
    for (const fixture of FIXTURE_TYPES) {
      const type = fixture.type as RegistryTypeKey;
      const obj = fixtureObject(fixture.collection, fixture.file, fixture.index);
      const subject = buildSubject(type, obj, digester);
      const name = obj[type === 'compliancePolicy' || fixture.collection === 'configurationPolicies' ? 'name' : 'displayName'] as string;
      expect(subject.policyType).toBe(type);
      expect(subject.displayName).toBe(name);
      expect(subject.subjectKey).toBe(`${type}:${normalizeName(name)}`);
      expect(subject.metaHash).toBe(canonicalHash(subject.meta));
      expect(subject.contentHash).toBe(canonicalHash(subject.content));
      expect(subject.externalId).toBe(typeof obj['id'] === 'string' ? obj['id'] : undefined);
    }
  });

  it('leaves out content and its hash when the content is incomplete, and external id when there is none', () => {
    const listed = fixtureObject('intents', 'account-protection.json');
    delete listed['settings'];
    delete listed['id'];
    const subject = buildSubject('securityBaselineIntent', listed, digester);
    expect(subject).not.toHaveProperty('content');
    expect(subject).not.toHaveProperty('contentHash');
    expect(subject).not.toHaveProperty('externalId');
    expect(subject.metaHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('sees no drift in a change of case or spacing of the name, and a new subject in any other rename', () => {
    const original = buildSubject('conditionalAccessPolicy', fixtureObject('conditionalAccessPolicies', 'require-mfa-admins.json'), digester);
    const respaced = buildSubject(
      'conditionalAccessPolicy',
      { ...fixtureObject('conditionalAccessPolicies', 'require-mfa-admins.json'), displayName: 'ca101 -  ADMINS - require mfa ' },
      digester,
    );
    expect(respaced.subjectKey).toBe(original.subjectKey);
    expect(respaced.contentHash).toBe(original.contentHash);
    expect(respaced.displayName).toBe('ca101 -  ADMINS - require mfa ');
    const renamed = buildSubject('conditionalAccessPolicy', { ...fixtureObject('conditionalAccessPolicies', 'require-mfa-admins.json'), displayName: 'CA102 - Admins - Require MFA' }, digester);
    expect(renamed.subjectKey).not.toBe(original.subjectKey);
    expect(renamed.contentHash).toBe(original.contentHash);
  });

  it('gives the same hashes to the same policy from two tenants (other ids, other groups)', () => {
    const tenantA = fixtureObject('configurationPolicies', 'settings-catalog-edge.json');
    const tenantB = JSON.parse(
      JSON.stringify(tenantA)
        .replaceAll('3f0c1b52-6a1e-4a57-9a8d-1c2b3d4e5f60', '11111111-2222-4333-8444-555555555555')
        .replaceAll('5b8c0d2e-1f3a-4b5c-8d9e-0a1b2c3d4e5f', '66666666-7777-4888-8999-aaaaaaaaaaaa')
        .replaceAll('2025-03-02T10:15:30.1234567Z', '2026-01-01T00:00:00Z'),
    ) as Record<string, unknown>;
    const a = buildSubject('settingsCatalogPolicy', tenantA, digester);
    const b = buildSubject('settingsCatalogPolicy', tenantB, digester);
    expect(b.externalId).not.toBe(a.externalId);
    expect(b.contentHash).toBe(a.contentHash);
    expect(b.metaHash).toBe(a.metaHash);
  });

  it('tells types apart in the meta hash', () => {
    const ring = buildSubject('windowsUpdateRing', fixtureObject('deviceConfigurations', 'update-ring.json'), digester);
    const asProfile = buildSubject('deviceConfiguration', fixtureObject('deviceConfigurations', 'update-ring.json'), digester);
    expect(ring.metaHash).not.toBe(asProfile.metaHash);
  });

  it('rejects a type key that is not in the registry', () => {
    expect(() => buildSubject('printerPolicy' as RegistryTypeKey, { displayName: 'x' }, digester)).toThrow(UnknownPolicyTypeError);
  });
});
