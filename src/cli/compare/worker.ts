/** A compare worker thread: runs the (variant, seed) jobs it is sent and posts their outcomes. */
import { parentPort, workerData } from "node:worker_threads";
import { executeRun } from "../execute-run.ts";
import { loadFlags, loadPlan } from "../load-plan.ts";
import type { LoadOptions } from "../../scenario/load.ts";
import { outcomeOf } from "./run-metrics.ts";

interface WorkerInit {
  scenarioFile: string;
  dbPath: string | null;
  load: LoadOptions;
}

interface Job {
  variant: string;
  seed: number;
}

const init = workerData as WorkerInit;
const plan = loadPlan(init.scenarioFile, init.load);

parentPort?.on("message", (job: Job | null) => {
  if (job === null) {
    parentPort?.close();
    return;
  }
  try {
    const executed = executeRun({
      plan,
      scenarioFile: init.scenarioFile,
      seed: job.seed,
      variant: job.variant,
      ...(init.load.limits !== undefined ? { eventsMax: init.load.limits.eventsMax } : {}),
      loadFlags: loadFlags(init.load),
      ...(init.dbPath !== null ? { dbPath: init.dbPath } : {}),
    });
    parentPort?.postMessage({ ok: true, outcome: outcomeOf(job.variant, job.seed, executed.summary, executed.runId) });
  } catch (e) {
    const err = e as Error & { command?: string };
    parentPort?.postMessage({ ok: false, variant: job.variant, seed: job.seed, error: `${err.name}: ${err.message}`, command: err.command ?? null });
  }
});
