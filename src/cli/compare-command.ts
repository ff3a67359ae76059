/** `kubetwin compare <scenario> --variants A,B[,C…] --seeds 1..20 [--db FILE] [--json] [--workers N]` */
import type { ComparisonMetric as StoredMetric, ComparisonResult as StoredComparison } from "../log/comparison-result.ts";
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { SqliteLog } from "../log/sqlite-log.ts";
import type { LoadOptions } from "../scenario/load.ts";
import { comparedMetrics, type RunOutcome } from "./compare/run-metrics.ts";
import { formatComparison } from "./compare/format-comparison.ts";
import { bootstrapPrng } from "./compare/stats/bootstrap.ts";
import { mean } from "./compare/stats/moments.ts";
import { adjustFamily, comparePair, confidenceLevel, familyAlpha, type FamilyPair, type FamilySummary, type PairedDiff } from "./compare/stats/paired-comparison.ts";
import { formatPrecision, parsePrecision, precisionDefault, type Precision } from "./compare/stats/seeds-needed.ts";
import { BadInput, ExpectationFailed, exitOk, IntegrityFailed, Interrupted, UsageError, withNote, type CliError, type FailedRun } from "./exit-codes.ts";
import { reproduceCommand } from "./reproduce.ts";
import { WorkerPool, type JobFailure, type PoolJob } from "./compare/pool.ts";
import { StopRequest, whileStoppable } from "./stop-signal.ts";
import { limitsOption, loadFlags, type ResolvedRun } from "./load-plan.ts";
import { progressBar } from "./progress.ts";
import { parseIntArg } from "./int-arg.ts";
import { checkWritableFile, sameFile } from "./output-path.ts";
import { parseSeeds } from "./seeds.ts";

export const compareHelp = `Usage: kubetwin compare <scenario.yaml> --variants A,B [options]

Runs each variant on the same seeds (common random numbers: both variants of a seed see the same
world) and prints, per metric and per variant against the first (the baseline), the means, the
paired difference with a 95% interval (t, or bootstrap when the differences are clearly
non-normal), the Holm-adjusted p-value over all variants and metrics, the effect size and a verdict;
an undecided metric says how many seeds would decide it. Runs are spread over worker threads;
results (bootstrap included) do not depend on how many. Which rule decides: docs/compare.md.
Exits 1 when an expectation failed in any run (stderr names the variants and seeds).

Options:
  --variants A,B    two or more variant names ("baseline" is the unmodified scenario)
  --seeds RANGE     seeds as 1..20 or 1,5,9 (default: 1..10)
  --db FILE         also log every run (and the comparison) to this SQLite file
  --workers N       worker threads, 1..64 (default: the number of cores, at most 8)
  --precision P     seeds-to-decide target: power=0.8 (default; chance of a verdict if the true
                    difference is the observed one) or halfwidth=5% (of the baseline's mean)
  --json            print the comparison as JSON
  --report FILE     also write a self-contained HTML comparison report
  --no-progress     never draw a progress bar
  --strict          a manifest kind the twin does not model is an error, not a warning
  --allow-outside-paths  manifest paths may be absolute or lead out of the scenario's folder
  --limit NAME=VALUE  raise a bound (file-bytes, replicas, pods, nodes, duration, events;
                    see docs/scenario-format.md), once per bound
  -h, --help        this help

Exit codes: 0 every expectation holds in every run, 1 an expectation failed, 2 bad input
(refused before any run), 3 a broken invariant, 4 an internal error (both name the variant and
seed and print the command that reproduces them).`;

/** The writer's refinement of the stored comparison (src/log/comparison-result.ts): every statistic present. */
export interface ComparisonMetric extends StoredMetric {
  /** Second variant minus first, paired by seed (the same object as diffs[second]). */
  diff: PairedDiff;
  diffs: Record<string, PairedDiff>;
}

export interface ComparisonResult extends StoredComparison {
  metrics: ComparisonMetric[];
  /** The Holm family and the rules every verdict used. */
  statistics: FamilySummary;
  runs: { variant: string; seed: number; fingerprint: string; runId: number | null }[];
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
  if (variants.length < 2 || variants.includes("") || new Set(variants).size !== variants.length) throw new UsageError(`--variants: need two or more distinct names, got "${values.variants}"`);
  const workers = values.workers === undefined ? Math.max(1, Math.min(availableParallelism(), 8)) : parseIntArg("--workers", values.workers, { min: 1, max: 64 });
  if (values.db !== undefined) checkWritableFile("--db", values.db);
  if (values.report !== undefined) {
    checkWritableFile("--report", values.report);
    if (values.db !== undefined && sameFile(values.report, values.db)) throw new UsageError(`--report ${values.report} would overwrite the log (--db ${values.db})`);
  }
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
  const jobs: PoolJob[] = o.seeds.flatMap((seed) => o.variants.map((variant) => ({ variant, seed })));
  // started first: their start-up overlaps loading and resolving the scenario below
  const pool = new WorkerPool(Math.min(o.workers, jobs.length));
  let plan: ResolvedRun["plan"];
  const runs: Record<string, ResolvedRun> = {};
  try {
    const { loadPlan, resolveRun } = await import("./load-plan.ts");
    plan = loadPlan(o.scenarioFile, o.load);
    for (const v of o.variants) runs[v] = resolveRun(plan, o.scenarioFile, v, o.load);
    if (o.dbPath !== null) SqliteLog.open(o.dbPath, { create: true }).close();
  } catch (e) {
    await pool.close();
    throw e;
  }
  const bar = progressBar(`compare ${o.variants.join(" vs ")}`, o.progress);
  const stop = new StopRequest();
  const { outcomes, failures } = await whileStoppable(stop, () =>
    pool.run({ runs, dbPath: o.dbPath, stop: stop.buffer }, jobs, (done) => bar.update(done / jobs.length, `${done}/${jobs.length} runs`)),
  ).finally(() => bar.stop());
  if (failures.length > 0 || outcomes.length !== jobs.length) throw incompleteComparison(plan, o, jobs.length, outcomes, failures, stop);
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
  const failed = failedRuns(o, outcomes);
  if (failed.length > 0) throw new ExpectationFailed(failed);
  return exitOk;
}

/**
 * A compare that did not finish every run (a run failed, or it was interrupted): the finished runs
 * stay in the log, the comparison is stored marked `incomplete` (with statistics over the seeds
 * every variant finished, when there are two or more), and the error names the variant and seed
 * that failed with its own cause, plus what was kept.
 */
function incompleteComparison(plan: ResolvedRun["plan"], o: Options, jobCount: number, outcomes: RunOutcome[], failures: JobFailure[], stop: StopRequest): CliError {
  const cause = failures.find((f) => f.error._tag !== "Interrupted") ?? failures[0];
  const seedsFinished = o.seeds.filter((seed) => o.variants.every((v) => outcomes.some((r) => r.variant === v && r.seed === seed)));
  const kept = outcomes.filter((r) => seedsFinished.includes(r.seed));
  const partial = seedsFinished.length >= 2 ? buildComparison(plan.name, { ...o, seeds: seedsFinished }, kept) : { scenario: plan.name, scenarioFile: o.scenarioFile, variants: o.variants, seeds: [] };
  const incomplete = {
    reason:
      cause === undefined || cause.error._tag === "Interrupted"
        ? `interrupted by ${stop.requested() ?? "a signal"}${cause === undefined ? "" : ` (variant ${cause.job.variant} seed ${cause.job.seed} ${cause.error.message})`}`
        : `variant ${cause.job.variant} seed ${cause.job.seed}: ${cause.error.message}`,
    failed: failures.map((f) => ({ variant: f.job.variant, seed: f.job.seed, error: f.error.message })),
    seedsAsked: o.seeds,
    runsAsked: jobCount,
    runsFinished: outcomes.map((r) => ({ variant: r.variant, seed: r.seed, runId: r.runId, fingerprint: r.fingerprint })),
  };
  let stored = "";
  if (o.dbPath !== null) {
    try {
      const log = SqliteLog.open(o.dbPath, { create: true });
      try {
        const id = log.saveComparison(plan.name, plan.sourceHash, JSON.stringify({ ...partial, incomplete }), new Date().toISOString(), "incomplete");
        stored = `; comparison ${id} stored as incomplete`;
      } finally {
        log.close();
      }
    } catch (e) {
      stored = `; the comparison could not be stored (${(e as Error).message})`;
    }
  }
  const keptIn = o.dbPath !== null && outcomes.length > 0 ? ` (kept in ${o.dbPath})` : "";
  const note = `compare: ${outcomes.length} of ${jobCount} runs finished${keptIn}${stored}`;
  const signal = stop.requested();
  if (cause === undefined || cause.error._tag === "Interrupted") return new Interrupted(signal ?? "SIGINT", note);
  const named = `variant ${cause.job.variant} seed ${cause.job.seed} failed`;
  const error = cause.error;
  // errors without a run context get the variant and seed in their text; the others print them
  if (error._tag === "BadInput") return new BadInput(`${named}: ${error.message}; ${note}`);
  if (error._tag === "IntegrityFailed") return new IntegrityFailed(`${named}: ${error.message}; ${note}`);
  return withNote(error, note);
}

/** Runs whose expectations did not all hold, in variant then seed order. */
function failedRuns(o: Pick<Options, "variants" | "seeds">, outcomes: RunOutcome[]): FailedRun[] {
  const byKey = new Map(outcomes.map((r) => [`${r.variant}@${r.seed}`, r]));
  return o.variants.flatMap((variant) =>
    o.seeds.flatMap((seed) => {
      const failedExpectations = byKey.get(`${variant}@${seed}`)?.failedExpectations ?? [];
      return failedExpectations.length > 0 ? [{ variant, seed, expectations: failedExpectations }] : [];
    }),
  );
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
  for (const r of runs) command[`${r.variant}@${r.seed}`] = reproduceCommand([o.scenarioFile], r.seed, r.variant, undefined, loadFlags(o.load ?? {}));
  return { scenario, scenarioFile: o.scenarioFile, variants: o.variants, seeds: o.seeds, metrics, statistics, runs, command };
}
