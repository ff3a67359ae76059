/** Opens an existing event log and picks a run, with usage errors for every bad case. */
import { LogOpenError, SqliteLog, type RunRow } from "../log/sqlite-log.ts";
import { UsageError } from "./exit-codes.ts";

export function openExistingLog(path: string): SqliteLog {
  try {
    return SqliteLog.open(path, { create: false });
  } catch (e) {
    if (e instanceof LogOpenError) throw new UsageError(e.message);
    throw e;
  }
}

export function pickRun(log: SqliteLog, path: string, runText: string | undefined): RunRow {
  let id: number | undefined;
  if (runText !== undefined) {
    if (!/^\d+$/.test(runText)) throw new UsageError(`--run: expected a run id (integer), got "${runText}"`);
    id = Number(runText);
  } else id = log.latestRunId();
  if (id === undefined) throw new UsageError(`${path}: holds no runs`);
  const run = log.run(id);
  if (!run) throw new UsageError(`${path}: no run with id ${id} (runs: ${log.runs().map((r) => r.id).join(", ")})`);
  return run;
}
