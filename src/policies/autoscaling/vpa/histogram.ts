/**
 * The VPA recommender's histograms, as upstream's util/histogram.go and decaying_histogram.go: a
 * weight per bucket, percentiles read as the end of the bucket where the cumulative weight reaches
 * the threshold; the decaying kind weighs each sample by 2^((t - reference) / halfLife), so a
 * sample one half-life older counts half, and renormalizes (shifts its reference, rescales) when
 * the exponent would pass 100. Times are virtual milliseconds.
 */
import { assert } from "../../../model/assert.ts";
import type { Ms } from "../../../model/units.ts";
import type { HistogramOptions } from "./histogram-options.ts";

export class Histogram {
  readonly options: HistogramOptions;
  readonly weights: Float64Array;
  totalWeight = 0;
  /** First non-empty bucket, or the last bucket when empty. */
  minBucket: number;
  /** Last non-empty bucket, or 0 when empty. */
  maxBucket = 0;

  constructor(options: HistogramOptions) {
    this.options = options;
    this.weights = new Float64Array(options.bucketCount);
    this.minBucket = options.bucketCount - 1;
  }

  addSample(value: number, weight: number): void {
    assert(weight >= 0, "sample weight must be non-negative");
    const bucket = this.options.bucketOf(value);
    this.weights[bucket] = (this.weights[bucket] as number) + weight;
    this.totalWeight += weight;
    const nonEmpty = (this.weights[bucket] as number) >= this.options.epsilon;
    if (bucket < this.minBucket && nonEmpty) this.minBucket = bucket;
    if (bucket > this.maxBucket && nonEmpty) this.maxBucket = bucket;
  }

  subtractSample(value: number, weight: number): void {
    assert(weight >= 0, "sample weight must be non-negative");
    const bucket = this.options.bucketOf(value);
    const eps = this.options.epsilon;
    this.totalWeight = safeSubtract(this.totalWeight, weight, eps);
    this.weights[bucket] = safeSubtract(this.weights[bucket] as number, weight, eps);
    this.updateMinAndMax();
  }

  isEmpty(): boolean {
    return (this.weights[this.minBucket] as number) < this.options.epsilon;
  }

  /** 0 when empty; `p` in [0, 1]. */
  percentile(p: number): number {
    if (this.isEmpty()) return 0;
    const threshold = p * this.totalWeight;
    let partial = 0;
    let bucket = this.minBucket;
    for (; bucket < this.maxBucket; bucket++) {
      partial += this.weights[bucket] as number;
      if (partial >= threshold) break;
    }
    // the end of the bucket; the last bucket has no end, so its start
    return bucket < this.options.bucketCount - 1 ? this.options.bucketStart(bucket + 1) : this.options.bucketStart(bucket);
  }

  scale(factor: number): void {
    assert(factor >= 0, "scale factor must be non-negative");
    for (let b = this.minBucket; b <= this.maxBucket; b++) this.weights[b] = (this.weights[b] as number) * factor;
    this.totalWeight *= factor;
    this.updateMinAndMax();
  }

  private updateMinAndMax(): void {
    const eps = this.options.epsilon;
    const last = this.options.bucketCount - 1;
    while ((this.weights[this.minBucket] as number) < eps && this.minBucket < last) this.minBucket++;
    while ((this.weights[this.maxBucket] as number) < eps && this.maxBucket > 0) this.maxBucket--;
  }
}

function safeSubtract(value: number, sub: number, epsilon: number): number {
  const v = value - sub;
  return v < epsilon ? 0 : v;
}

/** When the decay factor would pass 2^100 the histogram is renormalized. */
const maxDecayExponent = 100;

export class DecayingHistogram {
  readonly histogram: Histogram;
  readonly halfLifeMs: Ms;
  /** Always a whole number of half-lives. */
  referenceMs: Ms = 0;

  constructor(options: HistogramOptions, halfLifeMs: Ms) {
    assert(halfLifeMs > 0, "half-life must be positive");
    this.histogram = new Histogram(options);
    this.halfLifeMs = halfLifeMs;
  }

  addSample(value: number, weight: number, atMs: Ms): void {
    this.histogram.addSample(value, weight * this.decayFactor(atMs));
  }

  subtractSample(value: number, weight: number, atMs: Ms): void {
    this.histogram.subtractSample(value, weight * this.decayFactor(atMs));
  }

  percentile(p: number): number {
    return this.histogram.percentile(p);
  }

  isEmpty(): boolean {
    return this.histogram.isEmpty();
  }

  private decayFactor(atMs: Ms): number {
    if (atMs > this.referenceMs + this.halfLifeMs * maxDecayExponent) this.shiftReference(atMs);
    return Math.pow(2, (atMs - this.referenceMs) / this.halfLifeMs);
  }

  private shiftReference(atMs: Ms): void {
    // Go's Time.Round: the nearest multiple, halfway values up
    const next = Math.floor(atMs / this.halfLifeMs + 0.5) * this.halfLifeMs;
    const exponent = Math.floor((this.referenceMs - next) / this.halfLifeMs + 0.5);
    this.histogram.scale(Math.pow(2, exponent));
    this.referenceMs = next;
  }
}
