/**
 * Bootstrap percentile interval of the mean difference, resampling seeds with replacement. The
 * resampling draws from a Prng (src/model) keyed by the compare's seeds, the variant and the
 * metric, so the same compare prints the same interval on any machine and with any worker count.
 *
 * Plain percentile intervals are too narrow for a handful of seeds (they ignore that the spread is
 * estimated); we use Hesterberg's expanded percentile interval (T. Hesterberg, "What Teachers
 * Should Know About the Bootstrap", The American Statistician 69(4), 2015, §5.2): the tail
 * probability α/2 becomes α′/2 = Φ(−√(n/(n−1)) · t(1−α/2, n−1)), which matches the t interval's
 * width on normal data and keeps the percentile method's shape on skewed data.
 */
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { assert } from "../../../model/assert.ts";
import { Prng } from "../../../model/prng.ts";

export const bootstrapResamplesDefault = 4000;

export interface BootstrapInterval {
  low: number;
  high: number;
  resamples: number;
}

/** The resampling stream of one (variant, metric) of a compare over these seeds. */
export function bootstrapPrng(seeds: readonly number[], variant: string, metric: string): Prng {
  return new Prng(`compare-bootstrap:${seeds.join(",")}`).fork(`${variant}/${metric}`);
}

/** α′/2 of the expanded percentile interval for n values and coverage `level`. */
export function expandedTail(n: number, level: number): number {
  return normalCdf(-Math.sqrt(n / (n - 1)) * tQuantile(1 - (1 - level) / 2, n - 1), 0, 1);
}

export function bootstrapInterval(diffs: readonly number[], prng: Prng, level: number, resamples = bootstrapResamplesDefault): BootstrapInterval {
  const n = diffs.length;
  assert(resamples >= 100, `bootstrap needs at least 100 resamples, got ${resamples}`);
  if (n < 2) return { low: Number.NaN, high: Number.NaN, resamples };
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += diffs[prng.int(0, n)] as number;
    means[r] = sum / n;
  }
  means.sort();
  const tail = expandedTail(n, level);
  return { low: quantileSorted(means, tail), high: quantileSorted(means, 1 - tail), resamples };
}

/** Linear interpolation between order statistics (Hyndman & Fan type 7, R's default). */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}
