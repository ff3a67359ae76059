/**
 * A Service's request latencies over a run without storing a request: weights in exponential
 * buckets (the VPA recommender's Histogram, 5% growth from 0.1 ms up to 10 minutes), each slice's
 * spans and exponential tails spread over the buckets they cover. Percentiles are read as the end
 * of the bucket where the cumulative weight reaches them, so they are at most 5% high.
 */
import { Histogram } from "../../policies/autoscaling/vpa/histogram.ts";
import { exponentialHistogramOptions, type HistogramOptions } from "../../policies/autoscaling/vpa/histogram-options.ts";
import type { SteadyWaits, WaitSpan } from "./queueing.ts";
import type { LatencyPercentiles } from "../../log/summary-sections.ts";
export type { LatencyPercentiles };

const options: HistogramOptions = exponentialHistogramOptions(600_000, 0.1, 1.05, 1e-9);
/** Below this share of a tail left, the rest goes into the bucket reached. */
const tailCut = 1e-9;


export class LatencyHistogram {
  private readonly histogram = new Histogram(options);

  get requests(): number {
    return this.histogram.totalWeight;
  }

  /** `span.requests` with latency service + wait, the waits evenly between waitFromS and waitToS. */
  addSpan(serviceTimeS: number, span: WaitSpan): void {
    if (span.requests <= 0) return;
    const lo = 1000 * (serviceTimeS + Math.min(span.waitFromS, span.waitToS));
    const hi = 1000 * (serviceTimeS + Math.max(span.waitFromS, span.waitToS));
    if (hi - lo < 1e-9) return this.histogram.addSample(lo, span.requests);
    for (let b = options.bucketOf(lo); b <= options.bucketOf(hi); b++) {
      const start = Math.max(lo, options.bucketStart(b));
      const end = b + 1 < options.bucketCount ? Math.min(hi, options.bucketStart(b + 1)) : hi;
      // At the middle of the overlap: a bucket's own start may round into the bucket below.
      if (end > start) this.histogram.addSample((start + end) / 2, (span.requests * (end - start)) / (hi - lo));
    }
  }

  /** Requests that wait with some probability, then an exponential time (M/M/c). */
  addSteady(serviceTimeS: number, steady: SteadyWaits): void {
    if (steady.requests <= 0) return;
    const baseMs = 1000 * serviceTimeS;
    const waiting = steady.requests * steady.waitProbability;
    this.histogram.addSample(baseMs, steady.requests - waiting);
    if (waiting <= 0 || !Number.isFinite(steady.waitRatePerS)) {
      if (waiting > 0) this.histogram.addSample(baseMs, waiting);
      return;
    }
    const ratePerMs = steady.waitRatePerS / 1000;
    let left = 1; // P(wait > x − base)
    for (let b = options.bucketOf(baseMs); b < options.bucketCount; b++) {
      const last = b + 1 === options.bucketCount;
      const endMs = last ? Number.POSITIVE_INFINITY : options.bucketStart(b + 1);
      const after = last ? 0 : Math.exp(-ratePerMs * (endMs - baseMs));
      const share = after < tailCut ? left : left - after;
      const startMs = Math.max(baseMs, options.bucketStart(b));
      this.histogram.addSample(last ? startMs : (startMs + endMs) / 2, waiting * share);
      if (after < tailCut) return;
      left = after;
    }
  }

  percentiles(): LatencyPercentiles {
    const h = this.histogram;
    return { p50Ms: h.percentile(0.5), p95Ms: h.percentile(0.95), p99Ms: h.percentile(0.99) };
  }
}
