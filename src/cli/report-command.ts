/** `kubetwin report <db> [--run ID] [--out FILE]` */
import { parseArgs } from "node:util";
import { exitOk, UsageError } from "./exit-codes.ts";
import { writeStoredRunReport } from "./report-hooks.ts";

export const reportHelp = `Usage: kubetwin report <db> [--run ID] [--out FILE]

Writes one self-contained HTML report of a logged run (scripts, styles and data inline; opens
offline from file://): header with expectations, charts over virtual time with every fault
marked, scheduling latency over time and as a distribution, and a searchable event table.

Options:
  --run ID      run id (default: the latest run in the log)
  --out FILE    where to write (default: kubetwin-report.html)
  -h, --help    this help`;

export function reportCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { run: { type: "string" }, out: { type: "string", default: "kubetwin-report.html" } },
  });
  if (positionals.length !== 1) throw new UsageError("report needs exactly one database file (see kubetwin report --help)");
  const path = writeStoredRunReport(positionals[0] as string, values.run, values.out as string);
  process.stdout.write(`report written to ${path}\n`);
  return exitOk;
}
