/**
 * The Graph collections the product reads and the requests that read each one completely: the
 * contract with the Graph client (declared here as data, executed in `shared/adapters/graph/`).
 *
 * Never declare a request for `getOmaSettingPlainTextValue` or any other endpoint that returns a
 * secret in clear: secrets are only ever seen as Graph lists them, and then redacted.
 */
import { deepFreeze } from './freeze.js';

// ---------------------------------------------------------------------------------------------------
// Graph requests (the contract with the Graph client)
// ---------------------------------------------------------------------------------------------------

/** One Graph collection the product reads. `key` is the folder name used in exported inventories. */
export interface GraphCollectionSpec {
  key: string;
  apiVersion: 'v1.0' | 'beta';
  /** e.g. '/deviceManagement/configurationPolicies' (relative to the Graph base URL + version). */
  listPath: string;
  /** Query options sent on the list request, e.g. { $expand: 'assignments' }. Always with `$`. */
  listQuery?: Record<string, string>;
  /** Objects of these `@odata.type`s are dropped from the list (e.g. targetedManagedAppConfiguration
   *  inside managedAppPolicies). */
  excludeODataTypes?: string[];
  /** Requests made per listed object to complete it; every one must succeed for the type to succeed.
   *  They run in the order given (an `itemById` comes first, so later ones add to the full body). */
  followUps: GraphFollowUp[];
}

export type GraphFollowUp =
  /** GET a paged sub-collection (follow @odata.nextLink) and put its `value` items into object[property]
   *  (e.g. configurationPolicies/{id}/settings -> settings; intents/{id}/settings -> settings;
   *  assignments). `{id}` is replaced by the object's id (URL-encoded). */
  | { kind: 'subcollection'; property: string; pathTemplate: string; query?: Record<string, string> }
  /** GET the object by id and use that body instead of the list entry (scripts: scriptContent only
   *  comes on the single GET). Keep `@odata.type` from the list entry if the single GET lacks it. */
  | { kind: 'itemById'; pathTemplate: string; query?: Record<string, string> }
  /** App protection: re-GET on the concrete collection derived from @odata.type, e.g.
   *  '#microsoft.graph.iosManagedAppProtection' -> '/deviceAppManagement/iosManagedAppProtections/{id}'
   *  with query { $expand: 'apps,assignments' }; keep @odata.type from the list entry. */
  | { kind: 'concreteTypeItem'; collectionRoot: string; query?: Record<string, string> };

/** Folder names of exported inventories, one per Graph collection the product reads. */
export const GRAPH_COLLECTION_KEYS = [
  'configurationPolicies',
  'deviceConfigurations',
  'deviceCompliancePolicies',
  'compliancePolicies',
  'conditionalAccessPolicies',
  'appProtectionPolicies',
  'intents',
  'assignmentFilters',
  'notificationMessageTemplates',
  'windowsAutopilotDeploymentProfiles',
  'deviceEnrollmentConfigurations',
  'windowsDriverUpdateProfiles',
  'windowsFeatureUpdateProfiles',
  'windowsQualityUpdateProfiles',
  'groupPolicyConfigurations',
  'mobileAppConfigurations',
  'targetedManagedAppConfigurations',
  'deviceManagementScripts',
  'deviceShellScripts',
  'roleScopeTags',
] as const;

export type GraphCollectionKey = (typeof GRAPH_COLLECTION_KEYS)[number];

/** `GET {path}/{id}/assignments`, paged. */
function assignmentsOf(listPath: string): GraphFollowUp {
  return { kind: 'subcollection', property: 'assignments', pathTemplate: `${listPath}/{id}/assignments` };
}

const COLLECTIONS: Readonly<Record<GraphCollectionKey, GraphCollectionSpec>> = {
  configurationPolicies: {
    key: 'configurationPolicies',
    apiVersion: 'beta',
    listPath: '/deviceManagement/configurationPolicies',
    followUps: [
      // Paged (25 per page by default): the client follows @odata.nextLink; $top is only a hint.
      {
        kind: 'subcollection',
        property: 'settings',
        pathTemplate: '/deviceManagement/configurationPolicies/{id}/settings',
        query: { $top: '1000' },
      },
      assignmentsOf('/deviceManagement/configurationPolicies'),
    ],
  },
  deviceConfigurations: {
    key: 'deviceConfigurations',
    apiVersion: 'beta',
    listPath: '/deviceManagement/deviceConfigurations',
    listQuery: { $expand: 'assignments' },
    // Encrypted OMA-URI values stay encrypted: no getOmaSettingPlainTextValue, ever.
    followUps: [],
  },
  deviceCompliancePolicies: {
    key: 'deviceCompliancePolicies',
    apiVersion: 'beta',
    listPath: '/deviceManagement/deviceCompliancePolicies',
    listQuery: { $expand: 'assignments,scheduledActionsForRule($expand=scheduledActionConfigurations)' },
    followUps: [],
  },
  compliancePolicies: {
    key: 'compliancePolicies',
    apiVersion: 'beta',
    listPath: '/deviceManagement/compliancePolicies',
    followUps: [
      {
        kind: 'subcollection',
        property: 'settings',
        pathTemplate: '/deviceManagement/compliancePolicies/{id}/settings',
        query: { $top: '1000' },
      },
      {
        kind: 'subcollection',
        property: 'scheduledActionsForRule',
        pathTemplate: '/deviceManagement/compliancePolicies/{id}/scheduledActionsForRule',
        query: { $expand: 'scheduledActionConfigurations' },
      },
      assignmentsOf('/deviceManagement/compliancePolicies'),
    ],
  },
  conditionalAccessPolicies: {
    key: 'conditionalAccessPolicies',
    apiVersion: 'v1.0',
    listPath: '/identity/conditionalAccess/policies',
    // No assignments navigation: users, groups and roles are inline under `conditions`.
    followUps: [],
  },
  appProtectionPolicies: {
    key: 'appProtectionPolicies',
    apiVersion: 'beta',
    listPath: '/deviceAppManagement/managedAppPolicies',
    excludeODataTypes: [
      // App configuration for managed apps: its own type, read from its own collection.
      '#microsoft.graph.targetedManagedAppConfiguration',
      // Windows Information Protection (retired by Microsoft) and the default protection have no
      // `apps`/`assignments` navigations, so the concrete re-GET below would fail for them.
      '#microsoft.graph.windowsInformationProtectionPolicy',
      '#microsoft.graph.mdmWindowsInformationProtectionPolicy',
      '#microsoft.graph.defaultManagedAppProtection',
    ],
    followUps: [{ kind: 'concreteTypeItem', collectionRoot: '/deviceAppManagement', query: { $expand: 'apps,assignments' } }],
  },
  intents: {
    key: 'intents',
    apiVersion: 'beta',
    listPath: '/deviceManagement/intents',
    followUps: [
      { kind: 'subcollection', property: 'settings', pathTemplate: '/deviceManagement/intents/{id}/settings' },
      // `$expand=assignments` on the list returns empty arrays for intents: read them per intent.
      assignmentsOf('/deviceManagement/intents'),
    ],
  },
  assignmentFilters: {
    key: 'assignmentFilters',
    apiVersion: 'beta',
    listPath: '/deviceManagement/assignmentFilters',
    followUps: [],
  },
  notificationMessageTemplates: {
    key: 'notificationMessageTemplates',
    apiVersion: 'beta',
    listPath: '/deviceManagement/notificationMessageTemplates',
    listQuery: { $expand: 'localizedNotificationMessages' },
    followUps: [],
  },
  windowsAutopilotDeploymentProfiles: {
    key: 'windowsAutopilotDeploymentProfiles',
    apiVersion: 'beta',
    listPath: '/deviceManagement/windowsAutopilotDeploymentProfiles',
    followUps: [assignmentsOf('/deviceManagement/windowsAutopilotDeploymentProfiles')],
  },
  deviceEnrollmentConfigurations: {
    key: 'deviceEnrollmentConfigurations',
    apiVersion: 'beta',
    listPath: '/deviceManagement/deviceEnrollmentConfigurations',
    listQuery: { $expand: 'assignments' },
    followUps: [],
  },
  windowsDriverUpdateProfiles: {
    key: 'windowsDriverUpdateProfiles',
    apiVersion: 'beta',
    listPath: '/deviceManagement/windowsDriverUpdateProfiles',
    followUps: [assignmentsOf('/deviceManagement/windowsDriverUpdateProfiles')],
  },
  windowsFeatureUpdateProfiles: {
    key: 'windowsFeatureUpdateProfiles',
    apiVersion: 'beta',
    listPath: '/deviceManagement/windowsFeatureUpdateProfiles',
    followUps: [assignmentsOf('/deviceManagement/windowsFeatureUpdateProfiles')],
  },
  windowsQualityUpdateProfiles: {
    key: 'windowsQualityUpdateProfiles',
    apiVersion: 'beta',
    listPath: '/deviceManagement/windowsQualityUpdateProfiles',
    followUps: [assignmentsOf('/deviceManagement/windowsQualityUpdateProfiles')],
  },
  groupPolicyConfigurations: {
    key: 'groupPolicyConfigurations',
    apiVersion: 'beta',
    listPath: '/deviceManagement/groupPolicyConfigurations',
    listQuery: { $expand: 'assignments' },
    followUps: [
      {
        kind: 'subcollection',
        property: 'definitionValues',
        pathTemplate: '/deviceManagement/groupPolicyConfigurations/{id}/definitionValues',
        // One request instead of one per definition value (tools use N+1 requests); nested expand
        // of presentationValues on this list is not confirmed by Microsoft's documentation.
        query: { $expand: 'definition,presentationValues($expand=presentation)' },
      },
    ],
  },
  mobileAppConfigurations: {
    key: 'mobileAppConfigurations',
    apiVersion: 'beta',
    listPath: '/deviceAppManagement/mobileAppConfigurations',
    listQuery: { $expand: 'assignments' },
    followUps: [],
  },
  targetedManagedAppConfigurations: {
    key: 'targetedManagedAppConfigurations',
    apiVersion: 'beta',
    listPath: '/deviceAppManagement/targetedManagedAppConfigurations',
    followUps: [
      {
        kind: 'itemById',
        pathTemplate: '/deviceAppManagement/targetedManagedAppConfigurations/{id}',
        query: { $expand: 'apps,assignments' },
      },
    ],
  },
  deviceManagementScripts: {
    key: 'deviceManagementScripts',
    apiVersion: 'beta',
    listPath: '/deviceManagement/deviceManagementScripts',
    followUps: [
      // scriptContent only comes on the single GET.
      { kind: 'itemById', pathTemplate: '/deviceManagement/deviceManagementScripts/{id}' },
      assignmentsOf('/deviceManagement/deviceManagementScripts'),
    ],
  },
  deviceShellScripts: {
    key: 'deviceShellScripts',
    apiVersion: 'beta',
    listPath: '/deviceManagement/deviceShellScripts',
    followUps: [
      {
        kind: 'itemById',
        pathTemplate: '/deviceManagement/deviceShellScripts/{id}',
        query: { $expand: 'assignments' },
      },
    ],
  },
  roleScopeTags: {
    key: 'roleScopeTags',
    apiVersion: 'beta',
    listPath: '/deviceManagement/roleScopeTags',
    // `$expand=assignments` returns empty arrays for scope tags: read them per tag.
    followUps: [assignmentsOf('/deviceManagement/roleScopeTags')],
  },
};

/** Every Graph collection the product reads, by folder name (frozen: shared, read-only data). */
export const GRAPH_COLLECTIONS: Readonly<Record<string, GraphCollectionSpec>> = deepFreeze(COLLECTIONS);

export function isGraphCollectionKey(value: unknown): value is GraphCollectionKey {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(COLLECTIONS, value);
}
