/**
 * Where each modelled kind lives in a ClusterState (keys "namespace/name", or "name" for
 * cluster-scoped kinds). One table for everything that reads a state by kind: the served twin's
 * resources (src/cli/serve-resources.ts) and the recorder's diff (recorded-changes.ts).
 */
import type { KubeObject } from "../k8s/kinds.ts";
import type { ClusterState } from "../model/state.ts";
import type { StoredKind } from "../model/stored-objects.ts";

export type StateMap = (state: ClusterState) => ReadonlyMap<string, KubeObject>;

export const stored = (kind: StoredKind): StateMap => (s) => s.objects.get(kind) as ReadonlyMap<string, KubeObject>;

export const stateMapsByKind: Readonly<Record<string, StateMap>> = {
  Namespace: (s) => s.namespaces,
  Node: (s) => s.nodes,
  Pod: (s) => s.pods,
  Deployment: (s) => s.deployments,
  ReplicaSet: (s) => s.replicaSets,
  Lease: (s) => s.leases,
  PodDisruptionBudget: stored("PodDisruptionBudget"),
  PriorityClass: stored("PriorityClass"),
  ResourceQuota: stored("ResourceQuota"),
  LimitRange: stored("LimitRange"),
  PersistentVolume: stored("PersistentVolume"),
  PersistentVolumeClaim: stored("PersistentVolumeClaim"),
  StatefulSet: stored("StatefulSet"),
  DaemonSet: stored("DaemonSet"),
  Job: stored("Job"),
  CronJob: stored("CronJob"),
  HorizontalPodAutoscaler: stored("HorizontalPodAutoscaler"),
  Service: stored("Service"),
  VerticalPodAutoscaler: stored("VerticalPodAutoscaler"),
};
