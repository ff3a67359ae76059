/** `kubetwin run <scenario> | --from-log DB [--run ID] [--seed N] [--variant NAME] [--db FILE] [--json] [--report FILE]` */
import { parseArgs } from "node:util";
import { ExpectationFailed, exitOk, UsageError } from "./exit-codes.ts";
import { executeRunYielding, type Executed } from "./execute-run.ts";
import { StopRequest, whileStoppable } from "./stop-signal.ts";
import { parseIntArg } from "./int-arg.ts";
import { checkWritableFile, sameFile } from "./output-path.ts";
import { recountEveryFromEnv } from "./recount-env.ts";
import { formatSummary } from "./format-summary.ts";
import { limitsOption, loadPlan, resolveRun, type ResolvedRun } from "./load-plan.ts";
import { parseSeed } from "./seeds.ts";
import { allowIncompleteHelp, openRun, readingRun } from "./open-log.ts";
import { decodeStoredPlan } from "./stored-plan.ts";
import { codeVersion } from "./code-version.ts";
import type { LoadOptions } from "../scenario/load.ts";
import type { ScenarioPlan } from "../sim/plan.ts";
import { progressBar } from "./progress.ts";
import { planOfRecording, recordingReport, recordingServer } from "./recording-run.ts";
import { writeRunReportFile } from "./report-hooks.ts";

export const runHelp = `Usage: kubetwin run <scenario.yaml> [options]
       kubetwin run --from-log DB [--run ID] [options]

Runs one scenario variant on one seed in virtual time, logs every event to SQLite and prints a
summary: pods over time, scheduling latency percentiles, workload availability, faults and
expectations.

With --from-log, the plan comes from a logged run instead of a file: the scenario as that run
loaded it (every variant in it), on that run's seed unless --seed says otherwise. Under the run's
own variant the new run is the same (same fingerprint, with the same kubetwin); under another,
the exogenous world (workloads, faults, pod kills, load) is the recorded one and every decision
is made afresh.

A run made by \`kubetwin record\` (a live cluster's recording) has no plan: its exogenous changes
become a scenario through the import mapping (workloads at their first sighting, ScaleWorkload,
Rollout, RolloutPause/Resume and Delete faults, the nodes of time 0 as the cluster, a warning for
anything else), which runs offline; after the summary, what the cluster did (its pods per owner,
their start times) beside what the twin did, and how the twin followed each replica change.

Options:
  --seed N          seed (default: the scenario's spec.seed; with --from-log, the run's)
  --variant NAME    variant to run (default: baseline; with --from-log, the run's)
  --from-log DB     take the plan from a run logged in DB
  --run ID          with --from-log: the run (default: the latest complete one)
  --scenario FILE   with --from-log of a recording: the variants (spec.variants) of FILE, for --variant
${allowIncompleteHelp}
  --db FILE         SQLite event log to append the run to (default: kubetwin.db)
  --no-db           keep the log in memory only
  --json            print the summary as JSON
  --report FILE     also write a self-contained HTML report of the run
  --no-progress     never draw a progress bar
  --steps-max N     stop a runaway run after N engine steps (a broken invariant, exit 3)
  --strict          a manifest kind the twin does not model is an error, not a warning
  --allow-outside-paths  manifest paths may be absolute or lead out of the scenario's folder
  --limit NAME=VALUE  raise a bound (file-bytes, replicas, pods, nodes, duration, events;
                    see docs/scenario-format.md), once per bound
  -h, --help        this help

Ctrl-C (SIGINT) or SIGTERM stops the run at the next event boundary: what it logged is flushed,
the run is marked interrupted, and kubetwin exits 130 (SIGINT) or 143 (SIGTERM).

Exit codes: 0 every expectation holds, 1 an expectation failed, 2 bad input,
3 a broken invariant or a runaway run, 4 an internal error or a full disk (both print the command
that reproduces them), 130/143 interrupted.`;

export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      seed: { type: "string" },
      variant: { type: "string" },
      "from-log": { type: "string" },
      run: { type: "string" },
      scenario: { type: "string" },
      "allow-incomplete": { type: "boolean", default: false },
      db: { type: "string", default: "kubetwin.db" },
      "no-db": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      report: { type: "string" },
      "no-progress": { type: "boolean", default: false },
      "steps-max": { type: "string" },
      strict: { type: "boolean", default: false },
      "allow-outside-paths": { type: "boolean", default: false },
      limit: { type: "string", multiple: true },
    },
  });
  const load = { strict: values.strict === true, allowOutsidePaths: values["allow-outside-paths"] === true, limits: limitsOption(values.limit) };
  if (values.scenario !== undefined && values["from-log"] === undefined) throw new UsageError("--scenario gives a recording's replay its variants: it needs --from-log DB");
  const source = planSource(values, positionals, load);
  const variant = values.variant ?? source.variant;
  const resolved = resolveRun(source.plan, source.args, variant, load);
  const seed = values.seed !== undefined ? parseSeed(values.seed) : source.seed;
  const stepsMax = values["steps-max"] !== undefined ? parseIntArg("--steps-max", values["steps-max"], { min: 1, max: Number.MAX_SAFE_INTEGER }) : undefined;
  if (values["no-db"] && argv.some((a) => a === "--db" || a.startsWith("--db="))) throw new UsageError("--db and --no-db cannot be combined");
  const dbPath = values["no-db"] ? undefined : (values.db as string);
  if (values.report !== undefined && dbPath === undefined) throw new UsageError(`--report ${values.report} needs the SQLite log (drop --no-db)`);
  if (dbPath !== undefined) checkWritableFile("--db", dbPath);
  if (values.report !== undefined) {
    checkWritableFile("--report", values.report);
    if (dbPath !== undefined && sameFile(values.report, dbPath)) throw new UsageError(`--report ${values.report} would overwrite the log (--db ${dbPath})`);
  }
  return runResolved({
    resolved,
    seed,
    ...(dbPath !== undefined ? { dbPath } : {}),
    ...(stepsMax !== undefined ? { stepsMax } : {}),
    ...(values.report !== undefined ? { reportPath: values.report } : {}),
    json: values.json === true,
    progress: values["no-progress"] !== true,
    // with --json, stdout stays one JSON document: the tables go to stderr
    ...(source.afterSummary !== undefined ? { afterSummary: (e: Executed) => (values.json === true ? process.stderr : process.stdout).write(source.afterSummary!(e, dbPath).join("\n") + "\n") } : {}),
  });
}

export interface RunResolvedOptions {
  resolved: ResolvedRun;
  seed: number;
  dbPath?: string;
  stepsMax?: number;
  reportPath?: string;
  json: boolean;
  /** A progress bar on a terminal (never with --json). */
  progress: boolean;
  /** Printed after the summary, before a failed expectation ends the command (import's lifecycle table). */
  afterSummary?: (executed: Executed) => void;
}

/**
 * One resolved run as `run` carries it out: a progress bar, SIGINT/SIGTERM stop it at an event
 * boundary, the summary (text or JSON), the report, exit 1 when an expectation failed. `import
 * -o FILE.db` runs its scenario through here too.
 */
export async function runResolved(o: RunResolvedOptions): Promise<number> {
  const { resolved, seed, dbPath } = o;
  const bar = progressBar(`${resolved.plan.name} seed ${seed}`, o.progress && !o.json && process.stderr.isTTY === true);
  const stop = new StopRequest();
  const executed = await whileStoppable(stop, () =>
    executeRunYielding({
      run: resolved,
      seed,
      ...(dbPath !== undefined ? { dbPath } : {}),
      ...(o.stepsMax !== undefined ? { stepsMax: o.stepsMax } : {}),
      onProgress: (f) => bar.update(f),
      recountEvery: recountEveryFromEnv(process.env),
      stop,
    }),
  ).finally(() => bar.stop());
  const s = executed.summary;
  if (o.json) process.stdout.write(JSON.stringify({ ...s, runId: executed.runId ?? null, db: dbPath ?? null }, null, 2) + "\n");
  else process.stdout.write(formatSummary(s, { wallMs: executed.wallMs, ...(dbPath ? { dbPath } : {}), ...(executed.runId !== undefined ? { runId: executed.runId } : {}) }) + "\n");
  o.afterSummary?.(executed);
  if (o.reportPath !== undefined) {
    const path = writeRunReportFile(dbPath, executed.runId, o.reportPath);
    if (!o.json) process.stdout.write(`report written to ${path}\n`);
  }
  const failed = s.expectations.filter((e) => !e.passed).map((e) => e.name);
  if (failed.length > 0) throw new ExpectationFailed([{ variant: resolved.variant, seed, expectations: failed }]);
  return exitOk;
}

interface PlanSource {
  plan: ScenarioPlan;
  /** How reproduce commands name it (ResolvedRun.source). */
  args: string[];
  variant: string;
  seed: number;
  /** A recording's replay: what the cluster did beside the twin, after the summary. */
  afterSummary?: (executed: Executed, dbPath: string | undefined) => string[];
}

/** The scenario file named, or the plan a logged run was made from (--from-log). */
function planSource(values: { "from-log"?: string; run?: string; scenario?: string; "allow-incomplete"?: boolean }, positionals: string[], load: LoadOptions): PlanSource {
  const fromLog = values["from-log"];
  if (fromLog === undefined) {
    if (values.run !== undefined) throw new UsageError("--run names a logged run: it needs --from-log DB");
    if (positionals.length !== 1) throw new UsageError("run needs exactly one scenario file, or --from-log DB (see kubetwin run --help)");
    const file = positionals[0] as string;
    const plan = loadPlan(file, load);
    return { plan, args: [file], variant: "baseline", seed: plan.seed };
  }
  if (positionals.length > 0) throw new UsageError(`--from-log takes the plan from the log: drop the scenario file ${positionals[0]}`);
  const { log, run } = openRun(fromLog, values.run, { command: "run --from-log", allowIncomplete: values["allow-incomplete"] === true });
  try {
    const where = `${fromLog}: run ${run.id}`;
    if (recordingServer(run) !== undefined) {
      const recording = planOfRecording(log, fromLog, run, values.scenario, load);
      return { plan: recording.plan, args: ["--from-log", fromLog, "--run", String(run.id)], variant: "baseline", seed: recording.plan.seed, afterSummary: (e, db) => recordingReport(recording, db, e) };
    }
    if (values.scenario !== undefined) throw new UsageError(`--scenario gives a recording's replay its variants; ${where} is not a recording (its plan has its own variants)`);
    const text = readingRun(fromLog, run, () => log.planOf(run.id));
    if (text === undefined) throw new UsageError(`${where} has no stored plan (a shadow session, or logged by a kubetwin older than plan storage): run its scenario file instead`);
    if (run.codeVersion !== codeVersion()) process.stderr.write(`run --from-log: run ${run.id} was logged by kubetwin ${run.codeVersion}, this is ${codeVersion()}: decisions may differ\n`);
    return { plan: decodeStoredPlan(text, where), args: ["--from-log", fromLog, "--run", String(run.id)], variant: run.variant, seed: run.seed };
  } finally {
    log.close();
  }
}
