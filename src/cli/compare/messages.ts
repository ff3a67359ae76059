/** What compare's main thread and its worker threads say to each other (structured-cloned data). */
import type { ResolvedRun } from "../load-plan.ts";
import type { JobErrorData } from "./job-error.ts";
import type { RunOutcome } from "./run-metrics.ts";

export interface PoolJob {
  variant: string;
  seed: number;
}

export interface WorkerInit {
  /** Variant name → its resolved run (structured-cloned into the worker once). */
  runs: Record<string, ResolvedRun>;
  dbPath: string | null;
  /** The stop request (stop-signal.ts), shared with the main thread; absent: never stopped. */
  stop?: SharedArrayBuffer;
}

export type ToWorker = { kind: "init"; init: WorkerInit } | { kind: "jobs"; jobs: PoolJob[] } | { kind: "stop" };
export type FromWorker = { kind: "outcome"; outcome: RunOutcome } | { kind: "failed"; job: PoolJob; error: JobErrorData } | { kind: "batchDone" };
