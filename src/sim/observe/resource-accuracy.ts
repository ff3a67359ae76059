/**
 * How well requests matched usage — the VPA accuracy score. Fed by the load model's slices
 * (load/load-actor.ts, every 5 s, each pod its traffic reaches), split per container as
 * metrics-server splits it (load/container-usage.ts), and summed per workload and container:
 *  - under-provisioned time: CPU used above the request (the throttled-equivalent: the pod got
 *    more than it reserved, which a busy node would not give it), memory working set above the
 *    request; shortfall in core-seconds / byte-seconds;
 *  - throttled time: CPU the traffic asked for above the pod's limit (the load caps usage there);
 *  - slack (over-provisioning): request − usage when positive, in core-seconds / byte-seconds and
 *    as a share of what was requested.
 * OOM kills are not counted: the twin's kubelet does not model them yet. Totals are kept in
 * 10-minute buckets, so an expectation can score the run from a moment on and the summary can
 * show the score hour by hour.
 */
import type { ClusterState } from "../../model/state.ts";
import type { Ms } from "../../model/units.ts";
import { containerUsageOf } from "../load/container-usage.ts";
import type { PodSliceUsage, SliceListener } from "../load/load-actor.ts";
import { workloadOfPod } from "./workload-index.ts";

export const accuracyBucketMs = 10 * 60_000;

export interface AccuracyTotals {
  observedMs: number;
  cpuUnderMs: number;
  cpuThrottledMs: number;
  cpuRequestedMilliMs: number;
  cpuSlackMilliMs: number;
  cpuShortfallMilliMs: number;
  memoryUnderMs: number;
  memoryRequestedByteMs: number;
  memorySlackByteMs: number;
  memoryShortfallByteMs: number;
}

export const emptyTotals = (): AccuracyTotals => ({
  observedMs: 0, cpuUnderMs: 0, cpuThrottledMs: 0, cpuRequestedMilliMs: 0, cpuSlackMilliMs: 0, cpuShortfallMilliMs: 0,
  memoryUnderMs: 0, memoryRequestedByteMs: 0, memorySlackByteMs: 0, memoryShortfallByteMs: 0,
});

export function addTotals(into: AccuracyTotals, t: AccuracyTotals): void {
  for (const k of Object.keys(into) as (keyof AccuracyTotals)[]) into[k] += t[k];
}

export class ResourceAccuracyObservations implements SliceListener {
  /** "workload/container" (workload "ns/name", or "pod/ns/name" for a bare pod) → bucket index → totals. */
  readonly byContainer = new Map<string, Map<number, AccuracyTotals>>();
  /** Pod key → [uid, key prefix] (a pod's workload never changes). */
  private readonly prefixOf = new Map<string, [string, string]>();
  private readonly state: ClusterState;

  constructor(state: ClusterState) {
    this.state = state;
  }

  onSlice(fromMs: Ms, durationMs: Ms, pods: ReadonlyMap<string, PodSliceUsage>): void {
    const bucket = Math.floor(fromMs / accuracyBucketMs);
    for (const [key, slice] of pods) {
      const prefix = this.prefix(key, slice);
      const throttled = slice.demandMilli > slice.usageMilli;
      for (const [i, u] of containerUsageOf(slice.pod, slice.usageMilli).entries()) {
        const c = slice.pod.spec.containers[i];
        if (c === undefined) continue;
        const t = this.totals(`${prefix}/${u.name}`, bucket);
        t.observedMs += durationMs;
        const cpuRequest = c.requests.cpu ?? 0;
        if (u.cpuMilli > cpuRequest) t.cpuUnderMs += durationMs;
        if (i === 0 && throttled) t.cpuThrottledMs += durationMs;
        t.cpuRequestedMilliMs += cpuRequest * durationMs;
        t.cpuSlackMilliMs += Math.max(0, cpuRequest - u.cpuMilli) * durationMs;
        t.cpuShortfallMilliMs += Math.max(0, u.cpuMilli - cpuRequest) * durationMs;
        const memoryRequest = c.requests.memory ?? 0;
        if (u.memoryBytes > memoryRequest) t.memoryUnderMs += durationMs;
        t.memoryRequestedByteMs += memoryRequest * durationMs;
        t.memorySlackByteMs += Math.max(0, memoryRequest - u.memoryBytes) * durationMs;
        t.memoryShortfallByteMs += Math.max(0, u.memoryBytes - memoryRequest) * durationMs;
      }
    }
  }

  /** Totals of one container over the buckets starting at or after `fromMs`. */
  totalsFrom(key: string, fromMs: Ms): AccuracyTotals {
    const out = emptyTotals();
    for (const [bucket, t] of this.byContainer.get(key) ?? []) if (bucket * accuracyBucketMs >= fromMs) addTotals(out, t);
    return out;
  }

  private prefix(key: string, slice: PodSliceUsage): string {
    const known = this.prefixOf.get(key);
    if (known !== undefined && known[0] === slice.pod.metadata.uid) return known[1];
    const prefix = workloadOfPod(this.state, slice.pod) ?? `pod/${key}`;
    this.prefixOf.set(key, [slice.pod.metadata.uid, prefix]);
    return prefix;
  }

  private totals(key: string, bucket: number): AccuracyTotals {
    let buckets = this.byContainer.get(key);
    if (buckets === undefined) {
      buckets = new Map();
      this.byContainer.set(key, buckets);
    }
    let t = buckets.get(bucket);
    if (t === undefined) {
      t = emptyTotals();
      buckets.set(bucket, t);
    }
    return t;
  }
}

/** The score's percentages: share of observed time under-provisioned / throttled, slack as a share of the request. */
export interface AccuracyScore {
  observedHours: number;
  cpuUnderProvisionedPercent: number;
  cpuThrottledPercent: number;
  cpuSlackPercent: number;
  cpuSlackCoreSeconds: number;
  cpuShortfallCoreSeconds: number;
  memoryUnderProvisionedPercent: number;
  memorySlackPercent: number;
  memorySlackByteSeconds: number;
  memoryShortfallByteSeconds: number;
}

const percent = (part: number, whole: number): number => (whole > 0 ? (100 * part) / whole : 0);

export function scoreOf(t: AccuracyTotals): AccuracyScore {
  return {
    observedHours: t.observedMs / 3_600_000,
    cpuUnderProvisionedPercent: percent(t.cpuUnderMs, t.observedMs),
    cpuThrottledPercent: percent(t.cpuThrottledMs, t.observedMs),
    cpuSlackPercent: percent(t.cpuSlackMilliMs, t.cpuRequestedMilliMs),
    cpuSlackCoreSeconds: t.cpuSlackMilliMs / 1e6,
    cpuShortfallCoreSeconds: t.cpuShortfallMilliMs / 1e6,
    memoryUnderProvisionedPercent: percent(t.memoryUnderMs, t.observedMs),
    memorySlackPercent: percent(t.memorySlackByteMs, t.memoryRequestedByteMs),
    memorySlackByteSeconds: t.memorySlackByteMs / 1000,
    memoryShortfallByteSeconds: t.memoryShortfallByteMs / 1000,
  };
}
