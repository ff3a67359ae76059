/**
 * `import … -o FILE.db`: the imported scenario runs as `kubetwin run` runs one (resolveRun, then
 * runResolved: the same log, progress, stop handling, summary and exit codes), then the twin's
 * pods are read back from the run's own records: beside a SimKube trace's pod lifecycles, and
 * against the recording's replica changes (how long until that many pods ran).
 */
import { compareLifecycles, type LifecycleRow } from "../import/lifecycle-comparison.ts";
import { initialReplicasOf, scaleFollow, type ScaleStep } from "../import/scale-follow.ts";
import type { TimelineScenario } from "../import/timeline-scenario.ts";
import type { OwnerLifecycles } from "../import/simkube-trace.ts";
import { twinPodLifecycles, type TwinPod } from "../import/twin-pod-lifecycles.ts";
import { decodeRecord } from "../log/record.ts";
import { formatDurationMs } from "../model/units.ts";
import { terminalSafe } from "../scenario/terminal-text.ts";
import type { ScenarioPlan } from "../sim/plan.ts";
import type { LoadOptions } from "../scenario/load.ts";
import type { Executed } from "./execute-run.ts";
import { resolveRun } from "./load-plan.ts";
import { openExistingLog } from "./open-log.ts";
import { runResolved } from "./run-command.ts";
import { formatTextTable } from "./text-table.ts";

export interface LifecycleSource {
  trace: readonly OwnerLifecycles[];
  originS: number;
}

export interface ImportedRun {
  plan: ScenarioPlan;
  dbPath: string;
  seed: number;
  progress: boolean;
  lifecycles: LifecycleSource | undefined;
  /** What the import made: its workloads and faults, to compare the run's scaling with. */
  built: TimelineScenario;
  /** How the scenario was loaded (raised limits), for the run's limits and reproduce commands. */
  load: LoadOptions;
}

export async function runImported(o: ImportedRun): Promise<number> {
  return runResolved({
    resolved: resolveRun(o.plan, ["--from-log", o.dbPath], "baseline", o.load),
    seed: o.seed,
    dbPath: o.dbPath,
    json: false,
    progress: o.progress,
    afterSummary: (executed: Executed) => {
      if (executed.runId === undefined) return;
      const twin = twinPods(o.dbPath, executed.runId);
      const lines = [...(o.lifecycles !== undefined ? lifecycleReport(o.lifecycles, twin) : []), ...scaleReport(scaleFollow(o.built.faults, initialReplicasOf(o.built.workloads), twin, o.plan.durationMs))];
      if (lines.length > 0) process.stdout.write(lines.join("\n") + "\n");
    },
  });
}

/** Each top owner's pods in a logged run (its records read through the codec, as replay reads them). */
export function twinPods(dbPath: string, runId: number): Map<string, TwinPod[]> {
  const log = openExistingLog(dbPath);
  try {
    const events = (function* () {
      for (const r of log.records(runId)) yield { atMs: r.atMs, event: decodeRecord(r) };
    })();
    return twinPodLifecycles(events);
  } finally {
    log.close();
  }
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

function lifecycleReport(source: LifecycleSource, twin: ReadonlyMap<string, readonly TwinPod[]>): string[] {
  if (source.trace.length === 0) return ["", "Pod lifecycles: the trace records none (its tracer config tracks no lifecycles), nothing to compare"];
  return lifecycleTable(compareLifecycles(source.trace, source.originS, twin), "trace");
}

/** The comparison as a table; `reference` names the other side ("trace", "cluster"). */
export function lifecycleTable(rows: readonly LifecycleRow[], reference: string): string[] {
  const table = formatTextTable(
    [{ header: "owner" }, { header: `pods ${reference}`, align: right }, { header: "twin", align: right }, { header: "start Δ median", align: right }, { header: "min", align: right }, { header: "max", align: right }, { header: `run ${reference}`, align: right }, { header: "run twin", align: right }],
    rows.map((r) => [terminalSafe(r.owner) + (r.podSpecs > 1 ? ` (${r.podSpecs} pod specs)` : ""), String(r.tracePods), String(r.twinPods), signedMs(r.startDeltaMsMedian, true), signedMs(r.startDeltaMsMin, true), signedMs(r.startDeltaMsMax, true), signedMs(r.traceRunMsMedian), signedMs(r.twinRunMsMedian)]),
  );
  return ["", `Pod lifecycles, ${reference} vs twin (start Δ = twin − ${reference} over pods paired in start order; run = start → end, median):`, ...table];
}
