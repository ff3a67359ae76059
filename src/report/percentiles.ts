/** Nearest-rank percentiles over sorted numbers. */
import { assert } from "../model/assert.ts";

export interface DistributionStats {
  count: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

/** Nearest rank: the smallest value with at least p% of the values at or below it. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number | null {
  assert(p > 0 && p <= 100, `percentile out of range: ${p}`);
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)] as number;
}

export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

export function distributionStats(values: ArrayLike<number>): DistributionStats {
  const sorted = sortedCopy(values);
  return {
    count: sorted.length,
    p50: percentileSorted(sorted, 50),
    p90: percentileSorted(sorted, 90),
    p99: percentileSorted(sorted, 99),
    max: sorted.length === 0 ? null : (sorted[sorted.length - 1] as number),
  };
}
