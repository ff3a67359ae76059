/**
 * The cluster of an imported scenario. SimKube traces record no nodes, so unless told otherwise
 * the scenario gets one node pool `imported` of `--node-cpu` × `--node-memory` nodes, as many as
 * the trace's peak demand needs with 25% headroom (the largest of cpu, memory and pod count, at
 * least one); `--nodes N` sets the count; `--cluster FILE` takes `spec.cluster` from an existing
 * scenario as it is written there.
 */
import { formatQuantity, quantityOf } from "../k8s/quantity.ts";
import { parseYamlDocuments } from "../scenario/yaml-source.ts";
import { formatScenarioError } from "../scenario/error.ts";
import { isJsonObject, type JsonObject } from "./plain-json.ts";
import type { Demand } from "./timeline-scenario.ts";

export interface NodeShape {
  cpu: string;
  memory: string;
  pods: number;
}

export const defaultNodeShape: NodeShape = { cpu: "4", memory: "16Gi", pods: 110 };
/** Headroom over the peak, in percent. */
const headroomPercent = 25;

export type ClusterChoice = { ok: true; cluster: JsonObject; note: string } | { ok: false; message: string };

export function sizedCluster(peak: Demand, shape: NodeShape, nodes: number | undefined): ClusterChoice {
  const cpu = quantityOf(shape.cpu, "milli");
  if ("error" in cpu || cpu.value <= 0) return { ok: false, message: `--node-cpu ${shape.cpu}: ${"error" in cpu ? cpu.error : "expected more than 0"}` };
  const memory = quantityOf(shape.memory, "base");
  if ("error" in memory || memory.value <= 0) return { ok: false, message: `--node-memory ${shape.memory}: ${"error" in memory ? memory.error : "expected more than 0"}` };
  const needed = (total: number, per: number) => Math.ceil((total * (100 + headroomPercent)) / 100 / per);
  const count = nodes ?? Math.max(1, needed(peak.cpuMilli, cpu.value), needed(peak.memoryBytes, memory.value), Math.ceil(peak.pods / shape.pods));
  const cluster = { nodePools: [{ name: "imported", count, allocatable: { cpu: shape.cpu, memory: shape.memory, pods: shape.pods } }] };
  const why = nodes !== undefined ? "--nodes" : `the peak demand (${peak.pods} pod${peak.pods === 1 ? "" : "s"}, cpu ${formatQuantity("cpu", peak.cpuMilli, "milli")}, memory ${formatQuantity("memory", peak.memoryBytes, "base")}) + ${headroomPercent}%`;
  return { ok: true, cluster, note: `cluster: ${count} node${count === 1 ? "" : "s"} of ${shape.cpu} cpu, ${shape.memory} memory, ${shape.pods} pods (from ${why})` };
}

/** `spec.cluster` of a scenario file's text, as written (the scenario loader checks it with the rest). */
export function clusterOfScenarioText(text: string, file: string): ClusterChoice {
  const docs = parseYamlDocuments(text, file);
  if (!Array.isArray(docs)) return { ok: false, message: formatScenarioError(docs) };
  const spec = docs.length === 1 && isJsonObject(docs[0]?.value as JsonObject) ? (docs[0]?.value as JsonObject).spec : undefined;
  const cluster = isJsonObject(spec) ? spec.cluster : undefined;
  if (!isJsonObject(cluster)) return { ok: false, message: `--cluster ${file}: expected a scenario with spec.cluster` };
  return { ok: true, cluster, note: `cluster: spec.cluster of ${file}` };
}
