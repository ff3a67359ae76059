/** `kubetwin digest <db> [--run ID] [--json] [--allow-incomplete]`: recomputes and checks a run's fingerprint. */
import { parseArgs } from "node:util";
import { verifyRun } from "../log/run-verify.ts";
import { exitOk, IntegrityFailed, UsageError } from "./exit-codes.ts";
import { allowIncompleteHelp, openExistingLog, pickRun } from "./open-log.ts";

export const digestHelp = `Usage: kubetwin digest <db> [--run ID] [--json] [--allow-incomplete]

Recomputes the fingerprint (a hash over the canonical event log) of a run from its stored
records, prints it, and checks the whole run against what its writer wrote: every chunk of
records against the fingerprint chain, every record through the event codec, every snapshot
against its digest, and the run digest over its recorded parameters, outcome, snapshots and
metrics. Anything that does not match is listed on stderr and the exit code is 3.

Options:
  --run ID     run id (default: the latest complete run in the log, named on stderr)
  --json       print { run, status, fingerprint, recorded, events, ok, problems } as JSON
${allowIncompleteHelp}
  -h, --help   this help

Exit codes: 0 the run checks out, 2 bad input (not an event log, no such run, a run that did
not finish without --allow-incomplete), 3 the run does not match what was written.`;

export function digestCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { run: { type: "string" }, json: { type: "boolean", default: false }, "allow-incomplete": { type: "boolean", default: false } },
  });
  if (positionals.length !== 1) throw new UsageError("digest needs exactly one database file (see kubetwin digest --help)");
  const path = positionals[0] as string;
  const log = openExistingLog(path);
  try {
    const { run, notes } = pickRun(log, path, values.run, { command: "digest", allowIncomplete: values["allow-incomplete"] === true });
    for (const n of notes) process.stderr.write(`${n}\n`);
    const verified = verifyRun(log, run.id);
    const problems = [...verified.problems];
    const recorded = run.fingerprint !== null && run.fingerprint !== "" ? run.fingerprint : null;
    if (recorded !== null && recorded !== verified.fingerprint) problems.push(`its records' fingerprint ${verified.fingerprint} differs from the recorded ${recorded}`);
    const ok = problems.length === 0;
    if (values.json) {
      process.stdout.write(JSON.stringify({ run: run.id, status: run.status, fingerprint: verified.fingerprint, recorded, events: verified.events, ok, problems }) + "\n");
    } else if (ok) process.stdout.write(`${verified.fingerprint}\n`);
    if (!ok) throw new IntegrityFailed(`${path}: run ${run.id} does not match what was written:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    return exitOk;
  } finally {
    log.close();
  }
}
