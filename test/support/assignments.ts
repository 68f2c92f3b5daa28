/**
 * Graph-shaped assignments for tests: entries exactly as `$expand=assignments` returns them
 * (`id` = `<policyId>_<groupId>`, `source`, `sourceId`, `target` with `@odata.type`, group and filter
 * ids, filter type), and one settings catalog policy that carries them; a content loader over built
 * subjects, as a compare reads them.
 */
import type { GroupMapping } from '../../shared/domain/assignments.js';
import type { NormalizedSubject, RegistryTypeKey } from '../../shared/domain/model.js';
import { comparePolicyType, currentId, type SubjectContent } from '../../shared/usecases/compare-policy-type.js';

export const TARGET = {
  group: '#microsoft.graph.groupAssignmentTarget',
  exclusionGroup: '#microsoft.graph.exclusionGroupAssignmentTarget',
  allDevices: '#microsoft.graph.allDevicesAssignmentTarget',
  allLicensedUsers: '#microsoft.graph.allLicensedUsersAssignmentTarget',
  collection: '#microsoft.graph.configurationManagerCollectionAssignmentTarget',
} as const;

export interface AssignmentSpec {
  target: keyof typeof TARGET;
  groupId?: string;
  groupDisplayName?: string;
  filterId?: string;
  filterDisplayName?: string;
  filterType?: 'include' | 'exclude' | 'none';
  /** A policy set's id: the assignment comes from that set. */
  policySetId?: string;
  collectionId?: string;
  intent?: string;
}

export function graphAssignment(policyId: string, spec: AssignmentSpec): Record<string, unknown> {
  const target: Record<string, unknown> = {
    '@odata.type': TARGET[spec.target],
    deviceAndAppManagementAssignmentFilterId: spec.filterId ?? null,
    deviceAndAppManagementAssignmentFilterType: spec.filterType ?? (spec.filterId ? 'include' : 'none'),
  };
  if (spec.groupId !== undefined) target['groupId'] = spec.groupId;
  if (spec.groupDisplayName !== undefined) target['groupDisplayName'] = spec.groupDisplayName;
  if (spec.filterDisplayName !== undefined) target['deviceAndAppManagementAssignmentFilterDisplayName'] = spec.filterDisplayName;
  if (spec.collectionId !== undefined) target['collectionId'] = spec.collectionId;
  const out: Record<string, unknown> = {
    id: `${policyId}_${spec.groupId ?? spec.collectionId ?? spec.target}`,
    source: spec.policySetId ? 'policySets' : 'direct',
    sourceId: spec.policySetId ?? policyId,
    target,
  };
  if (spec.intent !== undefined) out['intent'] = spec.intent;
  return out;
}

/** A settings catalog policy as Graph returns it, with `assignments` when given (absent = not collected). */
export function settingsCatalogPolicy(policyId: string, name: string, assignments?: AssignmentSpec[], value = 'block'): Record<string, unknown> {
  const policy: Record<string, unknown> = {
    '@odata.type': '#microsoft.graph.deviceManagementConfigurationPolicy',
    id: policyId,
    name,
    description: 'Managed by the platform team',
    platforms: 'windows10',
    technologies: 'mdm',
    createdDateTime: '2026-01-05T10:00:00Z',
    lastModifiedDateTime: '2026-02-11T08:30:12Z',
    settingCount: 1,
    isAssigned: (assignments?.length ?? 0) > 0,
    roleScopeTagIds: ['0'],
    templateReference: { templateId: '', templateFamily: 'none', templateDisplayName: null, templateDisplayVersion: null },
    settings: [
      {
        id: '0',
        settingInstance: {
          '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
          settingDefinitionId: 'device_vendor_msft_policy_config_defender_allowarchivescanning',
          settingInstanceTemplateReference: null,
          choiceSettingValue: { value: `device_vendor_msft_policy_config_defender_allowarchivescanning_${value}`, children: [] },
        },
      },
    ],
  };
  if (assignments !== undefined) {
    policy['assignments@odata.context'] = `https://graph.microsoft.com/beta/$metadata#deviceManagement/configurationPolicies('${policyId}')/assignments`;
    policy['assignments'] = assignments.map((a) => graphAssignment(policyId, a));
  }
  return policy;
}

/** Reads the stored content of built subjects by `idOf` (as a repository would: meta, content, assignments, group lists). */
export function contentLoader(subjects: readonly NormalizedSubject[], idOf: (s: NormalizedSubject) => string) {
  const byId = new Map<string, SubjectContent>();
  for (const s of subjects) {
    const c: SubjectContent = { meta: s.meta };
    if (s.content) c.content = s.content;
    if (s.assignments) c.assignments = s.assignments;
    if (s.policyGroups) c.policyGroups = s.policyGroups;
    byId.set(idOf(s), c);
  }
  return (ids: readonly string[]) => Promise.resolve(new Map(ids.flatMap((id) => (byId.has(id) ? [[id, byId.get(id)!] as const] : []))));
}

/** One policy type compared on built subjects, as a compare run does; the first candidate and its drifted paths. */
export async function compareBuilt(
  policyType: RegistryTypeKey,
  baseline: NormalizedSubject[],
  current: NormalizedSubject[],
  options: { mappings?: GroupMapping[]; compareAssignments?: boolean } = {},
) {
  const compared = await comparePolicyType({
    policyType,
    baseline,
    current,
    loadBaseline: contentLoader(baseline, (s) => s.subjectKey),
    loadCurrent: contentLoader(current, currentId),
    ...(options.mappings ? { groupMappings: options.mappings } : {}),
    ...(options.compareAssignments !== undefined ? { compareAssignments: options.compareAssignments } : {}),
  });
  const [finding] = compared.result.drift;
  return { ...compared, finding, paths: finding ? (compared.drifted.get(finding.subjectKey)?.properties ?? []) : [] };
}
