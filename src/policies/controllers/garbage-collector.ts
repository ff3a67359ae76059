/**
 * Garbage collector (upstream pkg/controller/garbagecollector: the dependency graph of
 * graph_builder.go, attemptToDeleteItem / classifyReferences of garbagecollector.go), in the one
 * controller pattern, for background deletion: once every owner an object's ownerReferences name
 * is gone (no object of that kind and name with that uid), the object is deleted — a Job's pods
 * after the Job, a CronJob's Jobs after the CronJob, a ReplicaSet's pods after it. An object
 * created after its owner went is collected too (upstream's virtual owner nodes).
 * Not modelled: foreground deletion (the foregroundDeletion finalizer and blockOwnerDeletion), the
 * orphan propagation policy, and removing the dangling references of an object that still has a
 * live owner.
 */
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { Decision } from "../../model/decision.ts";
import type { ObjectMeta, OwnerReference } from "../../model/objects.ts";
import { isStoredKind, storedKey, storedKinds, storedObjectsOf } from "../../model/stored-objects.ts";
import type { Ms } from "../../model/units.ts";
import type { ClusterView } from "../../model/view.ts";
import { reconciled, type Controller, type Observed, type Reconciled, type WriteResult } from "../controller.ts";
import { rateLimitedDelayMs } from "./rate-limit.ts";

export interface GarbageCollectorState {
  /** "Kind/key" of every owner seen → its uid (a removal event names only the key). */
  uidOf: Map<string, string>;
  /** owner uid → "Kind/key" of the objects that name it. */
  dependents: Map<string, Set<string>>;
  /** "Kind/key" of a dependent → the owner uids it names. */
  owners: Map<string, string[]>;
  failures: Map<string, number>;
}

/** An object as the graph knows it: "Kind/namespace/name". */
const nodeKey = (kind: string, key: string) => `${kind}/${key}`;

function splitNode(node: string): { kind: string; key: string } {
  const i = node.indexOf("/");
  return { kind: node.slice(0, i), key: node.slice(i + 1) };
}

/** The metadata of the object a graph node names, if it exists. */
function metaOf(view: ClusterView, kind: string, key: string): ObjectMeta | undefined {
  if (kind === "Pod") return view.pods.get(key)?.metadata;
  if (kind === "ReplicaSet") return view.replicaSets.get(key)?.metadata;
  if (kind === "Deployment") return view.deployments.get(key)?.metadata;
  if (isStoredKind(kind)) return storedObjectsOf(view, kind).get(key)?.metadata;
  return undefined;
}

/** An owner is there when an object of its kind and name has its uid; an owner kind the twin does not know is taken to be there. */
function ownerExists(view: ClusterView, namespace: string, ref: OwnerReference): boolean {
  const known = ref.kind === "ReplicaSet" || ref.kind === "Deployment" || isStoredKind(ref.kind);
  if (!known) return true;
  // A namespaced owner is in its dependent's namespace (upstream refuses cross-namespace owners).
  const key = isStoredKind(ref.kind) && !storedKinds[ref.kind].namespaced ? ref.name : `${namespace}/${ref.name}`;
  const meta = metaOf(view, ref.kind, key);
  return meta !== undefined && meta.uid === ref.uid;
}

function track(state: GarbageCollectorState, node: string, meta: ObjectMeta): void {
  state.uidOf.set(node, meta.uid);
  const refs = meta.ownerReferences ?? [];
  untrackDependent(state, node);
  if (refs.length === 0) return;
  state.owners.set(node, refs.map((r) => r.uid));
  for (const ref of refs) {
    const set = state.dependents.get(ref.uid) ?? new Set<string>();
    set.add(node);
    state.dependents.set(ref.uid, set);
  }
}

function untrackDependent(state: GarbageCollectorState, node: string): void {
  for (const uid of state.owners.get(node) ?? []) {
    const set = state.dependents.get(uid);
    set?.delete(node);
    if (set?.size === 0) state.dependents.delete(uid);
  }
  state.owners.delete(node);
}

/** The object went: it is no longer anyone's dependent, and its own dependents are to be looked at. */
function removed(state: GarbageCollectorState, node: string): string[] {
  untrackDependent(state, node);
  const uid = state.uidOf.get(node);
  state.uidOf.delete(node);
  state.failures.delete(node);
  return uid === undefined ? [] : [...(state.dependents.get(uid) ?? [])].sort();
}

/** A new object whose owner is already gone is collected too. */
function created(view: ClusterView, state: GarbageCollectorState, node: string, meta: ObjectMeta): string[] {
  track(state, node, meta);
  const refs = meta.ownerReferences ?? [];
  return refs.length > 0 && refs.every((r) => !ownerExists(view, meta.namespace, r)) ? [node] : [];
}

function observe(view: ClusterView, state: GarbageCollectorState, event: ClusterEvent): Observed<GarbageCollectorState> {
  switch (event.kind) {
    case "PodCreated": {
      const m = event.pod.metadata;
      return { state, keys: created(view, state, nodeKey("Pod", `${m.namespace}/${m.name}`), m) };
    }
    case "PodRemoved":
      untrackDependent(state, nodeKey("Pod", event.key));
      return { state, keys: [] };
    case "ReplicaSetCreated": {
      const m = event.replicaSet.metadata;
      return { state, keys: created(view, state, nodeKey("ReplicaSet", `${m.namespace}/${m.name}`), m) };
    }
    case "ReplicaSetRemoved":
      return { state, keys: removed(state, nodeKey("ReplicaSet", event.key)) };
    case "DeploymentRemoved":
      return { state, keys: removed(state, nodeKey("Deployment", event.key)) };
    case "DeploymentCreated": {
      const m = event.deployment.metadata;
      state.uidOf.set(nodeKey("Deployment", `${m.namespace}/${m.name}`), m.uid);
      return { state, keys: [] };
    }
    case "ObjectCreated":
    case "ObjectUpdated":
      return { state, keys: created(view, state, nodeKey(event.object.kind, storedKey(event.object)), event.object.metadata) };
    case "ObjectDeleted":
      return { state, keys: removed(state, nodeKey(event.objectKind, event.key)) };
    default:
      return { state, keys: [] };
  }
}

/** attemptToDeleteItem: delete an object all of whose owners are gone (background propagation). */
function reconcile(view: ClusterView, state: GarbageCollectorState, node: string): Reconciled<GarbageCollectorState> {
  const { kind, key } = splitNode(node);
  const meta = metaOf(view, kind, key);
  const refs = meta?.ownerReferences ?? [];
  if (meta === undefined || meta.deletionMs !== undefined || refs.length === 0) return reconciled(state);
  if (refs.some((r) => ownerExists(view, meta.namespace, r))) return reconciled(state);
  return reconciled(state, [deleteDecision(kind, key, meta.uid)]);
}

function deleteDecision(kind: string, key: string, uid: string): Decision {
  if (kind === "Pod") return { kind: "DeletePod", id: `delete/${key}/${uid}`, podKey: key, reason: "GarbageCollected" };
  if (kind === "ReplicaSet") return { kind: "DeleteReplicaSet", id: `gc-delete/replicaset/${key}/${uid}`, key };
  if (!isStoredKind(kind)) throw new Error(`garbage collector: no delete for kind ${kind}`);
  return { kind: "DeleteObject", id: `gc-delete/${kind.toLowerCase()}/${key}/${uid}`, objectKind: kind, key };
}

function nodeOfDecision(decision: Decision): string | undefined {
  switch (decision.kind) {
    case "DeletePod":
      return nodeKey("Pod", decision.podKey);
    case "DeleteReplicaSet":
      return nodeKey("ReplicaSet", decision.key);
    case "DeleteObject":
      return nodeKey(decision.objectKind, decision.key);
    default:
      return undefined;
  }
}

/** A delete that failed (a conflict, no control plane) is tried again, rate-limited; one that was not needed is done. */
function onResult(_view: ClusterView, state: GarbageCollectorState, decision: Decision, result: WriteResult, _nowMs: Ms): Reconciled<GarbageCollectorState> {
  const node = nodeOfDecision(decision);
  if (node === undefined || result.ok || result.reason === "pod not found" || result.reason === "pod already deleting") {
    if (node !== undefined) state.failures.delete(node);
    return reconciled(state);
  }
  const streak = (state.failures.get(node) ?? 0) + 1;
  state.failures.set(node, streak);
  return reconciled(state, [], [{ key: node, afterMs: rateLimitedDelayMs(streak) }]);
}

export const garbageCollector: Controller<GarbageCollectorState> = {
  name: "garbage-collector",
  initialState: () => ({ uidOf: new Map(), dependents: new Map(), owners: new Map(), failures: new Map() }),
  observe,
  reconcile: (view, state, key) => reconcile(view, state, key),
  onResult,
};
