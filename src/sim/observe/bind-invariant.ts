/**
 * A run-wide invariant checked on every applied event (not only on samples): a pod never binds to
 * a node carrying a committed NoSchedule or NoExecute taint it does not tolerate. The scheduler's
 * filter and the bind's node-version precondition together guarantee it; a break is a twin bug.
 */
import { assert } from "../../model/assert.ts";
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { ClusterState } from "../../model/state.ts";
import { taintTolerated } from "../../policies/scheduling/tolerations.ts";

export function checkBindTolerated(state: ClusterState, event: ClusterEvent): void {
  if (event.kind !== "PodBound") return;
  const node = state.nodes.get(event.nodeName);
  const pod = state.pods.get(event.key);
  if (node === undefined || pod === undefined) return;
  for (const taint of node.spec.taints) {
    if (taint.effect === "PreferNoSchedule") continue;
    // Comparison operators on: never stricter than any scheduler profile the run may use.
    if (!taintTolerated(taint, pod.spec.tolerations, true)) {
      assert(false, `pod ${event.key} bound to node ${event.nodeName}, whose taint ${taint.key}:${taint.effect} it does not tolerate`);
    }
  }
}
