/**
 * A run's pods beside a reference's (a SimKube trace's pod lifecycles, a recorded cluster's pods),
 * and how the twin followed a recording's replica changes, as the tables `import -o FILE.db` and
 * `run --from-log` of a recording print after the summary.
 */
import type { LifecycleRow } from "../import/lifecycle-comparison.ts";
import type { ScaleStep } from "../import/scale-follow.ts";
import { twinPodLifecycles, type TwinPod } from "../import/twin-pod-lifecycles.ts";
import { decodeRecord } from "../log/record.ts";
import type { SqliteLog } from "../log/sqlite-log.ts";
import { formatDurationMs } from "../model/units.ts";
import { terminalSafe } from "../scenario/terminal-text.ts";
import { openExistingLog } from "./open-log.ts";
import { formatTextTable } from "./text-table.ts";

/** Each top owner's pods in a logged run (its records read through the codec, as replay reads them). */
export function twinPods(dbPath: string, runId: number): Map<string, TwinPod[]> {
  const log = openExistingLog(dbPath);
  try {
    return podsOfRun(log, runId);
  } finally {
    log.close();
  }
}

export function podsOfRun(log: SqliteLog, runId: number): Map<string, TwinPod[]> {
  return twinPodLifecycles((function* () {
    for (const r of log.records(runId)) yield { atMs: r.atMs, event: decodeRecord(r) };
  })());
}

const right = "right" as const;

/** `+3s11ms`, `-500ms`, `–` for nothing. */
function signedMs(v: number | undefined, signed = false): string {
  return v === undefined ? "–" : `${signed && v > 0 ? "+" : ""}${v < 0 ? "-" : ""}${formatDurationMs(Math.abs(v))}`;
}

export function scaleReport(steps: readonly ScaleStep[]): string[] {
  if (steps.length === 0) return [];
  const table = formatTextTable(
    [{ header: "owner" }, { header: "at", align: right }, { header: "replicas" }, { header: "twin ran them after", align: right }],
    steps.map((s) => [terminalSafe(s.owner), formatDurationMs(s.atMs), `${s.from} → ${s.to}`, s.reachedAfterMs === undefined ? "not before the next change" : formatDurationMs(s.reachedAfterMs)]),
  );
  return ["", "Scaling: the recording's replica changes, and how long after each the twin ran that many pods:", ...table];
}

/** The comparison as a table; `reference` names the other side ("trace", "cluster"). */
export function lifecycleTable(rows: readonly LifecycleRow[], reference: string): string[] {
  const table = formatTextTable(
    [{ header: "owner" }, { header: `pods ${reference}`, align: right }, { header: "twin", align: right }, { header: "start Δ median", align: right }, { header: "min", align: right }, { header: "max", align: right }, { header: `run ${reference}`, align: right }, { header: "run twin", align: right }],
    rows.map((r) => [terminalSafe(r.owner) + (r.podSpecs > 1 ? ` (${r.podSpecs} pod specs)` : ""), String(r.tracePods), String(r.twinPods), signedMs(r.startDeltaMsMedian, true), signedMs(r.startDeltaMsMin, true), signedMs(r.startDeltaMsMax, true), signedMs(r.traceRunMsMedian), signedMs(r.twinRunMsMedian)]),
  );
  return ["", `Pod lifecycles, ${reference} vs twin (start Δ = twin − ${reference} over pods paired in start order; run = start → end, median):`, ...table];
}
