/**
 * The kubetwin command's one error model and its exit codes, in one place.
 *
 * Every failure a command can end with is one of six tagged errors (Effect-style: a class with a
 * literal `_tag`, matched exhaustively): the tag decides the exit code and how it is printed.
 *
 *   code     tag                meaning
 *   0        —                  ok: every expectation holds
 *   1        ExpectationFailed  a scenario expectation failed (run, compare)
 *   2        BadInput           bad input: one clear message, nothing written (a --db that is not a
 *                               usable event log, a locked one, a run that did not finish)
 *   3        InvariantBroken    a broken invariant or a runaway run: seed, time, last records, reproduce command
 *   3        IntegrityFailed    a logged run does not match what was written (edited, missing or
 *                               undecodable records, chunks, snapshots, metrics): names the log, run and part
 *   4        InternalError      an unexpected exception (a bug), or a full disk / I/O error: message, reproduce
 *                               command; stack only with KUBETWIN_DEBUG=1
 *   130/143  Interrupted        SIGINT / SIGTERM: the run stopped at an event boundary, flushed, marked
 *                               `interrupted` (128 + the signal's number, as shells report it)
 *
 * `vopr` reports its own failure classes (see voprExitCodes): 3 correctness, 4 liveness, 5 crash.
 */
import { LogCorruptError, LogDiskFullError, LogOpenError } from "../log/log-errors.ts";
import type { LogRecord } from "../log/record.ts";
import { InvariantError } from "../model/assert.ts";
import { formatDurationMs } from "../model/units.ts";

export const exitOk = 0;
export const exitExpectationFailed = 1;
export const exitBadInput = 2;
export const exitInvariantBroken = 3;
export const exitInternalError = 4;
/** 128 + the signal's number, as a shell reports a process the signal ended. */
export const exitInterrupted = { SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof exitInterrupted;

/** `kubetwin vopr`'s classes: the first failing seed decides. Exceptions outside the group are 4 as everywhere. */
export const voprExitCodes = { correctness: 3, liveness: 4, crash: 5 } as const;

/** Bad input from the user: printed as one message, exit code 2, nothing written. */
export class BadInput extends Error {
  readonly _tag = "BadInput";
  override name = "BadInput";
}

/** The former name of BadInput, kept so every command throws the same class. */
export { BadInput as UsageError };

/** One (variant, seed) run whose expectations did not all hold. */
export interface FailedRun {
  variant: string;
  seed: number;
  /** Names of the failed expectations. */
  expectations: string[];
}

/** Expectations failed: the output was printed; the message says which variant, seeds and expectations. */
export class ExpectationFailed extends Error {
  readonly _tag = "ExpectationFailed";
  override name = "ExpectationFailed";
  readonly runs: FailedRun[];
  constructor(runs: FailedRun[]) {
    super(describeFailedRuns(runs));
    this.runs = runs;
  }
}

/** Where a run was when something went wrong, to print the command that reproduces it. */
export interface RunContext {
  seed: number;
  variant: string;
  command: string;
}

/** A broken invariant (an `assert` in the core, or a run that reached its step limit). */
export class InvariantBroken extends Error {
  readonly _tag = "InvariantBroken";
  override name = "InvariantBroken";
  readonly run: RunContext | undefined;
  readonly atMs: number;
  readonly lastRecords: LogRecord[];
  /** What became of the run's log (marked failed, records kept), when it had one. */
  readonly note: string | undefined;
  constructor(message: string, run?: RunContext, lastRecords: LogRecord[] = [], note?: string) {
    super(message);
    this.run = run;
    this.lastRecords = lastRecords;
    this.atMs = lastRecords.at(-1)?.atMs ?? 0;
    this.note = note;
  }
}

/** A logged run does not match what was written: the message names the log, the run and what does not match. */
export class IntegrityFailed extends Error {
  readonly _tag = "IntegrityFailed";
  override name = "IntegrityFailed";
}

/** The command was asked to stop (SIGINT, SIGTERM); `message` says what was kept and how it is marked. */
export class Interrupted extends Error {
  readonly _tag = "Interrupted";
  override name = "Interrupted";
  readonly signal: StopSignal;
  constructor(signal: StopSignal, message: string) {
    super(message);
    this.signal = signal;
  }
}

/**
 * An unexpected exception: a bug in kubetwin (`origin: "bug"`), or the machine failing under a
 * correct program (`origin: "environment"`: a full disk, an I/O error) — same exit code, but the
 * message does not blame the code for a full disk.
 */
export class InternalError extends Error {
  readonly _tag = "InternalError";
  override name = "InternalError";
  readonly run: RunContext | undefined;
  readonly original: unknown;
  readonly origin: "bug" | "environment";
  /** What became of the run's log (marked failed, records kept), when it had one. */
  readonly note: string | undefined;
  constructor(original: unknown, run?: RunContext, origin: "bug" | "environment" = "bug", note?: string) {
    // a full disk says what happened; a bug says which exception it was
    super(original instanceof Error ? (origin === "environment" ? original.message : `${original.name}: ${original.message}`) : String(original));
    this.original = original;
    this.run = run;
    this.origin = origin;
    this.note = note;
  }
}

export type CliError = BadInput | ExpectationFailed | InvariantBroken | IntegrityFailed | InternalError | Interrupted;

export function exitCodeOf(e: CliError): number {
  switch (e._tag) {
    case "ExpectationFailed":
      return exitExpectationFailed;
    case "BadInput":
      return exitBadInput;
    case "InvariantBroken":
    case "IntegrityFailed":
      return exitInvariantBroken;
    case "InternalError":
      return exitInternalError;
    case "Interrupted":
      return exitInterrupted[e.signal];
  }
}

function isCliError(e: unknown): e is CliError {
  return e instanceof BadInput || e instanceof ExpectationFailed || e instanceof InvariantBroken || e instanceof IntegrityFailed || e instanceof InternalError || e instanceof Interrupted;
}

function errorCode(e: unknown): string {
  return e instanceof Error && "code" in e ? String(e.code) : "";
}

/** Classifies anything a command threw; what nobody anticipated is an internal error. */
export function toCliError(e: unknown, run?: RunContext): CliError {
  if (isCliError(e)) return e;
  if (e instanceof LogOpenError) return new BadInput(e.message);
  if (e instanceof LogCorruptError) return new IntegrityFailed(e.message);
  if (e instanceof LogDiskFullError) return new InternalError(new Error(e.message), run, "environment");
  const code = errorCode(e);
  const message = e instanceof Error ? e.message : String(e);
  // the database or the disk said no: the user's situation, not a bug (SQLite result codes, errno)
  if (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB") return new IntegrityFailed(`the event log is damaged (SQLite: ${message})`);
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return new BadInput(`the event log is locked by another process (${message})`);
  if (code === "SQLITE_READONLY" || code === "EROFS" || code === "EACCES" || code === "EPERM") return new BadInput(`cannot write: ${message}`);
  if (code === "SQLITE_FULL" || code === "ENOSPC" || code === "EDQUOT") return new InternalError(new Error(`disk full: ${message}`), run, "environment");
  if (code.startsWith("SQLITE_IOERR") || code === "EIO") return new InternalError(new Error(`I/O error: ${message}`), run, "environment");
  if (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS")) return new BadInput(e.message);
  if (e instanceof InvariantError) return new InvariantBroken(e.message, run);
  return new InternalError(e, run);
}

/** The same error with a note about what became of the log added to its text (after any note it had). */
export function withNote(e: CliError, note: string | undefined): CliError {
  if (note === undefined) return e;
  const joined = (old: string | undefined) => (old === undefined ? note : `${old}; ${note}`);
  switch (e._tag) {
    case "Interrupted":
      return new Interrupted(e.signal, `${e.message}; ${note}`);
    case "InvariantBroken":
      return new InvariantBroken(e.message, e.run, e.lastRecords, joined(e.note));
    case "InternalError":
      return new InternalError(e.original, e.run, e.origin, joined(e.note));
    case "BadInput":
      return new BadInput(`${e.message}; ${note}`);
    case "IntegrityFailed":
      return new IntegrityFailed(`${e.message}; ${note}`);
    case "ExpectationFailed":
      return e;
  }
}

/** The text printed on stderr for an error (nothing else is printed). */
export function formatCliError(e: CliError, debug: boolean): string {
  switch (e._tag) {
    case "BadInput":
      return `kubetwin: ${e.message}\n`;
    case "ExpectationFailed":
      return `kubetwin: ${e.message}\n`;
    case "IntegrityFailed":
      return `kubetwin: integrity check failed: ${e.message}\n`;
    case "Interrupted":
      return `kubetwin: interrupted (${e.signal}): ${e.message}\n`;
    case "InvariantBroken": {
      const lines = [`kubetwin: INVARIANT BROKEN: ${e.message}`];
      if (e.run) lines.push(`  seed ${e.run.seed}, variant ${e.run.variant}, virtual time ${formatDurationMs(e.atMs)}`);
      if (e.lastRecords.length > 0) lines.push("  last records:");
      for (const r of e.lastRecords) lines.push(`    #${r.seq} ${formatDurationMs(r.atMs)} ${r.kind} ${r.subject}`);
      if (e.note !== undefined) lines.push(`  logged: ${e.note}`);
      if (e.run) lines.push(`  reproduce with: ${e.run.command}`);
      return lines.join("\n") + "\n";
    }
    case "InternalError": {
      const lines = [e.origin === "bug" ? `kubetwin: INTERNAL ERROR (a bug in kubetwin): ${e.message}` : `kubetwin: ${(e.original as Error).message}`];
      if (e.run) lines.push(`  seed ${e.run.seed}, variant ${e.run.variant}`);
      if (e.note !== undefined) lines.push(`  logged: ${e.note}`);
      if (e.run) lines.push(`  reproduce with: ${e.run.command}`);
      const stack = e.original instanceof Error ? e.original.stack : undefined;
      if (debug && stack !== undefined) lines.push(stack);
      else lines.push("  (set KUBETWIN_DEBUG=1 for the stack trace)");
      return lines.join("\n") + "\n";
    }
  }
}

function seedList(seeds: number[]): string {
  return seeds.length <= 12 ? seeds.join(", ") : `${seeds.slice(0, 12).join(", ")} … (${seeds.length} seeds)`;
}

function describeFailedRuns(runs: FailedRun[]): string {
  const byVariant = new Map<string, { seeds: number[]; names: Set<string> }>();
  for (const r of runs) {
    const entry = byVariant.get(r.variant) ?? { seeds: [], names: new Set<string>() };
    entry.seeds.push(r.seed);
    for (const n of r.expectations) entry.names.add(n);
    byVariant.set(r.variant, entry);
  }
  const parts = [...byVariant].map(([v, e]) => `variant ${v} seed${e.seeds.length > 1 ? "s" : ""} ${seedList(e.seeds)} (${[...e.names].join(", ")})`);
  return `expectation failed: ${parts.join("; ")}`;
}
