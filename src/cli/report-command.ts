/** `kubetwin report <db> [--run ID | --comparison ID|latest] [--out FILE]` */
import { parseArgs } from "node:util";
import { exitOk, UsageError } from "./exit-codes.ts";
import { checkSnapshots, openRun, readingRun } from "./open-log.ts";
import { checkWritableFile, sameFile } from "./output-path.ts";
import { writeStoredComparisonReport, writeStoredRunReport } from "./report-hooks.ts";

export const reportHelp = `Usage: kubetwin report <db> [--run ID | --comparison ID|latest] [--out FILE]

Writes one self-contained HTML report of a logged run (scripts, styles and data inline; opens
offline from file://): header with expectations, charts over virtual time with every fault
marked, scheduling latency over time and as a distribution, and a searchable event table.
With --comparison it renders a comparison that \`kubetwin compare … --db\` stored instead.

Without an id it takes the latest complete run (or comparison) in the log and says which on
stderr. The run is checked before it is drawn (its run digest, every snapshot against its
digest, every chunk of records against the fingerprint chain, fault records through the event
codec): a run that does not match what was written is refused (exit 3), and nothing is written.

Options:
  --run ID                   run id (default: the latest complete run in the log)
  --comparison ID|latest     a stored comparison (its id, or the latest complete one)
  --out FILE                 where to write (default: kubetwin-report.html); only a regular
                             file is replaced (a symlink is followed to the file it points
                             to; a directory, a device such as /dev/null or the log: exit 2)
  --allow-incomplete         draw a run that did not finish (or an incomplete comparison's
                             finished seeds), said so on stderr and in the report's status
  -h, --help                 this help`;

export function reportCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      run: { type: "string" },
      comparison: { type: "string" },
      out: { type: "string", default: "kubetwin-report.html" },
      "allow-incomplete": { type: "boolean", default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError("report needs exactly one database file (see kubetwin report --help)");
  if (values.run !== undefined && values.comparison !== undefined) throw new UsageError("report: give --run or --comparison, not both");
  const db = positionals[0] as string;
  const out = values.out as string;
  const comparison = values.comparison !== undefined;
  const allowIncomplete = values["allow-incomplete"] === true;
  // before anything is read: a report replaces only a regular file (a symlink is followed), never the log
  checkWritableFile("--out", out);
  if (sameFile(out, db)) throw new UsageError(`--out ${out} would overwrite the log ${db}`);
  if (!comparison) {
    // picked, checked and named (on stderr) like every reading command; then drawn
    const { log, run } = openRun(db, values.run, { command: "report", allowIncomplete });
    try {
      checkSnapshots(log, db, run);
    } finally {
      log.close();
    }
    // every chunk is checked against the fingerprint chain as the report reads it, faults through the codec
    const written = readingRun(db, run, () => writeStoredRunReport(db, String(run.id), out));
    process.stdout.write(`report written to ${written.outPath}\n`);
    return exitOk;
  }
  const latest = values.comparison === "latest";
  const written = writeStoredComparisonReport(db, latest ? undefined : values.comparison, out, allowIncomplete);
  if (latest) {
    // the id was not given: say which one this is, so nobody reads a report of the wrong comparison
    const more = written.ofCount > 1 ? `the latest of ${written.ofCount} comparisons; another with --comparison ID` : "the only comparison in the log";
    process.stderr.write(`report: comparison ${written.id} (${written.about}) — ${more}\n`);
  }
  if (written.incomplete !== undefined) process.stderr.write(`report: ${written.incomplete} (--allow-incomplete)\n`);
  process.stdout.write(`report written to ${written.outPath}\n`);
  return exitOk;
}
