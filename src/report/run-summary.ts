/**
 * The decoder of the `runs.summary` JSON the runner writes at the end of a run (its shape:
 * src/log/run-summary.ts), read leniently: every field is optional, so a report still renders for
 * a run that stopped early or an older summary shape.
 */
import type { StoredRunSummary } from "../log/run-summary.ts";
import { ReportInputError } from "./report-input-error.ts";

export type { ExpectationResult, FaultSummary, WorkloadSummary } from "../log/run-summary.ts";

/** What a report reads of a stored summary: every field may be missing. */
export type RunSummary = Partial<StoredRunSummary>;

export function parseRunSummary(text: string | null, where: string): RunSummary {
  if (text === null || text === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ReportInputError(`${where}: run summary is not JSON (${(e as Error).message})`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new ReportInputError(`${where}: run summary is not an object`);
  const s = value as Record<string, unknown>;
  const out: RunSummary = { ...(s as RunSummary) };
  out.expectations = arrayOf(s.expectations, (e) => ({
    name: String(e.name ?? ""),
    kind: String(e.kind ?? ""),
    passed: e.passed === true,
    detail: String(e.detail ?? ""),
  }));
  out.faults = arrayOf(s.faults, (f) => ({ atMs: Number(f.atMs), fault: String(f.fault ?? ""), target: String(f.target ?? ""), label: String(f.label ?? "") }));
  out.workloads = arrayOf(s.workloads, (w) => ({
    key: String(w.key ?? ""),
    desired: Number(w.desired),
    ready: Number(w.ready),
    minReadyRatio: Number(w.minReadyRatio),
  }));
  return out;
}

function arrayOf<T>(value: unknown, map: (item: Record<string, unknown>) => T): T[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is Record<string, unknown> => v !== null && typeof v === "object").map(map);
}
