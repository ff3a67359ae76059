/**
 * A comparison, shaped for its report: per metric the verdict of the paired interval and the seeds
 * where the variants differ most, each with the command that reproduces either run.
 */
import { metricMagnitudes, metricScale, type MetricScale } from "../model/metric-scale.ts";
import type { ComparisonMetric, ComparisonResult } from "../log/comparison-result.ts";

export interface SeedDifference {
  seed: number;
  a: number;
  b: number;
  /** b − a */
  diff: number;
  commandA: string;
  commandB: string;
}

export type Verdict = "B better" | "A better" | "no clear difference";

export interface ComparisonMetricView {
  metric: ComparisonMetric;
  /** The one unit every number of this metric is shown in (the CLI's compare table uses the same). */
  scale: MetricScale;
  verdict: Verdict;
  topSeeds: SeedDifference[];
}

/** One pairing the page shows: the first variant (A) against one other (B), as compare paired them. */
export interface ComparisonPairView {
  /** "" for the first pair (the page's historical ids), "p1-", "p2-", … for the others. */
  idPrefix: string;
  /** The two-variant result of this pair alone (see pairOf). */
  result: ComparisonResult;
  metrics: ComparisonMetricView[];
}

export interface ComparisonReportData {
  comparisonId: number | null;
  result: ComparisonResult;
  /** Every variant after the first against the first, in the order compare was given them. */
  pairs: ComparisonPairView[];
}

/** The stored command for a run if the result has one, else the documented form. */
export function reproduceCommand(result: ComparisonResult, variant: string, seed: number): string {
  for (const key of [`${variant}+${seed}`, `${variant}${seed}`, `${variant}/${seed}`, `${variant}:${seed}`, `${variant}@${seed}`]) {
    const stored = result.command[key];
    if (stored !== undefined) return stored;
  }
  return `kubetwin run ${shellQuote(result.scenarioFile)} --seed ${seed} --variant ${shellQuote(variant)}`;
}

function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:=@+-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * The verdict compare decided (Holm-adjusted p of the deciding test, and the interval it shows);
 * for a result from before those statistics, an interval that excludes zero decides.
 */
export function verdictOf(metric: ComparisonMetric): Verdict {
  const decided = metric.diff.verdict;
  if (decided !== undefined) return decided === "better" ? "B better" : decided === "worse" ? "A better" : "no clear difference";
  const { ciLow, ciHigh } = metric.diff;
  if (ciLow <= 0 && ciHigh >= 0) return "no clear difference";
  const bHigher = ciLow > 0;
  return bHigher === (metric.better === "higher") ? "B better" : "A better";
}

export function topSeedDifferences(result: ComparisonResult, metric: ComparisonMetric, count: number): SeedDifference[] {
  const [va, vb] = result.variants as [string, string];
  const rows = result.seeds.map((seed, i) => {
    const a = metric.values[va]?.[i] as number;
    const b = metric.values[vb]?.[i] as number;
    return { seed, a, b, diff: b - a, commandA: reproduceCommand(result, va, seed), commandB: reproduceCommand(result, vb, seed) };
  });
  rows.sort((x, y) => Math.abs(y.diff) - Math.abs(x.diff) || x.seed - y.seed);
  return rows.slice(0, count).filter((r) => r.diff !== 0);
}

/** The comparison of the first variant with `b` alone, as a two-variant result. */
export function pairOf(result: ComparisonResult, b: string): ComparisonResult {
  const a = result.variants[0] as string;
  const pick = <T>(r: Record<string, T>): Record<string, T> => ({ [a]: r[a] as T, [b]: r[b] as T });
  return {
    ...result,
    variants: [a, b],
    metrics: result.metrics.map((m) => ({ ...m, values: pick(m.values), mean: pick(m.mean), diff: m.diffs[b] as ComparisonMetric["diff"], diffs: { [b]: m.diffs[b] as ComparisonMetric["diff"] } })),
    runs: result.runs.filter((r) => r.variant === a || r.variant === b),
  };
}

export function shapeComparisonReport(result: ComparisonResult, comparisonId: number | null = null, topSeedCount = 3): ComparisonReportData {
  if (result.variants.length < 2) throw new Error(`a comparison needs two variants or more, this one has ${result.variants.length}`);
  const pairs = result.variants.slice(1).map((b, p) => shapePair(pairOf(result, b), p === 0 ? "" : `p${p}-`, topSeedCount));
  return { comparisonId, result, pairs };
}

function shapePair(pair: ComparisonResult, idPrefix: string, topSeedCount: number): ComparisonPairView {
  return {
    idPrefix,
    result: pair,
    metrics: pair.metrics.map((metric) => ({ metric, scale: metricScale(metric.unit, metricMagnitudes(metric)), verdict: verdictOf(metric), topSeeds: topSeedDifferences(pair, metric, topSeedCount) })),
  };
}
