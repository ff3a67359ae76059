/**
 * Holm–Bonferroni adjustment (S. Holm, "A simple sequentially rejective multiple test procedure",
 * Scand. J. Statistics 6, 1979) from @stdlib/stats-padjust: the k-th smallest of m p-values is
 * multiplied by m − k + 1, made monotone and capped at 1. Rejecting where the adjusted p < α keeps
 * the family-wise error rate ≤ α under any dependence between the tests.
 */
import padjust from "@stdlib/stats-padjust";

export function holmAdjust(pValues: readonly number[]): number[] {
  if (pValues.length === 0) return [];
  return padjust(pValues as number[], "holm");
}
