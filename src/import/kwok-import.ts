/**
 * `kubetwin import kwok`: a KWOK recording's text → its timeline (kwok-recording.ts), its nodes as
 * the cluster (kwok-nodes.ts) unless the command line chooses one, and the scenario text.
 */
import { formatDurationMs, type Ms } from "../model/units.ts";
import { formatScenarioError } from "../scenario/error.ts";
import { parseYamlDocuments, toScenarioError } from "../scenario/yaml-source.ts";
import type { ClusterChoice } from "./import-cluster.ts";
import { clusterOfNodes } from "./kwok-nodes.ts";
import { cronPhaseWarnings } from "./cron-phase.ts";
import { kwokTimeline } from "./kwok-recording.ts";
import { scenarioNameOf, scenarioText } from "./scenario-document.ts";
import { scenarioOfTimeline, type TimelineScenario } from "./timeline-scenario.ts";

export interface KwokImportOptions {
  fileName: string;
  /** The file as messages name it. */
  shownName: string;
  tailMs: Ms;
  /** The cluster: given the recording's own (when it has nodes), the command line decides. */
  cluster: (built: TimelineScenario, recorded?: ClusterChoice) => ClusterChoice;
}

export type KwokImported = { ok: true; value: { built: TimelineScenario; text: string } } | { ok: false; message: string };

export function importKwok(text: string, o: KwokImportOptions): KwokImported {
  const docs = parseYamlDocuments(text, o.shownName);
  if (!Array.isArray(docs)) return { ok: false, message: formatScenarioError(docs) };
  if (docs.length === 0) return { ok: false, message: `${o.shownName}: not a KWOK recording: no objects in it` };
  const read = kwokTimeline(docs);
  if (!read.ok) return { ok: false, message: formatScenarioError(toScenarioError({ doc: read.problem.doc, path: read.problem.path, message: read.problem.message })) };
  const t = read.value;
  const built = scenarioOfTimeline(t.changes);
  const nodes = clusterOfNodes(t.nodes);
  built.warnings.unshift(...t.warnings, ...nodes.warnings);
  built.warnings.push(...cronPhaseWarnings(built.objects, { kind: "relative" }));
  const { created, deleted, patched } = t.nodeChanges;
  if (created + deleted > 0) built.warnings.push(`${created} node${created === 1 ? "" : "s"} joined and ${deleted} left after the snapshot: the cluster is the snapshot's nodes, joins and leaves are not replayed`);
  if (patched > 0) built.notes.push(`${patched} node update${patched === 1 ? "" : "s"} (heartbeats, status) not imported: the twin's kubelets report their own`);
  const cluster = o.cluster(built, nodes.choice);
  if (!cluster.ok) return { ok: false, message: cluster.message };
  const header = [
    `Imported by kubetwin import kwok from ${o.fileName}: a KWOK recording of ${docs.length} documents (${t.nodes.length} nodes, ${t.changes.length} object changes) over ${formatDurationMs(t.lastMs)}.`,
    "Time zero is the start of the recording (the snapshot).",
    cluster.note,
  ];
  const scenario = scenarioText({ name: scenarioNameOf(o.fileName), description: `KWOK recording ${o.fileName}`, header, durationMs: t.lastMs + o.tailMs, cluster: cluster.cluster, built, containerBehavior: [] });
  return { ok: true, value: { built, text: scenario } };
}
