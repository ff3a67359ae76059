/**
 * Policy objects the scheduler and admission read: volumes, priority classes, disruption budgets,
 * quotas and limit ranges. Same style as objects.ts (metadata / spec / status, integer quantities:
 * cpu in millicores, memory and storage in bytes). ClusterView does not hold them yet, so policies
 * take `ClusterView & Partial<PolicyObjectsView>`; an absent map means "none of that kind".
 */
import type { LabelSelector, NodeSelectorTerm, ObjectMeta, ResourceList } from "./objects.ts";
import type { Ms } from "./units.ts";

export interface PersistentVolume {
  kind: "PersistentVolume";
  metadata: ObjectMeta; // cluster-scoped: namespace ""
  spec: {
    capacity: ResourceList;
    storageClassName?: string;
    accessModes?: string[];
    /** Which nodes can reach the volume (local or zonal disks). */
    nodeAffinity?: { required?: { nodeSelectorTerms: NodeSelectorTerm[] } };
    claimRef?: { namespace: string; name: string };
  };
  status: { phase: "Pending" | "Available" | "Bound" | "Released" | "Failed" };
}

export interface PersistentVolumeClaim {
  kind: "PersistentVolumeClaim";
  metadata: ObjectMeta;
  spec: {
    storageClassName?: string;
    accessModes?: string[];
    resources: { requests: ResourceList };
    /** Name of the bound PersistentVolume, once bound. */
    volumeName?: string;
  };
  status: { phase: "Pending" | "Bound" | "Lost" };
}

export interface PriorityClass {
  kind: "PriorityClass";
  metadata: ObjectMeta; // cluster-scoped
  value: number;
  globalDefault?: boolean;
  preemptionPolicy?: "PreemptLowerPriority" | "Never";
  description?: string;
}

export interface PodDisruptionBudget {
  kind: "PodDisruptionBudget";
  metadata: ObjectMeta;
  spec: {
    selector?: LabelSelector;
    minAvailable?: number | string; // integer or percentage ("50%")
    maxUnavailable?: number | string;
    unhealthyPodEvictionPolicy?: "IfHealthyBudget" | "AlwaysAllow";
  };
  status: {
    disruptionsAllowed: number;
    currentHealthy: number;
    desiredHealthy: number;
    expectedPods: number;
    /** pod name → virtual time the eviction was admitted (upstream DisruptedPods). */
    disruptedPods?: Record<string, Ms>;
    observedGeneration?: number;
  };
}

/**
 * Quota resource names as upstream: "pods", "count/pods", "requests.cpu" (or plain "cpu"),
 * "limits.cpu", "requests.memory" (or "memory"), "limits.memory", "requests.storage",
 * "persistentvolumeclaims"… Values use the unit of the underlying resource (cpu → millicores).
 */
export interface ResourceQuota {
  kind: "ResourceQuota";
  metadata: ObjectMeta;
  spec: { hard: ResourceList };
  status: { hard: ResourceList; used: ResourceList };
}

export interface LimitRangeItem {
  type: "Container" | "Pod" | "PersistentVolumeClaim";
  max?: ResourceList;
  min?: ResourceList;
  /** Default limits applied to containers that set none. */
  default?: ResourceList;
  /** Default requests applied to containers that set none. */
  defaultRequest?: ResourceList;
  /** Largest allowed limit/request ratio, as a plain number. */
  maxLimitRequestRatio?: ResourceList;
}

export interface LimitRange {
  kind: "LimitRange";
  metadata: ObjectMeta;
  spec: { limits: LimitRangeItem[] };
}

/** Keyed like the other stores: "namespace/name", or "name" for cluster-scoped kinds. */
export interface PolicyObjectsView {
  readonly persistentVolumes: ReadonlyMap<string, PersistentVolume>;
  readonly persistentVolumeClaims: ReadonlyMap<string, PersistentVolumeClaim>;
  readonly priorityClasses: ReadonlyMap<string, PriorityClass>;
  readonly podDisruptionBudgets: ReadonlyMap<string, PodDisruptionBudget>;
  readonly resourceQuotas: ReadonlyMap<string, ResourceQuota>;
  readonly limitRanges: ReadonlyMap<string, LimitRange>;
}

/**
 * Optional indexes the scheduler uses when the view offers them (ClusterState can maintain them in
 * evolve); without them it falls back to scanning, which costs O(nodes) or O(pods) per cycle.
 */
export interface SchedulerIndexesView {
  /** Bumped by evolve on NodeAdded / NodeRemoved (anything that changes the node set). */
  readonly nodesVersion?: number;
  /**
   * node name → counter bumped whenever the set or phase of pods bound to that node changes (in
   * state.ts indexPod: PodCreated/PodBound/PodFailed/PodRemoved on a bound pod).
   */
  readonly podsVersionByNode?: ReadonlyMap<string, number>;
  /**
   * Journal of node names whose scheduling inputs changed, oldest first: pods bound, failed or
   * removed there (every podsVersionByNode bump), pods there starting deletion (PodDeleting) and
   * in-place node changes (NodeReadyChanged, NodeTaintsChanged, NodeCordoned). `names[i]` is change number `start + i`; evolve drops the
   * oldest half now and then (a reader that fell behind `start` rebuilds everything). The scheduler
   * reads only the new entries each cycle instead of checking every node it visits.
   */
  readonly nodeChanges?: NodeChangeJournal;
  /** Keys of pods whose spec has podAffinity or podAntiAffinity (added on PodCreated, removed on PodRemoved). */
  readonly podKeysWithPodAffinity?: ReadonlySet<string>;
  /** `labelIndexKey(namespace, key, value)` → keys of the pods carrying that label (pod labels never change). */
  readonly podsByLabel?: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface NodeChangeJournal {
  readonly start: number;
  readonly names: readonly string[];
}

/** The policy object kinds the api server stores beside pods and workloads. */
export type PolicyObject = PersistentVolume | PersistentVolumeClaim | PriorityClass | PodDisruptionBudget | ResourceQuota | LimitRange;
export type PolicyObjectKind = PolicyObject["kind"];

/** The podsByLabel index key of one label of a pod in a namespace. */
export function labelIndexKey(namespace: string, key: string, value: string): string {
  return `${namespace}\u0000${key}=${value}`;
}
