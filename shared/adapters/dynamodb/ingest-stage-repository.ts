/**
 * Staged inventory pages: a portal pushes a tenant's inventory in pages, and nothing is applied until
 * the last page arrived (a sync cut short must never look like deleted policies). Each page is held
 * here, already normalized and redacted (no secret is ever staged), brotli-compressed and split like
 * subject content, in the operation runs table under partitions of their own, with a TTL: a staged
 * upload that is never finished disappears by itself.
 *
 * Access patterns (named here because `keys.ts` belongs to the persistence core; the partitions start
 * with `ingest#`, which no other record of the table uses):
 * - AP stagedIngestPages: the page headers of one run (`ingest#<runId>`, sort key `page#<n>`), a small
 *   Query that counts and checks the pages received without reading their content;
 * - AP stagedIngestPageParts: the compressed parts of one page (`ingest#<runId>#parts`, sort key
 *   `<n>#<part>`), read by exact keys when the last page applies the upload.
 */
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import type { IngestStageRepository, StagedIngestPage, StagedPageHeader } from '../../usecases/ports/persistence.js';
import type { DynamoGateway } from './gateway.js';
import { keyPart, SEP } from './keys.js';
import { TTL_ATTRIBUTE } from './table-specs.js';

const PART_BYTES = 300_000;
const STAGE_TTL_SECONDS = 2 * 24 * 3600;

export const ingestStageKeys = {
  headers: (runId: string): string => `ingest${SEP}${keyPart('runId', runId)}`,
  header: (pageNumber: number): string => `page${SEP}${String(pageNumber).padStart(6, '0')}`,
  parts: (runId: string): string => `ingest${SEP}${keyPart('runId', runId)}${SEP}parts`,
  part: (pageNumber: number, index: number): string => `${String(pageNumber).padStart(6, '0')}${SEP}${String(index).padStart(5, '0')}`,
} as const;

export class DynamoIngestStageRepository implements IngestStageRepository {
  constructor(
    private readonly gateway: DynamoGateway,
    /** The operation runs table. */
    private readonly tableName: string,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  async putPage(runId: string, header: StagedPageHeader, page: StagedIngestPage): Promise<void> {
    const bytes = brotliCompressSync(Buffer.from(JSON.stringify(page), 'utf8'));
    const parts: Buffer[] = [];
    for (let at = 0; at < bytes.length || parts.length === 0; at += PART_BYTES) parts.push(bytes.subarray(at, at + PART_BYTES));
    const expiresAt = this.nowSeconds() + STAGE_TTL_SECONDS;
    const partsPk = ingestStageKeys.parts(runId);
    await this.gateway.batchWrite(
      this.tableName,
      parts.map((data, i) => ({ put: { pk: partsPk, sk: ingestStageKeys.part(header.pageNumber, i), data, [TTL_ATTRIBUTE]: expiresAt } })),
    );
    // The header last: a reader trusts only pages whose header exists, and reads exactly its parts.
    await this.gateway.put({
      TableName: this.tableName,
      Item: {
        pk: ingestStageKeys.headers(runId),
        sk: ingestStageKeys.header(header.pageNumber),
        pageNumber: header.pageNumber,
        pageHash: header.pageHash,
        items: header.items,
        last: header.last,
        parts: parts.length,
        [TTL_ATTRIBUTE]: expiresAt,
      },
    });
  }

  async listPages(runId: string): Promise<StagedPageHeader[]> {
    const items = await this.gateway.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': ingestStageKeys.headers(runId) },
      ConsistentRead: true,
    });
    return items
      .map((it) => ({ pageNumber: Number(it.pageNumber), pageHash: String(it.pageHash), items: Number(it.items), last: it.last === true }))
      .sort((a, b) => a.pageNumber - b.pageNumber);
  }

  async getPage(runId: string, pageNumber: number): Promise<StagedIngestPage | undefined> {
    const header = await this.gateway.get(this.tableName, { pk: ingestStageKeys.headers(runId), sk: ingestStageKeys.header(pageNumber) });
    if (header === undefined) return undefined;
    const partsPk = ingestStageKeys.parts(runId);
    const keys = Array.from({ length: Number(header.parts) }, (_, i) => ({ pk: partsPk, sk: ingestStageKeys.part(pageNumber, i) }));
    const items = await this.gateway.batchGet(this.tableName, keys);
    const bySk = new Map(items.map((it) => [String(it.sk), it.data as Uint8Array]));
    const chunks: Buffer[] = [];
    for (const key of keys) {
      const data = bySk.get(key.sk);
      if (data === undefined) return undefined;
      chunks.push(Buffer.from(data));
    }
    return JSON.parse(brotliDecompressSync(Buffer.concat(chunks)).toString('utf8')) as StagedIngestPage;
  }

  async clear(runId: string): Promise<void> {
    for (const pk of [ingestStageKeys.headers(runId), ingestStageKeys.parts(runId)]) {
      const items = await this.gateway.queryAll({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ProjectionExpression: 'pk, sk',
        ConsistentRead: true,
      });
      if (items.length > 0) await this.gateway.batchWrite(this.tableName, items.map((it) => ({ delete: { pk: it.pk, sk: it.sk } })));
    }
  }
}
