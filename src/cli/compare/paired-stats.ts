/**
 * Paired comparison of two variants over the same seeds: mean of the per-seed differences (B − A)
 * and its 95% confidence interval from Student's t distribution.
 */

/** Two-sided 95% critical values of Student's t for 1..30 degrees of freedom. */
const t975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093,
  2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function tCritical95(df: number): number {
  if (df < 1) return Number.NaN;
  if (df <= 30) return t975[df - 1] as number;
  if (df <= 40) return 2.042 - ((df - 30) * (2.042 - 2.021)) / 10;
  if (df <= 60) return 2.021 - ((df - 40) * (2.021 - 2.0)) / 20;
  if (df <= 120) return 2.0 - ((df - 60) * (2.0 - 1.98)) / 60;
  return 1.96;
}

export interface PairedDiff {
  n: number;
  mean: number;
  ciLow: number;
  ciHigh: number;
}

export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length > 0 ? sum / values.length : Number.NaN;
}

export function pairedDiff(a: readonly number[], b: readonly number[]): PairedDiff {
  const n = Math.min(a.length, b.length);
  const diffs = Array.from({ length: n }, (_, i) => (b[i] as number) - (a[i] as number));
  const m = mean(diffs);
  if (n < 2) return { n, mean: m, ciLow: Number.NaN, ciHigh: Number.NaN };
  let ss = 0;
  for (const d of diffs) ss += (d - m) ** 2;
  const half = tCritical95(n - 1) * Math.sqrt(ss / (n - 1) / n);
  return { n, mean: m, ciLow: m - half, ciHigh: m + half };
}
