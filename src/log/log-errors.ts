/**
 * What can go wrong with an event log file, as the log layer sees it. The CLI maps each class to
 * its exit code (src/cli/exit-codes.ts); messages name the file and say what is wrong in one line.
 */

/** The file is not a kubetwin event log this kubetwin can use (missing, a folder, foreign, newer, locked, read-only). */
export class LogOpenError extends Error {
  override name = "LogOpenError";
}

/** The database stayed locked by someone else for the whole wait. */
export class LogLockedError extends LogOpenError {
  override name = "LogLockedError";
}

/**
 * The log's content does not match what was written: an edited, missing or undecodable record,
 * chunk, snapshot or metric, or a damaged SQLite file. Names the run and the record when known.
 */
export class LogCorruptError extends Error {
  override name = "LogCorruptError";
  /** The run the damage was found in, when the message names it (with the file); undefined: the reader adds both. */
  readonly runId: number | undefined;
  constructor(message: string, runId?: number) {
    super(message);
    this.runId = runId;
  }
}

/** The disk (or the quota) is full: SQLite could not write. */
export class LogDiskFullError extends Error {
  override name = "LogDiskFullError";
}
