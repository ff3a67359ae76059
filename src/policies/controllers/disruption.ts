/**
 * The disruption controller's status computation for one PodDisruptionBudget, as upstream
 * pkg/controller/disruption/disruption.go (trySync, getExpectedPodCount, countHealthyPods,
 * buildDisruptedPodMap):
 *  - expected pods: for an integer minAvailable, the number of matching pods; otherwise the sum
 *    of the scales of the distinct controllers owning them (a ReplicaSet resolves to its
 *    Deployment; a StatefulSet counts its own; any owner with a scale counts), pods without a controller adding nothing;
 *  - desired healthy: minAvailable (a percentage of expected, rounded up), or expected −
 *    maxUnavailable (rounded up), never below 0;
 *  - current healthy: matching pods that are Ready, not terminating, and not in disruptedPods
 *    (an eviction admitted less than DeletionTimeout = 2 min ago);
 *  - disruptionsAllowed = current − desired, 0 when that is negative or nothing is expected.
 * Entries of disruptedPods are dropped once the pod is gone, terminating, or older than 2 min.
 */
import { selectorMatches } from "../../model/labels.ts";
import type { LabelSelector, OwnerReference, Pod } from "../../model/objects.ts";
import type { PodDisruptionBudget } from "../../model/scheduling-objects.ts";
import { storedObjectsOf } from "../../model/stored-objects.ts";
import type { Ms } from "../../model/units.ts";
import type { ClusterView } from "../../model/view.ts";
import { scaledValue } from "./int-or-percent.ts";
import { controllerOf } from "./ownership.ts";

/** Upstream DeletionTimeout: how long an admitted eviction keeps its pod out of the healthy count. */
export const disruptedPodTimeoutMs = 2 * 60_000;

/** The controller that scales a pod's owner: its uid and replicas, or undefined when it has no scale. */
export type ScaleOf = (namespace: string, owner: OwnerReference) => { uid: string; replicas: number } | undefined;

export type PdbStatus = PodDisruptionBudget["status"];

/** policy/v1: an empty selector matches every pod of the namespace; none at all matches nothing. */
export function pdbSelects(selector: LabelSelector | undefined, pod: Pod): boolean {
  return selector !== undefined && selectorMatches(selector, pod.metadata.labels);
}

export function pdbStatus(pdb: PodDisruptionBudget, namespacePods: readonly Pod[], scaleOf: ScaleOf, nowMs: Ms): PdbStatus {
  const pods = namespacePods.filter((p) => p.metadata.namespace === pdb.metadata.namespace && pdbSelects(pdb.spec.selector, p));
  const disruptedPods = keptDisruptions(pdb, pods, nowMs);
  const currentHealthy = pods.filter((p) => p.status.ready && p.metadata.deletionMs === undefined && disruptedPods[p.metadata.name] === undefined).length;
  const { expected, desired } = expectedAndDesired(pdb, pods, scaleOf);
  const allowed = currentHealthy - desired;
  return {
    disruptionsAllowed: expected <= 0 || allowed <= 0 ? 0 : allowed,
    currentHealthy,
    desiredHealthy: desired,
    expectedPods: expected,
    ...(Object.keys(disruptedPods).length > 0 ? { disruptedPods } : {}),
    ...(pdb.status.observedGeneration !== undefined ? { observedGeneration: pdb.status.observedGeneration } : {}),
  };
}

function expectedAndDesired(pdb: PodDisruptionBudget, pods: readonly Pod[], scaleOf: ScaleOf): { expected: number; desired: number } {
  const min = pdb.spec.minAvailable;
  if (typeof min === "number") return { expected: pods.length, desired: min };
  const expected = controllersScale(pods, scaleOf);
  if (min !== undefined) return { expected, desired: scaledValue(min, expected, true) };
  return { expected, desired: Math.max(0, expected - scaledValue(pdb.spec.maxUnavailable ?? 0, expected, true)) };
}

function controllersScale(pods: readonly Pod[], scaleOf: ScaleOf): number {
  const seen = new Set<string>();
  let total = 0;
  for (const pod of pods) {
    const owner = controllerOf(pod.metadata);
    const scale = owner ? scaleOf(pod.metadata.namespace, owner) : undefined;
    if (scale === undefined || seen.has(scale.uid)) continue;
    seen.add(scale.uid);
    total += scale.replicas;
  }
  return total;
}

function keptDisruptions(pdb: PodDisruptionBudget, pods: readonly Pod[], nowMs: Ms): Record<string, Ms> {
  const kept: Record<string, Ms> = {};
  const byName = new Map(pods.map((p) => [p.metadata.name, p]));
  for (const [name, atMs] of Object.entries(pdb.status.disruptedPods ?? {})) {
    const pod = byName.get(name);
    if (pod === undefined || pod.metadata.deletionMs !== undefined || atMs + disruptedPodTimeoutMs < nowMs) continue;
    kept[name] = atMs;
  }
  return kept;
}

/** When the oldest kept disruption expires (the controller recomputes then), or undefined. */
export function disruptionRecheckMs(status: PdbStatus): Ms | undefined {
  const times = Object.values(status.disruptedPods ?? {});
  return times.length === 0 ? undefined : Math.min(...times) + disruptedPodTimeoutMs;
}

/** Scales in the simulated cluster: ReplicaSets (resolved to their Deployment when one owns them) and StatefulSets (upstream getPodStatefulSet). */
export function viewScaleOf(view: ClusterView): ScaleOf {
  return (namespace, owner) => {
    if (owner.kind === "StatefulSet") {
      const set = storedObjectsOf(view, "StatefulSet").get(`${namespace}/${owner.name}`);
      return set !== undefined && set.metadata.uid === owner.uid ? { uid: set.metadata.uid, replicas: set.spec.replicas } : undefined;
    }
    if (owner.kind !== "ReplicaSet") return undefined;
    const rs = view.replicaSets.get(`${namespace}/${owner.name}`);
    if (rs === undefined) return undefined;
    const parent = controllerOf(rs.metadata);
    const d = parent?.kind === "Deployment" ? view.deployments.get(`${namespace}/${parent.name}`) : undefined;
    return d !== undefined ? { uid: d.metadata.uid, replicas: d.spec.replicas } : { uid: rs.metadata.uid, replicas: rs.spec.replicas };
  };
}

export function disruptionStatus(view: ClusterView, pdb: PodDisruptionBudget, nowMs: Ms): PdbStatus {
  return pdbStatus(pdb, [...view.pods.values()], viewScaleOf(view), nowMs);
}
