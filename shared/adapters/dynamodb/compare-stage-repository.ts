/**
 * Staged compare results: ComparePolicyType writes the observations of one policy type here and
 * UpsertFindings reads them, so that no state payload carries policy content (Step Functions limits a
 * payload to 256 KB; evidence can be large). Stored in the operation runs table under partitions of
 * their own (`stage#<runId>#<policyType>`), brotli-compressed and split like subject content, with a
 * TTL. They are kept as long as their run (its retention plus a week): with the gaps of the type they
 * are what the run saw, and the evidence export and the fleet view read them back.
 */
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import type { CompareStageRepository, StagedCompare } from '../../usecases/ports/persistence.js';
import type { DynamoGateway } from './gateway.js';
import { compareStageKeys } from './keys.js';
import { RUN_RETENTION_DAYS } from './operation-run-repository.js';
import { TTL_ATTRIBUTE } from './table-specs.js';

const PART_BYTES = 300_000;
/** The run's retention counts from its completion: a week more covers the longest compare. */
const STAGE_TTL_SECONDS = (RUN_RETENTION_DAYS + 7) * 24 * 3600;

const stagePk = compareStageKeys.partition;

export class DynamoCompareStageRepository implements CompareStageRepository {
  constructor(
    private readonly gateway: DynamoGateway,
    private readonly tableName: string,
  ) {}

  async put(runId: string, policyType: string, staged: StagedCompare): Promise<{ parts: number; bytes: number }> {
    const { eventsPublishedAt: _published, ...body } = staged;
    const bytes = brotliCompressSync(Buffer.from(JSON.stringify(body), 'utf8'));
    const parts: Buffer[] = [];
    for (let at = 0; at < bytes.length || parts.length === 0; at += PART_BYTES) parts.push(bytes.subarray(at, at + PART_BYTES));
    const pk = stagePk(runId, policyType);
    const expiresAt = Math.floor(Date.now() / 1000) + STAGE_TTL_SECONDS;
    // Parts first, the header last: a reader trusts only what the header names.
    await this.gateway.batchWrite(
      this.tableName,
      parts.map((data, i) => ({ put: { pk, sk: compareStageKeys.part(i), data, [TTL_ATTRIBUTE]: expiresAt } })),
    );
    await this.gateway.put({
      TableName: this.tableName,
      Item: { pk, sk: compareStageKeys.header, parts: parts.length, bytes: bytes.length, observations: staged.observations.length, [TTL_ATTRIBUTE]: expiresAt },
    });
    return { parts: parts.length, bytes: bytes.length };
  }

  async get(runId: string, policyType: string): Promise<StagedCompare | undefined> {
    const pk = stagePk(runId, policyType);
    const header = await this.gateway.get(this.tableName, { pk, sk: compareStageKeys.header });
    if (header === undefined) return undefined;
    const count = Number(header.parts);
    const keys = Array.from({ length: count }, (_, i) => ({ pk, sk: compareStageKeys.part(i) }));
    const items = await this.gateway.batchGet(this.tableName, keys);
    const bySk = new Map(items.map((it) => [String(it.sk), it.data as Uint8Array]));
    const chunks = keys.map((k) => {
      const data = bySk.get(k.sk);
      if (data === undefined) throw new Error(`staged compare results of ${policyType} in run ${runId} are incomplete (${k.sk} missing)`);
      return Buffer.from(data);
    });
    const json = brotliDecompressSync(Buffer.concat(chunks)).toString('utf8');
    const staged = JSON.parse(json) as StagedCompare;
    return typeof header.eventsPublishedAt === 'string' ? { ...staged, eventsPublishedAt: header.eventsPublishedAt } : staged;
  }

  async markEventsPublished(runId: string, policyType: string, at: string): Promise<void> {
    await this.gateway.update({
      TableName: this.tableName,
      Key: { pk: stagePk(runId, policyType), sk: compareStageKeys.header },
      UpdateExpression: 'SET eventsPublishedAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':at': at },
    });
  }
}
