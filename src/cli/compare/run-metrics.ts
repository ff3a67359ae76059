/** The per-run numbers a comparison reports, each with its unit and which direction is better. */
import type { RunSummary } from "../../sim/summary.ts";

export interface MetricDef {
  name: string;
  unit: string;
  better: "lower" | "higher";
  of(s: RunSummary): number;
}

export const comparedMetrics: readonly MetricDef[] = [
  { name: "bound latency p50", unit: "ms", better: "lower", of: (s) => s.latency.boundMs.p50 },
  { name: "bound latency p99", unit: "ms", better: "lower", of: (s) => s.latency.boundMs.p99 },
  { name: "running latency p50", unit: "ms", better: "lower", of: (s) => s.latency.runningMs.p50 },
  { name: "running latency p99", unit: "ms", better: "lower", of: (s) => s.latency.runningMs.p99 },
  { name: "longest pending", unit: "ms", better: "lower", of: (s) => s.longestPendingMs },
  {
    name: "min workload availability",
    unit: "ratio",
    better: "higher",
    of: (s) => s.workloads.reduce((m, w) => Math.min(m, w.minReadyRatio), 1),
  },
  { name: "degraded workload time", unit: "ms", better: "lower", of: (s) => s.workloads.reduce((t, w) => t + w.degradedMs, 0) },
  { name: "pods created", unit: "pods", better: "lower", of: (s) => s.podsCreated },
  /** Requests dropped (no ready endpoint, or a full queue), over every Service with load (0 without load). */
  { name: "dropped requests", unit: "requests", better: "lower", of: (s) => (s.traffic ?? []).reduce((t, x) => t + x.droppedRequests, 0) },
  /** The highest p95 request latency over the Services whose load queues (0 without). */
  { name: "p95 latency", unit: "ms", better: "lower", of: (s) => (s.traffic ?? []).reduce((m, x) => Math.max(m, x.latency?.p95Ms ?? 0), 0) },
  /** Node-hours × price per hour over every node pool (0 without prices). */
  { name: "node cost", unit: "price", better: "lower", of: (s) => s.nodeCost ?? 0 },
  /** Share of container running time with CPU usage above the request, over every container the accuracy score covers (0 without VPAs). */
  { name: "cpu under-provisioned time", unit: "ratio", better: "lower", of: (s) => (s.resourceAccuracy?.total.cpuUnderProvisionedPercent ?? 0) / 100 },
  /** Requested CPU left unused, as a share of what was requested (0 without VPAs). */
  { name: "cpu slack", unit: "ratio", better: "lower", of: (s) => (s.resourceAccuracy?.total.cpuSlackPercent ?? 0) / 100 },
  /** Share of container running time with memory above the request (0 without VPAs). */
  { name: "memory under-provisioned time", unit: "ratio", better: "lower", of: (s) => (s.resourceAccuracy?.total.memoryUnderProvisionedPercent ?? 0) / 100 },
  { name: "memory slack", unit: "ratio", better: "lower", of: (s) => (s.resourceAccuracy?.total.memorySlackPercent ?? 0) / 100 },
  { name: "expectations failed", unit: "count", better: "lower", of: (s) => s.expectations.filter((e) => !e.passed).length },
];

/** What a worker sends back for one (variant, seed) run. */
export interface RunOutcome {
  variant: string;
  seed: number;
  fingerprint: string;
  runId: number | null;
  values: number[]; // in comparedMetrics order
  /** Names of the expectations that did not hold. */
  failedExpectations: string[];
}

export function outcomeOf(variant: string, seed: number, s: RunSummary, runId: number | undefined): RunOutcome {
  const failedExpectations = s.expectations.filter((e) => !e.passed).map((e) => e.name);
  return { variant, seed, fingerprint: s.fingerprint, runId: runId ?? null, values: comparedMetrics.map((m) => m.of(s)), failedExpectations };
}
