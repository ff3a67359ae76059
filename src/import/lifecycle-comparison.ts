/**
 * A trace's pod lifecycles beside the twin's pods, per owner: how many pods each saw, and — for
 * the pods paired in start order (the first pod the trace saw start with the first the twin
 * started, …) — the start delay of the twin against the trace (twin − trace: positive when the
 * twin started later), and the median run time of the pods that finished. Pods have other names
 * in the twin, so the owner and the order are what ties them together (as SimKube does). An
 * owner's pod-spec hashes are merged (the count is kept): the twin cannot compute SimKube's hash.
 */
import type { Ms } from "../model/units.ts";
import { kindOfGvk } from "./lifecycle-behavior.ts";
import type { OwnerLifecycles } from "./simkube-trace.ts";
import type { TwinPod } from "./twin-pod-lifecycles.ts";

export interface LifecycleRow {
  /** `CronJob default/hello-simkube` */
  owner: string;
  /** Pod-spec hashes the trace recorded for the owner. */
  podSpecs: number;
  tracePods: number;
  twinPods: number;
  /** Pods paired (started in both). */
  paired: number;
  startDeltaMsMedian: Ms | undefined;
  startDeltaMsMin: Ms | undefined;
  startDeltaMsMax: Ms | undefined;
  traceRunMsMedian: Ms | undefined;
  twinRunMsMedian: Ms | undefined;
}

export function compareLifecycles(trace: readonly OwnerLifecycles[], originS: number, twin: ReadonlyMap<string, readonly TwinPod[]>): LifecycleRow[] {
  return trace.map((owner) => {
    const [namespace = "default", name = ""] = owner.owner.includes("/") ? owner.owner.split("/", 2) : ["default", owner.owner];
    const kind = kindOfGvk(owner.ownerGvk);
    const all = owner.bySpecHash.flatMap((h) => h.lifecycles).flatMap((l) => (l.kind === "Empty" ? [] : [l]));
    const traceStarts = all.map((l) => (l.startS - originS) * 1000).sort((a, b) => a - b);
    const traceRuns = all.flatMap((l) => (l.kind === "Finished" ? [(l.endS - l.startS) * 1000] : []));
    const pods = twin.get(`${kind}/${namespace}/${name}`) ?? [];
    const twinStarts = pods.flatMap((p) => (p.startMs === undefined ? [] : [p.startMs])).sort((a, b) => a - b);
    const twinRuns = pods.flatMap((p) => (p.startMs !== undefined && p.endMs !== undefined ? [p.endMs - p.startMs] : []));
    const paired = Math.min(traceStarts.length, twinStarts.length);
    const deltas = Array.from({ length: paired }, (_, i) => (twinStarts[i] as number) - (traceStarts[i] as number)).sort((a, b) => a - b);
    return {
      owner: `${kind} ${owner.owner}`,
      podSpecs: owner.bySpecHash.length,
      tracePods: all.length,
      twinPods: pods.length,
      paired,
      startDeltaMsMedian: median(deltas),
      startDeltaMsMin: deltas[0],
      startDeltaMsMax: deltas.at(-1),
      traceRunMsMedian: median(traceRuns),
      twinRunMsMedian: median(twinRuns),
    };
  });
}

/** The middle value (the lower of the two middle ones for an even count: a time that happened). */
function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}
