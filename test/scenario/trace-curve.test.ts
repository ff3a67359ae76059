/**
 * Load curves from real traces (src/scenario/trace-curve.ts): arrivals counted per window, sampled
 * rates summed per time, skip / scale / shift / loop, the rate outside the trace, and bad input
 * named at its field and row. Plus the Alibaba GenAI QPS trace, read where ../shared/data exists.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../src/scenario/load.ts";
import { timeMsOf } from "../../src/scenario/trace-curve.ts";

const dir = mkdtempSync(join(tmpdir(), "kubetwin-trace-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scenarioWith(curve: string, csv: string | undefined, name = "t"): ReturnType<typeof loadScenarioFile> {
  if (csv !== undefined) writeFileSync(join(dir, `${name}.csv`), csv);
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: ${name}}
spec:
  duration: 10m
  cluster: {nodePools: [{name: p, count: 1, allocatable: {cpu: "4", memory: 8Gi, pods: 110}}]}
  workloads:
    - manifest: {apiVersion: v1, kind: Service, metadata: {name: web}, spec: {selector: {app: web}, ports: [{port: 80}]}}
  load:
    - service: web
      requestsPerSecond: 7
      cpuPerRequest: 1m
      curve: ${curve}
`);
  return loadScenarioFile(file);
}

function steps(r: ReturnType<typeof loadScenarioFile>): { atMs: number; requestsPerSecond: number }[] {
  if (!r.ok) throw new Error(r.error.message);
  const c = r.plan.load?.[0]?.curve;
  if (c?.kind !== "step") throw new Error("expected a step curve");
  return c.steps;
}

describe("trace curves", () => {
  it("times: seconds, or UTC date-times with any number of fraction digits", () => {
    expect(timeMsOf("1662859176.5")).toBe(1662859176500);
    expect(timeMsOf("2023-11-16 18:17:03.9799600")).toBeCloseTo(Date.UTC(2023, 10, 16, 18, 17, 3) + 979.96, 6);
    expect(timeMsOf("2023-11-16T18:17:03Z")).toBe(Date.UTC(2023, 10, 16, 18, 17, 3));
    expect(timeMsOf("yesterday")).toBeUndefined();
  });

  it("arrivals: requests per window / the window's length; after the trace, the load's requestsPerSecond", () => {
    const csv = "TIMESTAMP,x\n2023-11-16 10:00:00.1,1\n2023-11-16 10:00:00.5,1\n2023-11-16 10:00:59.9,1\n2023-11-16 10:01:30,1\n";
    expect(steps(scenarioWith("{type: trace, file: t.csv}", csv))).toEqual([
      { atMs: 0, requestsPerSecond: 3 / 60 },
      { atMs: 60_000, requestsPerSecond: 1 / 60 },
      { atMs: 120_000, requestsPerSecond: 7 },
    ]);
  });

  it("scale, shift, skip and loop place the trace in the run", () => {
    const csv = "t\n0\n1\n30\n31\n32\n";
    // 30 s windows: 2 then 3 arrivals; skip the first window, ×10, from 1m, looped to the 10-minute end
    const placed = steps(scenarioWith("{type: trace, file: t.csv, window: 30s, skip: 30s, scale: 10, shift: 1m, loop: true}", csv));
    expect(placed.slice(0, 3)).toEqual([
      { atMs: 60_000, requestsPerSecond: 1 },
      { atMs: 90_000, requestsPerSecond: 1 },
      { atMs: 120_000, requestsPerSecond: 1 },
    ]);
    expect(placed.length).toBe(18);
    expect(placed.at(-1)?.atMs).toBe(570_000);
  });

  it("an envelope lays a diurnal curve over the placed trace, not over the base rate after it", () => {
    const csv = "t\n0\n60\n120\n";
    // one arrival per minute (1/60 per second), from 0 to 3m, then the base rate 7; period 4m, peak at 0
    const placed = steps(scenarioWith("{type: trace, file: t.csv, envelope: {amplitude: 0.5, period: 4m}}", csv));
    const r = 1 / 60;
    expect(placed.map((s) => s.atMs)).toEqual([0, 60_000, 120_000, 180_000]);
    expect(placed[0]?.requestsPerSecond).toBeCloseTo(r * 1.5, 12);
    expect(placed[1]?.requestsPerSecond).toBeCloseTo(r, 12);
    expect(placed[2]?.requestsPerSecond).toBeCloseTo(r * 0.5, 12);
    expect(placed[3]?.requestsPerSecond).toBe(7);
  });

  it("rates: rows at one time summed (the containers of a service), only the rows `where` names", () => {
    const csv = "ts,value,ip,kind\n100,1.5,a,gen\n100,2,b,gen\n100,9,,api\n160,4,a,gen\n";
    expect(steps(scenarioWith("{type: trace, file: t.csv, format: rate, where: {kind: gen}}", csv))).toEqual([
      { atMs: 0, requestsPerSecond: 3.5 },
      { atMs: 60_000, requestsPerSecond: 4 },
      { atMs: 120_000, requestsPerSecond: 7 },
    ]);
  });

  it("bad traces are refused at their field, naming the file, the row or the columns", () => {
    const err = (r: ReturnType<typeof loadScenarioFile>) => (r.ok ? "loaded" : `${r.error.path} ${r.error.message}`);
    expect(err(scenarioWith("{type: trace, file: missing.csv}", undefined))).toMatch(/curve\.file .*missing\.csv/);
    expect(err(scenarioWith("{type: trace, file: t.csv, timeColumn: when}", "t\n1\n"))).toMatch(/timeColumn .*no column "when" \(columns: t\)/);
    expect(err(scenarioWith("{type: trace, file: t.csv}", "t\n1\nnoon\n"))).toMatch(/row 3: t "noon" is not a time/);
    expect(err(scenarioWith("{type: trace, file: t.csv, format: rate}", "t,v\n1,-2\n"))).toMatch(/row 2: v "-2" is not a rate/);
    expect(err(scenarioWith("{type: trace, file: t.csv, where: {kind: x}}", "t,kind\n1,y\n"))).toMatch(/where .*no row/);
    expect(err(scenarioWith("{type: trace, file: t.csv, skip: 5m}", "t\n1\n2\n"))).toMatch(/skip .*skips all of the trace/);
    expect(err(scenarioWith("{type: trace, file: t.csv}", 't\n"1\n'))).toMatch(/not CSV/);
  });

  it("the trace's text is part of the scenario's source hash", () => {
    const a = scenarioWith("{type: trace, file: h.csv}", "t\n1\n", "h");
    const b = scenarioWith("{type: trace, file: h.csv}", "t\n1\n2\n", "h");
    expect(a.ok && b.ok && a.plan.sourceHash !== b.plan.sourceHash).toBe(true);
  });
});

const alibaba = join(import.meta.dirname, "../../../shared/data/alibaba-v2026-genai/qps.csv");
describe.skipIf(!existsSync(alibaba))("the Alibaba GenAI QPS trace (read from ../shared/data, which may not be copied)", () => {
  it("Generative Requests summed over containers at each sample time, in time order", () => {
    const r = scenarioWith(`{type: trace, file: ${alibaba}, format: rate, timeColumn: timestamp_anon, valueColumn: value, where: {request_type: Generative Requests}}`, undefined, "alibaba");
    // a trace outside the scenario's folder needs --allow-outside-paths
    expect(r.ok).toBe(false);
    const file = join(dir, "alibaba.yaml");
    const loaded = loadScenarioFile(file, { allowOutsidePaths: true });
    const s = steps(loaded);
    // the first step: the Generative Requests values of the trace's first such sample time, summed
    const rows = readFileSync(alibaba, "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
    const generative = rows.filter((r) => r[3] === "Generative Requests");
    const t0 = Math.min(...generative.map((r) => Number(r[0])));
    const first = generative.filter((r) => Number(r[0]) === t0).reduce((a, r) => a + Number(r[1]), 0);
    expect(s[0]).toEqual({ atMs: 0, requestsPerSecond: first });
    expect(s.length).toBeGreaterThanOrEqual(3);
    expect(s.every((x, i) => x.requestsPerSecond >= 0 && (i === 0 || x.atMs > (s[i - 1] as { atMs: number }).atMs))).toBe(true);
  });
});
