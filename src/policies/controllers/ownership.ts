import type { ObjectMeta, OwnerReference, Pod, ReplicaSet } from "../../model/objects.ts";
import type { Prng } from "../../model/prng.ts";
import type { ClusterView } from "../../model/view.ts";

/**
 * ReplicaSets whose controller owner may be `uid` (callers still check the owner): the view's
 * owner index when it has one, every ReplicaSet otherwise.
 */
export function replicaSetsOwnedBy(view: ClusterView, uid: string | undefined): Iterable<ReplicaSet> {
  const index = view.replicaSetsByOwner;
  if (index === undefined || uid === undefined) return view.replicaSets.values();
  const out: ReplicaSet[] = [];
  for (const key of index.get(uid) ?? []) {
    const rs = view.replicaSets.get(key);
    if (rs !== undefined) out.push(rs);
  }
  return out;
}

/** The controller owner of an object (the ownerReference with controller: true), if any. */
export function controllerOf(meta: ObjectMeta): OwnerReference | undefined {
  for (const ref of meta.ownerReferences ?? []) if (ref.controller) return ref;
  return undefined;
}

/** A pod that counts toward its ReplicaSet's replicas: not terminal and not being deleted. */
export function podIsActive(pod: Pod): boolean {
  return pod.metadata.deletionMs === undefined && pod.status.phase !== "Succeeded" && pod.status.phase !== "Failed";
}

/** Ready for at least minReadySeconds (Kubernetes' "available"). */
export function podIsAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!pod.status.ready || pod.status.readyMs === undefined) return false;
  return minReadySeconds <= 0 || pod.status.readyMs + minReadySeconds * 1000 <= nowMs;
}

/** "namespace/name" of a pod: the key every store uses. */
export function podKeyOf(pod: Pod): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

/** "namespace/name" of the pod's controller owner when it is of `kind` (owners are in their pod's namespace). */
export function controllerKeyOf(pod: Pod, kind: string): string | undefined {
  const owner = controllerOf(pod.metadata);
  return owner?.kind === kind ? `${pod.metadata.namespace}/${owner.name}` : undefined;
}

/** The controller's own stream for the object at `key`, forked once as `<kind>/<key>` from its root and kept in `prngs` by key. */
export function objectPrng(prngs: Map<string, Prng>, root: Prng, kind: string, key: string): Prng {
  let prng = prngs.get(key);
  if (prng === undefined) {
    prng = root.fork(`${kind}/${key}`);
    prngs.set(key, prng);
  }
  return prng;
}
