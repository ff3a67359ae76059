/**
 * The sections of a run summary the log stores (`runs.summary`) beyond its core: healing (node
 * loss, crash loops, rollouts, node operations, Jobs, deletions), node cost and traffic. Computed
 * by the simulator's observers (src/sim/observe, src/sim/load), printed by the CLI
 * (src/cli/format-summary.ts) and shown by the report (src/report/healing-sections.ts). Defined
 * once here, between writer and readers.
 */
import type { ContainerExitCause } from "../model/cluster-event.ts";
import type { PropagationPolicy } from "../model/deletion.ts";
import type { Ms } from "../model/units.ts";

export interface ZoneNodeLoss {
  zone: string;
  /** Distinct nodes that went Ready=False or Unknown. */
  nodesLost: number;
  /** Distinct nodes given a NoExecute taint by the controller. */
  nodesTainted: number;
  firstTaintMs: Ms | null;
  lastTaintMs: Ms | null;
  /** Pods deleted by the taint eviction controller (reason DeletionByTaintManager). */
  podsEvicted: number;
}

export interface WorkloadCrashLoops {
  workload: string;
  exits: number;
  restarts: number;
  /** The longest back-off a restart of one of its containers waited. */
  backOffMsMax: Ms;
  /** Its pods waiting with reason CrashLoopBackOff when the run ended. */
  inCrashLoopBackOffAtEnd: number;
  /** Exits that were kills, by cause (a failing liveness or startup probe, the OOM killer); absent: none. */
  kills?: Partial<Record<ContainerExitCause, number>>;
}

export interface DeploymentRollouts {
  deployment: string;
  /** `deployment.kubernetes.io/revision` at the end (0: none written). */
  revision: number;
  templateChanges: number;
  pauses: number;
  /** Each time Progressing turned to ProgressDeadlineExceeded. */
  deadlineExceededAtMs: Ms[];
  /** The last time Progressing turned to NewReplicaSetAvailable (absent: never). */
  lastCompletedAtMs?: Ms;
  /** Progressing's reason at the end ("" when it has none). */
  progressingAtEnd: string;
}

export interface BatchJobSummary {
  /** "cronjob/ns/name" or "job/ns/name". */
  owner: string;
  jobs: number;
  succeeded: number;
  failed: number;
  /** Failed Jobs by condition reason (BackoffLimitExceeded, DeadlineExceeded, PodFailurePolicy), in reason order. */
  failedReasons: { reason: string; jobs: number }[];
  /** Jobs neither Complete nor Failed when the run ended (deleted ones excepted). */
  activeAtEnd: number;
  podsSucceeded: number;
  podsFailed: number;
}

export interface NodeOperationSummary {
  name: string;
  node: string;
  operation: string;
  phase: string;
  reason?: string;
  startedMs?: Ms;
  finishedMs?: Ms;
  evicted: number;
  refused: number;
}

export interface DeletionSummary {
  /** "deployment/ns/name", as the Delete fault names it. */
  target: string;
  policy: PropagationPolicy;
  askedMs: Ms;
  /** When the object left the store (absent: still there at the end, or it never existed). */
  removedMs?: Ms;
  /** Orphan: the dependents whose reference to it was removed ("pod/ns/name", in order). */
  orphaned?: string[];
}

/** A node pool's nodes and their cost over the run (the cluster autoscaler's node groups, a provisioner's offerings). */
export interface NodeGroupSummary {
  pool: string;
  /** Absent for a pool the cluster autoscaler does not resize. */
  minCount?: number;
  maxCount?: number;
  nodesAtStart: number;
  nodesAtEnd: number;
  nodesPeak: number;
  nodesAdded: number;
  nodesRemoved: number;
  /** Node lifetimes summed (from each node's request, or the start, to its deletion or the end), in hours. */
  nodeHours: number;
  pricePerHour: number;
  cost: number;
}

/** Latency percentiles of the requests a Service served (a load with queueing). */
export interface LatencyPercentiles {
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

/** A Service's traffic over the run: counts, drops by cause, latency percentiles. */
export interface TrafficSummary {
  service: string;
  offeredRequests: number;
  servedRequests: number;
  droppedRequests: number;
  /** Dropped because no ready endpoint took them (or the pod holding them stopped). */
  droppedNoEndpointRequests: number;
  /** Dropped because the pod's queue was full. */
  droppedSaturatedRequests: number;
  /** Latency of the requests served, for a load with queueing (absent without). */
  latency?: LatencyPercentiles;
}

/** How summaries name the causes of container kills. */
export const containerExitCauseNames: Readonly<Record<ContainerExitCause, string>> = { LivenessProbe: "liveness probe", StartupProbe: "startup probe", OOMKilled: "OOMKilled" };

/** "liveness probe 3, OOMKilled 1": the kills among a workload's exits, by cause. */
export function killsText(kills: WorkloadCrashLoops["kills"]): string {
  if (kills === undefined) return "";
  return (Object.keys(containerExitCauseNames) as ContainerExitCause[]).flatMap((cause) => (kills[cause] === undefined ? [] : [`${containerExitCauseNames[cause]} ${kills[cause]}`])).join(", ");
}
