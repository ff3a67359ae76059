import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import type { LogRecord } from "../../src/log/record.ts";
import { chooseWindowMs, collectLatencies, latencyHistogram, latencyWindows, niceEdgesMs } from "../../src/report/latency.ts";
import { percentileSorted } from "../../src/report/percentiles.ts";

function rec(seq: number, atMs: number, kind: LogRecord["kind"], subject: string): LogRecord {
  return { seq, atMs, kind, subject, payload: "{}", exogenous: false };
}

describe("scheduling latency", () => {
  it("measures creation→bound and creation→running per pod, restarting on re-creation", () => {
    const lat = collectLatencies([
      rec(0, 100, "PodCreated", "pod/a/x"),
      rec(1, 150, "PodCreated", "pod/a/y"),
      rec(2, 130, "PodBound", "pod/a/x"),
      rec(3, 900, "PodRunning", "pod/a/x"),
      rec(4, 950, "PodBound", "pod/a/x"), // a second bind of the same pod does not count
      rec(5, 2000, "PodRemoved", "pod/a/x"),
      rec(6, 3000, "PodCreated", "pod/a/x"),
      rec(7, 3010, "PodBound", "pod/a/x"),
      rec(8, 3010, "PodBound", "pod/a/never-created"),
    ]);
    expect(lat.boundMs).toEqual([30, 10]);
    expect(lat.boundCreatedAtMs).toEqual([100, 3000]);
    expect(lat.runningMs).toEqual([800]);
    expect(lat.createdCount).toBe(3);
  });

  it("uses nearest-rank percentiles", () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentileSorted(sorted, 50)).toBe(5);
    expect(percentileSorted(sorted, 90)).toBe(9);
    expect(percentileSorted(sorted, 99)).toBe(10);
    expect(percentileSorted([], 50)).toBeNull();
  });

  it("puts each pod in the window of its creation time", () => {
    const lat = { boundCreatedAtMs: [0, 59_999, 60_000, 125_000], boundMs: [10, 20, 30, 40], runningCreatedAtMs: [], runningMs: [], createdCount: 4 };
    const w = latencyWindows(lat, 180_000, 60_000);
    expect(w.xs).toEqual([0, 60_000, 120_000]);
    expect(w.bound.p50).toEqual([10, 30, 40]);
    expect(w.bound.p99).toEqual([20, 30, 40]);
    expect(w.running.p50).toEqual([null, null, null]);
  });

  test.prop([fc.integer({ min: 1, max: 30 * 86_400_000 }), fc.integer({ min: 1, max: 200 })])("windows are nice and never more than asked", (durationMs, windowsMax) => {
    const w = chooseWindowMs(durationMs, windowsMax);
    expect(Math.ceil(durationMs / w)).toBeLessThanOrEqual(windowsMax);
  });

  test.prop([fc.array(fc.integer({ min: 0, max: 10_000_000 }), { maxLength: 300 })])("the histogram counts every latency once and its CDF ends at 1", (values) => {
    const h = latencyHistogram({ boundCreatedAtMs: values.map(() => 0), boundMs: values, runningCreatedAtMs: [], runningMs: [], createdCount: values.length });
    expect(h.bound.reduce((a, b) => a + b, 0)).toBe(values.length);
    expect(h.edgesMs[h.edgesMs.length - 1]).toBeGreaterThan(Math.max(0, ...values));
    if (values.length > 0) expect(h.boundCdf[h.boundCdf.length - 1]).toBeCloseTo(1, 12);
    for (const v of values) {
      const bin = h.edgesMs.findIndex((e, i) => v >= e && v < (h.edgesMs[i + 1] as number));
      expect(bin).toBeGreaterThanOrEqual(0);
    }
  });

  it("has 1-2-5 edges", () => {
    expect(niceEdgesMs(30)).toEqual([0, 1, 2, 5, 10, 20, 50]);
  });
});
