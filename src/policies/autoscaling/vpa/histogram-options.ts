/**
 * Bucketing schemes of the VPA recommender's histograms, as upstream's
 * vertical-pod-autoscaler/pkg/recommender/util/histogram_options.go: linear buckets of one size,
 * or exponential buckets each `ratio` times the previous (VPA uses 5% growth: CPU from 0.01 cores
 * up to 1000, memory from 1e7 bytes up to 1e12). Values past the last bucket fall into it.
 */
import { assert } from "../../../model/assert.ts";

export interface HistogramOptions {
  readonly bucketCount: number;
  /** Minimum weight for a bucket to count as non-empty. */
  readonly epsilon: number;
  bucketOf(value: number): number;
  bucketStart(bucket: number): number;
}

export function linearHistogramOptions(maxValue: number, bucketSize: number, epsilon: number): HistogramOptions {
  assert(maxValue > 0 && bucketSize > 0 && epsilon > 0, "maxValue and bucketSize must both be positive");
  const bucketCount = Math.ceil(maxValue / bucketSize) + 1;
  return {
    bucketCount,
    epsilon,
    bucketOf: (value) => Math.min(Math.max(Math.trunc(value / bucketSize), 0), bucketCount - 1),
    bucketStart: (bucket) => {
      assert(bucket >= 0 && bucket < bucketCount, `bucket ${bucket} out of range [0..${bucketCount - 1}]`);
      return bucket * bucketSize;
    },
  };
}

const logOf = (base: number, x: number) => Math.log(x) / Math.log(base);

export function exponentialHistogramOptions(maxValue: number, firstBucketSize: number, ratio: number, epsilon: number): HistogramOptions {
  assert(maxValue > 0 && firstBucketSize > 0 && ratio > 1 && epsilon > 0, "maxValue, firstBucketSize and epsilon must be > 0, ratio must be > 1");
  const bucketCount = Math.ceil(logOf(ratio, (maxValue * (ratio - 1)) / firstBucketSize + 1)) + 1;
  return {
    bucketCount,
    epsilon,
    bucketOf: (value) => {
      if (value < firstBucketSize) return 0;
      return Math.min(Math.trunc(logOf(ratio, (value * (ratio - 1)) / firstBucketSize + 1)), bucketCount - 1);
    },
    bucketStart: (bucket) => {
      assert(bucket >= 0 && bucket < bucketCount, `bucket ${bucket} out of range [0..${bucketCount - 1}]`);
      return bucket === 0 ? 0 : (firstBucketSize * (Math.pow(ratio, bucket) - 1)) / (ratio - 1);
    },
  };
}
