/** `kubetwin report <db> [--run ID | --comparison ID|latest] [--out FILE]` */
import { parseArgs } from "node:util";
import { exitOk, UsageError } from "./exit-codes.ts";
import { writeStoredComparisonReport, writeStoredRunReport } from "./report-hooks.ts";

export const reportHelp = `Usage: kubetwin report <db> [--run ID | --comparison ID|latest] [--out FILE]

Writes one self-contained HTML report of a logged run (scripts, styles and data inline; opens
offline from file://): header with expectations, charts over virtual time with every fault
marked, scheduling latency over time and as a distribution, and a searchable event table.
With --comparison it renders a comparison that \`kubetwin compare … --db\` stored instead.

Without an id it takes the latest run (or comparison) in the log and says which on stderr.

Options:
  --run ID                   run id (default: the latest run in the log)
  --comparison ID|latest     a stored comparison (its id, or the latest one)
  --out FILE                 where to write (default: kubetwin-report.html)
  -h, --help                 this help`;

export function reportCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      run: { type: "string" },
      comparison: { type: "string" },
      out: { type: "string", default: "kubetwin-report.html" },
    },
  });
  if (positionals.length !== 1) throw new UsageError("report needs exactly one database file (see kubetwin report --help)");
  if (values.run !== undefined && values.comparison !== undefined) throw new UsageError("report: give --run or --comparison, not both");
  const db = positionals[0] as string;
  const out = values.out as string;
  const comparison = values.comparison !== undefined;
  const latest = comparison ? values.comparison === "latest" : values.run === undefined;
  const written = comparison
    ? writeStoredComparisonReport(db, latest ? undefined : values.comparison, out)
    : writeStoredRunReport(db, values.run, out);
  if (latest) {
    // the id was not given: say which one this is, so nobody reads a report of the wrong run
    const kind = comparison ? "comparison" : "run";
    const more = written.ofCount > 1 ? `the latest of ${written.ofCount} ${kind}s; another with --${kind} ID` : `the only ${kind} in the log`;
    process.stderr.write(`report: ${kind} ${written.id} (${written.about}) — ${more}\n`);
  }
  process.stdout.write(`report written to ${written.outPath}\n`);
  return exitOk;
}
