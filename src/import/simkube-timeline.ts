/**
 * A SimKube trace on the twin's clock. Time zero is the first event; when the trace holds a
 * CronJob it is moved back to the start of that minute, so that minute schedules fire at the
 * second of the minute they fired at in the trace (the twin's clock starts at 1970-01-01T00:00Z,
 * whose minutes line up with every unix minute). Each applied or deleted object is one change.
 */
import type { Ms } from "../model/units.ts";
import type { ObjectChange } from "./object-timeline.ts";
import type { SimkubeTrace } from "./simkube-trace.ts";

export interface TraceTimeline {
  /** Unix seconds at the twin's time zero. */
  originS: number;
  changes: ObjectChange[];
  /** The last moment the trace speaks of: its last event or pod lifecycle time. */
  lastMs: Ms;
}

export function timelineOfTrace(trace: SimkubeTrace): TraceTimeline {
  const firstS = trace.events[0]?.tsS ?? 0;
  const hasCronJob = trace.events.some((e) => e.applied.some((o) => o.kind === "CronJob"));
  const originS = hasCronJob ? firstS - (((firstS % 60) + 60) % 60) : firstS;
  const msOf = (s: number): Ms => (s - originS) * 1000;
  const changes: ObjectChange[] = [];
  for (const [i, e] of trace.events.entries()) {
    for (const [j, object] of e.applied.entries()) changes.push({ atMs: msOf(e.tsS), op: "apply", object, source: ["events", i, "applied_objs", j] });
    for (const [j, object] of e.deleted.entries()) changes.push({ atMs: msOf(e.tsS), op: "delete", object, source: ["events", i, "deleted_objs", j] });
  }
  let lastS = trace.events.at(-1)?.tsS ?? originS;
  for (const owner of trace.podLifecycles) {
    for (const { lifecycles } of owner.bySpecHash) {
      for (const l of lifecycles) lastS = Math.max(lastS, l.kind === "Finished" ? l.endS : l.kind === "Running" ? l.startS : lastS);
    }
  }
  return { originS, changes, lastMs: msOf(lastS) };
}
