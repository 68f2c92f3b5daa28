import { describe, expect, it } from 'vitest';
import type { RegistryTypeKey } from '../../shared/domain/model.js';
import { canonicalJson } from '../../shared/domain/canonical.js';
import { UnknownPolicyTypeError } from '../../shared/domain/errors.js';
import { NOISE_KEYS, isGuid, isNoiseKey, normalizeAndSerialize, normalizeGraphObject } from '../../shared/domain/normalize.js';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import { FIXTURE_SECRETS, FIXTURE_TYPES, TEST_SECRET_KEY, fixtureObject } from '../fixtures/graph/fixtures.js';

const digester = createSecretDigester(TEST_SECRET_KEY);

function normalizeFixture(collection: string, file: string, index = 0): ReturnType<typeof normalizeGraphObject> {
  const fixture = FIXTURE_TYPES.find((f) => f.collection === collection && f.file === file && f.index === index);
  if (fixture === undefined) throw new Error(`no fixture ${collection}/${file}#${index}`);
  return normalizeGraphObject(fixture.type as RegistryTypeKey, fixtureObject(collection, file, index), digester);
}

function contentOf(collection: string, file: string, index = 0): Record<string, unknown> {
  const { content } = normalizeFixture(collection, file, index);
  if (content === undefined) throw new Error(`${collection}/${file} has no content`);
  return content;
}

/** Every key of every object in a JSON tree. */
function allKeys(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) allKeys(item, out);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      allKeys(item, out);
    }
  }
  return out;
}

function hasNull(value: unknown): boolean {
  if (value === null) return true;
  if (Array.isArray(value)) return value.some(hasNull);
  if (typeof value === 'object') return Object.values(value).some(hasNull);
  return false;
}

const EDGE = 'device_vendor_msft_policy_config_microsoft_edge';
const SMARTSCREEN = `${EDGE}~policy~microsoft_edge_smartscreenenabled`;
const FAVORITES = `${EDGE}~policy~microsoft_edge_managedfavorites`;
const BLOCKLIST = `${EDGE}~policy~microsoft_edge_extensioninstallblocklist`;

describe('normalization: the settings catalog fixture, rule by rule', () => {
  it('keeps exactly the configuration: noise and the name gone, settings keyed, references replaced', () => {
    // Assignments are their own dimension (design 3.5): not settings content.
    expect(contentOf('configurationPolicies', 'settings-catalog-edge.json')).toEqual({
      description: 'Edge hardening for managed devices',
      platforms: 'windows10',
      settings: [
        {
          settingInstance: {
            settingDefinitionId: BLOCKLIST,
            simpleSettingCollectionValue: [{ value: '*' }, { value: 'abcdefghijklmnopabcdefghijklmnop' }],
          },
        },
        {
          settingInstance: {
            groupSettingCollectionValue: [
              {
                children: [
                  { settingDefinitionId: `${EDGE}_managedfavorites_name`, simpleSettingValue: { value: 'Intranet' } },
                  { settingDefinitionId: `${EDGE}_managedfavorites_url`, simpleSettingValue: { value: 'https://intranet.contoso.com' } },
                ],
              },
              {
                children: [
                  { settingDefinitionId: `${EDGE}_managedfavorites_name`, simpleSettingValue: { value: 7 } },
                  { settingDefinitionId: `${EDGE}_managedfavorites_url`, simpleSettingValue: { value: 'https://hr.contoso.com' } },
                ],
              },
            ],
            settingDefinitionId: FAVORITES,
          },
        },
        {
          settingInstance: {
            choiceSettingValue: {
              children: [
                { settingDefinitionId: `${SMARTSCREEN}_allowlistdomains`, simpleSettingValue: { value: 'contoso.com' } },
                {
                  choiceSettingValue: { children: [], value: `${SMARTSCREEN}_smartscreenpuaenabled_1` },
                  settingDefinitionId: `${SMARTSCREEN}_smartscreenpuaenabled`,
                },
              ],
              value: `${SMARTSCREEN}_1`,
            },
            settingDefinitionId: SMARTSCREEN,
          },
        },
      ],
      technologies: 'mdm',
      templateReference: { templateFamily: 'none', templateId: '' },
    });
  });

  it('takes meta from the object as Graph returned it (odata type is identity there)', () => {
    expect(normalizeFixture('configurationPolicies', 'settings-catalog-edge.json').meta).toEqual({
      odata_type: '#microsoft.graph.deviceManagementConfigurationPolicy',
      platforms: 'windows10',
      policy_type: 'settingsCatalogPolicy',
      technologies: 'mdm',
      template_family: 'none',
      template_id: null,
    });
    expect(normalizeFixture('configurationPolicies', 'endpoint-security-antivirus.json').meta).toEqual({
      odata_type: '#microsoft.graph.deviceManagementConfigurationPolicy',
      platforms: 'windows10',
      policy_type: 'endpointSecurityPolicy',
      technologies: 'mdm,microsoftSense',
      template_family: 'endpointSecurityAntivirus',
      template_id: null,
    });
  });

  it('fills meta defaults for exports without @odata.type or templateReference, so export shapes do not differ', () => {
    const bare = normalizeFixture('configurationPolicies', 'laps-secret.json').meta;
    // The same meta as the settings catalog policy that carries both.
    expect(bare).toEqual(normalizeFixture('configurationPolicies', 'settings-catalog-edge.json').meta);
    expect(normalizeFixture('assignmentFilters', 'filters.json').meta).toEqual({
      odata_type: '#microsoft.graph.deviceAndAppManagementAssignmentFilter',
      platforms: 'windows10AndLater',
      policy_type: 'assignmentFilter',
      technologies: null,
      template_family: null,
      template_id: null,
    });
  });

  it('never lets the meta contract carry anything but its six fields', () => {
    for (const fixture of FIXTURE_TYPES) {
      const { meta } = normalizeFixture(fixture.collection, fixture.file, fixture.index);
      expect(Object.keys(meta)).toEqual(['odata_type', 'platforms', 'policy_type', 'technologies', 'template_family', 'template_id']);
      expect(meta.policy_type).toBe(fixture.type);
    }
  });
});

describe('normalization rule 1: noise', () => {
  it('knows the closed list and the annotation patterns', () => {
    // The closed list as docs/normalization.md writes it.
    const documented = 'id createdDateTime lastModifiedDateTime modifiedDateTime version deletedDateTime settingCount deployedAppCount isAssigned supportsScopeTags roleScopeTagIds priorityMetaData creationSource';
    expect([...NOISE_KEYS].sort()).toEqual(documented.split(' ').sort());
    for (const key of ['@odata.type', '@odata.context', 'children@odata.type', 'assignments@odata.navigationLink', '#microsoft.graph.assign']) {
      expect(isNoiseKey(key)).toBe(true);
    }
    for (const key of ['odata', 'identity', 'versionInfo', 'displayVersion', 'microsoft.graph.assign', 'scheduledActionsForRule', 'Id']) {
      expect(isNoiseKey(key)).toBe(false);
    }
  });

  it('removes noise and null-valued properties at every depth of every fixture', () => {
    for (const fixture of FIXTURE_TYPES) {
      const { content } = normalizeFixture(fixture.collection, fixture.file, fixture.index);
      const keys = allKeys(content);
      expect(keys.filter((key) => isNoiseKey(key))).toEqual([]);
      expect(hasNull(content)).toBe(false);
    }
  });

  it('keeps configuration that only looks volatile (the list is closed)', () => {
    const content = normalizeGraphObject('deviceConfiguration', { displayName: 'x', versionInfo: '2009', identityVersion: 3, lastSyncNote: 'n' }, digester).content;
    expect(content).toEqual({ identityVersion: 3, lastSyncNote: 'n', versionInfo: '2009' });
  });

  it('keeps empty strings, empty arrays, false and zero (only null is absence)', () => {
    const content = normalizeGraphObject('deviceConfiguration', { displayName: 'x', a: '', b: [], c: false, d: 0, e: {} }, digester).content;
    expect(content).toEqual({ a: '', b: [], c: false, d: 0, e: {} });
  });
});

describe('normalization: the name is identity, not content', () => {
  it('removes the type name field from the top level only', () => {
    const content = contentOf('deviceManagementScripts', 'set-timezone.json');
    expect(content).not.toHaveProperty('displayName');
    expect(content['fileName']).toBe('Set-TimeZone.ps1');
    const nested = normalizeGraphObject('deviceConfiguration', { displayName: 'x', omaSettings: [{ displayName: 'kept', omaUri: './a', value: 1 }] }, digester);
    expect(nested.content).toEqual({ omaSettings: [{ displayName: 'kept', omaUri: './a', value: 1 }] });
  });

  it('removes both names when an export carries `name` and `displayName` for the same thing', () => {
    const content = contentOf('compliancePolicies', 'linux-compliance.json');
    expect(content).not.toHaveProperty('name');
    expect(content).not.toHaveProperty('displayName');
    const spaced = normalizeGraphObject('compliancePolicy', { name: 'Linux  Policy', displayName: 'linux policy ', settings: [] }, digester);
    expect(spaced.content).toEqual({ settings: [] });
  });

  it('keeps a second name that says something else (it is configuration then)', () => {
    const content = normalizeGraphObject('settingsCatalogPolicy', { name: 'Baseline', displayName: 'Other text', settings: [] }, digester).content;
    expect(content).toEqual({ displayName: 'Other text', settings: [] });
  });
});

describe('normalization rule 2: tenant-scoped references', () => {
  it('replaces GUIDs in Conditional Access user, group, location and terms-of-use lists, keeps other values', () => {
    expect(contentOf('conditionalAccessPolicies', 'require-mfa-admins.json')).toEqual({
      conditions: {
        applications: {
          excludeApplications: ['0000000a-0000-0000-c000-000000000000', 'd4ebce55-015a-49b5-a083-c84d1797ae8c'],
          includeApplications: ['All'],
          includeAuthenticationContextClassReferences: [],
          includeUserActions: [],
        },
        clientAppTypes: ['all'],
        locations: { excludeLocations: ['AllTrusted', 'tenant-ref'], includeLocations: ['All'] },
        servicePrincipalRiskLevels: [],
        signInRiskLevels: [],
        userRiskLevels: [],
        users: {
          excludeGroups: ['tenant-ref', 'tenant-ref'],
          excludeRoles: [],
          excludeUsers: ['GuestsOrExternalUsers', 'tenant-ref'],
          includeGroups: ['tenant-ref'],
          includeRoles: ['194ae4cb-b126-40b2-bd5b-6091b380977d', '62e90394-69f5-4237-9190-012177145e10', 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c'],
          includeUsers: [],
        },
      },
      grantControls: { builtInControls: ['mfa'], customAuthenticationFactors: [], operator: 'OR', termsOfUse: ['tenant-ref'] },
      state: 'enabled',
    });
  });

  it('replaces notification template ids and CC groups in compliance actions', () => {
    const content = contentOf('deviceCompliancePolicies', 'windows-compliance.json');
    expect(content['scheduledActionsForRule']).toEqual([
      {
        ruleName: 'PasswordRequired',
        scheduledActionConfigurations: [
          { actionType: 'block', gracePeriodHours: 0, notificationMessageCCList: [], notificationTemplateId: 'tenant-ref' },
          { actionType: 'notification', gracePeriodHours: 72, notificationMessageCCList: ['tenant-ref'], notificationTemplateId: 'tenant-ref' },
        ],
      },
    ]);
  });

  it('keeps assignments out of the content (their own dimension) and replaces app ids an ESP waits for', () => {
    expect(contentOf('roleScopeTags', 'helpdesk.json')['assignments']).toBeUndefined();
    expect(contentOf('deviceEnrollmentConfigurations', 'enrollment-configurations.json', 0)['selectedMobileAppIds']).toEqual(['tenant-ref', 'tenant-ref']);
  });

  it('leaves GUIDs outside the reference keys alone, and non-GUID values inside them', () => {
    const content = normalizeGraphObject(
      'conditionalAccessPolicy',
      { displayName: 'x', templateId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', conditions: { users: { includeUsers: ['None', 'All', 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5'] } } },
      digester,
    ).content;
    expect(content).toEqual({
      conditions: { users: { includeUsers: ['All', 'None', 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5'] } },
      templateId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
    });
    expect(isGuid('A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D')).toBe(true);
    expect(isGuid('{a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d}')).toBe(false);
  });
});

describe('normalization rule 3: order-insensitive arrays', () => {
  it('sorts intent settings by definition id and drops their ids', () => {
    const settings = contentOf('intents', 'account-protection.json')['settings'] as { definitionId: string }[];
    expect(settings.map((s) => s.definitionId)).toEqual([
      'deviceConfiguration--windowsIdentityProtectionConfiguration_pinMinimumLength',
      'deviceConfiguration--windowsIdentityProtectionConfiguration_pinUppercaseCharactersUsage',
      'deviceConfiguration--windowsIdentityProtectionConfiguration_unlockWithBiometricsEnabled',
    ]);
    expect(settings[0]).toEqual({ definitionId: 'deviceConfiguration--windowsIdentityProtectionConfiguration_pinMinimumLength', value: 6, valueJson: '6' });
  });

  it('sorts keyed arrays of other types by their declared key', () => {
    const oma = contentOf('deviceConfigurations', 'custom-oma-uri.json')['omaSettings'] as { omaUri: string }[];
    expect(oma.map((s) => s.omaUri)).toEqual(['./Vendor/MSFT/Policy/Config/Camera/AllowCamera', './Vendor/MSFT/VPNv2/ContosoVPN/NativeProfile/SharedSecret']);
    const locales = contentOf('notificationMessageTemplates', 'first-warning.json')['localizedNotificationMessages'] as { locale: string }[];
    expect(locales.map((m) => m.locale)).toEqual(['en-US', 'fr-FR']);
    const app = contentOf('mobileAppConfigurations', 'outlook-ios.json')['settings'] as { appConfigKey: string }[];
    expect(app.map((s) => s.appConfigKey)).toEqual(['IntuneMAMAllowedAccountsOnly', 'com.microsoft.outlook.EmailProfile.AccountType']);
  });

  it('sorts by code units, never by locale, and puts elements without a key last', () => {
    const content = normalizeGraphObject(
      'securityBaselineIntent',
      { displayName: 'x', settings: [{ value: 'no key' }, { definitionId: 'b' }, { definitionId: 'B' }, { definitionId: 'a' }, { definitionId: 'ä' }] },
      digester,
    ).content;
    expect(content?.['settings']).toEqual([{ definitionId: 'B' }, { definitionId: 'a' }, { definitionId: 'b' }, { definitionId: 'ä' }, { value: 'no key' }]);
  });

  it('breaks ties between equal keys by content, so input order never shows', () => {
    const a = { definitionId: 'same', value: 1 };
    const b = { definitionId: 'same', value: 2 };
    const one = normalizeGraphObject('securityBaselineIntent', { displayName: 'x', settings: [a, b] }, digester).content;
    const two = normalizeGraphObject('securityBaselineIntent', { displayName: 'x', settings: [b, a] }, digester).content;
    expect(one).toEqual(two);
  });

  it('keeps the order of arrays nobody declared unordered', () => {
    const content = normalizeGraphObject('deviceConfiguration', { displayName: 'x', appsHideList: ['b', 'a'], exemptedAppProtocols: [{ v: 2 }, { v: 1 }] }, digester).content;
    expect(content).toEqual({ appsHideList: ['b', 'a'], exemptedAppProtocols: [{ v: 2 }, { v: 1 }] });
  });
});

describe('normalization rule 4: secrets', () => {
  const digestOf = (value: unknown): string => digester.digest(value);

  it('replaces a Wi-Fi pre-shared key by its keyed digest', () => {
    expect(contentOf('deviceConfigurations', 'wifi-psk.json')['preSharedKey']).toBe(digestOf('Sup3r-S3cret-PSK!'));
  });

  it('replaces an encrypted OMA-URI value, and only that one, and treats its reference id as tenant-scoped', () => {
    expect(contentOf('deviceConfigurations', 'custom-oma-uri.json')['omaSettings']).toEqual([
      { displayName: 'Allow camera', isEncrypted: false, isReadOnly: false, omaUri: './Vendor/MSFT/Policy/Config/Camera/AllowCamera', value: 0 },
      {
        displayName: 'VPN shared secret',
        isEncrypted: true,
        omaUri: './Vendor/MSFT/VPNv2/ContosoVPN/NativeProfile/SharedSecret',
        secretReferenceValueId: 'tenant-ref',
        value: digestOf('Tr0ub4dor&3-vpn'),
      },
    ]);
  });

  it('replaces custom Apple profile payloads, script content and settings catalog secret values', () => {
    expect(contentOf('deviceConfigurations', 'ios-custom-profile.json')['payload']).toBe(digestOf(FIXTURE_SECRETS[3]));
    expect(contentOf('deviceManagementScripts', 'set-timezone.json')['scriptContent']).toBe(digestOf(FIXTURE_SECRETS[4]));
    expect(contentOf('deviceShellScripts', 'dock.json')['scriptContent']).toBe(digestOf(FIXTURE_SECRETS[5]));
    const setting = (contentOf('configurationPolicies', 'laps-secret.json')['settings'] as Record<string, Record<string, unknown>>[])[0];
    expect(setting?.['settingInstance']?.['simpleSettingValue']).toEqual({ value: digestOf('Correct-Horse-Battery-Staple-42'), valueState: 'notEncrypted' });
  });

  it('redacts password-like properties in every type, at any depth, whatever their value', () => {
    const content = normalizeGraphObject('mobileAppConfiguration', { displayName: 'x', vpn: { password: { nested: 'p4ss' }, sharedSecret: 42 } }, digester).content;
    expect(content).toEqual({ vpn: { password: digestOf({ nested: 'p4ss' }), sharedSecret: digestOf(42) } });
  });

  it('lets no plain secret of any fixture reach meta or content', () => {
    for (const fixture of FIXTURE_TYPES) {
      const text = JSON.stringify(normalizeFixture(fixture.collection, fixture.file, fixture.index));
      for (const secret of FIXTURE_SECRETS) expect(text).not.toContain(secret);
    }
  });
});

describe('normalization: completeness, idempotence, canonical form', () => {
  it('returns meta only when the object lacks what its content needs', () => {
    const listed = fixtureObject('deviceManagementScripts', 'set-timezone.json');
    delete listed['scriptContent'];
    const result = normalizeGraphObject('powershellScript', listed, digester);
    expect(result.content).toBeUndefined();
    expect(result.meta.policy_type).toBe('powershellScript');
    const paged = fixtureObject('configurationPolicies', 'settings-catalog-edge.json');
    paged['settings'] = (paged['settings'] as unknown[]).slice(0, 2);
    expect(normalizeGraphObject('settingsCatalogPolicy', paged, digester).content).toBeUndefined();
  });

  it('changes nothing when normalizing normalized content', () => {
    for (const fixture of FIXTURE_TYPES) {
      const type = fixture.type as RegistryTypeKey;
      const { content } = normalizeFixture(fixture.collection, fixture.file, fixture.index);
      expect(content).toBeDefined();
      expect(normalizeGraphObject(type, content!, digester).content).toEqual(content);
    }
  });

  it('builds every object with sorted keys, and serializes to the canonical JSON', () => {
    for (const fixture of FIXTURE_TYPES) {
      const result = normalizeAndSerialize(fixture.type as RegistryTypeKey, fixtureObject(fixture.collection, fixture.file, fixture.index), digester);
      expect(result.contentJson).toBe(canonicalJson(result.content));
      expect(result.metaJson).toBe(canonicalJson(result.meta));
    }
  });

  it('serializes canonically even with array-index keys (which JavaScript lists first)', () => {
    const result = normalizeAndSerialize('deviceConfiguration', { displayName: 'x', map: { '10': 'a', '9': 'b', b: 1, a: 2 } }, digester);
    expect(result.contentJson).toBe('{"map":{"10":"a","9":"b","a":2,"b":1}}');
  });

  it('rejects a type key that is not in the registry', () => {
    expect(() => normalizeGraphObject('printerPolicy' as RegistryTypeKey, { displayName: 'x' }, digester)).toThrow(UnknownPolicyTypeError);
  });
});
