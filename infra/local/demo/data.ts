/**
 * Demo data of `npm start`, written for this project: a fictitious MSP workspace whose golden tenant
 * ("Contoso Golden") holds the approved configuration, and two customer tenants that drifted from it
 * in different ways. Objects have the shapes Microsoft Graph returns (ids, `@odata.type`, timestamps,
 * nulls, assignments), so they go through the same normalization as real inventories; each tenant has
 * its own object ids, timestamps and group ids, which are noise the product must ignore.
 *
 * Assignments are as Graph returns them (assignment ids, `source`, `sourceId`: all different per
 * tenant) with the group names the sync writes beside group ids.
 * Fabrikam: every type collected; a rotated Wi-Fi pre-shared key and a longer update deferral
 * (different_version), the device group excluded from iOS compliance instead of included
 * (different_version on the assignments dimension), a CA policy removed (missing_policy), an extra
 * kiosk profile (unexpected_policy), a policy renamed by case only (no drift). Outcome `succeeded`.
 * Northwind: app protection could not be collected (failed in the sync coverage, so it is uncovered:
 * no findings for it, outcome `partially_succeeded`); an Edge setting and a compliance rule changed, the
 * iOS restrictions profile missing, an extra CA policy and an extra scope tag.
 */
import type { RegistryTypeKey } from '../../../shared/domain/model.js';

export type DemoExport = Partial<Record<RegistryTypeKey, Record<string, unknown>[]>>;

export interface DemoTenant {
  tenantId: string;
  name: string;
  /** What the tenant's inventory sync collected, per type. */
  inventory: DemoExport;
  /** Types whose collection failed in the sync (recorded as failed in its coverage). */
  failedTypes: Partial<Record<RegistryTypeKey, string>>;
  /** What the demo shows about this tenant. */
  story: string;
}

export const DEMO_WORKSPACE_ID = 'ws-demo-msp';
export const DEMO_PROFILE_ID = 'demo-windows-ios-baseline';
export const DEMO_GOLDEN_TENANT = { tenantId: '0b1e7c52-6f0d-4c41-9a55-5c0f2d1e9a01', name: 'Contoso Golden' } as const;
export const FABRIKAM_TENANT_ID = '3f9a6d1c-2b7e-4c8a-b5d0-7e1f4a2c9b11';
export const NORTHWIND_TENANT_ID = '8d2c4e6a-1f3b-4a5c-9e7d-0b2a4c6e8f21';

/** The profile's scope: every type the demo data has. */
export const DEMO_SCOPE = {
  policy_types: [
    'deviceConfiguration',
    'windowsUpdateRing',
    'deviceCompliancePolicy',
    'settingsCatalogPolicy',
    'conditionalAccessPolicy',
    'appProtectionPolicy',
  ],
  foundation_types: ['roleScopeTag'],
} as const satisfies { policy_types: RegistryTypeKey[]; foundation_types: RegistryTypeKey[] };

/** Gives every object of a tenant its own ids and timestamps (tenant-specific noise). */
interface TenantNoise {
  /** Two hex characters that make this tenant's object ids unique. */
  idTag: string;
  created: string;
  modified: string;
  /** The tenant's own group ids (assignments, CA exclusions). */
  allDevicesGroup: string;
  breakGlassGroup: string;
  breakGlassUser: string;
}

const GOLDEN_NOISE: TenantNoise = {
  idTag: 'a0',
  created: '2025-09-01T08:12:44.118Z',
  modified: '2026-10-14T16:03:27.5531204Z',
  allDevicesGroup: '5b0c7a3e-2d41-4f6e-8a19-c3d2e1f0a9b8',
  breakGlassGroup: '9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a',
  breakGlassUser: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
};
const FABRIKAM_NOISE: TenantNoise = {
  idTag: 'b1',
  created: '2025-11-20T10:41:02.77Z',
  modified: '2026-11-02T09:15:48.0027311Z',
  allDevicesGroup: '2a4c6e8f-0b1d-4f3a-9c5e-7d9f1b3d5f7a',
  breakGlassGroup: '6c8e0a2c-4e6a-4b8c-8e0a-2c4e6a8c0e2a',
  breakGlassUser: '7f1e2d3c-4b5a-4697-a8b9-cadbecfd0e1f',
};
const NORTHWIND_NOISE: TenantNoise = {
  idTag: 'c2',
  created: '2026-01-07T14:22:19.5Z',
  modified: '2026-11-19T07:58:33.9812277Z',
  allDevicesGroup: 'd3f5b7c9-e1a3-4c5e-b7d9-f1a3c5e7b9d1',
  breakGlassGroup: 'e4a6c8e0-f2b4-4d6f-88a0-b2d4f6a8c0e2',
  breakGlassUser: 'f5b7d9f1-a3c5-4e7a-99b1-c3e5a7c9e1f3',
};

/** An object id for `n` in a tenant: GUID-shaped, different per tenant. */
function oid(noise: TenantNoise, n: number): string {
  return `${noise.idTag}${n.toString(16).padStart(6, '0')}-4e2f-4a10-9b3c-${noise.idTag}0000${n.toString(16).padStart(6, '0')}`;
}

/** Every tenant's device group: its own id, the same name (how the sync writes it beside the id). */
const ALL_DEVICES_GROUP_NAME = 'All Corporate Devices';
const BREAK_GLASS_GROUP_NAME = 'Break Glass Accounts';

/**
 * A direct assignment to the tenant's device group, as Graph returns it (`id` = policy id + group id,
 * `source`, `sourceId` = the tenant's own policy id) with the group's name written beside its id by
 * the sync. `excluded`: the group is excluded instead of included.
 */
function groupAssignment(noise: TenantNoise, policyId: string, excluded = false): Record<string, unknown> {
  return {
    id: `${policyId}_${noise.allDevicesGroup}`,
    source: 'direct',
    sourceId: policyId,
    target: {
      '@odata.type': excluded ? '#microsoft.graph.exclusionGroupAssignmentTarget' : '#microsoft.graph.groupAssignmentTarget',
      deviceAndAppManagementAssignmentFilterId: null,
      deviceAndAppManagementAssignmentFilterType: 'none',
      groupId: noise.allDevicesGroup,
      groupDisplayName: ALL_DEVICES_GROUP_NAME,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// device configurations (incl. Wi-Fi with a pre-shared key) and update rings
// ---------------------------------------------------------------------------------------------

function wifiProfile(noise: TenantNoise, preSharedKey: string): Record<string, unknown> {
  const id = oid(noise, 1);
  return {
    '@odata.type': '#microsoft.graph.windowsWifiConfiguration',
    id,
    displayName: 'Corp - Wi-Fi - Office WPA2',
    description: 'Office wireless for managed Windows devices',
    version: 4,
    createdDateTime: noise.created,
    lastModifiedDateTime: noise.modified,
    roleScopeTagIds: ['0'],
    supportsScopeTags: true,
    deviceManagementApplicabilityRuleOsEdition: null,
    deviceManagementApplicabilityRuleOsVersion: null,
    ssid: 'CORP-OFFICE',
    networkName: 'CORP-OFFICE',
    connectAutomatically: true,
    connectToPreferredNetwork: true,
    connectWhenNetworkNameIsHidden: false,
    wifiSecurityType: 'wpa2Personal',
    preSharedKey,
    meteredConnectionLimit: 'unrestricted',
    proxySetting: 'none',
    proxyManualAddress: null,
    proxyManualPort: null,
    proxyAutomaticConfigurationUrl: null,
    forceFIPSCompliance: false,
    assignments: [groupAssignment(noise, id)],
  };
}

function windowsRestrictions(noise: TenantNoise): Record<string, unknown> {
  const id = oid(noise, 2);
  return {
    '@odata.type': '#microsoft.graph.windows10GeneralConfiguration',
    id,
    displayName: 'Windows - Device restrictions',
    description: 'Baseline restrictions for corporate Windows devices',
    version: 7,
    createdDateTime: noise.created,
    lastModifiedDateTime: noise.modified,
    roleScopeTagIds: ['0'],
    supportsScopeTags: true,
    cameraBlocked: false,
    bluetoothBlocked: false,
    cortanaBlocked: true,
    storageRequireMobileDeviceEncryption: true,
    passwordRequired: true,
    passwordRequiredType: 'alphanumeric',
    passwordMinimumLength: 12,
    passwordMinutesOfInactivityBeforeScreenTimeout: 15,
    passwordBlockSimple: true,
    smartScreenEnableAppInstallControl: true,
    defenderRequireRealTimeMonitoring: true,
    defenderScanType: 'quick',
    edgeBlockPasswordManager: true,
    assignments: [groupAssignment(noise, id)],
  };
}

function iosRestrictions(noise: TenantNoise): Record<string, unknown> {
  const id = oid(noise, 3);
  return {
    '@odata.type': '#microsoft.graph.iosGeneralDeviceConfiguration',
    id,
    displayName: 'iOS - Device restrictions',
    description: null,
    version: 2,
    createdDateTime: noise.created,
    lastModifiedDateTime: noise.modified,
    roleScopeTagIds: ['0'],
    supportsScopeTags: true,
    passcodeRequired: true,
    passcodeMinimumLength: 6,
    passcodeBlockSimple: true,
    passcodeMinutesOfInactivityBeforeLock: 5,
    iCloudBlockBackup: true,
    iCloudBlockDocumentSync: true,
    appStoreBlockAutomaticDownloads: false,
    airDropBlocked: true,
    assignments: [groupAssignment(noise, id)],
  };
}

function kioskRestrictions(noise: TenantNoise): Record<string, unknown> {
  const id = oid(noise, 4);
  return {
    '@odata.type': '#microsoft.graph.windows10GeneralConfiguration',
    id,
    displayName: 'Legacy - Kiosk restrictions',
    description: 'Created by hand for the reception kiosk',
    version: 1,
    createdDateTime: noise.created,
    lastModifiedDateTime: noise.modified,
    roleScopeTagIds: ['0'],
    supportsScopeTags: true,
    cameraBlocked: true,
    usbBlocked: false,
    passwordRequired: false,
    assignments: [],
  };
}

function updateRing(noise: TenantNoise, qualityDeferralDays: number): Record<string, unknown> {
  const id = oid(noise, 5);
  return {
    '@odata.type': '#microsoft.graph.windowsUpdateForBusinessConfiguration',
    id,
    displayName: 'Windows - Update ring - Broad',
    description: 'Broad deployment ring',
    version: 3,
    createdDateTime: noise.created,
    lastModifiedDateTime: noise.modified,
    roleScopeTagIds: ['0'],
    supportsScopeTags: true,
    deliveryOptimizationMode: 'userDefined',
    prereleaseFeatures: 'userDefined',
    automaticUpdateMode: 'autoInstallAtMaintenanceTime',
    microsoftUpdateServiceAllowed: true,
    driversExcluded: false,
    qualityUpdatesDeferralPeriodInDays: qualityDeferralDays,
    featureUpdatesDeferralPeriodInDays: 30,
    qualityUpdatesPaused: false,
    featureUpdatesPaused: false,
    businessReadyUpdatesOnly: 'userDefined',
    skipChecksBeforeRestart: false,
    deadlineForFeatureUpdatesInDays: 7,
    deadlineForQualityUpdatesInDays: 3,
    deadlineGracePeriodInDays: 2,
    postponeRebootUntilAfterDeadline: false,
    userPauseAccess: 'disabled',
    userWindowsUpdateScanAccess: 'enabled',
    assignments: [groupAssignment(noise, id)],
  };
}

// ---------------------------------------------------------------------------------------------
// compliance
// ---------------------------------------------------------------------------------------------

function windowsCompliance(noise: TenantNoise, osMinimumVersion: string): Record<string, unknown> {
  const id = oid(noise, 10);
  return {
    '@odata.type': '#microsoft.graph.windows10CompliancePolicy',
    id,
    displayName: 'Windows - Compliance',
    description: 'Encryption, Defender and a current OS',
    version: 5,
    createdDateTime: noise.created,
    lastModifiedDateTime: noise.modified,
    roleScopeTagIds: ['0'],
    passwordRequired: true,
    passwordMinimumLength: 12,
    passwordRequiredType: 'alphanumeric',
    osMinimumVersion,
    osMaximumVersion: null,
    bitLockerEnabled: true,
    secureBootEnabled: true,
    codeIntegrityEnabled: true,
    storageRequireEncryption: true,
    defenderEnabled: true,
    rtpEnabled: true,
    antivirusRequired: true,
    deviceThreatProtectionEnabled: false,
    deviceThreatProtectionRequiredSecurityLevel: 'unavailable',
    scheduledActionsForRule: [
      {
        id: `${id}_rule`,
        ruleName: 'PasswordRequired',
        scheduledActionConfigurations: [
          { id: `${id}_block`, gracePeriodHours: 24, actionType: 'block', notificationTemplateId: '00000000-0000-0000-0000-000000000000', notificationMessageCCList: [] },
        ],
      },
    ],
    assignments: [groupAssignment(noise, id)],
  };
}

function iosCompliance(noise: TenantNoise, groupExcluded = false): Record<string, unknown> {
  const id = oid(noise, 11);
  return {
    '@odata.type': '#microsoft.graph.iosCompliancePolicy',
    id,
    displayName: 'iOS - Compliance',
    description: null,
    version: 2,
    createdDateTime: noise.created,
    lastModifiedDateTime: noise.modified,
    roleScopeTagIds: ['0'],
    passcodeRequired: true,
    passcodeMinimumLength: 6,
    passcodeBlockSimple: true,
    osMinimumVersion: '17.0',
    securityBlockJailbrokenDevices: true,
    managedEmailProfileRequired: false,
    scheduledActionsForRule: [
      {
        id: `${id}_rule`,
        ruleName: 'PasswordRequired',
        scheduledActionConfigurations: [{ id: `${id}_block`, gracePeriodHours: 0, actionType: 'block', notificationMessageCCList: [] }],
      },
    ],
    assignments: [groupAssignment(noise, id, groupExcluded)],
  };
}

// ---------------------------------------------------------------------------------------------
// settings catalog (configurationPolicies with their settings)
// ---------------------------------------------------------------------------------------------

function choiceSetting(n: number, definitionId: string, value: string): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.deviceManagementConfigurationSetting',
    id: String(n),
    settingInstance: {
      '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
      settingDefinitionId: definitionId,
      settingInstanceTemplateReference: null,
      choiceSettingValue: {
        '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingValue',
        settingValueTemplateReference: null,
        value,
        children: [],
      },
    },
  };
}

function simpleSetting(n: number, definitionId: string, value: string | number): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.deviceManagementConfigurationSetting',
    id: String(n),
    settingInstance: {
      '@odata.type': '#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance',
      settingDefinitionId: definitionId,
      settingInstanceTemplateReference: null,
      simpleSettingValue: {
        '@odata.type':
          typeof value === 'number'
            ? '#microsoft.graph.deviceManagementConfigurationIntegerSettingValue'
            : '#microsoft.graph.deviceManagementConfigurationStringSettingValue',
        settingValueTemplateReference: null,
        value,
      },
    },
  };
}

function configurationPolicy(noise: TenantNoise, n: number, name: string, description: string, settings: Record<string, unknown>[]): Record<string, unknown> {
  const id = oid(noise, n);
  return {
    '@odata.type': '#microsoft.graph.deviceManagementConfigurationPolicy',
    id,
    name,
    description,
    platforms: 'windows10',
    technologies: 'mdm',
    createdDateTime: noise.created,
    lastModifiedDateTime: noise.modified,
    settingCount: settings.length,
    creationSource: null,
    roleScopeTagIds: ['0'],
    isAssigned: true,
    priorityMetaData: null,
    templateReference: {
      '@odata.type': '#microsoft.graph.deviceManagementConfigurationPolicyTemplateReference',
      templateId: '',
      templateFamily: 'none',
      templateDisplayName: null,
      templateDisplayVersion: null,
    },
    settings,
    assignments: [groupAssignment(noise, id)],
  };
}

const EDGE = 'device_vendor_msft_policy_config_microsoft_edge~policy~microsoft_edge';

function edgeSecurity(noise: TenantNoise, smartScreenEnabled: boolean): Record<string, unknown> {
  return configurationPolicy(noise, 20, 'Edge - Security', 'SmartScreen, password manager and site isolation for Edge', [
    choiceSetting(0, `${EDGE}_smartscreenenabled`, `${EDGE}_smartscreenenabled_${smartScreenEnabled ? 1 : 0}`),
    choiceSetting(1, `${EDGE}_passwordmanagerenabled`, `${EDGE}_passwordmanagerenabled_0`),
    choiceSetting(2, `${EDGE}_sitepereprocess`, `${EDGE}_sitepereprocess_1`),
    simpleSetting(3, `${EDGE}~httpauthentication_authserverallowlist_authserverallowlist`, '*.corp.example'),
  ]);
}

function oneDriveKnownFolders(noise: TenantNoise): Record<string, unknown> {
  const od = 'device_vendor_msft_policy_config_onedrivengscv2';
  return configurationPolicy(noise, 21, 'OneDrive - Known folder move', 'Redirect Desktop, Documents and Pictures to OneDrive', [
    choiceSetting(0, `${od}~policy~onedrivengsc_kfmsilentoptin`, `${od}~policy~onedrivengsc_kfmsilentoptin_1`),
    simpleSetting(1, `${od}~policy~onedrivengsc_kfmsilentoptin_kfmsilentoptin_textbox`, 'contoso-tenant-guid'),
    choiceSetting(2, `${od}~policy~onedrivengsc_filesondemandenabled`, `${od}~policy~onedrivengsc_filesondemandenabled_1`),
  ]);
}

// ---------------------------------------------------------------------------------------------
// conditional access
// ---------------------------------------------------------------------------------------------

function caPolicy(
  noise: TenantNoise,
  n: number,
  displayName: string,
  conditions: { clientAppTypes: string[]; includeRoles?: string[]; includeUsers?: string[] },
  grant: { operator: 'OR' | 'AND'; builtInControls: string[] },
  state: 'enabled' | 'enabledForReportingButNotEnforced' = 'enabled',
): Record<string, unknown> {
  return {
    id: oid(noise, n),
    templateId: null,
    displayName,
    createdDateTime: noise.created,
    modifiedDateTime: noise.modified,
    state,
    sessionControls: null,
    conditions: {
      userRiskLevels: [],
      signInRiskLevels: [],
      clientAppTypes: conditions.clientAppTypes,
      servicePrincipalRiskLevels: [],
      platforms: null,
      locations: null,
      devices: null,
      clientApplications: null,
      applications: { includeApplications: ['All'], excludeApplications: [], includeUserActions: [], includeAuthenticationContextClassReferences: [], applicationFilter: null },
      users: {
        includeUsers: conditions.includeUsers ?? [],
        excludeUsers: [noise.breakGlassUser],
        includeGroups: [],
        excludeGroups: [noise.breakGlassGroup],
        includeRoles: conditions.includeRoles ?? [],
        excludeRoles: [],
        includeGuestsOrExternalUsers: null,
        excludeGuestsOrExternalUsers: null,
      },
    },
    grantControls: { operator: grant.operator, builtInControls: grant.builtInControls, customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: null },
    // What the sync writes beside a policy that names groups: their names, so each tenant's own
    // break-glass group id is compared as the same group.
    groupDisplayNames: { [noise.breakGlassGroup]: BREAK_GLASS_GROUP_NAME },
  };
}

/** Global Administrator, Security Administrator, Exchange Administrator (role template ids are the same in every tenant). */
const ADMIN_ROLES = ['62e90394-69f5-4237-9190-012177145e10', '194ae4cb-b126-40b2-bd5b-6091b380977d', '29232cdf-9323-42fd-ade2-1d097af3e4de'];

function requireMfaForAdmins(noise: TenantNoise, displayName = 'CA001 - Admins - Require MFA'): Record<string, unknown> {
  return caPolicy(noise, 30, displayName, { clientAppTypes: ['all'], includeRoles: ADMIN_ROLES }, { operator: 'OR', builtInControls: ['mfa'] });
}

function blockLegacyAuth(noise: TenantNoise): Record<string, unknown> {
  return caPolicy(noise, 31, 'CA002 - All users - Block legacy authentication', { clientAppTypes: ['exchangeActiveSync', 'other'], includeUsers: ['All'] }, { operator: 'OR', builtInControls: ['block'] });
}

function allowPrinterLegacyAuth(noise: TenantNoise): Record<string, unknown> {
  return caPolicy(
    noise,
    32,
    'CA900 - Printers - Allow SMTP basic auth',
    { clientAppTypes: ['other'], includeUsers: ['a7b8c9d0-e1f2-4a3b-8c4d-5e6f7a8b9c0d'] },
    { operator: 'OR', builtInControls: ['compliantDevice'] },
    'enabledForReportingButNotEnforced',
  );
}

// ---------------------------------------------------------------------------------------------
// app protection
// ---------------------------------------------------------------------------------------------

function managedApp(platform: 'ios' | 'android', bundle: string): Record<string, unknown> {
  return platform === 'ios'
    ? { id: `${bundle}.ios.app`, version: '-1', mobileAppIdentifier: { '@odata.type': '#microsoft.graph.iosMobileAppIdentifier', bundleId: bundle } }
    : { id: `${bundle}.android.app`, version: '-1', mobileAppIdentifier: { '@odata.type': '#microsoft.graph.androidMobileAppIdentifier', packageId: bundle } };
}

function appProtection(noise: TenantNoise, platform: 'ios' | 'android'): Record<string, unknown> {
  const ios = platform === 'ios';
  return {
    '@odata.type': ios ? '#microsoft.graph.iosManagedAppProtection' : '#microsoft.graph.androidManagedAppProtection',
    id: `T_${oid(noise, ios ? 40 : 41)}`,
    displayName: ios ? 'iOS - App protection - Office apps' : 'Android - App protection - Office apps',
    description: 'Protect corporate data in Outlook, Teams and OneDrive',
    version: '"a3000000-0000-0000-0000-000000000000"',
    createdDateTime: noise.created,
    lastModifiedDateTime: noise.modified,
    roleScopeTagIds: ['0'],
    isAssigned: true,
    deployedAppCount: 3,
    periodOfflineBeforeAccessCheck: 'PT12H',
    periodOnlineBeforeAccessCheck: 'PT30M',
    allowedInboundDataTransferSources: 'allApps',
    allowedOutboundDataTransferDestinations: 'managedApps',
    organizationalCredentialsRequired: false,
    allowedOutboundClipboardSharingLevel: 'managedAppsWithPasteIn',
    dataBackupBlocked: true,
    deviceComplianceRequired: true,
    saveAsBlocked: true,
    pinRequired: true,
    minimumPinLength: 6,
    maximumPinRetries: 5,
    simplePinBlocked: true,
    allowedDataStorageLocations: ['oneDriveForBusiness', 'sharePoint'],
    appActionIfMaximumPinRetriesExceeded: 'block',
    apps: ios
      ? [managedApp('ios', 'com.microsoft.office.outlook'), managedApp('ios', 'com.microsoft.skype.teams'), managedApp('ios', 'com.microsoft.skydrive')]
      : [managedApp('android', 'com.microsoft.office.outlook'), managedApp('android', 'com.microsoft.teams'), managedApp('android', 'com.microsoft.skydrive')],
    assignments: [groupAssignment(noise, `T_${oid(noise, ios ? 40 : 41)}`)],
  };
}

// ---------------------------------------------------------------------------------------------
// foundation: scope tags
// ---------------------------------------------------------------------------------------------

function scopeTag(noise: TenantNoise, id: number, displayName: string, description: string): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.roleScopeTag',
    id: String(id),
    displayName,
    description,
    isBuiltIn: false,
    assignments: [
      { id: `${id}_a`, target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: noise.allDevicesGroup, groupDisplayName: ALL_DEVICES_GROUP_NAME } },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// the tenants
// ---------------------------------------------------------------------------------------------

/** The golden tenant's inventory: what the baseline snapshot is captured from. */
export function goldenExport(): DemoExport {
  const n = GOLDEN_NOISE;
  return {
    deviceConfiguration: [wifiProfile(n, 'Golden-Wifi-Key-2026!'), windowsRestrictions(n), iosRestrictions(n)],
    windowsUpdateRing: [updateRing(n, 7)],
    deviceCompliancePolicy: [windowsCompliance(n, '10.0.19045'), iosCompliance(n)],
    settingsCatalogPolicy: [edgeSecurity(n, true), oneDriveKnownFolders(n)],
    conditionalAccessPolicy: [requireMfaForAdmins(n), blockLegacyAuth(n)],
    appProtectionPolicy: [appProtection(n, 'ios'), appProtection(n, 'android')],
    roleScopeTag: [scopeTag(n, 3, 'Helpdesk - EU', 'First-line support, Europe')],
  };
}

function fabrikam(): DemoTenant {
  const n = FABRIKAM_NOISE;
  return {
    tenantId: FABRIKAM_TENANT_ID,
    name: 'Fabrikam',
    story:
      'Wi-Fi key rotated locally, update deferral raised, legacy-auth block removed, a hand-made kiosk profile, the device group excluded from iOS compliance instead of included; MFA policy renamed by case only',
    inventory: {
      deviceConfiguration: [wifiProfile(n, 'Fabrikam-Local-Key-77'), windowsRestrictions(n), iosRestrictions(n), kioskRestrictions(n)],
      windowsUpdateRing: [updateRing(n, 21)],
      deviceCompliancePolicy: [windowsCompliance(n, '10.0.19045'), iosCompliance(n, true)],
      settingsCatalogPolicy: [edgeSecurity(n, true), oneDriveKnownFolders(n)],
      conditionalAccessPolicy: [requireMfaForAdmins(n, 'ca001 - admins - require MFA')],
      appProtectionPolicy: [appProtection(n, 'ios'), appProtection(n, 'android')],
      roleScopeTag: [scopeTag(n, 7, 'Helpdesk - EU', 'First-line support, Europe')],
    },
    failedTypes: {},
  };
}

function northwind(): DemoTenant {
  const n = NORTHWIND_NOISE;
  return {
    tenantId: NORTHWIND_TENANT_ID,
    name: 'Northwind',
    story: 'SmartScreen switched off, older Windows allowed, iOS restrictions missing, an extra CA policy and scope tag; app protection could not be read',
    inventory: {
      deviceConfiguration: [wifiProfile(n, 'Golden-Wifi-Key-2026!'), windowsRestrictions(n)],
      windowsUpdateRing: [updateRing(n, 7)],
      deviceCompliancePolicy: [windowsCompliance(n, '10.0.17763'), iosCompliance(n)],
      settingsCatalogPolicy: [edgeSecurity(n, false), oneDriveKnownFolders(n)],
      conditionalAccessPolicy: [requireMfaForAdmins(n), blockLegacyAuth(n), allowPrinterLegacyAuth(n)],
      roleScopeTag: [scopeTag(n, 3, 'Helpdesk - EU', 'First-line support, Europe'), scopeTag(n, 4, 'Contractors', 'External project staff')],
    },
    failedTypes: { appProtectionPolicy: 'Graph answered 403 Forbidden: the app registration lacks DeviceManagementApps.Read.All' },
  };
}

/**
 * Fabrikam after its own team raised the quality-update deferral once more (21 -> 28 days): the
 * deviation accepted at 21 days no longer holds its accepted value.
 */
export function fabrikamDeferralRaisedFurther(): DemoTenant {
  const tenant = fabrikam();
  const n = { ...FABRIKAM_NOISE, modified: '2026-11-20T08:30:00Z' };
  return { ...tenant, inventory: { ...tenant.inventory, windowsUpdateRing: [updateRing(n, 28)] } };
}

/** The two customer tenants of the demo, assigned to the demo profile. */
export function demoTenants(): DemoTenant[] {
  return [fabrikam(), northwind()];
}
