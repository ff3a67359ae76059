/**
 * The VPA recommender's estimate for one container, as upstream's logic/recommender.go and
 * logic/estimator.go with the recommender's default flags (config/config.go): target = p90 of the
 * CPU usage and of the memory peaks plus a 15% safety margin; lower bound from p50 and upper bound
 * from p95, each with the margin, scaled by the confidence of the history — upper × (1 + 1/c),
 * lower × (1 + 0.001/c)^-2, where c = min(history span in days, samples / 1440) — and every value
 * at least the pod minimum (25 millicores, 250 MiB) split over the pod's containers. Amounts are
 * integers as upstream's ResourceAmount: CPU millicores, memory bytes, truncated, at most 1e14.
 */
import type { Ms } from "../../../model/units.ts";
import type { AggregateContainer } from "./aggregate-container.ts";

export interface RecommendationConfig {
  safetyMarginFraction: number;
  podMinCpuMillicores: number;
  podMinMemoryMb: number;
  targetCpuPercentile: number;
  lowerBoundCpuPercentile: number;
  upperBoundCpuPercentile: number;
  targetMemoryPercentile: number;
  lowerBoundMemoryPercentile: number;
  upperBoundMemoryPercentile: number;
  confidenceIntervalMs: Ms;
}

export const defaultRecommendationConfig: RecommendationConfig = {
  safetyMarginFraction: 0.15,
  podMinCpuMillicores: 25,
  podMinMemoryMb: 250,
  targetCpuPercentile: 0.9,
  lowerBoundCpuPercentile: 0.5,
  upperBoundCpuPercentile: 0.95,
  targetMemoryPercentile: 0.9,
  lowerBoundMemoryPercentile: 0.5,
  upperBoundMemoryPercentile: 0.95,
  confidenceIntervalMs: 24 * 3_600_000,
};

/** CPU in millicores, memory in bytes. */
export interface Amounts {
  cpuMillicores: number;
  memoryBytes: number;
}

export interface ContainerRecommendation {
  target: Amounts;
  lowerBound: Amounts;
  upperBound: Amounts;
}

export const maxResourceAmount = 1e14;

/** model/types.go resourceAmountFromFloat: clamped to [0, 1e14], then truncated as Go's int64 conversion. */
export function resourceAmount(x: number): number {
  if (x > maxResourceAmount) return maxResourceAmount;
  return x < 0 || Number.isNaN(x) ? 0 : Math.trunc(x);
}

export const scaleAmount = (amount: number, factor: number) => resourceAmount(amount * factor);
export const withMargin = (amount: number, fraction: number) => amount + scaleAmount(amount, fraction);

/** estimator.go getConfidence: history length in confidence intervals, or samples per minute of one, whichever is less. */
export function confidenceOf(s: AggregateContainer, intervalMs: Ms): number {
  const spanMs = s.firstSampleMs === undefined || s.lastSampleMs === undefined ? 0 : s.lastSampleMs - s.firstSampleMs;
  return Math.min(spanMs / intervalMs, s.samples / (intervalMs / 60_000));
}

export function withConfidence(amount: number, confidence: number, multiplier: number, exponent: number): number {
  return scaleAmount(amount, Math.pow(1 + multiplier / confidence, exponent));
}

export function recommendContainer(s: AggregateContainer, containerCount: number, c: RecommendationConfig = defaultRecommendationConfig): ContainerRecommendation {
  const fraction = 1 / containerCount;
  const minCpu = scaleAmount(resourceAmount(c.podMinCpuMillicores * 0.001 * 1000), fraction);
  const minMemory = scaleAmount(resourceAmount(c.podMinMemoryMb * 1024 * 1024), fraction);
  const confidence = confidenceOf(s, c.confidenceIntervalMs);
  const cpuAt = (p: number) => withMargin(resourceAmount(s.cpu.percentile(p) * 1000), c.safetyMarginFraction);
  const memoryAt = (p: number) => withMargin(resourceAmount(s.memoryPeaks.percentile(p)), c.safetyMarginFraction);
  const amounts = (cpu: number, memory: number): Amounts => ({ cpuMillicores: Math.max(cpu, minCpu), memoryBytes: Math.max(memory, minMemory) });
  return {
    target: amounts(cpuAt(c.targetCpuPercentile), memoryAt(c.targetMemoryPercentile)),
    lowerBound: amounts(withConfidence(cpuAt(c.lowerBoundCpuPercentile), confidence, 0.001, -2), withConfidence(memoryAt(c.lowerBoundMemoryPercentile), confidence, 0.001, -2)),
    upperBound: amounts(withConfidence(cpuAt(c.upperBoundCpuPercentile), confidence, 1, 1), withConfidence(memoryAt(c.upperBoundMemoryPercentile), confidence, 1, 1)),
  };
}
