/**
 * Garbage collector (upstream pkg/controller/garbagecollector: the dependency graph of
 * graph_builder.go; attemptToDeleteItem, classifyReferences, processDeletingDependentsItem and
 * orphanDependents of garbagecollector.go), in the one controller pattern:
 *  - background: once every owner an object's ownerReferences name is gone (no object of that
 *    kind and name with that uid), the object is deleted — a Job's pods after the Job, a CronJob's
 *    Jobs after the CronJob, a ReplicaSet's pods after it. An object created after its owner went
 *    is collected too (upstream's virtual owner nodes);
 *  - foreground: an owner being deleted with the `foregroundDeletion` finalizer has its dependents
 *    deleted — those that have dependents of their own with Foreground too (a Deployment's
 *    ReplicaSets, then their pods) — and its finalizer removed (which removes it) once no
 *    dependent whose reference has blockOwnerDeletion is left;
 *  - orphan: an owner being deleted with the `orphan` finalizer has its reference removed from
 *    every dependent, then its finalizer;
 *  - dangling references: an object with a live owner and a gone one (or one waiting for its
 *    dependents' deletion) has those references removed instead of being deleted.
 * Not modelled: the cycle detection that unblocks references between owners that each wait for
 * the other, and owner kinds the twin does not know (taken to be there).
 */
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { Decision } from "../../model/decision.ts";
import { foregroundFinalizer, isDeletingDependents, isWorkloadKind, metaOfKind, orphanFinalizer, type OwnedKind, type PropagationPolicy, type WorkloadKind } from "../../model/deletion.ts";
import type { ObjectMeta, OwnerReference } from "../../model/objects.ts";
import { isStoredKind, storedKey, storedKinds } from "../../model/stored-objects.ts";
import type { Ms } from "../../model/units.ts";
import type { ClusterView } from "../../model/view.ts";
import { reconciled, type Controller, type Observed, type Reconciled, type WriteResult } from "../controller.ts";
import { rateLimitedDelayMs } from "./rate-limit.ts";

export interface GarbageCollectorState {
  /** "Kind/key" of every object seen → its uid (a removal event names only the key). */
  uidOf: Map<string, string>;
  /** owner uid → "Kind/key" of the objects that name it. */
  dependents: Map<string, Set<string>>;
  /** "Kind/key" of a dependent → the owners it names (uid, and "Kind/key" of the owner). */
  owners: Map<string, { uid: string; node: string }[]>;
  failures: Map<string, number>;
}

/** An object as the graph knows it: "Kind/namespace/name". */
const nodeKey = (kind: string, key: string) => `${kind}/${key}`;

function splitNode(node: string): { kind: string; key: string } {
  const i = node.indexOf("/");
  return { kind: node.slice(0, i), key: node.slice(i + 1) };
}

const knownOwnerKind = (kind: string) => kind === "ReplicaSet" || kind === "Deployment" || isStoredKind(kind);

/** The graph node of the owner a reference names: a namespaced owner is in its dependent's namespace (upstream refuses cross-namespace owners). */
function ownerNode(namespace: string, ref: OwnerReference): string {
  const key = isStoredKind(ref.kind) && !storedKinds[ref.kind].namespaced ? ref.name : `${namespace}/${ref.name}`;
  return nodeKey(ref.kind, key);
}

/** The owner a reference names, as it is now: undefined when gone (no object, or another uid: isDangling). */
function ownerMeta(view: ClusterView, namespace: string, ref: OwnerReference): ObjectMeta | undefined {
  const { kind, key } = splitNode(ownerNode(namespace, ref));
  const meta = metaOfKind(view, kind, key);
  return meta !== undefined && meta.uid === ref.uid ? meta : undefined;
}

function track(state: GarbageCollectorState, node: string, meta: ObjectMeta): void {
  state.uidOf.set(node, meta.uid);
  const refs = meta.ownerReferences ?? [];
  untrackDependent(state, node);
  if (refs.length === 0) return;
  state.owners.set(node, refs.map((r) => ({ uid: r.uid, node: ownerNode(meta.namespace, r) })));
  for (const ref of refs) {
    const set = state.dependents.get(ref.uid) ?? new Set<string>();
    set.add(node);
    state.dependents.set(ref.uid, set);
  }
}

/** Forgets the node as a dependent; answers the owners it named. */
function untrackDependent(state: GarbageCollectorState, node: string): { uid: string; node: string }[] {
  const owners = state.owners.get(node) ?? [];
  for (const { uid } of owners) {
    const set = state.dependents.get(uid);
    set?.delete(node);
    if (set?.size === 0) state.dependents.delete(uid);
  }
  state.owners.delete(node);
  return owners;
}

/** Owners being deleted, which the change of one of their dependents may unblock (addUnblockedOwnersToDeleteQueue). */
function deletingOwners(view: ClusterView, owners: readonly { uid: string; node: string }[]): string[] {
  return owners
    .filter(({ uid, node }) => {
      const { kind, key } = splitNode(node);
      const meta = metaOfKind(view, kind, key);
      return meta !== undefined && meta.uid === uid && meta.deletionMs !== undefined;
    })
    .map(({ node }) => node);
}

/** The object went: it is no longer anyone's dependent (its owners waiting for it are looked at), and its own dependents are looked at. */
function removed(view: ClusterView, state: GarbageCollectorState, node: string): string[] {
  const owners = deletingOwners(view, untrackDependent(state, node));
  const uid = state.uidOf.get(node);
  state.uidOf.delete(node);
  state.failures.delete(node);
  return [...owners, ...(uid === undefined ? [] : (state.dependents.get(uid) ?? []))];
}

/** A new or changed object: tracked; looked at when one of its owners is gone (a virtual owner node upstream). */
function seen(view: ClusterView, state: GarbageCollectorState, node: string, meta: ObjectMeta): string[] {
  const before = untrackDependent(state, node);
  track(state, node, meta);
  const stillNamed = new Set((meta.ownerReferences ?? []).map((r) => r.uid));
  const unblocked = deletingOwners(view, before.filter((o) => !stillNamed.has(o.uid)));
  const refs = meta.ownerReferences ?? [];
  const orphaned = refs.some((r) => knownOwnerKind(r.kind) && ownerMeta(view, meta.namespace, r) === undefined);
  return orphaned ? [node, ...unblocked] : unblocked;
}

/** A deletion started: the owner is looked at, and for foreground deletion every dependent too (processTransitions). */
function deletionStarted(view: ClusterView, state: GarbageCollectorState, node: string): string[] {
  const { kind, key } = splitNode(node);
  const meta = metaOfKind(view, kind, key);
  if (meta === undefined) return [];
  state.uidOf.set(node, meta.uid);
  const dependents = isDeletingDependents(meta) ? [...(state.dependents.get(meta.uid) ?? [])] : [];
  return [node, ...dependents];
}

function observe(view: ClusterView, state: GarbageCollectorState, event: ClusterEvent): Observed<GarbageCollectorState> {
  return { state, keys: [...new Set(observed(view, state, event))].sort() };
}

function observed(view: ClusterView, state: GarbageCollectorState, event: ClusterEvent): string[] {
  switch (event.kind) {
    case "PodCreated":
      return seen(view, state, nodeKey("Pod", storedKey(event.pod)), event.pod.metadata);
    case "ReplicaSetCreated":
      return seen(view, state, nodeKey("ReplicaSet", storedKey(event.replicaSet)), event.replicaSet.metadata);
    case "DeploymentCreated":
      return seen(view, state, nodeKey("Deployment", storedKey(event.deployment)), event.deployment.metadata);
    case "ObjectCreated":
    case "ObjectUpdated":
      return seen(view, state, nodeKey(event.object.kind, storedKey(event.object)), event.object.metadata);
    case "OwnerReferencesChanged": {
      const meta = metaOfKind(view, event.objectKind, event.key);
      return meta === undefined ? [] : seen(view, state, nodeKey(event.objectKind, event.key), meta);
    }
    case "DeletionStarted":
      return deletionStarted(view, state, nodeKey(event.objectKind, event.key));
    case "PodRemoved":
      return removed(view, state, nodeKey("Pod", event.key));
    case "ReplicaSetRemoved":
      return removed(view, state, nodeKey("ReplicaSet", event.key));
    case "DeploymentRemoved":
      return removed(view, state, nodeKey("Deployment", event.key));
    case "ObjectDeleted":
      return removed(view, state, nodeKey(event.objectKind, event.key));
    default:
      return [];
  }
}

/** attemptToDeleteItem. */
function reconcile(view: ClusterView, state: GarbageCollectorState, node: string): Reconciled<GarbageCollectorState> {
  const { kind, key } = splitNode(node);
  const meta = metaOfKind(view, kind, key);
  if (meta === undefined) return reconciled(state);
  if (meta.deletionMs !== undefined) return reconcileDeleting(view, state, kind, key, meta);
  const refs = meta.ownerReferences ?? [];
  if (refs.length === 0) return reconciled(state);
  return reconciled(state, decideByReferences(view, state, kind, key, meta, refs));
}

/** classifyReferences and what attemptToDeleteItem does with each class. */
function decideByReferences(view: ClusterView, state: GarbageCollectorState, kind: string, key: string, meta: ObjectMeta, refs: readonly OwnerReference[]): Decision[] {
  const solid: OwnerReference[] = [];
  const dangling: OwnerReference[] = [];
  const waiting: OwnerReference[] = [];
  for (const ref of refs) {
    if (!knownOwnerKind(ref.kind)) {
      solid.push(ref);
      continue;
    }
    const owner = ownerMeta(view, meta.namespace, ref);
    if (owner === undefined) dangling.push(ref);
    else if (isDeletingDependents(owner)) waiting.push(ref);
    else solid.push(ref);
  }
  if (solid.length > 0) {
    if (dangling.length === 0 && waiting.length === 0) return [];
    return [removeReferences(kind, key, meta.uid, [...dangling, ...waiting].map((r) => r.uid))];
  }
  const hasDependents = (state.dependents.get(meta.uid)?.size ?? 0) > 0;
  const policy: PropagationPolicy = waiting.length > 0 && hasDependents ? "Foreground" : "Background";
  const decision = deleteDecision(kind, key, meta.uid, policy);
  return decision === undefined ? [] : [decision];
}

/** An object being deleted: processDeletingDependentsItem for foreground, orphanDependents for orphan; otherwise nothing to do. */
function reconcileDeleting(view: ClusterView, state: GarbageCollectorState, kind: string, key: string, meta: ObjectMeta): Reconciled<GarbageCollectorState> {
  // Only workloads carry the collector's finalizers (a pod being deleted is the kubelet's).
  if (!isWorkloadKind(kind)) return reconciled(state);
  const finalizers = meta.finalizers ?? [];
  const dependents = liveDependents(view, state, meta.uid);
  if (finalizers.includes(orphanFinalizer)) {
    if (dependents.length === 0) return reconciled(state, [removeFinalizer(kind, key, meta.uid, orphanFinalizer)]);
    return reconciled(state, dependents.map((d) => removeReferences(d.kind, d.key, d.meta.uid, [meta.uid])));
  }
  if (!finalizers.includes(foregroundFinalizer)) return reconciled(state);
  const blocking = dependents.filter((d) => (d.meta.ownerReferences ?? []).some((r) => r.uid === meta.uid && r.blockOwnerDeletion === true));
  if (blocking.length === 0) return reconciled(state, [removeFinalizer(kind, key, meta.uid, foregroundFinalizer)]);
  // The blocking dependents not themselves deleting their dependents are (re)considered for deletion.
  const requeue = blocking.filter((d) => !isDeletingDependents(d.meta)).map((d) => ({ key: nodeKey(d.kind, d.key), afterMs: 0 }));
  return reconciled(state, [], requeue);
}

/** The objects that still name the owner of that uid, in key order. */
function liveDependents(view: ClusterView, state: GarbageCollectorState, uid: string): { kind: OwnedKind; key: string; meta: ObjectMeta }[] {
  const out: { kind: OwnedKind; key: string; meta: ObjectMeta }[] = [];
  for (const node of [...(state.dependents.get(uid) ?? [])].sort()) {
    const { kind, key } = splitNode(node);
    const meta = metaOfKind(view, kind, key);
    if (meta === undefined || !(kind === "Pod" || isWorkloadKind(kind))) continue;
    if ((meta.ownerReferences ?? []).some((r) => r.uid === uid)) out.push({ kind, key, meta });
  }
  return out;
}

function removeReferences(kind: string, key: string, uid: string, ownerUids: string[]): Decision {
  const owners = [...ownerUids].sort();
  return { kind: "RemoveOwnerReferences", id: `gc-unown/${kind.toLowerCase()}/${key}/${uid}/${owners.join(",")}`, objectKind: kind as OwnedKind, key, uid, ownerUids: owners };
}

function removeFinalizer(kind: WorkloadKind, key: string, uid: string, finalizer: string): Decision {
  return { kind: "RemoveFinalizer", id: `gc-finalize/${kind.toLowerCase()}/${key}/${uid}/${finalizer}`, objectKind: kind, key, uid, finalizer };
}

/** The delete of a dependent (Foreground when it has dependents and its owner waits for it); undefined for kinds the collector does not delete. */
function deleteDecision(kind: string, key: string, uid: string, policy: PropagationPolicy): Decision | undefined {
  const suffix = policy === "Background" ? "" : `/${policy.toLowerCase()}`;
  const propagation = policy === "Background" ? {} : { propagationPolicy: policy };
  if (kind === "Pod") return { kind: "DeletePod", id: `delete/${key}/${uid}`, podKey: key, reason: "GarbageCollected" };
  if (kind === "ReplicaSet") return { kind: "DeleteReplicaSet", id: `gc-delete/replicaset/${key}/${uid}${suffix}`, key, ...propagation };
  if (!isStoredKind(kind)) return undefined;
  return { kind: "DeleteObject", id: `gc-delete/${kind.toLowerCase()}/${key}/${uid}${suffix}`, objectKind: kind, key, ...propagation };
}

function nodeOfDecision(decision: Decision): string | undefined {
  switch (decision.kind) {
    case "DeletePod":
      return nodeKey("Pod", decision.podKey);
    case "DeleteReplicaSet":
      return nodeKey("ReplicaSet", decision.key);
    case "DeleteObject":
    case "RemoveFinalizer":
    case "RemoveOwnerReferences":
      return nodeKey(decision.objectKind, decision.key);
    default:
      return undefined;
  }
}

/** Answers that need no retry: done, or the object gone, replaced or already being deleted. */
const settled = (result: WriteResult) =>
  result.ok || result.reason === undefined || result.reason.endsWith("not found") || result.reason.includes("was replaced") || result.reason === "pod already deleting";

/** The owner being orphaned (being deleted with the orphan finalizer) that a reference removal was for, if any. */
function orphaningOwner(view: ClusterView, state: GarbageCollectorState, node: string, ownerUids: readonly string[]): string | undefined {
  for (const owner of state.owners.get(node) ?? []) {
    if (!ownerUids.includes(owner.uid)) continue;
    const { kind, key } = splitNode(owner.node);
    const meta = metaOfKind(view, kind, key);
    if (meta?.deletionMs !== undefined && (meta.finalizers ?? []).includes(orphanFinalizer)) return owner.node;
  }
  return undefined;
}

/** A write that failed (a conflict, no control plane) is tried again, rate-limited; one that was not needed is done. */
function onResult(view: ClusterView, state: GarbageCollectorState, decision: Decision, result: WriteResult, _nowMs: Ms): Reconciled<GarbageCollectorState> {
  const node = nodeOfDecision(decision);
  if (node === undefined || settled(result)) {
    if (node !== undefined) state.failures.delete(node);
    return reconciled(state);
  }
  // A reference removal that failed is decided again by whoever decided it: the orphaning owner, or the object itself.
  const retried = decision.kind === "RemoveOwnerReferences" ? (orphaningOwner(view, state, node, decision.ownerUids) ?? node) : node;
  const streak = (state.failures.get(retried) ?? 0) + 1;
  state.failures.set(retried, streak);
  return reconciled(state, [], [{ key: retried, afterMs: rateLimitedDelayMs(streak) }]);
}

export const garbageCollector: Controller<GarbageCollectorState> = {
  name: "garbage-collector",
  initialState: () => ({ uidOf: new Map(), dependents: new Map(), owners: new Map(), failures: new Map() }),
  observe,
  reconcile: (view, state, key) => reconcile(view, state, key),
  onResult,
};
