/**
 * Workloads are Deployments, ReplicaSets no Deployment owns, StatefulSets and DaemonSets, keyed
 * "ns/name"; a pod belongs to its ReplicaSet's owning Deployment, else to the ReplicaSet, or to its
 * StatefulSet or DaemonSet. Desired counts come from specs (a DaemonSet's from its status:
 * desiredNumberScheduled).
 */
import type { ClusterState } from "../../model/state.ts";
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { Pod } from "../../model/objects.ts";
import { storedObjectsOf } from "../../model/stored-objects.ts";
import { controllerOf } from "../../policies/controllers/ownership.ts";

/** Desired replicas of every workload (Deployments, ReplicaSets no Deployment owns, StatefulSets). */
export function desiredByWorkload(state: ClusterState): Map<string, number> {
  const desired = new Map<string, number>();
  for (const [key, d] of state.deployments) desired.set(key, d.spec.replicas);
  for (const [key, rs] of state.replicaSets) {
    if (controllerOf(rs.metadata)?.kind !== "Deployment") desired.set(key, rs.spec.replicas);
  }
  for (const [key, set] of storedObjectsOf(state, "StatefulSet")) desired.set(key, set.spec.replicas);
  for (const [key, ds] of storedObjectsOf(state, "DaemonSet")) desired.set(key, ds.status.desiredNumberScheduled);
  return desired;
}

/** The workload a pod counts for: its ReplicaSet's owning Deployment, else the ReplicaSet, or its StatefulSet; none for a bare pod. */
export function workloadOfPod(state: ClusterState, pod: Pod): string | undefined {
  const owner = controllerOf(pod.metadata);
  if (owner?.kind === "StatefulSet") {
    const setKey = `${pod.metadata.namespace}/${owner.name}`;
    return storedObjectsOf(state, "StatefulSet").has(setKey) ? setKey : undefined;
  }
  if (owner?.kind === "DaemonSet") return `${pod.metadata.namespace}/${owner.name}`;
  if (owner?.kind !== "ReplicaSet") return undefined;
  const rsKey = `${pod.metadata.namespace}/${owner.name}`;
  const rs = state.replicaSets.get(rsKey);
  if (rs === undefined) return undefined;
  const deployment = controllerOf(rs.metadata);
  return deployment?.kind === "Deployment" ? `${rs.metadata.namespace}/${deployment.name}` : rsKey;
}

/** Desired replicas of one workload, undefined when it is not one. */
export function desiredOf(state: ClusterState, workload: string): number | undefined {
  const d = state.deployments.get(workload);
  if (d !== undefined) return d.spec.replicas;
  const rs = state.replicaSets.get(workload);
  if (rs !== undefined) return controllerOf(rs.metadata)?.kind !== "Deployment" ? rs.spec.replicas : undefined;
  return storedObjectsOf(state, "StatefulSet").get(workload)?.spec.replicas ?? storedObjectsOf(state, "DaemonSet").get(workload)?.status.desiredNumberScheduled;
}

/** The workload whose desired count an event changes. */
export function desiredChangeOf(event: ClusterEvent): string | undefined {
  switch (event.kind) {
    case "DeploymentCreated":
      return `${event.deployment.metadata.namespace}/${event.deployment.metadata.name}`;
    case "DeploymentScaled":
    case "ReplicaSetScaled":
      return event.key;
    case "ReplicaSetCreated":
      return `${event.replicaSet.metadata.namespace}/${event.replicaSet.metadata.name}`;
    case "ObjectCreated":
    case "ObjectUpdated":
      return event.object.kind === "StatefulSet" ? `${event.object.metadata.namespace}/${event.object.metadata.name}` : undefined;
    case "ObjectStatusChanged":
      return event.objectKind === "DaemonSet" ? event.key : undefined;
    case "OwnerReferencesChanged":
      // An orphaned ReplicaSet is a workload of its own from now on.
      return event.objectKind === "ReplicaSet" ? event.key : undefined;
    default:
      return undefined;
  }
}
