/**
 * `import … -o FILE.db`: the imported scenario runs as `kubetwin run` runs one (resolveRun, then
 * runResolved: the same log, progress, stop handling, summary and exit codes), then the trace's
 * pod lifecycles are read beside the twin's pods from the run's own records.
 */
import { compareLifecycles, type LifecycleRow } from "../import/lifecycle-comparison.ts";
import type { OwnerLifecycles } from "../import/simkube-trace.ts";
import { twinPodLifecycles } from "../import/twin-pod-lifecycles.ts";
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
  /** How the scenario was loaded (raised limits), for the run's limits and reproduce commands. */
  load: LoadOptions;
}

export async function runImported(o: ImportedRun): Promise<number> {
  const lifecycles = o.lifecycles;
  return runResolved({
    resolved: resolveRun(o.plan, ["--from-log", o.dbPath], "baseline", o.load),
    seed: o.seed,
    dbPath: o.dbPath,
    json: false,
    progress: o.progress,
    ...(lifecycles !== undefined ? { afterSummary: (executed: Executed) => {
      if (executed.runId !== undefined) process.stdout.write(lifecycleReport(lifecycles, o.dbPath, executed.runId).join("\n") + "\n");
    } } : {}),
  });
}

/** The comparison's rows for a logged run (reading its records through the codec, as replay does). */
export function lifecycleRows(source: LifecycleSource, dbPath: string, runId: number): LifecycleRow[] {
  const log = openExistingLog(dbPath);
  try {
    const events = (function* () {
      for (const r of log.records(runId)) yield { atMs: r.atMs, event: decodeRecord(r) };
    })();
    return compareLifecycles(source.trace, source.originS, twinPodLifecycles(events));
  } finally {
    log.close();
  }
}

function lifecycleReport(source: LifecycleSource, dbPath: string, runId: number): string[] {
  if (source.trace.length === 0) return ["", "Pod lifecycles: the trace records none (its tracer config tracks no lifecycles), nothing to compare"];
  const rows = lifecycleRows(source, dbPath, runId);
  const ms = (v: number | undefined, signed = false) => (v === undefined ? "–" : `${signed && v > 0 ? "+" : ""}${v < 0 ? "-" : ""}${formatDurationMs(Math.abs(v))}`);
  const right = "right" as const;
  const table = formatTextTable(
    [{ header: "owner" }, { header: "pods trace", align: right }, { header: "twin", align: right }, { header: "start Δ median", align: right }, { header: "min", align: right }, { header: "max", align: right }, { header: "run trace", align: right }, { header: "run twin", align: right }],
    rows.map((r) => [terminalSafe(r.owner) + (r.podSpecs > 1 ? ` (${r.podSpecs} pod specs)` : ""), String(r.tracePods), String(r.twinPods), ms(r.startDeltaMsMedian, true), ms(r.startDeltaMsMin, true), ms(r.startDeltaMsMax, true), ms(r.traceRunMsMedian), ms(r.twinRunMsMedian)]),
  );
  return ["", "Pod lifecycles, trace vs twin (start Δ = twin − trace over pods paired in start order; run = start → end, median):", ...table];
}
