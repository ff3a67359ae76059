/** `kubetwin run <scenario> [--seed N] [--variant NAME] [--db FILE] [--json] [--report FILE]` */
import { parseArgs } from "node:util";
import { exitExpectationFailed, exitOk, UsageError } from "./exit-codes.ts";
import { executeRun } from "./execute-run.ts";
import { formatSummary } from "./format-summary.ts";
import { checkVariant, limitsOption, loadFlags, loadPlan } from "./load-plan.ts";
import { parseSeed } from "./seeds.ts";
import { progressBar } from "./progress.ts";
import { writeRunReportFile } from "./report-hooks.ts";

export const runHelp = `Usage: kubetwin run <scenario.yaml> [options]

Runs one scenario variant on one seed in virtual time, logs every event to SQLite and prints a
summary: pods over time, scheduling latency percentiles, workload availability, faults and
expectations.

Options:
  --seed N          seed (default: the scenario's spec.seed)
  --variant NAME    variant to run (default: baseline)
  --db FILE         SQLite event log to append the run to (default: kubetwin.db)
  --no-db           keep the log in memory only
  --json            print the summary as JSON
  --report FILE     also write a self-contained HTML report of the run
  --no-progress     never draw a progress bar
  --strict          a manifest kind the twin does not model is an error, not a warning
  --allow-outside-paths  manifest paths may be absolute or lead out of the scenario's folder
  -h, --help        this help

Exit codes: 0 every expectation holds, 1 an expectation failed, 2 bad input,
3 a broken invariant (the command that reproduces it is printed).`;

export function runCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      seed: { type: "string" },
      variant: { type: "string", default: "baseline" },
      db: { type: "string", default: "kubetwin.db" },
      "no-db": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      report: { type: "string" },
      "no-progress": { type: "boolean", default: false },
      strict: { type: "boolean", default: false },
      "allow-outside-paths": { type: "boolean", default: false },
      limit: { type: "string", multiple: true },
    },
  });
  if (positionals.length !== 1) throw new UsageError("run needs exactly one scenario file (see kubetwin run --help)");
  const scenarioFile = positionals[0] as string;
  const load = { strict: values.strict === true, allowOutsidePaths: values["allow-outside-paths"] === true, limits: limitsOption(values.limit) };
  const plan = loadPlan(scenarioFile, load);
  const variant = values.variant as string;
  checkVariant(plan, variant);
  const seed = values.seed !== undefined ? parseSeed(values.seed) : plan.seed;
  const dbPath = values["no-db"] ? undefined : (values.db as string);
  if (values.report !== undefined && dbPath === undefined) throw new UsageError(`--report ${values.report} needs the SQLite log (drop --no-db)`);
  const bar = progressBar(`${plan.name} seed ${seed}`, !values["no-progress"] && !values.json && process.stderr.isTTY === true);
  const executed = executeRun({ plan, scenarioFile, seed, variant, eventsMax: load.limits.eventsMax, loadFlags: loadFlags(load), ...(dbPath ? { dbPath } : {}), onProgress: (f) => bar.update(f) });
  bar.stop();
  const s = executed.summary;
  if (values.json) process.stdout.write(JSON.stringify({ ...s, runId: executed.runId ?? null, db: dbPath ?? null }, null, 2) + "\n");
  else process.stdout.write(formatSummary(s, { wallMs: executed.wallMs, ...(dbPath ? { dbPath } : {}), ...(executed.runId !== undefined ? { runId: executed.runId } : {}) }) + "\n");
  if (values.report !== undefined) {
    const path = writeRunReportFile(dbPath, executed.runId, values.report);
    if (!values.json) process.stdout.write(`report written to ${path}\n`);
  }
  return s.expectations.every((e) => e.passed) ? exitOk : exitExpectationFailed;
}
