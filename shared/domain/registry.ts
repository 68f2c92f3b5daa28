/**
 * The policy type registry (docs/model.md): every policy type and foundation type the product
 * reads, with the Graph collection it lives in (its requests: `graph-collections.ts`), the rule that
 * tells it apart from other types of the same collection (applied by `classification.ts`), and its
 * normalization rules (docs/normalization.md): keyed and unordered arrays, secrets, extra
 * tenant-scoped references, and when its content is complete.
 */
import {
  FOUNDATION_TYPE_KEYS,
  POLICY_TYPE_KEYS,
  type FoundationTypeKey,
  type PolicyTypeKey,
  type RegistryTypeKey,
} from './model.js';
import { UnknownPolicyTypeError } from './errors.js';
import { deepFreeze } from './freeze.js';
import { GRAPH_COLLECTIONS, type GraphCollectionKey } from './graph-collections.js';

// ---------------------------------------------------------------------------------------------------
// Policy type definitions
// ---------------------------------------------------------------------------------------------------

/** The meta contract (docs/compare.md, "Hashing and fidelity"): the fixed identity fields every subject's meta hash covers. */
export const META_CONTRACT = ['policy_type', 'odata_type', 'platforms', 'technologies', 'template_family', 'template_id'] as const;
export type MetaField = (typeof META_CONTRACT)[number];

/** A property redacted to a keyed digest wherever it occurs in an object of the type. */
export interface SecretRule {
  /** The property name (at any depth). */
  key: string;
  /** Only when the same object (as Graph returned it) has this property with this value (e.g. the
   *  OMA-URI `value` when `isEncrypted` is true), or, without `equals`, has it at all (not null). */
  when?: { key: string; equals?: string | number | boolean };
}

export interface PolicyTypeDefinition {
  key: RegistryTypeKey;
  /** Human name, for listings and reports. */
  label: string;
  foundation: boolean;
  /** The GRAPH_COLLECTIONS key this type is read from (several types can share one). */
  collection: GraphCollectionKey;
  /** The property that names a policy: its identity across tenants (never hashed content). */
  nameField: 'displayName' | 'name';
  /** Classification among the types of the same collection: exactly one type matches an object. */
  matches(obj: Record<string, unknown>): boolean;
  /** Arrays of objects sorted by an identity inside each element: array property name (at any
   *  depth) -> dot path of the element's identity, or several paths (each element is keyed by the
   *  first one that yields a value). */
  keyedArrays: Record<string, string | readonly string[]>;
  /** Arrays sorted by the canonical JSON of their elements (order carries no meaning), added to the
   *  include/exclude lists every type sorts (`ALWAYS_UNORDERED_ARRAYS`). */
  unorderedArrays: string[];
  /** What is redacted (docs/normalization.md, "Secrets"), besides `scriptContent` etc. declared per type. */
  secretPaths: SecretRule[];
  /** Extra keys whose GUID values are tenant-scoped (added to `TENANT_REFERENCE_KEYS`). */
  tenantRefKeys: string[];
  /** Keys whose whole (non-empty string) value is a tenant-scoped reference, GUID or not. */
  opaqueTenantRefKeys: string[];
  /** False when the object lacks what its full content needs: then it has a meta hash only. */
  contentComplete(obj: Record<string, unknown>): boolean;
  /** The top-level properties `contentComplete` looks for (empty when every object is complete):
   *  what an incomplete side is said to lack, and what its comparable remainder leaves out. */
  contentParts: string[];
  /** Meta values used when the object does not carry them (exports without `@odata.type`, settings
   *  catalog policies without `templateReference`), so that export shapes do not change meta hashes. */
  metaDefaults: Partial<Record<'odata_type' | 'template_family', string>>;
}

/** Keys whose GUID values are tenant-scoped references (docs/normalization.md, "Tenant references"), in every type. */
export const TENANT_REFERENCE_KEYS = [
  'includeUsers',
  'excludeUsers',
  'includeGroups',
  'excludeGroups',
  'includeLocations',
  'excludeLocations',
  'notificationTemplateId',
  'groupId',
  'deviceAndAppManagementAssignmentFilterId',
  'termsOfUse',
] as const;

/**
 * Keys whose GUID values name groups inside a policy (conditional access `conditions.users`
 * `includeGroups` / `excludeGroups`): compared as mapped references, as an assignment's group is
 * (`policy-groups.ts`), not counted as `tenant-ref` tokens. Without a name a group id still becomes
 * `tenant-ref` in the content.
 */
export const GROUP_REFERENCE_KEYS = ['includeGroups', 'excludeGroups'] as const;

/**
 * The top-level property a sync writes beside a policy that names groups by id, so that an export
 * is self-contained: `{ "<group id>": "<display name>" }` (as `target.groupDisplayName` is for an
 * assignment). Not configuration: it never reaches the content.
 */
export const GROUP_NAMES_PROPERTY = 'groupDisplayNames';

/** The token a tenant-scoped GUID becomes. */
export const TENANT_REF_TOKEN = 'tenant-ref';

/** Include/exclude lists of users, groups, roles, applications, platforms and locations (docs/normalization.md, "Ordering"):
 *  sorted in every type. */
export const ALWAYS_UNORDERED_ARRAYS = [
  'includeUsers',
  'excludeUsers',
  'includeGroups',
  'excludeGroups',
  'includeRoles',
  'excludeRoles',
  'includeApplications',
  'excludeApplications',
  'includePlatforms',
  'excludePlatforms',
  'includeLocations',
  'excludeLocations',
] as const;

/** Password-like properties: redacted in every type (a credential is a secret wherever it shows). */
export const CREDENTIAL_SECRETS: readonly SecretRule[] = [
  { key: 'password' },
  { key: 'passwordValue' },
  { key: 'passphrase' },
  { key: 'sharedSecret' },
  { key: 'preSharedKey' },
  { key: 'certificatePassword' },
  { key: 'clientSecret' },
];

/** Certificate blobs and custom Apple profile payloads (may embed passwords or private keys). */
const CERTIFICATE_SECRETS: readonly SecretRule[] = [
  { key: 'certificate' },
  { key: 'rootCertificate' },
  { key: 'trustedRootCertificate' },
  { key: 'pfx' },
  { key: 'payload' },
];

/** Custom OMA-URI settings: an encrypted value is a secret (and its reference id is tenant-scoped). */
const ENCRYPTED_OMA_VALUE: SecretRule = { key: 'value', when: { key: 'isEncrypted', equals: true } };

/** Settings catalog secret settings (e.g. Wi-Fi keys): known by their type or, in exports without
 *  `@odata.type`, by `valueState` (only secret setting values carry it). */
const SECRET_SETTING_VALUES: readonly SecretRule[] = [
  { key: 'value', when: { key: '@odata.type', equals: '#microsoft.graph.deviceManagementConfigurationSecretSettingValue' } },
  { key: 'value', when: { key: 'valueState' } },
];

const SCRIPT_CONTENT: SecretRule = { key: 'scriptContent' };

/** Settings catalog: settings keyed by definition id, nested children too. */
const SETTINGS_CATALOG_KEYED_ARRAYS: Record<string, string> = {
  settings: 'settingInstance.settingDefinitionId',
  children: 'settingDefinitionId',
};

/**
 * Settings catalog collection values: a set of values (user rights SIDs, hardened UNC paths, allowed
 * options): the portal keeps no meaningful order, so reordering is no drift.
 */
const SETTINGS_CATALOG_UNORDERED_ARRAYS = [
  'simpleSettingCollectionValue',
  'choiceSettingCollectionValue',
  'groupSettingCollectionValue',
];

export function odataTypeOf(obj: Record<string, unknown>): string | undefined {
  const value = obj['@odata.type'];
  return typeof value === 'string' ? value : undefined;
}

function hasArray(obj: Record<string, unknown>, property: string): boolean {
  return Array.isArray(obj[property]);
}

/** Settings catalog style content (configurationPolicies, compliancePolicies): incomplete when
 *  `settingCount` announces settings the object does not carry (a list entry without its settings,
 *  or a paged read that stopped early). Without `settingCount` (normalized content, exports that drop
 *  it) the object is taken as it is. */
function settingsComplete(obj: Record<string, unknown>): boolean {
  const settings = obj['settings'];
  const count = obj['settingCount'];
  if (typeof count !== 'number') return true;
  return (Array.isArray(settings) ? settings.length : 0) >= count;
}

type ConfigurationPolicyFamily = 'endpointSecurity' | 'baseline' | 'settingsCatalog';

/** How a configurationPolicy is told apart: template family first, technologies for EPM. */
export function configurationPolicyFamily(obj: Record<string, unknown>): ConfigurationPolicyFamily {
  const reference = obj['templateReference'];
  const family =
    reference !== null && typeof reference === 'object'
      ? (reference as Record<string, unknown>)['templateFamily']
      : undefined;
  const technologies = obj['technologies'];
  const technologyList =
    typeof technologies === 'string'
      ? technologies.split(',').map((t) => t.trim())
      : Array.isArray(technologies)
        ? technologies.filter((t): t is string => typeof t === 'string')
        : [];
  if (typeof family === 'string' && family.startsWith('endpointSecurity')) return 'endpointSecurity';
  if (technologyList.includes('endpointPrivilegeManagement')) return 'endpointSecurity';
  if (family === 'baseline') return 'baseline';
  return 'settingsCatalog';
}

const WINDOWS_UPDATE_RING_ODATA_TYPE = '#microsoft.graph.windowsUpdateForBusinessConfiguration';

type EnrollmentKind = 'enrollmentStatusPage' | 'enrollmentRestriction' | 'enrollmentLimit' | 'enrollmentConfiguration';

/** Enrollment configurations by `@odata.type` (or, in exports without it, `deviceEnrollmentConfigurationType`). */
export function enrollmentConfigurationKind(obj: Record<string, unknown>): EnrollmentKind {
  const odataType = odataTypeOf(obj);
  if (odataType !== undefined) {
    const name = odataType.replace(/^#?microsoft\.graph\./, '');
    if (name === 'windows10EnrollmentCompletionPageConfiguration') return 'enrollmentStatusPage';
    if (name.includes('PlatformRestriction')) return 'enrollmentRestriction';
    if (name === 'deviceEnrollmentLimitConfiguration') return 'enrollmentLimit';
    return 'enrollmentConfiguration';
  }
  const kind = obj['deviceEnrollmentConfigurationType'];
  if (kind === 'windows10EnrollmentCompletionPageConfiguration' || kind === 'defaultWindows10EnrollmentCompletionPageConfiguration') {
    return 'enrollmentStatusPage';
  }
  if (kind === 'platformRestrictions' || kind === 'defaultPlatformRestrictions' || kind === 'singlePlatformRestriction') {
    return 'enrollmentRestriction';
  }
  if (kind === 'limit' || kind === 'defaultLimit') return 'enrollmentLimit';
  return 'enrollmentConfiguration';
}

const always = (): boolean => true;

type DefinitionInput = Pick<PolicyTypeDefinition, 'label' | 'collection'> & Partial<Omit<PolicyTypeDefinition, 'key' | 'foundation'>>;

function define(key: RegistryTypeKey, input: DefinitionInput): PolicyTypeDefinition {
  return deepFreeze({
    key,
    label: input.label,
    foundation: (FOUNDATION_TYPE_KEYS as readonly string[]).includes(key),
    collection: input.collection,
    nameField: input.nameField ?? 'displayName',
    matches: input.matches ?? always,
    keyedArrays: input.keyedArrays ?? {},
    unorderedArrays: ['assignments', ...(input.unorderedArrays ?? [])],
    secretPaths: [...CREDENTIAL_SECRETS, ...(input.secretPaths ?? [])],
    tenantRefKeys: input.tenantRefKeys ?? [],
    opaqueTenantRefKeys: input.opaqueTenantRefKeys ?? [],
    contentComplete: input.contentComplete ?? always,
    contentParts: input.contentParts ?? [],
    metaDefaults: { ...input.metaDefaults },
  });
}

const CONFIGURATION_POLICY: Omit<DefinitionInput, 'label' | 'matches'> = {
  collection: 'configurationPolicies',
  nameField: 'name',
  keyedArrays: SETTINGS_CATALOG_KEYED_ARRAYS,
  unorderedArrays: SETTINGS_CATALOG_UNORDERED_ARRAYS,
  secretPaths: [...SECRET_SETTING_VALUES],
  contentComplete: settingsComplete,
  contentParts: ['settings'],
  metaDefaults: { odata_type: '#microsoft.graph.deviceManagementConfigurationPolicy', template_family: 'none' },
};

const ENROLLMENT: Omit<DefinitionInput, 'label' | 'matches'> = {
  collection: 'deviceEnrollmentConfigurations',
};

/** Every registry type, by key. */
export const POLICY_TYPES: Readonly<Record<RegistryTypeKey, PolicyTypeDefinition>> = deepFreeze({
  deviceConfiguration: define('deviceConfiguration', {
    label: 'Device configuration profile',
    collection: 'deviceConfigurations',
    matches: (obj) => odataTypeOf(obj) !== WINDOWS_UPDATE_RING_ODATA_TYPE,
    keyedArrays: { omaSettings: 'omaUri' },
    secretPaths: [...CERTIFICATE_SECRETS, ENCRYPTED_OMA_VALUE],
    opaqueTenantRefKeys: ['secretReferenceValueId'],
  }),
  windowsUpdateRing: define('windowsUpdateRing', {
    label: 'Windows update ring',
    collection: 'deviceConfigurations',
    matches: (obj) => odataTypeOf(obj) === WINDOWS_UPDATE_RING_ODATA_TYPE,
    metaDefaults: { odata_type: WINDOWS_UPDATE_RING_ODATA_TYPE },
  }),
  deviceCompliancePolicy: define('deviceCompliancePolicy', {
    label: 'Device compliance policy',
    collection: 'deviceCompliancePolicies',
    keyedArrays: { scheduledActionsForRule: 'ruleName', scheduledActionConfigurations: 'actionType' },
    unorderedArrays: ['notificationMessageCCList'],
    tenantRefKeys: ['notificationMessageCCList'],
    contentComplete: (obj) => hasArray(obj, 'scheduledActionsForRule'),
    contentParts: ['scheduledActionsForRule'],
  }),
  compliancePolicy: define('compliancePolicy', {
    label: 'Compliance policy (settings catalog)',
    collection: 'compliancePolicies',
    nameField: 'name',
    keyedArrays: { ...SETTINGS_CATALOG_KEYED_ARRAYS, scheduledActionsForRule: 'ruleName', scheduledActionConfigurations: 'actionType' },
    unorderedArrays: [...SETTINGS_CATALOG_UNORDERED_ARRAYS, 'notificationMessageCCList'],
    tenantRefKeys: ['notificationMessageCCList'],
    secretPaths: [...SECRET_SETTING_VALUES],
    contentComplete: settingsComplete,
    contentParts: ['settings'],
    metaDefaults: { odata_type: '#microsoft.graph.deviceManagementCompliancePolicy' },
  }),
  settingsCatalogPolicy: define('settingsCatalogPolicy', {
    ...CONFIGURATION_POLICY,
    label: 'Settings catalog policy',
    matches: (obj) => configurationPolicyFamily(obj) === 'settingsCatalog',
  }),
  endpointSecurityPolicy: define('endpointSecurityPolicy', {
    ...CONFIGURATION_POLICY,
    label: 'Endpoint security policy',
    matches: (obj) => configurationPolicyFamily(obj) === 'endpointSecurity',
  }),
  securityBaselinePolicy: define('securityBaselinePolicy', {
    ...CONFIGURATION_POLICY,
    label: 'Security baseline policy',
    matches: (obj) => configurationPolicyFamily(obj) === 'baseline',
  }),
  securityBaselineIntent: define('securityBaselineIntent', {
    label: 'Security baseline or endpoint security intent',
    collection: 'intents',
    keyedArrays: { settings: 'definitionId' },
    contentComplete: (obj) => hasArray(obj, 'settings'),
    contentParts: ['settings'],
    metaDefaults: { odata_type: '#microsoft.graph.deviceManagementIntent' },
  }),
  administrativeTemplate: define('administrativeTemplate', {
    label: 'Administrative template',
    collection: 'groupPolicyConfigurations',
    // Definition ids are removed with every `id`; the definition's name is what survives. A value
    // exported without `$expand=definition` names its definition only by `definition@odata.bind`:
    // it is keyed by the definition id in that URL (`definitionId`, see export-shapes.ts).
    keyedArrays: {
      definitionValues: ['definition.displayName', 'definitionId'],
      presentationValues: ['presentation.label', 'presentationId'],
    },
    contentComplete: (obj) => hasArray(obj, 'definitionValues'),
    contentParts: ['definitionValues'],
    metaDefaults: { odata_type: '#microsoft.graph.groupPolicyConfiguration' },
  }),
  appProtectionPolicy: define('appProtectionPolicy', {
    label: 'App protection policy',
    collection: 'appProtectionPolicies',
    unorderedArrays: ['apps'],
  }),
  mobileAppConfiguration: define('mobileAppConfiguration', {
    label: 'App configuration policy (managed devices)',
    collection: 'mobileAppConfigurations',
    keyedArrays: { settings: 'appConfigKey' },
    tenantRefKeys: ['targetedMobileApps'],
    unorderedArrays: ['targetedMobileApps'],
  }),
  targetedManagedAppConfiguration: define('targetedManagedAppConfiguration', {
    label: 'App configuration policy (managed apps)',
    collection: 'targetedManagedAppConfigurations',
    keyedArrays: { customSettings: 'name' },
    unorderedArrays: ['apps'],
    metaDefaults: { odata_type: '#microsoft.graph.targetedManagedAppConfiguration' },
  }),
  conditionalAccessPolicy: define('conditionalAccessPolicy', {
    label: 'Conditional Access policy',
    collection: 'conditionalAccessPolicies',
    unorderedArrays: [
      'clientAppTypes',
      'builtInControls',
      'customAuthenticationFactors',
      'userRiskLevels',
      'signInRiskLevels',
      'servicePrincipalRiskLevels',
      'includeUserActions',
      'includeAuthenticationContextClassReferences',
      'includeServicePrincipals',
      'excludeServicePrincipals',
      'includeDevices',
      'excludeDevices',
      'termsOfUse',
    ],
    metaDefaults: { odata_type: '#microsoft.graph.conditionalAccessPolicy' },
  }),
  autopilotDeploymentProfile: define('autopilotDeploymentProfile', {
    label: 'Windows Autopilot deployment profile',
    collection: 'windowsAutopilotDeploymentProfiles',
  }),
  enrollmentStatusPage: define('enrollmentStatusPage', {
    ...ENROLLMENT,
    label: 'Enrollment Status Page',
    matches: (obj) => enrollmentConfigurationKind(obj) === 'enrollmentStatusPage',
    // Apps the page waits for: tenant-specific app ids, a set.
    tenantRefKeys: ['selectedMobileAppIds'],
    unorderedArrays: ['selectedMobileAppIds'],
    metaDefaults: { odata_type: '#microsoft.graph.windows10EnrollmentCompletionPageConfiguration' },
  }),
  enrollmentRestriction: define('enrollmentRestriction', {
    ...ENROLLMENT,
    label: 'Enrollment restriction',
    matches: (obj) => enrollmentConfigurationKind(obj) === 'enrollmentRestriction',
  }),
  enrollmentLimit: define('enrollmentLimit', {
    ...ENROLLMENT,
    label: 'Enrollment device limit',
    matches: (obj) => enrollmentConfigurationKind(obj) === 'enrollmentLimit',
    metaDefaults: { odata_type: '#microsoft.graph.deviceEnrollmentLimitConfiguration' },
  }),
  enrollmentConfiguration: define('enrollmentConfiguration', {
    ...ENROLLMENT,
    label: 'Enrollment configuration (other)',
    matches: (obj) => enrollmentConfigurationKind(obj) === 'enrollmentConfiguration',
  }),
  featureUpdateProfile: define('featureUpdateProfile', {
    label: 'Windows feature update profile',
    collection: 'windowsFeatureUpdateProfiles',
    metaDefaults: { odata_type: '#microsoft.graph.windowsFeatureUpdateProfile' },
  }),
  qualityUpdateProfile: define('qualityUpdateProfile', {
    label: 'Windows quality update profile',
    collection: 'windowsQualityUpdateProfiles',
    metaDefaults: { odata_type: '#microsoft.graph.windowsQualityUpdateProfile' },
  }),
  driverUpdateProfile: define('driverUpdateProfile', {
    label: 'Windows driver update profile',
    collection: 'windowsDriverUpdateProfiles',
    metaDefaults: { odata_type: '#microsoft.graph.windowsDriverUpdateProfile' },
  }),
  powershellScript: define('powershellScript', {
    label: 'PowerShell script (Windows)',
    collection: 'deviceManagementScripts',
    secretPaths: [SCRIPT_CONTENT],
    // The list omits scriptContent; without it only the meta hash exists.
    contentComplete: (obj) => typeof obj['scriptContent'] === 'string',
    contentParts: ['scriptContent'],
    metaDefaults: { odata_type: '#microsoft.graph.deviceManagementScript' },
  }),
  shellScript: define('shellScript', {
    label: 'Shell script (macOS)',
    collection: 'deviceShellScripts',
    secretPaths: [SCRIPT_CONTENT],
    contentComplete: (obj) => typeof obj['scriptContent'] === 'string',
    contentParts: ['scriptContent'],
    metaDefaults: { odata_type: '#microsoft.graph.deviceShellScript' },
  }),
  roleScopeTag: define('roleScopeTag', {
    label: 'Scope tag',
    collection: 'roleScopeTags',
    metaDefaults: { odata_type: '#microsoft.graph.roleScopeTag' },
  }),
  assignmentFilter: define('assignmentFilter', {
    label: 'Assignment filter',
    collection: 'assignmentFilters',
    metaDefaults: { odata_type: '#microsoft.graph.deviceAndAppManagementAssignmentFilter' },
  }),
  notificationMessageTemplate: define('notificationMessageTemplate', {
    label: 'Notification message template',
    collection: 'notificationMessageTemplates',
    keyedArrays: { localizedNotificationMessages: 'locale', localizedMessages: 'locale' },
    metaDefaults: { odata_type: '#microsoft.graph.notificationMessageTemplate' },
  }),
});

/** Every non-foundation policy type key, in registry order. */
export const ALL_POLICY_TYPES: readonly PolicyTypeKey[] = POLICY_TYPE_KEYS;
/** Every foundation type key, in registry order. */
export const ALL_FOUNDATION_TYPES: readonly FoundationTypeKey[] = FOUNDATION_TYPE_KEYS;

export function isRegistryTypeKey(value: unknown): value is RegistryTypeKey {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(POLICY_TYPES, value);
}

export function isFoundationType(key: string): key is FoundationTypeKey {
  return (FOUNDATION_TYPE_KEYS as readonly string[]).includes(key);
}

/** The definition of a registry type; throws `UnknownPolicyTypeError` for anything else. */
export function policyTypeDefinition(key: string): PolicyTypeDefinition {
  if (!isRegistryTypeKey(key)) throw new UnknownPolicyTypeError(key);
  return POLICY_TYPES[key];
}

function expandsAssignments(query: Record<string, string> | undefined): boolean {
  return (query?.['$expand'] ?? '').split(',').some((part) => part.trim() === 'assignments');
}

/** Whether Graph gives objects of the type assignments (its collection's requests read them). */
export function typeHasAssignments(key: RegistryTypeKey): boolean {
  const spec = GRAPH_COLLECTIONS[policyTypeDefinition(key).collection];
  if (spec === undefined) return false;
  if (expandsAssignments(spec.listQuery)) return true;
  return spec.followUps.some((f) => (f.kind === 'subcollection' ? f.property === 'assignments' : expandsAssignments(f.query)));
}
