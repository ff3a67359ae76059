import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { bucketOf, downsampleAligned, downsampleIndices } from "../../src/report/downsample.ts";

const seriesCase = fc
  .record({
    n: fc.integer({ min: 1, max: 600 }),
    buckets: fc.integer({ min: 1, max: 40 }),
    seriesCount: fc.integer({ min: 1, max: 3 }),
    seed: fc.integer(),
  })
  .chain(({ n, buckets, seriesCount }) =>
    fc.record({
      buckets: fc.constant(buckets),
      steps: fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: n, maxLength: n }),
      series: fc.array(fc.array(fc.option(fc.integer({ min: -1e6, max: 1e6 }), { nil: null, freq: 8 }), { minLength: n, maxLength: n }), {
        minLength: seriesCount,
        maxLength: seriesCount,
      }),
    }),
  );

function xsOf(steps: number[]): number[] {
  let x = 0;
  return steps.map((s) => (x += s));
}

describe("min/max downsampling", () => {
  test.prop([seriesCase])("every bucket keeps each series' min and max, and its first and last point", ({ buckets, steps, series }) => {
    const xs = xsOf(steps);
    const kept = new Set(downsampleIndices(xs, series, buckets));
    const x0 = xs[0] as number;
    const x1 = xs[xs.length - 1] as number;
    const byBucket = new Map<number, number[]>();
    xs.forEach((x, i) => {
      const b = bucketOf(x, x0, x1, buckets);
      byBucket.set(b, [...(byBucket.get(b) ?? []), i]);
    });
    for (const indices of byBucket.values()) {
      expect(kept.has(indices[0] as number)).toBe(true);
      expect(kept.has(indices[indices.length - 1] as number)).toBe(true);
      for (const values of series) {
        const present = indices.map((i) => values[i]).filter((v): v is number => v !== null);
        if (present.length === 0) continue;
        const keptValues = indices.filter((i) => kept.has(i)).map((i) => values[i]);
        expect(keptValues).toContain(Math.min(...present));
        expect(keptValues).toContain(Math.max(...present));
      }
    }
  });

  test.prop([seriesCase])("the global peak and trough survive, x stays sorted, and nothing is invented", ({ buckets, steps, series }) => {
    const xs = xsOf(steps);
    const down = downsampleAligned({ xs, series }, buckets);
    expect(down.xs.length).toBeLessThanOrEqual(xs.length);
    for (let i = 1; i < down.xs.length; i++) expect(down.xs[i]).toBeGreaterThanOrEqual(down.xs[i - 1] as number);
    series.forEach((values, s) => {
      const present = values.filter((v): v is number => v !== null);
      const keptPresent = (down.series[s] ?? []).filter((v): v is number => v !== null);
      if (present.length > 0) {
        expect(Math.max(...keptPresent)).toBe(Math.max(...present));
        expect(Math.min(...keptPresent)).toBe(Math.min(...present));
      }
      const original = new Set(values.map((v, i) => `${xs[i]}|${v}`));
      down.xs.forEach((x, i) => expect(original.has(`${x}|${down.series[s]?.[i] ?? null}`)).toBe(true));
    });
  });

  it("reduces a long series to at most four points per bucket", () => {
    const xs = Array.from({ length: 100_000 }, (_, i) => i * 10);
    const ys = [xs.map((x) => Math.sin(x / 1000) * 100 + (x === 555_550 ? 1e6 : 0))];
    const down = downsampleAligned({ xs, series: ys }, 500);
    expect(down.xs.length).toBeLessThanOrEqual(2000);
    expect(down.xs.length).toBeGreaterThan(500);
    expect(Math.max(...(down.series[0] as number[]))).toBe(1e6 + Math.sin(555.55) * 100);
  });

  it("leaves short series untouched", () => {
    const data = { xs: [0, 10, 20], series: [[1, null, 3]] };
    expect(downsampleAligned(data, 100)).toBe(data);
  });
});
