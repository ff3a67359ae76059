/**
 * The reports in a real browser: headless Chromium (see find-chromium.ts for which), from file://,
 * with every request other than the file itself aborted and recorded. Fails (never skips) when no
 * Chromium can be started.
 * Screenshots go to test-output/ for people to look at.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "puppeteer-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SqliteLog } from "../../src/log/sqlite-log.ts";
import { writeComparisonReport, writeRunReport } from "../../src/report/write-report.ts";
import { launchChromium, openReport, type BrowserSession, type OpenedReport } from "./browser-harness.ts";
import { comparisonFixture, threeVariantFixture } from "./comparison-fixture.ts";
import { runRealScenario } from "./real-run.ts";
import { smallSpec, writeSyntheticRun, type SyntheticTruth } from "./synthetic-log.ts";

const outDir = join(import.meta.dirname, "../../test-output");
let dir: string;
let session: BrowserSession;
let truth: SyntheticTruth;
let run: OpenedReport;
let cmp: OpenedReport;
let cmp3: OpenedReport;
let real: OpenedReport;
let setupError: unknown;

beforeAll(async () => {
  try {
    await setUp();
  } catch (e) {
    setupError = e;
  }
});

// a missing Chromium fails every test here (saying what was tried) instead of skipping them
beforeEach(() => {
  if (setupError !== undefined) throw setupError;
});

async function setUp(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), "kubetwin-browser-"));
  const dbPath = join(dir, "log.db");
  const log = SqliteLog.open(dbPath, { create: true });
  truth = writeSyntheticRun(log, smallSpec);
  log.saveComparison("zone-outage", "h", JSON.stringify(comparisonFixture()), "2025-01-01T00:00:00Z");
  const three = log.saveComparison("zone-outage", "h3", JSON.stringify(threeVariantFixture()), "2025-01-01T00:00:00Z");
  log.close();
  writeRunReport(dbPath, undefined, join(outDir, "run-report.html"));
  writeComparisonReport(dbPath, three - 1, join(outDir, "comparison-report.html"));
  writeComparisonReport(dbPath, three, join(outDir, "comparison-report-three.html"));
  const realDb = join(dir, "real.db");
  runRealScenario(realDb);
  writeRunReport(realDb, undefined, join(outDir, "real-run-report.html"));
  session = await launchChromium();
  run = await openReport(session, join(outDir, "run-report.html"));
  cmp = await openReport(session, join(outDir, "comparison-report.html"));
  cmp3 = await openReport(session, join(outDir, "comparison-report-three.html"));
  real = await openReport(session, join(outDir, "real-run-report.html"));
}

afterAll(async () => {
  await session?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface ChartCheck {
  id: string;
  width: number;
  height: number;
  points: number;
  seriesPixels: number;
}

/** Per chart: canvas size, data length, and pixels drawn in a series colour (Okabe–Ito 0–5). */
async function checkCharts(page: Page): Promise<ChartCheck[]> {
  return page.evaluate(() => {
    const palette = [[0, 114, 178], [230, 159, 0], [0, 158, 115], [213, 94, 0], [204, 121, 167], [86, 180, 233]];
    const report = (window as unknown as { __kubetwinReport: { charts: { id: string; uplot: { ctx: CanvasRenderingContext2D; data: ArrayLike<number | null>[] } }[] } }).__kubetwinReport;
    return report.charts.map((c) => {
      const canvas = c.uplot.ctx.canvas;
      const img = c.uplot.ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let seriesPixels = 0;
      for (let i = 0; i < img.length; i += 4) {
        if ((img[i + 3] as number) < 200) continue;
        for (const [r, g, b] of palette) {
          if (Math.abs((img[i] as number) - r!) + Math.abs((img[i + 1] as number) - g!) + Math.abs((img[i + 2] as number) - b!) < 40) {
            seriesPixels++;
            break;
          }
        }
      }
      const points = c.uplot.data.slice(1).reduce((n, s) => n + Array.from(s).filter((v) => v !== null).length, 0);
      return { id: c.id, width: canvas.width, height: canvas.height, points, seriesPixels };
    });
  });
}

describe("run report in Chromium", () => {
  it("renders without errors and without any network request", async () => {
    expect(run.consoleErrors).toEqual([]);
    expect(run.foreignRequests).toEqual([]);
    expect(await run.page.evaluate("window.__kubetwinReport.errors")).toEqual([]);
    await run.page.bringToFront(); // background tabs neither paint nor run timers
    await run.page.screenshot({ path: join(outDir, "run-report.png"), fullPage: true });
  });

  it("draws every chart with data", async () => {
    const charts = await checkCharts(run.page);
    const ids = charts.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(["pods", "nodes", "latency-windows", "latency-histogram", "latency-cdf", "workload/shop/app-000"]));
    expect(charts.length).toBe(2 + smallSpec.workloads + 3);
    for (const c of charts) {
      expect(c, c.id).toMatchObject({ width: expect.any(Number) });
      expect(c.width * c.height, c.id).toBeGreaterThan(0);
      expect(c.points, c.id).toBeGreaterThan(0);
      expect(c.seriesPixels, c.id).toBeGreaterThan(50);
    }
  });

  it("places the fault markers at the faults' times on the x axis", async () => {
    const positions = await run.page.evaluate((times: number[]) => {
      const u = (window as unknown as { __kubetwinReport: { charts: { id: string; uplot: { valToPos(v: number, s: string): number; bbox: { width: number } } }[] } }).__kubetwinReport.charts[0]!.uplot;
      return times.map((t) => u.valToPos(t, "x") / (u.bbox.width / devicePixelRatio));
    }, truth.faultTimesMs);
    // 3:00 and 7:00 of a 10:00 run
    expect(positions[0]).toBeCloseTo(0.3, 2);
    expect(positions[1]).toBeCloseTo(0.7, 2);
  });

  it("shows the header facts and each expectation's result", async () => {
    const text = await run.page.$eval("header", (h) => (h as HTMLElement).innerText);
    expect(text).toContain("zone-outage-synthetic");
    expect(text).toContain("binpack");
    expect(text).toContain("1 of 2 failed");
    const rows = await run.page.$$eval("#expectations tbody tr", (trs) => trs.map((tr) => (tr as HTMLElement).innerText));
    expect(rows[0]).toMatch(/pass/);
    expect(rows[1]).toMatch(/FAIL/);
  });

  it("filters the event table by substring and by kind", async () => {
    const page = run.page;
    await page.bringToFront();
    const total = await page.$eval("#ev-count", (e) => e.textContent);
    expect(total).toBe(`${truth.eventCount} events`);
    await page.type("#ev-q", truth.needle.text);
    await page.waitForFunction(`document.querySelector("#ev-count").textContent === "1 of ${truth.eventCount} events"`, { timeout: 30_000 });
    const shownRows = await page.$$eval("#ev-rows .ev-row", (rs) => rs.filter((r) => (r as HTMLElement).offsetHeight > 0).length);
    expect(shownRows).toBe(1);
    const row = await page.$eval("#ev-rows .ev-row:not([hidden])", (r) => Array.from(r.children).map((c) => c.textContent));
    expect(row[0]).toBe(String(truth.needle.seq));
    expect(row[2]).toBe(truth.needle.kind);
    expect(row[3]).toBe(truth.needle.subject);
    expect(row[4]).toContain(truth.needle.text);
    await page.screenshot({ path: join(outDir, "run-report-filtered.png") });
    await page.$eval("#ev-q", (e) => {
      (e as HTMLInputElement).value = "";
      e.dispatchEvent(new Event("input"));
    });
    await page.select("#ev-kind", "Fault");
    await page.waitForFunction(`document.querySelector("#ev-count").textContent === "2 of ${truth.eventCount} events"`, { timeout: 30_000 });
    const faultRows = await page.$$eval("#ev-rows .ev-row:not([hidden])", (rs) => rs.map((r) => [r.children[1]?.textContent, r.children[4]?.textContent]));
    expect(faultRows).toEqual([
      ["0:03:00", '{"fault":"ZoneOutage","label":"zone-1 down"}'],
      ["0:07:00", '{"fault":"NodeCrash","label":"zone-2 crash"}'],
    ]);
    // back to all kinds, then jump to a virtual time
    await page.select("#ev-kind", "");
    await page.waitForFunction(`document.querySelector("#ev-count").textContent === "${truth.eventCount} events"`, { timeout: 30_000 });
    await page.$eval("#ev-time", (e) => {
      (e as HTMLInputElement).value = "0:07:00";
      e.dispatchEvent(new Event("change"));
    });
    const first = await page.$eval("#ev-rows .ev-row:not([hidden])", (r) => Array.from(r.children).map((c) => c.textContent));
    expect(first[1]).toBe("0:07:00");
    expect(Number(first[0])).toBeGreaterThan(truth.needle.seq);
  });

  it("stays readable at laptop width", async () => {
    const page = await session.browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    await page.goto(run.page.url());
    await page.waitForFunction("window.__kubetwinReport && window.__kubetwinReport.ready");
    const overflow = await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth");
    expect(overflow).toBe(0);
    await page.screenshot({ path: join(outDir, "run-report-1280.png") });
    await page.close();
  });
});

describe("comparison report in Chromium", () => {
  it("renders without errors and without any network request", async () => {
    expect(cmp.consoleErrors).toEqual([]);
    expect(cmp.foreignRequests).toEqual([]);
    await cmp.page.bringToFront();
    await cmp.page.screenshot({ path: join(outDir, "comparison-report.png"), fullPage: true });
  });

  it("draws every metric's per-seed chart, with the variants named in the legend", async () => {
    const charts = await checkCharts(cmp.page);
    expect(charts.map((c) => c.id)).toEqual(["cmp-0", "cmp-1", "cmp-2"]);
    for (const c of charts) {
      expect(c.width * c.height, c.id).toBeGreaterThan(0);
      expect(c.points, c.id).toBe(4 * comparisonFixture().seeds.length);
      expect(c.seriesPixels, c.id).toBeGreaterThan(50);
    }
    const legends = await cmp.page.$$eval(".u-legend", (ls) => ls.map((l) => (l as HTMLElement).innerText));
    expect(legends).toHaveLength(3);
    for (const l of legends) {
      expect(l).toContain("A: binpack");
      expect(l).toContain("B: spread");
    }
  });

  it("shows a forest plot per metric", async () => {
    const forests = await cmp.page.$$eval("svg.forest", (svgs) => svgs.map((s) => s.getBoundingClientRect().width));
    expect(forests).toHaveLength(3);
    expect(forests.every((w) => w > 100)).toBe(true);
  });
});

describe("comparison of three variants in Chromium", () => {
  it("draws every pair's charts, each legend naming its own pair", async () => {
    expect(cmp3.consoleErrors).toEqual([]);
    expect(cmp3.foreignRequests).toEqual([]);
    const charts = await checkCharts(cmp3.page);
    expect(charts.map((c) => c.id)).toEqual(["cmp-0", "cmp-1", "cmp-2", "cmp-p1-0", "cmp-p1-1", "cmp-p1-2"]);
    for (const c of charts) expect(c.seriesPixels, c.id).toBeGreaterThan(50);
    const legends = await cmp3.page.$$eval(".u-legend", (ls) => ls.map((l) => (l as HTMLElement).innerText));
    expect(legends.slice(0, 3).every((l) => l.includes("B: spread") && !l.includes("random"))).toBe(true);
    expect(legends.slice(3).every((l) => l.includes("A: binpack") && l.includes("B: random"))).toBe(true);
    expect(await cmp3.page.$$eval("table.grid[id$=summary]", (ts) => ts.map((t) => t.id))).toEqual(["summary", "p1-summary"]);
    await cmp3.page.bringToFront();
    await cmp3.page.screenshot({ path: join(outDir, "comparison-report-three.png"), fullPage: true });
  });
});

describe("report of a real run (zone-outage) in Chromium", () => {
  it("renders every chart with data, without errors or network requests", async () => {
    expect(real.consoleErrors).toEqual([]);
    expect(real.foreignRequests).toEqual([]);
    const charts = await checkCharts(real.page);
    expect(charts.length).toBeGreaterThan(5);
    for (const c of charts) {
      expect(c.width * c.height, c.id).toBeGreaterThan(0);
      expect(c.points, c.id).toBeGreaterThan(0);
      expect(c.seriesPixels, c.id).toBeGreaterThan(20);
    }
    await real.page.bringToFront();
    await real.page.screenshot({ path: join(outDir, "real-run-report.png"), fullPage: true });
  });
});
