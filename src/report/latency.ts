/**
 * Scheduling latency per pod: creation→bound and creation→running, measured from the log's
 * PodCreated / PodBound / PodRunning records of one subject. A pod re-created under the same name
 * starts a new measurement; only the first bind and first start after a creation count.
 */
import type { LogRecord } from "../log/record.ts";
import { distributionStats, percentileSorted, type DistributionStats } from "./percentiles.ts";

export interface PodLatencies {
  /** Per bound pod: creation time and creation→bound ms. */
  boundCreatedAtMs: number[];
  boundMs: number[];
  runningCreatedAtMs: number[];
  runningMs: number[];
  createdCount: number;
}

interface Pending {
  createdAtMs: number;
  bound: boolean;
  running: boolean;
}

export class LatencyCollector {
  private readonly pending = new Map<string, Pending>();
  private readonly out: PodLatencies = { boundCreatedAtMs: [], boundMs: [], runningCreatedAtMs: [], runningMs: [], createdCount: 0 };

  add(record: LogRecord): void {
    if (record.kind === "PodCreated") {
      this.pending.set(record.subject, { createdAtMs: record.atMs, bound: false, running: false });
      this.out.createdCount++;
      return;
    }
    if (record.kind !== "PodBound" && record.kind !== "PodRunning") return;
    const pod = this.pending.get(record.subject);
    if (pod === undefined) return;
    if (record.kind === "PodBound" && !pod.bound) {
      pod.bound = true;
      this.out.boundCreatedAtMs.push(pod.createdAtMs);
      this.out.boundMs.push(record.atMs - pod.createdAtMs);
    } else if (record.kind === "PodRunning" && !pod.running) {
      pod.running = true;
      this.out.runningCreatedAtMs.push(pod.createdAtMs);
      this.out.runningMs.push(record.atMs - pod.createdAtMs);
    }
  }

  result(): PodLatencies {
    return this.out;
  }
}

export function collectLatencies(records: Iterable<LogRecord>): PodLatencies {
  const c = new LatencyCollector();
  for (const r of records) c.add(r);
  return c.result();
}

const niceWindowsMs = [1_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000];

/** The smallest nice window that cuts the run into at most `windowsMax` windows. */
export function chooseWindowMs(durationMs: number, windowsMax: number): number {
  for (const w of niceWindowsMs) if (Math.ceil(durationMs / w) <= windowsMax) return w;
  return Math.ceil(durationMs / windowsMax / 86_400_000) * 86_400_000;
}

export interface LatencyWindows {
  windowMs: number;
  /** Window start times (virtual ms). */
  xs: number[];
  bound: { p50: (number | null)[]; p90: (number | null)[]; p99: (number | null)[] };
  running: { p50: (number | null)[]; p90: (number | null)[]; p99: (number | null)[] };
}

/** Percentiles of the latencies of the pods created in each window. */
export function latencyWindows(lat: PodLatencies, durationMs: number, windowMs: number): LatencyWindows {
  const lastCreated = Math.max(0, ...maxOf(lat.boundCreatedAtMs), ...maxOf(lat.runningCreatedAtMs));
  const count = Math.max(1, Math.ceil(Math.max(durationMs, lastCreated + 1) / windowMs));
  const xs = Array.from({ length: count }, (_, i) => i * windowMs);
  return {
    windowMs,
    xs,
    bound: windowPercentiles(lat.boundCreatedAtMs, lat.boundMs, windowMs, count),
    running: windowPercentiles(lat.runningCreatedAtMs, lat.runningMs, windowMs, count),
  };
}

function maxOf(values: number[]): number[] {
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  return m === -Infinity ? [] : [m];
}

function windowPercentiles(createdAtMs: number[], latencyMs: number[], windowMs: number, count: number) {
  const buckets: number[][] = Array.from({ length: count }, () => []);
  for (let i = 0; i < createdAtMs.length; i++) {
    const w = Math.min(count - 1, Math.floor((createdAtMs[i] as number) / windowMs));
    buckets[w]?.push(latencyMs[i] as number);
  }
  const sorted = buckets.map((b) => Float64Array.from(b).sort());
  return {
    p50: sorted.map((s) => percentileSorted(s, 50)),
    p90: sorted.map((s) => percentileSorted(s, 90)),
    p99: sorted.map((s) => percentileSorted(s, 99)),
  };
}

export interface LatencyHistogram {
  /** Bin i holds latencies in [edgesMs[i], edgesMs[i+1]); the last bin is closed. */
  edgesMs: number[];
  bound: number[];
  running: number[];
  boundCdf: number[];
  runningCdf: number[];
}

/** Edges 0, 1, 2, 5, 10, 20, 50 … ms, up to the first edge above the largest latency. */
export function niceEdgesMs(maxMs: number): number[] {
  const edges = [0];
  for (let decade = 1; ; decade *= 10) {
    for (const m of [1, 2, 5]) {
      edges.push(m * decade);
      if (m * decade > maxMs) return edges;
    }
  }
}

export function latencyHistogram(lat: PodLatencies): LatencyHistogram {
  const maxMs = Math.max(0, ...maxOf(lat.boundMs), ...maxOf(lat.runningMs));
  const edgesMs = niceEdgesMs(maxMs);
  const bound = binCounts(lat.boundMs, edgesMs);
  const running = binCounts(lat.runningMs, edgesMs);
  return { edgesMs, bound, running, boundCdf: cumulativeFraction(bound), runningCdf: cumulativeFraction(running) };
}

function binCounts(values: number[], edges: number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const v of values) {
    let lo = 0;
    let hi = edges.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((edges[mid] as number) <= v) lo = mid;
      else hi = mid - 1;
    }
    counts[lo] = (counts[lo] as number) + 1;
  }
  return counts;
}

function cumulativeFraction(counts: number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  let acc = 0;
  return counts.map((c) => {
    acc += c;
    return total === 0 ? 0 : acc / total;
  });
}

export function latencyStats(lat: PodLatencies): { bound: DistributionStats; running: DistributionStats } {
  return { bound: distributionStats(lat.boundMs), running: distributionStats(lat.runningMs) };
}
