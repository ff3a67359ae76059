/**
 * A workload's samples are the periodic ones plus one at every change of its ready or desired
 * count (run-observer.ts), so these figures are exact. Availability starts to count from the first sample where it had every
 * desired replica ready. Before that it is still rolling out for the first time, which is not an
 * outage (a fresh Deployment reads 0/3 for its first seconds). One place for the rule, used by the
 * run summary and the Availability expectation.
 */
import type { WorkloadSample } from "./run-observer.ts";

/** Index of the first sample with all desired replicas ready, or -1 when that never happened. */
export function firstFullyAvailable(samples: readonly WorkloadSample[]): number {
  return samples.findIndex((s) => s.desired > 0 && s.ready >= s.desired);
}

export interface AvailabilityFigures {
  /** Lowest ready/desired from the first fully available sample on (1 when never degraded; 0 when never available). */
  minReadyRatio: number;
  /** Time with fewer ready than desired replicas after that moment (samples hold every change: exact). */
  degradedMs: number;
  /** Virtual time of the first fully available sample, or null when never fully available. */
  availableFromMs: number | null;
}

export function availabilityOf(samples: readonly WorkloadSample[]): AvailabilityFigures {
  const start = firstFullyAvailable(samples);
  if (start < 0) return { minReadyRatio: samples.some((s) => s.desired > 0) ? 0 : 1, degradedMs: 0, availableFromMs: null };
  let minReadyRatio = 1;
  let degradedMs = 0;
  for (let i = start; i < samples.length; i++) {
    const s = samples[i] as WorkloadSample;
    if (s.desired === 0) continue;
    minReadyRatio = Math.min(minReadyRatio, s.ready / s.desired);
    const next = samples[i + 1];
    if (s.ready < s.desired && next) degradedMs += next.atMs - s.atMs;
  }
  return { minReadyRatio, degradedMs, availableFromMs: (samples[start] as WorkloadSample).atMs };
}
