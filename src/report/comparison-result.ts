/**
 * The decoder of a comparison result (src/log/comparison-result.ts) as `kubetwin compare --json`
 * prints it and `comparisons.result` stores it, checked on the way in so a report never draws
 * numbers it misread.
 */
import type { ComparisonMetric, ComparisonResult, ComparisonStatistics, PairedDiff } from "../log/comparison-result.ts";
import { ReportInputError } from "./report-input-error.ts";

export type { ComparisonMetric, ComparisonResult } from "../log/comparison-result.ts";

export function parseComparisonResult(text: string, where: string): ComparisonResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ReportInputError(`${where}: comparison result is not JSON (${(e as Error).message})`);
  }
  const fail = (path: string, expected: string): never => {
    throw new ReportInputError(`${where}: comparison result ${path}: expected ${expected}`);
  };
  const r = isObject(value) ? value : fail("(root)", "an object");
  const variants = r.variants;
  if (!Array.isArray(variants) || variants.length < 2 || !variants.every((v) => typeof v === "string")) fail("variants", "two or more variant names");
  const names = variants as string[];
  const seeds = Array.isArray(r.seeds) && r.seeds.every(isFiniteNumber) ? (r.seeds as number[]) : fail("seeds", "an array of numbers");
  const metrics = Array.isArray(r.metrics) ? r.metrics : fail("metrics", "an array");
  return {
    scenario: typeof r.scenario === "string" ? r.scenario : fail("scenario", "a string"),
    scenarioFile: typeof r.scenarioFile === "string" ? r.scenarioFile : fail("scenarioFile", "a string"),
    variants: names,
    seeds,
    metrics: metrics.map((m, i) => parseMetric(m, `metrics[${i}]`, names, seeds.length, fail)),
    ...(r.statistics === undefined ? {} : { statistics: parseStatistics(r.statistics, fail) }),
    runs: (Array.isArray(r.runs) ? r.runs : fail("runs", "an array")).map((run, i) => {
      const o = isObject(run) ? run : fail(`runs[${i}]`, "an object");
      return {
        variant: String(o.variant),
        seed: isFiniteNumber(o.seed) ? o.seed : fail(`runs[${i}].seed`, "a number"),
        fingerprint: String(o.fingerprint ?? ""),
        ...(isFiniteNumber(o.runId) ? { runId: o.runId } : {}),
      };
    }),
    command: isObject(r.command) ? (Object.fromEntries(Object.entries(r.command).map(([k, v]) => [k, String(v)])) as Record<string, string>) : {},
  };
}

function parseMetric(m: unknown, path: string, variants: string[], seedCount: number, fail: (p: string, e: string) => never): ComparisonMetric {
  const o = isObject(m) ? m : fail(path, "an object");
  const values = isObject(o.values) ? o.values : fail(`${path}.values`, "an object");
  const mean = isObject(o.mean) ? o.mean : fail(`${path}.mean`, "an object");
  const diff = isObject(o.diff) ? o.diff : fail(`${path}.diff`, "an object");
  const outValues: Record<string, number[]> = {};
  const outMean: Record<string, number> = {};
  for (const v of variants) {
    const vs = values[v];
    if (!Array.isArray(vs) || vs.length !== seedCount || !vs.every(isFiniteNumber)) fail(`${path}.values.${v}`, `${seedCount} numbers, one per seed`);
    outValues[v] = vs as number[];
    outMean[v] = isFiniteNumber(mean[v]) ? mean[v] : fail(`${path}.mean.${v}`, "a number");
  }
  const parseDiff = (d: Record<string, unknown>, at: string): PairedDiff => {
    const num = (k: string): number => (isFiniteNumber(d[k]) ? d[k] : fail(`${at}.${k}`, "a number"));
    return { mean: num("mean"), ciLow: num("ciLow"), ciHigh: num("ciHigh"), n: num("n"), ...(d.interval === undefined ? {} : parseStats(d, at, fail)) };
  };
  const first = parseDiff(diff, `${path}.diff`);
  // Results written before compare took three or more variants have no `diffs`: the one pair is `diff`.
  const rawDiffs = isObject(o.diffs) ? o.diffs : { [variants[1] as string]: diff };
  const diffs: Record<string, PairedDiff> = {};
  for (const v of variants.slice(1)) {
    const d = rawDiffs[v];
    diffs[v] = v === variants[1] ? first : parseDiff(isObject(d) ? d : fail(`${path}.diffs.${v}`, "an object"), `${path}.diffs.${v}`);
  }
  return {
    name: typeof o.name === "string" ? o.name : fail(`${path}.name`, "a string"),
    unit: typeof o.unit === "string" ? o.unit : "",
    better: o.better === "lower" || o.better === "higher" ? o.better : fail(`${path}.better`, '"lower" or "higher"'),
    values: outValues,
    mean: outMean,
    diff: first,
    diffs,
  };
}

type Fail = (p: string, e: string) => never;

/** The statistics compare adds to a difference; all or nothing, so a verdict is never half-read. */
function parseStats(d: Record<string, unknown>, path: string, fail: Fail): Omit<PairedDiff, "mean" | "ciLow" | "ciHigh" | "n"> {
  const oneOf = <T extends string>(k: string, options: readonly T[]): T => (options.includes(d[k] as T) ? (d[k] as T) : fail(`${path}.${k}`, options.map((o) => `"${o}"`).join(" or ")));
  const part = (k: string, keys: readonly string[]): Record<string, number> => {
    const o = isObject(d[k]) ? d[k] : fail(`${path}.${k}`, "an object");
    return Object.fromEntries(keys.map((key) => [key, isFiniteNumber(o[key]) ? o[key] : fail(`${path}.${k}.${key}`, "a number")]));
  };
  const prob = (k: string): number => (isFiniteNumber(d[k]) && (d[k] as number) >= 0 && (d[k] as number) <= 1 ? (d[k] as number) : fail(`${path}.${k}`, "a probability"));
  const numOrNull = (k: string): number | null => (d[k] === null ? null : isFiniteNumber(d[k]) ? d[k] : fail(`${path}.${k}`, "a number or null"));
  return {
    interval: oneOf("interval", ["t", "bootstrap"] as const),
    t: part("t", ["low", "high", "p"]) as PairedDiff["t"],
    bootstrap: part("bootstrap", ["low", "high", "resamples"]) as PairedDiff["bootstrap"],
    wilcoxon: part("wilcoxon", ["p", "statistic"]) as PairedDiff["wilcoxon"],
    test: oneOf("test", ["t", "wilcoxon"] as const),
    p: prob("p"),
    pAdjusted: prob("pAdjusted"),
    inFamily: d.inFamily === true,
    nonNormal: typeof d.nonNormal === "string" ? d.nonNormal : null,
    effectSize: numOrNull("effectSize"),
    verdict: oneOf("verdict", ["better", "worse", "no clear difference", "identical"] as const),
    seedsToDecide: numOrNull("seedsToDecide"),
  };
}

function parseStatistics(v: unknown, fail: Fail): ComparisonStatistics {
  const o = isObject(v) ? v : fail("statistics", "an object");
  const n = (k: string): number => (isFiniteNumber(o[k]) ? o[k] : fail(`statistics.${k}`, "a number"));
  const str = (k: string): string => (typeof o[k] === "string" ? o[k] : fail(`statistics.${k}`, "a string"));
  return { family: str("family"), size: n("size"), method: str("method"), alpha: n("alpha"), confidenceLevel: n("confidenceLevel"), precision: str("precision") };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}
