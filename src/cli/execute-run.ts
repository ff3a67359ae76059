/**
 * One logged run: opens the log (if any), records the run row, runs, stores the summary. Used by
 * `run` and by each compare worker. A failure marks the run (with the number of records it really
 * wrote) and is rethrown as the CLI's tagged error with the command that reproduces it.
 */
import { canonicalJson } from "../model/canonical.ts";
import { SqliteLog } from "../log/sqlite-log.ts";
import { MemorySink } from "../log/memory-sink.ts";
import { TailSink } from "../log/tail-sink.ts";
import { FingerprintingSink, type EventSink } from "../log/sink.ts";
import { runResolvedPlan } from "../sim/run.ts";
import type { RunSummary } from "../sim/summary.ts";
import { codeVersion } from "./code-version.ts";
import { BadInput, InvariantBroken, toCliError, type RunContext } from "./exit-codes.ts";
import type { ResolvedRun } from "./load-plan.ts";
import { reproduceCommand } from "./reproduce.ts";

export interface ExecuteOptions {
  /** The variant, resolved once (resolveRun) for every seed it runs on. */
  run: ResolvedRun;
  seed: number;
  dbPath?: string;
  /** The engine's step limit (default: the simulator's); reaching it is a broken invariant. */
  stepsMax?: number;
  onProgress?: (fraction: number) => void;
  /** The scheduler's recount mode (KUBETWIN_RECOUNT, recount-env.ts); 0 or unset: off. */
  recountEvery?: number;
}

export interface Executed {
  summary: RunSummary;
  runId?: number;
  wallMs: number;
}

export function runContextOf(o: { run: Pick<ResolvedRun, "scenarioFile" | "variant" | "loadFlags">; seed: number; stepsMax?: number | undefined }): RunContext {
  return { seed: o.seed, variant: o.run.variant, command: reproduceCommand(o.run.scenarioFile, o.seed, o.run.variant, o.stepsMax, o.run.loadFlags) };
}

function openLog(dbPath: string): SqliteLog {
  if (dbPath === "") throw new BadInput('--db: expected a file name, got ""');
  return SqliteLog.open(dbPath, { create: true });
}

export function executeRun(o: ExecuteOptions): Executed {
  const log = o.dbPath !== undefined ? openLog(o.dbPath) : undefined;
  try {
    const { plan, variant } = o.run;
    const runId = log?.createRun({
      scenario: plan.name,
      scenarioHash: plan.sourceHash,
      seed: o.seed,
      variant,
      parameters: canonicalJson(plan.parameters),
      codeVersion: codeVersion(),
      durationMs: plan.durationMs,
      createdWall: new Date().toISOString(),
    });
    const inner: EventSink & FingerprintingSink = log && runId !== undefined ? log.sinkForRun(runId) : new MemorySink({ keepRecords: false });
    const sink = new TailSink(inner, 10);
    const started = performance.now();
    try {
      const result = runResolvedPlan(plan, {
        seed: o.seed,
        variant,
        sink,
        ...((o.stepsMax ?? o.run.eventsMax) !== undefined ? { stepsMax: (o.stepsMax ?? o.run.eventsMax) as number } : {}),
        ...(o.onProgress ? { onProgress: o.onProgress } : {}),
        ...(o.recountEvery ? { recountEvery: o.recountEvery } : {}),
      });
      const wallMs = performance.now() - started;
      const s = result.summary;
      if (log && runId !== undefined) {
        log.finishRun(runId, { status: "done", fingerprint: s.fingerprint, eventCount: s.eventCount, summary: JSON.stringify(s) });
      }
      return { summary: s, wallMs, ...(runId !== undefined ? { runId } : {}) };
    } catch (e) {
      const error = toCliError(e, runContextOf(o));
      const failed = error instanceof InvariantBroken ? new InvariantBroken(error.message, error.run, sink.tail()) : error;
      if (log && runId !== undefined) {
        inner.finish();
        const status = failed._tag === "InvariantBroken" ? "invariant" : "failed";
        log.finishRun(runId, { status, fingerprint: "", eventCount: inner.count, summary: JSON.stringify({ error: failed.message }) });
      }
      throw failed;
    }
  } finally {
    log?.close();
  }
}
