/**
 * Downsampling for drawing that never hides an extreme. The x range is cut into equal-width
 * buckets; in each bucket every series keeps its first, last, minimum and maximum points. All
 * series of a chart share one x array, so the kept indices are the union over series.
 */
import { assert } from "../model/assert.ts";

export type SeriesValues = ReadonlyArray<number | null>;

/** Bucket of x within [x0, x1] cut into `bucketCount` equal parts; the last edge is inclusive. */
export function bucketOf(x: number, x0: number, x1: number, bucketCount: number): number {
  if (x1 <= x0) return 0;
  return Math.min(bucketCount - 1, Math.floor(((x - x0) / (x1 - x0)) * bucketCount));
}

/** Sorted indices of the points to keep. `xs` must be non-decreasing. */
export function downsampleIndices(xs: ReadonlyArray<number>, ys: ReadonlyArray<SeriesValues>, bucketCount: number): number[] {
  assert(bucketCount >= 1, "downsample: bucketCount must be positive");
  const n = xs.length;
  if (n <= bucketCount * 4) return Array.from({ length: n }, (_, i) => i);
  const x0 = xs[0] as number;
  const x1 = xs[n - 1] as number;
  const keep = new Uint8Array(n);
  let start = 0;
  while (start < n) {
    const bucket = bucketOf(xs[start] as number, x0, x1, bucketCount);
    let end = start + 1;
    while (end < n && bucketOf(xs[end] as number, x0, x1, bucketCount) === bucket) end++;
    keep[start] = 1;
    keep[end - 1] = 1;
    for (const values of ys) markExtremes(values, start, end, keep);
    start = end;
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i] === 1) out.push(i);
  return out;
}

function markExtremes(values: SeriesValues, start: number, end: number, keep: Uint8Array): void {
  let iMin = -1;
  let iMax = -1;
  let firstPresent = -1;
  let lastPresent = -1;
  for (let i = start; i < end; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    if (firstPresent < 0) firstPresent = i;
    lastPresent = i;
    if (iMin < 0 || v < (values[iMin] as number)) iMin = i;
    if (iMax < 0 || v > (values[iMax] as number)) iMax = i;
  }
  for (const i of [iMin, iMax, firstPresent, lastPresent]) if (i >= 0) keep[i] = 1;
}

export interface AlignedSeries {
  xs: number[];
  series: (number | null)[][];
}

export function downsampleAligned(data: AlignedSeries, bucketCount: number): AlignedSeries {
  const kept = downsampleIndices(data.xs, data.series, bucketCount);
  if (kept.length === data.xs.length) return data;
  return {
    xs: kept.map((i) => data.xs[i] as number),
    series: data.series.map((values) => kept.map((i) => values[i] ?? null)),
  };
}
