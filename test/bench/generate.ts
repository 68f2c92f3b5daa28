/**
 * The benchmark's own policy generator: Graph objects shaped like the real Intune exports (settings
 * catalog policies with `settings[].settingInstance`, flat device configuration and compliance
 * objects, Conditional Access policies with GUID-valued conditions), with the noise Graph adds (ids,
 * timestamps, OData annotations, counters). Deterministic for a seed. No corpus content is copied.
 */
import type { RegistryTypeKey } from '../../shared/domain/model.js';
import { generator } from '../support/faults/random.js';

/** A small seeded PRNG (mulberry32), the same one the fault injection uses. */
export const rng: (seed: number) => () => number = generator;

export type Random = () => number;

function pick<T>(r: Random, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)]!;
}

export function guid(r: Random): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}

function timestamp(r: Random): string {
  return new Date(Date.UTC(2024, 0, 1) + Math.floor(r() * 600 * 86_400_000)).toISOString();
}

const WORDS = ['defender', 'firewall', 'bitlocker', 'edge', 'onedrive', 'office', 'update', 'wifi', 'vpn', 'kiosk', 'laps', 'smartscreen', 'credential', 'guard', 'audit', 'privacy', 'telemetry', 'browser', 'camera', 'bluetooth'];

/** The policy families the generator knows, each with its registry type. */
export const FAMILIES = {
  settingsCatalog: 'settingsCatalogPolicy',
  endpointSecurity: 'endpointSecurityPolicy',
  deviceConfiguration: 'deviceConfiguration',
  updateRing: 'windowsUpdateRing',
  compliance: 'deviceCompliancePolicy',
  conditionalAccess: 'conditionalAccessPolicy',
  appProtection: 'appProtectionPolicy',
  securityBaseline: 'securityBaselinePolicy',
  featureUpdate: 'featureUpdateProfile',
  script: 'powershellScript',
} as const satisfies Record<string, RegistryTypeKey>;

export type Family = keyof typeof FAMILIES;

/** Ten families for the ten policy types of the pipeline benchmark. */
export const PIPELINE_FAMILIES: readonly Family[] = Object.keys(FAMILIES) as Family[];

function setting(r: Random, prefix: string, k: number): Record<string, unknown> {
  const id = `device_vendor_msft_policy_config_${prefix}_${pick(r, WORDS)}${k}`;
  if (r() < 0.6) {
    return {
      id: String(k),
      settingInstance: {
        '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
        settingDefinitionId: id,
        settingInstanceTemplateReference: null,
        choiceSettingValue: { settingValueTemplateReference: null, value: `${id}_${Math.floor(r() * 3)}`, children: [] },
      },
    };
  }
  return {
    id: String(k),
    settingInstance: {
      '@odata.type': '#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance',
      settingDefinitionId: id,
      settingInstanceTemplateReference: null,
      simpleSettingValue: {
        '@odata.type': '#microsoft.graph.deviceManagementConfigurationIntegerSettingValue',
        settingValueTemplateReference: null,
        value: Math.floor(r() * 1000),
      },
    },
  };
}

function configurationPolicy(r: Random, name: string, bytes: number, family: 'none' | 'endpointSecurityAntivirus' | 'baseline'): Record<string, unknown> {
  const settings: Record<string, unknown>[] = [];
  const obj: Record<string, unknown> = {
    '@odata.context': 'https://graph.microsoft.com/beta/$metadata#deviceManagement/configurationPolicies/$entity',
    id: guid(r),
    name,
    description: `Generated ${family} policy`,
    platforms: 'windows10',
    technologies: 'mdm',
    createdDateTime: timestamp(r),
    lastModifiedDateTime: timestamp(r),
    settingCount: 0,
    creationSource: null,
    roleScopeTagIds: ['0'],
    isAssigned: r() < 0.5,
    templateReference: { templateId: family === 'none' ? '' : guid(r) + '_1', templateFamily: family, templateDisplayName: null, templateDisplayVersion: null },
    settings,
  };
  const prefix = pick(r, WORDS);
  while (JSON.stringify(obj).length < bytes) settings.push(setting(r, prefix, settings.length));
  obj.settingCount = settings.length;
  return obj;
}

function flatObject(r: Random, odataType: string, name: string, bytes: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const obj: Record<string, unknown> = {
    '@odata.type': odataType,
    id: guid(r),
    displayName: name,
    description: null,
    createdDateTime: timestamp(r),
    lastModifiedDateTime: timestamp(r),
    version: Math.floor(r() * 20),
    roleScopeTagIds: ['0'],
    supportsScopeTags: true,
    ...extra,
  };
  // Objects of one @odata.type share their property names (Graph's schema); only values differ.
  const word = WORDS[[...odataType].reduce((n, ch) => (n * 31 + ch.charCodeAt(0)) >>> 0, 7) % WORDS.length]!;
  for (let k = 0; JSON.stringify(obj).length < bytes; k++) {
    const key = `${word}${['Enabled', 'Blocked', 'Mode', 'Level', 'Timeout', 'Required', 'Setting'][k % 7]}${k}`;
    const v = r();
    obj[key] = v < 0.35 ? v < 0.2 : v < 0.55 ? Math.floor(v * 500) : v < 0.8 ? pick(r, ['notConfigured', 'enabled', 'disabled', 'userDefined', 'block']) : v < 0.9 ? null : `${word}-${Math.floor(v * 1e6)}`;
  }
  return obj;
}

function conditionalAccess(r: Random, name: string, bytes: number): Record<string, unknown> {
  const guids = (n: number) => Array.from({ length: n }, () => guid(r));
  const obj: Record<string, unknown> = {
    id: guid(r),
    templateId: null,
    displayName: name,
    createdDateTime: timestamp(r),
    modifiedDateTime: timestamp(r),
    state: pick(r, ['enabled', 'disabled', 'enabledForReportingButNotEnforced']),
    sessionControls: null,
    conditions: {
      userRiskLevels: [],
      signInRiskLevels: [],
      clientAppTypes: ['all'],
      platforms: null,
      locations: null,
      applications: { includeApplications: ['All'], excludeApplications: guids(2), includeUserActions: [] },
      users: { includeUsers: ['All'], excludeUsers: guids(2), includeGroups: [], excludeGroups: guids(3), includeRoles: guids(4), excludeRoles: [] },
    },
    grantControls: { operator: 'OR', builtInControls: ['mfa'], customAuthenticationFactors: [], termsOfUse: [] },
  };
  const users = (obj.conditions as { users: { includeRoles: string[] } }).users;
  while (JSON.stringify(obj).length < bytes) users.includeRoles.push(guid(r));
  return obj;
}

/** One policy of a family, about `bytes` of Graph JSON, named `name`. */
export function generatePolicy(family: Family, r: Random, name: string, bytes: number): Record<string, unknown> {
  switch (family) {
    case 'settingsCatalog':
      return configurationPolicy(r, name, bytes, 'none');
    case 'endpointSecurity':
      return configurationPolicy(r, name, bytes, 'endpointSecurityAntivirus');
    case 'securityBaseline':
      return configurationPolicy(r, name, bytes, 'baseline');
    case 'deviceConfiguration':
      return flatObject(r, '#microsoft.graph.windows10GeneralConfiguration', name, bytes);
    case 'updateRing':
      return flatObject(r, '#microsoft.graph.windowsUpdateForBusinessConfiguration', name, bytes);
    case 'compliance':
      return flatObject(r, '#microsoft.graph.windows10CompliancePolicy', name, bytes, {
        scheduledActionsForRule: [
          {
            id: guid(r),
            ruleName: 'PasswordRequired',
            scheduledActionConfigurations: [{ id: guid(r), actionType: 'block', gracePeriodHours: 0, notificationTemplateId: '00000000-0000-0000-0000-000000000000', notificationMessageCCList: [] }],
          },
        ],
      });
    case 'conditionalAccess':
      return conditionalAccess(r, name, bytes);
    case 'appProtection':
      return flatObject(r, '#microsoft.graph.iosManagedAppProtection', name, bytes, { apps: [] });
    case 'featureUpdate':
      return flatObject(r, '#microsoft.graph.windowsFeatureUpdateProfile', name, bytes, { featureUpdateVersion: 'Windows 11, version 24H2' });
    case 'script':
      return flatObject(r, '#microsoft.graph.deviceManagementScript', name, bytes, { scriptContent: Buffer.from(`Write-Host ${name}`).toString('base64'), runAsAccount: 'system' });
  }
}

/**
 * The same policy as another tenant holds it: new ids and timestamps (noise), and, when `drift`, one
 * configuration value changed. Returns a deep copy.
 */
export function asOtherTenant(policy: Record<string, unknown>, r: Random, drift: boolean): Record<string, unknown> {
  const copy = structuredClone(policy);
  copy.id = guid(r);
  if ('lastModifiedDateTime' in copy) copy.lastModifiedDateTime = timestamp(r);
  if ('modifiedDateTime' in copy) copy.modifiedDateTime = timestamp(r);
  if (!drift) return copy;
  const settings = copy.settings as Record<string, unknown>[] | undefined;
  if (Array.isArray(settings) && settings.length > 0) {
    const instance = (settings[Math.floor(r() * settings.length)] as { settingInstance: Record<string, Record<string, unknown>> }).settingInstance;
    const value = instance.choiceSettingValue ?? instance.simpleSettingValue!;
    value.value = typeof value.value === 'number' ? value.value + 1 : `${String(value.value)}_drifted`;
    return copy;
  }
  if (copy.conditions !== undefined) {
    copy.state = copy.state === 'enabled' ? 'disabled' : 'enabled';
    return copy;
  }
  const key = Object.keys(copy).find((k) => /\d$/.test(k) && (typeof copy[k] === 'boolean' || typeof copy[k] === 'number'));
  if (key !== undefined) copy[key] = typeof copy[key] === 'boolean' ? !copy[key] : (copy[key] as number) + 1;
  else copy.description = 'drifted';
  return copy;
}

/** `count` policies of one family of about `bytes` each, names unique within the family. */
export function generateType(family: Family, count: number, bytes: number, seed: number): Record<string, unknown>[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, i) => generatePolicy(family, r, `${family} policy ${String(i).padStart(6, '0')}`, bytes));
}
