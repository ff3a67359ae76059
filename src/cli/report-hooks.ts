/** Bridges `run --report` / `compare --report` to the report module (exit 2 on bad input). */
import { ReportInputError, writeComparisonReportFromJson, writeRunReport } from "../report/index.ts";
import { UsageError } from "./exit-codes.ts";

function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ReportInputError) throw new UsageError(e.message);
    throw e;
  }
}

export function writeRunReportFile(dbPath: string | undefined, runId: number | undefined, out: string): string {
  if (dbPath === undefined || runId === undefined) throw new UsageError(`--report ${out} needs the SQLite log (drop --no-db)`);
  return asUsage(() => writeRunReport(dbPath, runId, out)).outPath;
}

export function writeComparisonReportFile(result: unknown, out: string, comparisonId?: number): string {
  return asUsage(() => writeComparisonReportFromJson(JSON.stringify(result), out, comparisonId ?? null)).outPath;
}

export function writeStoredRunReport(dbPath: string, runText: string | undefined, out: string): string {
  let runId: number | undefined;
  if (runText !== undefined) {
    if (!/^\d+$/.test(runText)) throw new UsageError(`--run: expected a run id (integer), got "${runText}"`);
    runId = Number(runText);
  }
  return asUsage(() => writeRunReport(dbPath, runId, out)).outPath;
}
