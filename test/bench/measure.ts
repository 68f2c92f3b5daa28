/** Timing helpers of the benchmark: interleaved rounds, medians, progress on stderr. */
import { performance } from 'node:perf_hooks';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? NaN : sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Runs each named workload `rounds` times, interleaved (a, b, a, b, ...) so that both see the same
 * machine load, and returns the median milliseconds of one round of each.
 */
export function interleaved(workloads: Record<string, () => void>, rounds: number, warmup = 2): Record<string, number> {
  const names = Object.keys(workloads);
  for (let i = 0; i < warmup; i++) for (const n of names) workloads[n]!();
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < rounds; i++) {
    for (const n of i % 2 === 0 ? names : [...names].reverse()) {
      const t0 = performance.now();
      workloads[n]!();
      times[n]!.push(performance.now() - t0);
    }
  }
  return Object.fromEntries(names.map((n) => [n, median(times[n]!)]));
}

/** Progress lines go to stderr only: stdout carries the table or the JSON document. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
