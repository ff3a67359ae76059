/**
 * Node lifecycle controller (upstream's node_lifecycle_controller + taint-based eviction):
 * a node whose kubelet has not renewed its lease within the grace period becomes Ready=Unknown,
 * gets the unreachable NoExecute taint and its pods are marked not ready; pods that tolerate the
 * taint for tolerationSeconds are evicted when that time has passed (others at once). A node that
 * renews again becomes Ready and loses the taint. Pure: (view, leases, params) → decisions.
 * Not yet modelled: zone-aware eviction rate limiting (node-eviction-rate 0.1/s).
 */
import type { Decision } from "../../model/decision.ts";
import type { Node, Pod, Taint, Toleration } from "../../model/objects.ts";
import type { ClusterView } from "../../model/view.ts";
import type { Ms } from "../../model/units.ts";

export const unreachableTaintKey = "node.kubernetes.io/unreachable";

export interface NodeLifecycleParams {
  nodeMonitorGraceMs: Ms;
}

/** node name → virtual time of the kubelet's last lease renewal. */
export type LeaseTable = ReadonlyMap<string, Ms>;

export function monitorNodes(view: ClusterView, leases: LeaseTable, nowMs: Ms, params: NodeLifecycleParams): Decision[] {
  const decisions: Decision[] = [];
  const names = [...view.nodes.keys()].sort();
  for (const name of names) {
    const node = view.nodes.get(name) as Node;
    const renewedMs = leases.get(name) ?? node.metadata.creationMs;
    const stale = nowMs - renewedMs > params.nodeMonitorGraceMs;
    if (stale && node.status.ready === "True") decisions.push(...markUnreachable(view, node, nowMs));
    else if (!stale && node.status.ready !== "True") decisions.push(markReachable(node));
    if (hasUnreachableTaint(node)) decisions.push(...evictions(view, node, nowMs));
  }
  return decisions;
}

function hasUnreachableTaint(node: Node): boolean {
  return node.spec.taints.some((t) => t.key === unreachableTaintKey && t.effect === "NoExecute");
}

function podsOn(view: ClusterView, node: Node): Pod[] {
  const keys = [...(view.podsByNode.get(node.metadata.name) ?? [])].sort();
  return keys.map((k) => view.pods.get(k)).filter((p): p is Pod => p !== undefined);
}

function markUnreachable(view: ClusterView, node: Node, nowMs: Ms): Decision[] {
  const name = node.metadata.name;
  const taint: Taint = { key: unreachableTaintKey, effect: "NoExecute", timeAddedMs: nowMs };
  const out: Decision[] = [
    { kind: "PatchNode", id: `node-unknown/${name}/${nowMs}`, name, ready: "Unknown", taints: [...node.spec.taints, taint] },
  ];
  for (const pod of podsOn(view, node)) {
    const podKey = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (pod.status.ready) out.push({ kind: "MarkPodNotReady", id: `pod-notready/${podKey}/${nowMs}`, podKey });
  }
  return out;
}

function markReachable(node: Node): Decision {
  const name = node.metadata.name;
  const taints = node.spec.taints.filter((t) => t.key !== unreachableTaintKey);
  return { kind: "PatchNode", id: `node-ready/${name}/${node.status.readyTransitionMs}`, name, ready: "True", taints };
}

/** Seconds this pod tolerates the unreachable NoExecute taint: Infinity, a number, or 0. */
export function toleratedSeconds(tolerations: readonly Toleration[] | undefined): number {
  let best = 0;
  for (const t of tolerations ?? []) {
    const keyMatches = t.operator === "Exists" ? t.key === undefined || t.key === "" || t.key === unreachableTaintKey : t.key === unreachableTaintKey;
    const effectMatches = t.effect === undefined || t.effect === "NoExecute";
    if (!keyMatches || !effectMatches) continue;
    const seconds = t.tolerationSeconds ?? Infinity;
    if (seconds > best) best = seconds;
  }
  return best;
}

function evictions(view: ClusterView, node: Node, nowMs: Ms): Decision[] {
  const taint = node.spec.taints.find((t) => t.key === unreachableTaintKey) as Taint;
  const addedMs = taint.timeAddedMs ?? node.status.readyTransitionMs;
  const out: Decision[] = [];
  for (const pod of podsOn(view, node)) {
    if (pod.metadata.deletionMs !== undefined) continue;
    if (pod.status.phase === "Succeeded" || pod.status.phase === "Failed") continue;
    const seconds = toleratedSeconds(pod.spec.tolerations);
    if (seconds === Infinity || nowMs < addedMs + seconds * 1000) continue;
    const podKey = `${pod.metadata.namespace}/${pod.metadata.name}`;
    out.push({ kind: "EvictPod", id: `taint-evict/${podKey}`, podKey, reason: "TaintManagerEviction" });
  }
  return out;
}
