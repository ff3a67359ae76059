/**
 * Which nodes are unneeded, and why the others are not (upstream core/scaledown/eligibility
 * eligibility.go, core/scaledown/planner/planner.go, simulator/cluster.go SimulateNodeRemoval):
 * a node of an autoscaled group, Ready, not annotated scale-down-disabled, whose utilization —
 * the larger of its pods' cpu and memory requests over allocatable (simulator/utilization; every
 * pod counts, DaemonSet and mirror pods included, as upstream's defaults) — is below the
 * threshold, whose pods may all be moved (drainability.ts) and each fits on another node by the
 * scheduler's filters. Candidates are simulated in turn on one snapshot: a node found removable
 * leaves it and its pods are placed where they would go, so the next candidate cannot count on
 * room the previous one took, and the budgets' disruptions are used up across the pass
 * (RemainingPdbTracker). A node the simulation found unremovable is not simulated again for
 * unremovable-node-recheck-timeout (RecentlyUnremovable; the caller keeps the times). Reasons are upstream's simulator.UnremovableReason names.
 */
import type { Node, Pod } from "../../../model/objects.ts";
import { podHoldsResources, podRequests } from "../../../model/resources.ts";
import type { PodDisruptionBudget } from "../../../model/scheduling-objects.ts";
import type { ClusterView } from "../../../model/view.ts";
import type { ClusterSnapshot } from "./cluster-snapshot.ts";
import { nodePods, type BlockingPod } from "./drainability.ts";
import { groupOfNode, type NodeGroupSpec } from "./node-groups.ts";
import type { ClusterAutoscalerOptions } from "./options.ts";

export const scaleDownDisabledAnnotation = "cluster-autoscaler.kubernetes.io/scale-down-disabled";
export const toBeDeletedTaint = "ToBeDeletedByClusterAutoscaler";

/** upstream simulator.UnremovableReason (the ones the twin can give). */
export type UnremovableReason =
  | "ScaleDownDisabledAnnotation"
  | "NotAutoscaled"
  | "NotUnneededLongEnough"
  | "NodeGroupMinSizeReached"
  | "MinimalResourceLimitExceeded"
  | "CurrentlyBeingDeleted"
  | "NotUnderutilized"
  | "NotUnneededOtherReason"
  | "RecentlyUnremovable"
  | "NoPlaceToMovePods"
  | "BlockedByPod";

export interface NodeVerdict {
  node: string;
  group?: string;
  /** max(cpu, memory) requested / allocatable. */
  utilization: number;
  /** True when the node could go now but for time, size and cooldown rules (upstream "unneeded"). */
  unneeded: boolean;
  reason?: UnremovableReason;
  blockingPod?: BlockingPod;
  /** Only DaemonSet, mirror or finished pods on it. */
  empty: boolean;
  /** Keys of the pods its removal evicts. */
  podsToMove: string[];
}

export function podsOnNode(view: ClusterView, node: string): Pod[] {
  const out: Pod[] = [];
  for (const key of view.podsByNode.get(node) ?? []) {
    const pod = view.pods.get(key);
    if (pod !== undefined && podHoldsResources(pod)) out.push(pod);
  }
  return out;
}

/** upstream utilization.Calculate: the larger of the cpu and memory fractions. */
export function utilizationOf(node: Node, pods: readonly Pod[]): number {
  let cpu = 0;
  let memory = 0;
  for (const pod of pods) {
    const r = podRequests(pod);
    cpu += r.cpu ?? 0;
    memory += r.memory ?? 0;
  }
  const a = node.status.allocatable;
  return Math.max((a.cpu ?? 0) > 0 ? cpu / (a.cpu as number) : 0, (a.memory ?? 0) > 0 ? memory / (a.memory as number) : 0);
}

function hasTaint(node: Node, key: string): boolean {
  return node.spec.taints.some((t) => t.key === key);
}

/**
 * Every node's verdict, in name order. `snapshot` holds the registered nodes only (no upcoming
 * ones) and is changed: removable candidates leave it.
 */
export function findUnneeded(
  view: ClusterView,
  snapshot: ClusterSnapshot,
  groups: ReadonlyMap<string, NodeGroupSpec>,
  beingDeleted: ReadonlySet<string>,
  options: ClusterAutoscalerOptions,
  recentlyUnremovable: ReadonlySet<string> = new Set(),
): NodeVerdict[] {
  const verdicts = new Map<string, NodeVerdict>();
  const candidates: { verdict: NodeVerdict; pods: Pod[] }[] = [];
  for (const name of [...view.nodes.keys()].sort()) {
    const node = view.nodes.get(name) as Node;
    const pods = podsOnNode(view, name);
    const verdict: NodeVerdict = { node: name, utilization: utilizationOf(node, pods), unneeded: false, empty: false, podsToMove: [] };
    verdicts.set(name, verdict);
    const group = groupOfNode(node, groups);
    if (group !== undefined) verdict.group = group.name;
    const reason = eligibility(node, group, verdict.utilization, beingDeleted, options, recentlyUnremovable);
    if (reason !== undefined) verdict.reason = reason;
    else candidates.push({ verdict, pods });
  }
  for (const name of [...beingDeleted].sort()) if (snapshot.hasNode(name)) snapshot.removeNode(name);
  const pdbs = [...((view as Partial<{ podDisruptionBudgets: ReadonlyMap<string, PodDisruptionBudget> }>).podDisruptionBudgets?.values() ?? [])];
  const remaining = new Map(pdbs.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p.status.disruptionsAllowed]));
  // Empty nodes first (they need no room elsewhere), then the least utilized, then by name.
  candidates.sort((a, b) => Number(b.pods.length === 0) - Number(a.pods.length === 0) || a.verdict.utilization - b.verdict.utilization || (a.verdict.node < b.verdict.node ? -1 : 1));
  // The pods a candidate's removal moves are those on it in the snapshot: pods an earlier candidate moved there too.
  for (const { verdict } of candidates) simulateRemoval(snapshot, verdict, snapshot.podsOn(verdict.node), pdbs, remaining, options);
  return [...verdicts.values()];
}

function eligibility(node: Node, group: NodeGroupSpec | undefined, utilization: number, beingDeleted: ReadonlySet<string>, options: ClusterAutoscalerOptions, recent: ReadonlySet<string>): UnremovableReason | undefined {
  if (beingDeleted.has(node.metadata.name) || hasTaint(node, toBeDeletedTaint)) return "CurrentlyBeingDeleted";
  if (group === undefined) return "NotAutoscaled";
  // upstream unremovable.Nodes.IsRecent: found unremovable in simulation less than the recheck timeout ago
  if (recent.has(node.metadata.name)) return "RecentlyUnremovable";
  if (node.metadata.annotations?.[scaleDownDisabledAnnotation] === "true") return "ScaleDownDisabledAnnotation";
  // Unready nodes (upstream: removable after scale-down-unready-time) are left alone here.
  if (node.status.ready !== "True") return "NotUnneededOtherReason";
  if (utilization >= options.scaleDownUtilizationThreshold) return "NotUnderutilized";
  return undefined;
}

function simulateRemoval(snapshot: ClusterSnapshot, verdict: NodeVerdict, pods: readonly Pod[], pdbs: readonly PodDisruptionBudget[], remaining: Map<string, number>, options: ClusterAutoscalerOptions): void {
  const np = nodePods(pods, pdbs, remaining, options);
  verdict.podsToMove = np.move.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
  verdict.empty = np.move.length === 0;
  if (np.blocking !== undefined) {
    verdict.reason = "BlockedByPod";
    verdict.blockingPod = np.blocking;
    return;
  }
  const mark = snapshot.fork();
  snapshot.removeNode(verdict.node);
  for (const pod of np.move) {
    const to = snapshot.firstFit(pod, snapshot.nodeNames());
    if (to === undefined) {
      snapshot.revert(mark);
      verdict.reason = "NoPlaceToMovePods";
      return;
    }
    snapshot.placePod(pod, to);
  }
  for (const [key, n] of np.pdbPods) remaining.set(key, (remaining.get(key) ?? 0) - n);
  verdict.unneeded = true;
}
