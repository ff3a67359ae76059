/**
 * `import … -o FILE.db`: the imported scenario runs as `kubetwin run` runs one (resolveRun, then
 * runResolved: the same log, progress, stop handling, summary and exit codes), then the twin's
 * pods are read back from the run's own records: beside a SimKube trace's pod lifecycles, and
 * against the recording's replica changes (how long until that many pods ran).
 */
import { compareLifecycles } from "../import/lifecycle-comparison.ts";
import { initialReplicasOf, scaleFollow } from "../import/scale-follow.ts";
import type { TimelineScenario } from "../import/timeline-scenario.ts";
import type { OwnerLifecycles } from "../import/simkube-trace.ts";
import type { TwinPod } from "../import/twin-pod-lifecycles.ts";
import type { ScenarioPlan } from "../sim/plan.ts";
import type { LoadOptions } from "../scenario/load.ts";
import type { Executed } from "./execute-run.ts";
import { resolveRun } from "./load-plan.ts";
import { lifecycleTable, scaleReport, twinPods } from "./pod-comparison-report.ts";
import { runResolved } from "./run-command.ts";

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

function lifecycleReport(source: LifecycleSource, twin: ReadonlyMap<string, readonly TwinPod[]>): string[] {
  if (source.trace.length === 0) return ["", "Pod lifecycles: the trace records none (its tracer config tracks no lifecycles), nothing to compare"];
  return lifecycleTable(compareLifecycles(source.trace, source.originS, twin), "trace");
}
