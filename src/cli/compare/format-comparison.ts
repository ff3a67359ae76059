/**
 * The text table of `kubetwin compare`: per variant against the baseline (the first variant), per
 * metric the means, the paired difference, the interval the verdict uses (t or bootstrap), the
 * Holm-adjusted p-value of the deciding test, the effect size and the verdict — with, for every
 * undecided metric, "run about N seeds to decide". The same numbers as --json and the report.
 */
import { excessKurtosisMax, skewnessMax } from "./stats/normality.ts";
import type { FamilySummary, PairedDiff } from "./stats/paired-comparison.ts";

/** What the table needs of a ComparisonResult (declared here: compare-command imports this file). */
export interface FormattableComparison {
  scenario: string;
  variants: string[];
  seeds: number[];
  statistics: FamilySummary;
  metrics: { name: string; unit: string; mean: Record<string, number>; diffs: Record<string, PairedDiff> }[];
}

export function formatValue(x: number, unit: string): string {
  if (!Number.isFinite(x)) return "n/a";
  if (unit === "ratio") return `${(x * 100).toFixed(1)}%`;
  if (unit === "ms") return Math.abs(x) >= 10_000 ? `${(x / 1000).toFixed(1)}s` : `${x.toFixed(0)}ms`;
  return x.toFixed(2);
}

export function formatP(p: number): string {
  if (!Number.isFinite(p)) return "n/a";
  return p < 0.001 ? "<0.001" : p.toFixed(3);
}

function verdictText(d: PairedDiff): string {
  if (d.verdict === "identical") return "identical on every seed";
  if (d.verdict !== "no clear difference") return d.verdict;
  return d.seedsToDecide === null ? d.verdict : `${d.verdict} · run about ${d.seedsToDecide} seeds to decide`;
}

export function formatComparison(r: FormattableComparison): string {
  const [base, ...others] = r.variants as [string, ...string[]];
  const s = r.statistics;
  const lines = [
    `kubetwin compare · ${r.scenario} · ${r.variants.join(" vs ")} · ${r.seeds.length} seeds (paired)`,
    `verdict at Holm-adjusted p < ${s.alpha} over ${s.family} (${s.size} comparisons); seeds to decide at ${s.precision}`,
  ];
  for (const v of others) {
    const w = Math.max(12, base.length + 2, v.length + 2);
    const dw = Math.max(14, base.length + v.length + 5);
    lines.push("", `  ${"metric".padEnd(28)}${base.padStart(w)}${v.padStart(w)}${`${v} − ${base}`.padStart(dw)}   ${"95% interval".padEnd(30)}${"p adj".padStart(7)}${"d".padStart(7)}  verdict`);
    for (const m of r.metrics) {
      const d = m.diffs[v] as PairedDiff;
      const ci = `[${formatValue(d.ciLow, m.unit)}, ${formatValue(d.ciHigh, m.unit)}] ${d.interval === "t" ? "t" : "boot"}`;
      const effect = Number.isFinite(d.effectSize) ? d.effectSize.toFixed(2) : "n/a";
      lines.push(
        `  ${m.name.padEnd(28)}${formatValue(m.mean[base] as number, m.unit).padStart(w)}${formatValue(m.mean[v] as number, m.unit).padStart(w)}${formatValue(d.mean, m.unit).padStart(dw)}   ${ci.padEnd(30)}${(d.inFamily ? formatP(d.pAdjusted) : "–").padStart(7)}${effect.padStart(7)}  ${verdictText(d)}`,
      );
    }
  }
  lines.push(
    "",
    `interval: t = Student t (p from the paired t-test); boot = bootstrap expanded percentile, shown when the differences are clearly non-normal (all equal, |skewness| > ${skewnessMax} or excess kurtosis > ${excessKurtosisMax}; p from the Wilcoxon signed-rank test). d = mean difference / sd of the differences.`,
  );
  return lines.join("\n");
}
