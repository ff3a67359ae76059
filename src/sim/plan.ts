/**
 * The plain plan the engine accepts: everything a run needs, already validated and converted to
 * integer units. Scenario files decode into this (src/scenario); tests and benchmarks may build
 * one directly. Variants are partial overrides applied with `applyVariant`.
 */
import type { Deployment, Labels, NodeSelectorRequirement, Pod, PodTemplate, ReplicaSet, ResourceList, Taint } from "../model/objects.ts";
import type { InstanceTypeSpec } from "../policies/autoscaling/provisioner/instance-types.ts";
import type { ConsolidationPolicy, DisruptionBudget, ProvisionerOptions } from "../policies/autoscaling/provisioner/node-pool.ts";
import type { Ratio } from "../model/ratio.ts";
import type { StoredObject } from "../model/stored-objects.ts";
import type { PropagationPolicy, WorkloadKind } from "../model/deletion.ts";
import type { LoadPlan } from "./load/load-plan.ts";
import type { Profile } from "../policies/scheduling/profile.ts";
import type { Ms } from "../model/units.ts";
import type { ContainerBehaviorPlan, DurationRangeMs } from "./kubelet/container-behavior.ts";
import type { ImagePlan, ImagePullParameters } from "./kubelet/image-puller.ts";
import type { ClusterAutoscalerOptions } from "../policies/autoscaling/cluster-autoscaler/options.ts";
import type { VpaUpdaterOptions } from "../policies/autoscaling/vpa/updater-options.ts";

export interface NodePoolPlan {
  name: string;
  count: number;
  /** Nodes are spread round-robin over these zones (node i → zones[i % zones.length]). */
  zones: string[];
  allocatable: ResourceList;
  /** Override the node labels a real node carries (node-labels.ts); pool `labels` override those too. */
  labels: Labels;
  taints: Taint[];
  /** node.kubernetes.io/instance-type (default: the pool's name). */
  instanceType?: string;
  /** topology.kubernetes.io/region (default: derived from each node's zone, "us-east1-b" → "us-east1"). */
  region?: string;
  /** A node group the cluster autoscaler may resize within [minCount, maxCount] (count is the start size). */
  autoscaling?: { minCount: number; maxCount: number };
  /** What one node costs per hour of its life (from the request to its deletion), for the run's cost. */
  pricePerHour?: number;
  /** From a node's request to it joining Ready, drawn per node from `world/node/<node>/provision` (default 0). */
  provisioningDelayMs?: DurationRangeMs;
  /** Spot capacity (labelled `kubetwin.io/spot: "true"`); the price is the pool's. */
  spot?: boolean;
  /** A Karpenter NodePool: the provisioner launches its nodes (count 0) from the catalogue's offerings. */
  provisioner?: ProvisionerPoolPlan;
}

/** A Karpenter NodePool's own fields (the pool's zones, labels, taints and provisioningDelay apply to its nodes). */
export interface ProvisionerPoolPlan {
  weight: number;
  requirements: NodeSelectorRequirement[];
  limits: ResourceList;
  consolidationPolicy: ConsolidationPolicy;
  /** undefined: Never. */
  consolidateAfterMs: Ms | undefined;
  budgets: DisruptionBudget[];
  /** The instance types it may choose from (the scenario's, or the built-in catalogue). */
  instanceTypes: InstanceTypeSpec[];
}

/** Workloads arrive as already-converted objects (uid/creation filled in by the api server). */
export type WorkloadPlan =
  | { kind: "Deployment"; object: Deployment; atMs: Ms }
  | { kind: "ReplicaSet"; object: ReplicaSet; atMs: Ms }
  | { kind: "Pod"; object: Pod; atMs: Ms }
  /** Every kind of the generic object store: PriorityClass, PodDisruptionBudget, …, HorizontalPodAutoscaler, Service. */
  | { kind: "PolicyObject"; object: StoredObject; atMs: Ms };

/** Which nodes a fault hits: one by name, all of a zone, or the i-th of a pool. */
export type NodeTarget = { node: string } | { zone: string } | { pool: string; index: number };

/** A control-plane member by id (1-based), or whichever member leads at that moment. */
export type MemberTarget = number | "leader";

export type FaultPlan =
  | { kind: "NodeCrash"; atMs: Ms; target: NodeTarget; label: string }
  /** A spot interruption notice for one node, or for `count` spot nodes of a pool chosen from the fault's stream; the instance is reclaimed 2 minutes later. */
  | { kind: "SpotInterruption"; atMs: Ms; target: { node: string } | { pool: string; count: number }; label: string }
  | { kind: "ControlPlaneIsolate"; atMs: Ms; member: MemberTarget; label: string }
  | { kind: "ControlPlaneHeal"; atMs: Ms; label: string }
  | { kind: "ControlPlaneCrash"; atMs: Ms; member: MemberTarget; label: string }
  | { kind: "ControlPlaneRestart"; atMs: Ms; member: number | "crashed"; label: string }
  | { kind: "ControlPlaneSlowDisk"; atMs: Ms; member: MemberTarget; factor: number; durationMs: Ms; label: string }
  | { kind: "ControlPlaneClockDrift"; atMs: Ms; member: MemberTarget; factor: number; label: string }
  | { kind: "NodeRecover"; atMs: Ms; target: NodeTarget; label: string }
  /** A node operation request (model/node-operation.ts) per targeted node; timeoutMs 0 waits forever. */
  | { kind: "NodeDrain" | "NodeCordon" | "NodeUncordon"; atMs: Ms; target: NodeTarget; timeoutMs: Ms; force: boolean; label: string }
  /** `force`: kubectl delete --force --grace-period=0 (the object is removed at once, even on a lost node). */
  | { kind: "PodKill"; atMs: Ms; namespace: string; selector: Labels; count: number; force?: boolean; label: string }
  | { kind: "ScaleWorkload"; atMs: Ms; namespace: string; name: string; replicas: number; label: string }
  /** A new pod template for a Deployment, or a DaemonSet when `workload` says so (resolved and checked through the codec when the scenario loads). */
  | { kind: "Rollout"; atMs: Ms; namespace: string; name: string; template: PodTemplate; label: string; workload?: "DaemonSet" }
  /** `kubectl rollout pause|resume` of a Deployment. */
  | { kind: "RolloutPause" | "RolloutResume"; atMs: Ms; namespace: string; name: string; label: string }
  /** `kubectl rollout undo` of a Deployment, resolved against the cluster when it happens, as kubectl does (0: the previous revision). */
  | { kind: "RolloutUndo"; atMs: Ms; namespace: string; name: string; toRevision: number; label: string }
  /** A user deletes a workload object with a propagation policy (`kubectl delete --cascade`); what it owns goes through the garbage collector. */
  | { kind: "Delete"; atMs: Ms; objectKind: WorkloadKind; namespace: string; name: string; propagationPolicy: PropagationPolicy; label: string };

export type ExpectationPlan =
  /** No pod stays Pending (created, not yet bound) longer than maxPendingMs. */
  | { kind: "MaxPending"; name: string; maxPendingMs: Ms }
  /** Each matching workload's ready/desired stays at or above minRatio from afterMs to the end. */
  | { kind: "Availability"; name: string; workload: string | "*"; minRatio: Ratio; afterMs: Ms }
  /** At the end of the run, every matching workload has all desired replicas ready. */
  | { kind: "Converged"; name: string; workload: string | "*" }
  /** The Jobs of a CronJob, or a Job ("cronjob/ns/name", "job/ns/name"): at least minSucceeded Complete, at most maxFailed Failed, over the run. */
  | { kind: "Jobs"; name: string; owner: string; minSucceeded?: number; maxFailed?: number }
  /** The accuracy score of the workload's containers (all for "*") over the 10-minute buckets from afterMs on: each stated limit holds (fractions). */
  | { kind: "ResourceAccuracy"; name: string; workload: string | "*"; afterMs: Ms; limits: AccuracyLimits }
  /** The Service's request latency percentiles over the run (a queueing load), each stated one below its limit. */
  | { kind: "Latency"; name: string; service: string; belowMs: LatencyLimits }
  /** The Service's dropped requests (both causes) over the run, at most this fraction of those offered. */
  | { kind: "Dropped"; name: string; service: string; atMost: Ratio };

export interface LatencyLimits {
  p50Ms?: Ms;
  p95Ms?: Ms;
  p99Ms?: Ms;
}

/** Upper limits of the accuracy score, as fractions (0.05 = 5 %). */
export interface AccuracyLimits {
  maxCpuUnderProvisioned?: Ratio;
  maxCpuSlack?: Ratio;
  maxMemoryUnderProvisioned?: Ratio;
  maxMemorySlack?: Ratio;
}

export interface SchedulerParameters {
  /** "framework": the kube-scheduler framework (src/policies/scheduling); "basic": the skeleton's. */
  implementation: "framework" | "basic";
  /**
   * NodeResourcesFit scoring: spread (LeastAllocated) or bin-pack (MostAllocated). For the
   * framework it sets the default profile's NodeResourcesFit args unless `profiles` are given.
   */
  scoringStrategy: "LeastAllocated" | "MostAllocated";
  /** KubeSchedulerConfiguration profiles, each merged over upstream's default like kube-scheduler does. */
  profiles: Profile[];
  /** 0: upstream's adaptive default. */
  percentageOfNodesToScore: number;
  /** Time from a pod entering the queue to the bind write being issued. */
  bindLatencyMs: Ms;
  /** How long an unschedulable pod waits before it is retried without a triggering event. */
  unschedulableRetryMs: Ms;
}

/**
 * The control-plane store: "ideal" (commits after 1 ms, always available; for huge runs) or a
 * real Raft group of 3 or 5 members with etcd's knobs.
 */
export interface ControlPlaneParameters {
  store: "ideal" | "raft";
  members: number;
  heartbeatMs: Ms;
  electionTimeoutMs: Ms;
  preVote: boolean;
  checkQuorum: boolean;
}

export interface SimParameters {
  scheduler: SchedulerParameters;
  controlPlane: ControlPlaneParameters;
  /** Kubelet: container start (and pulls of images of no known size), log-normal with this median and sigma. */
  podStartMedianMs: Ms;
  podStartSigma: number;
  /** Kubelet: delay from running to Ready (readiness probe). */
  readinessDelayMs: Ms;
  /** Watch delivery latency from api server to a controller or kubelet. */
  watchLatencyMs: Ms;
  /** Kubelet heartbeat (node status update) period. */
  heartbeatPeriodMs: Ms;
  /** Node lifecycle controller: check period, grace before the Ready condition turns Unknown. */
  nodeMonitorPeriodMs: Ms;
  nodeMonitorGraceMs: Ms;
  /**
   * Zone-aware NoExecute tainting (kube-controller-manager flags of the same names): nodes tainted
   * per second per zone, the slower rate of a partially disrupted large zone, what "large" is, and
   * the not-Ready fraction that makes a zone partially disrupted.
   */
  nodeEvictionRate: number;
  secondaryNodeEvictionRate: number;
  largeClusterSizeThreshold: number;
  unhealthyZoneThreshold: number;
  /**
   * DefaultTolerationSeconds admission (kube-apiserver flags of the same names): how long a pod
   * that states no toleration of its own stays on a not-ready / unreachable node before eviction.
   */
  defaultNotReadyTolerationSeconds: number;
  defaultUnreachableTolerationSeconds: number;
  /** Controller reconcile delay after a watch event (workqueue + processing). */
  controllerSyncMs: Ms;
  /** The grace period of a deleted pod whose spec states none (terminationGracePeriodSeconds; kubelet/termination.ts). */
  terminationGraceMs: Ms;
  /** Interval between metric samples. */
  metricsIntervalMs: Ms;
  /** Interval between state snapshots in the event log (0 = none). */
  snapshotIntervalMs: Ms;
  /** A snapshot is taken only when at least this many records were logged since the last one. */
  snapshotMinRecords: number;
  /**
   * …and at least this many per object in the state: a snapshot costs about as much to write and
   * to read back as replaying a few records per object, so a big quiet cluster is not written out
   * whole every few minutes (0: only snapshotMinRecords counts).
   */
  snapshotRecordsPerObject: number;
  /** Kubelet image pulls (kubelet/image-puller.ts): per-node bandwidth, the size of unlisted images, serialized pulls. */
  imagePulls: ImagePullParameters;
  /** Cluster autoscaler options over upstream's defaults (it runs when a node pool has `autoscaling`). */
  clusterAutoscaler?: Partial<ClusterAutoscalerOptions>;
  /** Provisioner settings over Karpenter's defaults (it runs when a node pool has `provisioner`). */
  provisioner?: Partial<ProvisionerOptions>;
  /** VPA updater flags over upstream's defaults (it runs when the scenario has a VerticalPodAutoscaler). */
  vpaUpdater?: Partial<VpaUpdaterOptions>;
}

/** The world a variant runs in when it changes more than parameters (resolved and checked at load). */
export interface VariantWorld {
  namespaces: string[];
  nodePools: NodePoolPlan[];
  workloads: WorkloadPlan[];
  faults: FaultPlan[];
  expectations: ExpectationPlan[];
  warnings: string[];
  /** What the variant changes, one line each ("patch Deployment shop/web", "remove fault 'x'"). */
  changes: string[];
}

export interface VariantPlan {
  description: string;
  parameters: DeepPartial<SimParameters>;
  world?: VariantWorld;
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export interface ScenarioPlan {
  name: string;
  description: string;
  /** Hash of the scenario source text (and referenced manifests), for the runs table. */
  sourceHash: string;
  durationMs: Ms;
  seed: number;
  namespaces: string[];
  nodePools: NodePoolPlan[];
  workloads: WorkloadPlan[];
  faults: FaultPlan[];
  expectations: ExpectationPlan[];
  parameters: SimParameters;
  variants: Record<string, VariantPlan>;
  /** Non-fatal notes from decoding, e.g. manifest kinds not yet modelled. */
  warnings: string[];
  /** Traffic to Services (src/sim/load); absent or empty: no load, no metrics pipeline. */
  load?: LoadPlan[];
  /** How containers behave (kubelet/container-behavior.ts); absent: Ready after readinessDelay, never exit. */
  containerBehaviors?: ContainerBehaviorPlan[];
  /** Images with their sizes (kubelet/image-puller.ts); absent: every image weighs imagePulls.defaultImageBytes. */
  images?: ImagePlan[];
}

/** Defaults grounded in upstream constants (shared/vectors/timings.json) where one exists. */
export const defaultParameters: SimParameters = {
  scheduler: {
    implementation: "framework",
    scoringStrategy: "LeastAllocated",
    profiles: [],
    percentageOfNodesToScore: 0,
    bindLatencyMs: 5,
    unschedulableRetryMs: 60_000,
  },
  // etcd defaults: --heartbeat-interval 100 ms, --election-timeout 1000 ms, pre-vote on.
  controlPlane: { store: "ideal", members: 3, heartbeatMs: 100, electionTimeoutMs: 1000, preVote: true, checkQuorum: true },
  podStartMedianMs: 4_000,
  podStartSigma: 0.6,
  readinessDelayMs: 5_000,
  watchLatencyMs: 50,
  heartbeatPeriodMs: 10_000,
  nodeMonitorPeriodMs: 5_000, // node-monitor-period
  nodeMonitorGraceMs: 50_000, // node-monitor-grace-period
  nodeEvictionRate: 0.1, // --node-eviction-rate
  secondaryNodeEvictionRate: 0.01, // --secondary-node-eviction-rate
  largeClusterSizeThreshold: 50, // --large-cluster-size-threshold
  unhealthyZoneThreshold: 0.55, // --unhealthy-zone-threshold
  defaultNotReadyTolerationSeconds: 300, // --default-not-ready-toleration-seconds
  defaultUnreachableTolerationSeconds: 300, // --default-unreachable-toleration-seconds
  controllerSyncMs: 20,
  terminationGraceMs: 30_000, // terminationGracePeriodSeconds default
  // No upstream default for a download speed: 50 MiB/s is a modest cloud node. Unlisted images weigh nothing,
  // so a scenario that lists no images keeps podStartMedian as its whole pull + start. serializeImagePulls: true.
  imagePulls: { bytesPerSecond: 50 * 2 ** 20, defaultImageBytes: 0, serialize: true },
  metricsIntervalMs: 10_000,
  snapshotIntervalMs: 300_000,
  snapshotMinRecords: 50_000,
  snapshotRecordsPerObject: 16,
};

function mergeDeep<T>(base: T, override: DeepPartial<T> | undefined): T {
  if (override === undefined) return base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(override as Record<string, unknown>)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] =
      value !== null && typeof value === "object" && !Array.isArray(value) && typeof current === "object"
        ? mergeDeep(current, value as DeepPartial<typeof current>)
        : value;
  }
  return out as T;
}

/** The plan a named variant runs ("baseline" is the plan itself). */
export function applyVariant(plan: ScenarioPlan, variant: string): ScenarioPlan {
  if (variant === "baseline") return plan;
  const v = plan.variants[variant];
  if (!v) throw new Error(`unknown variant "${variant}" (known: baseline, ${Object.keys(plan.variants).join(", ")})`);
  const parameters = mergeDeep(plan.parameters, v.parameters);
  if (v.world === undefined) return { ...plan, parameters };
  const { changes: _, ...world } = v.world;
  return { ...plan, ...world, parameters };
}
