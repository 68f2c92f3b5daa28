/**
 * Graph-shaped conditional access policies for tests: exactly as `GET /identity/conditionalAccess/policies/{id}`
 * (beta) returns them, with the groups they include or exclude, and the `groupDisplayNames` a sync
 * writes beside them when given.
 */
export interface ConditionalAccessSpec {
  includeGroups?: string[];
  excludeGroups?: string[];
  excludeUsers?: string[];
  /** What the sync wrote beside the policy (`groupDisplayNames`). */
  names?: Record<string, string>;
  grant?: string;
  includeUsers?: string[];
  clientAppTypes?: string[];
}

/** A conditional access policy as `GET /identity/conditionalAccess/policies/{id}` (beta) returns it. */
export function conditionalAccessPolicy(id: string, displayName: string, spec: ConditionalAccessSpec = {}): Record<string, unknown> {
  const policy: Record<string, unknown> = {
    '@odata.context': 'https://graph.microsoft.com/beta/$metadata#identity/conditionalAccess/policies/$entity',
    id,
    templateId: null,
    displayName,
    createdDateTime: '2026-02-13T11:37:41.7574033Z',
    modifiedDateTime: '2026-02-13T12:19:57.1916067Z',
    state: 'enabled',
    partialEnablementStrategy: null,
    sessionControls: null,
    conditions: {
      userRiskLevels: [],
      signInRiskLevels: [],
      clientAppTypes: spec.clientAppTypes ?? ['all'],
      servicePrincipalRiskLevels: [],
      platforms: null,
      locations: null,
      times: null,
      deviceStates: null,
      devices: null,
      clientApplications: null,
      applications: {
        includeApplications: ['All'],
        excludeApplications: [],
        includeUserActions: [],
        includeAuthenticationContextClassReferences: [],
        applicationFilter: null,
      },
      users: {
        includeUsers: spec.includeUsers ?? [],
        excludeUsers: spec.excludeUsers ?? [],
        includeGroups: spec.includeGroups ?? [],
        excludeGroups: spec.excludeGroups ?? [],
        includeRoles: ['62e90394-69f5-4237-9190-012177145e10'],
        excludeRoles: [],
        includeGuestsOrExternalUsers: null,
        excludeGuestsOrExternalUsers: null,
      },
    },
    grantControls: {
      operator: 'OR',
      builtInControls: [spec.grant ?? 'mfa'],
      customAuthenticationFactors: [],
      termsOfUse: [],
      'authenticationStrength@odata.context': `https://graph.microsoft.com/beta/$metadata#identity/conditionalAccess/policies('${id}')/grantControls/authenticationStrength/$entity`,
      authenticationStrength: null,
    },
  };
  if (spec.names !== undefined) policy['groupDisplayNames'] = spec.names;
  return policy;
}
