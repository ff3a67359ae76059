/**
 * Which running pods the VPA updater wants to update, and in which order — upstream
 * vertical-pod-autoscaler/pkg/updater/priority: priority_processor.go (GetUpdatePriority) and
 * update_priority_calculator.go (AddPod, GetSortedPods, PodPriority.Less):
 *  - a pod is outside the recommended range when some container's request is below the
 *    recommendation's lowerBound or above its upperBound (or has no request for a recommended
 *    resource); it scales up when some recommended target is above the request;
 *  - resourceDiff sums, over resources, |Σ requests − Σ targets| / max(Σ requests, 1) (milli-units);
 *  - a pod is accepted when outside the range, or after a quick OOM (an OOMKilled container that
 *    ran less than --evict-after-oom-threshold, 10 min) that changes something, or when it has
 *    lived --in-recommendation-bounds-eviction-lifetime-threshold (12 h) and its resourceDiff is
 *    at least --pod-update-threshold (0.1, the "10%");
 *  - accepted pods are ordered scale-ups first, then by larger resourceDiff.
 * The recommendation is the VPA's status as the recommender capped it (its capping.go ran there);
 * upstream's updater runs the same capping again, and LimitRange capping is not modelled.
 */
import type { VpaContainerRecommendation } from "../../../model/autoscaling-objects.ts";
import type { Container, Pod } from "../../../model/objects.ts";
import type { Ms } from "../../../model/units.ts";

export interface UpdateConfig {
  /** MinChangePriority (--pod-update-threshold 0.1, config.go DefaultUpdateThreshold). */
  minChangePriority: number;
  /** PodLifetimeUpdateThreshold (--in-recommendation-bounds-eviction-lifetime-threshold 12h). */
  podLifetimeUpdateThresholdMs: Ms;
  /** EvictAfterOOMThreshold (--evict-after-oom-threshold 10m). */
  evictAfterOomThresholdMs: Ms;
}

export const defaultUpdateConfig: UpdateConfig = { minChangePriority: 0.1, podLifetimeUpdateThresholdMs: 12 * 3_600_000, evictAfterOomThresholdMs: 10 * 60_000 };

/** PodPriority. */
export interface PodPriority {
  outsideRecommendedRange: boolean;
  scaleUp: boolean;
  resourceDiff: number;
}

/** A container's last termination (containerStatuses[].lastState.terminated), when known. */
export interface ContainerTermination {
  reason: string;
  startedMs: Ms;
  finishedMs: Ms;
}

/** Quantity.MilliValue(): millicores are already milli-units; bytes are not. */
function milli(resource: string, value: number): number {
  return resource === "cpu" ? value : value * 1000;
}

/** GetUpdatePriority over the pod's containers and init containers. */
export function updatePriorityOf(pod: Pod, recommendations: readonly VpaContainerRecommendation[]): PodPriority {
  let outsideRecommendedRange = false;
  let scaleUp = false;
  const requested = new Map<string, number>();
  const recommended = new Map<string, number>();
  const visit = (c: Container): void => {
    const r = recommendations.find((x) => x.containerName === c.name);
    if (r === undefined) return;
    for (const resource of Object.keys(r.target).sort()) {
      const target = milli(resource, r.target[resource] as number);
      recommended.set(resource, (recommended.get(resource) ?? 0) + target);
      const lower = r.lowerBound[resource];
      const upper = r.upperBound[resource];
      const request = c.requests[resource];
      if (request === undefined) {
        scaleUp = true;
        outsideRecommendedRange = true;
        continue;
      }
      requested.set(resource, (requested.get(resource) ?? 0) + milli(resource, request));
      if (target > milli(resource, request)) scaleUp = true;
      if ((lower !== undefined && request < lower) || (upper !== undefined && request > upper)) outsideRecommendedRange = true;
    }
  };
  for (const c of pod.spec.containers) visit(c);
  for (const c of pod.spec.initContainers ?? []) visit(c);
  let resourceDiff = 0;
  for (const resource of [...recommended.keys()].sort()) {
    const total = Math.max(requested.get(resource) ?? 0, 1);
    resourceDiff += Math.abs(total - (recommended.get(resource) as number)) / total;
  }
  return { outsideRecommendedRange, scaleUp, resourceDiff };
}

/** A container OOM-killed after running less than the threshold (AddPod's quickOOM). */
export function isQuickOom(termination: ContainerTermination | undefined, thresholdMs: Ms): boolean {
  return termination !== undefined && termination.reason === "OOMKilled" && termination.finishedMs - termination.startedMs < thresholdMs;
}

/** AddPod's filter: whether the pod is accepted for an update at `nowMs`. */
export function acceptsUpdate(priority: PodPriority, startedMs: Ms | undefined, quickOom: boolean, nowMs: Ms, config: UpdateConfig): boolean {
  if (!priority.outsideRecommendedRange && !quickOom) {
    if (startedMs === undefined) return false;
    if (nowMs < startedMs + config.podLifetimeUpdateThresholdMs) return false;
    if (priority.resourceDiff < config.minChangePriority) return false;
  }
  // A quick OOM evicts only when the resources would change.
  return !(quickOom && priority.resourceDiff === 0);
}

/** PodPriority.Less: `p` is lower than `other`. */
export function priorityLess(p: PodPriority, other: PodPriority): boolean {
  if (p.scaleUp !== other.scaleUp) return other.scaleUp;
  return p.resourceDiff < other.resourceDiff;
}

/** GetSortedPods: highest priority first; equal priorities keep their order (the caller's key order). */
export function sortedByPriority<T extends { priority: PodPriority }>(pods: readonly T[]): T[] {
  return [...pods].sort((a, b) => (priorityLess(b.priority, a.priority) ? -1 : priorityLess(a.priority, b.priority) ? 1 : 0));
}
