/**
 * The project's own small Graph-shaped inventories for the API tests: a golden tenant and a tenant that
 * drifted in all three ways (one setting changed, one policy missing, one unexpected), with per-tenant
 * ids and timestamps that normalization must ignore.
 */
const WIN10 = '#microsoft.graph.windows10GeneralConfiguration';

function restrictions(id: string, minLength: number): Record<string, unknown> {
  return {
    '@odata.type': WIN10,
    id,
    displayName: 'Win10 - Device restrictions',
    description: 'Password and lock screen rules',
    createdDateTime: '2026-01-10T08:00:00Z',
    lastModifiedDateTime: '2026-10-01T08:00:00Z',
    version: 3,
    passwordRequired: true,
    passwordMinimumLength: minLength,
    passwordBlockSimple: true,
    roleScopeTagIds: ['0'],
  };
}

function defender(id: string): Record<string, unknown> {
  return {
    '@odata.type': WIN10,
    id,
    displayName: 'Win10 - Defender',
    defenderRequireRealTimeMonitoring: true,
    defenderScanType: 'full',
    createdDateTime: '2026-02-10T08:00:00Z',
  };
}

function kiosk(id: string): Record<string, unknown> {
  return { '@odata.type': WIN10, id, displayName: 'Win10 - Kiosk (pilot)', defenderScanType: 'quick' };
}

function mfaForAdmins(id: string, excludeGroup: string): Record<string, unknown> {
  return {
    id,
    displayName: 'Require MFA for admins',
    state: 'enabled',
    createdDateTime: '2026-03-01T08:00:00Z',
    modifiedDateTime: null,
    conditions: {
      users: { includeRoles: ['62e90394-69f5-4237-9190-012177145e10'], excludeGroups: [excludeGroup], includeUsers: [], excludeUsers: [] },
      applications: { includeApplications: ['All'], excludeApplications: [] },
      clientAppTypes: ['all'],
    },
    grantControls: { operator: 'OR', builtInControls: ['mfa'] },
  };
}

export const GOLDEN_INVENTORY = {
  deviceConfiguration: [restrictions('a0000000-0000-4000-8000-000000000001', 12), defender('a0000000-0000-4000-8000-000000000002')],
  conditionalAccessPolicy: [mfaForAdmins('a0000000-0000-4000-8000-000000000003', '5b0c7a3e-2d41-4f6e-8a19-c3d2e1f0a9b8')],
};

/** Drifted: passwordMinimumLength 8 (different_version), Defender missing, a kiosk profile extra. */
export const DRIFTED_INVENTORY = {
  deviceConfiguration: [restrictions('b1000000-0000-4000-8000-000000000001', 8), kiosk('b1000000-0000-4000-8000-000000000009')],
  conditionalAccessPolicy: [mfaForAdmins('b1000000-0000-4000-8000-000000000003', '2a4c6e8f-0b1d-4f3a-9c5e-7d9f1b3d5f7a')],
};

export const SCOPE = { policy_types: ['deviceConfiguration', 'conditionalAccessPolicy'], foundation_types: [] };
