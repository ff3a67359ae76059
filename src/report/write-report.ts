/**
 * Reports from an event log file: read through SqliteLog only, shape, render, then write the file
 * atomically (temporary file + rename), so bad input leaves nothing behind.
 */
import { lstatSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { LogOpenError, SqliteLog } from "../log/sqlite-log.ts";
import { shapeComparisonReport } from "./comparison-data.ts";
import { parseComparisonResult } from "./comparison-result.ts";
import { renderComparisonReportHtml } from "./comparison-report-html.ts";
import { ReportInputError } from "./report-input-error.ts";
import { defaultShapeOptions, shapeRunReport, type RunReportData, type RunReportSource, type ShapeOptions } from "./run-data.ts";
import { renderRunReportHtml } from "./run-report-html.ts";

export interface WrittenReport {
  outPath: string;
  bytes: number;
  /** The run or comparison the report is about. */
  id: number;
  /** What it is, in a few words ("quickstart, variant baseline, seed 3"). */
  about: string;
  /** How many runs (or comparisons) the log holds: says whether "the latest" was a choice. */
  ofCount: number;
  /** Set when what was drawn did not finish (--allow-incomplete): says what is missing. */
  incomplete?: string;
}

function openLog(logPath: string): SqliteLog {
  try {
    return SqliteLog.openReadOnly(logPath);
  } catch (e) {
    if (e instanceof LogOpenError) throw new ReportInputError(e.message);
    throw e;
  }
}

/** A run of an open log as a report source. */
export function sqliteRunSource(log: SqliteLog, runId: number, logPath = "event log"): RunReportSource {
  const run = log.run(runId);
  if (run === undefined) {
    const ids = log.runs().map((r) => r.id);
    throw new ReportInputError(`${logPath}: no run ${runId} (runs: ${ids.length === 0 ? "none" : ids.join(", ")})`);
  }
  return {
    run,
    records: () => log.records(runId),
    metricNames: () => log.metricNames(runId),
    metricSeries: (name) => log.metricSeries(runId, name),
  };
}

export function loadRunReportData(logPath: string, runId: number | undefined, options: ShapeOptions = defaultShapeOptions): RunReportData {
  return loadRunReport(logPath, runId, options).data;
}

function loadRunReport(logPath: string, runId: number | undefined, options: ShapeOptions): { data: RunReportData; runCount: number } {
  const log = openLog(logPath);
  try {
    const id = runId ?? log.latestRunId();
    if (id === undefined) throw new ReportInputError(`${logPath}: the log holds no runs`);
    const data = shapeRunReport(sqliteRunSource(log, id, logPath), options);
    return { data, runCount: log.runs().length };
  } finally {
    log.close();
  }
}

/** `kubetwin report <db> [--run ID] [--out FILE]`: the latest run when runId is undefined. */
export function writeRunReport(logPath: string, runId: number | undefined, outPath: string, options: ShapeOptions = defaultShapeOptions): WrittenReport {
  const { data, runCount } = loadRunReport(logPath, runId, options);
  const bytes = writeAtomically(outPath, renderRunReportHtml(data));
  const h = data.header;
  return { outPath, bytes, id: h.runId, about: `${h.scenario}, variant ${h.variant}, seed ${h.seed}`, ofCount: runCount };
}

/** What an incomplete comparison stored about itself (compare-command.ts). */
function incompleteOf(resultJson: string): { reason: string; seeds: number } {
  try {
    const r = JSON.parse(resultJson) as { incomplete?: { reason?: unknown }; seeds?: unknown };
    return { reason: String(r.incomplete?.reason ?? "a run did not finish"), seeds: Array.isArray(r.seeds) ? r.seeds.length : 0 };
  } catch {
    return { reason: "a run did not finish", seeds: 0 };
  }
}

/**
 * The latest complete comparison when comparisonId is undefined. An incomplete one (a run failed
 * or compare was interrupted) is refused unless allowIncomplete; then its statistics over the seeds
 * every variant finished are drawn, when there are two or more.
 */
export function writeComparisonReport(logPath: string, comparisonId: number | undefined, outPath: string, allowIncomplete = false): WrittenReport {
  const log = openLog(logPath);
  let html: string;
  let id: number;
  let about: string;
  let ofCount: number;
  let incomplete: string | undefined;
  try {
    const row = log.comparison(comparisonId, { allowIncomplete });
    const ids = log.comparisonIds();
    if (row === undefined) {
      throw new ReportInputError(
        comparisonId !== undefined
          ? `${logPath}: no comparison ${comparisonId} (comparisons: ${ids.length === 0 ? "none" : ids.join(", ")})`
          : ids.length > 0
            ? `${logPath}: the log holds no complete comparison (the latest, comparison ${ids.at(-1)}, is incomplete); name one with --comparison ID and --allow-incomplete`
            : `${logPath}: the log holds no comparisons (kubetwin compare … --db ${logPath} stores one)`,
      );
    }
    if (row.status === "incomplete") {
      const { reason, seeds } = incompleteOf(row.result);
      if (!allowIncomplete) throw new ReportInputError(`${logPath}: comparison ${row.id} is incomplete (${reason}); pass --allow-incomplete to draw the seeds every variant finished`);
      if (seeds < 2) throw new ReportInputError(`${logPath}: comparison ${row.id} is incomplete (${reason}) and fewer than two seeds finished for every variant: nothing to compare`);
      incomplete = `comparison ${row.id} is incomplete (${reason}); drawn from the ${seeds} seeds every variant finished`;
    }
    const result = parseComparisonResult(row.result, `${logPath}: comparison ${row.id}`);
    id = row.id;
    about = `${result.scenario}, ${result.variants.join(" vs ")}, ${result.seeds.length} seeds, stored ${row.createdWall}`;
    ofCount = ids.length;
    html = renderComparisonReportHtml(shapeComparisonReport(result, row.id));
  } finally {
    log.close();
  }
  return { outPath, bytes: writeAtomically(outPath, html), id, about, ofCount, ...(incomplete !== undefined ? { incomplete } : {}) };
}

/** For `compare … --report FILE`: straight from the JSON `compare --json` prints. */
export function writeComparisonReportFromJson(resultJson: string, outPath: string, comparisonId: number | null = null): WrittenReport {
  const html = renderComparisonReportHtml(shapeComparisonReport(parseComparisonResult(resultJson, "comparison result"), comparisonId));
  return { outPath, bytes: writeAtomically(outPath, html), id: comparisonId ?? 0, about: "comparison result", ofCount: 1 };
}

/**
 * Where a report is written: the path itself, or — when the path is a symlink — the file it points
 * to (followed, so the link stays a link to the new report). Only a regular file is ever replaced:
 * a directory, a device (/dev/null), a FIFO or a dangling link is refused.
 */
function reportTarget(outPath: string): string {
  let link;
  try {
    link = lstatSync(outPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return outPath; // a new file (a missing folder fails at the write)
    throw new ReportInputError(`${outPath}: cannot be written (${code ?? (e as Error).message})`);
  }
  let target = outPath;
  if (link.isSymbolicLink()) {
    try {
      target = realpathSync(outPath);
    } catch {
      throw new ReportInputError(`${outPath}: is a symlink to a missing file; a report replaces only a regular file`);
    }
  }
  const stat = target === outPath ? link : statSync(target);
  if (stat.isDirectory()) throw new ReportInputError(`${outPath}: is a directory; a report replaces only a regular file`);
  if (!stat.isFile()) throw new ReportInputError(`${outPath}: is not a regular file (a device, a FIFO or a socket); a report replaces only a regular file`);
  return target;
}

/** Writes the whole text to a temporary file beside the target, then renames it over the target (reportTarget). */
export function writeAtomically(outPath: string, text: string): number {
  const target = reportTarget(outPath);
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    // the same error (its code decides the exit: a full disk, a read-only folder), naming the file
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== undefined) throw Object.assign(new Error(`${outPath}: ${(e as Error).message}`), { code });
    throw e;
  }
  return Buffer.byteLength(text);
}
