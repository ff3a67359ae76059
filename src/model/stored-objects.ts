/**
 * The generic object store: every kind beyond pods, nodes, namespaces, ReplicaSets, Deployments
 * and leases (which have events of their own, as the hot path needs) lives in one map per kind and
 * changes through four generic events — ObjectCreated, ObjectUpdated (the whole object replaced),
 * ObjectStatusChanged (its status subresource) and ObjectDeleted. Adding a kind to the twin is one
 * model type added to `StoredObject` and one line in `storedKinds`.
 */
import type { AutoscalingObject } from "./autoscaling-objects.ts";
import type { DaemonSet } from "./daemon-set.ts";
import type { Job } from "./job.ts";
import type { CronJob } from "./cron-job.ts";
import type { NodeOperation } from "./node-operation.ts";
import type { PolicyObject } from "./scheduling-objects.ts";
import type { StatefulSet } from "./stateful-set.ts";

export type StoredObject = PolicyObject | AutoscalingObject | NodeOperation | StatefulSet | DaemonSet | Job | CronJob;
export type StoredKind = StoredObject["kind"];

/** Every stored kind, and whether it is namespaced (cluster-scoped objects have namespace ""). */
export const storedKinds: Readonly<Record<StoredKind, { namespaced: boolean }>> = {
  PersistentVolume: { namespaced: false },
  PersistentVolumeClaim: { namespaced: true },
  PriorityClass: { namespaced: false },
  PodDisruptionBudget: { namespaced: true },
  ResourceQuota: { namespaced: true },
  LimitRange: { namespaced: true },
  HorizontalPodAutoscaler: { namespaced: true },
  VerticalPodAutoscaler: { namespaced: true },
  Service: { namespaced: true },
  PodMetrics: { namespaced: true },
  NodeOperation: { namespaced: false },
  StatefulSet: { namespaced: true },
  DaemonSet: { namespaced: true },
  Job: { namespaced: true },
  CronJob: { namespaced: true },
};

export const storedKindList: readonly StoredKind[] = (Object.keys(storedKinds) as StoredKind[]).sort();

export function isStoredKind(kind: string): kind is StoredKind {
  return Object.hasOwn(storedKinds, kind);
}

/** "namespace/name", or "name" for cluster-scoped kinds: the key every store uses. */
export function storedKey(object: { metadata: { namespace: string; name: string } }): string {
  const m = object.metadata;
  return m.namespace === "" ? m.name : `${m.namespace}/${m.name}`;
}

/** The status of a stored object, for ObjectStatusChanged (kinds without a status have none). */
export type StoredStatus = Extract<StoredObject, { status: unknown }>["status"];

/** The objects of one stored kind in a view (an absent map means none of that kind). */
export function storedObjectsOf<K extends StoredKind>(
  view: { readonly objects?: ReadonlyMap<StoredKind, ReadonlyMap<string, StoredObject>> },
  kind: K,
): ReadonlyMap<string, Extract<StoredObject, { kind: K }>> {
  return (view.objects?.get(kind) ?? emptyObjects) as ReadonlyMap<string, Extract<StoredObject, { kind: K }>>;
}

const emptyObjects: ReadonlyMap<string, StoredObject> = new Map();
