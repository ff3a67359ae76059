/**
 * Cluster objects, close to their Kubernetes shapes (metadata / spec / status), with quantities
 * already parsed to integers: cpu in millicores, memory and storage in bytes, everything else in
 * its base unit. Times are virtual milliseconds. Room to grow: new kinds get their own interface.
 */
import type { Ms } from "./units.ts";

/** Resource name → integer amount ("cpu" in millicores, "memory" in bytes, "pods" as a count…). */
export type ResourceList = Record<string, number>;

export type Labels = Record<string, string>;

export interface OwnerReference {
  /** Only where the kind does not imply it (the codec knows the built-in owners' apiVersions). */
  apiVersion?: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  /** The owner's foreground deletion waits for this dependent to be gone (controllers set it on their controller reference). */
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace: string; // "" for cluster-scoped objects
  uid: string;
  labels: Labels;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  creationMs: Ms;
  deletionMs?: Ms;
  /** Keys that hold a deleted object until they are removed (`orphan`, `foregroundDeletion`: model/deletion.ts). */
  finalizers?: string[];
  generation?: number;
  /**
   * The store revision of the object's last change (set by `evolve`, like etcd's mod revision).
   * Decisions name the version they were based on, so a write decided on a stale view conflicts.
   */
  resourceVersion?: number;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface NodeSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt";
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface NodeAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] };
  preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; preference: NodeSelectorTerm }[];
}

export interface PodAffinityTerm {
  labelSelector?: LabelSelector;
  namespaces?: string[];
  namespaceSelector?: LabelSelector;
  topologyKey: string;
  matchLabelKeys?: string[];
  mismatchLabelKeys?: string[];
}

export interface WeightedPodAffinityTerm {
  weight: number;
  podAffinityTerm: PodAffinityTerm;
}

export interface PodAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
  preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
}

export interface Affinity {
  nodeAffinity?: NodeAffinity;
  podAffinity?: PodAffinity;
  podAntiAffinity?: PodAffinity;
}

export type TaintEffect = "NoSchedule" | "PreferNoSchedule" | "NoExecute";

export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
  timeAddedMs?: Ms;
}

export interface Toleration {
  key?: string;
  operator?: "Exists" | "Equal";
  value?: string;
  effect?: TaintEffect;
  tolerationSeconds?: number;
}

export interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway";
  labelSelector?: LabelSelector;
  minDomains?: number;
  nodeAffinityPolicy?: "Honor" | "Ignore";
  nodeTaintsPolicy?: "Honor" | "Ignore";
  matchLabelKeys?: string[];
}

export interface ContainerPort {
  containerPort: number;
  hostPort?: number;
  hostIP?: string;
  protocol?: "TCP" | "UDP" | "SCTP";
}

export interface Container {
  name: string;
  image?: string;
  requests: ResourceList;
  limits: ResourceList;
  ports?: ContainerPort[];
  /** As written (absent: the kubelet applies SetDefaults_Container's default, src/sim/kubelet/image-puller.ts). */
  imagePullPolicy?: ImagePullPolicy;
  /** The kubelet's probes (core/v1 Probe timing, defaulted by the codec); the handler is not modelled. */
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  /** lifecycle.preStop.sleep.seconds (the sleep action, KEP-3960): a preStop hook of known length. */
  preStopSleepSeconds?: number;
  /** An init container's restartPolicy: Always makes it a sidecar (KEP-753); absent otherwise. */
  restartPolicy?: "Always";
}

export type ImagePullPolicy = "Always" | "IfNotPresent" | "Never";

/**
 * A probe's timing as the API server defaults it (SetDefaults_Probe: period 10 s, timeout 1 s,
 * successThreshold 1, failureThreshold 3, initialDelay 0). What the probed endpoint answers is
 * the container behaviour's business (src/sim/kubelet).
 */
export interface Probe {
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  successThreshold: number;
  failureThreshold: number;
  /** The grace period of a kill this probe orders (liveness, startup), instead of the pod's. */
  terminationGracePeriodSeconds?: number;
}

/** pkg/apis/core/v1/defaults.go SetDefaults_Probe. */
export const defaultProbe: Probe = { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 };

export interface PodVolume {
  name: string;
  persistentVolumeClaim?: { claimName: string };
}

export interface PodSpec {
  nodeName?: string;
  schedulerName: string;
  containers: Container[];
  initContainers?: Container[];
  overhead?: ResourceList;
  nodeSelector?: Labels;
  affinity?: Affinity;
  tolerations?: Toleration[];
  topologySpreadConstraints?: TopologySpreadConstraint[];
  priority?: number;
  priorityClassName?: string;
  preemptionPolicy?: "PreemptLowerPriority" | "Never";
  terminationGracePeriodSeconds?: number;
  volumes?: PodVolume[];
  /** What the kubelet does when a container exits (absent: Always, the API default). */
  restartPolicy?: RestartPolicy;
  /** The pod uses the node's network namespace (daemon pods then tolerate network-unavailable). */
  hostNetwork?: boolean;
  /** The pod's hostname (an Indexed Job's pods get `<job>-<index>`); absent: the pod's name. */
  hostname?: string;
  subdomain?: string;
}

export type RestartPolicy = "Always" | "OnFailure" | "Never";

export type PodPhase = "Pending" | "Running" | "Succeeded" | "Failed";

export interface PodStatus {
  phase: PodPhase;
  ready: boolean;
  scheduledMs?: Ms; // PodScheduled=True (bound)
  startedMs?: Ms; // containers running
  readyMs?: Ms; // last transition to Ready=True
  /** When the pod reached Succeeded or Failed (its containers' state.terminated.finishedAt). */
  finishedMs?: Ms;
  nominatedNodeName?: string;
  reason?: string; // e.g. "NodeLost", "Evicted", "Killed"
  /** The scheduler's last word on a pod it could not place (the PodScheduled=False condition's message). */
  message?: string;
  /** containerStatuses[].restartCount (summed over the pod's containers; absent: 0). */
  restartCount?: number;
  /** containerStatuses[].state.waiting.reason while the kubelet waits to restart, e.g. "CrashLoopBackOff". */
  waitingReason?: string;
  /** containerStatuses[].lastState.terminated.exitCode of the last container that exited. */
  lastExitCode?: number;
  /** …lastState.terminated.reason of that container: "Completed", "Error" or "OOMKilled". */
  lastTerminationReason?: string;
  /** initContainerStatuses, for a pod with init containers once the kubelet began them (src/sim/kubelet/init-containers.ts). */
  init?: InitStatus;
}

/** The init containers' account: how many are done, and the state of the next one. */
export interface InitStatus {
  /** Init containers that exited 0, or sidecars that started (they keep running). */
  done: number;
  /** The next one (index `done`) is running. */
  running?: boolean;
  /** Its state.waiting.reason, e.g. "CrashLoopBackOff". */
  waitingReason?: string;
  /** restartCount of the init containers, summed. */
  restartCount?: number;
  /** lastState.terminated.exitCode of the last init container that failed. */
  lastExitCode?: number;
}

export interface PodTemplate {
  labels: Labels;
  annotations?: Record<string, string>;
  spec: PodSpec;
}

export interface Pod {
  kind: "Pod";
  metadata: ObjectMeta;
  spec: PodSpec;
  status: PodStatus;
}

export type ConditionStatus = "True" | "False" | "Unknown";

export interface NodeSpec {
  unschedulable: boolean;
  taints: Taint[];
}

export interface NodeStatus {
  capacity: ResourceList;
  allocatable: ResourceList;
  ready: ConditionStatus;
  readyTransitionMs: Ms;
}

export interface Node {
  kind: "Node";
  metadata: ObjectMeta;
  spec: NodeSpec;
  status: NodeStatus;
}

export interface ReplicaSetStatus {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
}

export interface ReplicaSet {
  kind: "ReplicaSet";
  metadata: ObjectMeta;
  spec: { replicas: number; selector: LabelSelector; template: PodTemplate; minReadySeconds?: number };
  status: ReplicaSetStatus;
}

export interface DeploymentStrategy {
  type: "RollingUpdate" | "Recreate";
  maxSurge: number | string; // absolute or percentage ("25%")
  maxUnavailable: number | string;
}

export interface Deployment {
  kind: "Deployment";
  metadata: ObjectMeta;
  spec: {
    replicas: number;
    selector: LabelSelector;
    template: PodTemplate;
    strategy: DeploymentStrategy;
    minReadySeconds?: number;
    /** A paused Deployment is scaled but not rolled out (no new ReplicaSet for a new template). */
    paused?: boolean;
    /** Old ReplicaSets kept for rollback (the API server defaults it to 10; absent: all kept). */
    revisionHistoryLimit?: number;
    /** Seconds without progress before Progressing=False ProgressDeadlineExceeded (defaulted to 600; absent: no deadline). */
    progressDeadlineSeconds?: number;
  };
  status: DeploymentStatus;
}

/** apps/v1 DeploymentCondition, times in virtual ms. */
export interface DeploymentCondition {
  type: "Available" | "Progressing" | "ReplicaFailure";
  status: ConditionStatus;
  reason: string;
  message: string;
  lastUpdateMs: Ms;
  lastTransitionMs: Ms;
}

/** What the Deployment controller reports (upstream calculateStatus); the optional fields are absent until it first writes them. */
export interface DeploymentStatus extends ReplicaSetStatus {
  /** The metadata.generation the controller's last sync saw (kubectl rollout status waits for it). */
  observedGeneration?: number;
  updatedReplicas?: number;
  unavailableReplicas?: number;
  conditions?: DeploymentCondition[];
}

export interface Namespace {
  kind: "Namespace";
  metadata: ObjectMeta;
}

/**
 * coordination.k8s.io/v1 Lease: a kubelet's heartbeat (namespace kube-node-lease, named after its
 * node, renewed every 10 s). The node lifecycle controller reads its renew time.
 */
export interface Lease {
  kind: "Lease";
  metadata: ObjectMeta;
  spec: { holderIdentity: string; leaseDurationSeconds: number; renewTimeMs: Ms };
}

export const nodeLeaseNamespace = "kube-node-lease";

export type ClusterObject = Pod | Node | ReplicaSet | Deployment | Namespace | Lease;

/** "namespace/name" — the key every store and queue uses. */
export function objectKey(meta: { namespace: string; name: string }): string {
  return meta.namespace === "" ? meta.name : `${meta.namespace}/${meta.name}`;
}

export const zoneLabel = "topology.kubernetes.io/zone";
export const hostnameLabel = "kubernetes.io/hostname";

export function nodeZone(node: Node): string {
  return node.metadata.labels[zoneLabel] ?? "";
}
