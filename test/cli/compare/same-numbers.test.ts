/**
 * One comparison, three views: the text table, --json and the HTML report show the same numbers;
 * the verdict follows the Holm-adjusted p; the output does not depend on the order in which
 * workers return runs (bootstrap included); and the CLI prints the same table with 1 or 2 workers.
 */
import { formatScaled, metricMagnitudes, metricScale } from "../../../src/model/metric-scale.ts";
import { describe, expect, test } from "vitest";
import { Prng } from "../../../src/model/prng.ts";
import { buildComparison, type ComparisonResult } from "../../../src/cli/compare-command.ts";
import { formatComparison, formatP, formatValue } from "../../../src/cli/compare/format-comparison.ts";
import { comparedMetrics, type RunOutcome } from "../../../src/cli/compare/run-metrics.ts";
import { shapeComparisonReport } from "../../../src/report/comparison-data.ts";
import { renderComparisonReportHtml } from "../../../src/report/comparison-report-html.ts";
import { parseComparisonResult } from "../../../src/report/comparison-result.ts";
import { runKubetwin } from "../../kubetwin-cli.ts";
import { formatNumber } from "../../../src/report/html-page.ts";

const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

/**
 * Synthetic runs: per metric a baseline value per seed and, per other variant, the baseline plus a
 * shift and noise — metric 0 clearly lower, metric 1 identical on every seed, metric 2 skewed
 * (one seed far off), metric 4 a moderate shift (25 ± 30 by seed: paired t p ≈ 0.02, significant
 * alone but not after Holm's adjustment over the family), the rest pure noise.
 */
function outcomes(variants: string[]): RunOutcome[] {
  const prng = new Prng("same-numbers");
  const base = seeds.map(() => comparedMetrics.map(() => 1000 + 100 * prng.normal()));
  const out: RunOutcome[] = [];
  variants.forEach((variant, v) => {
    seeds.forEach((seed, s) => {
      const values = comparedMetrics.map((_, i) => {
        const b = base[s]?.[i] as number;
        if (v === 0 || i === 1) return b;
        if (i === 0) return b - 300 + 20 * prng.normal();
        if (i === 2) return b + (s === 3 ? 5000 : 10 * prng.normal());
        if (i === 4) return b + 25 + (s % 2 === 0 ? 30 : -30);
        return b + 100 * prng.normal();
      });
      out.push({ variant, seed, fingerprint: `fp-${variant}-${seed}`, runId: null, values, failedExpectations: [] });
    });
  });
  return out;
}

function build(variants: string[], runs = outcomes(variants)): ComparisonResult {
  return buildComparison("synthetic", { scenarioFile: "scenarios/x.yaml", variants, seeds }, runs);
}

describe("the same numbers in the table, the JSON and the report", () => {
  const result = build(["baseline", "candidate"]);
  const json = JSON.stringify(result, null, 2);
  const text = formatComparison(result);

  test("the text table prints each pair's shown interval, its kind, adjusted p and verdict", () => {
    for (const m of result.metrics) {
      const d = m.diffs.candidate!;
      const row = text.split("\n").find((l) => l.startsWith(`  ${m.name} `)) as string;
      expect(row).toContain(`[${formatValue(d.ciLow, m.unit)}, ${formatValue(d.ciHigh, m.unit)}] ${d.interval === "t" ? "t" : "boot"}`);
      if (d.inFamily) expect(row).toContain(formatP(d.pAdjusted));
      if (d.verdict === "no clear difference" && d.seedsToDecide !== null) expect(row).toContain(`run about ${d.seedsToDecide} seeds to decide`);
    }
    const [first, second, third] = result.metrics.map((m) => m.diffs.candidate!);
    expect(first).toMatchObject({ interval: "t", verdict: "better" });
    expect(second).toMatchObject({ verdict: "identical", inFamily: false, seedsToDecide: null });
    expect(third).toMatchObject({ interval: "bootstrap", test: "wilcoxon" });
    expect(result.statistics.size).toBe(comparedMetrics.length - 1);
    expect(text).toContain(`(${result.statistics.size} comparisons)`);
  });

  test("--json carries the same numbers and the report shows them", () => {
    const parsed = parseComparisonResult(json, "compare --json");
    expect(parsed.statistics).toEqual(result.statistics);
    const html = renderComparisonReportHtml(shapeComparisonReport(parsed));
    for (const [i, m] of parsed.metrics.entries()) {
      const d = result.metrics[i]!.diffs.candidate!;
      expect(m.diff.ciLow).toBe(d.ciLow);
      expect(m.diff.pAdjusted).toBe(d.pAdjusted);
      expect(m.diff.verdict).toBe(d.verdict);
      const row = html.match(new RegExp(`<tr data-metric="${m.name}">([\\s\\S]*?)</tr>`))?.[1] ?? "";
      // The report shows each metric in its one shown unit (src/model/metric-scale.ts), the same numbers scaled.
      const scale = metricScale(m.unit, metricMagnitudes(m));
      expect(row).toContain(`[${formatScaled(d.ciLow, scale)}, ${formatScaled(d.ciHigh, scale)}]`);
      expect(row).toContain(`data-ci-low="${d.ciLow * scale.factor}" data-ci-high="${d.ciHigh * scale.factor}"`);
      expect(row).toContain(`data-interval="${d.interval}" data-p-adjusted="${d.pAdjusted}" data-significant="${d.verdict === "better" || d.verdict === "worse"}"`);
      expect(row).toContain(`<td>${d.interval}</td>`);
    }
  });

  test("the order in which runs come back changes nothing, bootstrap included", () => {
    const runs = outcomes(["baseline", "candidate"]);
    const shuffled = new Prng("arrival").shuffled(runs);
    expect(JSON.stringify(build(["baseline", "candidate"], shuffled))).toBe(JSON.stringify(result));
    expect(JSON.stringify(build(["baseline", "candidate"]))).toBe(JSON.stringify(result));
  });

  test("the bootstrap stream follows the seeds: other seeds, other resamples", () => {
    const other = buildComparison("synthetic", { scenarioFile: "x", variants: ["baseline", "candidate"], seeds: seeds.map((s) => s + 100) }, outcomes(["baseline", "candidate"]).map((r) => ({ ...r, seed: r.seed + 100 })));
    const a = result.metrics[3]!.diffs.candidate!.bootstrap;
    const b = other.metrics[3]!.diffs.candidate!.bootstrap;
    expect(b.low).not.toBe(a.low);
    expect(other.metrics[3]!.diffs.candidate!.t).toEqual(result.metrics[3]!.diffs.candidate!.t);
  });
});

describe("three variants: one Holm family over every variant and metric", () => {
  const result = build(["baseline", "b", "c"]);

  test("the family holds both variants' non-identical metrics; verdicts use the adjusted p", () => {
    const pairs = result.metrics.flatMap((m) => Object.values(m.diffs));
    expect(pairs.length).toBe(2 * comparedMetrics.length);
    expect(result.statistics.size).toBe(2 * (comparedMetrics.length - 1));
    for (const d of pairs) {
      if (!d.inFamily) continue;
      expect(d.pAdjusted).toBeGreaterThanOrEqual(d.p);
      const significant = d.verdict === "better" || d.verdict === "worse";
      expect(significant).toBe(d.pAdjusted < 0.05 && (d.ciLow > 0 || d.ciHigh < 0));
    }
    // some pair is significant before adjustment and not after: the adjustment decides
    expect(pairs.some((d) => d.p < 0.05 && d.pAdjusted >= 0.05 && d.verdict === "no clear difference" && d.seedsToDecide !== null)).toBe(true);
    const text = formatComparison(result);
    expect(text).toContain("  metric");
    expect(text.match(/c − baseline/g)?.length).toBe(1);
    expect(text.match(/b − baseline/g)?.length).toBe(1);
  });
});

describe("the command", () => {
  const kubetwin = (...args: string[]) => runKubetwin(args, { timeoutMs: 300_000 });

  test("prints the same table with 1 and 2 workers", () => {
    const args = ["compare", "scenarios/binpack-vs-spread.yaml", "--variants", "baseline,binpack", "--seeds", "1..4", "--precision", "halfwidth=10%"];
    const one = kubetwin(...args, "--workers", "1");
    const two = kubetwin(...args, "--workers", "2");
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/seeds to decide at halfwidth=10%/);
    expect(one.stdout).toMatch(/\] (t|boot) /);
    expect(two.stdout).toBe(one.stdout);
  });

  test("a bad --precision is a usage error: exit 2, one message", () => {
    const r = kubetwin("compare", "scenarios/binpack-vs-spread.yaml", "--variants", "baseline,binpack", "--precision", "90%");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/--precision/);
  });
});
