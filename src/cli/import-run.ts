/**
 * `import … -o FILE.db`: the imported scenario runs as `kubetwin run` runs one (resolveRun,
 * executeRunYielding: the same log, summary and stop handling), then the trace's pod lifecycles
 * are read beside the twin's pods from the run's own records.
 */
import { compareLifecycles, type LifecycleRow } from "../import/lifecycle-comparison.ts";
import type { OwnerLifecycles } from "../import/simkube-trace.ts";
import { twinPodLifecycles } from "../import/twin-pod-lifecycles.ts";
import { decodeRecord } from "../log/record.ts";
import { formatDurationMs } from "../model/units.ts";
import { terminalSafe } from "../scenario/terminal-text.ts";
import type { ScenarioPlan } from "../sim/plan.ts";
import type { LoadOptions } from "../scenario/load.ts";
import { executeRunYielding } from "./execute-run.ts";
import { ExpectationFailed, exitOk } from "./exit-codes.ts";
import { formatSummary } from "./format-summary.ts";
import { resolveRun } from "./load-plan.ts";
import { openExistingLog } from "./open-log.ts";
import { progressBar } from "./progress.ts";
import { StopRequest, whileStoppable } from "./stop-signal.ts";
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
  const resolved = resolveRun(o.plan, ["--from-log", o.dbPath], "baseline", o.load);
  const bar = progressBar(`${o.plan.name} seed ${o.seed}`, o.progress && process.stderr.isTTY === true);
  const stop = new StopRequest();
  const executed = await whileStoppable(stop, () => executeRunYielding({ run: resolved, seed: o.seed, dbPath: o.dbPath, onProgress: (f) => bar.update(f), stop })).finally(() => bar.stop());
  process.stdout.write(formatSummary(executed.summary, { wallMs: executed.wallMs, dbPath: o.dbPath, ...(executed.runId !== undefined ? { runId: executed.runId } : {}) }) + "\n");
  if (o.lifecycles !== undefined && executed.runId !== undefined) process.stdout.write(lifecycleReport(o.lifecycles, o.dbPath, executed.runId).join("\n") + "\n");
  const failed = executed.summary.expectations.filter((e) => !e.passed).map((e) => e.name);
  if (failed.length > 0) throw new ExpectationFailed([{ variant: "baseline", seed: o.seed, expectations: failed }]);
  return exitOk;
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
    rows.map((r) => [terminalSafe(r.owner), String(r.tracePods), String(r.twinPods), ms(r.startDeltaMsMedian, true), ms(r.startDeltaMsMin, true), ms(r.startDeltaMsMax, true), ms(r.traceRunMsMedian), ms(r.twinRunMsMedian)]),
  );
  return ["", "Pod lifecycles, trace vs twin (start Δ = twin − trace over pods paired in start order; run = start → end, median):", ...table];
}
