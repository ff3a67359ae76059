/**
 * Known answers from published worked examples, checked through the functions compare uses.
 *
 * - Student's sleep data (Cushny & Peebles 1905, analysed by "Student" 1908; R's `sleep` data set):
 *   R `t.test(extra ~ group, data = sleep, paired = TRUE)` prints t = −4.0621, df = 9,
 *   p-value = 0.002833, 95% CI [−2.4598858, −0.7001142], mean difference −1.58; and
 *   `wilcox.test(..., paired = TRUE)` prints V = 0, p-value = 0.009091 (one zero, one tie: normal
 *   approximation with continuity correction).
 * - Hollander & Wolfe (1973), Nonparametric Statistical Methods, p. 29 (the Hamilton depression
 *   scale example of R's ?wilcox.test): V = 40, one-sided p = 0.01953, so two-sided 0.0390625
 *   (exact: 10 of the 512 sign patterns have W+ ≥ 40).
 * - Holm–Bonferroni: the worked example of the Wikipedia article "Holm–Bonferroni method"
 *   (p = 0.01, 0.04, 0.03, 0.005; α = 0.05: H4 and H1 rejected, then stop at 0.03 > 0.05/2).
 * - Student t critical values: NIST/SEMATECH e-Handbook of Statistical Methods, §1.3.6.7.2.
 * - Sample size for a paired t-test, d_z = 0.5 (0.8), α = 0.05 two-sided, power 0.8: 34 (15) pairs,
 *   the exact noncentral-t answers of G*Power (Faul et al. 2007, "matched pairs" t-test).
 */
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { describe, expect, test } from "vitest";
import { Prng } from "../../../src/model/prng.ts";
import { UsageError } from "../../../src/cli/exit-codes.ts";
import { holmAdjust } from "../../../src/cli/compare/stats/holm.ts";
import { moments, pairedDifferences } from "../../../src/cli/compare/stats/moments.ts";
import { nonNormalReason } from "../../../src/cli/compare/stats/normality.ts";
import { comparePair } from "../../../src/cli/compare/stats/paired-comparison.ts";
import { parsePrecision, seedsNeeded } from "../../../src/cli/compare/stats/seeds-needed.ts";
import { tInterval } from "../../../src/cli/compare/stats/t-interval.ts";
import { signedRank } from "../../../src/cli/compare/stats/wilcoxon.ts";

const sleepGroup1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const sleepGroup2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
const hwX = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
const hwY = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];

describe("t interval", () => {
  test("Student's sleep data: R's paired t.test", () => {
    const d = pairedDifferences(sleepGroup2, sleepGroup1); // group1 − group2, as R's formula does
    const t = tInterval(d, moments(d), 0.95);
    expect(moments(d).mean).toBeCloseTo(-1.58, 10);
    expect(t.low).toBeCloseTo(-2.4598858, 6);
    expect(t.high).toBeCloseTo(-0.7001142, 6);
    expect(t.p).toBeCloseTo(0.002833, 6);
  });

  test("Student t quantiles match the NIST table, beyond the old table's 30 degrees of freedom too", () => {
    const table: [number, number][] = [[1, 12.706], [9, 2.262], [30, 2.042], [40, 2.021], [45, 2.014], [100, 1.984]];
    for (const [df, t] of table) expect(tQuantile(0.975, df)).toBeCloseTo(t, 3);
  });

  test("no spread: the interval is the point; p is 0 for a shared difference and 1 for none", () => {
    expect(tInterval([3, 3, 3], moments([3, 3, 3]), 0.95)).toEqual({ low: 3, high: 3, p: 0 });
    expect(tInterval([0, 0, 0], moments([0, 0, 0]), 0.95)).toEqual({ low: 0, high: 0, p: 1 });
  });
});

describe("Wilcoxon signed-rank", () => {
  test("Hollander & Wolfe p. 29: exact, V = 40", () => {
    const w = signedRank(pairedDifferences(hwY, hwX)); // x − y
    expect(w.statistic).toBe(40);
    expect(w.p).toBeCloseTo(10 / 256, 10);
  });

  test("sleep data with a zero and a tie: normal approximation as R's wilcox.test", () => {
    const w = signedRank(pairedDifferences(sleepGroup2, sleepGroup1));
    expect(w.statistic).toBe(0);
    expect(w.p).toBeCloseTo(0.009091, 5);
  });

  test("all-zero differences cannot reject", () => {
    expect(signedRank([0, 0, 0, 0]).p).toBe(1);
  });

  test("W+ at the median of the exact null: two-sided p is 1, not twice a tail past one-half (R: V = 5, p-value = 1)", () => {
    // ranks 1..4, W+ = 1 + 4 = 5 of 10: P(W+ ≤ 5) = 9/16, doubled 1.125
    expect(signedRank([1, -2, -3, 4])).toEqual({ p: 1, statistic: 5 });
  });
});

describe("Holm–Bonferroni", () => {
  test("the Wikipedia worked example", () => {
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    expect(adjusted.map((p) => Number(p.toFixed(10)))).toEqual([0.03, 0.06, 0.06, 0.02]);
    expect(adjusted.map((p) => p < 0.05)).toEqual([true, false, false, true]);
  });

  test("step-down by hand: multipliers m, m−1, …, then monotone and capped at 1", () => {
    expect(holmAdjust([0.008, 0.03, 0.123, 0.6, 0.2]).map((p) => Number(p.toFixed(10)))).toEqual([0.04, 0.12, 0.369, 0.6, 0.4]);
    expect(holmAdjust([0.5, 0.9])).toEqual([1, 1]);
  });
});

describe("the rule for clearly non-normal differences", () => {
  test("near-normal differences keep t; skewed, heavy-tailed and all-equal ones do not", () => {
    const prng = new Prng("normality-test");
    const normal = Array.from({ length: 200 }, () => prng.normal());
    expect(nonNormalReason(moments(normal))).toBeNull();
    const skewed = Array.from({ length: 200 }, () => prng.exponential(1));
    expect(nonNormalReason(moments(skewed))).toMatch(/^skewness/);
    const heavy = [-1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -30, 30];
    expect(nonNormalReason(moments(heavy))).toMatch(/^excess kurtosis/);
    expect(nonNormalReason(moments([2, 2, 2, 2]))).toBe("all differences equal");
    expect(nonNormalReason(moments([1, 9]))).toBeNull(); // too few to judge
  });

  test("a count metric that fails on one seed is judged by the distribution-free pair", () => {
    const a = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const b = [0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    const d = comparePair(a, b, "lower", new Prng("x"));
    expect(d.interval).toBe("bootstrap");
    expect(d.test).toBe("wilcoxon");
    expect(d.p).toBe(d.wilcoxon.p);
    expect(d.verdict).toBe("no clear difference");
  });
});

describe("seeds to decide", () => {
  test("power 0.8 at d_z = 0.5 and α = 0.05 needs 34 pairs (G*Power); d_z = 0.8 needs 15", () => {
    const p = parsePrecision("power=0.8");
    expect(seedsNeeded(p, { mean: 0.5, sd: 1, baselineMean: 10, level: 0.95, familySize: 1 })).toBe(34);
    expect(seedsNeeded(p, { mean: -0.8, sd: 1, baselineMean: 10, level: 0.95, familySize: 1 })).toBe(15);
  });

  test("a larger family asks for more seeds (Holm's first threshold is α/m)", () => {
    const p = parsePrecision("power=0.8");
    const one = seedsNeeded(p, { mean: 0.5, sd: 1, baselineMean: 10, level: 0.95, familySize: 1 }) as number;
    const nine = seedsNeeded(p, { mean: 0.5, sd: 1, baselineMean: 10, level: 0.95, familySize: 9 }) as number;
    expect(nine).toBeGreaterThan(one + 10);
  });

  test("half-width: sd 10, half-width 2 (20% of a baseline of 10) needs 99 seeds", () => {
    const p = parsePrecision("halfwidth=20%");
    const n = seedsNeeded(p, { mean: 0.3, sd: 10, baselineMean: 10, level: 0.95, familySize: 1 }) as number;
    expect(n).toBe(99);
    expect((tQuantile(0.975, n - 1) * 10) / Math.sqrt(n)).toBeLessThanOrEqual(2);
    expect((tQuantile(0.975, n - 2) * 10) / Math.sqrt(n - 1)).toBeGreaterThan(2);
  });

  test("no estimate without a difference or a spread; bad --precision is a usage error", () => {
    const p = parsePrecision("power=0.9");
    expect(seedsNeeded(p, { mean: 0, sd: 1, baselineMean: 1, level: 0.95, familySize: 1 })).toBeNull();
    expect(seedsNeeded(p, { mean: 1, sd: 0, baselineMean: 1, level: 0.95, familySize: 1 })).toBeNull();
    expect(seedsNeeded(parsePrecision("halfwidth=5%"), { mean: 1, sd: 1, baselineMean: 0, level: 0.95, familySize: 1 })).toBeNull();
    for (const bad of ["0.8", "power=2", "power=0.3", "halfwidth=5", "halfwidth=0%", ""]) expect(() => parsePrecision(bad)).toThrow(UsageError);
  });
});
