/** `kubetwin calibrate --from-log DB [--run ID] [-o FILE.yaml] [--allow-incomplete]` */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { calibrate, calibrationText } from "../import/calibration.ts";
import { terminalSafe } from "../scenario/terminal-text.ts";
import { formatDurationMs } from "../model/units.ts";
import { exitOk, UsageError } from "./exit-codes.ts";
import { allowIncompleteHelp, openRun, readingRun } from "./open-log.ts";
import { checkWritableFile } from "./output-path.ts";
import { podsOfRun } from "./pod-comparison-report.ts";

export const calibrateHelp = `Usage: kubetwin calibrate --from-log DB [--run ID] [-o FILE.yaml]

Fits pod start timings from a logged run — a recording of a live cluster (kubetwin record) or a
simulated run — and writes them as a scenario fragment: spec.parameters podStartMedian and
podStartSigma (bound → running, the kubelet's log-normal, maximum-likelihood fit) and
readinessDelay (running → Ready, the median), and per top owner (Deployment, StatefulSet, Job, …)
a spec.containerBehavior rule whose readyAfter is the range its pods took ([min, max] observed),
matching the owner's namespace and the labels its pods share. Only pods whose binding and start
the run observed count. Merge the fragment into a scenario so the twin's timings are the cluster's.

Options:
  --from-log DB   the event log
  --run ID        the run (default: the latest complete one)
${allowIncompleteHelp}
  -o FILE.yaml    write the fragment there (default: print it)
  -h, --help      this help`;

export async function calibrateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { "from-log": { type: "string" }, run: { type: "string" }, out: { type: "string", short: "o" }, "allow-incomplete": { type: "boolean", default: false } },
  });
  const db = values["from-log"];
  if (db === undefined || positionals.length > 0) throw new UsageError("calibrate needs --from-log DB (see kubetwin calibrate --help)");
  if (values.out !== undefined) checkWritableFile("-o", values.out);
  const { log, run } = openRun(db, values.run, { command: "calibrate", allowIncomplete: values["allow-incomplete"] === true });
  let text: string;
  let summary: string;
  try {
    const fit = calibrate(readingRun(db, run, () => podsOfRun(log, run.id)));
    if (fit.startSamples === 0 && fit.readySamples === 0) throw new UsageError(`${db}: run ${run.id} observed no pod from its binding to its start or Ready: nothing to fit`);
    text = calibrationText(fit, `run ${run.id} of ${db} (${run.scenario}, variant ${run.variant})`);
    summary = `fitted ${fit.startSamples} pod starts (median ${fit.podStartMedianMs === undefined ? "–" : formatDurationMs(fit.podStartMedianMs)}, sigma ${fit.podStartSigma ?? "–"}) and ${fit.readySamples} readiness delays over ${fit.owners.length} owner${fit.owners.length === 1 ? "" : "s"}`;
  } finally {
    log.close();
  }
  if (values.out === undefined) {
    // line by line: the escaping keeps a label from the cluster from moving the cursor, not the fragment's own newlines
    process.stdout.write(text.trimEnd().split("\n").map(terminalSafe).join("\n") + "\n");
  } else {
    writeFileSync(values.out, text);
    process.stdout.write(`${terminalSafe(values.out)}: ${summary}\n`);
  }
  return exitOk;
}
