/** Sample moments of the per-seed differences: what every other statistic of a comparison starts from. */

export interface Moments {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1 denominator); NaN below two values. */
  sd: number;
  /** Moment skewness g1 = m3 / m2^1.5; NaN when the values are all equal or fewer than three. */
  skewness: number;
  /** Moment excess kurtosis g2 = m4 / m2² − 3; NaN when the values are all equal or fewer than four. */
  excessKurtosis: number;
}

export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length > 0 ? sum / values.length : Number.NaN;
}

/** B − A per seed, paired by position (both arrays are in the order of the compare's seeds). */
export function pairedDifferences(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.min(a.length, b.length);
  return Array.from({ length: n }, (_, i) => (b[i] as number) - (a[i] as number));
}

export function moments(values: readonly number[]): Moments {
  const n = values.length;
  const m = mean(values);
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const v of values) {
    const d = v - m;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  const sd = n >= 2 ? Math.sqrt(m2 / (n - 1)) : Number.NaN;
  m2 /= n;
  m3 /= n;
  m4 /= n;
  const spread = m2 > 0;
  return {
    n,
    mean: m,
    sd,
    skewness: spread && n >= 3 ? m3 / m2 ** 1.5 : Number.NaN,
    excessKurtosis: spread && n >= 4 ? m4 / (m2 * m2) - 3 : Number.NaN,
  };
}
