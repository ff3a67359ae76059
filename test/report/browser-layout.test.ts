/**
 * The reports' layout in a real browser, on inputs that broke it: long names, ten-digit numbers,
 * six faults within a few minutes. Asserts geometry (label boxes, axis room, line breaks), not
 * pixels of a golden image. Fails (never skips) when no Chromium can be started.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SqliteLog } from "../../src/log/sqlite-log.ts";
import { writeComparisonReport, writeRunReport } from "../../src/report/write-report.ts";
import { launchChromium, openReport, type BrowserSession, type OpenedReport } from "./browser-harness.ts";
import { crowdedFaultsSpec, longMetricName, stressComparison } from "./stress-fixtures.ts";
import { writeSyntheticRun } from "./synthetic-log.ts";

const outDir = join(import.meta.dirname, "../../test-output");
let dir: string;
let session: BrowserSession;
let cmp: OpenedReport;
let run: OpenedReport;
let setupError: unknown;

beforeAll(async () => {
  try {
    mkdirSync(outDir, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), "kubetwin-layout-"));
    const db = join(dir, "log.db");
    const log = SqliteLog.open(db, { create: true });
    writeSyntheticRun(log, crowdedFaultsSpec);
    log.saveComparison("stress", "h", JSON.stringify(stressComparison()), "2025-01-01T00:00:00Z");
    log.close();
    writeRunReport(db, undefined, join(outDir, "layout-run-report.html"));
    writeComparisonReport(db, undefined, join(outDir, "layout-comparison-report.html"));
    session = await launchChromium();
    cmp = await openReport(session, join(outDir, "layout-comparison-report.html"), { width: 1280, height: 800 });
    run = await openReport(session, join(outDir, "layout-run-report.html"), { width: 1280, height: 800 });
  } catch (e) {
    setupError = e;
  }
}, 180_000);

beforeEach(() => {
  if (setupError !== undefined) throw setupError;
});

afterAll(async () => {
  await session?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

function overlaps(a: Box, b: Box): boolean {
  return a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;
}

function expectNoOverlap(boxes: Box[], what: string): void {
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlaps(boxes[i]!, boxes[j]!), `${what}: boxes ${i} and ${j} overlap`).toBe(false);
}

describe("comparison report layout", () => {
  it("renders without errors and fits the laptop width", async () => {
    expect(cmp.consoleErrors).toEqual([]);
    await cmp.page.bringToFront();
    await cmp.page.screenshot({ path: join(outDir, "layout-comparison-report.png"), fullPage: true });
    expect(await cmp.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")).toBe(0);
  });

  it("gives every per-seed chart's y axis room for its longest tick label", async () => {
    const axes = await cmp.page.evaluate(() => {
      type Axis = { _values: string[] | null; _size: number; font: [string]; ticks: { size: number }; gap: number };
      const charts = (window as unknown as { __kubetwinReport: { charts: { id: string; uplot: { axes: Axis[]; ctx: CanvasRenderingContext2D } }[] } }).__kubetwinReport.charts;
      return charts.map((c) => {
        const y = c.uplot.axes[1]!;
        const ctx = c.uplot.ctx;
        ctx.save();
        ctx.font = y.font[0];
        const longestPx = Math.max(...(y._values ?? []).map((v) => ctx.measureText(v).width)) / devicePixelRatio;
        ctx.restore();
        // dark pixels in the canvas's first two columns would be a label cut at the left edge
        const img = ctx.getImageData(0, 0, 2, ctx.canvas.height).data;
        let edgeInk = 0;
        for (let i = 0; i < img.length; i += 4) if ((img[i + 3] as number) > 100 && (img[i] as number) < 150) edgeInk++;
        return { id: c.id, labels: y._values ?? [], longestPx, roomPx: y._size - y.ticks.size - y.gap, edgeInk };
      });
    });
    expect(axes.map((a) => a.id)).toEqual(["cmp-0", "cmp-1", "cmp-2"]);
    expect(axes[2]!.labels.some((l) => l.length >= 8)).toBe(true); // the eight-digit record counts
    for (const a of axes) {
      expect(a.labels.length, a.id).toBeGreaterThan(1);
      expect(a.longestPx, a.id).toBeLessThanOrEqual(a.roomPx);
      expect(a.edgeInk, a.id).toBe(0);
    }
  });

  it("puts a numeric axis on every forest plot, labels inside the plot and apart", async () => {
    const forests = await cmp.page.$$eval("svg.forest", (svgs) =>
      svgs.map((svg) => {
        const width = (svg as SVGSVGElement).viewBox.baseVal.width;
        const box = (t: Element) => {
          const b = (t as SVGGraphicsElement).getBBox();
          return { left: b.x, top: b.y, width: b.width, height: b.height, text: t.textContent };
        };
        return { width, ticks: [...svg.querySelectorAll("text.tick")].map(box), others: [...svg.querySelectorAll("text:not(.tick)")].map(box) };
      }),
    );
    expect(forests).toHaveLength(3);
    for (const [i, f] of forests.entries()) {
      expect(f.ticks.length, `forest ${i}`).toBeGreaterThanOrEqual(3);
      expect(f.ticks.map((t) => t.text)).toContain("0");
      for (const t of [...f.ticks, ...f.others]) {
        expect(t.left, `forest ${i} "${t.text}"`).toBeGreaterThanOrEqual(0);
        expect(t.left + t.width, `forest ${i} "${t.text}"`).toBeLessThanOrEqual(f.width);
      }
      expectNoOverlap([...f.ticks, ...f.others], `forest ${i}`);
    }
  });

  it("never breaks a reproduce command inside a flag or between a flag and its value", async () => {
    const pieces = await cmp.page.$$eval("code.cmd .w", (ws) => ws.map((w) => ({ text: w.textContent ?? "", lines: w.getClientRects().length })));
    expect(pieces.length).toBeGreaterThan(20);
    for (const p of pieces) expect(p.lines, p.text).toBe(1);
    expect(pieces.map((p) => p.text)).toContain("--seed 13");
    const commands = await cmp.page.$$eval("code.cmd", (cs) => cs.map((c) => (c as HTMLElement).innerText.replace(/\s+/g, " ").replace(/\/ /g, "/")));
    const stored = Object.values(stressComparison().command);
    for (const c of commands) expect(stored).toContain(c);
  });

  it("shortens long names with an ellipsis and keeps the full name in the tooltip", async () => {
    const clipped = await cmp.page.$$eval(".clip", (cs) =>
      cs.map((c) => ({ title: c.getAttribute("title"), text: c.textContent, cut: (c as HTMLElement).scrollWidth > (c as HTMLElement).clientWidth, overflow: getComputedStyle(c).textOverflow })),
    );
    const longName = clipped.filter((c) => c.text === longMetricName);
    expect(longName.length).toBeGreaterThanOrEqual(2);
    for (const c of longName) expect(c).toEqual({ title: longMetricName, text: longMetricName, cut: true, overflow: "ellipsis" });
    const titles = await cmp.page.$$eval(".u-title", (ts) => ts.map((t) => ({ title: (t as HTMLElement).title, text: t.textContent })));
    for (const t of titles) expect(t.title).toBe(t.text);
  });
});

describe("run report layout with crowded faults", () => {
  type Label = Box & { numbers: number[]; plotTop: number };
  async function faultLabels(): Promise<{ id: string; widthPx: number; small: boolean; labels: Label[] }[]> {
    return run.page.evaluate(() => {
      const charts = (window as unknown as { __kubetwinReport: { charts: { id: string; height: number; uplot: { faultLabels?: Label[]; width: number } }[] } }).__kubetwinReport.charts;
      return charts
        .filter((c) => c.uplot.faultLabels !== undefined)
        .map((c) => ({ id: c.id, widthPx: c.uplot.width, small: c.height < 200, labels: c.uplot.faultLabels as Label[] }));
    });
  }

  it("renders without errors", async () => {
    expect(run.consoleErrors).toEqual([]);
    await run.page.bringToFront();
    await run.page.screenshot({ path: join(outDir, "layout-run-report.png"), fullPage: true });
  });

  it("keeps fault labels apart, above the plot (off the lines) and inside the chart", async () => {
    const charts = await faultLabels();
    expect(charts.filter((c) => c.small).length).toBe(crowdedFaultsSpec.workloads);
    expect(charts.filter((c) => !c.small).length).toBeGreaterThanOrEqual(3);
    for (const c of charts) {
      expect(c.labels.length, c.id).toBeGreaterThan(0);
      expectNoOverlap(c.labels, c.id);
      for (const l of c.labels) {
        expect(l.top + l.height, c.id).toBeLessThanOrEqual(l.plotTop);
        expect(l.top, c.id).toBeGreaterThanOrEqual(0);
        expect(l.left, c.id).toBeGreaterThanOrEqual(0);
        expect(l.left + l.width, c.id).toBeLessThanOrEqual(c.widthPx);
      }
    }
  });

  it("shows every fault's number in the small charts, crowded ones sharing a box", async () => {
    const all = crowdedFaultsSpec.faults.map((_, i) => i + 1);
    for (const c of (await faultLabels()).filter((x) => x.small)) {
      expect(c.labels.flatMap((l) => l.numbers), c.id).toEqual(all);
      expect(c.labels.some((l) => l.numbers.length > 1), c.id).toBe(true);
    }
  });

  it("right-aligns the latency table's numbers", async () => {
    const columns = await run.page.$$eval("#latency-stats tr", (trs) =>
      trs.map((tr) => [...tr.children].slice(1).map((td) => ({ align: getComputedStyle(td).textAlign, right: Math.round((td as HTMLElement).getBoundingClientRect().right) }))),
    );
    expect(columns).toHaveLength(3);
    for (const row of columns) for (const cell of row) expect(cell.align).toBe("right");
    for (let col = 0; col < columns[0]!.length; col++) expect(new Set(columns.map((r) => r[col]!.right)).size).toBe(1);
  });
});
