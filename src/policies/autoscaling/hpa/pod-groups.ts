/**
 * The pods an HPA reads and how upstream sorts them (replica_calculator.go groupPods): deleted or
 * Failed pods are ignored outright; Pending pods are "unready"; pods without a sample are
 * "missing"; for cpu only, a pod is also unready when it has no Ready condition or start time,
 * when it is still inside the cpu initialization period and either unready or its sample does
 * not yet cover a full window since the last readiness transition, or, after that period, when
 * it is unready and has never been ready (start + initial readiness delay > last transition).
 */
import type { PodPhase, ResourceList } from "../../../model/objects.ts";
import type { Ms } from "../../../model/units.ts";

export interface HpaPodContainer {
  name: string;
  requests: ResourceList;
  /** A restartable (sidecar) init container: its request counts like an app container's. */
  sidecar?: boolean;
}

/** What the HPA reads of a pod (the informer's copy). */
export interface HpaPod {
  name: string;
  phase: PodPhase;
  deleting: boolean;
  /** The Ready condition; absent while the pod has none. */
  readyCondition?: { ready: boolean; lastTransitionMs: Ms };
  startMs?: Ms;
  containers: HpaPodContainer[];
}

/** One pod's sample: the value in milli-units, when it was taken and over which window. */
export interface PodMetric {
  valueMilli: number;
  timestampMs: Ms;
  windowMs: Ms;
}

export interface PodGroups {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

export interface ReadinessTiming {
  nowMs: Ms;
  cpuInitializationPeriodMs: Ms;
  delayOfInitialReadinessStatusMs: Ms;
}

export function groupPods(pods: readonly HpaPod[], metrics: ReadonlyMap<string, PodMetric>, resource: string, timing: ReadinessTiming): PodGroups {
  const groups: PodGroups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    if (pod.deleting || pod.phase === "Failed") {
      groups.ignored.add(pod.name);
      continue;
    }
    if (pod.phase === "Pending") {
      groups.unready.add(pod.name);
      continue;
    }
    const metric = metrics.get(pod.name);
    if (metric === undefined) {
      groups.missing.add(pod.name);
      continue;
    }
    if (resource === "cpu" && cpuSampleUnready(pod, metric, timing)) {
      groups.unready.add(pod.name);
      continue;
    }
    groups.readyPodCount++;
  }
  return groups;
}

function cpuSampleUnready(pod: HpaPod, metric: PodMetric, timing: ReadinessTiming): boolean {
  const condition = pod.readyCondition;
  if (condition === undefined || pod.startMs === undefined) return true;
  if (pod.startMs + timing.cpuInitializationPeriodMs > timing.nowMs) {
    // Still initializing: only a ready pod whose sample covers a whole window since it became ready counts.
    return !condition.ready || metric.timestampMs < condition.lastTransitionMs + metric.windowMs;
  }
  return !condition.ready && pod.startMs + timing.delayOfInitialReadinessStatusMs > condition.lastTransitionMs;
}
