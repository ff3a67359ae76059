/**
 * Wilcoxon signed-rank test of the differences, from @stdlib/stats-wilcoxon: zero differences are
 * dropped (Wilcoxon's method); the exact null distribution is used when no zeros or tied ranks
 * remain and n ≤ 50, else the normal approximation with tie and continuity corrections (as R's
 * wilcox.test). All-zero differences give p = 1.
 */
import wilcoxon from "@stdlib/stats-wilcoxon";

export interface SignedRank {
  p: number;
  /** W+, the sum of the ranks of the positive differences. */
  statistic: number;
}

export function signedRank(diffs: readonly number[]): SignedRank {
  if (diffs.length < 2) return { p: Number.NaN, statistic: Number.NaN };
  if (diffs.every((d) => d === 0)) return { p: 1, statistic: 0 };
  const r = wilcoxon(diffs as number[]);
  // The exact two-sided p doubles the smaller tail, which passes 1 when W+ is the median of a
  // symmetric null; R's wilcox.test caps it (min(1, p)), @stdlib does not.
  return { p: Math.min(1, r.pValue), statistic: r.statistic };
}
