/** The run summary's VPA sections for the terminal: each VPA and the updater's evictions, then the accuracy score per container. */
import { formatBytes, formatCpuMilli, formatDurationMs } from "../model/units.ts";
import type { AccuracyScore } from "../sim/observe/resource-accuracy.ts";
import type { ResourceAccuracySummary, VpaSummary } from "../sim/observe/vpa-summary.ts";
import { formatTextTable } from "./text-table.ts";

const right = "right" as const;
const pct = (n: number): string => `${n.toFixed(1)}%`;

export function vpaLines(vpas: readonly VpaSummary[]): string[] {
  if (vpas.length === 0) return [];
  const targets = (v: VpaSummary) =>
    (v.targets ?? []).map((t) => `${t.container}: ${[t.target.cpu !== undefined ? `cpu ${formatCpuMilli(t.target.cpu)}` : "", t.target.memory !== undefined ? `memory ${formatBytes(t.target.memory)}` : ""].filter((x) => x !== "").join(", ")}`).join("; ") || "no recommendation";
  const table = formatTextTable(
    [{ header: "VPA → target" }, { header: "mode" }, { header: "evicted", align: right }, { header: "refused", align: right }, { header: "target at the end" }],
    vpas.map((v) => [`${v.name} → ${v.target}`, v.updateMode, String(v.evicted), String(v.refused), targets(v)]),
  );
  return ["", "Vertical pod autoscalers", ...table];
}

const scoreCells = (s: AccuracyScore): string[] => [pct(s.cpuUnderProvisionedPercent), pct(s.cpuThrottledPercent), pct(s.cpuSlackPercent), pct(s.memoryUnderProvisionedPercent), pct(s.memorySlackPercent)];

export function accuracyLines(a: ResourceAccuracySummary | undefined): string[] {
  if (a === undefined || a.containers.length === 0) return [];
  const rows = a.containers.map((c) => [`${c.workload}/${c.container}${c.vpa !== undefined ? " (VPA)" : ""}`, ...scoreCells(c)]);
  rows.push(["all containers", ...scoreCells(a.total)]);
  const table = formatTextTable(
    [{ header: "workload/container" }, { header: "cpu under", align: right }, { header: "throttled", align: right }, { header: "cpu slack", align: right }, { header: "mem under", align: right }, { header: "mem slack", align: right }],
    rows,
  );
  const hourly = a.containers.flatMap((c) => [
    `  ${c.workload}/${c.container} by hour (cpu under / cpu slack): ${c.hourly.map((h) => `${formatDurationMs(h.fromMs)} ${pct(h.cpuUnderProvisionedPercent)} / ${pct(h.cpuSlackPercent)}`).join(" · ")}`,
  ]);
  return ["", "Resource accuracy (requests against usage)", ...table, ...hourly, "  (under: share of running time with usage above the request; slack: request − usage as a share of the request; OOM kills not modelled)"];
}
