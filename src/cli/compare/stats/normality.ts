/**
 * When are the per-seed differences "clearly non-normal", so that the verdict should rest on the
 * distribution-free results (bootstrap interval, Wilcoxon test) instead of the t interval?
 *
 * No well-kept JavaScript library offers a Shapiro–Wilk test, so the rule is a documented moment
 * rule: the differences are clearly non-normal when they are all equal (no spread for t to use),
 * when |skewness g1| > 1 ("highly skewed", Bulmer 1979, Principles of Statistics, ch. 4), or when
 * the excess kurtosis g2 > 3 (tails heavier than a Laplace distribution's). With fewer than three
 * seeds nothing can be judged and t is kept.
 */
import type { Moments } from "./moments.ts";

export const skewnessMax = 1;
export const excessKurtosisMax = 3;

/** Why the differences are clearly non-normal, or null when t is fine. */
export function nonNormalReason(m: Moments): string | null {
  if (m.n < 3) return null;
  if (!(m.sd > 0)) return "all differences equal";
  if (Math.abs(m.skewness) > skewnessMax) return `skewness ${m.skewness.toFixed(2)}`;
  if (m.excessKurtosis > excessKurtosisMax) return `excess kurtosis ${m.excessKurtosis.toFixed(2)}`;
  return null;
}
