/**
 * cost: modeled AWS cost of one tenant-compare from measured counts (state transitions, task
 * invocations and their durations, consumed read and write units) and the list prices in prices.ts.
 *
 * Standard: the BaselineCompare Standard workflow as deployed (one transition per state entered).
 * Express (modeled, not deployed): a Standard parent per dispatch round keeps every round visible to
 * ops teams and starts one Express child per tenant (`StartExecution.sync` inside a Map): the parent
 * pays two transitions per tenant (the Map iteration and its task), the child pays one request plus
 * its duration at the 64 MB minimum (the workflow's own payloads are small). Lambda and DynamoDB cost
 * the same either way.
 */
import { PRICES, type Prices } from './prices.js';
import { round } from './measure.js';

export interface CompareCounts {
  transitions: number;
  taskInvocations: number;
  /** Sum over task invocations of duration (s) x memory (GB). */
  lambdaGbSeconds: number;
  rcu: number;
  wcu: number;
  /** Wall time of the execution, seconds (the Express child's billed duration). */
  seconds: number;
}

export interface CostBreakdown {
  stepFunctions: number;
  lambda: number;
  dynamodb: number;
  total: number;
}

export interface CostReport {
  pricesAsOf: string;
  region: string;
  /** The measured compare the model is built on. */
  basis: { types: number; subjects: number } & CompareCounts;
  perCompareStandard: number;
  perCompareExpress: number;
  standard: CostBreakdown;
  express: CostBreakdown;
  monthly: {
    scenario: string;
    comparesPerMonth: number;
    standard: number;
    express: number;
  }[];
  /** Goal: at most $0.0008 per compare on Standard. */
  goalPerCompareStandard: number;
}

const EXPRESS_PARENT_TRANSITIONS_PER_TENANT = 2;
const EXPRESS_MIN_GB = 64 / 1024;

export function compareCost(counts: CompareCounts, prices: Prices = PRICES): { standard: CostBreakdown; express: CostBreakdown } {
  const lambda = counts.taskInvocations * prices.lambda.perRequest + counts.lambdaGbSeconds * prices.lambda.perGbSecondArm64;
  const dynamodb = counts.rcu * prices.dynamodb.perReadUnit + counts.wcu * prices.dynamodb.perWriteUnit;
  const standardSfn = counts.transitions * prices.stepFunctions.standardPerTransition;
  const billedSeconds = Math.ceil(counts.seconds * 10) / 10;
  const expressSfn =
    EXPRESS_PARENT_TRANSITIONS_PER_TENANT * prices.stepFunctions.standardPerTransition +
    prices.stepFunctions.expressPerRequest +
    billedSeconds * EXPRESS_MIN_GB * prices.stepFunctions.expressPerGbSecond;
  const breakdown = (sfn: number): CostBreakdown => ({ stepFunctions: sfn, lambda, dynamodb, total: sfn + lambda + dynamodb });
  return { standard: breakdown(standardSfn), express: breakdown(expressSfn) };
}

export function costReport(basis: CostReport['basis'], prices: Prices = PRICES): CostReport {
  const { standard, express } = compareCost(basis, prices);
  const scenarios = [
    { scenario: '100 tenants daily', comparesPerMonth: 100 * 30 },
    { scenario: '1,000 tenants hourly', comparesPerMonth: 1000 * 24 * 30 },
  ];
  const money = (v: number) => round(v, 8);
  const roundBreakdown = (b: CostBreakdown): CostBreakdown => ({
    stepFunctions: money(b.stepFunctions),
    lambda: money(b.lambda),
    dynamodb: money(b.dynamodb),
    total: money(b.total),
  });
  return {
    pricesAsOf: prices.asOf,
    region: prices.region,
    basis,
    perCompareStandard: money(standard.total),
    perCompareExpress: money(express.total),
    standard: roundBreakdown(standard),
    express: roundBreakdown(express),
    monthly: scenarios.map((s) => ({ ...s, standard: round(s.comparesPerMonth * standard.total, 2), express: round(s.comparesPerMonth * express.total, 2) })),
    goalPerCompareStandard: 0.0008,
  };
}
