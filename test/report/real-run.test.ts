/** The run report of a real `kubetwin run`: the figures it shows agree with the run's own summary. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteLog } from "../../src/log/sqlite-log.ts";
import type { RunReportData } from "../../src/report/run-data.ts";
import { parseRunSummary, type RunSummary } from "../../src/report/run-summary.ts";
import { loadRunReportData, writeRunReport } from "../../src/report/write-report.ts";
import { runRealScenario } from "./real-run.ts";

let dir: string;
let dbPath: string;
let data: RunReportData;
let summary: RunSummary & { latency?: { boundMs: unknown; runningMs: unknown } };
let metricTimes: number[];
let printed: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kubetwin-real-"));
  dbPath = join(dir, "log.db");
  printed = runRealScenario(dbPath);
  const log = SqliteLog.open(dbPath, { create: false });
  const run = log.run(log.latestRunId()!)!;
  summary = parseRunSummary(run.summary, "real run") as typeof summary;
  metricTimes = log.metricSeries(run.id, "pods.ready").map((s) => s.atMs);
  log.close();
  data = loadRunReportData(dbPath, undefined);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("report of a real run (zone-outage, seed 7)", () => {
  it("states the run's scenario, seed, variant, fingerprint and expectations", () => {
    expect(data.header.scenario).toBe("zone-outage");
    expect(data.header.seed).toBe(7);
    expect(data.header.fingerprint).toBe(summary.fingerprint);
    expect(data.header.eventCount).toBe(summary.eventCount);
    expect(data.header.expectations).toEqual(summary.expectations);
  });

  it("marks the scenario's faults at the times the summary gives", () => {
    expect(data.faults).toEqual(summary.faults);
    expect(data.faults.map((f) => f.atMs)).toEqual([900_000, 2_100_000]);
  });

  it("computes the same scheduling latency percentiles as the run summary", () => {
    const { count, p50, p90, p99, max } = data.latency.bound;
    expect(summary.latency?.boundMs).toEqual({ count, p50, p90, p99, max });
    const r = data.latency.running;
    expect(summary.latency?.runningMs).toEqual({ count: r.count, p50: r.p50, p90: r.p90, p99: r.p99, max: r.max });
  });

  it("charts the metric series on their sample times, one small multiple per workload", () => {
    expect(data.clusterCharts.find((c) => c.id === "pods")?.xs).toEqual(metricTimes);
    expect(data.workloadCharts.map((c) => c.title).sort()).toEqual((summary.workloads ?? []).map((w) => w.key).sort());
  });

  it("shows the latency table in the unit and with the numbers the CLI's summary prints", () => {
    const out = join(dir, "real-units.html");
    writeRunReport(dbPath, undefined, out);
    const html = readFileSync(out, "utf8");
    const reportUnit = html.match(/<th>from creation \(([^)]*)\)<\/th>/)?.[1];
    const cliUnit = printed.match(/^ {2}from creation \((\S+)\)/m)?.[1];
    expect(reportUnit).toBeDefined();
    expect(reportUnit).toBe(cliUnit);
    const cliRunning = printed.match(/^ {2}created → running +(\S+) +(\S+) +(\S+) +(\S+) +(\d+)$/m)?.slice(1);
    const cells = [...(html.match(/<tr><td>→ running<\/td>([\s\S]*?)<\/tr>/)?.[1] ?? "").matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(cells).toEqual([cliRunning?.[4], ...(cliRunning?.slice(0, 4) ?? [])]);
  });

  it("writes the report file", () => {
    const out = join(dir, "real.html");
    writeRunReport(dbPath, undefined, out);
    expect(readFileSync(out, "utf8")).toContain("zone-b loses power");
  });
});
