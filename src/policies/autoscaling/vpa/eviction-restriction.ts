/**
 * How many of a controller's pods the VPA updater may evict in one pass — upstream
 * vertical-pod-autoscaler/pkg/updater/restriction: pods_restriction_factory.go (GetCreatorMaps,
 * singleGroupStats.isPodDisruptable) and pods_eviction_restriction.go (CanEvict, Evict):
 *  - pods are grouped by their controller (ownerReference with controller: true); a group with
 *    fewer live pods than minReplicas (the VPA's updatePolicy.minReplicas, else --min-replicas 2)
 *    or whose controller's replica count cannot be read is left alone;
 *  - evictionTolerance = trunc(configured × --eviction-tolerance (0.5)), configured being the
 *    controller's spec.replicas (a DaemonSet's numberReady, a Job's live pods);
 *  - a Pending pod may always be evicted; a running one while running − evicted > configured −
 *    tolerance, or, with a tolerance of 0, when every configured pod runs and none was evicted yet
 *    (at least one pod per pass);
 *  - each admitted eviction of a pod that is not Pending counts in the group's `evicted`.
 * In-place resizes are not modelled, so no pod is ever "in-place updating" (those terms are 0).
 */
import type { Pod } from "../../../model/objects.ts";
import { controllerOf } from "../../controllers/ownership.ts";

export interface RestrictionConfig {
  /** --min-replicas (2). */
  minReplicas: number;
  /** --eviction-tolerance (0.5). */
  evictionToleranceFraction: number;
}

export const defaultRestrictionConfig: RestrictionConfig = { minReplicas: 2, evictionToleranceFraction: 0.5 };

export interface GroupStats {
  configured: number;
  pending: number;
  running: number;
  evictionTolerance: number;
  evicted: number;
}

export interface EvictionRestriction {
  /** Pod key → its creator's key ("Kind/namespace/name"). */
  creatorOf: Map<string, string>;
  groups: Map<string, GroupStats>;
}

/** The creator of a pod: "Kind/namespace/name" of its controller, if it has one. */
export function creatorKeyOf(pod: Pod): string | undefined {
  const owner = controllerOf(pod.metadata);
  return owner === undefined ? undefined : `${owner.kind}/${pod.metadata.namespace}/${owner.name}`;
}

const podKey = (pod: Pod): string => `${pod.metadata.namespace}/${pod.metadata.name}`;

/**
 * GetCreatorMaps: `configuredOf` answers a creator's replica count (undefined: unreadable, the
 * group is skipped); `minReplicas` is the VPA's override or the global value.
 */
export function evictionRestrictionOf(pods: readonly Pod[], configuredOf: (kind: string, namespace: string, name: string, live: number) => number | undefined, minReplicas: number, toleranceFraction: number): EvictionRestriction {
  const live = new Map<string, Pod[]>();
  for (const pod of pods) {
    const creator = creatorKeyOf(pod);
    if (creator === undefined) continue;
    const list = live.get(creator);
    if (list === undefined) live.set(creator, [pod]);
    else list.push(pod);
  }
  const creatorOf = new Map<string, string>();
  const groups = new Map<string, GroupStats>();
  for (const creator of [...live.keys()].sort()) {
    const replicas = live.get(creator) as Pod[];
    if (replicas.length < minReplicas) continue;
    const [kind, namespace, name] = creator.split("/") as [string, string, string];
    const configured = configuredOf(kind, namespace, name, replicas.length);
    if (configured === undefined || configured === 0) continue;
    const pending = replicas.filter((p) => p.status.phase === "Pending").length;
    for (const pod of replicas) creatorOf.set(podKey(pod), creator);
    groups.set(creator, { configured, pending, running: replicas.length - pending, evictionTolerance: Math.trunc(configured * toleranceFraction), evicted: 0 });
  }
  return { creatorOf, groups };
}

/** singleGroupStats.isPodDisruptable. */
function disruptable(s: GroupStats): boolean {
  const shouldBeAlive = s.configured - s.evictionTolerance;
  return s.running - s.evicted > shouldBeAlive || (s.configured === s.running && s.evictionTolerance === 0 && s.evicted === 0);
}

/** CanEvict. */
export function canEvict(restriction: EvictionRestriction, pod: Pod): boolean {
  const creator = restriction.creatorOf.get(podKey(pod));
  if (creator === undefined) return false;
  if (pod.status.phase === "Pending") return true;
  const stats = restriction.groups.get(creator);
  return stats !== undefined && disruptable(stats);
}

/** What Evict counts once the Eviction API admitted the eviction. */
export function recordEviction(restriction: EvictionRestriction, pod: Pod): void {
  if (pod.status.phase === "Pending") return;
  const creator = restriction.creatorOf.get(podKey(pod));
  const stats = creator === undefined ? undefined : restriction.groups.get(creator);
  if (stats !== undefined) stats.evicted++;
}
