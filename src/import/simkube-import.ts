/**
 * `kubetwin import simkube`: a trace's bytes (msgpack, or JSON as SimKube's test fixtures) → the
 * decoded trace, its timeline and the scenario text, or the problem that stops the import.
 */
import { formatDurationMs, type Ms } from "../model/units.ts";
import { decodeJsonText } from "./json-value.ts";
import { failAt, type Imported } from "./import-problem.ts";
import { behaviorsOfLifecycles, kindOfGvk } from "./lifecycle-behavior.ts";
import { objectRefOf } from "./object-timeline.ts";
import { decodeMsgpack, type MsgDecoded } from "./msgpack-value.ts";
import type { JsonObject } from "./plain-json.ts";
import { scenarioNameOf, scenarioText } from "./scenario-document.ts";
import { traceOf, type SimkubeTrace } from "./simkube-trace.ts";
import { timelineOfTrace } from "./simkube-timeline.ts";
import { scenarioOfTimeline, type TimelineScenario } from "./timeline-scenario.ts";
import type { ClusterChoice } from "./import-cluster.ts";
import { cronPhaseWarnings } from "./cron-phase.ts";

export interface ImportOptions {
  /** The input's file name (base name for the scenario's name, shown in the header). */
  fileName: string;
  /** Virtual time after the trace's last moment, so that what it started settles. */
  tailMs: Ms;
  /** The cluster, chosen once the peak demand is known. */
  cluster: (built: TimelineScenario) => ClusterChoice;
}

export interface SimkubeImport {
  trace: SimkubeTrace;
  originS: number;
  built: TimelineScenario;
  text: string;
}

/** A JSON document starts with `{` (after blanks); a msgpack trace (a map) never does: `{` would be the integer 123. */
function decodeBytes(bytes: Uint8Array): MsgDecoded {
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  if (bytes[i] === 0x7b) return decodeJsonText(new TextDecoder("utf-8", { fatal: false }).decode(bytes));
  return decodeMsgpack(bytes);
}

export function importSimkube(bytes: Uint8Array, o: ImportOptions): Imported<SimkubeImport> {
  const decoded = decodeBytes(bytes);
  if (!decoded.ok) return failAt([], `not a SimKube trace: ${decoded.message}`);
  const trace = traceOf(decoded.value);
  if (!trace.ok) return trace;
  if (trace.value.events.length === 0) return failAt(["events"], "expected at least one event");
  const timeline = timelineOfTrace(trace.value);
  const built = scenarioOfTimeline(timeline.changes);
  built.warnings.push(...cronPhaseWarnings(built.objects, { kind: "minute-aligned", originS: timeline.originS }));
  const unseen = indexedButUnseen(trace.value);
  if (unseen.length > 0) built.notes.push(`the index names ${unseen.length} object${unseen.length === 1 ? "" : "s"} no event applies (${unseen.slice(0, 3).join(", ")}${unseen.length > 3 ? ", …" : ""}): the trace holds no spec for them, so they are not in the scenario`);
  const cluster = o.cluster(built);
  if (!cluster.ok) return failAt([], cluster.message);
  const behaviors: JsonObject[] = behaviorsOfLifecycles(trace.value.podLifecycles, built.objects);
  const header = [...headerLines(trace.value, timeline.originS, timeline.lastMs, o.fileName), cluster.note];
  if (behaviors.length > 0) header.push(`containerBehavior: ${behaviors.length} rule${behaviors.length === 1 ? "" : "s"} from the trace's pod lifecycles (pods that ran to completion finish after as long)`);
  const text = scenarioText({
    name: scenarioNameOf(o.fileName),
    description: `SimKube trace ${o.fileName}`,
    header,
    durationMs: timeline.lastMs + o.tailMs,
    cluster: cluster.cluster,
    built,
    containerBehavior: behaviors,
  });
  return { ok: true, value: { trace: trace.value, originS: timeline.originS, built, text } };
}

/** Objects of the trace's index (GVK → "ns/name") that no event applies or deletes. */
function indexedButUnseen(trace: SimkubeTrace): string[] {
  const seen = new Set<string>();
  for (const e of trace.events) {
    for (const o of [...e.applied, ...e.deleted]) {
      const ref = objectRefOf(o);
      if (ref !== undefined) seen.add(`${ref.kind}/${ref.namespace}/${ref.name}`);
    }
  }
  const unseen: string[] = [];
  for (const [gvk, objects] of trace.index) {
    const kind = kindOfGvk(gvk);
    for (const nsName of objects.keys()) if (!seen.has(`${kind}/${nsName}`)) unseen.push(`${kind} ${nsName}`);
  }
  return unseen;
}

/** Where the scenario came from and where its time zero is. */
function headerLines(trace: SimkubeTrace, originS: number, lastMs: number, fileName: string): string[] {
  const n = trace.events.length;
  const first = trace.events[0]?.tsS ?? originS;
  const span = formatDurationMs(lastMs - (first - originS) * 1000);
  return [
    `Imported by kubetwin import simkube from ${fileName}: SimKube trace format ${trace.version}, ${n} event${n === 1 ? "" : "s"} over ${span}, tracking ${trace.trackedKinds.join(", ") || "nothing"}.`,
    `Time zero is unix ${originS} (${new Date(originS * 1000).toISOString()})${originS !== first ? ", the start of the first event's minute (the trace has a CronJob)" : ", the first event"}.`,
  ];
}
