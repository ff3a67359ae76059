/**
 * ReplicaSet controller: keep `spec.replicas` active pods that the ReplicaSet owns; report status.
 * Pure: (view, key, prng) → decisions. Pod names draw their suffix from the prng so runs are
 * deterministic; the caller gives the prng a per-ReplicaSet fork.
 */
import type { Decision } from "../../model/decision.ts";
import type { Pod, ReplicaSet, ReplicaSetStatus } from "../../model/objects.ts";
import type { Prng } from "../../model/prng.ts";
import type { ClusterView } from "../../model/view.ts";
import { podIsActive, podIsAvailable } from "./ownership.ts";

/** Upstream's burstReplicas: at most this many creations or deletions per sync. */
export const burstReplicas = 500;
const suffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";

export function ownedPods(view: ClusterView, rs: ReplicaSet): Pod[] {
  const out: Pod[] = [];
  for (const key of view.podsByOwner.get(rs.metadata.uid) ?? []) {
    const pod = view.pods.get(key);
    if (pod) out.push(pod);
  }
  return out;
}

export function reconcileReplicaSet(view: ClusterView, key: string, nowMs: number, prng: Prng): Decision[] {
  const rs = view.replicaSets.get(key);
  if (!rs) return [];
  const pods = ownedPods(view, rs);
  const active = pods.filter(podIsActive);
  const diff = rs.spec.replicas - active.length;
  const decisions: Decision[] = [];
  if (diff > 0) {
    for (let i = 0; i < Math.min(diff, burstReplicas); i++) decisions.push(createPodDecision(view, rs, nowMs, prng));
  } else if (diff < 0) {
    for (const pod of podsToDelete(active, -diff)) {
      const podKey = `${pod.metadata.namespace}/${pod.metadata.name}`;
      decisions.push({ kind: "DeletePod", id: `delete/${podKey}`, podKey, reason: "ScaleDown" });
    }
  }
  const status = replicaSetStatus(rs, pods, nowMs);
  if (!sameStatus(status, rs.status)) {
    decisions.push({ kind: "UpdateReplicaSetStatus", id: `rs-status/${key}/${statusId(status)}`, key, status });
  }
  return decisions;
}

function createPodDecision(view: ClusterView, rs: ReplicaSet, nowMs: number, prng: Prng): Decision {
  let name = "";
  do {
    let suffix = "";
    for (let i = 0; i < 5; i++) suffix += suffixAlphabet[prng.int(0, suffixAlphabet.length)];
    name = `${rs.metadata.name}-${suffix}`;
  } while (view.pods.has(`${rs.metadata.namespace}/${name}`));
  const t = rs.spec.template;
  const pod: Pod = {
    kind: "Pod",
    metadata: {
      name,
      namespace: rs.metadata.namespace,
      uid: "",
      labels: { ...t.labels },
      ownerReferences: [{ kind: "ReplicaSet", name: rs.metadata.name, uid: rs.metadata.uid, controller: true }],
      creationMs: nowMs,
    },
    spec: structuredCloneSpec(t.spec),
    status: { phase: "Pending", ready: false },
  };
  return { kind: "CreatePod", id: `create/${rs.metadata.namespace}/${name}`, pod };
}

function structuredCloneSpec<T>(spec: T): T {
  return JSON.parse(JSON.stringify(spec)) as T;
}

/** Upstream's deletion preference: unscheduled, then pending, then not ready, then newest. */
function podsToDelete(active: Pod[], count: number): Pod[] {
  const rank = (p: Pod): number => (p.spec.nodeName === undefined ? 0 : p.status.phase === "Pending" ? 1 : p.status.ready ? 3 : 2);
  return active
    .slice()
    .sort((a, b) => rank(a) - rank(b) || b.metadata.creationMs - a.metadata.creationMs || (a.metadata.name < b.metadata.name ? -1 : 1))
    .slice(0, Math.min(count, burstReplicas));
}

export function replicaSetStatus(rs: ReplicaSet, pods: Pod[], nowMs: number): ReplicaSetStatus {
  let replicas = 0;
  let readyReplicas = 0;
  let availableReplicas = 0;
  const minReady = rs.spec.minReadySeconds ?? 0;
  for (const pod of pods) {
    if (!podIsActive(pod)) continue;
    replicas++;
    if (pod.status.ready) readyReplicas++;
    if (podIsAvailable(pod, minReady, nowMs)) availableReplicas++;
  }
  return { replicas, readyReplicas, availableReplicas };
}

function sameStatus(a: ReplicaSetStatus, b: ReplicaSetStatus): boolean {
  return a.replicas === b.replicas && a.readyReplicas === b.readyReplicas && a.availableReplicas === b.availableReplicas;
}

function statusId(s: ReplicaSetStatus): string {
  return `${s.replicas}.${s.readyReplicas}.${s.availableReplicas}`;
}

export { sameStatus as sameReplicaStatus, statusId as replicaStatusId };
