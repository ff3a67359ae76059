/** A compare worker thread: runs the (variant, seed) jobs it is sent and posts their outcomes. */
import { parentPort, workerData } from "node:worker_threads";
import { executeRun, runContextOf } from "../execute-run.ts";
import { toCliError } from "../exit-codes.ts";
import { loadPlan } from "../load-plan.ts";
import { encodeJobError } from "./job-error.ts";
import { outcomeOf } from "./run-metrics.ts";

interface WorkerInit {
  scenarioFile: string;
  dbPath: string | null;
}

interface Job {
  variant: string;
  seed: number;
}

const init = workerData as WorkerInit;
const plan = loadPlan(init.scenarioFile);

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
      ...(init.dbPath !== null ? { dbPath: init.dbPath } : {}),
    });
    parentPort?.postMessage({ ok: true, outcome: outcomeOf(job.variant, job.seed, executed.summary, executed.runId) });
  } catch (e) {
    parentPort?.postMessage({ ok: false, error: encodeJobError(toCliError(e, runContextOf({ scenarioFile: init.scenarioFile, seed: job.seed, variant: job.variant }))) });
  }
});
