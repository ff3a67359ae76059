/** `kubetwin explain schedule|hpa|pdb|eviction --input FILE [--json]`, `kubetwin explain scale-down --log DB --at T` */
import { parseArgs } from "node:util";
import { explainEviction, explainPdb, formatEviction, formatPdbExplanation } from "./explain-disruption.ts";
import { explainHpa, formatHpaExplanation } from "./explain-hpa.ts";
import { ExplainInputError, explainSchedule, formatExplainTable } from "./explain-schedule.ts";
import { exitOk, UsageError } from "./exit-codes.ts";
import { limitsOption } from "./load-plan.ts";
import { readRegularFile } from "../scenario/manifest-files.ts";
import { explainScaleDownCommand, explainScaleDownHelp } from "./explain-scale-down.ts";

export const explainHelp = `Usage: kubetwin explain schedule|hpa|pdb|eviction --input FILE [--json]
       kubetwin explain scale-down --log DB --at T [--run ID] [--node N] [--json]

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

explain pdb: the disruption controller's status for one PodDisruptionBudget. Input
{ "pdb": v1 PodDisruptionBudget, "pods": [v1 Pod with phase, Ready condition, ownerReferences,
deletionTimestamp], "owners": [the owning objects (any kind) with spec.replicas], "now"?: time
(default: now) } → { status: { disruptionsAllowed, currentHealthy, desiredHealthy, expectedPods,
disruptedPods? }, explanation }.

explain eviction: the Eviction API's answer for one pod. Input { "pod": v1 Pod, "pdbs": [v1
PodDisruptionBudget with status], "now"?: time } → { allowed, httpStatus (201, 429, 403, 500),
message, pdbChecked, pdb?, disruptionsAllowedAfter? }.

explain scale-down: for every node of a logged run, why the cluster autoscaler did or did not
remove it at time T, in upstream's reasons (kubetwin explain scale-down --help).

Options:
  --input FILE   the JSON input (required)
  --limit file-bytes=SIZE  read a larger input (default 64Mi)
  --json         schedule: { selectedNode, nodes: [ { name, filter: [ { plugin, code, reasons } ],
                   scores: [ { plugin, raw, normalized, weight } ], total } ] }
                 hpa: { desiredReplicas, recommendation, stabilizedRecommendation, limitedBy,
                   metrics: [ { type, name, replicas?, utilizationPercent?, averageValue?,
                   value?, error? } ], conditions: [ { type, status, reason, message } ] }
  -h, --help     this help`;

/** The input file: a regular file within the size limit (exit 2 otherwise), parsed as JSON. */
function readInput(path: string, limits: string[] | undefined): unknown {
  const read = readRegularFile(path, limitsOption(limits).fileBytesMax);
  if ("error" in read) throw new UsageError(`${path}: ${read.error}`);
  try {
    return JSON.parse(read.text);
  } catch (e) {
    throw new UsageError(`${path}: not valid JSON: ${(e as Error).message}`);
  }
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** Each topic: the input JSON → what is printed (a table, or --json). */
const topics: Record<string, (input: unknown, asJson: boolean) => string> = {
  schedule: (input, asJson) => {
    const result = explainSchedule(input);
    return asJson ? json(result) : formatExplainTable(result);
  },
  hpa: (input, asJson) => {
    const result = explainHpa(input);
    const current = (input as { hpa?: { status?: { currentReplicas?: number } } }).hpa?.status?.currentReplicas;
    return asJson ? json(result) : formatHpaExplanation(result, current);
  },
  pdb: (input, asJson) => {
    const result = explainPdb(input, Date.now());
    return asJson ? json(result) : formatPdbExplanation(result);
  },
  eviction: (input, asJson) => {
    const result = explainEviction(input, Date.now());
    return asJson ? json(result) : formatEviction(result);
  },
};

export function explainCommand(argv: string[]): number {
  const [what, ...rest] = argv;
  if (what === "scale-down") {
    if (rest.includes("--help") || rest.includes("-h")) {
      process.stdout.write(explainScaleDownHelp + "\n");
      return exitOk;
    }
    return explainScaleDownCommand(rest);
  }
  const explain = topics[what ?? ""];
  if (explain === undefined) throw new UsageError(`explain: unknown topic "${what ?? ""}" (known: ${[...Object.keys(topics), "scale-down"].join(", ")})`);
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { input: { type: "string" }, json: { type: "boolean", default: false }, limit: { type: "string", multiple: true } } });
  if (positionals.length > 0) throw new UsageError(`explain ${what}: unexpected argument "${positionals[0]}"`);
  if (values.input === undefined) throw new UsageError(`explain ${what} needs --input FILE`);
  const input = readInput(values.input, values.limit);
  try {
    process.stdout.write(explain(input, values.json) + "\n");
    return exitOk;
  } catch (e) {
    if (e instanceof ExplainInputError) throw new UsageError(`${values.input}: ${e.message}`);
    throw e;
  }
}
