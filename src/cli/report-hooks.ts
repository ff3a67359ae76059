/** Bridges `run --report` / `compare --report` to the report module (exit 2 on bad input). */
import { ReportInputError, writeComparisonReport, writeComparisonReportFromJson, writeRunReport, type WrittenReport } from "../report/index.ts";
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

function parseId(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag}: expected a ${flag.slice(2)} id (integer), got "${text}"`);
  return Number(text);
}

/** `kubetwin report <db>`: a stored run (the latest when runText is undefined). */
export function writeStoredRunReport(dbPath: string, runText: string | undefined, out: string): WrittenReport {
  const runId = parseId("--run", runText);
  return asUsage(() => writeRunReport(dbPath, runId, out));
}

/** `kubetwin report <db> --comparison ID`: a stored comparison, rendered again. */
export function writeStoredComparisonReport(dbPath: string, comparisonText: string | undefined, out: string, allowIncomplete = false): WrittenReport {
  const comparisonId = parseId("--comparison", comparisonText);
  return asUsage(() => writeComparisonReport(dbPath, comparisonId, out, allowIncomplete));
}
