/**
 * What a workload deletion and the garbage collector's patches write, decided at commit on the
 * state they land on (the registry store's Delete and Update, staging/src/k8s.io/apiserver/pkg/
 * registry/generic/registry/store.go): a deletion sets the garbage collector's finalizers the
 * policy asks for (deletionFinalizersForGarbageCollection); an object left with no finalizers is
 * removed at once (Background, or the last finalizer removed: ShouldDeleteDuringUpdate).
 */
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { Decision } from "../../model/decision.ts";
import { finalizersAfterDelete, metaOfKind, type WorkloadKind } from "../../model/deletion.ts";
import type { ClusterState } from "../../model/state.ts";

/** The event that removes a workload from the store. */
export function removalEvent(kind: WorkloadKind, key: string): ClusterEvent {
  if (kind === "Deployment") return { kind: "DeploymentRemoved", key };
  if (kind === "ReplicaSet") return { kind: "ReplicaSetRemoved", key };
  return { kind: "ObjectDeleted", objectKind: kind, key };
}

/**
 * A DeletionStarted as asked (its finalizers: those the policy wants) becomes what the store
 * writes: the object's finalizers with the GC's replaced by those; none left removes it.
 */
export function deletionLanding(state: ClusterState, event: Extract<ClusterEvent, { kind: "DeletionStarted" }>): ClusterEvent {
  const meta = metaOfKind(state, event.objectKind, event.key);
  const finalizers = finalizersAfterDelete(meta?.finalizers, event.finalizers);
  if (finalizers.length === 0) return removalEvent(event.objectKind, event.key);
  return { kind: "DeletionStarted", objectKind: event.objectKind, key: event.key, finalizers };
}

/** RemoveFinalizer at commit: the object's finalizers without it; an object being deleted with none left is removed. */
export function finalizerRemoved(state: ClusterState, decision: Extract<Decision, { kind: "RemoveFinalizer" }>): ClusterEvent {
  const meta = metaOfKind(state, decision.objectKind, decision.key);
  const finalizers = (meta?.finalizers ?? []).filter((f) => f !== decision.finalizer);
  if (finalizers.length === 0 && meta?.deletionMs !== undefined) return removalEvent(decision.objectKind, decision.key);
  return { kind: "FinalizersChanged", objectKind: decision.objectKind, key: decision.key, finalizers };
}

/** RemoveOwnerReferences at commit: the object's references without those naming the owners given (a JSON merge patch by uid). */
export function ownerReferencesRemoved(state: ClusterState, decision: Extract<Decision, { kind: "RemoveOwnerReferences" }>): ClusterEvent {
  const refs = metaOfKind(state, decision.objectKind, decision.key)?.ownerReferences ?? [];
  const gone = new Set(decision.ownerUids);
  return { kind: "OwnerReferencesChanged", objectKind: decision.objectKind, key: decision.key, ownerReferences: refs.filter((r) => !gone.has(r.uid)) };
}
