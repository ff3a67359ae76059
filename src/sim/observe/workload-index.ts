/**
 * Workloads are Deployments, and ReplicaSets no Deployment owns, keyed "ns/name"; a pod belongs to
 * its ReplicaSet's owning Deployment, else to the ReplicaSet. Desired counts come from specs.
 */
import type { ClusterState } from "../../model/state.ts";
import { controllerOf } from "../../policies/controllers/ownership.ts";

/** Desired replicas of every workload (Deployments, and ReplicaSets no Deployment owns). */
export function desiredByWorkload(state: ClusterState): Map<string, number> {
  const desired = new Map<string, number>();
  for (const [key, d] of state.deployments) desired.set(key, d.spec.replicas);
  for (const [key, rs] of state.replicaSets) {
    if (controllerOf(rs.metadata)?.kind !== "Deployment") desired.set(key, rs.spec.replicas);
  }
  return desired;
}

/** Ready (and not terminating) pods per workload, from ready counts per ReplicaSet uid. */
export function readyByWorkload(state: ClusterState, readyByOwnerUid: ReadonlyMap<string, number>): Map<string, number> {
  const ready = new Map<string, number>();
  for (const [rsKey, rs] of state.replicaSets) {
    const count = readyByOwnerUid.get(rs.metadata.uid) ?? 0;
    if (count === 0) continue;
    const owner = controllerOf(rs.metadata);
    const key = owner?.kind === "Deployment" ? `${rs.metadata.namespace}/${owner.name}` : rsKey;
    ready.set(key, (ready.get(key) ?? 0) + count);
  }
  return ready;
}
