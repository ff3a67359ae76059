/**
 * The bind a scheduler process writes: based on the node version it scheduled against, so a node
 * tainted or changed while the bind was in flight makes the bind a conflict (the pod is retried)
 * instead of landing on a node it no longer fits. Upstream's Binding has no such precondition; the
 * twin keeps the invariant "no bind ignores a committed NoSchedule taint" exact.
 */
import type { Decision } from "../../model/decision.ts";
import type { ClusterView } from "../../model/view.ts";

export function bindDecision(view: ClusterView, podKey: string, nodeName: string): Decision {
  const pod = view.pods.get(podKey);
  const nodeVersion = view.nodes.get(nodeName)?.metadata.resourceVersion ?? 0;
  return { kind: "BindPod", id: `bind/${podKey}/${pod?.metadata.uid ?? ""}/${nodeName}/${nodeVersion}`, podKey, nodeName, nodeVersion };
}
