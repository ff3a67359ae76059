/**
 * A run, shaped for its report: header facts, metric charts over virtual time, fault markers,
 * scheduling latency, and the compact event table. One pass over the records.
 */
import { assert } from "../model/assert.ts";
import { nodeCountMetric, nodeCountNames, podCountMetric, podCountNames, workloadDesiredMetric, workloadOfMetric, workloadReadyMetric } from "../log/metric-names.ts";
import { decodeRecord, type LogRecord } from "../log/record.ts";
import { downsampleAligned } from "./downsample.ts";
import { EventColumnsBuilder, type EncodedEvents } from "./event-columns.ts";
import { chooseWindowMs, LatencyCollector, latencyHistogram, latencyStats, latencyWindows, type LatencyHistogram } from "./latency.ts";
import type { DistributionStats } from "./percentiles.ts";
import { healingTables, type SummaryTable } from "./healing-sections.ts";
import { parseRunSummary, type ExpectationResult, type FaultSummary, type WorkloadSummary } from "./run-summary.ts";

export interface ChartSeries {
  label: string;
  values: (number | null)[];
}

/** One chart: series aligned on a shared x array (virtual ms unless said otherwise). */
export interface ChartData {
  id: string;
  title: string;
  yLabel: string;
  xs: number[];
  series: ChartSeries[];
}

export type FaultMarker = FaultSummary;

/** What a run report needs to know about the run itself (a RunRow fits). */
export interface RunMeta {
  id: number;
  scenario: string;
  seed: number;
  variant: string;
  parameters: string;
  codeVersion: string;
  durationMs: number;
  status: string;
  fingerprint: string | null;
  eventCount: number;
  summary: string | null;
}

export interface RunReportSource {
  run: RunMeta;
  records(): Iterable<LogRecord>;
  metricNames(): string[];
  metricSeries(name: string): { atMs: number; value: number }[];
}

export interface RunHeader {
  runId: number;
  scenario: string;
  description: string;
  seed: number;
  variant: string;
  durationMs: number;
  status: string;
  fingerprint: string;
  eventCount: number;
  codeVersion: string;
  parameters: unknown;
  expectations: ExpectationResult[];
  workloads: WorkloadSummary[];
}

export interface RunReportData {
  header: RunHeader;
  faults: FaultMarker[];
  /** Node loss by zone, crash loops, rollouts, node operations, Jobs (healing-sections.ts). */
  healing: SummaryTable[];
  clusterCharts: ChartData[];
  workloadCharts: ChartData[];
  otherCharts: ChartData[];
  latency: {
    windows: ChartData;
    histogram: LatencyHistogram;
    bound: DistributionStats;
    running: DistributionStats;
    createdCount: number;
  };
  events: EncodedEvents;
}

export interface ShapeOptions {
  /** Buckets per chart for min/max downsampling. */
  chartBuckets: number;
  payloadCharsBudget: number;
}

export const defaultShapeOptions: ShapeOptions = { chartBuckets: 1000, payloadCharsBudget: 24_000_000 };

export function shapeRunReport(source: RunReportSource, options: ShapeOptions = defaultShapeOptions): RunReportData {
  const run = source.run;
  const summary = parseRunSummary(run.summary, `run ${run.id}`);
  const columns = new EventColumnsBuilder({ payloadCharsBudget: options.payloadCharsBudget });
  const latency = new LatencyCollector();
  const faults: FaultMarker[] = [];
  let lastAtMs = 0;
  for (const r of source.records()) {
    columns.add(r);
    latency.add(r);
    if (r.kind === "Fault") faults.push(faultOf(r));
    lastAtMs = r.atMs;
  }
  const durationMs = Math.max(summary.durationMs ?? run.durationMs, 1);
  const lat = latency.result();
  const metrics = groupMetrics(source, options.chartBuckets);
  const windowMs = chooseWindowMs(Math.max(durationMs, lastAtMs), 60);
  const windows = latencyWindows(lat, durationMs, windowMs);
  const stats = latencyStats(lat);
  const events = columns.finish();
  return {
    header: {
      runId: run.id,
      scenario: summary.scenario ?? run.scenario,
      description: summary.description ?? "",
      seed: run.seed,
      variant: run.variant,
      durationMs,
      status: run.status,
      fingerprint: run.fingerprint ?? summary.fingerprint ?? "",
      eventCount: events.count,
      codeVersion: run.codeVersion,
      parameters: summary.parameters ?? parseOrText(run.parameters),
      expectations: summary.expectations ?? [],
      workloads: summary.workloads ?? [],
    },
    faults: faults.length > 0 ? faults : (summary.faults ?? []),
    healing: healingTables(summary),
    ...metrics,
    latency: {
      windows: {
        id: "latency-windows",
        title: `Scheduling latency by creation time (${windowMs / 1000} s windows)`,
        yLabel: "ms",
        xs: windows.xs,
        series: [
          { label: "bound p50", values: windows.bound.p50 },
          { label: "bound p90", values: windows.bound.p90 },
          { label: "bound p99", values: windows.bound.p99 },
          { label: "running p50", values: windows.running.p50 },
          { label: "running p90", values: windows.running.p90 },
          { label: "running p99", values: windows.running.p99 },
        ],
      },
      histogram: latencyHistogram(lat),
      bound: stats.bound,
      running: stats.running,
      createdCount: lat.createdCount,
    },
    events,
  };
}

/** A fault marker from its record, decoded through the log's codec (a damaged one is a LogCorruptError naming the record). */
function faultOf(r: LogRecord): FaultMarker {
  const event = decodeRecord(r);
  assert(event.kind === "Fault", "report: the codec decodes a Fault record to a Fault");
  return { atMs: r.atMs, fault: event.fault, target: event.target, label: event.label };
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}


function groupMetrics(source: RunReportSource, buckets: number): Pick<RunReportData, "clusterCharts" | "workloadCharts" | "otherCharts"> {
  const names = source.metricNames();
  const used = new Set<string>();
  const chart = (id: string, title: string, yLabel: string, members: { name: string; label: string }[]): ChartData | undefined => {
    const present = members.filter((m) => names.includes(m.name));
    if (present.length === 0) return undefined;
    for (const m of present) used.add(m.name);
    return alignedChart(id, title, yLabel, present.map((m) => ({ label: m.label, samples: source.metricSeries(m.name) })), buckets);
  };
  const clusterCharts = [
    chart("pods", "Pods by phase", "pods", podCountNames.map((p) => ({ name: podCountMetric(p), label: p }))),
    chart("nodes", "Nodes", "nodes", nodeCountNames.map((s) => ({ name: nodeCountMetric(s), label: s === "notReady" ? "not ready" : s }))),
  ].filter((c): c is ChartData => c !== undefined);
  const workloadKeys = [...new Set(names.map(workloadOfMetric).filter((k): k is string => k !== undefined))].sort();
  const workloadCharts = workloadKeys
    .map((key) => chart(`workload/${key}`, key, "pods", [{ name: workloadReadyMetric(key), label: "ready" }, { name: workloadDesiredMetric(key), label: "desired" }]))
    .filter((c): c is ChartData => c !== undefined)
    .map((c) => ({ chart: c, ratio: minReadyRatio(c) }))
    .sort((a, b) => a.ratio - b.ratio || (a.chart.title < b.chart.title ? -1 : a.chart.title > b.chart.title ? 1 : 0))
    .map((x) => x.chart);
  const otherCharts = names
    .filter((n) => !used.has(n))
    .map((n) => chart(`metric/${n}`, n, "", [{ name: n, label: n }]))
    .filter((c): c is ChartData => c !== undefined);
  return { clusterCharts, workloadCharts, otherCharts };
}

/** Lowest ready/desired over time (1 when desired is never positive); worst workloads first. */
export function minReadyRatio(c: ChartData): number {
  const ready = c.series.find((s) => s.label === "ready")?.values ?? [];
  const desired = c.series.find((s) => s.label === "desired")?.values ?? [];
  let worst = 1;
  for (let i = 0; i < c.xs.length; i++) {
    const d = desired[i];
    const r = ready[i];
    if (d !== null && d !== undefined && d > 0 && r !== null && r !== undefined) worst = Math.min(worst, r / d);
  }
  return worst;
}

/** Series on the union of their sample times (missing samples are null), then downsampled. */
export function alignedChart(id: string, title: string, yLabel: string, members: { label: string; samples: { atMs: number; value: number }[] }[], buckets: number): ChartData {
  const times = new Set<number>();
  for (const m of members) for (const s of m.samples) times.add(s.atMs);
  const xs = [...times].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const series = members.map((m) => {
    const values = new Array<number | null>(xs.length).fill(null);
    for (const s of m.samples) values[index.get(s.atMs) as number] = s.value;
    return values;
  });
  const down = downsampleAligned({ xs, series }, buckets);
  return { id, title, yLabel, xs: down.xs, series: members.map((m, i) => ({ label: m.label, values: down.series[i] ?? [] })) };
}
