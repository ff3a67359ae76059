/** `kubetwin explain schedule|hpa --input FILE [--json]` */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { explainHpa, formatHpaExplanation } from "./explain-hpa.ts";
import { ExplainInputError, explainSchedule, formatExplainTable } from "./explain-schedule.ts";
import { exitOk, UsageError } from "./exit-codes.ts";

export const explainHelp = `Usage: kubetwin explain schedule --input FILE [--json]
       kubetwin explain hpa --input FILE [--json]

explain schedule: one kube-scheduler decision: for every node, each filter plugin's code and
reasons, each score plugin's raw score, normalized score and weight, the weighted total, and the
selected node (or why none). The input is JSON: { "nodes": [v1 Node], "pods": [v1 Pod already in
the cluster, spec.nodeName set for bound ones], "pod": v1 Pod to schedule, "profile"?: one
KubeSchedulerConfiguration profile { plugins, pluginConfig } }; quantities as Kubernetes
quantity strings. Every node is evaluated (no percentageOfNodesToScore sampling).

explain hpa: one HorizontalPodAutoscaler sync as upstream's controller does it: each metric's
proposal, the recommendation (the largest), the stabilized recommendation, the rate or min/max
limit, and the conditions AbleToScale, ScalingActive, ScalingLimited. The input is JSON:
{ "now": RFC 3339, "hpa": autoscaling/v2 HPA with status.currentReplicas, "pods": [v1 Pod the
target selects], "podMetrics": [metrics.k8s.io/v1beta1 PodMetrics], "customMetrics"?:
{ metric: { pod: quantity } }, "objectMetrics"?: { "Kind/name": { metric: quantity } },
"externalMetrics"?: { metric: [quantity] }, "history"?: { recommendations: [{ timestamp,
replicas }], scaleUpEvents / scaleDownEvents: [{ timestamp, replicaChange }] }, "options"?:
{ tolerance, cpuInitializationPeriod, delayOfInitialReadinessStatus,
downscaleStabilizationWindow } } (durations as "30s", "5m").

Options:
  --input FILE   the JSON input (required)
  --json         schedule: { selectedNode, nodes: [ { name, filter: [ { plugin, code, reasons } ],
                   scores: [ { plugin, raw, normalized, weight } ], total } ] }
                 hpa: { desiredReplicas, recommendation, stabilizedRecommendation, limitedBy,
                   metrics: [ { type, name, replicas?, utilizationPercent?, averageValue?,
                   value?, error? } ], conditions: [ { type, status, reason, message } ] }
  -h, --help     this help`;

const topics = ["schedule", "hpa"] as const;

function readInput(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new UsageError(`${path}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : `not valid JSON: ${(e as Error).message}`}`);
  }
}

function render(what: (typeof topics)[number], input: unknown, json: boolean): string {
  if (what === "schedule") {
    const result = explainSchedule(input);
    return json ? JSON.stringify(result, null, 2) : formatExplainTable(result);
  }
  const result = explainHpa(input);
  const current = (input as { hpa?: { status?: { currentReplicas?: number } } }).hpa?.status?.currentReplicas;
  return json ? JSON.stringify(result, null, 2) : formatHpaExplanation(result, current);
}

export function explainCommand(argv: string[]): number {
  const [what, ...rest] = argv;
  if (what !== "schedule" && what !== "hpa") throw new UsageError(`explain: unknown topic "${what ?? ""}" (known: ${topics.join(", ")})`);
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { input: { type: "string" }, json: { type: "boolean", default: false } } });
  if (positionals.length > 0) throw new UsageError(`explain ${what}: unexpected argument "${positionals[0]}"`);
  if (values.input === undefined) throw new UsageError(`explain ${what} needs --input FILE`);
  const input = readInput(values.input);
  try {
    process.stdout.write(render(what, input, values.json) + "\n");
    return exitOk;
  } catch (e) {
    if (e instanceof ExplainInputError) throw new UsageError(`${values.input}: ${e.message}`);
    throw e;
  }
}
