/** `kubetwin explain schedule --input FILE [--json]` */
import { parseArgs } from "node:util";
import { ExplainInputError, explainSchedule, formatExplainTable } from "./explain-schedule.ts";
import { exitOk, UsageError } from "./exit-codes.ts";
import { limitsOption } from "./load-plan.ts";
import { readRegularFile } from "../scenario/manifest-files.ts";

export const explainHelp = `Usage: kubetwin explain schedule --input FILE [--json]

Explains one kube-scheduler decision: for every node, each filter plugin's code and reasons,
each score plugin's raw score, normalized score and weight, the weighted total, and the selected
node (or why none). The input is JSON: { "nodes": [v1 Node], "pods": [v1 Pod already in the
cluster, spec.nodeName set for bound ones], "pod": v1 Pod to schedule, "profile"?: one
KubeSchedulerConfiguration profile { plugins, pluginConfig } }; quantities as Kubernetes
quantity strings. Every node is evaluated (no percentageOfNodesToScore sampling).

Options:
  --input FILE   the JSON input (required)
  --limit file-bytes=SIZE  read a larger input (default 64Mi)
  --json         { selectedNode, nodes: [ { name, filter: [ { plugin, code, reasons } ],
                   scores: [ { plugin, raw, normalized, weight } ], total } ] }
  -h, --help     this help`;

export function explainCommand(argv: string[]): number {
  const [what, ...rest] = argv;
  if (what !== "schedule") throw new UsageError(`explain: unknown topic "${what ?? ""}" (known: schedule)`);
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { input: { type: "string" }, json: { type: "boolean", default: false }, limit: { type: "string", multiple: true } } });
  if (positionals.length > 0) throw new UsageError(`explain schedule: unexpected argument "${positionals[0]}"`);
  if (values.input === undefined) throw new UsageError("explain schedule needs --input FILE");
  const read = readRegularFile(values.input, limitsOption(values.limit).fileBytesMax);
  if ("error" in read) throw new UsageError(`${values.input}: ${read.error}`);
  let input: unknown;
  try {
    input = JSON.parse(read.text);
  } catch (e) {
    throw new UsageError(`${values.input}: not valid JSON: ${(e as Error).message}`);
  }
  try {
    const result = explainSchedule(input);
    process.stdout.write((values.json ? JSON.stringify(result, null, 2) : formatExplainTable(result)) + "\n");
    return exitOk;
  } catch (e) {
    if (e instanceof ExplainInputError) throw new UsageError(`${values.input}: ${e.message}`);
    throw e;
  }
}
