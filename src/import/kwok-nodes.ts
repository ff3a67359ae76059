/**
 * A recording's nodes → node pools: nodes alike (allocatable, zone, labels, taints) form one pool,
 * in the order first seen. Pools name their nodes `<pool>-<i>`, so the recorded names are not
 * kept (the note says which became which); labels the twin sets itself (hostname, zone, region,
 * os, arch, instance type) are left to it. A node the codec cannot read is a warning.
 */
import { Result } from "effect";
import { decodeKube } from "../k8s/kinds.ts";
import { formatQuantity } from "../k8s/quantity.ts";
import type { Node } from "../model/objects.ts";
import { formatPath } from "../scenario/error.ts";
import type { ClusterChoice } from "./import-cluster.ts";
import type { JsonObject } from "./plain-json.ts";

const zoneLabel = "topology.kubernetes.io/zone";
const setByTwin = new Set(["kubernetes.io/hostname", zoneLabel, "topology.kubernetes.io/region", "kubernetes.io/os", "kubernetes.io/arch", "beta.kubernetes.io/os", "beta.kubernetes.io/arch", "node.kubernetes.io/instance-type", "kubetwin.io/pool"]);
const milliResources = new Set(["cpu"]);

interface Pool {
  doc: JsonObject;
  names: string[];
}

export function clusterOfNodes(nodes: readonly JsonObject[]): { choice: ClusterChoice | undefined; warnings: string[] } {
  const warnings: string[] = [];
  const pools = new Map<string, Pool>();
  for (const raw of nodes) {
    const decoded = decodeKube(raw);
    const name = typeof (raw.metadata as JsonObject | undefined)?.name === "string" ? ((raw.metadata as JsonObject).name as string) : "?";
    if (Result.isFailure(decoded) || decoded.success.outcome !== "object" || decoded.success.object.kind !== "Node") {
      const why = Result.isFailure(decoded) ? `${formatPath(decoded.failure.path)}: ${decoded.failure.message}` : "not a Node";
      warnings.push(`Node ${name}: ${why}: left out of the cluster`);
      continue;
    }
    const node = decoded.success.object as Node;
    const doc = poolDocOf(node);
    const key = JSON.stringify(doc);
    const pool = pools.get(key) ?? pools.set(key, { doc, names: [] }).get(key) as Pool;
    pool.names.push(node.metadata.name);
  }
  if (pools.size === 0) return { choice: undefined, warnings };
  const nodePools = [...pools.values()].map((p, i) => ({ name: `recorded-${i}`, count: p.names.length, ...p.doc }));
  const mapping = [...pools.values()].map((p, i) => `${p.names.slice(0, 3).join(", ")}${p.names.length > 3 ? ` … (${p.names.length})` : ""} → recorded-${i}-0…${p.names.length - 1}`);
  return { choice: { ok: true, cluster: { nodePools }, note: `cluster: the recording's ${nodes.length - warnings.length} nodes in ${pools.size} pool${pools.size === 1 ? "" : "s"} (${mapping.join("; ")})` }, warnings };
}

function poolDocOf(node: Node): JsonObject {
  const allocatable: JsonObject = {};
  for (const [r, v] of Object.entries(node.status.allocatable).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) allocatable[r] = formatQuantity(r, v, milliResources.has(r) ? "milli" : "base");
  const doc: JsonObject = { allocatable };
  const zone = node.metadata.labels[zoneLabel];
  if (zone !== undefined) doc.zones = [zone];
  const labels = Object.fromEntries(Object.entries(node.metadata.labels).filter(([k]) => !setByTwin.has(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  if (Object.keys(labels).length > 0) doc.labels = labels;
  const taints = node.spec.taints.filter((t) => !t.key.startsWith("node.kubernetes.io/")).map((t) => ({ key: t.key, ...(t.value !== undefined && t.value !== "" ? { value: t.value } : {}), effect: t.effect }));
  if (taints.length > 0) doc.taints = taints;
  return doc;
}
