/**
 * One variant against the baseline on one metric, paired by seed, and the family of all such
 * comparisons a compare shows.
 *
 * Which rule decides (docs/compare.md):
 * 1. Per pair: the t interval and t-test, and the distribution-free companions — the bootstrap
 *    (expanded percentile) interval and the Wilcoxon signed-rank test.
 * 2. If the differences are clearly non-normal (normality.ts), the pair is judged by the bootstrap
 *    interval and the Wilcoxon p-value; otherwise by the t interval and the t-test p-value.
 * 3. The family is every (variant, metric) pair of the compare whose differences are not all zero
 *    (a pair that cannot reject whatever the level cannot raise the family-wise error — Tarone
 *    1990); its chosen p-values are adjusted with Holm–Bonferroni.
 * 4. Verdict: better/worse when the adjusted p < α and the shown interval excludes 0 on the same
 *    side as the mean; "identical" when every seed gives the same value; else no clear difference.
 */
import type { Prng } from "../../../model/prng.ts";
import { bootstrapInterval, bootstrapResamplesDefault, type BootstrapInterval } from "./bootstrap.ts";
import { holmAdjust } from "./holm.ts";
import { moments, pairedDifferences } from "./moments.ts";
import { nonNormalReason } from "./normality.ts";
import { seedsNeeded, type Precision } from "./seeds-needed.ts";
import { tInterval, type TInterval } from "./t-interval.ts";
import { signedRank, type SignedRank } from "./wilcoxon.ts";

export const confidenceLevel = 0.95;
export const familyAlpha = 0.05;

export type PairVerdict = "better" | "worse" | "no clear difference" | "identical";

export interface PairedDiff {
  n: number;
  mean: number;
  /** The interval the verdict uses (see `interval`), at `confidenceLevel`. */
  ciLow: number;
  ciHigh: number;
  interval: "t" | "bootstrap";
  t: TInterval;
  bootstrap: BootstrapInterval;
  wilcoxon: SignedRank;
  /** Spread of the differences (sample standard deviation). */
  sd: number;
  skewness: number;
  excessKurtosis: number;
  /** Why the differences count as clearly non-normal, or null. */
  nonNormal: string | null;
  /** The test whose p-value decides: t-test, or Wilcoxon when non-normal. */
  test: "t" | "wilcoxon";
  p: number;
  /** Holm-adjusted over the family; equal to p for a pair outside the family (all differences zero). */
  pAdjusted: number;
  inFamily: boolean;
  /** Mean difference over the standard deviation of the differences (Cohen's d_z); NaN without spread. */
  effectSize: number;
  verdict: PairVerdict;
  /** For a pair without a verdict: seeds to decide at the compare's precision; null when not estimable. */
  seedsToDecide: number | null;
}

/** Everything but the family's adjustment. */
export function comparePair(a: readonly number[], b: readonly number[], better: "lower" | "higher", prng: Prng, resamples = bootstrapResamplesDefault): PairedDiff {
  const diffs = pairedDifferences(a, b);
  const m = moments(diffs);
  const t = tInterval(diffs, m, confidenceLevel);
  const boot = bootstrapInterval(diffs, prng, confidenceLevel, resamples);
  const w = signedRank(diffs);
  const nonNormal = nonNormalReason(m);
  const useFree = nonNormal !== null;
  const shown = useFree ? boot : t;
  const identical = diffs.every((d) => d === 0);
  return {
    n: m.n,
    mean: m.mean,
    ciLow: shown.low,
    ciHigh: shown.high,
    interval: useFree ? "bootstrap" : "t",
    t,
    bootstrap: boot,
    wilcoxon: w,
    sd: m.sd,
    skewness: m.skewness,
    excessKurtosis: m.excessKurtosis,
    nonNormal,
    test: useFree ? "wilcoxon" : "t",
    p: useFree ? w.p : t.p,
    pAdjusted: useFree ? w.p : t.p,
    inFamily: !identical && m.n >= 2,
    effectSize: m.sd > 0 ? m.mean / m.sd : Number.NaN,
    verdict: identical ? "identical" : verdictOf(better, m.mean, shown.low, shown.high, useFree ? w.p : t.p),
    seedsToDecide: null,
  };
}

function verdictOf(better: "lower" | "higher", meanDiff: number, low: number, high: number, p: number): PairVerdict {
  if (!(p < familyAlpha)) return "no clear difference";
  const higher = low > 0 && meanDiff > 0;
  const lower = high < 0 && meanDiff < 0;
  if (!higher && !lower) return "no clear difference";
  return higher === (better === "higher") ? "better" : "worse";
}

export interface FamilyPair {
  pair: PairedDiff;
  better: "lower" | "higher";
  baselineMean: number;
}

export interface FamilySummary {
  /** Which comparisons share the Holm adjustment, in words. */
  family: string;
  size: number;
  method: "holm";
  alpha: number;
  confidenceLevel: number;
  precision: string;
}

/** Holm over the family, then verdicts on adjusted p and seeds-to-decide for undecided pairs (mutates the pairs). */
export function adjustFamily(pairs: readonly FamilyPair[], precision: Precision): number {
  const members = pairs.filter((x) => x.pair.inFamily);
  const adjusted = holmAdjust(members.map((x) => (Number.isNaN(x.pair.p) ? 1 : x.pair.p)));
  members.forEach((x, i) => {
    x.pair.pAdjusted = adjusted[i] as number;
  });
  for (const x of pairs) {
    const d = x.pair;
    if (d.verdict !== "identical") d.verdict = verdictOf(x.better, d.mean, d.ciLow, d.ciHigh, d.pAdjusted);
    // every interval that includes 0 has this verdict, and so has one that Holm's adjustment overrules
    d.seedsToDecide = d.verdict === "no clear difference"
      ? bump(seedsNeeded(precision, { mean: d.mean, sd: d.sd, baselineMean: x.baselineMean, level: confidenceLevel, familySize: members.length }), d.n)
      : null;
  }
  return members.length;
}

/** An estimate at or below the seeds already run still means "more": one more at least. */
function bump(needed: number | null, have: number): number | null {
  return needed === null ? null : Math.max(needed, have + 1);
}
