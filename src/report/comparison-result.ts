/**
 * The comparison result exactly as `kubetwin compare --json` prints it (and `comparisons.result`
 * stores it), checked on the way in so a report never draws numbers it misread.
 */
import { ReportInputError } from "./report-input-error.ts";

export interface PairedDiff {
  mean: number;
  ciLow: number;
  ciHigh: number;
  n: number;
}

export interface ComparisonMetric {
  name: string;
  unit: string;
  better: "lower" | "higher";
  /** Per variant, one value per seed, in the order of `seeds`. */
  values: Record<string, number[]>;
  mean: Record<string, number>;
  /** B − A (the second variant minus the first), paired over seeds, 95% t-interval. */
  diff: PairedDiff;
  /** Every variant after the first minus the first (the comparison's baseline), paired over seeds. */
  diffs: Record<string, PairedDiff>;
}

export interface ComparisonRun {
  variant: string;
  seed: number;
  fingerprint: string;
  runId?: number;
}

export interface ComparisonResult {
  scenario: string;
  scenarioFile: string;
  /** Two or more; the first is the baseline every other variant is paired against. */
  variants: string[];
  seeds: number[];
  metrics: ComparisonMetric[];
  runs: ComparisonRun[];
  command: Record<string, string>;
}

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
  const pairedDiff = (d: Record<string, unknown>, at: string): PairedDiff => {
    const num = (k: string): number => (isFiniteNumber(d[k]) ? d[k] : fail(`${at}.${k}`, "a number"));
    return { mean: num("mean"), ciLow: num("ciLow"), ciHigh: num("ciHigh"), n: num("n") };
  };
  const first = pairedDiff(diff, `${path}.diff`);
  // results written before `diffs` existed hold two variants and only `diff`
  const diffsIn = isObject(o.diffs) ? o.diffs : variants.length === 2 ? { [variants[1] as string]: diff } : fail(`${path}.diffs`, "an object");
  const diffs: Record<string, PairedDiff> = {};
  for (const v of variants.slice(1)) diffs[v] = pairedDiff(isObject(diffsIn[v]) ? diffsIn[v] : fail(`${path}.diffs.${v}`, "an object"), `${path}.diffs.${v}`);
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

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}
