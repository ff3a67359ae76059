/**
 * The run summary's VPA sections: each VerticalPodAutoscaler as the run ended (mode, the
 * recommendation's targets, the updater's evictions admitted and refused), and the accuracy
 * score (resource-accuracy.ts) per workload and container, for the whole run and hour by hour,
 * with the total over every container.
 */
import type { VerticalPodAutoscaler } from "../../model/autoscaling-objects.ts";
import type { ResourceList } from "../../model/objects.ts";
import type { ClusterState } from "../../model/state.ts";
import { storedObjectsOf } from "../../model/stored-objects.ts";
import type { Ms } from "../../model/units.ts";
import { accuracyBucketMs, addTotals, emptyTotals, scoreOf, type AccuracyScore, type AccuracyTotals, type ResourceAccuracyObservations } from "./resource-accuracy.ts";

export interface VpaSummary {
  /** "namespace/name". */
  name: string;
  /** "Kind/name" of its target. */
  target: string;
  updateMode: string;
  /** The status' targets per container at the end (absent: no recommendation yet). */
  targets?: { container: string; target: ResourceList }[];
  /** Evictions the updater asked for that the Eviction API admitted, and refused (a budget's 429, 403, 500). */
  evicted: number;
  refused: number;
}

export interface HourlyAccuracy {
  fromMs: Ms;
  cpuUnderProvisionedPercent: number;
  cpuSlackPercent: number;
  memoryUnderProvisionedPercent: number;
  memorySlackPercent: number;
}

export interface ContainerAccuracy extends AccuracyScore {
  /** "namespace/name" of the workload (or "pod/namespace/name" for a bare pod). */
  workload: string;
  container: string;
  /** The VPA targeting the workload, "namespace/name", if one does. */
  vpa?: string;
  hourly: HourlyAccuracy[];
}

export interface ResourceAccuracySummary {
  containers: ContainerAccuracy[];
  /** Over every container above. */
  total: AccuracyScore;
}

const hourMs = 3_600_000;

export function vpaSummaries(state: ClusterState, answers: ReadonlyMap<string, { evicted: number; refused: number }>): VpaSummary[] {
  const vpas = storedObjectsOf(state, "VerticalPodAutoscaler");
  return [...vpas.keys()].sort().map((key) => {
    const v = vpas.get(key) as VerticalPodAutoscaler;
    const recs = v.status.recommendation?.containerRecommendations;
    return {
      name: key,
      target: `${v.spec.targetRef.kind}/${v.spec.targetRef.name}`,
      updateMode: v.spec.updateMode,
      ...(recs !== undefined ? { targets: recs.map((r) => ({ container: r.containerName, target: { ...r.target } })) } : {}),
      evicted: answers.get(key)?.evicted ?? 0,
      refused: answers.get(key)?.refused ?? 0,
    };
  });
}

function hourly(buckets: ReadonlyMap<number, AccuracyTotals>): HourlyAccuracy[] {
  const byHour = new Map<number, AccuracyTotals>();
  for (const [bucket, t] of buckets) {
    const hour = Math.floor((bucket * accuracyBucketMs) / hourMs);
    const into = byHour.get(hour) ?? emptyTotals();
    addTotals(into, t);
    byHour.set(hour, into);
  }
  return [...byHour.keys()].sort((a, b) => a - b).map((hour) => {
    const s = scoreOf(byHour.get(hour) as AccuracyTotals);
    return { fromMs: hour * hourMs, cpuUnderProvisionedPercent: s.cpuUnderProvisionedPercent, cpuSlackPercent: s.cpuSlackPercent, memoryUnderProvisionedPercent: s.memoryUnderProvisionedPercent, memorySlackPercent: s.memorySlackPercent };
  });
}

/** The VPA whose target is the workload (same namespace and name, a workload kind). */
function vpaOfWorkload(state: ClusterState, workload: string): string | undefined {
  const slash = workload.indexOf("/");
  const namespace = workload.slice(0, slash);
  const name = workload.slice(slash + 1);
  for (const [key, v] of [...storedObjectsOf(state, "VerticalPodAutoscaler")].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (v.metadata.namespace === namespace && v.spec.targetRef.name === name) return key;
  }
  return undefined;
}

export function resourceAccuracySummary(state: ClusterState, observations: ResourceAccuracyObservations): ResourceAccuracySummary {
  const total = emptyTotals();
  const containers = [...observations.byContainer.keys()].sort().map((key): ContainerAccuracy => {
    const buckets = observations.byContainer.get(key) as Map<number, AccuracyTotals>;
    const all = observations.totalsFrom(key, 0);
    addTotals(total, all);
    const cut = key.lastIndexOf("/");
    const workload = key.slice(0, cut);
    const vpa = workload.startsWith("pod/") ? undefined : vpaOfWorkload(state, workload);
    return { workload, container: key.slice(cut + 1), ...(vpa !== undefined ? { vpa } : {}), ...scoreOf(all), hourly: hourly(buckets) };
  });
  return { containers, total: scoreOf(total) };
}
