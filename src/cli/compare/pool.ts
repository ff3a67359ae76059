/**
 * Runs compare's (variant, seed) jobs on worker threads. Workers are started once, before the
 * scenario is even resolved on the main thread (their start-up, mostly module loading, overlaps
 * it), receive the resolved runs once, then get jobs in batches so a job costs one message, not a
 * round trip. Results do not depend on how many workers there are: every job is an independent,
 * deterministic run, and the caller orders outcomes by variant and seed.
 */
import { Worker } from "node:worker_threads";
import type { CliError } from "../exit-codes.ts";
import { decodeJobError } from "./job-error.ts";
import type { FromWorker, PoolJob, ToWorker, WorkerInit } from "./messages.ts";
import type { RunOutcome } from "./run-metrics.ts";

export type { PoolJob, WorkerInit } from "./messages.ts";

/** A job that did not finish, with the tagged error it ended with. */
export interface JobFailure {
  job: PoolJob;
  error: CliError;
}

/** What a pool run produced: every finished run's outcome, and the jobs that failed (then work stopped). */
export interface PoolResult {
  outcomes: RunOutcome[];
  failures: JobFailure[];
}


/** Batches small enough to balance the load (about four per worker), never empty. */
export function batchSize(jobCount: number, workerCount: number): number {
  return Math.max(1, Math.ceil(jobCount / (workerCount * 4)));
}

export class WorkerPool {
  private readonly workers: Worker[];

  /** Starts `count` workers now; they idle until `run` sends them work. */
  constructor(count: number) {
    this.workers = Array.from({ length: count }, () => new Worker(new URL("./worker.ts", import.meta.url)));
  }

  /** Stops every worker (when the command ends early, e.g. on bad input). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /**
   * Runs every job; the first failure (or a stop request) stops handing out work. Runs already
   * finished stay logged, and each worker ends the job it was running when the others failed.
   */
  run(init: WorkerInit, jobs: PoolJob[], onDone: (finished: number) => void): Promise<PoolResult> {
    const size = batchSize(jobs.length, this.workers.length);
    const stopped = () => init.stop !== undefined && Atomics.load(new Int32Array(init.stop), 0) !== 0;
    return new Promise((resolve, reject) => {
      const outcomes: RunOutcome[] = [];
      let next = 0;
      const failures: JobFailure[] = [];
      let alive = this.workers.length;
      const feed = (worker: Worker): void => {
        if (failures.length === 0 && !stopped() && next < jobs.length) {
          worker.postMessage({ kind: "jobs", jobs: jobs.slice(next, next + size) } satisfies ToWorker);
          next += size;
        } else worker.postMessage({ kind: "stop" } satisfies ToWorker);
      };
      for (const worker of this.workers) {
        worker.on("message", (m: FromWorker) => {
          if (m.kind === "outcome") {
            outcomes.push(m.outcome);
            onDone(outcomes.length);
          } else if (m.kind === "failed") failures.push({ job: m.job, error: decodeJobError(m.error) });
          else feed(worker);
        });
        worker.on("error", (e) => {
          // an exception escaped a worker (a bug): stop the others, or they would wait for work forever
          void this.close();
          reject(e);
        });
        worker.on("exit", () => {
          if (--alive === 0) resolve({ outcomes, failures });
        });
        worker.postMessage({ kind: "init", init } satisfies ToWorker);
        feed(worker);
      }
    });
  }
}
