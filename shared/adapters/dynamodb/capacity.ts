import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';

export type CapacityKind = 'read' | 'write';

export interface CapacityTotals {
  readUnits: number;
  writeUnits: number;
  requests: number;
}

/**
 * Sums the capacity DynamoDB reports (`ReturnConsumedCapacity: 'TOTAL'`) for every call a repository
 * makes: read units, write units (indexes included) and the number of requests. A caller passes one
 * in (per run, per benchmark) and reads `totals()` afterwards.
 */
export class CapacityMeter {
  private read = 0;
  private write = 0;
  private count = 0;

  /** Records one request and what it consumed (one entry per table for batch and transaction calls). */
  record(kind: CapacityKind, consumed: ConsumedCapacity | ConsumedCapacity[] | undefined): void {
    this.count += 1;
    const entries = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
    for (const c of entries) {
      const r = c.ReadCapacityUnits;
      const w = c.WriteCapacityUnits;
      if (r !== undefined || w !== undefined) {
        this.read += r ?? 0;
        this.write += w ?? 0;
      } else if (kind === 'read') {
        this.read += c.CapacityUnits ?? 0;
      } else {
        this.write += c.CapacityUnits ?? 0;
      }
    }
  }

  totals(): CapacityTotals {
    return { readUnits: this.read, writeUnits: this.write, requests: this.count };
  }

  reset(): void {
    this.read = 0;
    this.write = 0;
    this.count = 0;
  }
}
