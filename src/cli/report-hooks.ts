/** Bridges `run --report` / `compare --report` to the report module. */
import type { RunSummary } from "../sim/summary.ts";
import { UsageError } from "./exit-codes.ts";

export function writeRunReportFile(dbPath: string | undefined, runId: number | undefined, _summary: RunSummary, out: string): void {
  if (dbPath === undefined || runId === undefined) throw new UsageError(`--report ${out} needs the SQLite log (drop --no-db)`);
  throw new UsageError("reports are not available yet");
}

export function writeComparisonReportFile(_result: unknown, out: string): void {
  throw new UsageError(`reports are not available yet (${out})`);
}
