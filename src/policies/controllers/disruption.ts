/**
 * The disruption controller's status computation for one PodDisruptionBudget (upstream
 * pkg/controller/disruption, simplified): expected pods from the owning controllers' scale,
 * healthy = ready and not terminating, desired healthy from minAvailable or maxUnavailable
 * (percentages rounded up, as GetScaledValueFromIntOrPercent does), disruptionsAllowed = the slack.
 */
import { selectorMatches } from "../../model/labels.ts";
import type { Pod } from "../../model/objects.ts";
import type { PodDisruptionBudget } from "../../model/scheduling-objects.ts";
import type { ClusterView } from "../../model/view.ts";
import { controllerOf } from "./ownership.ts";
import { scaledValue } from "./int-or-percent.ts";


function matchingPods(view: ClusterView, pdb: PodDisruptionBudget): Pod[] {
  const out: Pod[] = [];
  const selector = pdb.spec.selector ?? {};
  for (const pod of view.pods.values()) {
    if (pod.metadata.namespace !== pdb.metadata.namespace) continue;
    if (pod.status.phase === "Succeeded" || pod.status.phase === "Failed") continue;
    if (selectorMatches(selector, pod.metadata.labels)) out.push(pod);
  }
  return out;
}

/** Expected pods: the scale of each owning ReplicaSet, plus one per pod without a controller. */
function expectedPods(view: ClusterView, pods: readonly Pod[]): number {
  const owners = new Set<string>();
  let expected = 0;
  for (const pod of pods) {
    const owner = controllerOf(pod.metadata);
    const rs = owner?.kind === "ReplicaSet" ? view.replicaSets.get(`${pod.metadata.namespace}/${owner.name}`) : undefined;
    if (!rs) expected++;
    else if (!owners.has(rs.metadata.uid)) {
      owners.add(rs.metadata.uid);
      expected += rs.spec.replicas;
    }
  }
  return expected;
}

export function disruptionStatus(view: ClusterView, pdb: PodDisruptionBudget): PodDisruptionBudget["status"] {
  const pods = matchingPods(view, pdb);
  const currentHealthy = pods.filter((p) => p.status.ready && p.metadata.deletionMs === undefined).length;
  const usesMin = pdb.spec.minAvailable !== undefined;
  const expected = usesMin && typeof pdb.spec.minAvailable === "number" ? pods.length : expectedPods(view, pods);
  const desiredHealthy = usesMin
    ? scaledValue(pdb.spec.minAvailable as number | string, expected, true)
    : Math.max(0, expected - scaledValue(pdb.spec.maxUnavailable ?? 0, expected, true));
  return {
    disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy),
    currentHealthy,
    desiredHealthy,
    expectedPods: expected,
    ...(pdb.status.disruptedPods ? { disruptedPods: pdb.status.disruptedPods } : {}),
  };
}
