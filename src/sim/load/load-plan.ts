/**
 * Load as the plan gives it: per Service, a request-rate curve over virtual time, optional
 * Poisson noise, and the CPU each request costs. The load is exogenous: it comes from outside the
 * cluster, draws from its own named stream (`world/load/<service>`), and no policy sees the stream.
 */
import type { Ms } from "../../model/units.ts";

/** Requests per second over time. Rates are floats: they model the outside world, not the cluster. */
export type RateCurve =
  | { kind: "constant"; requestsPerSecond: number }
  /** `steps` sorted by time: from each step's time on, its rate. */
  | { kind: "step"; requestsPerSecond: number; steps: { atMs: Ms; requestsPerSecond: number }[] }
  /** The base rate, × `factor` from `atMs` for `durationMs`. */
  | { kind: "spike"; requestsPerSecond: number; atMs: Ms; durationMs: Ms; factor: number }
  /** A sine around the mean: mean × (1 + amplitude × cos(2π (t − peakAtMs) / periodMs)). */
  | { kind: "diurnal"; requestsPerSecond: number; amplitude: number; periodMs: Ms; peakAtMs: Ms };

export interface LoadPlan {
  /** "namespace/name" of the Service whose ready endpoints receive the traffic. */
  service: string;
  curve: RateCurve;
  noise: "none" | "poisson";
  /** CPU time one request costs, in millicore-seconds ("10m" of cpu per request = 10 ms of one core). */
  cpuMilliPerRequest: number;
  /** CPU a running pod uses with no traffic, in millicores. */
  baseCpuMilli: number;
  /** How kube-proxy (roundRobin) or an Envoy-style proxy (leastRequest, least-request.ts) spreads requests over endpoints. */
  balancing?: "roundRobin" | "leastRequest";
  /** Per-pod queueing (queueing.ts), when the load states it; without it a pod takes every request it is sent, as before. */
  queue?: QueuePlan;
}

export interface QueuePlan {
  /** Requests one pod serves in parallel (Infinity: only its CPU bounds it). */
  concurrency: number;
  /** Requests one pod holds waiting beyond those in service (Infinity: no limit); more are dropped. */
  queueLimit: number;
  /** Time one request takes in service when stated (it may wait on more than CPU); else its CPU time on one core. */
  serviceTimeMs?: Ms;
}

/** The metrics pipeline's timing (metrics-server --metric-resolution 15 s; load accounted every 5 s, three slices per scrape window). */
export interface MetricsPlan {
  scrapeIntervalMs: Ms;
  loadTickMs: Ms;
}

export const defaultMetricsPlan: MetricsPlan = { scrapeIntervalMs: 15_000, loadTickMs: 5000 };

/** The rate at `atMs`. */
export function rateAt(curve: RateCurve, atMs: Ms): number {
  switch (curve.kind) {
    case "constant":
      return curve.requestsPerSecond;
    case "step": {
      // the last step at or before atMs (binary search: a trace's curve has thousands of steps)
      let lo = 0;
      let hi = curve.steps.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((curve.steps[mid] as { atMs: Ms }).atMs <= atMs) lo = mid + 1;
        else hi = mid;
      }
      return lo === 0 ? curve.requestsPerSecond : (curve.steps[lo - 1] as { requestsPerSecond: number }).requestsPerSecond;
    }
    case "spike":
      return atMs >= curve.atMs && atMs < curve.atMs + curve.durationMs ? curve.requestsPerSecond * curve.factor : curve.requestsPerSecond;
    case "diurnal":
      return Math.max(0, curve.requestsPerSecond * (1 + curve.amplitude * Math.cos((2 * Math.PI * (atMs - curve.peakAtMs)) / curve.periodMs)));
  }
}
