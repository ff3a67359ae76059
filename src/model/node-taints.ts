/**
 * The taints the node lifecycle controller manages (k8s.io/api/core/v1 well_known_taints.go):
 * NoSchedule taints mirror a node's conditions (TaintNodesByCondition), NoExecute taints drive
 * taint-based eviction. Both are written by the controller; the scheduler only reads taints.
 */
import type { Node, Taint, TaintEffect } from "./objects.ts";

export const taintNodeNotReady = "node.kubernetes.io/not-ready";
export const taintNodeUnreachable = "node.kubernetes.io/unreachable";
export const taintNodeUnschedulable = "node.kubernetes.io/unschedulable";

/** The keys whose taints the controller owns: any other taint on a node is left alone. */
export const controllerTaintKeys: ReadonlySet<string> = new Set([taintNodeNotReady, taintNodeUnreachable, taintNodeUnschedulable]);

/** The not-ready / unreachable key for a Ready condition status (none while Ready=True). */
export function readyTaintKey(ready: Node["status"]["ready"]): string | undefined {
  if (ready === "False") return taintNodeNotReady;
  if (ready === "Unknown") return taintNodeUnreachable;
  return undefined;
}

export function hasTaint(taints: readonly Taint[], key: string, effect: TaintEffect): boolean {
  return taints.some((t) => t.key === key && t.effect === effect);
}
