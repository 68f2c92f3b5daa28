import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import {
  AUTO_RESOLVE_REASON,
  autoResolveFinding,
  expireAcceptance,
  observeFinding,
  transitionFinding,
  type FindingMove,
  type FindingObservation,
} from '../../domain/lifecycle.js';
import { OPEN_FINDING_STATUSES, type Finding } from '../../domain/model.js';
import { claimFindingAlert, type FindingAlertPolicy } from '../../domain/events.js';
import { ConcurrentUpdateError, RecordNotFoundError } from '../../usecases/ports/errors.js';
import { isConditionalCheckFailed, keyAttributes, type DynamoGateway, type Item } from './gateway.js';
import { findingKeys } from './keys.js';
import type { AppliedObservation, ApplyObservationsResult, FindingListFilter, FindingRepository, ObserveOptions, Page, PageRequest } from '../../usecases/ports/persistence.js';

const FINDING_INTERNAL = ['pk', 'sk', 'tenantStatus', 'tenantPolicyType', 'version'];

export interface FindingRepositoryOptions {
  /** Observations applied in parallel within one call (default 8). */
  concurrency?: number;
  /** Attempts of one optimistic write before ConcurrentUpdateError (default 60). */
  maxAttempts?: number;
}

interface Versioned {
  finding: Finding;
  version: number;
}

/**
 * Findings with optimistic concurrency: every stored finding carries a `version`; each write is
 * conditional on the version it read (or on the finding not existing yet) and is retried after a
 * fresh read when another writer got there first. The domain lifecycle decides what a write is;
 * `currentOperationRunId` makes an observation count once per run.
 */
export class DynamoFindingRepository implements FindingRepository {
  private readonly concurrency: number;
  private readonly maxAttempts: number;

  constructor(
    private readonly gateway: DynamoGateway,
    private readonly tableName: string,
    options: FindingRepositoryOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 8;
    this.maxAttempts = options.maxAttempts ?? 60;
  }

  async applyObservations(observations: FindingObservation[]): Promise<ApplyObservationsResult> {
    const counts: ApplyObservationsResult = { new: 0, seen: 0, reopened: 0, already_applied: 0 };
    for (const { effect } of await this.observe(observations)) counts[effect] += 1;
    return counts;
  }

  async observe(observations: FindingObservation[], options: ObserveOptions = {}): Promise<AppliedObservation[]> {
    const limit = pLimit(this.concurrency);
    return Promise.all(observations.map((obs) => limit(() => this.applyOne(obs, options.alert))));
  }

  private async applyOne(obs: FindingObservation, alert: FindingAlertPolicy | undefined): Promise<AppliedObservation> {
    const key = findingKeys.primary(obs.tenantId, obs.scopeKey, obs.fingerprint);
    for (let attempt = 1; ; attempt += 1) {
      const current = await this.read(key);
      const observed = observeFinding(current?.finding, obs);
      if (observed.effect === 'already_applied') return observed;
      const finding = alert === undefined ? observed.finding : claimFindingAlert(observed.finding, observed.effect, alert);
      if (await this.write(finding, current?.version)) return { finding, effect: observed.effect };
      await this.retryPause(attempt, 'finding', obs.fingerprint);
    }
  }

  async resolveUnobserved(tenantId: string, scopeKey: string, runId: string, at: string, onResolved?: (finding: Finding) => void): Promise<number> {
    let resolved = 0;
    const limit = pLimit(this.concurrency);
    // Open and accepted findings: an accepted deviation whose drift is gone resolves like an open one.
    const open = Object.fromEntries([...OPEN_FINDING_STATUSES, 'risk_accepted'].map((s, i) => [`:s${i}`, s]));
    for await (const page of this.gateway.queryPages({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      // Open findings this run did not observe, and those this run already resolved: a retried
      // FinalizeRun (one that died after part of its resolutions) still reports every resolution.
      FilterExpression:
        `(#status IN (${Object.keys(open).join(', ')}) AND currentOperationRunId <> :runId)` +
        ' OR (#status = :resolved AND currentOperationRunId = :runId AND resolvedReason = :autoReason)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':pk': findingKeys.scopePartition(tenantId, scopeKey),
        ':runId': runId,
        ':resolved': 'resolved',
        ':autoReason': AUTO_RESOLVE_REASON,
        ...open,
      },
      // Eventually consistent (half the read units): a stale page is harmless, because every resolve
      // is a write conditional on the version read; when it fails, the finding is read again strongly
      // consistent and `autoResolveFinding` leaves alone what this run observed meanwhile.
      ConsistentRead: false,
    })) {
      const done = await Promise.all(
        page.map((item) =>
          limit(async () => {
            let current: Versioned | undefined = toVersioned(item);
            for (let attempt = 1; current !== undefined; attempt += 1) {
              if (resolvedByRun(current.finding, runId)) {
                onResolved?.(current.finding);
                return true;
              }
              const next = autoResolveFinding(current.finding, runId, at);
              if (next === undefined) return false;
              if (await this.write(next, current.version)) {
                onResolved?.(next);
                return true;
              }
              await this.retryPause(attempt, 'finding', current.finding.fingerprint);
              current = await this.read(findingKeys.primary(tenantId, scopeKey, current.finding.fingerprint));
            }
            return false;
          }),
        ),
      );
      resolved += done.filter(Boolean).length;
    }
    return resolved;
  }

  async expireAcceptances(tenantId: string, at: string, sweepId: string): Promise<{ expired: Finding[]; earlier: Finding[] }> {
    const pattern = findingKeys.byTenantStatus;
    const query = (status: string, filter: string, values: Record<string, unknown>) =>
      this.gateway.queryPages({
        TableName: this.tableName,
        IndexName: pattern.index,
        KeyConditionExpression: '#p = :p',
        FilterExpression: filter,
        ExpressionAttributeNames: { '#p': pattern.partition },
        ExpressionAttributeValues: { ':p': findingKeys.tenantStatus(tenantId, status), ...values },
      });
    const earlier: Finding[] = [];
    const expired: Finding[] = [];
    // Those an earlier attempt of this sweep reopened.
    for await (const page of query('reopened', 'lastAlertRunId = :sweep', { ':sweep': sweepId })) {
      for (const item of page) earlier.push(toVersioned(item).finding);
    }
    const limit = pLimit(this.concurrency);
    for await (const page of query('risk_accepted', 'attribute_exists(expiresAt) AND expiresAt <= :at', { ':at': at })) {
      const done = await Promise.all(
        page.map((item) =>
          limit(async () => {
            const f = toVersioned(item).finding;
            let current = await this.read(findingKeys.primary(f.tenantId, f.scopeKey, f.fingerprint));
            for (let attempt = 1; current !== undefined; attempt += 1) {
              const expired = expireAcceptance(current.finding, at);
              if (expired === undefined) return undefined; // a compare or a person got there first
              const claimed = claimFindingAlert(expired, 'reopened', { alertMinSeverity: 'critical', runId: sweepId, at });
              if (await this.write(claimed, current.version)) return claimed;
              await this.retryPause(attempt, 'finding', f.fingerprint);
              current = await this.read(findingKeys.primary(f.tenantId, f.scopeKey, f.fingerprint));
            }
            return undefined;
          }),
        ),
      );
      for (const f of done) if (f !== undefined) expired.push(f);
    }
    return { expired, earlier };
  }

  async getMany(tenantId: string, scopeKey: string, fingerprints: readonly string[]): Promise<Finding[]> {
    if (fingerprints.length === 0) return [];
    const keys = [...new Set(fingerprints)].map((f) => findingKeys.primary(tenantId, scopeKey, f));
    return (await this.gateway.batchGet(this.tableName, keys, false)).map((item) => toVersioned(item).finding);
  }

  async get(tenantId: string, fingerprint: string): Promise<Finding | undefined> {
    return (await this.readByFingerprint(tenantId, fingerprint))?.finding;
  }

  async list(tenantId: string, filter: FindingListFilter & PageRequest): Promise<Page<Finding>> {
    const pattern =
      filter.status !== undefined
        ? findingKeys.byTenantStatus
        : filter.policyType !== undefined
          ? findingKeys.byTenantPolicyType
          : findingKeys.byTenantLastSeen;
    const partition =
      filter.status !== undefined
        ? findingKeys.tenantStatus(tenantId, filter.status)
        : filter.policyType !== undefined
          ? findingKeys.tenantPolicyType(tenantId, filter.policyType)
          : tenantId;
    const conditions: string[] = [];
    const names: Record<string, string> = { '#p': pattern.partition };
    const values: Record<string, unknown> = { ':p': partition };
    const addFilter = (attribute: keyof Finding, value: string | undefined): void => {
      if (value === undefined) return;
      names[`#${attribute}`] = attribute;
      values[`:${attribute}`] = value;
      conditions.push(`#${attribute} = :${attribute}`);
    };
    if (filter.status !== undefined) addFilter('policyType', filter.policyType);
    addFilter('changeType', filter.changeType);
    addFilter('severity', filter.severity);
    addFilter('scopeKey', filter.scopeKey);
    const signature = createHash('sha256')
      .update(JSON.stringify([tenantId, filter.status, filter.policyType, filter.changeType, filter.severity, filter.scopeKey]))
      .digest('base64url')
      .slice(0, 16);
    const page = await this.gateway.queryLimited(
      {
        TableName: this.tableName,
        IndexName: pattern.index,
        KeyConditionExpression: '#p = :p',
        ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND ') } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
      },
      {
        limit: filter.limit,
        ...(filter.cursor !== undefined ? { cursor: filter.cursor } : {}),
        tag: `findings:${signature}`,
        keyAttributes: keyAttributes('findings', pattern.index),
      },
    );
    return { ...page, items: page.items.map((item) => toVersioned(item).finding) };
  }

  async transition(tenantId: string, fingerprint: string, move: FindingMove): Promise<Finding> {
    for (let attempt = 1; ; attempt += 1) {
      const current = await this.readByFingerprint(tenantId, fingerprint);
      if (current === undefined) throw new RecordNotFoundError('finding', fingerprint);
      const next = transitionFinding(current.finding, move);
      if (await this.write(next, current.version)) return next;
      await this.retryPause(attempt, 'finding', fingerprint);
    }
  }

  /** Strongly consistent read of one finding by its table key. */
  private async read(key: { pk: string; sk: string }): Promise<Versioned | undefined> {
    const item = await this.gateway.get(this.tableName, key);
    return item === undefined ? undefined : toVersioned(item);
  }

  /** The keys-only index finds the finding's scope; the table read is strongly consistent. */
  private async readByFingerprint(tenantId: string, fingerprint: string): Promise<Versioned | undefined> {
    const pattern = findingKeys.byTenantFingerprint;
    const page = await this.gateway.queryOnce({
      TableName: this.tableName,
      IndexName: pattern.index,
      KeyConditionExpression: '#p = :p AND #s = :s',
      ExpressionAttributeNames: { '#p': pattern.partition, '#s': pattern.sort },
      ExpressionAttributeValues: { ':p': tenantId, ':s': fingerprint },
      Limit: 1,
    });
    const hit = page.items[0];
    if (hit === undefined) return undefined;
    return this.read({ pk: hit.pk as string, sk: hit.sk as string });
  }

  /** Writes `finding` if the stored version is still `expected` (undefined: it must not exist). */
  private async write(finding: Finding, expected: number | undefined): Promise<boolean> {
    try {
      await this.gateway.put({
        TableName: this.tableName,
        Item: { ...finding, ...findingKeys.item(finding), version: (expected ?? 0) + 1 },
        ...(expected === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : expected === 0
            ? { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#version)', ExpressionAttributeNames: { '#version': 'version' } }
            : { ConditionExpression: '#version = :version', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':version': expected } }),
      });
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  private async retryPause(attempt: number, entity: string, id: string): Promise<void> {
    if (attempt >= this.maxAttempts) throw new ConcurrentUpdateError(entity, id, attempt);
    await sleep(Math.random() * Math.min(5 * 2 ** Math.min(attempt, 6), 200));
  }
}

function toVersioned(item: Item): Versioned {
  const rest = { ...item };
  for (const a of FINDING_INTERNAL) delete rest[a];
  return { finding: rest as unknown as Finding, version: typeof item.version === 'number' ? item.version : 0 };
}

/** Whether this compare run's auto-resolve already resolved the finding (a retried FinalizeRun). */
function resolvedByRun(finding: Finding, runId: string): boolean {
  return finding.status === 'resolved' && finding.currentOperationRunId === runId && finding.resolvedReason === AUTO_RESOLVE_REASON;
}
