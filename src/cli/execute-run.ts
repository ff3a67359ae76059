/**
 * One logged run: opens the log (if any), records the run row, runs, stores the summary. Used by
 * `run` and by each compare worker. An invariant failure marks the run and is rethrown with the
 * context needed to reproduce it.
 */
import { canonicalJson } from "../model/canonical.ts";
import { InvariantError } from "../model/assert.ts";
import { SqliteLog } from "../log/sqlite-log.ts";
import { MemorySink } from "../log/memory-sink.ts";
import type { LogRecord } from "../log/record.ts";
import { TailSink } from "../log/tail-sink.ts";
import type { EventSink } from "../log/sink.ts";
import { applyVariant, type ScenarioPlan } from "../sim/plan.ts";
import { runScenario } from "../sim/run.ts";
import type { RunSummary } from "../sim/summary.ts";
import { codeVersion } from "./code-version.ts";

export interface ExecuteOptions {
  plan: ScenarioPlan;
  scenarioFile: string;
  seed: number;
  variant: string;
  dbPath?: string;
  onProgress?: (fraction: number) => void;
  /** Events (engine steps) the run may execute: `--limit events`. */
  eventsMax?: number;
  /** Loading flags the reproduce command must repeat (load-plan.ts loadFlags). */
  loadFlags?: readonly string[];
}

export interface Executed {
  summary: RunSummary;
  runId?: number;
  wallMs: number;
}

export class RunInvariantError extends Error {
  override name = "RunInvariantError";
  readonly seed: number;
  readonly variant: string;
  readonly atMs: number;
  readonly lastRecords: LogRecord[];
  readonly command: string;
  constructor(cause: InvariantError, o: ExecuteOptions, lastRecords: LogRecord[]) {
    super(cause.message);
    this.seed = o.seed;
    this.variant = o.variant;
    this.lastRecords = lastRecords;
    this.atMs = lastRecords.at(-1)?.atMs ?? 0;
    this.command = reproduceCommand(o.scenarioFile, o.seed, o.variant, o.loadFlags);
  }
}

export function reproduceCommand(scenarioFile: string, seed: number, variant: string, loadFlags: readonly string[] = []): string {
  return [`npx kubetwin run ${scenarioFile} --seed ${seed} --variant ${variant}`, ...loadFlags].join(" ");
}

export function executeRun(o: ExecuteOptions): Executed {
  const log = o.dbPath !== undefined ? SqliteLog.open(o.dbPath, { create: true }) : undefined;
  try {
    const plan = applyVariant(o.plan, o.variant);
    const runId = log?.createRun({
      scenario: plan.name,
      scenarioHash: plan.sourceHash,
      seed: o.seed,
      variant: o.variant,
      parameters: canonicalJson(plan.parameters),
      codeVersion: codeVersion(),
      durationMs: plan.durationMs,
      createdWall: new Date().toISOString(),
    });
    const inner: EventSink = log && runId !== undefined ? log.sinkForRun(runId) : new MemorySink({ keepRecords: false });
    const sink = new TailSink(inner, 10);
    const started = performance.now();
    try {
      const result = runScenario(o.plan, { seed: o.seed, variant: o.variant, sink, ...(o.onProgress ? { onProgress: o.onProgress } : {}), ...(o.eventsMax !== undefined ? { stepsMax: o.eventsMax } : {}) });
      const wallMs = performance.now() - started;
      const s = result.summary;
      if (log && runId !== undefined) {
        log.finishRun(runId, { status: "done", fingerprint: s.fingerprint, eventCount: s.eventCount, summary: JSON.stringify(s) });
      }
      return { summary: s, wallMs, ...(runId !== undefined ? { runId } : {}) };
    } catch (e) {
      if (!(e instanceof InvariantError)) throw e;
      if (log && runId !== undefined) {
        inner.finish();
        log.finishRun(runId, { status: "invariant", fingerprint: "", eventCount: 0, summary: JSON.stringify({ error: e.message }) });
      }
      throw new RunInvariantError(e, o, sink.tail());
    }
  } finally {
    log?.close();
  }
}
