/**
 * The walking skeleton's scheduler: filter by readiness, cordon, NoSchedule taints, nodeSelector
 * and resource fit; score LeastAllocated (spread) or MostAllocated (bin-pack) over cpu and memory
 * as upstream's NodeResourcesFit does; ties broken by the injected prng (reservoir sampling, as
 * kube-scheduler's selectHost). The full framework (src/policies/scheduling) supersedes it.
 */
import type { Node, Pod, ResourceList } from "../../model/objects.ts";
import { taintTolerated } from "../scheduling/tolerations.ts";
import type { Prng } from "../../model/prng.ts";
import { podRequests } from "../../model/resources.ts";
import type { ClusterView } from "../../model/view.ts";

export type ScoringStrategy = "LeastAllocated" | "MostAllocated";

export type BasicResult =
  | { kind: "Bind"; nodeName: string; score: number; feasible: number }
  | { kind: "Unschedulable"; message: string };

/** Upstream's non-zero defaults for scoring pods that request nothing. */
const defaultCpuMilli = 100;
const defaultMemoryBytes = 200 * 1024 * 1024;

/**
 * Upstream's adaptive percentageOfNodesToScore: stop filtering once this many feasible nodes are
 * found (50% − nodes/125, at least 5%, and never fewer than 100 nodes).
 */
export function feasibleNodesToFind(nodeCount: number): number {
  if (nodeCount < 100) return nodeCount;
  const percentage = Math.max(5, 50 - Math.trunc(nodeCount / 125));
  return Math.max(100, Math.trunc((nodeCount * percentage) / 100));
}

/** The policy's own state: where the next search starts (upstream's nextStartNodeIndex). */
export interface BasicSchedulerState {
  nextStartIndex: number;
}

export function scheduleBasic(view: ClusterView, pod: Pod, strategy: ScoringStrategy, prng: Prng, state: BasicSchedulerState = { nextStartIndex: 0 }): BasicResult {
  const requests = podRequests(pod);
  const reasons = new Map<string, number>();
  const nodes = Array.from(view.nodes.values());
  const wanted = feasibleNodesToFind(nodes.length);
  let best = -1;
  let bestNode = "";
  let ties = 0;
  let feasible = 0;
  let visited = 0;
  for (; visited < nodes.length && feasible < wanted; visited++) {
    const node = nodes[(state.nextStartIndex + visited) % nodes.length] as Node;
    const reason = filterReason(view, node, pod, requests);
    if (reason !== undefined) {
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      continue;
    }
    feasible++;
    const score = scoreNode(view.requestedByNode.get(node.metadata.name) ?? {}, node.status.allocatable, requests, strategy);
    if (score > best) {
      best = score;
      bestNode = node.metadata.name;
      ties = 1;
    } else if (score === best && prng.int(0, ++ties) === 0) {
      bestNode = node.metadata.name;
    }
  }
  if (nodes.length > 0) state.nextStartIndex = (state.nextStartIndex + visited) % nodes.length;
  if (feasible === 0) return { kind: "Unschedulable", message: unschedulableMessage(view.nodes.size, reasons) };
  return { kind: "Bind", nodeName: bestNode, score: best, feasible };
}

function unschedulableMessage(nodeCount: number, reasons: Map<string, number>): string {
  const parts = [...reasons.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([r, n]) => `${n} ${r}`);
  return `0/${nodeCount} nodes are available: ${parts.join(", ")}.`;
}

function filterReason(view: ClusterView, node: Node, pod: Pod, requests: ResourceList): string | undefined {
  if (node.status.ready !== "True") return "node(s) were not ready";
  if (node.spec.unschedulable) return "node(s) were unschedulable";
  const untolerated = node.spec.taints.find((t) => t.effect !== "PreferNoSchedule" && !taintTolerated(t, pod.spec.tolerations, false));
  if (untolerated) return "node(s) had untolerated taint(s)";
  for (const key in pod.spec.nodeSelector) {
    if (node.metadata.labels[key] !== pod.spec.nodeSelector[key]) return "node(s) didn't match Pod's node affinity/selector";
  }
  const used = view.requestedByNode.get(node.metadata.name) ?? {};
  const podCount = view.podsByNode.get(node.metadata.name)?.size ?? 0;
  if ((node.status.allocatable.pods ?? 110) < podCount + 1) return "Too many pods";
  for (const name in requests) {
    const want = requests[name] as number;
    if (want === 0) continue;
    if ((used[name] ?? 0) + want > (node.status.allocatable[name] ?? 0)) return `Insufficient ${name}`;
  }
  return undefined;
}

function scoreNode(used: ResourceList, allocatable: ResourceList, requests: ResourceList, strategy: ScoringStrategy): number {
  const cpu = resourceScore((used.cpu ?? 0) + (requests.cpu || defaultCpuMilli), allocatable.cpu ?? 0, strategy);
  const memory = resourceScore((used.memory ?? 0) + (requests.memory || defaultMemoryBytes), allocatable.memory ?? 0, strategy);
  return Math.trunc((cpu + memory) / 2);
}

function resourceScore(requested: number, capacity: number, strategy: ScoringStrategy): number {
  if (capacity === 0 || requested > capacity) return 0;
  return strategy === "LeastAllocated"
    ? Math.trunc(((capacity - requested) * 100) / capacity)
    : Math.trunc((requested * 100) / capacity);
}
