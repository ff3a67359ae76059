/**
 * The materialized cluster: API objects plus the world facts the API cannot see (which machines
 * are down). Derived indexes (pods per node, requested resources per node) are maintained by
 * `evolve` and rebuilt on snapshot restore; they are never serialized.
 */
import { canonicalJson } from "./canonical.ts";
import type { Deployment, Lease, Namespace, Node, Pod, ReplicaSet, ResourceList } from "./objects.ts";
import { labelIndexKey } from "./scheduling-objects.ts";
import { storedKey, storedKindList, type StoredKind, type StoredObject } from "./stored-objects.ts";
import type {
  LimitRange, PersistentVolume, PersistentVolumeClaim, PodDisruptionBudget, PriorityClass, ResourceQuota,
} from "./scheduling-objects.ts";
import { addInto, podHoldsResources, podRequests } from "./resources.ts";
import type { Ms } from "./units.ts";

export interface ClusterState {
  nowMs: Ms;
  /** The store revision: bumped by every change to an API object, which then carries it as its resourceVersion. */
  revision: number;
  namespaces: Map<string, Namespace>;
  nodes: Map<string, Node>;
  pods: Map<string, Pod>;
  replicaSets: Map<string, ReplicaSet>;
  deployments: Map<string, Deployment>;
  /** "namespace/name" → Lease (the kubelets' heartbeats in kube-node-lease). */
  leases: Map<string, Lease>;
  machinesDown: Set<string>;
  persistentVolumes: Map<string, PersistentVolume>;
  persistentVolumeClaims: Map<string, PersistentVolumeClaim>;
  priorityClasses: Map<string, PriorityClass>;
  podDisruptionBudgets: Map<string, PodDisruptionBudget>;
  resourceQuotas: Map<string, ResourceQuota>;
  limitRanges: Map<string, LimitRange>;
  /**
   * The generic object store (stored-objects.ts): kind → key → object. The typed maps above are
   * the same Map instances for their kinds (policies read them by name); kinds added later live here only.
   */
  objects: Map<StoredKind, Map<string, StoredObject>>;
  /** node name → keys of pods bound to it (any phase, until removed). */
  podsByNode: Map<string, Set<string>>;
  /** node name → summed requests of the pods that hold resources on it. */
  requestedByNode: Map<string, ResourceList>;
  /** controller owner uid → keys of the pods it owns. */
  podsByOwner: Map<string, Set<string>>;
  /** controller owner uid → keys of the ReplicaSets it owns (the Deployment controller reads its own). */
  replicaSetsByOwner: Map<string, Set<string>>;
  /** Bumped whenever a ReplicaSet is created or removed (selectors are immutable, so the selector set changes only then). */
  replicaSetsVersion: number;
  /** Bumped whenever the node set changes (the scheduler caches its node order on it). */
  nodesVersion: number;
  /** node name → bumped whenever the pods bound to that node change (scheduler NodeInfo cache). */
  podsVersionByNode: Map<string, number>;
  /** Node names whose scheduling inputs changed, oldest first (SchedulerIndexesView.nodeChanges). */
  nodeChanges: { start: number; names: string[] };
  /** Pods with podAffinity or podAntiAffinity terms (InterPodAffinity scans only these). */
  podKeysWithPodAffinity: Set<string>;
  /** namespace + label → pod keys (label selectors with matchLabels start from the smallest set). */
  podsByLabel: Map<string, Set<string>>;
}

export function emptyState(): ClusterState {
  return linkObjectMaps({
    nowMs: 0,
    revision: 0,
    namespaces: new Map(),
    nodes: new Map(),
    pods: new Map(),
    replicaSets: new Map(),
    deployments: new Map(),
    leases: new Map(),
    machinesDown: new Set(),
    podsByNode: new Map(),
    requestedByNode: new Map(),
    podsByOwner: new Map(),
    replicaSetsByOwner: new Map(),
    replicaSetsVersion: 0,
    persistentVolumes: new Map(),
    persistentVolumeClaims: new Map(),
    priorityClasses: new Map(),
    podDisruptionBudgets: new Map(),
    resourceQuotas: new Map(),
    limitRanges: new Map(),
    nodesVersion: 0,
    podsVersionByNode: new Map(),
    nodeChanges: { start: 0, names: [] },
    podKeysWithPodAffinity: new Set(),
    podsByLabel: new Map(),
    objects: new Map(),
  });
}

/** Points the generic store at the typed maps, and gives every other stored kind a map. */
function linkObjectMaps(state: ClusterState): ClusterState {
  const typed: Partial<Record<StoredKind, Map<string, StoredObject>>> = {
    PersistentVolume: state.persistentVolumes,
    PersistentVolumeClaim: state.persistentVolumeClaims,
    PriorityClass: state.priorityClasses,
    PodDisruptionBudget: state.podDisruptionBudgets,
    ResourceQuota: state.resourceQuotas,
    LimitRange: state.limitRanges,
  } as Partial<Record<StoredKind, Map<string, StoredObject>>>;
  for (const kind of storedKindList) state.objects.set(kind, typed[kind] ?? state.objects.get(kind) ?? new Map());
  return state;
}

/** The serializable part of the state, in canonical order. */
export interface StateSnapshot {
  nowMs: Ms;
  /** Absent in logs written before resource versions existed (restore then starts from 0). */
  revision?: number;
  namespaces: Namespace[];
  nodes: Node[];
  pods: Pod[];
  replicaSets: ReplicaSet[];
  deployments: Deployment[];
  /** Absent in logs written before leases were objects. */
  leases?: Lease[];
  machinesDown: string[];
  persistentVolumes: PersistentVolume[];
  persistentVolumeClaims: PersistentVolumeClaim[];
  priorityClasses: PriorityClass[];
  podDisruptionBudgets: PodDisruptionBudget[];
  resourceQuotas: ResourceQuota[];
  limitRanges: LimitRange[];
  /** Stored objects of the kinds without a typed field above, sorted by kind then key. */
  objects?: StoredObject[];
}

function sortedValues<T>(map: Map<string, T>): T[] {
  return [...map.keys()].sort().map((k) => map.get(k) as T);
}

export function snapshotOf(state: ClusterState): StateSnapshot {
  return {
    nowMs: state.nowMs,
    revision: state.revision,
    namespaces: sortedValues(state.namespaces),
    nodes: sortedValues(state.nodes),
    pods: sortedValues(state.pods),
    replicaSets: sortedValues(state.replicaSets),
    deployments: sortedValues(state.deployments),
    leases: sortedValues(state.leases),
    machinesDown: [...state.machinesDown].sort(),
    persistentVolumes: sortedValues(state.persistentVolumes),
    persistentVolumeClaims: sortedValues(state.persistentVolumeClaims),
    priorityClasses: sortedValues(state.priorityClasses),
    podDisruptionBudgets: sortedValues(state.podDisruptionBudgets),
    resourceQuotas: sortedValues(state.resourceQuotas),
    limitRanges: sortedValues(state.limitRanges),
    objects: untypedObjects(state),
  };
}

const typedKinds: ReadonlySet<StoredKind> = new Set(["PersistentVolume", "PersistentVolumeClaim", "PriorityClass", "PodDisruptionBudget", "ResourceQuota", "LimitRange"]);

function untypedObjects(state: ClusterState): StoredObject[] {
  const out: StoredObject[] = [];
  for (const kind of storedKindList) if (!typedKinds.has(kind)) out.push(...sortedValues(state.objects.get(kind) ?? new Map()));
  return out;
}

export function canonicalState(state: ClusterState): string {
  return canonicalJson(snapshotOf(state));
}

function keyed<T extends { metadata: { namespace: string; name: string } }>(items: T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    const m = item.metadata;
    map.set(m.namespace === "" ? m.name : `${m.namespace}/${m.name}`, item);
  }
  return map;
}

/**
 * Rebuilds a live state (with indexes) from a snapshot. The snapshot's objects are deep-copied
 * unless the caller hands over ownership (e.g. a freshly parsed snapshot).
 */
export function restoreState(snapshot: StateSnapshot, options: { owned: boolean } = { owned: false }): ClusterState {
  const copy = options.owned ? snapshot : (JSON.parse(JSON.stringify(snapshot)) as StateSnapshot);
  const state = emptyState();
  state.nowMs = copy.nowMs;
  state.revision = copy.revision ?? 0;
  state.namespaces = keyed(copy.namespaces);
  state.nodes = keyed(copy.nodes);
  state.pods = keyed(copy.pods);
  state.replicaSets = keyed(copy.replicaSets);
  state.deployments = keyed(copy.deployments);
  state.leases = keyed(copy.leases ?? []);
  state.machinesDown = new Set(copy.machinesDown);
  state.persistentVolumes = keyed(copy.persistentVolumes ?? []);
  state.persistentVolumeClaims = keyed(copy.persistentVolumeClaims ?? []);
  state.priorityClasses = keyed(copy.priorityClasses ?? []);
  state.podDisruptionBudgets = keyed(copy.podDisruptionBudgets ?? []);
  state.resourceQuotas = keyed(copy.resourceQuotas ?? []);
  state.limitRanges = keyed(copy.limitRanges ?? []);
  state.objects = new Map();
  for (const object of copy.objects ?? []) {
    let map = state.objects.get(object.kind);
    if (!map) {
      map = new Map();
      state.objects.set(object.kind, map);
    }
    map.set(storedKey(object), object);
  }
  linkObjectMaps(state);
  for (const name of state.nodes.keys()) {
    state.podsByNode.set(name, new Set());
    state.requestedByNode.set(name, {});
  }
  for (const [key, rs] of state.replicaSets) indexReplicaSetOwner(state, key, rs, 1);
  for (const [key, pod] of state.pods) {
    indexPod(state, key, pod, 1);
    indexOwner(state, key, pod, 1);
    indexAffinity(state, key, pod, 1);
    indexLabels(state, key, pod, 1);
  }
  return state;
}

/** Adds (sign 1) or removes (sign -1) a bound pod from the per-node indexes. */
export function indexPod(state: ClusterState, key: string, pod: Pod, sign: 1 | -1): void {
  const nodeName = pod.spec.nodeName;
  if (nodeName === undefined) return;
  state.podsVersionByNode.set(nodeName, (state.podsVersionByNode.get(nodeName) ?? 0) + 1);
  noteNodeChange(state, nodeName);
  let keys = state.podsByNode.get(nodeName);
  if (!keys) {
    keys = new Set();
    state.podsByNode.set(nodeName, keys);
  }
  if (sign === 1) keys.add(key);
  else keys.delete(key);
  if (podHoldsResources(pod)) {
    let requested = state.requestedByNode.get(nodeName);
    if (!requested) {
      requested = {};
      state.requestedByNode.set(nodeName, requested);
    }
    addInto(requested, podRequests(pod), sign);
  }
}

/** Journals a change to a node's scheduling inputs; keeps the journal within a few times the node count. */
export function noteNodeChange(state: ClusterState, nodeName: string): void {
  const journal = state.nodeChanges;
  journal.names.push(nodeName);
  if (journal.names.length >= Math.max(8192, 4 * state.nodes.size)) {
    const dropped = journal.names.length >> 1;
    journal.names.splice(0, dropped);
    journal.start += dropped;
  }
}

/** Adds or removes a ReplicaSet from the owner index (by its controller ownerReference uid); bumps replicaSetsVersion. */
export function indexReplicaSetOwner(state: ClusterState, key: string, rs: ReplicaSet, sign: 1 | -1): void {
  state.replicaSetsVersion++;
  for (const ref of rs.metadata.ownerReferences ?? []) {
    if (!ref.controller) continue;
    let keys = state.replicaSetsByOwner.get(ref.uid);
    if (!keys) {
      keys = new Set();
      state.replicaSetsByOwner.set(ref.uid, keys);
    }
    if (sign === 1) keys.add(key);
    else {
      keys.delete(key);
      if (keys.size === 0) state.replicaSetsByOwner.delete(ref.uid);
    }
  }
}

/** Adds or removes a pod from the owner index (by its controller ownerReference uid). */
export function indexOwner(state: ClusterState, key: string, pod: Pod, sign: 1 | -1): void {
  for (const ref of pod.metadata.ownerReferences ?? []) {
    if (!ref.controller) continue;
    let keys = state.podsByOwner.get(ref.uid);
    if (!keys) {
      keys = new Set();
      state.podsByOwner.set(ref.uid, keys);
    }
    if (sign === 1) keys.add(key);
    else {
      keys.delete(key);
      if (keys.size === 0) state.podsByOwner.delete(ref.uid);
    }
  }
}

/** Adds or removes a pod from the set of pods carrying (anti-)affinity terms. */
export function indexLabels(state: ClusterState, key: string, pod: Pod, sign: 1 | -1): void {
  const ns = pod.metadata.namespace;
  for (const label in pod.metadata.labels) {
    const indexKey = labelIndexKey(ns, label, pod.metadata.labels[label] as string);
    let keys = state.podsByLabel.get(indexKey);
    if (sign === 1) {
      if (!keys) {
        keys = new Set();
        state.podsByLabel.set(indexKey, keys);
      }
      keys.add(key);
    } else if (keys) {
      keys.delete(key);
      if (keys.size === 0) state.podsByLabel.delete(indexKey);
    }
  }
}

export function indexAffinity(state: ClusterState, key: string, pod: Pod, sign: 1 | -1): void {
  const a = pod.spec.affinity;
  if (!a || (a.podAffinity === undefined && a.podAntiAffinity === undefined)) return;
  if (sign === 1) state.podKeysWithPodAffinity.add(key);
  else state.podKeysWithPodAffinity.delete(key);
}

/** The map a stored kind lives in (the generic object store). */
export function objectMap(state: ClusterState, kind: StoredKind): Map<string, StoredObject> {
  const map = state.objects.get(kind);
  if (map === undefined) throw new Error(`no store for kind ${kind}`);
  return map;
}
