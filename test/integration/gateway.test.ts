import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { CapacityMeter } from '../../shared/adapters/dynamodb/capacity.js';
import { InvalidCursorError, UnprocessedItemsError } from '../../shared/usecases/ports/errors.js';
import { decodeCursor, DynamoGateway, encodeCursor } from '../../shared/adapters/dynamodb/gateway.js';

/** A document client stand-in that answers each `send` with the next scripted response. */
function scriptedClient(responses: Array<(input: Record<string, unknown>) => unknown>): {
  db: DynamoDBDocumentClient;
  inputs: Array<Record<string, unknown>>;
} {
  const inputs: Array<Record<string, unknown>> = [];
  const db = {
    send: (command: { input: Record<string, unknown> }) => {
      inputs.push(command.input);
      const next = responses.shift();
      if (next === undefined) throw new Error('unexpected call');
      return Promise.resolve(next(command.input));
    },
  } as unknown as DynamoDBDocumentClient;
  return { db, inputs };
}

describe('DynamoGateway (scripted client)', () => {
  it('retries only the unprocessed items of a batch write and meters every request', async () => {
    const { db, inputs } = scriptedClient([
      (input) => {
        const requests = (input.RequestItems as Record<string, unknown[]>).t!;
        return { UnprocessedItems: { t: requests.slice(3) }, ConsumedCapacity: [{ TableName: 't', CapacityUnits: 3 }] };
      },
      () => ({ UnprocessedItems: {}, ConsumedCapacity: [{ TableName: 't', CapacityUnits: 2 }] }),
    ]);
    const meter = new CapacityMeter();
    const gateway = new DynamoGateway(db, meter, { baseBackoffMs: 1 });
    await gateway.batchWrite('t', Array.from({ length: 5 }, (_, i) => ({ put: { pk: `k${i}` } })));
    expect(inputs).toHaveLength(2);
    expect((inputs[1]!.RequestItems as Record<string, Array<{ PutRequest: { Item: { pk: string } } }>>).t!.map((r) => r.PutRequest.Item.pk)).toEqual([
      'k3',
      'k4',
    ]);
    expect(meter.totals()).toEqual({ readUnits: 0, writeUnits: 5, requests: 2 });
  });

  it('gives up with UnprocessedItemsError when items stay unprocessed', async () => {
    const stuck = (input: Record<string, unknown>): unknown => ({ UnprocessedItems: input.RequestItems });
    const { db } = scriptedClient([stuck, stuck, stuck]);
    const gateway = new DynamoGateway(db, new CapacityMeter(), { baseBackoffMs: 1, maxBatchRetries: 2 });
    await expect(gateway.batchWrite('t', [{ put: { pk: 'a' } }])).rejects.toBeInstanceOf(UnprocessedItemsError);
  });

  it('returns at most `limit` filtered items and resumes after the last one returned', async () => {
    // One page of 5 evaluated items (all matching) though only 2 were asked for.
    const page = { Items: [1, 2, 3, 4, 5].map((n) => ({ pk: 'p', sk: `s${n}` })), LastEvaluatedKey: { pk: 'p', sk: 's5' } };
    const { db, inputs } = scriptedClient([() => page, () => ({ Items: [{ pk: 'p', sk: 's3' }] })]);
    const gateway = new DynamoGateway(db);
    const first = await gateway.queryLimited(
      { TableName: 't', KeyConditionExpression: 'pk = :p', FilterExpression: 'x = :x' },
      { limit: 2, tag: 'list', keyAttributes: ['pk', 'sk'] },
    );
    expect(first.items.map((i) => i.sk)).toEqual(['s1', 's2']);
    expect(decodeCursor('list', first.cursor)).toEqual({ pk: 'p', sk: 's2' });
    await gateway.queryLimited(
      { TableName: 't', KeyConditionExpression: 'pk = :p', FilterExpression: 'x = :x' },
      { limit: 2, tag: 'list', keyAttributes: ['pk', 'sk'], cursor: first.cursor! },
    );
    expect(inputs[1]!.ExclusiveStartKey).toEqual({ pk: 'p', sk: 's2' });
  });

  it('refuses cursors of another listing or not made by it', () => {
    expect(decodeCursor('a', encodeCursor('a', { pk: 'x' }))).toEqual({ pk: 'x' });
    expect(() => decodeCursor('b', encodeCursor('a', { pk: 'x' }))).toThrow(InvalidCursorError);
    expect(() => decodeCursor('a', '%%%')).toThrow(InvalidCursorError);
    expect(decodeCursor('a', undefined)).toBeUndefined();
  });
});
