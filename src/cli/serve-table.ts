/**
 * meta.k8s.io/v1 Table output, which kubectl asks for (`Accept: application/json;as=Table;…`) and
 * prints as it comes. Columns follow upstream's printers (pkg/printers/internalversion/printers.go:
 * printPod, printNode, printDeployment, printReplicaSet, printStatefulSet, printDaemonSet, printJob,
 * printCronJob, printHorizontalPodAutoscaler with formatHPAMetrics, printService, printNamespace,
 * printLease, printPodDisruptionBudget); other kinds get upstream's default Name / Created At. Priority-1
 * columns are the ones `-o wide` adds. Ages use apimachinery's duration.HumanDuration against the
 * served world's virtual now.
 */
import type { KubeJson } from "./serve-resources.ts";

interface Column {
  name: string;
  type: "string" | "integer" | "date";
  format?: string;
  priority: 0 | 1;
  cell: (o: KubeJson, nowMs: number) => string | number;
}

type Json = Record<string, unknown>;
const at = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, p) => (v !== null && typeof v === "object" ? (v as Json)[p] : undefined), o);
const str = (v: unknown, absent = "<none>"): string => (v === undefined || v === null || v === "" ? absent : String(v));
const num = (v: unknown): number => (typeof v === "number" ? v : 0);

/** apimachinery pkg/util/duration HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${Math.floor(days / 365)}y` : `${Math.floor(days / 365)}y${days % 365}d`;
  return `${Math.floor(days / 365)}y`;
}

const name: Column = { name: "Name", type: "string", format: "name", priority: 0, cell: (o) => o.metadata.name };
const age: Column = {
  name: "Age", type: "string", priority: 0,
  cell: (o, nowMs) => {
    const created = at(o, "metadata", "creationTimestamp");
    return typeof created === "string" ? humanDuration(nowMs - Date.parse(created)) : "<unknown>";
  },
};

function containersOf(o: KubeJson, ...specPath: string[]): Json[] {
  const cs = at(o, ...specPath, "containers");
  return Array.isArray(cs) ? (cs as Json[]) : [];
}
const containerNames = (...specPath: string[]): Column["cell"] => (o) => str(containersOf(o, ...specPath).map((c) => c.name).join(","));
const images = (...specPath: string[]): Column["cell"] => (o) => str(containersOf(o, ...specPath).map((c) => c.image).join(","));
function selectorText(o: KubeJson): string {
  const sel = at(o, "spec", "selector");
  const labels = at(sel, "matchLabels") as Record<string, string> | undefined;
  const exprs = (at(sel, "matchExpressions") as { key: string; operator: string; values?: string[] }[] | undefined) ?? [];
  const parts = [
    ...Object.keys(labels ?? {}).sort().map((k) => `${k}=${(labels as Record<string, string>)[k]}`),
    ...exprs.map((e) => (e.operator === "Exists" ? e.key : e.operator === "DoesNotExist" ? `!${e.key}` : `${e.key} ${e.operator.toLowerCase()} (${(e.values ?? []).join(",")})`)),
  ];
  return str(parts.join(","));
}

/**
 * printPod's Status and Ready: the pod's reason or phase, overridden by its containers' (last
 * first) waiting reason, terminated reason or exit code; Terminating while deleted (Unknown when
 * its node is unreachable); a container counts ready when it is Ready and running.
 */
function podStatusAndReady(o: KubeJson): { status: string; ready: number; total: number } {
  const podReason = at(o, "status", "reason");
  let status = typeof podReason === "string" && podReason !== "" ? podReason : str(at(o, "status", "phase"), "Pending");
  const init = podInit(o);
  let ready = init.readySidecars;
  let hasRunning = false;
  const statuses = init.reason !== undefined ? [] : ((at(o, "status", "containerStatuses") as Json[] | undefined) ?? []);
  if (init.reason !== undefined) status = init.reason;
  for (let i = statuses.length - 1; i >= 0; i--) {
    const c = statuses[i] as Json;
    const waiting = at(c, "state", "waiting", "reason");
    const terminated = at(c, "state", "terminated") as Json | undefined;
    if (typeof waiting === "string" && waiting !== "") status = waiting;
    else if (terminated !== undefined && typeof terminated.reason === "string" && terminated.reason !== "") status = terminated.reason;
    else if (terminated !== undefined) status = `ExitCode:${String(terminated.exitCode)}`;
    else if (c.ready === true && at(c, "state", "running") !== undefined) {
      hasRunning = true;
      ready++;
    }
  }
  const conditions = (at(o, "status", "conditions") as Json[] | undefined) ?? [];
  if (status === "Completed" && hasRunning) status = conditions.some((c) => c.type === "Ready" && c.status === "True") ? "Running" : "NotReady";
  const phase = at(o, "status", "phase");
  if (at(o, "metadata", "deletionTimestamp") !== undefined && podReason === "NodeLost") status = "Unknown";
  else if (at(o, "metadata", "deletionTimestamp") !== undefined && phase !== "Succeeded" && phase !== "Failed") status = "Terminating";
  return { status, ready, total: containersOf(o, "spec").length + init.sidecars };
}

/**
 * printPod's initializing branch: the first init container not done (exited 0, or a sidecar
 * started) gives Init:<terminated reason> (or Init:ExitCode:N), Init:<waiting reason> unless
 * PodInitializing, else Init:i/N; sidecars count among the containers (ready when started and
 * ready). The twin writes no Initialized condition, so an initializing pod shows its init state.
 */
function podInit(o: KubeJson): { reason?: string; readySidecars: number; sidecars: number; restarts: number; sidecarRestarts: number } {
  const specs = (at(o, "spec", "initContainers") as Json[] | undefined) ?? [];
  const sidecarNames = new Set(specs.filter((c) => c.restartPolicy === "Always").map((c) => c.name));
  const out: { reason?: string; readySidecars: number; sidecars: number; restarts: number; sidecarRestarts: number } = { readySidecars: 0, sidecars: sidecarNames.size, restarts: 0, sidecarRestarts: 0 };
  const statuses = (at(o, "status", "initContainerStatuses") as Json[] | undefined) ?? [];
  for (const [i, c] of statuses.entries()) {
    out.restarts += num(c.restartCount);
    if (sidecarNames.has(c.name)) out.sidecarRestarts += num(c.restartCount);
    const terminated = at(c, "state", "terminated") as Json | undefined;
    const waiting = at(c, "state", "waiting", "reason");
    if (terminated !== undefined && terminated.exitCode === 0) continue;
    if (sidecarNames.has(c.name) && c.started === true) {
      if (c.ready === true) out.readySidecars++;
      continue;
    }
    if (terminated !== undefined) out.reason = typeof terminated.reason === "string" && terminated.reason !== "" ? `Init:${terminated.reason}` : `Init:ExitCode:${String(terminated.exitCode)}`;
    else if (typeof waiting === "string" && waiting !== "" && waiting !== "PodInitializing") out.reason = `Init:${waiting}`;
    else out.reason = `Init:${i}/${specs.length}`;
    break;
  }
  return out;
}
const podStatus = (o: KubeJson): string => podStatusAndReady(o).status;
function podReady(o: KubeJson): string {
  const { ready, total } = podStatusAndReady(o);
  return `${ready}/${total}`;
}
/** printPod's Restarts: the init containers' while initializing, else the sidecars' and the containers' restartCount summed. */
function podRestarts(o: KubeJson): number {
  const init = podInit(o);
  if (init.reason !== undefined) return init.restarts;
  return init.sidecarRestarts + ((at(o, "status", "containerStatuses") as Json[] | undefined) ?? []).reduce((n, c) => n + num(c.restartCount), 0);
}
function nodeStatus(o: KubeJson): string {
  const conditions = (at(o, "status", "conditions") as Json[] | undefined) ?? [];
  const ready = conditions.find((c) => c.type === "Ready");
  const parts = [ready === undefined ? "Unknown" : ready.status === "True" ? "Ready" : "NotReady"];
  if (at(o, "spec", "unschedulable") === true) parts.push("SchedulingDisabled");
  return parts.join(",");
}
function nodeRoles(o: KubeJson): string {
  const labels = o.metadata.labels ?? {};
  const roles = Object.keys(labels).filter((k) => k.startsWith("node-role.kubernetes.io/")).map((k) => k.slice("node-role.kubernetes.io/".length)).filter((r) => r !== "");
  if (labels["kubernetes.io/role"]) roles.push(labels["kubernetes.io/role"]);
  return str([...new Set(roles)].sort().join(","));
}
function nodeAddress(type: string): Column["cell"] {
  return (o) => str(((at(o, "status", "addresses") as Json[] | undefined) ?? []).find((a) => a.type === type)?.address);
}

/** labels.FormatLabels: "k=v,…" in key order, "<none>" when empty. */
function formatLabels(labels: unknown): string {
  const map = (labels ?? {}) as Record<string, string>;
  return str(Object.keys(map).sort().map((k) => `${k}=${map[k]}`).join(","));
}

/** printBoolPtr: "<unset>" when absent. */
const boolText = (v: unknown): string => (typeof v === "boolean" ? (v ? "True" : "False") : "<unset>");

/** translateTimestampSince: HumanDuration since an RFC 3339 time, "<unknown>" when absent. */
function since(v: unknown, nowMs: number): string {
  return typeof v === "string" ? humanDuration(nowMs - Date.parse(v)) : "<unknown>";
}

const hasCondition = (o: KubeJson, type: string): boolean => ((at(o, "status", "conditions") as Json[] | undefined) ?? []).some((c) => c.type === type && c.status === "True");

/** printJob's Status: the first of Complete, Failed, Terminating, Suspended, FailureTarget, SuccessCriteriaMet, else Running. */
function jobStatus(o: KubeJson): string {
  if (hasCondition(o, "Complete")) return "Complete";
  if (hasCondition(o, "Failed")) return "Failed";
  if (at(o, "metadata", "deletionTimestamp") !== undefined) return "Terminating";
  if (hasCondition(o, "Suspended")) return "Suspended";
  if (hasCondition(o, "FailureTarget")) return "FailureTarget";
  if (hasCondition(o, "SuccessCriteriaMet")) return "SuccessCriteriaMet";
  return "Running";
}

/** printJob's Completions: "succeeded/completions", or "succeeded/1 of parallelism" for a work queue. */
function jobCompletions(o: KubeJson): string {
  const succeeded = num(at(o, "status", "succeeded"));
  const completions = at(o, "spec", "completions");
  if (typeof completions === "number") return `${succeeded}/${completions}`;
  const parallelism = num(at(o, "spec", "parallelism"));
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** printJob's Duration: start to completion, or to now while it runs; empty before it starts. */
function jobDuration(o: KubeJson, nowMs: number): string {
  const start = at(o, "status", "startTime");
  if (typeof start !== "string") return "";
  const end = at(o, "status", "completionTime");
  return humanDuration((typeof end === "string" ? Date.parse(end) : nowMs) - Date.parse(start));
}

/** formatHPAMetrics: "current/target" per metric, at most two, then "+ N more...". */
function hpaTargets(o: KubeJson): string {
  const specs = (at(o, "spec", "metrics") as Json[] | undefined) ?? [];
  if (specs.length === 0) return "<none>";
  const statuses = (at(o, "status", "currentMetrics") as Json[] | undefined) ?? [];
  const list = specs.map((spec, i) => hpaMetricText(spec, statuses[i]));
  const shown = list.slice(0, 2).join(", ");
  return list.length > 2 ? `${shown} + ${list.length - 2} more...` : shown;
}

function hpaMetricText(spec: Json, status: Json | undefined): string {
  const q = (v: unknown): string => (v === undefined || v === null ? "<unknown>" : String(v));
  const type = spec.type;
  const source = type === "Resource" ? "resource" : type === "ContainerResource" ? "containerResource" : type === "Pods" ? "pods" : type === "Object" ? "object" : type === "External" ? "external" : undefined;
  if (source === undefined) return "<unknown type>";
  const target = at(spec, source, "target") as Json | undefined;
  const current = status === undefined ? undefined : (at(status, source, "current") as Json | undefined);
  if (type === "Pods") return `${q(current?.averageValue)}/${q(target?.averageValue)}`;
  if (type === "Object" || type === "External") {
    return target?.averageValue !== undefined ? `${q(current?.averageValue)}/${q(target.averageValue)} (avg)` : `${q(current?.value)}/${q(target?.value)}`;
  }
  const resource = String(at(spec, source, "name"));
  const prefix = type === "ContainerResource" ? `${resource}/${String(at(spec, source, "container"))}` : resource;
  if (target?.averageValue !== undefined) return `${prefix}: ${q(current?.averageValue)}/${q(target.averageValue)}`;
  const utilization = current?.averageUtilization;
  const targetText = typeof target?.averageUtilization === "number" ? `${target.averageUtilization}%` : "<auto>";
  return `${prefix}: ${typeof utilization === "number" ? `${utilization}%` : "<unknown>"}/${targetText}`;
}

/** makePortString: "port/protocol" or "port:nodePort/protocol", comma-joined. */
function servicePorts(o: KubeJson): string {
  const ports = (at(o, "spec", "ports") as Json[] | undefined) ?? [];
  return str(ports.map((p) => `${String(p.port)}${typeof p.nodePort === "number" ? `:${p.nodePort}` : ""}/${str(p.protocol, "TCP")}`).join(","));
}

const col = (n: string, cell: Column["cell"], priority: 0 | 1 = 0, type: Column["type"] = "string"): Column => ({ name: n, type, priority, cell });

const columnsByKind: Readonly<Record<string, readonly Column[]>> = {
  Pod: [
    name, col("Ready", podReady), col("Status", podStatus), col("Restarts", podRestarts, 0, "integer"), age,
    col("IP", (o) => str(at(o, "status", "podIP")), 1), col("Node", (o) => str(at(o, "spec", "nodeName")), 1),
    col("Nominated Node", (o) => str(at(o, "status", "nominatedNodeName")), 1), col("Readiness Gates", () => "<none>", 1),
  ],
  Node: [
    name, col("Status", nodeStatus), col("Roles", nodeRoles), age, col("Version", (o) => str(at(o, "status", "nodeInfo", "kubeletVersion"), "")),
    col("Internal-IP", nodeAddress("InternalIP"), 1), col("External-IP", nodeAddress("ExternalIP"), 1),
    col("OS-Image", (o) => str(at(o, "status", "nodeInfo", "osImage"), "<unknown>"), 1),
    col("Kernel-Version", (o) => str(at(o, "status", "nodeInfo", "kernelVersion"), "<unknown>"), 1),
    col("Container-Runtime", (o) => str(at(o, "status", "nodeInfo", "containerRuntimeVersion"), "<unknown>"), 1),
  ],
  Deployment: [
    name, col("Ready", (o) => `${num(at(o, "status", "readyReplicas"))}/${num(at(o, "spec", "replicas"))}`),
    col("Up-to-date", (o) => num(at(o, "status", "updatedReplicas") ?? at(o, "status", "replicas")), 0, "integer"),
    col("Available", (o) => num(at(o, "status", "availableReplicas")), 0, "integer"), age,
    col("Containers", containerNames("spec", "template", "spec"), 1), col("Images", images("spec", "template", "spec"), 1), col("Selector", selectorText, 1),
  ],
  ReplicaSet: [
    name, col("Desired", (o) => num(at(o, "spec", "replicas")), 0, "integer"), col("Current", (o) => num(at(o, "status", "replicas")), 0, "integer"),
    col("Ready", (o) => num(at(o, "status", "readyReplicas")), 0, "integer"), age,
    col("Containers", containerNames("spec", "template", "spec"), 1), col("Images", images("spec", "template", "spec"), 1), col("Selector", selectorText, 1),
  ],
  StatefulSet: [
    name, col("Ready", (o) => `${num(at(o, "status", "readyReplicas"))}/${num(at(o, "spec", "replicas"))}`), age,
    col("Containers", containerNames("spec", "template", "spec"), 1), col("Images", images("spec", "template", "spec"), 1),
  ],
  DaemonSet: [
    name, col("Desired", (o) => num(at(o, "status", "desiredNumberScheduled")), 0, "integer"),
    col("Current", (o) => num(at(o, "status", "currentNumberScheduled")), 0, "integer"),
    col("Ready", (o) => num(at(o, "status", "numberReady")), 0, "integer"),
    col("Up-to-date", (o) => num(at(o, "status", "updatedNumberScheduled")), 0, "integer"),
    col("Available", (o) => num(at(o, "status", "numberAvailable")), 0, "integer"),
    col("Node Selector", (o) => formatLabels(at(o, "spec", "template", "spec", "nodeSelector"))), age,
    col("Containers", containerNames("spec", "template", "spec"), 1), col("Images", images("spec", "template", "spec"), 1), col("Selector", selectorText, 1),
  ],
  Job: [
    name, col("Status", jobStatus), col("Completions", jobCompletions), col("Duration", jobDuration), age,
    col("Containers", containerNames("spec", "template", "spec"), 1), col("Images", images("spec", "template", "spec"), 1), col("Selector", selectorText, 1),
  ],
  CronJob: [
    name, col("Schedule", (o) => String(at(o, "spec", "schedule"))), col("Timezone", (o) => str(at(o, "spec", "timeZone"))),
    col("Suspend", (o) => boolText(at(o, "spec", "suspend"))), col("Active", (o) => ((at(o, "status", "active") as unknown[] | undefined) ?? []).length, 0, "integer"),
    col("Last Schedule", (o, nowMs) => (at(o, "status", "lastScheduleTime") === undefined ? "<none>" : since(at(o, "status", "lastScheduleTime"), nowMs))), age,
    col("Containers", containerNames("spec", "jobTemplate", "spec", "template", "spec"), 1), col("Images", images("spec", "jobTemplate", "spec", "template", "spec"), 1),
    col("Selector", (o) => selectorText({ ...o, spec: at(o, "spec", "jobTemplate", "spec") } as KubeJson), 1),
  ],
  HorizontalPodAutoscaler: [
    name, col("Reference", (o) => `${String(at(o, "spec", "scaleTargetRef", "kind"))}/${String(at(o, "spec", "scaleTargetRef", "name"))}`),
    col("Targets", hpaTargets), col("MinPods", (o) => str(at(o, "spec", "minReplicas"), "<unset>")),
    col("MaxPods", (o) => num(at(o, "spec", "maxReplicas")), 0, "integer"), col("Replicas", (o) => num(at(o, "status", "currentReplicas")), 0, "integer"), age,
  ],
  Service: [
    name, col("Type", (o) => String(at(o, "spec", "type"))), col("Cluster-IP", (o) => str(((at(o, "spec", "clusterIPs") as string[] | undefined) ?? [])[0] ?? at(o, "spec", "clusterIP"))),
    col("External-IP", (o) => str(((at(o, "spec", "externalIPs") as string[] | undefined) ?? []).join(","))), col("Port(s)", servicePorts), age,
    col("Selector", (o) => formatLabels(at(o, "spec", "selector")), 1),
  ],
  Namespace: [name, col("Status", (o) => str(at(o, "status", "phase"), "Active")), age],
  Lease: [name, col("Holder", (o) => str(at(o, "spec", "holderIdentity"), "")), age],
  PodDisruptionBudget: [
    name, col("Min Available", (o) => str(at(o, "spec", "minAvailable"), "N/A")), col("Max Unavailable", (o) => str(at(o, "spec", "maxUnavailable"), "N/A")),
    col("Allowed Disruptions", (o) => num(at(o, "status", "disruptionsAllowed")), 0, "integer"), age,
  ],
};

const defaultColumns: readonly Column[] = [name, { name: "Created At", type: "date", priority: 0, cell: (o) => str(at(o, "metadata", "creationTimestamp")) }];

/** Does the Accept header ask for a Table (kubectl get does; other clients do not)? */
export function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && /as=Table/.test(accept.split(",")[0] ?? "");
}

function partialMetadata(o: KubeJson): Json {
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata };
}

/** A Table of objects of one kind; `withColumns` false for watch events after the first (upstream leaves them out). */
export function tableOf(kind: string, objects: readonly KubeJson[], nowMs: number, resourceVersion: string, withColumns = true): Json {
  const columns = columnsByKind[kind] ?? defaultColumns;
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: { resourceVersion },
    ...(withColumns ? { columnDefinitions: columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? "", description: "", priority: c.priority })) } : {}),
    rows: objects.map((o) => ({ cells: columns.map((c) => c.cell(o, nowMs)), object: partialMetadata(o) })),
  };
}
