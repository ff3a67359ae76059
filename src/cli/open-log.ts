/**
 * How the reading commands (digest, replay, report, serve) open a log and choose a run: read-only,
 * the run checked before it is used, and a run that did not finish refused unless the user says
 * --allow-incomplete. Without --run the latest complete run is taken and named on stderr.
 */
import { LogCorruptError } from "../log/log-errors.ts";
import { describeIncomplete, isComplete } from "../log/run-status.ts";
import { checkSeal, snapshotProblems } from "../log/run-verify.ts";
import { SqliteLog, type RunRow } from "../log/sqlite-log.ts";
import { terminalSafe } from "../scenario/terminal-text.ts";
import { BadInput, IntegrityFailed, toCliError } from "./exit-codes.ts";

export const allowIncompleteHelp = `  --allow-incomplete  read a run that did not finish (still running, incomplete, interrupted
                    or failed): what it logged, said so in the output`;

export function openExistingLog(path: string): SqliteLog {
  if (path === "") throw new BadInput('expected a database file name, got ""');
  try {
    return SqliteLog.openReadOnly(path);
  } catch (e) {
    throw toCliError(e);
  }
}

export interface PickOptions {
  /** The command, for the notes on stderr ("digest", "replay", …). */
  command: string;
  allowIncomplete: boolean;
}

export interface Picked {
  run: RunRow;
  /** What to tell the user on stderr: which run was taken, that it is incomplete. */
  notes: string[];
}

/** The run as the notes name it; the log's text is escaped for the terminal (a log may have been edited). */
function about(run: RunRow): string {
  return terminalSafe(`${run.scenario}, variant ${run.variant}, seed ${run.seed}`);
}

function incomplete(run: RunRow): string {
  return terminalSafe(describeIncomplete(run));
}

function parseRunId(runText: string): number {
  if (!/^\d+$/.test(runText)) throw new BadInput(`--run: expected a run id (integer), got "${runText}"`);
  return Number(runText);
}

/** The run to read: the one named, or the latest complete one; refuses a run that did not finish unless allowed. */
export function pickRun(log: SqliteLog, path: string, runText: string | undefined, o: PickOptions): Picked {
  const runs = log.runs();
  const notes: string[] = [];
  let run: RunRow | undefined;
  if (runText !== undefined) {
    const id = parseRunId(runText);
    run = runs.find((r) => r.id === id);
    if (run === undefined) throw new BadInput(`${path}: no run ${id} (runs: ${runs.length === 0 ? "none" : runs.map((r) => r.id).join(", ")})`);
  } else {
    if (runs.length === 0) throw new BadInput(`${path}: holds no runs`);
    const complete = runs.filter(isComplete);
    run = complete.at(-1) ?? (o.allowIncomplete ? runs.at(-1) : undefined);
    if (run === undefined) {
      const last = runs.at(-1) as RunRow;
      throw new BadInput(`${path}: holds no complete run (the latest, run ${last.id}, is ${incomplete(last)}); name one with --run ID and --allow-incomplete`);
    }
    const skipped = runs.filter((r) => r.id > (run as RunRow).id && !isComplete(r)).map((r) => r.id);
    const which = runs.length === 1 ? "the only run in the log" : `the latest ${isComplete(run) ? "complete run" : "run"} of ${runs.length}`;
    const later = skipped.length > 0 ? ` (later run${skipped.length > 1 ? "s" : ""} ${skipped.join(", ")} did not finish)` : "";
    notes.push(`${o.command}: run ${run.id} (${about(run)}) — ${which}${later}; another with --run ID`);
  }
  if (!isComplete(run)) {
    if (!o.allowIncomplete) throw new BadInput(`${path}: run ${run.id} is ${incomplete(run)}; pass --allow-incomplete to read what it logged`);
    notes.push(`${o.command}: run ${run.id} is ${incomplete(run)}; reading it anyway (--allow-incomplete)`);
  }
  return { run, notes };
}

/** The run's seal (run-verify.ts): its row, snapshots, metrics and chain end match what was written. */
export function checkRun(log: SqliteLog, path: string, run: RunRow): void {
  const problems = checkSeal(log, run.id);
  if (problems.length > 0) throw new IntegrityFailed(`${path}: run ${run.id}: ${problems.join("; ")}`);
}

/** Every snapshot of the run against its digest: for a reader that vouches for the whole run (report); replay checks the one it uses. */
export function checkSnapshots(log: SqliteLog, path: string, run: RunRow): void {
  const problems = snapshotProblems(log, run.id);
  if (problems.length > 0) throw new IntegrityFailed(`${path}: run ${run.id}: ${problems.join("; ")}`);
}

/** Runs a read of one run, naming the log and the run in a damage report that does not yet. */
export function readingRun<T>(path: string, run: RunRow, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof LogCorruptError && e.runId === undefined) throw new IntegrityFailed(`${path}: run ${run.id}: ${e.message}`);
    throw e;
  }
}

/** Opens, picks, checks: the start of every reading command. The caller closes the log. */
export function openRun(path: string, runText: string | undefined, o: PickOptions): { log: SqliteLog; run: RunRow } {
  const log = openExistingLog(path);
  try {
    const { run, notes } = pickRun(log, path, runText, o);
    checkRun(log, path, run);
    for (const n of notes) process.stderr.write(`${n}\n`);
    return { log, run };
  } catch (e) {
    log.close();
    throw e;
  }
}
