/**
 * Which workload a pod belongs to: its ReplicaSet's owning Deployment, else the ReplicaSet itself.
 * Workload keys are "deployment/ns/name" or "replicaset/ns/name"; desired counts come from specs.
 */
import type { Pod } from "../../model/objects.ts";
import type { ClusterState } from "../../model/state.ts";
import { controllerOf } from "../../policies/controllers/ownership.ts";

export function workloadOf(state: ClusterState, pod: Pod): string | undefined {
  const owner = controllerOf(pod.metadata);
  if (owner?.kind !== "ReplicaSet") return undefined;
  const ns = pod.metadata.namespace;
  const rs = state.replicaSets.get(`${ns}/${owner.name}`);
  const rsOwner = rs ? controllerOf(rs.metadata) : undefined;
  return rsOwner?.kind === "Deployment" ? `${ns}/${rsOwner.name}` : `${ns}/${owner.name}`;
}

/** Desired replicas of every workload (Deployments, and ReplicaSets no Deployment owns). */
export function desiredByWorkload(state: ClusterState): Map<string, number> {
  const desired = new Map<string, number>();
  for (const [key, d] of state.deployments) desired.set(key, d.spec.replicas);
  for (const [key, rs] of state.replicaSets) {
    if (controllerOf(rs.metadata)?.kind !== "Deployment") desired.set(key, rs.spec.replicas);
  }
  return desired;
}

export function readyByWorkload(state: ClusterState): Map<string, number> {
  const ready = new Map<string, number>();
  for (const pod of state.pods.values()) {
    if (!pod.status.ready || pod.metadata.deletionMs !== undefined) continue;
    const w = workloadOf(state, pod);
    if (w !== undefined) ready.set(w, (ready.get(w) ?? 0) + 1);
  }
  return ready;
}
