/**
 * Deletion with a propagation policy (the API server's registry store, staging/src/k8s.io/
 * apiserver/pkg/registry/generic/registry/store.go): a Foreground or Orphan deletion keeps the
 * object, with a deletionTimestamp and the garbage collector's finalizer (`foregroundDeletion`,
 * `orphan`), until the garbage collector removes that finalizer; an object whose deletion has
 * started and whose last finalizer goes is removed. Background removes the object at once.
 */
import type { ObjectMeta } from "./objects.ts";
import { isStoredKind, storedObjectsOf, type StoredKind, type StoredObject } from "./stored-objects.ts";

/** metav1.DeletionPropagation. */
export type PropagationPolicy = "Background" | "Foreground" | "Orphan";
export const propagationPolicies: readonly PropagationPolicy[] = ["Background", "Foreground", "Orphan"];

/** The workload kinds a user deletes (the `Delete` fault) and that own other objects. */
export type WorkloadKind = "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" | "Job" | "CronJob";
export const workloadKinds: readonly WorkloadKind[] = ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob"];
export function isWorkloadKind(kind: string): kind is WorkloadKind {
  return (workloadKinds as readonly string[]).includes(kind);
}

/** What an ownerReference may be removed from: a workload or a pod. */
export type OwnedKind = WorkloadKind | "Pod";

/** metav1.FinalizerOrphanDependents and metav1.FinalizerDeleteDependents. */
export const orphanFinalizer = "orphan";
export const foregroundFinalizer = "foregroundDeletion";

/** The garbage collector's finalizers a deletion with `policy` asks for (deletionFinalizersForGarbageCollection). */
export function gcFinalizersOf(policy: PropagationPolicy): string[] {
  return policy === "Foreground" ? [foregroundFinalizer] : policy === "Orphan" ? [orphanFinalizer] : [];
}

/** An object's finalizers after a deletion asking for `wanted`: both GC finalizers dropped, then the wanted ones added. */
export function finalizersAfterDelete(current: readonly string[] | undefined, wanted: readonly string[]): string[] {
  const kept = (current ?? []).filter((f) => f !== orphanFinalizer && f !== foregroundFinalizer);
  return [...kept, ...wanted];
}

/** Deleting with the foregroundDeletion finalizer: the garbage collector is deleting its dependents. */
export function isDeletingDependents(meta: ObjectMeta): boolean {
  return meta.deletionMs !== undefined && (meta.finalizers ?? []).includes(foregroundFinalizer);
}

interface MetaView {
  readonly pods: ReadonlyMap<string, { metadata: ObjectMeta }>;
  readonly replicaSets: ReadonlyMap<string, { metadata: ObjectMeta }>;
  readonly deployments: ReadonlyMap<string, { metadata: ObjectMeta }>;
  readonly objects?: ReadonlyMap<StoredKind, ReadonlyMap<string, StoredObject>>;
}

/** The metadata of the object of `kind` at `key` (pods, ReplicaSets, Deployments and stored kinds), if it exists. */
export function metaOfKind(view: MetaView, kind: string, key: string): ObjectMeta | undefined {
  if (kind === "Pod") return view.pods.get(key)?.metadata;
  if (kind === "ReplicaSet") return view.replicaSets.get(key)?.metadata;
  if (kind === "Deployment") return view.deployments.get(key)?.metadata;
  if (isStoredKind(kind)) return storedObjectsOf(view, kind).get(key)?.metadata;
  return undefined;
}
