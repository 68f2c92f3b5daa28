/**
 * AWS list prices the cost model uses: us-east-1, on-demand, as published on the AWS pricing pages on
 * the date below. One place: update the figures and the date together.
 */
export const PRICES = {
  asOf: '2026-11-27',
  region: 'us-east-1',
  stepFunctions: {
    /** Standard workflows: per state transition. */
    standardPerTransition: 0.025 / 1000,
    /** Express workflows: per request (execution started). */
    expressPerRequest: 1 / 1_000_000,
    /** Express workflows: per GB-second of execution (billed in 100 ms steps, 64 MB minimum). */
    expressPerGbSecond: 0.00001667,
  },
  lambda: {
    perRequest: 0.2 / 1_000_000,
    /** arm64 (Graviton), first pricing tier. */
    perGbSecondArm64: 0.0000133334,
  },
  dynamodb: {
    /** On-demand write request units (one per 1 KB written). */
    perWriteUnit: 0.625 / 1_000_000,
    /** On-demand read request units (one per 4 KB strongly consistent read, half eventually consistent). */
    perReadUnit: 0.125 / 1_000_000,
  },
} as const;

export type Prices = typeof PRICES;
