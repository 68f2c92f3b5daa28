import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FOUNDATION_TYPE_KEYS, POLICY_TYPE_KEYS } from '../../shared/domain/model.js';
import { ALL_FOUNDATION_TYPES, ALL_POLICY_TYPES, POLICY_TYPES, configurationPolicyFamily, enrollmentConfigurationKind, isFoundationType, isRegistryTypeKey, policyTypeDefinition } from '../../shared/domain/registry.js';
import { GRAPH_COLLECTIONS, GRAPH_COLLECTION_KEYS, isGraphCollectionKey } from '../../shared/domain/graph-collections.js';
import { classifyGraphObject, typesOfCollection } from '../../shared/domain/classification.js';
import { UnknownGraphCollectionError, UnknownPolicyTypeError } from '../../shared/domain/errors.js';
import { FIXTURE_TYPES, fixtureObject } from '../fixtures/graph/fixtures.js';

const ALL_KEYS = [...POLICY_TYPE_KEYS, ...FOUNDATION_TYPE_KEYS];

describe('policy type registry: entries', () => {
  it('has exactly one entry per policy type and foundation type key, named by its key', () => {
    expect(Object.keys(POLICY_TYPES).sort()).toEqual([...ALL_KEYS].sort());
    for (const key of ALL_KEYS) expect(POLICY_TYPES[key].key).toBe(key);
  });

  it('flags exactly the foundation types as foundations', () => {
    for (const key of POLICY_TYPE_KEYS) expect(POLICY_TYPES[key].foundation).toBe(false);
    for (const key of FOUNDATION_TYPE_KEYS) expect(POLICY_TYPES[key].foundation).toBe(true);
    expect(ALL_POLICY_TYPES).toEqual([...POLICY_TYPE_KEYS]);
    expect(ALL_FOUNDATION_TYPES).toEqual(['roleScopeTag', 'assignmentFilter', 'notificationMessageTemplate']);
    expect(isFoundationType('assignmentFilter')).toBe(true);
    expect(isFoundationType('deviceConfiguration')).toBe(false);
    expect(isFoundationType('nope')).toBe(false);
  });

  it('gives every type a human label', () => {
    const labels = ALL_KEYS.map((key) => POLICY_TYPES[key].label);
    for (const label of labels) expect(label.trim().length).toBeGreaterThan(3);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('names settings catalog style types by `name`, every other type by `displayName`', () => {
    const byName = ALL_KEYS.filter((key) => POLICY_TYPES[key].nameField === 'name').sort();
    expect(byName).toEqual(['compliancePolicy', 'endpointSecurityPolicy', 'securityBaselinePolicy', 'settingsCatalogPolicy']);
  });

  it('declares the keyed arrays of settings catalog, intents and custom OMA-URI profiles', () => {
    for (const key of ['settingsCatalogPolicy', 'endpointSecurityPolicy', 'securityBaselinePolicy', 'compliancePolicy'] as const) {
      expect(POLICY_TYPES[key].keyedArrays).toMatchObject({
        settings: 'settingInstance.settingDefinitionId',
        children: 'settingDefinitionId',
      });
    }
    expect(POLICY_TYPES.securityBaselineIntent.keyedArrays).toEqual({ settings: 'definitionId' });
    expect(POLICY_TYPES.deviceConfiguration.keyedArrays).toEqual({ omaSettings: 'omaUri' });
  });

  it('declares secrets per type: PSK and passwords everywhere, certificates, encrypted OMA-URI values, script content', () => {
    const keysOf = (type: keyof typeof POLICY_TYPES): string[] => POLICY_TYPES[type].secretPaths.map((rule) => rule.key);
    for (const key of ALL_KEYS) expect(keysOf(key)).toEqual(expect.arrayContaining(['preSharedKey', 'password', 'passwordValue', 'sharedSecret', 'certificatePassword']));
    expect(keysOf('deviceConfiguration')).toEqual(
      expect.arrayContaining(['certificate', 'rootCertificate', 'pfx', 'trustedRootCertificate', 'payload']),
    );
    expect(POLICY_TYPES.deviceConfiguration.secretPaths).toContainEqual({ key: 'value', when: { key: 'isEncrypted', equals: true } });
    expect(POLICY_TYPES.deviceConfiguration.opaqueTenantRefKeys).toEqual(['secretReferenceValueId']);
    expect(keysOf('powershellScript')).toContain('scriptContent');
    expect(keysOf('shellScript')).toContain('scriptContent');
    expect(keysOf('conditionalAccessPolicy')).not.toContain('scriptContent');
  });

  it('looks definitions up by key and rejects unknown keys with a named error', () => {
    expect(policyTypeDefinition('windowsUpdateRing').collection).toBe('deviceConfigurations');
    expect(() => policyTypeDefinition('printerPolicy')).toThrow(UnknownPolicyTypeError);
    expect(isRegistryTypeKey('conditionalAccessPolicy')).toBe(true);
    for (const notAKey of ['toString', '__proto__', 'constructor', '', 'ConditionalAccessPolicy', 42, undefined]) {
      expect(isRegistryTypeKey(notAKey)).toBe(false);
    }
  });
});

describe('policy type registry: Graph collections', () => {
  it('declares one spec per collection key, keyed by its own key, and each is read by at least one type', () => {
    expect(Object.keys(GRAPH_COLLECTIONS).sort()).toEqual([...GRAPH_COLLECTION_KEYS].sort());
    for (const [key, spec] of Object.entries(GRAPH_COLLECTIONS)) {
      expect(spec.key).toBe(key);
      expect(typesOfCollection(key).length).toBeGreaterThan(0);
    }
    for (const key of ALL_KEYS) expect(isGraphCollectionKey(POLICY_TYPES[key].collection)).toBe(true);
  });

  it('declares well-formed requests: absolute paths, {id} in per-object paths, query options with `$`', () => {
    for (const spec of Object.values(GRAPH_COLLECTIONS)) {
      expect(spec.listPath).toMatch(/^\/(deviceManagement|deviceAppManagement|identity)\//);
      for (const name of Object.keys(spec.listQuery ?? {})) expect(name.startsWith('$')).toBe(true);
      for (const followUp of spec.followUps) {
        for (const name of Object.keys(followUp.query ?? {})) expect(name.startsWith('$')).toBe(true);
        const where = followUp.kind === 'concreteTypeItem' ? followUp.collectionRoot : followUp.pathTemplate;
        const expected = followUp.kind === 'concreteTypeItem' ? '/deviceAppManagement' : `${spec.listPath}/{id}`;
        expect(where.startsWith(expected)).toBe(true);
      }
    }
  });

  it('never declares a request that returns a secret in clear', () => {
    const text = JSON.stringify(GRAPH_COLLECTIONS).toLowerCase();
    expect(text).not.toContain('plaintext');
    expect(text).not.toContain('getomasetting');
  });

  it('reads settings, script content and app protection details with follow-ups', () => {
    const followUpsOf = (key: string): unknown[] => GRAPH_COLLECTIONS[key]?.followUps ?? [];
    expect(followUpsOf('configurationPolicies')).toContainEqual(
      expect.objectContaining({ kind: 'subcollection', property: 'settings', pathTemplate: '/deviceManagement/configurationPolicies/{id}/settings' }),
    );
    expect(followUpsOf('intents')).toContainEqual(
      expect.objectContaining({ kind: 'subcollection', property: 'settings', pathTemplate: '/deviceManagement/intents/{id}/settings' }),
    );
    expect(followUpsOf('deviceManagementScripts')[0]).toEqual({ kind: 'itemById', pathTemplate: '/deviceManagement/deviceManagementScripts/{id}' });
    expect(followUpsOf('appProtectionPolicies')).toEqual([
      { kind: 'concreteTypeItem', collectionRoot: '/deviceAppManagement', query: { $expand: 'apps,assignments' } },
    ]);
    expect(GRAPH_COLLECTIONS.appProtectionPolicies?.excludeODataTypes).toContain('#microsoft.graph.targetedManagedAppConfiguration');
    expect(GRAPH_COLLECTIONS.conditionalAccessPolicies).toMatchObject({ apiVersion: 'v1.0', listPath: '/identity/conditionalAccess/policies' });
  });
});

describe('classification', () => {
  it.each(FIXTURE_TYPES.map((f) => [`${f.collection}/${f.file}#${f.index}`, f] as const))('classifies %s', (_name, fixture) => {
    expect(classifyGraphObject(fixture.collection, fixtureObject(fixture.collection, fixture.file, fixture.index))).toBe(fixture.type);
  });

  it('lists the types of shared collections in registry order', () => {
    expect(typesOfCollection('configurationPolicies')).toEqual(['settingsCatalogPolicy', 'endpointSecurityPolicy', 'securityBaselinePolicy']);
    expect(typesOfCollection('deviceConfigurations')).toEqual(['deviceConfiguration', 'windowsUpdateRing']);
    expect(typesOfCollection('deviceEnrollmentConfigurations')).toEqual([
      'enrollmentStatusPage',
      'enrollmentRestriction',
      'enrollmentLimit',
      'enrollmentConfiguration',
    ]);
  });

  it('tells configurationPolicies apart by template family, and technologies for EPM', () => {
    const family = (templateFamily: unknown, technologies?: unknown): string =>
      configurationPolicyFamily({ templateReference: templateFamily === undefined ? undefined : { templateFamily }, technologies });
    expect(family('endpointSecurityFirewall', 'mdm,microsoftSense')).toBe('endpointSecurity');
    expect(family('endpointSecurityEndpointDetectionAndResponse')).toBe('endpointSecurity');
    expect(family('baseline', 'mdm')).toBe('baseline');
    expect(family('none', 'mdm')).toBe('settingsCatalog');
    expect(family(undefined, 'mdm')).toBe('settingsCatalog');
    expect(family(null, 'mdm')).toBe('settingsCatalog');
    expect(family('deviceConfigurationScripts', 'mdm')).toBe('settingsCatalog');
    expect(family('none', 'mdm,endpointPrivilegeManagement')).toBe('endpointSecurity');
    expect(family('none', ['mdm', 'endpointPrivilegeManagement'])).toBe('endpointSecurity');
    expect(configurationPolicyFamily({ templateReference: null })).toBe('settingsCatalog');
  });

  it('tells enrollment configurations apart by @odata.type, or deviceEnrollmentConfigurationType without it', () => {
    const kind = (odataType: string): string => enrollmentConfigurationKind({ '@odata.type': odataType });
    expect(kind('#microsoft.graph.windows10EnrollmentCompletionPageConfiguration')).toBe('enrollmentStatusPage');
    expect(kind('#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration')).toBe('enrollmentRestriction');
    expect(kind('#microsoft.graph.deviceEnrollmentPlatformRestrictionConfiguration')).toBe('enrollmentRestriction');
    expect(kind('#microsoft.graph.deviceEnrollmentLimitConfiguration')).toBe('enrollmentLimit');
    expect(kind('#microsoft.graph.deviceEnrollmentWindowsHelloForBusinessConfiguration')).toBe('enrollmentConfiguration');
    expect(kind('#microsoft.graph.deviceComanagementAuthorityConfiguration')).toBe('enrollmentConfiguration');
    const byField = (value: string): string => enrollmentConfigurationKind({ deviceEnrollmentConfigurationType: value });
    expect(byField('windows10EnrollmentCompletionPageConfiguration')).toBe('enrollmentStatusPage');
    expect(byField('singlePlatformRestriction')).toBe('enrollmentRestriction');
    expect(byField('defaultLimit')).toBe('enrollmentLimit');
    expect(byField('windowsHelloForBusiness')).toBe('enrollmentConfiguration');
  });

  it('puts Windows update rings apart from other device configurations, by @odata.type', () => {
    expect(classifyGraphObject('deviceConfigurations', { '@odata.type': '#microsoft.graph.windowsUpdateForBusinessConfiguration' })).toBe('windowsUpdateRing');
    expect(classifyGraphObject('deviceConfigurations', { '@odata.type': '#microsoft.graph.iosUpdateConfiguration' })).toBe('deviceConfiguration');
    expect(classifyGraphObject('deviceConfigurations', { displayName: 'no type' })).toBe('deviceConfiguration');
  });

  it('classifies any object of a shared collection into exactly one type', () => {
    const odataTypes = fc.constantFrom(
      undefined,
      '#microsoft.graph.windowsUpdateForBusinessConfiguration',
      '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration',
      '#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration',
      '#microsoft.graph.deviceEnrollmentLimitConfiguration',
      '#microsoft.graph.deviceEnrollmentWindowsHelloForBusinessConfiguration',
      '#microsoft.graph.deviceManagementConfigurationPolicy',
    );
    const families = fc.oneof(fc.constantFrom('none', 'baseline', 'endpointSecurityAntivirus', 'endpointSecurityFirewall'), fc.string());
    const technologies = fc.oneof(fc.constantFrom('mdm', 'mdm,microsoftSense', 'endpointPrivilegeManagement'), fc.string(), fc.constant(undefined));
    fc.assert(
      fc.property(
        fc.constantFrom('configurationPolicies', 'deviceConfigurations', 'deviceEnrollmentConfigurations'),
        odataTypes,
        fc.option(families),
        technologies,
        fc.option(fc.constantFrom('limit', 'platformRestrictions', 'windows10EnrollmentCompletionPageConfiguration', 'unknown')),
        (collection, odataType, family, tech, enrollmentType) => {
          const obj: Record<string, unknown> = { displayName: 'x', '@odata.type': odataType, technologies: tech };
          if (family !== null) obj['templateReference'] = { templateFamily: family };
          if (enrollmentType !== null) obj['deviceEnrollmentConfigurationType'] = enrollmentType;
          const matching = typesOfCollection(collection).filter((key) => POLICY_TYPES[key].matches(obj));
          expect(matching).toHaveLength(1);
          expect(classifyGraphObject(collection, obj)).toBe(matching[0]);
        },
      ),
    );
  });

  it('rejects a collection the registry does not read, listing the known ones', () => {
    expect(() => classifyGraphObject('printers', { displayName: 'x' })).toThrow(UnknownGraphCollectionError);
    expect(() => typesOfCollection('printers')).toThrow(/unknown Graph collection "printers".*known collections are configurationPolicies, deviceConfigurations/);
  });
});

describe('content completeness', () => {
  const complete = (type: keyof typeof POLICY_TYPES, obj: Record<string, unknown>): boolean => POLICY_TYPES[type].contentComplete(obj);

  it('needs every setting of a configurationPolicy', () => {
    expect(complete('settingsCatalogPolicy', { settingCount: 2, settings: [{}, {}] })).toBe(true);
    expect(complete('settingsCatalogPolicy', { settings: [{}] })).toBe(true);
    expect(complete('settingsCatalogPolicy', { settingCount: 2 })).toBe(false);
    expect(complete('endpointSecurityPolicy', { settingCount: 30, settings: new Array(25).fill({}) })).toBe(false);
    expect(complete('settingsCatalogPolicy', { settingCount: 0 })).toBe(true);
    expect(complete('compliancePolicy', { name: 'x', settingCount: 1 })).toBe(false);
    // Normalized content has no settingCount: taken as it is (normalizing it again keeps it).
    expect(complete('securityBaselinePolicy', { settings: [] })).toBe(true);
  });

  it('needs intent settings, script content, compliance actions and administrative template values', () => {
    expect(complete('securityBaselineIntent', { displayName: 'x' })).toBe(false);
    expect(complete('securityBaselineIntent', { displayName: 'x', settingsDelta: [] })).toBe(false);
    expect(complete('securityBaselineIntent', { displayName: 'x', settings: [] })).toBe(true);
    expect(complete('powershellScript', { displayName: 'x', scriptContent: null })).toBe(false);
    expect(complete('shellScript', { displayName: 'x', scriptContent: 'ZWNobw==' })).toBe(true);
    expect(complete('deviceCompliancePolicy', { displayName: 'x' })).toBe(false);
    expect(complete('deviceCompliancePolicy', { displayName: 'x', scheduledActionsForRule: [] })).toBe(true);
    expect(complete('administrativeTemplate', { displayName: 'x' })).toBe(false);
  });

  it('takes list entries of other types as complete', () => {
    expect(complete('conditionalAccessPolicy', { displayName: 'x' })).toBe(true);
    expect(complete('deviceConfiguration', { displayName: 'x' })).toBe(true);
    expect(complete('assignmentFilter', { displayName: 'x' })).toBe(true);
  });
});

describe('registry immutability', () => {
  it('is frozen, so nobody changes the rules others rely on', () => {
    expect(Object.isFrozen(POLICY_TYPES)).toBe(true);
    expect(Object.isFrozen(POLICY_TYPES.settingsCatalogPolicy.keyedArrays)).toBe(true);
    expect(Object.isFrozen(POLICY_TYPES.deviceConfiguration.secretPaths[0])).toBe(true);
    expect(Object.isFrozen(GRAPH_COLLECTIONS.configurationPolicies?.followUps)).toBe(true);
    expect(() => {
      POLICY_TYPES.conditionalAccessPolicy.unorderedArrays.push('x');
    }).toThrow(TypeError);
  });
});
