import type { BaselineProfile, BaselineTenantAssignment, ProfileStatus } from '../../domain/model.js';
import { ProfileStatusTransitionError, RecordAlreadyExistsError, RecordNotFoundError } from '../../usecases/ports/errors.js';
import { cancellationCodes, isConditionalCheckFailed, keyAttributes, type DynamoGateway, type Item } from './gateway.js';
import { assignmentKeys, profileKeys } from './keys.js';
import type { Page, PageRequest, ProfilePatch, ProfileRepository } from '../../usecases/ports/persistence.js';

const INTERNAL = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'];

/** The statuses a profile may be in to move to `to`: draft <-> active -> archived (archived is final). */
export const PROFILE_STATUS_SOURCES: Readonly<Record<ProfileStatus, readonly ProfileStatus[]>> = {
  draft: ['draft', 'active'],
  active: ['draft', 'active'],
  archived: ['active'],
};

const PATCHABLE = [
  'name',
  'description',
  'versionLabel',
  'status',
  'scope',
  'activeSnapshotId',
  'severityMapping',
  'alertMinSeverity',
  'autoResolve',
  'compareAssignments',
  'ignoredProperties',
  'updatedAt',
] as const;

/** Profiles and tenant assignments (baselines table). */
export class DynamoProfileRepository implements ProfileRepository {
  constructor(
    private readonly gateway: DynamoGateway,
    private readonly tableName: string,
  ) {}

  async create(profile: BaselineProfile): Promise<BaselineProfile> {
    try {
      await this.gateway.put({
        TableName: this.tableName,
        Item: {
          ...profileKeys.primary(profile.id),
          gsi1pk: profileKeys.byWorkspace(profile.workspaceId).gsi1pk,
          gsi1sk: profileKeys.gsi1sk(profile.createdAt, profile.id),
          ...profile,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new RecordAlreadyExistsError('baseline profile', profile.id);
      throw error;
    }
    return profile;
  }

  async get(profileId: string): Promise<BaselineProfile | undefined> {
    const item = await this.gateway.get(this.tableName, profileKeys.primary(profileId));
    return item === undefined ? undefined : (strip(item) as unknown as BaselineProfile);
  }

  async listByWorkspace(workspaceId: string, options: PageRequest & { status?: ProfileStatus }): Promise<Page<BaselineProfile>> {
    const { index, gsi1pk } = profileKeys.byWorkspace(workspaceId);
    const page = await this.gateway.queryLimited(
      {
        TableName: this.tableName,
        IndexName: index,
        KeyConditionExpression: 'gsi1pk = :pk',
        ...(options.status !== undefined
          ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } }
          : {}),
        ExpressionAttributeValues: { ':pk': gsi1pk, ...(options.status !== undefined ? { ':status': options.status } : {}) },
        ScanIndexForward: false,
      },
      {
        limit: options.limit,
        ...(options.cursor !== undefined ? { cursor: options.cursor } : {}),
        tag: `profiles:${workspaceId}:${options.status ?? ''}`,
        keyAttributes: keyAttributes('baselines', index),
      },
    );
    return { ...page, items: page.items.map((i) => strip(i) as unknown as BaselineProfile) };
  }

  async update(profileId: string, patch: ProfilePatch): Promise<BaselineProfile> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':archived': 'archived' };
    const sets: string[] = [];
    for (const field of PATCHABLE) {
      const value = patch[field];
      if (value === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    let condition = 'attribute_exists(pk) AND #status <> :archived';
    if (patch.status !== undefined) {
      const sources = PROFILE_STATUS_SOURCES[patch.status];
      sources.forEach((s, i) => (values[`:from${i}`] = s));
      condition += ` AND #status IN (${sources.map((_, i) => `:from${i}`).join(', ')})`;
    }
    try {
      const attributes = await this.gateway.update({
        TableName: this.tableName,
        Key: profileKeys.primary(profileId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      });
      return strip(attributes!) as unknown as BaselineProfile;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const current = await this.get(profileId);
      if (current === undefined) throw new RecordNotFoundError('baseline profile', profileId);
      throw new ProfileStatusTransitionError(profileId, current.status, patch.status ?? current.status);
    }
  }

  async assign(assignment: BaselineTenantAssignment): Promise<{ created: boolean; assignment: BaselineTenantAssignment }> {
    const key = assignmentKeys.primary(assignment.profileId, assignment.tenantId);
    try {
      await this.gateway.transactWrite([
        {
          ConditionCheck: {
            TableName: this.tableName,
            Key: profileKeys.primary(assignment.profileId),
            ConditionExpression: 'attribute_exists(pk) AND #status <> :archived',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':archived': 'archived' },
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: {
              ...key,
              gsi1pk: assignmentKeys.byTenant(assignment.tenantId).gsi1pk,
              gsi1sk: assignmentKeys.gsi1sk(assignment.profileId),
              ...assignment,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ]);
      return { created: true, assignment };
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes === undefined) throw error;
      if (codes[0] === 'ConditionalCheckFailed') {
        const profile = await this.get(assignment.profileId);
        if (profile === undefined) throw new RecordNotFoundError('baseline profile', assignment.profileId);
        throw new ProfileStatusTransitionError(assignment.profileId, profile.status, profile.status);
      }
      if (codes[1] === 'ConditionalCheckFailed') {
        const existing = await this.getAssignment(assignment.profileId, assignment.tenantId);
        if (existing !== undefined) return { created: false, assignment: existing };
      }
      throw error;
    }
  }

  async unassign(profileId: string, tenantId: string): Promise<boolean> {
    const old = await this.gateway.delete({
      TableName: this.tableName,
      Key: assignmentKeys.primary(profileId, tenantId),
      ReturnValues: 'ALL_OLD',
    });
    return old !== undefined;
  }

  async getAssignment(profileId: string, tenantId: string): Promise<BaselineTenantAssignment | undefined> {
    const item = await this.gateway.get(this.tableName, assignmentKeys.primary(profileId, tenantId));
    return item === undefined ? undefined : (strip(item) as unknown as BaselineTenantAssignment);
  }

  async listAssignmentsByProfile(profileId: string): Promise<BaselineTenantAssignment[]> {
    const items = await this.gateway.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': profileKeys.primary(profileId).pk, ':prefix': assignmentKeys.sortPrefix },
      ConsistentRead: true,
    });
    return items.map((i) => strip(i) as unknown as BaselineTenantAssignment);
  }

  async listAssignmentsByTenant(tenantId: string): Promise<BaselineTenantAssignment[]> {
    const { index, gsi1pk } = assignmentKeys.byTenant(tenantId);
    const items = await this.gateway.queryAll({
      TableName: this.tableName,
      IndexName: index,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': gsi1pk },
    });
    return items.map((i) => strip(i) as unknown as BaselineTenantAssignment);
  }
}

function strip(item: Item): Item {
  const rest = { ...item };
  for (const a of INTERNAL) delete rest[a];
  return rest;
}
