/** `kubetwin compare <scenario> --variants A,B --seeds 1..20 [--db FILE] [--json] [--workers N]` */
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { SqliteLog } from "../log/sqlite-log.ts";
import { formatWithUnit, metricMagnitudes, metricScale, type MetricScale } from "../model/metric-scale.ts";
import { comparedMetrics, type RunOutcome } from "./compare/run-metrics.ts";
import { formatComparison } from "./compare/format-comparison.ts";
import { bootstrapPrng } from "./compare/stats/bootstrap.ts";
import { mean } from "./compare/stats/moments.ts";
import { adjustFamily, comparePair, confidenceLevel, familyAlpha, type FamilyPair, type FamilySummary, type PairedDiff } from "./compare/stats/paired-comparison.ts";
import { formatPrecision, parsePrecision, precisionDefault, type Precision } from "./compare/stats/seeds-needed.ts";
import { exitInvariantBroken, exitOk, UsageError } from "./exit-codes.ts";
import { reproduceCommand } from "./execute-run.ts";
import { checkVariant, limitsOption, loadFlags, loadPlan } from "./load-plan.ts";
import type { LoadOptions } from "../scenario/load.ts";
import { progressBar } from "./progress.ts";
import { parseSeeds } from "./seeds.ts";

export const compareHelp = `Usage: kubetwin compare <scenario.yaml> --variants A,B [options]

Runs each variant on the same seeds (common random numbers: both variants of a seed see the same
world) and prints, per metric and per variant against the first (the baseline), the means, the
paired difference with a 95% interval (t, or bootstrap when the differences are clearly
non-normal), the Holm-adjusted p-value over all variants and metrics, the effect size and a verdict;
an undecided metric says how many seeds would decide it. Runs are spread over worker threads;
results (bootstrap included) do not depend on how many. Which rule decides: docs/compare.md.

Options:
  --variants A,B    two or more variant names ("baseline" is the unmodified scenario)
  --seeds RANGE     seeds as 1..20 or 1,5,9 (default: 1..10)
  --db FILE         also log every run (and the comparison) to this SQLite file
  --workers N       worker threads (default: number of cores, at most 2 per core)
  --precision P     seeds-to-decide target: power=0.8 (default; chance of a verdict if the true
                    difference is the observed one) or halfwidth=5% (of the baseline's mean)
  --json            print the comparison as JSON
  --report FILE     also write a self-contained HTML comparison report
  --no-progress     never draw a progress bar
  --strict          a manifest kind the twin does not model is an error, not a warning
  --allow-outside-paths  manifest paths may be absolute or lead out of the scenario's folder
  --limit NAME=VALUE  raise a bound (file-bytes, replicas, pods, nodes, duration, events;
                    see docs/scenario-format.md), once per bound
  -h, --help        this help`;

export interface ComparisonMetric {
  name: string;
  unit: string;
  better: "lower" | "higher";
  values: Record<string, number[]>;
  mean: Record<string, number>;
  /** Second variant minus first, paired by seed (the same object as diffs[second]). */
  diff: PairedDiff;
  /** Every other variant minus the first, with its interval, tests and verdict. */
  diffs: Record<string, PairedDiff>;
}

export interface ComparisonResult {
  scenario: string;
  scenarioFile: string;
  variants: string[];
  seeds: number[];
  metrics: ComparisonMetric[];
  /** The Holm family and the rules every verdict used. */
  statistics: FamilySummary;
  runs: { variant: string; seed: number; fingerprint: string; runId: number | null }[];
  /** "variant@seed" → the command that reproduces that run. */
  command: Record<string, string>;
}

interface Options {
  scenarioFile: string;
  variants: string[];
  seeds: number[];
  dbPath: string | null;
  workers: number;
  json: boolean;
  report: string | undefined;
  progress: boolean;
  precision: Precision;
  load: LoadOptions;
}

function parse(argv: string[]): Options {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      variants: { type: "string" },
      seeds: { type: "string", default: "1..10" },
      db: { type: "string" },
      workers: { type: "string" },
      json: { type: "boolean", default: false },
      report: { type: "string" },
      precision: { type: "string" },
      "no-progress": { type: "boolean", default: false },
      strict: { type: "boolean", default: false },
      "allow-outside-paths": { type: "boolean", default: false },
      limit: { type: "string", multiple: true },
    },
  });
  if (positionals.length !== 1) throw new UsageError("compare needs exactly one scenario file (see kubetwin compare --help)");
  if (values.variants === undefined) throw new UsageError("compare needs --variants A,B");
  const variants = values.variants.split(",").map((v) => v.trim());
  if (variants.length < 2 || new Set(variants).size !== variants.length) throw new UsageError(`--variants: need two or more distinct names, got "${values.variants}"`);
  const workers = values.workers === undefined ? Math.max(1, Math.min(availableParallelism(), 8)) : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new UsageError(`--workers: expected 1..64, got "${values.workers}"`);
  return {
    scenarioFile: positionals[0] as string,
    variants,
    seeds: parseSeeds(values.seeds as string),
    dbPath: values.db ?? null,
    workers,
    json: values.json as boolean,
    report: values.report,
    progress: !values["no-progress"] && !values.json && process.stderr.isTTY === true,
    precision: values.precision === undefined ? precisionDefault : parsePrecision(values.precision),
    load: { strict: values.strict === true, allowOutsidePaths: values["allow-outside-paths"] === true, limits: limitsOption(values.limit) },
  };
}

export async function compareCommand(argv: string[]): Promise<number> {
  const o = parse(argv);
  const plan = loadPlan(o.scenarioFile, o.load);
  for (const v of o.variants) checkVariant(plan, v);
  if (o.dbPath !== null) SqliteLog.open(o.dbPath, { create: true }).close();
  const jobs = o.seeds.flatMap((seed) => o.variants.map((variant) => ({ variant, seed })));
  const bar = progressBar(`compare ${o.variants.join(" vs ")}`, o.progress);
  const outcomes = await runJobs(o, jobs, (done) => bar.update(done / jobs.length, `${done}/${jobs.length} runs`));
  bar.stop();
  if ("error" in outcomes) {
    process.stderr.write(`invariant broken in ${outcomes.variant} seed ${outcomes.seed}: ${outcomes.error}\nreproduce: ${outcomes.command}\n`);
    return exitInvariantBroken;
  }
  const result = buildComparison(plan.name, o, outcomes);
  let comparisonId: number | undefined;
  if (o.dbPath !== null) {
    const log = SqliteLog.open(o.dbPath, { create: true });
    comparisonId = log.saveComparison(plan.name, plan.sourceHash, JSON.stringify(result), new Date().toISOString());
    log.close();
  }
  process.stdout.write((o.json ? JSON.stringify(result, null, 2) : formatComparison(result)) + "\n");
  if (o.report !== undefined) {
    const { writeComparisonReportFile } = await import("./report-hooks.ts");
    const path = writeComparisonReportFile(result, o.report, comparisonId);
    if (!o.json) process.stdout.write(`report written to ${path}\n`);
  }
  return exitOk;
}

type JobFailure = { variant: string; seed: number; error: string; command: string };

function runJobs(o: Options, jobs: { variant: string; seed: number }[], onDone: (n: number) => void): Promise<RunOutcome[] | JobFailure> {
  return new Promise((resolve, reject) => {
    const outcomes: RunOutcome[] = [];
    let next = 0;
    let failure: JobFailure | undefined;
    const count = Math.min(o.workers, jobs.length);
    let alive = count;
    for (let w = 0; w < count; w++) {
      const worker = new Worker(new URL("./compare/worker.ts", import.meta.url), { workerData: { scenarioFile: o.scenarioFile, dbPath: o.dbPath, load: o.load } });
      const feed = () => worker.postMessage(failure === undefined && next < jobs.length ? jobs[next++] : null);
      worker.on("message", (m: { ok: true; outcome: RunOutcome } | { ok: false; variant: string; seed: number; error: string; command: string | null }) => {
        if (m.ok) outcomes.push(m.outcome);
        else failure ??= { variant: m.variant, seed: m.seed, error: m.error, command: m.command ?? reproduceCommand(o.scenarioFile, m.seed, m.variant, loadFlags(o.load)) };
        onDone(outcomes.length);
        feed();
      });
      worker.on("error", reject);
      worker.on("exit", () => {
        if (--alive === 0) resolve(failure ?? outcomes);
      });
      feed();
    }
  });
}

export function buildComparison(scenario: string, o: Pick<Options, "scenarioFile" | "variants" | "seeds"> & Partial<Pick<Options, "precision" | "load">>, outcomes: RunOutcome[]): ComparisonResult {
  const byKey = new Map(outcomes.map((r) => [`${r.variant}@${r.seed}`, r]));
  const get = (variant: string, seed: number) => byKey.get(`${variant}@${seed}`) as RunOutcome;
  const [first, second] = o.variants as [string, string];
  const family: FamilyPair[] = [];
  const metrics = comparedMetrics.map((def, i) => {
    const values: Record<string, number[]> = {};
    const means: Record<string, number> = {};
    for (const v of o.variants) {
      values[v] = o.seeds.map((seed) => get(v, seed).values[i] as number);
      means[v] = mean(values[v]);
    }
    const diffs: Record<string, PairedDiff> = {};
    for (const v of o.variants.slice(1)) {
      diffs[v] = comparePair(values[first] as number[], values[v] as number[], def.better, bootstrapPrng(o.seeds, v, def.name));
      family.push({ pair: diffs[v], better: def.better, baselineMean: means[first] as number });
    }
    return { name: def.name, unit: def.unit, better: def.better, values, mean: means, diff: diffs[second] as PairedDiff, diffs };
  });
  const runs = o.variants.flatMap((variant) =>
    o.seeds.map((seed) => {
      const r = get(variant, seed);
      return { variant, seed, fingerprint: r.fingerprint, runId: r.runId };
    }),
  );
  const precision = o.precision ?? precisionDefault;
  const statistics: FamilySummary = {
    family: "every variant against the first, on every metric whose differences are not all zero",
    size: adjustFamily(family, precision),
    method: "holm",
    alpha: familyAlpha,
    confidenceLevel,
    precision: formatPrecision(precision),
  };
  const command: Record<string, string> = {};
  for (const r of runs) command[`${r.variant}@${r.seed}`] = reproduceCommand(o.scenarioFile, r.seed, r.variant, loadFlags(o.load ?? {}));
  return { scenario, scenarioFile: o.scenarioFile, variants: o.variants, seeds: o.seeds, metrics, statistics, runs, command };
}
