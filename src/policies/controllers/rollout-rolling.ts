/**
 * One step of a RollingUpdate, as upstream pkg/controller/deployment/rolling.go (rolloutRolling)
 * with util/deployment_util.go (NewRSNewReplicas, MaxUnavailable, ResolveFenceposts): scale the
 * new ReplicaSet up within maxSurge if it can; otherwise scale old ReplicaSets down within
 * maxUnavailable — first their unhealthy replicas (cleanupUnhealthyReplicas), then available
 * ones while more than minAvailable pods are available. A step returns the replicas it wants per
 * ReplicaSet; the next step runs when their status changes, as upstream's sync does.
 */
import { assert } from "../../model/assert.ts";
import type { Deployment, ReplicaSet } from "../../model/objects.ts";
import { scaledValue } from "./int-or-percent.ts";

/** Target replicas per ReplicaSet key; empty when nothing needs to change. */
export type ScaleTargets = Map<string, number>;

const rsKey = (rs: ReplicaSet) => `${rs.metadata.namespace}/${rs.metadata.name}`;
const sumReplicas = (rss: readonly ReplicaSet[]) => rss.reduce((n, rs) => n + rs.spec.replicas, 0);

/** ResolveFenceposts: maxSurge rounds up, maxUnavailable down; both 0 means maxUnavailable 1. */
export function fenceposts(d: Deployment): { surge: number; unavailable: number } {
  const surge = scaledValue(d.spec.strategy.maxSurge, d.spec.replicas, true);
  const unavailable = scaledValue(d.spec.strategy.maxUnavailable, d.spec.replicas, false);
  return surge === 0 && unavailable === 0 ? { surge, unavailable: 1 } : { surge, unavailable };
}

/** MaxUnavailable: 0 for Recreate or no replicas, never more than the replicas. */
export function maxUnavailable(d: Deployment): number {
  if (d.spec.strategy.type !== "RollingUpdate" || d.spec.replicas === 0) return 0;
  return Math.min(fenceposts(d).unavailable, d.spec.replicas);
}

/** NewRSNewReplicas: how far the new ReplicaSet may grow now. */
export function newReplicaSetReplicas(d: Deployment, all: readonly ReplicaSet[], newReplicas: number): number {
  if (d.spec.strategy.type === "Recreate") return d.spec.replicas;
  const maxTotal = d.spec.replicas + scaledValue(d.spec.strategy.maxSurge, d.spec.replicas, true);
  const current = sumReplicas(all);
  if (current >= maxTotal) return newReplicas;
  return newReplicas + Math.min(maxTotal - current, d.spec.replicas - newReplicas);
}

/** ReplicaSetsByCreationTimestamp: oldest first, then by name. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  return a.metadata.creationMs - b.metadata.creationMs || (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0);
}

export function rollingStep(d: Deployment, newRS: ReplicaSet, old: readonly ReplicaSet[]): ScaleTargets {
  const targets: ScaleTargets = new Map();
  const all = [...old, newRS];
  if (newRS.spec.replicas > d.spec.replicas) return targets.set(rsKey(newRS), d.spec.replicas);
  if (newRS.spec.replicas < d.spec.replicas) {
    const grown = newReplicaSetReplicas(d, all, newRS.spec.replicas);
    if (grown !== newRS.spec.replicas) return targets.set(rsKey(newRS), grown);
  }
  scaleDownOld(d, newRS, [...old].sort(byCreation), targets);
  return targets;
}

/** reconcileOldReplicaSets: unhealthy old replicas first, then available ones above minAvailable. */
function scaleDownOld(d: Deployment, newRS: ReplicaSet, old: ReplicaSet[], targets: ScaleTargets): void {
  if (sumReplicas(old) === 0) return;
  const minAvailable = d.spec.replicas - maxUnavailable(d);
  const newUnavailable = newRS.spec.replicas - newRS.status.availableReplicas;
  const maxScaledDown = sumReplicas(old) + newRS.spec.replicas - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return;
  const replicas = new Map(old.map((rs) => [rs, rs.spec.replicas]));
  let cleaned = 0;
  for (const rs of old) {
    if (cleaned >= maxScaledDown) break;
    const unhealthy = rs.spec.replicas - rs.status.availableReplicas;
    if (rs.spec.replicas === 0 || unhealthy <= 0) continue;
    const n = Math.min(maxScaledDown - cleaned, unhealthy);
    replicas.set(rs, rs.spec.replicas - n);
    cleaned += n;
  }
  // scaleDownOldReplicaSetsForRollingUpdate: status is what it was before the cleanup.
  const available = old.reduce((n, rs) => n + rs.status.availableReplicas, newRS.status.availableReplicas);
  let toScaleDown = available - minAvailable;
  for (const rs of old) {
    if (toScaleDown <= 0) break;
    const current = replicas.get(rs) as number;
    if (current === 0) continue;
    const n = Math.min(current, toScaleDown);
    replicas.set(rs, current - n);
    toScaleDown -= n;
  }
  for (const [rs, n] of replicas) {
    assert(n >= 0 && n <= rs.spec.replicas, `rolling update scales ${rsKey(rs)} from ${rs.spec.replicas} to ${n}`);
    if (n !== rs.spec.replicas) targets.set(rsKey(rs), n);
  }
}
