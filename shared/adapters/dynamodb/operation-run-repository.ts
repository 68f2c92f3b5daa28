import type { OperationRun, OperationRunType } from '../../domain/model.js';
import { RecordAlreadyExistsError, RecordNotFoundError, RunAlreadyCompletedError } from '../../usecases/ports/errors.js';
import { cancellationCodes, isConditionalCheckFailed, keyAttributes, withVisibility, type DynamoGateway, type Item } from './gateway.js';
import { lockKeys, runKeys } from './keys.js';
import type {
  ActiveRunLock,
  CompleteRunInput,
  CompleteRunResult,
  CreateQueuedResult,
  NewOperationRun,
  OperationRunRepository,
  Page,
  PageRequest,
  Visibility,
} from '../../usecases/ports/persistence.js';

/** Runs are kept this long after completion (then TTL removes them). */
export const RUN_RETENTION_DAYS = 90;
/** A lock is a safety net for this long; a run still holding it later is stale (see `findStale`). */
export const DEFAULT_LOCK_TTL_SECONDS = 24 * 3600;

const RUN_INTERNAL = ['pk', 'sk', 'tenantType', 'createdKey', 'completedTenantType', 'completedKey', 'expiresAt'];

export interface OperationRunRepositoryOptions {
  lockTtlSeconds?: number;
}

function epochSeconds(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not an ISO timestamp: '${iso}'`);
  return Math.floor(ms / 1000);
}

/**
 * Operation runs and the active-run lock. The lock item `lock#<tenant>#<identityHash>` is written in
 * the same transaction as the queued run (so at most one queued/running run per pair, without any
 * read-then-write) and deleted in the same transaction that completes the run.
 */
export class DynamoOperationRunRepository implements OperationRunRepository {
  private readonly lockTtlSeconds: number;

  constructor(
    private readonly gateway: DynamoGateway,
    private readonly tableName: string,
    options: OperationRunRepositoryOptions = {},
  ) {
    this.lockTtlSeconds = options.lockTtlSeconds ?? DEFAULT_LOCK_TTL_SECONDS;
  }

  async createQueued(input: NewOperationRun): Promise<CreateQueuedResult> {
    const run: OperationRun = {
      id: input.id,
      tenantId: input.tenantId,
      ...(input.workspaceId !== undefined ? { workspaceId: input.workspaceId } : {}),
      type: input.type,
      status: 'queued',
      outcome: 'pending',
      identityHash: input.identityHash,
      summaryCounts: input.summaryCounts ?? {},
      failureSummary: [],
      context: input.context ?? {},
      initiator: input.initiator,
      createdAt: input.createdAt,
    };
    const lockKey = lockKeys.primary(run.tenantId, run.identityHash);
    const lock: Item = {
      ...lockKey,
      runId: run.id,
      tenantId: run.tenantId,
      identityHash: run.identityHash,
      type: run.type,
      createdAt: run.createdAt,
      lockShard: lockKeys.shard,
      lockCreatedKey: lockKeys.lockCreatedKey(run.createdAt, run.id),
      expiresAt: epochSeconds(run.createdAt) + this.lockTtlSeconds,
    };
    const item: Item = {
      ...runKeys.primary(run.id),
      tenantType: runKeys.tenantType(run.tenantId, run.type),
      createdKey: runKeys.createdKey(run.createdAt, run.id),
      ...run,
    };
    for (let attempt = 0; attempt < 5; attempt += 1) {
      try {
        await this.gateway.transactWrite([
          { Put: { TableName: this.tableName, Item: lock, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
        ]);
        return { created: true, run };
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes === undefined) throw error;
        if (codes[0] === 'ConditionalCheckFailed') {
          const held = await this.gateway.get(this.tableName, lockKey);
          if (held !== undefined) return { created: false, activeRunId: held.runId as string };
          continue; // released in between: try again
        }
        if (codes[1] === 'ConditionalCheckFailed') throw new RecordAlreadyExistsError('operation run', run.id);
        throw error;
      }
    }
    throw new Error(`could not take the active-run lock of tenant '${run.tenantId}' (${run.identityHash}): it changed hands repeatedly`);
  }

  async markRunning(runId: string, startedAt: string): Promise<OperationRun> {
    let attributes: Item | undefined;
    try {
      attributes = await this.gateway.update({
        TableName: this.tableName,
        Key: runKeys.primary(runId),
        UpdateExpression: 'SET #status = :running, startedAt = if_not_exists(startedAt, :startedAt)',
        ConditionExpression: 'attribute_exists(pk) AND #status IN (:queued, :running)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':running': 'running', ':queued': 'queued', ':startedAt': startedAt },
        ReturnValues: 'ALL_NEW',
      });
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const current = await this.get(runId);
      if (current === undefined) throw new RecordNotFoundError('operation run', runId);
      throw new RunAlreadyCompletedError(runId);
    }
    const run = toRun(attributes!);
    try {
      await this.gateway.update({
        TableName: this.tableName,
        Key: lockKeys.primary(run.tenantId, run.identityHash),
        UpdateExpression: 'SET startedAt = if_not_exists(startedAt, :startedAt)',
        ConditionExpression: 'runId = :runId',
        ExpressionAttributeValues: { ':startedAt': run.startedAt ?? startedAt, ':runId': runId },
      });
    } catch (error) {
      // The lock records when its run started for stale detection; a lock already gone is no error.
      if (!isConditionalCheckFailed(error)) throw error;
    }
    return run;
  }

  async setContextEntry(runId: string, key: string, value: unknown): Promise<void> {
    try {
      await this.gateway.update({
        TableName: this.tableName,
        Key: runKeys.primary(runId),
        UpdateExpression: 'SET #context.#key = :value',
        ConditionExpression: 'attribute_exists(pk) AND #status IN (:queued, :running)',
        ExpressionAttributeNames: { '#context': 'context', '#key': key, '#status': 'status' },
        ExpressionAttributeValues: { ':value': value, ':queued': 'queued', ':running': 'running' },
      });
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const current = await this.get(runId);
      if (current === undefined) throw new RecordNotFoundError('operation run', runId);
      throw new RunAlreadyCompletedError(runId);
    }
  }

  async complete(runId: string, result: CompleteRunInput): Promise<CompleteRunResult> {
    const current = await this.get(runId);
    if (current === undefined) throw new RecordNotFoundError('operation run', runId);
    if (current.status === 'completed') return { completed: false, run: current };

    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = {
      ':completed': 'completed',
      ':queued': 'queued',
      ':running': 'running',
      ':outcome': result.outcome,
      ':summaryCounts': result.summaryCounts,
      ':failureSummary': result.failureSummary,
      ':completedAt': result.completedAt,
      ':completedTenantType': runKeys.tenantType(current.tenantId, current.type),
      ':completedKey': runKeys.completedKey(result.completedAt, runId),
      ':expiresAt': epochSeconds(result.completedAt) + RUN_RETENTION_DAYS * 86_400,
    };
    const sets = [
      '#status = :completed',
      'outcome = :outcome',
      'summaryCounts = :summaryCounts',
      'failureSummary = :failureSummary',
      'completedAt = :completedAt',
      'completedTenantType = :completedTenantType',
      'completedKey = :completedKey',
      'expiresAt = :expiresAt',
    ];
    // The context is merged key by key into what earlier steps recorded.
    Object.entries(result.context).forEach(([key, value], i) => {
      names['#context'] = 'context';
      names[`#c${i}`] = key;
      values[`:c${i}`] = value;
      sets.push(`#context.#c${i} = :c${i}`);
    });
    const runUpdate = {
      TableName: this.tableName,
      Key: runKeys.primary(runId),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: '#status IN (:queued, :running)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
    const lockRelease = {
      TableName: this.tableName,
      Key: lockKeys.primary(current.tenantId, current.identityHash),
      ConditionExpression: 'attribute_not_exists(pk) OR runId = :runId',
      ExpressionAttributeValues: { ':runId': runId },
    };
    try {
      await this.gateway.transactWrite([{ Update: runUpdate }, { Delete: lockRelease }]);
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes === undefined) throw error;
      if (codes[0] === 'ConditionalCheckFailed') {
        const after = await this.get(runId);
        if (after === undefined) throw new RecordNotFoundError('operation run', runId);
        return { completed: false, run: after };
      }
      if (codes[1] !== 'ConditionalCheckFailed') throw error;
      // The lock belongs to another run (this run's lock expired and was taken): leave it alone.
      try {
        await this.gateway.update(runUpdate);
      } catch (inner) {
        if (!isConditionalCheckFailed(inner)) throw inner;
        const after = await this.get(runId);
        return { completed: false, run: after! };
      }
    }
    const run = await this.get(runId);
    return { completed: true, run: run! };
  }

  async get(runId: string): Promise<OperationRun | undefined> {
    const item = await this.gateway.get(this.tableName, runKeys.primary(runId));
    return item === undefined ? undefined : toRun(item);
  }

  async listByTenant(tenantId: string, options: PageRequest & { type?: OperationRunType; visibleTo?: Visibility }): Promise<Page<OperationRun>> {
    const pattern = options.type === undefined ? runKeys.byTenant : runKeys.byTenantType;
    const partition = options.type === undefined ? tenantId : runKeys.tenantType(tenantId, options.type);
    const { input, accept } = withVisibility(
      {
        TableName: this.tableName,
        IndexName: pattern.index,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': pattern.partition },
        ExpressionAttributeValues: { ':p': partition },
        ScanIndexForward: false,
      },
      options.visibleTo,
      { workspaceOptional: true },
    );
    const page = await this.gateway.queryLimited(input, {
      ...(accept !== undefined ? { accept } : {}),
      limit: options.limit,
      ...(options.cursor !== undefined ? { cursor: options.cursor } : {}),
      tag: `runs:${pattern.index}:${partition}`,
      keyAttributes: keyAttributes('operationRuns', pattern.index),
    });
    return { ...page, items: page.items.map(toRun) };
  }

  async latestCompleted(tenantId: string, type: OperationRunType): Promise<OperationRun | undefined> {
    const pattern = runKeys.byTenantTypeCompleted;
    const page = await this.gateway.queryOnce({
      TableName: this.tableName,
      IndexName: pattern.index,
      KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: { '#p': pattern.partition },
      ExpressionAttributeValues: { ':p': runKeys.tenantType(tenantId, type) },
      ScanIndexForward: false,
      Limit: 1,
    });
    const item = page.items[0];
    return item === undefined ? undefined : toRun(item);
  }

  async findStale(olderThan: string): Promise<ActiveRunLock[]> {
    const pattern = lockKeys.activeLocks;
    const items = await this.gateway.queryAll({
      TableName: this.tableName,
      IndexName: pattern.index,
      KeyConditionExpression: '#p = :p AND #s < :before',
      ExpressionAttributeNames: { '#p': pattern.partition, '#s': pattern.sort },
      ExpressionAttributeValues: { ':p': lockKeys.shard, ':before': olderThan },
    });
    return items.map((item) => ({
      runId: item.runId as string,
      tenantId: item.tenantId as string,
      identityHash: item.identityHash as string,
      type: item.type as OperationRunType,
      createdAt: item.createdAt as string,
      ...(typeof item.startedAt === 'string' ? { startedAt: item.startedAt } : {}),
      expiresAt: item.expiresAt as number,
    }));
  }
}

function toRun(item: Item): OperationRun {
  const rest = { ...item };
  for (const a of RUN_INTERNAL) delete rest[a];
  return rest as unknown as OperationRun;
}
