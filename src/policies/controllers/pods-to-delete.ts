/**
 * Which pods a ReplicaSet deletes when it has too many: upstream getPodsToDelete with
 * getPodsRankedByRelatedPodsOnSameNode and controller.ActivePodsWithRanks.Less
 * (pkg/controller/replicaset/replica_set.go, pkg/controller/controller_utils.go), with the
 * PodDeletionCost and LogarithmicScaleDown features on (their defaults since v1.22):
 *  1. unscheduled before scheduled; 2. Pending before Running; 3. not ready before ready;
 *  4. lower controller.kubernetes.io/pod-deletion-cost first; 5. more active related pods (this
 *  ReplicaSet's and its Deployment's other ReplicaSets') on the same node first; 6. both ready:
 *  ready more recently first, compared on a log2 scale of the time since, ties by uid;
 *  7. more container restarts first (maxContainerRestarts; the twin's restartCount);
 *  8. created more recently first, on the same log2 scale, ties by uid.
 */
import type { Pod } from "../../model/objects.ts";
import type { Ms } from "../../model/units.ts";
import { podIsActive } from "./ownership.ts";

export const podDeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost";

const phaseOrdinal: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** upstream GetDeletionCostFromPodAnnotations: an int32, 0 when absent or invalid. */
export function deletionCost(pod: Pod): number {
  const text = pod.metadata.annotations?.[podDeletionCostAnnotation];
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return 0;
  const value = Number(text);
  return value >= -(2 ** 31) && value <= 2 ** 31 - 1 ? value : 0;
}

/** floor(log2(now − t in ns)), −1 when t is not in the past (upstream logarithmicRankDiff). */
function logRank(atMs: Ms, nowMs: Ms): number {
  const ns = (nowMs - atMs) * 1e6;
  return ns > 0 ? Math.floor(Math.log2(ns)) : -1;
}

function byUid(a: Pod, b: Pod): number {
  return a.metadata.uid < b.metadata.uid ? -1 : a.metadata.uid > b.metadata.uid ? 1 : 0;
}

/** Negative when `a` should be deleted before `b`. */
function compare(a: Pod, ra: number, b: Pod, rb: number, nowMs: Ms): number {
  const na = a.spec.nodeName ?? "";
  const nb = b.spec.nodeName ?? "";
  if (na !== nb && (na === "" || nb === "")) return na === "" ? -1 : 1;
  const pa = phaseOrdinal[a.status.phase] ?? 0;
  const pb = phaseOrdinal[b.status.phase] ?? 0;
  if (pa !== pb) return pa - pb;
  if (a.status.ready !== b.status.ready) return a.status.ready ? 1 : -1;
  const ca = deletionCost(a);
  const cb = deletionCost(b);
  if (ca !== cb) return ca - cb;
  if (ra !== rb) return rb - ra;
  if (a.status.ready && b.status.ready && a.status.readyMs !== b.status.readyMs) {
    const diff = logRank(a.status.readyMs ?? 0, nowMs) - logRank(b.status.readyMs ?? 0, nowMs);
    return diff !== 0 ? diff : byUid(a, b);
  }
  const restarts = (b.status.restartCount ?? 0) - (a.status.restartCount ?? 0);
  if (restarts !== 0) return restarts;
  if (a.metadata.creationMs !== b.metadata.creationMs) {
    const diff = logRank(a.metadata.creationMs, nowMs) - logRank(b.metadata.creationMs, nowMs);
    return diff !== 0 ? diff : byUid(a, b);
  }
  return 0;
}

/** The `count` pods of `active` to delete; `related` are every active pod of the same owner family. */
export function podsToDelete(active: readonly Pod[], related: readonly Pod[], count: number, nowMs: Ms): Pod[] {
  if (count >= active.length) return [...active];
  const onNode = new Map<string, number>();
  for (const pod of related) if (podIsActive(pod)) onNode.set(pod.spec.nodeName ?? "", (onNode.get(pod.spec.nodeName ?? "") ?? 0) + 1);
  const ranked = active.map((pod) => ({ pod, rank: onNode.get(pod.spec.nodeName ?? "") ?? 0 }));
  // A stable sort over key order keeps ties (rule "return false" upstream) deterministic.
  ranked.sort((x, y) => compare(x.pod, x.rank, y.pod, y.rank, nowMs) || (x.pod.metadata.name < y.pod.metadata.name ? -1 : 1));
  return ranked.slice(0, count).map((x) => x.pod);
}
