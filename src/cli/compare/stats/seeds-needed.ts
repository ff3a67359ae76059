/**
 * How many seeds would decide a metric whose interval still includes 0 — a normal-theory estimate
 * from the observed spread of the differences (hence "about"):
 *
 * - power P (default 0.8): the n at which a two-sided paired t-test at level α / m (m = the Holm
 *   family's size, the strictest threshold Holm can apply) rejects with probability P if the true
 *   difference equals the one observed: n = ((t(1−α/2m, n−1) + t(P, n−1)) · sd / |mean|)².
 * - half-width h (a percentage of the baseline's mean): the n at which the printed 95% t
 *   interval's half-width is h: n = (t(0.975, n−1) · sd / h)².
 *
 * Each is solved for the smallest whole n that satisfies it (bisection: the t quantiles depend on n).
 */
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { UsageError } from "../../exit-codes.ts";

export type Precision = { kind: "power"; power: number } | { kind: "halfwidth"; percentOfBaseline: number };

export const precisionDefault: Precision = { kind: "power", power: 0.8 };
export const seedsNeededMax = 100_000;

export function formatPrecision(p: Precision): string {
  return p.kind === "power" ? `power=${p.power}` : `halfwidth=${p.percentOfBaseline}%`;
}

/** `power=0.8` or `halfwidth=5%`; anything else is a usage error. */
export function parsePrecision(text: string): Precision {
  const power = /^power=(0?\.\d+)$/.exec(text);
  if (power) {
    const value = Number(power[1]);
    if (value >= 0.5 && value <= 0.99) return { kind: "power", power: value };
  }
  const half = /^halfwidth=(\d+(?:\.\d+)?)%$/.exec(text);
  if (half) {
    const value = Number(half[1]);
    if (value > 0 && value <= 100) return { kind: "halfwidth", percentOfBaseline: value };
  }
  throw new UsageError(`--precision: expected power=P (0.5..0.99) or halfwidth=H% (0..100], got "${text}"`);
}

export interface SeedsNeededInput {
  mean: number;
  sd: number;
  /** The baseline variant's mean of the metric (for a relative half-width). */
  baselineMean: number;
  level: number;
  familySize: number;
}

/** Seeds needed, or null when no count can be estimated (no difference, no spread or no baseline scale). */
export function seedsNeeded(p: Precision, x: SeedsNeededInput): number | null {
  if (!(x.sd > 0)) return null;
  if (p.kind === "power") {
    if (x.mean === 0) return null;
    const alpha = (1 - x.level) / Math.max(1, x.familySize);
    const ratio = x.sd / Math.abs(x.mean);
    return solve((n) => ((tQuantile(1 - alpha / 2, n - 1) + tQuantile(p.power, n - 1)) * ratio) ** 2);
  }
  const half = (Math.abs(x.baselineMean) * p.percentOfBaseline) / 100;
  if (!(half > 0)) return null;
  return solve((n) => ((tQuantile(1 - (1 - x.level) / 2, n - 1) * x.sd) / half) ** 2);
}

/** Smallest n ≥ 2 with n ≥ f(n), f decreasing in n; capped at seedsNeededMax. */
function solve(f: (n: number) => number): number {
  if (f(seedsNeededMax) > seedsNeededMax) return seedsNeededMax;
  let lo = 2;
  let hi = seedsNeededMax;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (mid >= f(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
