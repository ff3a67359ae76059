/**
 * A recording (`kubetwin record`) → a scenario, through the import mapping (src/import): the
 * recording's records are folded by the served world (serve-world.ts, the same fold `serve` uses),
 * and each exogenous record's object — after the change, or as last seen for a deletion — becomes
 * one `ObjectChange` of the importers' common timeline, as Kubernetes JSON through the one codec.
 * `scenarioOfTimeline` then makes workloads of first applies and faults of later changes, exactly
 * as for a SimKube trace or a KWOK recording. The nodes the cluster had at 0 become node pools
 * (kwok-nodes.ts); nodes joining, leaving or cordoned later are warnings (no fault adds a node).
 */
import { clusterOfNodes } from "../import/kwok-nodes.ts";
import { defaultNodeShape, sizedCluster, type ClusterChoice } from "../import/import-cluster.ts";
import type { ObjectChange } from "../import/object-timeline.ts";
import type { JsonObject } from "../import/plain-json.ts";
import { scenarioText } from "../import/scenario-document.ts";
import { scenarioOfTimeline, type TimelineScenario } from "../import/timeline-scenario.ts";
import type { LogRecord } from "../log/record.ts";
import { emptyState } from "../model/state.ts";
import { formatDurationMs, type Ms } from "../model/units.ts";
import { ServedWorld } from "./serve-world.ts";

export interface RecordingTimeline {
  changes: ObjectChange[];
  /** The nodes the cluster had when the recording started (time 0). */
  nodes: JsonObject[];
  /** Nodes that joined, left or were cordoned after 0, one line each. */
  nodeWarnings: string[];
  lastMs: Ms;
}

export function timelineOfRecords(records: Iterable<LogRecord>): RecordingTimeline {
  const world = new ServedWorld(emptyState(), { historyMax: 1 });
  const out: RecordingTimeline = { changes: [], nodes: [], nodeWarnings: [], lastMs: 0 };
  let current: LogRecord | undefined;
  world.subscribe((w) => {
    const r = current;
    if (r === undefined || !r.exogenous) return;
    const object = structuredClone(w.object) as unknown as JsonObject;
    if (w.resource.kind === "Node") {
      if (r.atMs === 0 && w.type === "ADDED") out.nodes.push(object);
      else out.nodeWarnings.push(`${formatDurationMs(r.atMs)} Node ${w.object.metadata.name} (records[${r.seq}]): ${w.type === "ADDED" ? "joined" : w.type === "DELETED" ? "left" : `${r.kind}`}; the cluster is the nodes of time 0, node changes are not replayed`);
      return;
    }
    out.changes.push({ atMs: r.atMs, op: w.type === "DELETED" ? "delete" : "apply", object, source: ["records", r.seq] });
  });
  for (const r of records) {
    current = r;
    world.apply(r);
    out.lastMs = Math.max(out.lastMs, r.atMs);
  }
  return out;
}

export interface RecordingScenario {
  built: TimelineScenario;
  text: string;
}

export interface RecordingScenarioOptions {
  name: string;
  /** The run as the header names it ("run 3 of rec.db, recorded from https://…"). */
  origin: string;
  durationMs: Ms;
  tailMs: Ms;
  /** `spec.variants` to give the scenario (taken from a scenario file), if any. */
  variants?: JsonObject;
}

export function scenarioOfRecording(t: RecordingTimeline, o: RecordingScenarioOptions): RecordingScenario {
  const built = scenarioOfTimeline(t.changes);
  const nodes = clusterOfNodes(t.nodes);
  built.warnings.unshift(...nodes.warnings, ...t.nodeWarnings);
  const cluster: ClusterChoice = nodes.choice ?? sizedCluster(built.peak, defaultNodeShape, undefined);
  if (!cluster.ok) throw new Error(cluster.message); // the default shape always sizes
  const header = [
    `Made by kubetwin run --from-log from ${o.origin}: ${t.changes.length} exogenous object change${t.changes.length === 1 ? "" : "s"} over ${formatDurationMs(o.durationMs)}.`,
    "Time zero is the start of the recording (what the cluster held then arrives at 0).",
    cluster.note,
  ];
  let text = scenarioText({ name: o.name, description: `recording: ${o.origin}`, header, durationMs: Math.max(o.durationMs, t.lastMs) + o.tailMs, cluster: cluster.cluster, built, containerBehavior: [] });
  if (o.variants !== undefined) text = withVariants(text, o.variants);
  return { built, text };
}

/** The scenario text with `spec.variants` set (YAML is a superset of JSON: one flow line under spec). */
function withVariants(text: string, variants: JsonObject): string {
  return text.replace(/^spec:\n/m, `spec:\n  variants: ${JSON.stringify(variants)}\n`);
}
