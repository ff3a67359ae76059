/**
 * How many nodes of a group the pending pods need: upstream estimator/binpacking_estimator.go
 * (First-Fit Decreasing). Pods in decreasing order of cpu/allocatable + memory/allocatable of the
 * template (decreasing_pod_orderer.go; equal scores keep key order), each tried first on the nodes
 * this estimate added, then on the last added node, then on a fresh template node; a pod that does
 * not fit even on a fresh, empty node stops the estimate there (upstream: "it wouldn't be able to
 * schedule on a new node either"), and the limit on nodes (max size, max-nodes-total) stops it too.
 */
import { canonicalJson } from "../../../model/canonical.ts";
import { objectKey, type Node, type Pod } from "../../../model/objects.ts";
import { controllerOf } from "../../controllers/ownership.ts";
import { podRequests } from "../../../model/resources.ts";
import type { ClusterSnapshot } from "./cluster-snapshot.ts";

export interface Estimate {
  nodeCount: number;
  /** The pods the new nodes would hold. */
  pods: Pod[];
}

/** upstream DecreasingPodOrderer.calculatePodScore. */
export function podScore(pod: Pod, template: Node): number {
  const r = podRequests(pod);
  const cpu = template.status.allocatable.cpu ?? 0;
  const memory = template.status.allocatable.memory ?? 0;
  let score = 0;
  if (cpu > 0) score += (r.cpu ?? 0) / cpu;
  if (memory > 0) score += (r.memory ?? 0) / memory;
  return score;
}

/**
 * Pods by equivalence group (upstream PodEquivalenceGroup: pods of one controller with the same
 * spec), in first-seen order; a bare pod is a group of its own.
 */
export function equivalenceGroups(pods: readonly Pod[]): Pod[][] {
  const groups = new Map<string, Pod[]>();
  for (const pod of pods) {
    const owner = controllerOf(pod.metadata);
    const key = owner === undefined ? `pod/${objectKey(pod.metadata)}` : `owner/${owner.uid}/${canonicalJson(pod.spec)}`;
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = []));
    group.push(pod);
  }
  return [...groups.values()];
}

/**
 * `newNode(i)`: the i-th node this estimate adds (a copy of the group's template under its own
 * name). The snapshot is left as it was found.
 */
export function estimate(snapshot: ClusterSnapshot, pods: readonly Pod[], template: Node, nodesMax: number, newNode: (i: number) => Node): Estimate {
  const ordered = equivalenceGroups(pods)
    .map((group, i) => ({ group, i, score: podScore(group[0] as Pod, template) }))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .map((x) => x.group);
  const mark = snapshot.fork();
  const state: EstimationState = { added: [], withPods: new Set(), scheduled: [] };
  for (const group of ordered) {
    const rest = onExistingNodes(snapshot, state, group);
    onNewNodes(snapshot, state, rest, nodesMax, newNode);
  }
  snapshot.revert(mark);
  return { nodeCount: state.withPods.size, pods: state.scheduled };
}

interface EstimationState {
  /** Nodes this estimate added, in order (the last is upstream's lastNodeName). */
  added: string[];
  withPods: Set<string>;
  scheduled: Pod[];
}

function place(snapshot: ClusterSnapshot, state: EstimationState, pod: Pod, node: string): void {
  snapshot.placePod(pod, node);
  state.withPods.add(node);
  state.scheduled.push(pod);
}

/** upstream tryToScheduleOnExistingNodes: the group's pods onto nodes added so far, up to the first that fits none. */
function onExistingNodes(snapshot: ClusterSnapshot, state: EstimationState, pods: readonly Pod[]): Pod[] {
  let i = 0;
  for (; i < pods.length; i++) {
    const node = snapshot.firstFit(pods[i] as Pod, state.added);
    if (node === undefined) break;
    place(snapshot, state, pods[i] as Pod, node);
  }
  return pods.slice(i);
}

/** upstream tryToScheduleOnNewNodes: the last added node, else a fresh one; stops the group when even that fails. */
function onNewNodes(snapshot: ClusterSnapshot, state: EstimationState, pods: readonly Pod[], nodesMax: number, newNode: (i: number) => Node): void {
  for (const pod of pods) {
    const last = state.added.at(-1);
    if (last !== undefined && snapshot.fits(pod, last)) {
      place(snapshot, state, pod, last);
      continue;
    }
    // An empty last node that did not take the pod: a new one would not either.
    if (last !== undefined && !state.withPods.has(last)) return;
    if (state.added.length >= nodesMax) return;
    const node = newNode(state.added.length);
    snapshot.addTemplateNode(node);
    state.added.push(node.metadata.name);
    if (!snapshot.fits(pod, node.metadata.name)) return;
    place(snapshot, state, pod, node.metadata.name);
  }
}
