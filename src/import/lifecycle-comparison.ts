/**
 * A trace's pod lifecycles beside the twin's pods, per owner: how many pods each saw, and — for
 * the pods paired in start order (the first pod the trace saw start with the first the twin
 * started, …) — the start delay of the twin against the trace (twin − trace: positive when the
 * twin started later), and the median run time of the pods that finished. Pods have other names
 * in the twin, so the owner and the order are what ties them together (as SimKube does). An
 * owner's pod-spec hashes are merged (the count is kept): the twin cannot compute SimKube's hash.
 * A recording made by `kubetwin record` is compared the same way (compareRecordedPods): the
 * cluster's pods stand where the trace's do.
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
    const reference: ReferencePods = {
      owner: `${kind} ${owner.owner}`,
      podSpecs: owner.bySpecHash.length,
      pods: all.length,
      starts: all.map((l) => (l.startS - originS) * 1000),
      runs: all.flatMap((l) => (l.kind === "Finished" ? [(l.endS - l.startS) * 1000] : [])),
    };
    return rowOf(reference, twin.get(`${kind}/${namespace}/${name}`) ?? []);
  });
}

/**
 * A recorded cluster's pods (read from the recording's events as the twin's are, twin-pod-lifecycles.ts)
 * beside the twin's, per top owner of the recording (`Deployment/ns/name`), in owner order.
 */
export function compareRecordedPods(recorded: ReadonlyMap<string, readonly TwinPod[]>, twin: ReadonlyMap<string, readonly TwinPod[]>): LifecycleRow[] {
  return [...recorded.keys()].sort().map((key) => {
    const pods = recorded.get(key) ?? [];
    const reference: ReferencePods = {
      owner: key.replace(/^([^/]+)\//, "$1 "),
      podSpecs: 1,
      pods: pods.length,
      starts: pods.flatMap((p) => (p.startMs === undefined ? [] : [p.startMs])),
      runs: pods.flatMap((p) => (p.startMs !== undefined && p.endMs !== undefined ? [p.endMs - p.startMs] : [])),
    };
    return rowOf(reference, twin.get(key) ?? []);
  });
}

/** What the reference (a trace, a recording) says of one owner's pods, on the twin's clock. */
interface ReferencePods {
  owner: string;
  podSpecs: number;
  pods: number;
  starts: Ms[];
  runs: Ms[];
}

function rowOf(reference: ReferencePods, pods: readonly TwinPod[]): LifecycleRow {
  const referenceStarts = [...reference.starts].sort((a, b) => a - b);
  const twinStarts = pods.flatMap((p) => (p.startMs === undefined ? [] : [p.startMs])).sort((a, b) => a - b);
  const twinRuns = pods.flatMap((p) => (p.startMs !== undefined && p.endMs !== undefined ? [p.endMs - p.startMs] : []));
  const paired = Math.min(referenceStarts.length, twinStarts.length);
  const deltas = Array.from({ length: paired }, (_, i) => (twinStarts[i] as number) - (referenceStarts[i] as number)).sort((a, b) => a - b);
  return {
    owner: reference.owner,
    podSpecs: reference.podSpecs,
    tracePods: reference.pods,
    twinPods: pods.length,
    paired,
    startDeltaMsMedian: median(deltas),
    startDeltaMsMin: deltas[0],
    startDeltaMsMax: deltas.at(-1),
    traceRunMsMedian: median(reference.runs),
    twinRunMsMedian: median(twinRuns),
  };
}

/** The middle value (the lower of the two middle ones for an even count: a time that happened). */
function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}
