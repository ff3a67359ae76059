/**
 * The DaemonSet's rolling update (upstream pkg/controller/daemon/update.go rollingUpdate,
 * updatedDesiredNodeCounts, findUpdatedPodsOnNode), as a pure function of the pods per node.
 * Without surge: delete old pods while at most maxUnavailable nodes lack an available updated pod
 * (an old pod that is not available is replaced at once); the manage loop then creates the new pod
 * once the old one is gone. With surge: create a new pod next to an available old one on at most
 * maxSurge nodes, and delete the old one once the new one is available. Nodes are visited in name
 * order (upstream iterates a map), so the same cluster always picks the same nodes.
 */
import type { DaemonSet } from "../../model/daemon-set.ts";
import type { Pod } from "../../model/objects.ts";
import type { Ms } from "../../model/units.ts";
import { revisionHashLabel } from "./daemon-pod.ts";
import { scaledValue } from "./int-or-percent.ts";
import { podIsAvailable } from "./ownership.ts";

export interface NodeSync {
  /** Nodes that get a new daemon pod. */
  createOn: string[];
  /** Pods to delete, "namespace/name". */
  deletePods: string[];
}

export function isUpdatedPod(pod: Pod, hash: string): boolean {
  return pod.metadata.labels[revisionHashLabel] === hash;
}

/** updatedDesiredNodeCounts: maxSurge and maxUnavailable of the desired node count, both rounded up; 1 unavailable when both are 0. */
export function updateLimits(ds: DaemonSet, desired: number): { maxSurge: number; maxUnavailable: number } {
  const maxSurge = scaledValue(ds.spec.updateStrategy.maxSurge, desired, true);
  const maxUnavailable = scaledValue(ds.spec.updateStrategy.maxUnavailable, desired, true);
  return { maxSurge, maxUnavailable: maxSurge === 0 && maxUnavailable === 0 ? 1 : maxUnavailable };
}

/** findUpdatedPodsOnNode: the node's one new and one old pod (terminating ones ignored); undefined when there are more. */
function updatedPodsOnNode(pods: readonly Pod[], hash: string): { newPod?: Pod; oldPod?: Pod } | undefined {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionMs !== undefined) continue;
    if (isUpdatedPod(pod, hash)) {
      if (newPod !== undefined) return undefined;
      newPod = pod;
    } else {
      if (oldPod !== undefined) return undefined;
      oldPod = pod;
    }
  }
  return { ...(newPod ? { newPod } : {}), ...(oldPod ? { oldPod } : {}) };
}

const keyOf = (pod: Pod) => `${pod.metadata.namespace}/${pod.metadata.name}`;

/**
 * `podsByNode`: the daemon pods per node (terminating ones included), with an empty entry for every
 * node that should run one; `desired`: how many nodes should.
 */
export function rollingUpdate(ds: DaemonSet, podsByNode: ReadonlyMap<string, readonly Pod[]>, desired: number, hash: string, nowMs: Ms): NodeSync {
  const { maxSurge, maxUnavailable } = updateLimits(ds, desired);
  const minReady = ds.spec.minReadySeconds ?? 0;
  const available = (pod: Pod) => podIsAvailable(pod, minReady, nowMs);
  const nodes = [...podsByNode.keys()].sort();
  if (maxSurge === 0) {
    let unavailable = 0;
    const replacements: string[] = [];
    const candidates: string[] = [];
    for (const node of nodes) {
      const found = updatedPodsOnNode(podsByNode.get(node) ?? [], hash);
      if (found === undefined) {
        unavailable++; // the manage loop cleans this node up
        continue;
      }
      const { newPod, oldPod } = found;
      if ((newPod === undefined) === (oldPod === undefined)) unavailable++; // nothing or both: the manage loop acts
      else if (newPod !== undefined) {
        if (!available(newPod)) unavailable++;
      } else if (oldPod !== undefined) {
        if (!available(oldPod)) replacements.push(keyOf(oldPod));
        else if (unavailable < maxUnavailable) candidates.push(keyOf(oldPod));
      }
    }
    const room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
    return { createOn: [], deletePods: [...replacements, ...candidates.slice(0, room)] };
  }
  let surge = 0;
  const deletePods: string[] = [];
  const allowedNew: string[] = [];
  const candidateNew: string[] = [];
  for (const node of nodes) {
    const found = updatedPodsOnNode(podsByNode.get(node) ?? [], hash);
    if (found === undefined) {
      surge++;
      continue;
    }
    const { newPod, oldPod } = found;
    if (oldPod === undefined) continue;
    if (newPod === undefined) {
      if (!available(oldPod)) allowedNew.push(node);
      else if (surge < maxSurge) candidateNew.push(node);
    } else if (!available(newPod)) surge++;
    else deletePods.push(keyOf(oldPod));
  }
  const room = Math.min(Math.max(0, maxSurge - surge), candidateNew.length);
  return { createOn: [...allowedNew, ...candidateNew.slice(0, room)], deletePods };
}
