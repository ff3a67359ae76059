import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteLog } from "../../src/log/sqlite-log.ts";
import { decodeEventBlob } from "../../src/report/event-columns.ts";
import { distributionStats } from "../../src/report/percentiles.ts";
import { ReportInputError } from "../../src/report/report-input-error.ts";
import type { RunReportData } from "../../src/report/run-data.ts";
import { loadRunReportData, writeRunReport } from "../../src/report/write-report.ts";
import { smallSpec, writeSyntheticRun, type SyntheticTruth } from "./synthetic-log.ts";

let dir: string;
let dbPath: string;
let truth: SyntheticTruth;
let data: RunReportData;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kubetwin-report-"));
  dbPath = join(dir, "log.db");
  const log = SqliteLog.open(dbPath, { create: true });
  writeSyntheticRun(log, { ...smallSpec, seed: 1, variant: "other" });
  truth = writeSyntheticRun(log, smallSpec);
  log.close();
  data = loadRunReportData(dbPath, undefined);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("run report data", () => {
  it("takes the latest run by default and states its header facts", () => {
    expect(data.header.runId).toBe(truth.runId);
    expect(data.header.seed).toBe(smallSpec.seed);
    expect(data.header.variant).toBe("binpack");
    expect(data.header.eventCount).toBe(truth.eventCount);
    expect(data.header.expectations.map((e) => e.passed)).toEqual([true, false]);
    expect(data.header.fingerprint).toBe(truth.summary.fingerprint);
  });

  it("puts fault markers at the faults' virtual times", () => {
    expect(data.faults.map((f) => f.atMs)).toEqual(truth.faultTimesMs);
    expect(data.faults.map((f) => f.label)).toEqual(["zone-1 down", "zone-2 crash"]);
    expect(data.faults[0]?.target).toBe("zone/zone-1");
  });

  it("draws metric charts on the sampled virtual times", () => {
    const pods = data.clusterCharts.find((c) => c.id === "pods");
    expect(pods?.xs).toEqual(truth.metricTimesMs);
    expect(pods?.series.map((s) => s.label)).toEqual(["pending", "running", "ready", "failed", "terminating"]);
    const nodes = data.clusterCharts.find((c) => c.id === "nodes");
    expect(nodes?.series[0]?.values[0]).toBe(0);
    expect(Math.max(...(nodes?.series[0]?.values as number[]))).toBe(smallSpec.nodes);
    // the zone outage takes zone-1's nodes (every third) not-ready 40 s after the fault
    const idx = truth.metricTimesMs.indexOf(truth.faultTimesMs[0]! + 50_000);
    expect(nodes?.series[1]?.values[idx]).toBe(smallSpec.nodes / smallSpec.zones);
    expect(data.workloadCharts).toHaveLength(smallSpec.workloads);
    expect(data.workloadCharts.every((c) => c.series.map((s) => s.label).join() === "ready,desired")).toBe(true);
  });

  it("orders workloads with the lowest ready ratio first", () => {
    const ratio = (c: RunReportData["workloadCharts"][number]) =>
      Math.min(...c.xs.map((_, i) => ((c.series[0]?.values[i] as number) ?? 0) / ((c.series[1]?.values[i] as number) || 1)));
    const ratios = data.workloadCharts.map(ratio);
    expect([...ratios].sort((a, b) => a - b)).toEqual(ratios);
  });

  it("computes scheduling latency from the records", () => {
    expect(data.latency.bound).toEqual(distributionStats(truth.boundMs));
    expect(data.latency.running).toEqual(distributionStats(truth.runningMs));
    const h = data.latency.histogram;
    expect(h.bound.reduce((a, b) => a + b, 0)).toBe(truth.boundMs.length);
    expect(data.latency.windows.xs[0]).toBe(0);
    expect(data.latency.windows.xs.length * (data.latency.windows.xs[1] as number)).toBeGreaterThanOrEqual(smallSpec.durationMs);
  });

  it("embeds every record in the event table, the needle included", () => {
    const d = decodeEventBlob(gunzipSync(Buffer.from(data.events.blobBase64, "base64")));
    expect(d.header.count).toBe(truth.eventCount);
    const i = d.seq.indexOf(truth.needle.seq);
    expect(d.header.subjects[d.subject[i] as number]).toBe(truth.needle.subject);
    expect(d.header.payloads[d.payload[i] as number]).toContain(truth.needle.text);
    expect(d.header.payloads.filter((p) => p.includes(truth.needle.text))).toHaveLength(1);
  });

  it("writes one self-contained file that references nothing outside itself", () => {
    const out = join(dir, "run.html");
    const written = writeRunReport(dbPath, truth.runId, out);
    const html = readFileSync(out, "utf8");
    expect(written.bytes).toBe(Buffer.byteLength(html));
    expect(html).toContain("uPlot");
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    // no URL a browser could fetch (uPlot's licence comment names its home page)
    expect(html.replaceAll("https://github.com/leeoniya/uPlot", "")).not.toMatch(/https?:\/\//);
    // hostile text from the log is escaped, never markup
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});

describe("bad input", () => {
  const expectNothingWritten = (fn: (out: string) => void, message: RegExp) => {
    const out = join(dir, `never-${Math.random().toString(36).slice(2)}.html`);
    expect(() => fn(out)).toThrow(ReportInputError);
    expect(() => fn(out)).toThrow(message);
    expect(existsSync(out)).toBe(false);
  };

  it("rejects a missing database", () => {
    expectNothingWritten((out) => writeRunReport(join(dir, "missing.db"), undefined, out), /no such database/);
  });

  it("rejects a foreign SQLite database and a non-database file", () => {
    const foreign = join(dir, "foreign.db");
    writeFileSync(join(dir, "garbage.db"), "this is not sqlite at all, just text".repeat(50));
    expectNothingWritten((out) => writeRunReport(join(dir, "garbage.db"), undefined, out), /garbage\.db/);
    // a real SQLite file with someone else's tables
    const db = new DatabaseSync(foreign);
    db.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
    db.close();
    expectNothingWritten((out) => writeRunReport(foreign, undefined, out), /not a kubetwin event log/);
  });

  it("rejects an unknown run id and names the runs there are", () => {
    expectNothingWritten((out) => writeRunReport(dbPath, 99, out), /no run 99 \(runs: 1, 2\)/);
  });
});
