/**
 * A compare job's failure crosses the worker boundary as plain data (structured clone drops class
 * prototypes) and becomes the same tagged error again on the main thread.
 */
import type { LogRecord } from "../../log/record.ts";
import { BadInput, IntegrityFailed, InternalError, Interrupted, InvariantBroken, type CliError, type RunContext, type StopSignal } from "../exit-codes.ts";

export interface JobErrorData {
  tag: CliError["_tag"];
  /** For an internal error, the original exception's name and message. */
  name: string;
  message: string;
  run: RunContext | null;
  lastRecords: LogRecord[];
  stack: string | null;
  origin: "bug" | "environment";
  note: string | null;
  signal: StopSignal | null;
}

export function encodeJobError(e: CliError): JobErrorData {
  const run = "run" in e && e.run !== undefined ? e.run : null;
  const original = e instanceof InternalError && e.original instanceof Error ? e.original : e;
  return {
    tag: e._tag, name: original.name, message: original.message, run, lastRecords: e instanceof InvariantBroken ? e.lastRecords : [], stack: original.stack ?? null,
    origin: e instanceof InternalError ? e.origin : "bug", note: "note" in e && e.note !== undefined ? e.note : null, signal: e instanceof Interrupted ? e.signal : null,
  };
}

export function decodeJobError(d: JobErrorData): CliError {
  const run = d.run ?? undefined;
  const note = d.note ?? undefined;
  switch (d.tag) {
    case "BadInput":
      return new BadInput(d.message);
    case "InvariantBroken":
      return new InvariantBroken(d.message, run, d.lastRecords, note);
    case "IntegrityFailed":
      return new IntegrityFailed(d.message);
    case "Interrupted":
      return new Interrupted(d.signal ?? "SIGINT", d.message);
    case "ExpectationFailed":
    case "InternalError": {
      const original = new Error(d.message);
      original.name = d.name;
      if (d.stack !== null) original.stack = d.stack;
      return new InternalError(original, run, d.origin, note);
    }
  }
}
