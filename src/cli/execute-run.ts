/**
 * One logged run: opens the log (if any), records the run row, runs, stores the summary. Used by
 * `run` and by each compare worker. The run advances in batches of events; between two batches a
 * stop request (SIGINT/SIGTERM, stop-signal.ts) ends it at that event boundary. However a run
 * ends early — interrupted, a broken invariant, a crash, a full disk — what its sink had appended
 * is flushed if it still can be, the run is marked (`interrupted` or `failed` with the error, and
 * the number of records really stored), and the CLI's tagged error is thrown with a note saying so.
 */
import { canonicalJson } from "../model/canonical.ts";
import { formatDurationMs } from "../model/units.ts";
import { SqliteLog, type SqliteSink } from "../log/sqlite-log.ts";
import { MemorySink } from "../log/memory-sink.ts";
import { TailSink } from "../log/tail-sink.ts";
import { ScenarioRun } from "../sim/run.ts";
import type { RunSummary } from "../sim/summary.ts";
import { codeVersion } from "./code-version.ts";
import { BadInput, Interrupted, InvariantBroken, toCliError, withNote, type CliError, type RunContext } from "./exit-codes.ts";
import type { ResolvedRun } from "./load-plan.ts";
import { reproduceCommand } from "./reproduce.ts";
import type { StopRequest } from "./stop-signal.ts";

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
  /** Read between batches of events: once set, the run stops there and is marked interrupted. */
  stop?: StopRequest;
}

export interface Executed {
  summary: RunSummary;
  runId?: number;
  wallMs: number;
}

/** Events run between two looks at the stop request (a few milliseconds of work). */
const stepBatch = 20_000;

export function runContextOf(o: { run: Pick<ResolvedRun, "source" | "variant" | "loadFlags">; seed: number; stepsMax?: number | undefined }): RunContext {
  return { seed: o.seed, variant: o.run.variant, command: reproduceCommand(o.run.source, o.seed, o.run.variant, o.stepsMax, o.run.loadFlags) };
}

function openLog(dbPath: string): SqliteLog {
  if (dbPath === "") throw new BadInput('--db: expected a file name, got ""');
  return SqliteLog.open(dbPath, { create: true });
}

/** Runs to the end without yielding (compare workers: the stop request arrives through shared memory). */
export function executeRun(o: ExecuteOptions): Executed {
  const steps = executeSteps(o);
  for (let next = steps.next(); ; next = steps.next()) if (next.done === true) return next.value;
}

/** Runs to the end, yielding to the event loop between batches so that a signal can be heard (`run`). */
export async function executeRunYielding(o: ExecuteOptions): Promise<Executed> {
  const steps = executeSteps(o);
  for (let next = steps.next(); ; next = steps.next()) {
    if (next.done === true) return next.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function* executeSteps(o: ExecuteOptions): Generator<undefined, Executed, undefined> {
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
    }, o.run.storedPlan);
    const logged = log && runId !== undefined ? { log, runId, sink: log.sinkForRun(runId) } : undefined;
    const sink = new TailSink(logged?.sink ?? new MemorySink({ keepRecords: false }), 10);
    const started = performance.now();
    let run: ScenarioRun | undefined;
    try {
      const stepsMax = o.stepsMax ?? o.run.eventsMax;
      const eventsLimit = o.stepsMax === undefined && o.run.eventsMax !== undefined;
      run = new ScenarioRun(plan, {
        seed: o.seed,
        variant,
        sink,
        ...(stepsMax !== undefined ? { stepsMax } : {}),
        ...(eventsLimit ? { stepsMaxNote: "the events limit (raise it with --limit events=…)" } : {}),
        ...(o.onProgress ? { onProgress: o.onProgress } : {}),
        ...(o.recountEvery ? { recountEvery: o.recountEvery } : {}),
      });
      while (!run.advance(stepBatch)) {
        stopIfRequested(o, run.nowMs);
        yield;
        stopIfRequested(o, run.nowMs);
      }
      const result = run.finish();
      const s = result.summary;
      logged?.log.finishRun(logged.runId, { status: "done", summary: JSON.stringify(s) });
      return { summary: s, wallMs: performance.now() - started, ...(runId !== undefined ? { runId } : {}) };
    } catch (e) {
      const error = toCliError(e, runContextOf(o));
      const failed = error instanceof InvariantBroken ? new InvariantBroken(error.message, error.run, sink.tail()) : error;
      throw withNote(failed, logged ? markEnded(logged, failed) : undefined);
    }
  } finally {
    log?.close();
  }
}

function stopIfRequested(o: ExecuteOptions, nowMs: number): void {
  const signal = o.stop?.requested();
  if (signal !== undefined) throw new Interrupted(signal, `stopped at ${formatDurationMs(nowMs)} of ${formatDurationMs(o.run.plan.durationMs)} virtual time`);
}

/** The error as the run's row keeps it: one line. */
function errorText(e: CliError): string {
  switch (e._tag) {
    case "Interrupted":
      return `interrupted by ${e.signal}: ${e.message}`;
    case "InvariantBroken":
      return `invariant broken: ${e.message}`;
    case "InternalError":
      return e.origin === "environment" ? (e.original as Error).message : `internal error: ${e.message}`;
    default:
      return e.message;
  }
}

/**
 * Flushes what the sink still holds (nothing once a flush failed: what is stored stays a checked
 * prefix) and marks the run; returns what the user is told about it.
 */
function markEnded(logged: { log: SqliteLog; runId: number; sink: SqliteSink }, failed: CliError): string {
  const { log, runId, sink } = logged;
  try {
    sink.finish();
  } catch {
    // the disk is full or the log locked: the last flush stands
  }
  const status = failed._tag === "Interrupted" ? "interrupted" : "failed";
  const kept = `${sink.flushedCount} record${sink.flushedCount === 1 ? "" : "s"} kept`;
  try {
    log.finishRun(runId, { status, error: errorText(failed) });
    return `run ${runId} in ${log.path} marked ${status}, ${kept}`;
  } catch {
    return `run ${runId} in ${log.path} could not be marked ${status} (readers report it incomplete), ${kept}`;
  }
}
