/**
 * A compare worker thread: started once per compare, it receives every variant already resolved
 * (plain data, no file path to load again), then runs the batches of (variant, seed) jobs it is
 * sent, posting each outcome as it finishes and a `batchDone` after each batch.
 */
import { parentPort } from "node:worker_threads";
import { executeRun, runContextOf } from "../execute-run.ts";
import { toCliError } from "../exit-codes.ts";
import { encodeJobError } from "./job-error.ts";
import type { FromWorker, ToWorker, WorkerInit } from "./messages.ts";
import { outcomeOf } from "./run-metrics.ts";
import { recountEveryFromEnv } from "../recount-env.ts";
import { StopRequest } from "../stop-signal.ts";

let init: WorkerInit | undefined;
const recountEvery = recountEveryFromEnv(process.env);

function post(m: FromWorker): void {
  parentPort?.postMessage(m);
}

parentPort?.on("message", (m: ToWorker) => {
  if (m.kind === "init") {
    init = m.init;
    return;
  }
  if (m.kind === "stop") {
    parentPort?.close();
    return;
  }
  const setup = init as WorkerInit;
  const stop = setup.stop !== undefined ? new StopRequest(setup.stop) : undefined;
  for (const job of m.jobs) {
    if (stop?.requested() !== undefined) break; // asked to stop: start nothing new
    const run = setup.runs[job.variant];
    if (run === undefined) throw new Error(`compare worker: no resolved run for variant ${job.variant}`);
    try {
      const executed = executeRun({ run, seed: job.seed, recountEvery, ...(setup.dbPath !== null ? { dbPath: setup.dbPath } : {}), ...(stop ? { stop } : {}) });
      post({ kind: "outcome", outcome: outcomeOf(job.variant, job.seed, executed.summary, executed.runId) });
    } catch (e) {
      post({ kind: "failed", job, error: encodeJobError(toCliError(e, runContextOf({ run, seed: job.seed }))) });
      break; // the rest of the batch is not run: compare stops handing out work
    }
  }
  post({ kind: "batchDone" });
});
