/**
 * Coverage by simulation (fixed Prng keys, so the figures are the same on every run): the interval
 * compare shows covers the true mean difference 93–97% of the time over 2,000 comparisons of 20
 * seeds, for normal and for skewed (log-normal, σ = 0.5, skewness 1.75) differences; and with
 * Holm over a family of 2 variants × 3 metrics, under the null no more than 5% of simulated
 * compares report any "better" or "worse" (the unadjusted rate, ~25%, shows the family matters).
 *
 * Holm's family-wise rate under a complete null of near-independent tests is just below α (about
 * 1 − (1 − α/6)⁶ = 4.9% here), so a 2,000-run estimate lands above 5% by chance alone about 4 times
 * in 10; the bound is therefore checked as "not significantly above 5%": at most 5% plus two
 * binomial standard errors (5.97%). Per pair, the chosen test rejects at α/6 in 0.83% of 60,000
 * null pairs (nominal 0.83%), measured while writing this; docs/compare.md gives the figures, and
 * where coverage falls short (exponential differences).
 */
import { describe, expect, test } from "vitest";
import { Prng } from "../../../src/model/prng.ts";
import { adjustFamily, comparePair, type FamilyPair } from "../../../src/cli/compare/stats/paired-comparison.ts";
import { precisionDefault } from "../../../src/cli/compare/stats/seeds-needed.ts";

const simulations = 2000;
const familyWiseMax = 0.05 + 2 * Math.sqrt((0.05 * 0.95) / simulations);

/** Each simulated compare: a baseline per seed, and the variant = baseline + a drawn difference. */
function coverage(key: string, seeds: number, drawDiff: (p: Prng) => number, trueDiff: number) {
  const prng = new Prng(key);
  let covered = 0;
  let bootstrapShown = 0;
  for (let s = 0; s < simulations; s++) {
    const a = Array.from({ length: seeds }, () => 100 + 10 * prng.normal());
    const b = a.map((x) => x + drawDiff(prng)); // paired: b shares a's world
    const d = comparePair(a, b, "lower", prng.fork(`bootstrap/${s}`), 1000);
    if (d.ciLow <= trueDiff && trueDiff <= d.ciHigh) covered++;
    if (d.interval === "bootstrap") bootstrapShown++;
  }
  return { rate: covered / simulations, bootstrapShown };
}

function familyWiseRate(key: string, draw: (p: Prng) => number) {
  const prng = new Prng(key);
  let adjusted = 0;
  let unadjusted = 0;
  for (let s = 0; s < simulations; s++) {
    const family: FamilyPair[] = [];
    for (let m = 0; m < 3; m++) {
      const base = Array.from({ length: 10 }, () => draw(prng));
      for (let v = 0; v < 2; v++) {
        const other = Array.from({ length: 10 }, () => draw(prng));
        family.push({ pair: comparePair(base, other, "lower", prng.fork(`bootstrap/${s}/${m}/${v}`), 100), better: "lower", baselineMean: 1 });
      }
    }
    // the bootstrap only gates a non-normal pair's interval check here, so 100 resamples do
    const decided = () => family.some((x) => x.pair.verdict === "better" || x.pair.verdict === "worse");
    if (decided()) unadjusted++;
    expect(adjustFamily(family, precisionDefault)).toBe(6);
    if (decided()) adjusted++;
  }
  return { adjusted: adjusted / simulations, unadjusted: unadjusted / simulations };
}

describe("coverage of the shown 95% interval (2,000 simulated compares of 20 seeds)", () => {
  test("normal differences", () => {
    const c = coverage("coverage/normal", 20, (p) => 1.5 + 2 * p.normal(), 1.5);
    expect(c.rate).toBeGreaterThanOrEqual(0.93);
    expect(c.rate).toBeLessThanOrEqual(0.97);
  });

  test("skewed differences (log-normal, σ = 0.5), where the bootstrap interval is shown often", () => {
    // mean of a log-normal with median 1 and σ = 0.5 is e^(σ²/2)
    const c = coverage("coverage/lognormal", 20, (p) => p.logNormal(1, 0.5), Math.exp(0.125));
    expect(c.bootstrapShown).toBeGreaterThan(simulations / 10);
    expect(c.rate).toBeGreaterThanOrEqual(0.93);
    expect(c.rate).toBeLessThanOrEqual(0.97);
  });
});

describe("family-wise false positives with Holm under the null (2 variants × 3 metrics, 10 seeds)", () => {
  test("normal", () => {
    const r = familyWiseRate("fwer/normal", (p) => p.normal());
    expect(r.adjusted).toBeLessThanOrEqual(familyWiseMax);
    expect(r.unadjusted).toBeGreaterThan(0.15);
  });

  test("skewed (exponential)", () => {
    const r = familyWiseRate("fwer/exponential", (p) => p.exponential(1));
    expect(r.adjusted).toBeLessThanOrEqual(familyWiseMax);
    expect(r.unadjusted).toBeGreaterThan(0.15);
  });
});
