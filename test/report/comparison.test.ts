import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteLog } from "../../src/log/sqlite-log.ts";
import { reproduceCommand, shapeComparisonReport, verdictOf } from "../../src/report/comparison-data.ts";
import { parseComparisonResult, type ComparisonResult } from "../../src/report/comparison-result.ts";
import { commandHtml, renderComparisonReportHtml } from "../../src/report/comparison-report-html.ts";
import { forestScale, forestSvg, niceTicks } from "../../src/report/forest-svg.ts";
import { formatNumber } from "../../src/report/html-page.ts";
import { ReportInputError } from "../../src/report/report-input-error.ts";
import { writeComparisonReport, writeComparisonReportFromJson } from "../../src/report/write-report.ts";
import { comparisonFixture } from "./comparison-fixture.ts";

let dir: string;
let dbPath: string;
const fixture = comparisonFixture();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kubetwin-cmp-"));
  dbPath = join(dir, "log.db");
  const log = SqliteLog.open(dbPath, { create: true });
  log.saveComparison("older", "h0", JSON.stringify({ ...fixture, scenario: "older" }), "2025-01-01T00:00:00Z");
  log.saveComparison(fixture.scenario, "h1", JSON.stringify(fixture), "2025-01-02T00:00:00Z");
  log.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The summary table's cells of one metric row, as the page shows them. */
function summaryCells(html: string, metric: string): string[] {
  const row = html.match(new RegExp(`<tr data-metric="${metric}">([\\s\\S]*?)</tr>`))?.[1] ?? "";
  return [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => (m[1] ?? "").replace(/<svg[\s\S]*<\/svg>/, "svg").replace(/<[^>]+>/g, "").trim());
}

describe("comparison report", () => {
  it("shows exactly the numbers of the comparison result", () => {
    const out = join(dir, "cmp.html");
    const written = writeComparisonReport(dbPath, undefined, out);
    expect(written.id).toBe(2);
    const html = readFileSync(out, "utf8");
    for (const m of fixture.metrics) {
      const cells = summaryCells(html, m.name);
      expect(cells[2]).toBe(formatNumber(m.mean.binpack));
      expect(cells[3]).toBe(formatNumber(m.mean.spread));
      expect(cells[4]).toBe(formatNumber(m.diff.mean));
      expect(cells[5]).toBe(`[${formatNumber(m.diff.ciLow)}, ${formatNumber(m.diff.ciHigh)}]`);
      expect(cells[6]).toBe(String(m.diff.n));
      // full precision in the data attributes and the forest plot
      expect(html).toContain(`data-value="${m.diff.mean}"`);
      expect(html).toContain(`data-ci-low="${m.diff.ciLow}" data-ci-high="${m.diff.ciHigh}" data-mean="${m.diff.mean}"`);
    }
    // the page's chart data is the result's values, untouched
    const embedded = JSON.parse(
      (html.match(/<script id="report-data" type="application\/json">([\s\S]*?)<\/script>/)?.[1] ?? "").replace(/\\u003c/g, "<").replace(/\\u003e/g, ">"),
    ) as { metrics: ComparisonResult["metrics"]; seeds: number[]; variants: string[] };
    expect(embedded.metrics).toEqual(fixture.metrics);
    expect(embedded.seeds).toEqual(fixture.seeds);
    expect(embedded.variants).toEqual(fixture.variants);
  });

  it("decides verdicts from the interval and the better direction", () => {
    const [latency, availability, nodes] = fixture.metrics;
    expect(verdictOf(latency!)).toBe("B better"); // spread lowers p99, interval below zero
    expect(verdictOf(availability!)).toBe("no clear difference");
    expect(verdictOf(nodes!)).toBe("A better"); // spread uses more nodes
  });

  it("lists the seeds that differ most, each with its reproduce command", () => {
    const d = shapeComparisonReport(fixture);
    const top = d.pairs[0]!.metrics[0]!.topSeeds;
    // Δ per seed 11..16: −1100, −1300, −200, −2100, −1300, −1400; the 1300 tie goes to the lower seed
    expect(top.map((s) => s.seed)).toEqual([14, 16, 12]);
    expect(top.map((s) => s.diff)).toEqual([-2100, -1400, -1300]);
    expect(top[0]).toMatchObject({ a: 7300, b: 5200, commandA: "kubetwin run scenarios/zone-outage.yaml --seed 14 --variant binpack" });
    const html = renderComparisonReportHtml(d);
    const commands = [...html.matchAll(/<code class="cmd">([\s\S]*?)<\/code>/g)].map((m) => (m[1] ?? "").replace(/<wbr>/g, "").replace(/<[^>]+>/g, ""));
    expect(commands).toContain("kubetwin run scenarios/zone-outage.yaml --seed 14 --variant spread");
  });

  it("keeps each flag with its value in one unbreakable piece of a reproduce command", () => {
    expect(commandHtml("npx kubetwin run scenarios/a-b/c.yaml --seed 14 --variant spread --json")).toBe(
      '<code class="cmd"><span class="w">npx</span> <span class="w">kubetwin</span> <span class="w">run</span> ' +
        '<span class="w">scenarios/</span><wbr><span class="w">a-b/</span><wbr><span class="w">c.yaml</span> ' +
        '<span class="w">--seed 14</span> <span class="w">--variant spread</span> <span class="w">--json</span></code>',
    );
  });

  it("uses the stored command, else the documented form", () => {
    expect(reproduceCommand(fixture, "spread", 14)).toBe("kubetwin run scenarios/zone-outage.yaml --seed 14 --variant spread");
    const bare = { ...fixture, command: {}, scenarioFile: "my scenarios/x.yaml" };
    expect(reproduceCommand(bare, "binpack", 3)).toBe("kubetwin run 'my scenarios/x.yaml' --seed 3 --variant binpack");
  });

  it("renders the forest plot with zero and the interval in range", () => {
    const s = forestScale(-3, -1);
    expect(s.lo).toBeLessThan(-3);
    expect(s.hi).toBeGreaterThan(0);
    expect(s.toPx(-3)).toBeLessThan(s.toPx(-1));
    expect(s.toPx(-1)).toBeLessThan(s.toPx(0));
  });

  it("writes straight from the compare --json output", () => {
    const out = join(dir, "direct.html");
    writeComparisonReportFromJson(JSON.stringify(fixture), out);
    const html = readFileSync(out, "utf8");
    expect(html).toContain("A = <b>binpack</b>, B = <b>spread</b>");
    expect(renderComparisonReportHtml(shapeComparisonReport(fixture))).toBe(html);
  });
});

describe("comparison input errors", () => {
  it("rejects an unknown comparison and an empty log; writes nothing", () => {
    const out = join(dir, "none.html");
    expect(() => writeComparisonReport(dbPath, 7, out)).toThrow(/no comparison 7/);
    const empty = join(dir, "empty.db");
    SqliteLog.open(empty, { create: true }).close();
    expect(() => writeComparisonReport(empty, undefined, out)).toThrow(ReportInputError);
    expect(existsSync(out)).toBe(false);
  });

  it("names the path of a malformed result", () => {
    const bad = structuredClone(fixture) as unknown as { metrics: { values: Record<string, number[]> }[] };
    bad.metrics[1]!.values.spread = [1, 2];
    expect(() => parseComparisonResult(JSON.stringify(bad), "x")).toThrow(/metrics\[1\]\.values\.spread: expected 6 numbers, one per seed/);
    expect(() => parseComparisonResult("{", "x")).toThrow(ReportInputError);
    expect(() => parseComparisonResult(JSON.stringify({ ...fixture, variants: ["a"] }), "x")).toThrow(/variants/);
  });
});

describe("forest plot axis", () => {
  it("labels 3 to 6 round ticks inside the range, zero among them when in range", () => {
    for (const [low, high] of [[-635.8, 1196], [0, 0], [-1379, 185.9], [-0.09915, 0.2991], [2.075, 20.12], [-244.1, -149.2], [1e9, 3.2e9]] as const) {
      const s = forestScale(low, high);
      expect(s.ticks.length, `${low}..${high}`).toBeGreaterThanOrEqual(3);
      expect(s.ticks.length, `${low}..${high}`).toBeLessThanOrEqual(6);
      for (const t of s.ticks) {
        expect(t).toBeGreaterThanOrEqual(s.lo);
        expect(t).toBeLessThanOrEqual(s.hi);
      }
      expect(s.ticks).toContain(0);
      const steps = s.ticks.slice(1).map((t, i) => t - (s.ticks[i] as number));
      for (const d of steps) expect(d).toBeCloseTo(steps[0] as number, 9);
    }
    expect(niceTicks(-782, 1343)).toEqual([-500, 0, 500, 1000]);
  });

  it("draws every tick's label and the unit in the SVG", () => {
    const svg = forestSvg({ label: "x: B − A", unit: "s", better: "lower", mean: -596.7, low: -1379, high: 185.9 }, "#555");
    const labels = [...svg.matchAll(/<text class="tick"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(forestScale(-1379, 185.9).ticks.map((t) => formatNumber(t)));
    expect(svg).toMatch(/<text class="unit"[^>]*>s<\/text>/);
  });
});
