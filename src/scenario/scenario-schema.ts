/**
 * The scenario document as a user writes it (Kubernetes-shaped: apiVersion, kind, metadata, spec).
 * Decoded exactly: a field this schema does not name is an error. Embedded manifests are kept as
 * plain objects here and decoded by their own, lenient schemas (manifest-schema.ts).
 */
import { Schema } from "effect";
import {
  bytesOf, Count, Duration, PositiveCount, PositiveDuration, Quantity, RatioText, SimpleName, StringMap,
} from "./formats.ts";
import { LoadSchema } from "./load-schema.ts";

const opt = Schema.optionalKey;

const TaintSchema = Schema.Struct({
  key: Schema.NonEmptyString,
  value: opt(Schema.String),
  effect: Schema.Literals(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
});

const RequirementSchema = Schema.Struct({
  key: Schema.NonEmptyString,
  operator: Schema.Literals(["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"]),
  values: opt(Schema.Array(Schema.String)),
});

const InstanceTypeSchema = Schema.Struct({
  name: Schema.NonEmptyString,
  cpu: Quantity,
  memory: Quantity,
  pods: opt(PositiveCount),
  price: Schema.Struct({
    onDemand: Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0)),
    spot: opt(Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0))),
  }),
  zones: opt(Schema.NonEmptyArray(Schema.NonEmptyString)),
});

/** A Karpenter NodePool's own fields (karpenter.sh/v1 NodePool spec, flattened: template requirements, limits, weight, disruption). */
const ProvisionerSchema = Schema.Struct({
  weight: opt(Count),
  requirements: opt(Schema.Array(RequirementSchema)),
  limits: opt(Schema.Record(Schema.String, Quantity)),
  disruption: opt(Schema.Struct({
    consolidationPolicy: opt(Schema.Literals(["WhenEmpty", "WhenEmptyOrUnderutilized"])),
    consolidateAfter: opt(Schema.String),
    budgets: opt(Schema.Array(Schema.Struct({ nodes: Schema.String }))),
  })),
  instanceTypes: opt(Schema.NonEmptyArray(InstanceTypeSchema)),
});

const NodePoolSchema = Schema.Struct({
  name: SimpleName,
  // Bounded by --limit nodes (bounds.ts) before node names are enumerated; at least 1 unless the
  // pool autoscales (cluster.ts), when it may start empty; absent (0) for a provisioner pool.
  count: opt(Count),
  zones: opt(Schema.NonEmptyArray(Schema.NonEmptyString)),
  // Required unless the pool is a provisioner's (cluster.ts).
  allocatable: opt(Schema.Record(Schema.String, Quantity)),
  labels: opt(StringMap),
  taints: opt(Schema.Array(TaintSchema)),
  instanceType: opt(Schema.NonEmptyString),
  region: opt(Schema.NonEmptyString),
  /** A node group the cluster autoscaler resizes (cluster.ts checks minCount ≤ count ≤ maxCount). */
  autoscaling: opt(Schema.Struct({ minCount: Count, maxCount: PositiveCount })),
  pricePerHour: opt(Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0))),
  /** From a node's request to it joining: a duration, or a range drawn per node from an exogenous stream. */
  provisioningDelay: opt(Schema.Union([Duration, Schema.Struct({ min: Duration, max: Duration })])),
  spot: opt(Schema.Boolean),
  /** A Karpenter NodePool: the provisioner launches this pool's nodes from instance-type offerings. */
  provisioner: opt(ProvisionerSchema),
});

const WorkloadSchema = Schema.Struct({
  manifest: opt(Schema.Record(Schema.String, Schema.Unknown)),
  file: opt(Schema.NonEmptyString),
  at: opt(Duration),
  namespace: opt(Schema.NonEmptyString),
  /** Replica counts by Deployment/ReplicaSet name, overriding the manifests (like kustomize's `replicas`). */
  replicas: opt(Schema.Record(Schema.String, Count)),
});

const label = opt(Schema.String);

/** A node operation (cordon, uncordon, drain as `kubectl drain`) on the targeted node(s). */
function nodeOperationSchema<T extends "NodeDrain" | "NodeCordon" | "NodeUncordon">(type: T) {
  return Schema.Struct({
    type: Schema.Literal(type),
    at: Duration,
    node: opt(Schema.NonEmptyString),
    zone: opt(Schema.NonEmptyString),
    pool: opt(Schema.NonEmptyString),
    index: opt(Count),
    /** Drain: give up after this long (default 0: wait until done, as kubectl drain). */
    timeout: opt(Duration),
    /** Drain: also delete pods no controller owns. */
    force: opt(Schema.Boolean),
    label,
  });
}

function nodeFaultSchema<T extends "NodeCrash" | "NodeRecover">(type: T) {
  return Schema.Struct({
    type: Schema.Literal(type),
    at: Duration,
    node: opt(Schema.NonEmptyString),
    zone: opt(Schema.NonEmptyString),
    pool: opt(Schema.NonEmptyString),
    index: opt(Count),
    label,
  });
}

const PodKillSchema = Schema.Struct({
  type: Schema.Literal("PodKill"),
  at: Duration,
  namespace: opt(Schema.NonEmptyString),
  selector: StringMap,
  count: opt(PositiveCount),
  /** kubectl delete --force --grace-period=0: the pod object goes at once, whatever its node's state. */
  force: opt(Schema.Boolean),
  label,
});

const ScaleWorkloadSchema = Schema.Struct({
  type: Schema.Literal("ScaleWorkload"),
  at: Duration,
  namespace: opt(Schema.NonEmptyString),
  name: Schema.NonEmptyString,
  replicas: Count,
  label,
});

/** A user deletes a workload object (`kubectl delete --cascade`: Background by default, Foreground or Orphan; the garbage collector does the rest). */
const DeleteSchema = Schema.Struct({
  type: Schema.Literal("Delete"),
  at: Duration,
  kind: Schema.Literals(["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob"]),
  namespace: opt(Schema.NonEmptyString),
  name: Schema.NonEmptyString,
  propagationPolicy: opt(Schema.Literals(["Background", "Foreground", "Orphan"])),
  label,
});

/** A user rolls out a new pod template: new images (as `kubectl set image`) and/or a strategic merge patch of the Deployment. */
const RolloutSchema = Schema.Struct({
  type: Schema.Literal("Rollout"),
  at: Duration,
  namespace: opt(Schema.NonEmptyString),
  name: Schema.NonEmptyString,
  /** Container name → new image. */
  image: opt(StringMap),
  strategic: opt(Schema.Record(Schema.String, Schema.Unknown)),
  label,
});

/** `kubectl rollout pause|resume deployment/<name>`. */
function rolloutPauseSchema<T extends "RolloutPause" | "RolloutResume">(type: T) {
  return Schema.Struct({ type: Schema.Literal(type), at: Duration, namespace: opt(Schema.NonEmptyString), name: Schema.NonEmptyString, label });
}

/** `kubectl rollout undo deployment/<name> [--to-revision=N]` (0 or absent: the previous revision). */
const RolloutUndoSchema = Schema.Struct({
  type: Schema.Literal("RolloutUndo"),
  at: Duration,
  namespace: opt(Schema.NonEmptyString),
  name: Schema.NonEmptyString,
  toRevision: opt(Count),
  label,
});

/** A time: "5s", or a range {min, max} drawn uniformly per container start. */
const DurationOrRange = Schema.Union([Duration, Schema.Struct({ min: Duration, max: Duration })]);

const ByteSize = Quantity.check(Schema.makeFilter((v) => bytesOf(v) >= 0 || "expected a whole number of bytes, like 300Mi"));

/** How matching containers behave (src/sim/kubelet/container-behavior.ts). */
const ContainerBehaviorSchema = Schema.Struct({
  name: opt(Schema.NonEmptyString),
  match: Schema.Struct({
    namespace: opt(Schema.NonEmptyString),
    selector: opt(StringMap),
    image: opt(Schema.NonEmptyString),
  }),
  /** Started → the app answers its probes (instead of parameters.readinessDelay); "never": it never does. */
  readyAfter: opt(Schema.Union([Schema.Literal("never"), DurationOrRange])),
  /** The container exits this long after each start ("0s": crash at start), with this code (default 1). */
  exit: opt(Schema.Struct({ after: DurationOrRange, exitCode: opt(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 255 }))) })),
  /** The readiness endpoint fails from `after` (since each start) for `for`; the readiness probe's timing (core/v1 Probe fields, upstream defaults). */
  readinessFailure: opt(Schema.Struct({
    after: DurationOrRange,
    for: DurationOrRange,
    periodSeconds: opt(PositiveCount),
    failureThreshold: opt(PositiveCount),
    successThreshold: opt(PositiveCount),
  })),
  /** The liveness endpoint fails from `after` (since each start) for `for` (absent: until the container is killed). */
  livenessFailure: opt(Schema.Struct({ after: DurationOrRange, for: opt(DurationOrRange) })),
  /** A deleted pod's preStop hook runs this long; the app then exits `stopAfter` after SIGTERM. */
  preStop: opt(DurationOrRange),
  stopAfter: opt(DurationOrRange),
  /** The memory working set: `base` at each start, + `growthPerMinute` (a leak), + `perRequestPerSecond` × the pod's request rate. */
  memory: opt(Schema.Struct({ base: ByteSize, growthPerMinute: opt(ByteSize), perRequestPerSecond: opt(ByteSize) })),
});

/** A control-plane member: its id (1-based) or "leader" (whoever leads at that moment). */
const MemberTarget = Schema.Union([PositiveCount, Schema.Literal("leader")]);

function memberFaultSchema<T extends "ControlPlaneIsolate" | "ControlPlaneCrash">(type: T) {
  return Schema.Struct({ type: Schema.Literal(type), at: Duration, member: MemberTarget, label });
}

const ControlPlaneHealSchema = Schema.Struct({ type: Schema.Literal("ControlPlaneHeal"), at: Duration, label });

const ControlPlaneRestartSchema = Schema.Struct({
  type: Schema.Literal("ControlPlaneRestart"),
  at: Duration,
  member: Schema.Union([PositiveCount, Schema.Literal("crashed")]),
  label,
});

const ControlPlaneSlowDiskSchema = Schema.Struct({
  type: Schema.Literal("ControlPlaneSlowDisk"),
  at: Duration,
  member: MemberTarget,
  factor: Schema.Finite.check(Schema.isGreaterThanOrEqualTo(1)),
  duration: PositiveDuration,
  label,
});

const ControlPlaneClockDriftSchema = Schema.Struct({
  type: Schema.Literal("ControlPlaneClockDrift"),
  at: Duration,
  member: MemberTarget,
  factor: Schema.Finite.check(Schema.isGreaterThan(0)),
  label,
});

const SpotInterruptionSchema = Schema.Struct({
  type: Schema.Literal("SpotInterruption"),
  at: Duration,
  node: opt(Schema.NonEmptyString),
  pool: opt(Schema.NonEmptyString),
  count: opt(PositiveCount),
  label,
});

const FaultSchema = Schema.Union([
  nodeFaultSchema("NodeCrash"),
  SpotInterruptionSchema,
  nodeFaultSchema("NodeRecover"),
  nodeOperationSchema("NodeDrain"),
  nodeOperationSchema("NodeCordon"),
  nodeOperationSchema("NodeUncordon"),
  PodKillSchema,
  ScaleWorkloadSchema,
  RolloutSchema,
  rolloutPauseSchema("RolloutPause"),
  rolloutPauseSchema("RolloutResume"),
  RolloutUndoSchema,
  DeleteSchema,
  memberFaultSchema("ControlPlaneIsolate"),
  memberFaultSchema("ControlPlaneCrash"),
  ControlPlaneHealSchema,
  ControlPlaneRestartSchema,
  ControlPlaneSlowDiskSchema,
  ControlPlaneClockDriftSchema,
]).annotate({
  expected:
    'a fault with "type" one of NodeCrash, NodeRecover, SpotInterruption, NodeDrain, NodeCordon, NodeUncordon, PodKill, ScaleWorkload, Rollout, RolloutPause, RolloutResume, RolloutUndo, Delete, ControlPlaneIsolate, ControlPlaneHeal, ControlPlaneCrash, ControlPlaneRestart, ControlPlaneSlowDisk, ControlPlaneClockDrift',
});

/** `spec.controlPlane` (and a variant's `parameters.controlPlane`). */
export const ControlPlaneSchema = Schema.Struct({
  store: opt(Schema.Literals(["ideal", "raft"])),
  members: opt(Schema.Literals([1, 3, 5, 7])),
  heartbeat: opt(PositiveDuration),
  electionTimeout: opt(PositiveDuration),
  preVote: opt(Schema.Boolean),
  checkQuorum: opt(Schema.Boolean),
});

const ExpectationSchema = Schema.Struct({
  name: opt(Schema.NonEmptyString),
  maxPending: opt(PositiveDuration),
  availability: opt(Schema.Struct({ workload: Schema.NonEmptyString, min: RatioText, after: opt(Duration) })),
  converged: opt(Schema.Struct({ workload: opt(Schema.NonEmptyString) })),
  jobs: opt(Schema.Struct({ owner: Schema.NonEmptyString, minSucceeded: opt(Count), maxFailed: opt(Count) })),
  resourceAccuracy: opt(
    Schema.Struct({
      workload: Schema.NonEmptyString,
      after: opt(Duration),
      maxCpuUnderProvisioned: opt(RatioText),
      maxCpuSlack: opt(RatioText),
      maxMemoryUnderProvisioned: opt(RatioText),
      maxMemorySlack: opt(RatioText),
    }),
  ),
  /** A Service's request latency over the run (its load must queue): each stated percentile below its limit. */
  latency: opt(Schema.Struct({ service: Schema.NonEmptyString, p50Below: opt(PositiveDuration), p95Below: opt(PositiveDuration), p99Below: opt(PositiveDuration) })),
  /** A Service's dropped requests over the run, as a fraction of those offered, at most `atMost`. */
  dropped: opt(Schema.Struct({ service: Schema.NonEmptyString, atMost: RatioText })),
});

/** One KubeSchedulerConfiguration profile (kubescheduler.config.k8s.io/v1); plugin args stay as written. */
const PluginRefSchema = Schema.Struct({ name: Schema.NonEmptyString, weight: opt(Count) });
const PluginSetSchema = Schema.Struct({ enabled: opt(Schema.Array(PluginRefSchema)), disabled: opt(Schema.Array(PluginRefSchema)) });
const SchedulerProfileSchema = Schema.Struct({
  schedulerName: opt(Schema.NonEmptyString),
  percentageOfNodesToScore: opt(Count.check(Schema.isLessThanOrEqualTo(100))),
  plugins: opt(Schema.Record(Schema.String, PluginSetSchema)),
  pluginConfig: opt(Schema.Array(Schema.Struct({ name: Schema.NonEmptyString, args: opt(Schema.Record(Schema.String, Schema.Unknown)) }))),
});

export const SchedulerParametersSchema = Schema.Struct({
  implementation: opt(Schema.Literals(["framework", "basic"])),
  profiles: opt(Schema.Array(SchedulerProfileSchema)),
  percentageOfNodesToScore: opt(Count.check(Schema.isLessThanOrEqualTo(100))),
  scoringStrategy: opt(Schema.Literals(["LeastAllocated", "MostAllocated"])),
  bindLatency: opt(Duration),
  unschedulableRetry: opt(PositiveDuration),
});

/** SimParameters as a user writes them: durations as text, names without the `Ms` unit. */
/** `parameters.clusterAutoscaler`: upstream's flags by their names in camelCase. */
export const ClusterAutoscalerParametersSchema = Schema.Struct({
  expander: opt(Schema.NonEmptyString),
  scanInterval: opt(PositiveDuration),
  scaleDownEnabled: opt(Schema.Boolean),
  scaleDownUtilizationThreshold: opt(Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0), Schema.isLessThanOrEqualTo(1))),
  scaleDownUnneededTime: opt(Duration),
  scaleDownDelayAfterAdd: opt(Duration),
  scaleDownDelayAfterDelete: opt(Duration),
  scaleDownDelayAfterFailure: opt(Duration),
  maxNodeProvisionTime: opt(PositiveDuration),
  maxGracefulTerminationSec: opt(Count),
  maxPodEvictionTime: opt(Duration),
  unremovableNodeRecheckTimeout: opt(Duration),
  maxNodesTotal: opt(Count),
  maxEmptyBulkDelete: opt(PositiveCount),
  skipNodesWithLocalStorage: opt(Schema.Boolean),
  skipNodesWithSystemPods: opt(Schema.Boolean),
  /** The priority expander: priority (an integer, as text) → regular expressions of node group names. */
  priorities: opt(Schema.Record(Schema.String, Schema.Array(Schema.NonEmptyString))),
});

/** `parameters.provisioner`: Karpenter's settings (BATCH_IDLE_DURATION, BATCH_MAX_DURATION) and the disruption poll. */
export const ProvisionerParametersSchema = Schema.Struct({
  batchIdleDuration: opt(PositiveDuration),
  batchMaxDuration: opt(PositiveDuration),
  disruptionPollPeriod: opt(PositiveDuration),
});

/** `parameters.vpaUpdater`: the VPA updater's flags by their names in camelCase (config.go). */
export const VpaUpdaterParametersSchema = Schema.Struct({
  updaterInterval: opt(PositiveDuration),
  minReplicas: opt(PositiveCount),
  evictionTolerance: opt(Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0), Schema.isLessThanOrEqualTo(1))),
  podUpdateThreshold: opt(Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0))),
  inRecommendationBoundsEvictionLifetimeThreshold: opt(Duration),
  evictAfterOomThreshold: opt(Duration),
});

/** `parameters.imagePulls`: the kubelet's image puller (src/sim/kubelet/image-puller.ts). */
const ImagePullsSchema = Schema.Struct({
  /** Bytes per second one node downloads, as a quantity ("50Mi"). */
  bandwidth: opt(Quantity.check(Schema.makeFilter((v) => bytesOf(v) > 0 || "expected a whole number of bytes per second above 0, like 50Mi"))),
  /** The size of an image spec.images does not list ("0": pulls of it take no time). */
  defaultImageSize: opt(ByteSize),
  /** KubeletConfiguration serializeImagePulls. */
  serialize: opt(Schema.Boolean),
});

/** `spec.images[]`: what the kubelet pulls. */
const ImageSchema = Schema.Struct({
  image: Schema.NonEmptyString,
  size: ByteSize,
  /** On every node from the start (pre-pulled). */
  preloaded: opt(Schema.Boolean),
});

export const ParametersSchema = Schema.Struct({
  scheduler: opt(SchedulerParametersSchema),
  imagePulls: opt(ImagePullsSchema),
  clusterAutoscaler: opt(ClusterAutoscalerParametersSchema),
  provisioner: opt(ProvisionerParametersSchema),
  vpaUpdater: opt(VpaUpdaterParametersSchema),
  controlPlane: opt(ControlPlaneSchema),
  podStartMedian: opt(Duration),
  podStartSigma: opt(Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0))),
  readinessDelay: opt(Duration),
  watchLatency: opt(Duration),
  heartbeatPeriod: opt(PositiveDuration),
  nodeMonitorPeriod: opt(PositiveDuration),
  nodeMonitorGrace: opt(Duration),
  /** Retired (see retiredParameter in build-plan.ts); kept so its use gets a message, not "unknown field". */
  podEvictionTimeout: opt(Schema.Unknown),
  defaultNotReadyTolerationSeconds: opt(Count),
  defaultUnreachableTolerationSeconds: opt(Count),
  nodeEvictionRate: opt(Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0))),
  secondaryNodeEvictionRate: opt(Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0))),
  largeClusterSizeThreshold: opt(Count),
  unhealthyZoneThreshold: opt(Schema.Finite.check(Schema.isGreaterThanOrEqualTo(0), Schema.isLessThanOrEqualTo(1))),
  controllerSync: opt(Duration),
  terminationGrace: opt(Duration),
  metricsInterval: opt(PositiveDuration),
  snapshotInterval: opt(Duration),
  snapshotMinRecords: opt(Count),
  snapshotRecordsPerObject: opt(Count),
});

/** An object of the scenario named by kind and name (namespace: "default" unless cluster-scoped). */
const ObjectRefSchema = Schema.Struct({ kind: Schema.NonEmptyString, name: Schema.NonEmptyString, namespace: opt(Schema.NonEmptyString) });

const ObjectPatchSchema = Schema.Struct({
  target: ObjectRefSchema,
  /** RFC 7386 JSON merge patch on the object's Kubernetes JSON. */
  merge: opt(Schema.Record(Schema.String, Schema.Unknown)),
  /** Strategic merge patch (lists of named items merge by name). */
  strategic: opt(Schema.Record(Schema.String, Schema.Unknown)),
});

/** A variant's changes to the scenario's objects: added, replaced whole, patched, removed. */
const VariantWorkloadsSchema = Schema.Struct({
  add: opt(Schema.Array(WorkloadSchema)),
  replace: opt(Schema.Array(WorkloadSchema)),
  patch: opt(Schema.Array(ObjectPatchSchema)),
  remove: opt(Schema.Array(ObjectRefSchema)),
});

/** A pool's fields to replace (every field but the name optional). */
const NodePoolPatchSchema = Schema.Struct({
  name: SimpleName,
  count: NodePoolSchema.fields.count,
  zones: NodePoolSchema.fields.zones,
  allocatable: NodePoolSchema.fields.allocatable,
  labels: NodePoolSchema.fields.labels,
  taints: NodePoolSchema.fields.taints,
  instanceType: NodePoolSchema.fields.instanceType,
  region: NodePoolSchema.fields.region,
  autoscaling: NodePoolSchema.fields.autoscaling,
  pricePerHour: NodePoolSchema.fields.pricePerHour,
  provisioningDelay: NodePoolSchema.fields.provisioningDelay,
  spot: NodePoolSchema.fields.spot,
  provisioner: NodePoolSchema.fields.provisioner,
});

const VariantNodePoolsSchema = Schema.Struct({
  add: opt(Schema.Array(NodePoolSchema)),
  patch: opt(Schema.Array(NodePoolPatchSchema)),
  remove: opt(Schema.Array(SimpleName)),
});

/** Faults removed by their label (as shown in the run summary) or their index in spec.faults. */
const FaultRefSchema = Schema.Union([Schema.Struct({ label: Schema.NonEmptyString }), Schema.Struct({ index: Count })]);

const VariantFaultsSchema = Schema.Struct({
  add: opt(Schema.Array(FaultSchema)),
  remove: opt(Schema.Array(FaultRefSchema)),
});

const VariantSchema = Schema.Struct({
  description: opt(Schema.String),
  parameters: opt(ParametersSchema),
  workloads: opt(VariantWorkloadsSchema),
  nodePools: opt(VariantNodePoolsSchema),
  faults: opt(VariantFaultsSchema),
  /** Replaces spec.expectations for this variant (what it should achieve, in its own words). */
  expectations: opt(Schema.Array(ExpectationSchema)),
});

export const ScenarioSchema = Schema.Struct({
  apiVersion: Schema.Literal("kubetwin/v1"),
  kind: Schema.Literal("Scenario"),
  metadata: Schema.Struct({ name: SimpleName, description: opt(Schema.String) }),
  spec: Schema.Struct({
    duration: PositiveDuration,
    seed: opt(Count),
    cluster: Schema.Struct({ nodePools: Schema.NonEmptyArray(NodePoolSchema) }),
    controlPlane: opt(ControlPlaneSchema),
    namespaces: opt(Schema.Array(SimpleName)),
    workloads: opt(Schema.Array(WorkloadSchema)),
    faults: opt(Schema.Array(FaultSchema)),
    expectations: opt(Schema.Array(ExpectationSchema)),
    parameters: opt(ParametersSchema),
    variants: opt(Schema.Record(Schema.String, VariantSchema)),
    /** Traffic to Services (load-schema.ts). */
    load: opt(Schema.Array(LoadSchema)),
    containerBehavior: opt(Schema.Array(ContainerBehaviorSchema)),
    images: opt(Schema.Array(ImageSchema)),
  }),
});

export type ScenarioDoc = typeof ScenarioSchema.Type;
export type ScenarioSpec = ScenarioDoc["spec"];
export type NodePoolDoc = typeof NodePoolSchema.Type;
export type WorkloadDoc = typeof WorkloadSchema.Type;
export type FaultDoc = typeof FaultSchema.Type;
export type ExpectationDoc = typeof ExpectationSchema.Type;
export type ParametersDoc = typeof ParametersSchema.Type;
export type VariantDoc = typeof VariantSchema.Type;
export type ContainerBehaviorDoc = typeof ContainerBehaviorSchema.Type;
export type ImageDoc = typeof ImageSchema.Type;
export type ObjectRefDoc = typeof ObjectRefSchema.Type;
