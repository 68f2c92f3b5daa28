/**
 * Reads an export tool's backup folder as an inventory (baseline or current side), in the layouts
 * the tools write (their public repositories were read for them):
 *
 * - **IntuneCD** (`IntuneCD-startbackup -o json|yaml`): one folder per kind of object named as the
 *   portal names it (`Settings Catalog/`, `Device Configurations/`, `Compliance Policies/Policies/`,
 *   `Management Intents/<template name>/`, ...), one `.json` or `.yaml` file per object.
 * - **IntuneManagement** (Micke-K): one folder per object type id (`SettingsCatalog/`,
 *   `DeviceConfiguration/`, `EndpointSecurity/`, ...), one `.json` file per object with its
 *   `<name>_Settings.json` beside it where the tool writes one, and `MigrationTable.json` at the root.
 *
 * Folders a tool writes for objects the product does not compare (applications, roles, partner
 * connections, ...) are listed in `notRead`, never read; a folder neither the tool nor the product
 * knows is an error naming it, as for Graph exports. Every object is mapped to Graph's shape
 * (`shared/domain/tool-exports.ts`), then classified and checked exactly like a Graph export's.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DomainError, MalformedGraphObjectError, UnreadableGraphExportError } from '../../domain/errors.js';
import { extractGraphObjects, parseGraphObjects } from '../../domain/graph-objects.js';
import { type GraphCollectionKey } from '../../domain/graph-collections.js';
import { classifyGraphObject } from '../../domain/classification.js';
import { fromIntuneCd, fromIntuneManagement, groupNamesOfMigrationTable, type IntuneManagementSettings } from '../../domain/tool-exports.js';
import type { GraphExportReport, LoadedGraphObject } from './graph-export.js';
import { readExportText } from './graph-export.js';

export const TOOL_EXPORT_FORMATS = ['intunecd', 'intunemanagement'] as const;
export type ToolExportFormat = (typeof TOOL_EXPORT_FORMATS)[number];

/** A folder of a tool's layout: where its objects come from (`undefined` = a kind the product does not read). */
type FolderRule = GraphCollectionKey | 'compliance' | undefined;

/** IntuneCD backup folders (relative paths, `/`-separated). `Management Intents` holds one folder per template. */
const INTUNECD_FOLDERS: Readonly<Record<string, FolderRule>> = {
  'Settings Catalog': 'configurationPolicies',
  'Device Configurations': 'deviceConfigurations',
  // Both compliance collections share it: settings catalog compliance policies carry `name` and `technologies`.
  'Compliance Policies/Policies': 'compliance',
  'Compliance Policies/Message Templates': 'notificationMessageTemplates',
  'Compliance Policies/Scripts': undefined,
  'Conditional Access': 'conditionalAccessPolicies',
  'App Protection': 'appProtectionPolicies',
  'App Configuration': 'mobileAppConfigurations',
  'Group Policy Configurations': 'groupPolicyConfigurations',
  Filters: 'assignmentFilters',
  'Scope Tags': 'roleScopeTags',
  'Enrollment Profiles/Windows': 'windowsAutopilotDeploymentProfiles',
  'Enrollment Profiles/Windows/ESP': 'deviceEnrollmentConfigurations',
  'Enrollment Profiles/Apple': undefined,
  'Enrollment Configurations': 'deviceEnrollmentConfigurations',
  'Driver Updates': 'windowsDriverUpdateProfiles',
  'Feature Updates': 'windowsFeatureUpdateProfiles',
  'Quality Updates': 'windowsQualityUpdateProfiles',
  'Scripts/Powershell': 'deviceManagementScripts',
  'Scripts/Shell': 'deviceShellScripts',
  'Management Intents/*': 'intents',
  Applications: undefined,
  'Apple Push Notification': undefined,
  'Apple VPP Tokens': undefined,
  'Activation Lock Bypass Codes': undefined,
  'Autopilot Devices': undefined,
  'Custom Attributes': undefined,
  'Device Categories': undefined,
  'Device Management Settings': undefined,
  'Managed Google Play': undefined,
  'Partner Connections/Compliance': undefined,
  'Partner Connections/Management': undefined,
  'Partner Connections/Remote Assistance': undefined,
  'Proactive Remediations': undefined,
  Roles: undefined,
};

/** IntuneManagement export folders: the tool's object type ids. */
const INTUNEMANAGEMENT_FOLDERS: Readonly<Record<string, FolderRule>> = {
  SettingsCatalog: 'configurationPolicies',
  DeviceConfiguration: 'deviceConfigurations',
  UpdatePolicies: 'deviceConfigurations',
  AdministrativeTemplates: 'groupPolicyConfigurations',
  CompliancePolicies: 'deviceCompliancePolicies',
  CompliancePoliciesV2: 'compliancePolicies',
  ConditionalAccess: 'conditionalAccessPolicies',
  EndpointSecurity: 'intents',
  AppProtection: 'appProtectionPolicies',
  AppConfigurationManagedApp: 'targetedManagedAppConfigurations',
  AppConfigurationManagedDevice: 'mobileAppConfigurations',
  AutoPilot: 'windowsAutopilotDeploymentProfiles',
  EnrollmentStatusPage: 'deviceEnrollmentConfigurations',
  EnrollmentRestrictions: 'deviceEnrollmentConfigurations',
  CoManagementSettings: 'deviceEnrollmentConfigurations',
  FeatureUpdates: 'windowsFeatureUpdateProfiles',
  QualityUpdates: 'windowsQualityUpdateProfiles',
  DriverUpdateProfiles: 'windowsDriverUpdateProfiles',
  PowerShellScripts: 'deviceManagementScripts',
  MacScripts: 'deviceShellScripts',
  ScopeTags: 'roleScopeTags',
  AssignmentFilters: 'assignmentFilters',
  Notifications: 'notificationMessageTemplates',
  NamedLocations: undefined,
  TermsOfUse: undefined,
  ComplianceScripts: undefined,
  IntuneBranding: undefined,
  AzureBranding: undefined,
  MacCustomAttributes: undefined,
  TermsAndConditions: undefined,
  Applications: undefined,
  PolicySets: undefined,
  Locations: undefined,
  InventoryPolicies: undefined,
  HardwareConfigurations: undefined,
  RoleDefinitions: undefined,
  AndroidOEMConfig: undefined,
  AppleEnrollmentTypes: undefined,
  DeviceHealthScripts: undefined,
  ADMXFiles: undefined,
  iOSDepProfile: undefined,
  ReusableSettings: undefined,
  AuthenticationStrengths: undefined,
  AuthenticationContext: undefined,
  W365ProvisioningPolicies: undefined,
  W365UserSettings: undefined,
  DeviceCategories: undefined,
  Groups: undefined,
};

const LAYOUTS: Readonly<Record<ToolExportFormat, Readonly<Record<string, FolderRule>>>> = {
  intunecd: INTUNECD_FOLDERS,
  intunemanagement: INTUNEMANAGEMENT_FOLDERS,
};

const TOOL_NAMES: Readonly<Record<ToolExportFormat, string>> = { intunecd: 'IntuneCD', intunemanagement: 'IntuneManagement' };

/** The top-level folder names of a tool's layout. */
export function toolTopFolders(format: ToolExportFormat): Set<string> {
  return new Set(Object.keys(LAYOUTS[format]).map((path) => path.split('/')[0]!));
}

export interface ToolExportReport extends GraphExportReport {
  /** Folders of kinds the product does not compare (relative paths), in sorted order. */
  notRead: string[];
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

async function directories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort(byCodeUnits);
}

async function files(dir: string, extensions: readonly string[]): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.') && extensions.some((ext) => e.name.toLowerCase().endsWith(ext)))
    .map((e) => e.name)
    .sort(byCodeUnits);
}

/** The folders of a backup with their rule: walks the layout's paths, and lists unknown folders. */
async function layoutFolders(root: string, layout: Readonly<Record<string, FolderRule>>): Promise<{ folders: [string, FolderRule][]; unknown: string[] }> {
  const folders: [string, FolderRule][] = [];
  const unknown: string[] = [];
  const walk = async (path: string): Promise<void> => {
    for (const name of await directories(join(root, path))) {
      const rel = path === '' ? name : `${path}/${name}`;
      const wildcard = `${path}/*`;
      const known = Object.hasOwn(layout, rel) ? rel : Object.hasOwn(layout, wildcard) ? wildcard : undefined;
      const isParent = Object.keys(layout).some((p) => p.startsWith(`${rel}/`));
      if (known !== undefined) folders.push([rel, layout[known]]);
      if (isParent) await walk(rel);
      else if (known === undefined && path === '') unknown.push(rel);
      // Subfolders of a known folder that the layout does not name (IntuneCD's `mobileconfig/`,
      // `Script Data/`) hold payloads, not policy objects.
    }
  };
  await walk('');
  return { folders, unknown };
}

function parseToolFile(text: string, file: string): Record<string, unknown>[] {
  if (!/\.ya?ml$/i.test(file)) return parseGraphObjects(text, file);
  let parsed: unknown;
  try {
    parsed = parseYaml(text, { uniqueKeys: false });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : 'unreadable';
    throw new MalformedGraphObjectError(file, `${file} is not valid YAML (${reason}): fix the file or back it up again`);
  }
  return extractGraphObjects(parsed, file);
}

function collectionOf(rule: Exclude<FolderRule, undefined>, obj: Record<string, unknown>): GraphCollectionKey {
  if (rule !== 'compliance') return rule;
  return typeof obj['name'] === 'string' && obj['technologies'] !== undefined && typeof obj['displayName'] !== 'string'
    ? 'compliancePolicies'
    : 'deviceCompliancePolicies';
}

/** IntuneManagement's `_Settings.json` kind per collection. */
const SETTINGS_FILE_KIND: Partial<Record<GraphCollectionKey, IntuneManagementSettings['kind']>> = {
  intents: 'intentSettings',
  groupPolicyConfigurations: 'definitionValues',
};

/**
 * Loads every object of a tool's backup folder, setting aside (with their error) the files that
 * cannot be used. Throws `UnreadableGraphExportError` when the folder has no layout of the tool.
 */
export async function loadToolExportReport(dir: string, format: ToolExportFormat): Promise<ToolExportReport> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    throw new UnreadableGraphExportError(dir, `${dir} is not a directory: give the root folder of the ${TOOL_NAMES[format]} backup`);
  }
  const layout = LAYOUTS[format];
  const { folders, unknown } = await layoutFolders(dir, layout);
  if (unknown.length > 0) {
    throw new UnreadableGraphExportError(
      dir,
      `${dir}: ${unknown.map((u) => `"${u}"`).join(', ')} ${unknown.length > 1 ? 'are no folders' : 'is no folder'} of a ${TOOL_NAMES[format]} backup: ` +
        `remove ${unknown.length > 1 ? 'them' : 'it'} or name the right format with --format-in; ${TOOL_NAMES[format]} folders are ${[...toolTopFolders(format)].sort(byCodeUnits).join(', ')}`,
    );
  }
  const groupNames = format === 'intunemanagement' ? await migrationGroupNames(dir) : undefined;
  const objects: LoadedGraphObject[] = [];
  const rejected: GraphExportReport['rejected'] = [];
  const notRead: string[] = [];
  for (const [rel, rule] of folders) {
    if (rule === undefined) {
      notRead.push(rel);
      continue;
    }
    const folder = join(dir, ...rel.split('/'));
    const names = await files(folder, format === 'intunecd' ? ['.json', '.yaml', '.yml'] : ['.json']);
    const settingsFiles = new Set(format === 'intunemanagement' ? names.filter((n) => n.endsWith('_Settings.json')) : []);
    for (const name of names) {
      if (settingsFiles.has(name)) continue;
      const file = join(folder, name);
      const collectionHint = rule === 'compliance' ? 'deviceCompliancePolicies' : rule;
      try {
        const parsed = parseToolFile(await readExportText(file), file);
        const settingsName = name.replace(/\.json$/i, '_Settings.json');
        const kind = SETTINGS_FILE_KIND[collectionHint];
        const settings = kind !== undefined && settingsFiles.has(settingsName) ? await readSettingsFile(join(folder, settingsName), kind) : undefined;
        for (const [index, raw] of parsed.entries()) {
          const object =
            format === 'intunecd' ? fromIntuneCd(raw) : fromIntuneManagement(raw, { ...(settings ? { settings } : {}), ...(groupNames ? { groupNames } : {}) });
          const collection = collectionOf(rule, object);
          objects.push({ collection, file, object, policyType: classifyIn(collection, object, file, parsed.length > 1 ? index : undefined) });
        }
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        rejected.push({ collection: collectionHint, file, error });
      }
    }
  }
  return { objects, rejected, notRead: notRead.sort(byCodeUnits) };
}

async function readSettingsFile(file: string, kind: IntuneManagementSettings['kind']): Promise<IntuneManagementSettings> {
  const text = await readExportText(file);
  try {
    const value = JSON.parse(text) as unknown;
    // The tool writes an intent's settings as a JSON string holding the JSON (encoded twice).
    return { kind, value: typeof value === 'string' ? (JSON.parse(value) as unknown) : value };
  } catch {
    throw new MalformedGraphObjectError(file, `${file} is not valid JSON: export the policy again with IntuneManagement`);
  }
}

async function migrationGroupNames(dir: string): Promise<Map<string, string> | undefined> {
  const file = join(dir, 'MigrationTable.json');
  const info = await stat(file).catch(() => undefined);
  if (info === undefined || !info.isFile()) return undefined;
  const text = await readExportText(file);
  try {
    return groupNamesOfMigrationTable(JSON.parse(text));
  } catch {
    throw new MalformedGraphObjectError(file, `${file} is not valid JSON: export again with IntuneManagement, or remove the file (group names then stay unknown)`);
  }
}

function classifyIn(collection: GraphCollectionKey, object: Record<string, unknown>, file: string, index: number | undefined) {
  try {
    return classifyGraphObject(collection, object);
  } catch (error) {
    if (error instanceof DomainError) error.message = `${file}${index === undefined ? '' : `, object ${index}`}: ${error.message}`;
    throw error;
  }
}

/** The tool whose layout a folder's top-level subfolders match best, if any. */
export async function detectToolFormat(dir: string): Promise<ToolExportFormat | undefined> {
  const top = await directories(dir).catch(() => [] as string[]);
  let best: { format: ToolExportFormat; hits: number } | undefined;
  for (const format of TOOL_EXPORT_FORMATS) {
    const known = toolTopFolders(format);
    const hits = top.filter((name) => known.has(name)).length;
    if (hits > 0 && (best === undefined || hits > best.hits)) best = { format, hits };
  }
  return best?.format;
}
