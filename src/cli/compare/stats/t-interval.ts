/**
 * The paired t interval and t-test p-value of the mean difference, from @stdlib/stats-ttest (exact
 * Student t quantiles, no table). A spread of zero has no t statistic: all-equal differences give
 * the point itself as the interval and p = 0 (a difference every seed agrees on) or 1 (none).
 */
import ttest from "@stdlib/stats-ttest";
import type { Moments } from "./moments.ts";

export interface TInterval {
  low: number;
  high: number;
  p: number;
}

export function tInterval(diffs: readonly number[], m: Moments, level: number): TInterval {
  if (m.n < 2) return { low: Number.NaN, high: Number.NaN, p: Number.NaN };
  if (!(m.sd > 0)) return { low: m.mean, high: m.mean, p: m.mean === 0 ? 1 : 0 };
  const r = ttest(diffs as number[], { alpha: 1 - level });
  return { low: r.ci[0] as number, high: r.ci[1] as number, p: r.pValue };
}
