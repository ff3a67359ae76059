/**
 * The VPA recommender's histograms, estimators and recommendation, against the cases of upstream's
 * vertical-pod-autoscaler/pkg/recommender tests (util/histogram_test.go, histogram_options_test.go,
 * decaying_histogram_test.go, logic/estimator_test.go): the same inputs, the same numbers.
 */
import { describe, expect, test } from "vitest";
import { fc, test as prop } from "@fast-check/vitest";
import { AggregateContainer, ContainerWindow, cpuHistogramOptions, memoryHistogramOptions } from "../../../src/policies/autoscaling/vpa/aggregate-container.ts";
import { DecayingHistogram, Histogram } from "../../../src/policies/autoscaling/vpa/histogram.ts";
import { exponentialHistogramOptions, linearHistogramOptions } from "../../../src/policies/autoscaling/vpa/histogram-options.ts";
import { confidenceOf, maxResourceAmount, recommendContainer, resourceAmount, withConfidence, withMargin } from "../../../src/policies/autoscaling/vpa/recommender.ts";

const hourMs = 3_600_000;
const minuteMs = 60_000;
const testOptions = linearHistogramOptions(10, 1, 1e-15);

describe("histogram options (histogram_options_test.go)", () => {
  test("linear: 18 buckets of 0.3 up to 5", () => {
    const o = linearHistogramOptions(5, 0.3, 0.001);
    expect(o.bucketCount).toBe(18);
    expect(o.bucketStart(0)).toBe(0);
    expect(o.bucketStart(17)).toBe(5.1);
    expect([-1, 0, 1.3, 100].map(o.bucketOf)).toEqual([0, 0, 4, 17]);
  });

  test("exponential: 40 × 1.5^k up to 500", () => {
    const o = exponentialHistogramOptions(500, 40, 1.5, 0.001);
    expect(o.bucketCount).toBe(6);
    expect([0, 1, 2, 3, 4, 5].map(o.bucketStart)).toEqual([0, 40, 100, 190, 325, 527.5]);
    expect([-1, 39.99, 40, 100, 900].map(o.bucketOf)).toEqual([0, 0, 1, 2, 5]);
  });

  test("VPA's own: CPU from 0.01 cores, memory from 1e7 bytes, 5% growth", () => {
    expect(cpuHistogramOptions.bucketStart(1)).toBeCloseTo(0.01, 12);
    expect(memoryHistogramOptions.bucketStart(1)).toBeCloseTo(1e7, 3);
    expect(cpuHistogramOptions.bucketStart(2) / cpuHistogramOptions.bucketStart(1)).toBeCloseTo(2.05, 12);
  });
});

describe("histogram (histogram_test.go)", () => {
  test("an empty histogram's percentiles are 0", () => {
    const h = new Histogram(testOptions);
    for (const p of [-0.5, 0, 0.5, 1, 1.5]) expect(h.percentile(p)).toBe(0);
  });

  test("percentiles are bucket ends", () => {
    const h = new Histogram(testOptions);
    for (let i = 1; i <= 4; i++) h.addSample(i, i);
    expect([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map((p) => h.percentile(p))).toEqual([2, 2, 3, 3, 4, 4, 4, 5, 5, 5, 5]);
  });

  test("out-of-bounds percentiles and values", () => {
    const h = new Histogram(linearHistogramOptions(1, 0.1, 1e-15));
    h.addSample(0.1, 0.1);
    h.addSample(0.2, 0.2);
    expect(h.percentile(-0.1)).toBeCloseTo(0.2, 15);
    expect(h.percentile(1.1)).toBeCloseTo(0.3, 15);
    h.addSample(0, 0.1);
    h.addSample(1, 0.2);
    expect(h.percentile(-0.1)).toBeCloseTo(0.1, 15);
    expect(h.percentile(1.1)).toBeCloseTo(1, 15);
  });

  test("a bucket is empty below epsilon", () => {
    const eps = 1e-15;
    const h = new Histogram(linearHistogramOptions(1, 0.1, eps));
    expect(h.isEmpty()).toBe(true);
    h.addSample(0.1, eps * 2.5);
    expect(h.isEmpty()).toBe(false);
    h.subtractSample(0.1, eps);
    expect(h.isEmpty()).toBe(false);
    h.subtractSample(0.1, eps);
    expect(h.isEmpty()).toBe(true);
  });
});

describe("decaying histogram (decaying_histogram_test.go)", () => {
  test("a sample 20 half-lives older counts 2^-20 as much", () => {
    const h = new DecayingHistogram(testOptions, hourMs);
    h.addSample(2, 1000, 0);
    h.addSample(1, 1, 20 * hourMs);
    expect(h.percentile(0.999)).toBe(2);
    expect(h.percentile(1)).toBe(3);
  });

  test("long-term decay renormalizes without losing the newest sample", () => {
    const h = new DecayingHistogram(testOptions, hourMs);
    h.addSample(2, 1, 0);
    h.addSample(1, 1, 101 * hourMs);
    expect(h.percentile(1)).toBe(2);
  });

  test("percentiles of samples an hour apart", () => {
    const h = new DecayingHistogram(testOptions, hourMs);
    for (let i = 1; i <= 4; i++) h.addSample(i, i, (i - 1) * hourMs);
    expect([0, 0.02, 0.03, 0.1, 0.11, 0.34, 0.35, 1].map((p) => h.percentile(p))).toEqual([2, 2, 3, 3, 4, 4, 5, 5]);
  });

  prop.prop([fc.array(fc.tuple(fc.double({ min: 0, max: 9, noNaN: true }), fc.integer({ min: 0, max: 500 * 3600 })), { minLength: 1, maxLength: 40 })])(
    "percentiles never decrease with p, and stay within the buckets of the samples",
    (samples) => {
      const h = new DecayingHistogram(testOptions, hourMs);
      const sorted = [...samples].sort((a, b) => a[1] - b[1]);
      for (const [v, s] of sorted) h.addSample(v, 1, s * 1000);
      const ps = [0, 0.25, 0.5, 0.9, 1].map((p) => h.percentile(p));
      for (let i = 1; i < ps.length; i++) expect(ps[i]).toBeGreaterThanOrEqual(ps[i - 1] as number);
      expect(ps[4]).toBeLessThanOrEqual(Math.floor(Math.max(...samples.map((x) => x[0]))) + 1);
    },
  );
});

describe("estimators (estimator_test.go)", () => {
  const withCpuSamples = (count: number, everyMs: number) => {
    const s = new AggregateContainer();
    for (let i = 0; i < count; i++) s.addCpu(1, i * everyMs);
    return s;
  };

  test("percentiles of CPU usage and memory peaks, within histogram rounding", () => {
    const s = new AggregateContainer();
    for (const cores of [1, 2, 3]) s.cpu.addSample(cores, 1, 0);
    for (const bytes of [1e9, 2e9, 3e9]) s.memoryPeaks.addSample(bytes, 1, 0);
    expect(resourceAmount(s.cpu.percentile(0.2) * 1000) / 1000).toBeCloseTo(1, 1);
    expect(Math.abs(resourceAmount(s.memoryPeaks.percentile(0.5)) / 2e9 - 1)).toBeLessThan(0.05);
  });

  test("the confidence multiplier: no history gives 1e14 up and 0 down; 9 samples 2 min apart give 0.00625", () => {
    const empty = new AggregateContainer();
    const c0 = confidenceOf(empty, 24 * hourMs);
    expect(withConfidence(3140, c0, 1, 1)).toBe(maxResourceAmount);
    expect(withConfidence(3140, c0, 1, -1)).toBe(0);
    const s = withCpuSamples(9, 2 * minuteMs);
    const c = confidenceOf(s, 24 * hourMs);
    expect(c).toBe(0.00625);
    expect(withConfidence(3140, c, 0.1, 2) / 1000).toBe(907.46);
    expect(withConfidence(3.14e9, c, 0.1, 2)).toBe(9.0746e11);
  });

  test("with an 18-minute confidence interval the same history has confidence 0.5", () => {
    const s = withCpuSamples(9, 2 * minuteMs);
    const c = confidenceOf(s, 18 * minuteMs);
    expect(c).toBe(0.5);
    expect(withConfidence(3140, c, 0.1, 2) / 1000).toBe(4.521);
    expect(withConfidence(3.14e9, c, 0.1, 2)).toBe(4.5216e9);
  });

  test("a margin of 10% adds a tenth, truncated", () => {
    expect(withMargin(resourceAmount(3.14 * 1000), 0.1) / 1000).toBe(3.454);
    expect(withMargin(3.14e9, 0.1)).toBe(3.454e9);
  });
});

describe("the recommendation", () => {
  test("a container with no usage gets the pod minimum split over its containers, for every bound", () => {
    const r = recommendContainer(new AggregateContainer(), 2);
    expect(r.target).toEqual({ cpuMillicores: 12, memoryBytes: 125 * 1024 * 1024 });
    expect(r.lowerBound).toEqual(r.target);
    // 0 usage × an infinite multiplier is NaN, which ends at the minimum too (Go's int64(NaN) is below it)
    expect(r.upperBound).toEqual(r.target);
  });

  test("a day of steady 500m and 600 MiB: target p90 + 15%, bounds tighten with a day of history", () => {
    const s = new AggregateContainer();
    const w = new ContainerWindow(s);
    for (let t = 0; t <= 24 * hourMs; t += minuteMs) {
      w.addCpu(0.5, t);
      w.addMemory(600 * 1024 * 1024, t);
    }
    const r = recommendContainer(s, 1);
    const cpuBucketEnd = resourceAmount(s.cpu.percentile(0.9) * 1000);
    expect(cpuBucketEnd).toBeGreaterThanOrEqual(500);
    expect(cpuBucketEnd).toBeLessThan(500 * 1.06);
    expect(r.target.cpuMillicores).toBe(withMargin(cpuBucketEnd, 0.15));
    const memoryBucketEnd = resourceAmount(s.memoryPeaks.percentile(0.9));
    expect(memoryBucketEnd).toBeGreaterThanOrEqual(600 * 1024 * 1024);
    expect(r.target.memoryBytes).toBe(withMargin(memoryBucketEnd, 0.15));
    // confidence 1 (a whole day): upper ×2, lower ×(1.001)^-2
    expect(confidenceOf(s, 24 * hourMs)).toBe(1);
    expect(r.upperBound.cpuMillicores).toBe(resourceAmount(withMargin(cpuBucketEnd, 0.15) * 2));
    expect(r.lowerBound.cpuMillicores).toBeLessThan(r.target.cpuMillicores + 1);
  });

  test("an OOM kill bumps the memory peak to max(used + 100 MiB, used × 1.2)", () => {
    const s = new AggregateContainer();
    const w = new ContainerWindow(s);
    w.addMemory(200 * 1024 * 1024, 0);
    expect(w.recordOom(minuteMs, 256 * 1024 * 1024)).toBe(true);
    // used = max(request 256 MiB, peak 200 MiB) → needed = 356 MiB; it replaces the window's peak
    const peak = s.memoryPeaks.percentile(1);
    expect(peak).toBeGreaterThanOrEqual(356 * 1024 * 1024);
    expect(peak).toBeLessThan(356 * 1024 * 1024 * 1.06);
    // one peak, stamped at its window's end (24 h: one half-life, weight 2^1)
    expect(s.memoryPeaks.histogram.totalWeight).toBeCloseTo(2, 12);
  });

  test("within a window only a new maximum replaces the peak; the next window adds its own", () => {
    const s = new AggregateContainer();
    const w = new ContainerWindow(s);
    w.addMemory(100e6, 0);
    w.addMemory(50e6, hourMs);
    w.addMemory(300e6, 2 * hourMs);
    // the first window ends at 24 h: its one peak weighs 2^1
    expect(s.memoryPeaks.histogram.totalWeight).toBeCloseTo(2, 12);
    expect(s.memoryPeaks.percentile(1)).toBeGreaterThanOrEqual(300e6);
    w.addMemory(10e6, 25 * hourMs);
    // the second window ends at 48 h: its peak weighs 2^2
    expect(s.memoryPeaks.histogram.totalWeight).toBeCloseTo(6, 12);
    expect(w.addMemory(5e6, hourMs)).toBe(false);
  });
});
