/** `kubetwin digest <db> [--run ID]`: recomputes the fingerprint of a run's event log. */
import { parseArgs } from "node:util";
import { hashDigest, newHash64 } from "../model/hash.ts";
import { fingerprintUpdate } from "../log/record.ts";
import { exitOk, UsageError } from "./exit-codes.ts";
import { openExistingLog, pickRun } from "./open-log.ts";

export const digestHelp = `Usage: kubetwin digest <db> [--run ID] [--json]

Recomputes the fingerprint (a hash over the canonical event log) of a run from its stored
records and prints it; warns when it differs from the fingerprint recorded at the end of the run.

Options:
  --run ID     run id (default: the latest run in the log)
  --json       print { run, fingerprint, recorded, events } as JSON
  -h, --help   this help`;

export function digestCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { run: { type: "string" }, json: { type: "boolean", default: false } },
  });
  if (positionals.length !== 1) throw new UsageError("digest needs exactly one database file (see kubetwin digest --help)");
  const path = positionals[0] as string;
  const log = openExistingLog(path);
  try {
    const run = pickRun(log, path, values.run);
    const h = newHash64();
    let events = 0;
    for (const record of log.records(run.id)) {
      fingerprintUpdate(h, record);
      events++;
    }
    const fingerprint = hashDigest(h);
    if (values.json) {
      process.stdout.write(JSON.stringify({ run: run.id, fingerprint, recorded: run.fingerprint, events }) + "\n");
    } else {
      process.stdout.write(`${fingerprint}\n`);
      if (run.fingerprint && run.fingerprint !== fingerprint) process.stderr.write(`warning: recorded fingerprint was ${run.fingerprint}\n`);
    }
    return exitOk;
  } finally {
    log.close();
  }
}
