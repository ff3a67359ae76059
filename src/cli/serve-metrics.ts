/**
 * The metrics API (metrics.k8s.io/v1beta1) of the served twin, as metrics-server serves it:
 * PodMetrics are the simulation's own measurements (the metrics-server actor's, in the object
 * store, through the codec); NodeMetrics are computed here, per node, as the sum of its pods'
 * latest usage at the newest of their timestamps. metrics-server reads a node's usage from the
 * kubelet's summary, which also counts the system's own processes: the twin models none, so a
 * node's usage is its pods'. Worlds without load or autoscalers measure nothing: both lists are empty.
 */
import { formatQuantity, resourceUnit } from "../k8s/quantity.ts";
import { formatTimeMs } from "../k8s/time.ts";
import type { ClusterState } from "../model/state.ts";
import { formatDurationMs } from "../model/units.ts";
import { storedObjectsOf } from "../model/stored-objects.ts";

/** A served object's JSON (serve-resources.ts KubeJson, which imports this file). */
type MetricsJson = { apiVersion: string; kind: string; metadata: { name: string; labels: Record<string, string>; creationTimestamp: string }; [field: string]: unknown };

export function nodeMetricsOf(state: ClusterState): MetricsJson[] {
  const usage = new Map<string, { cpu: number; memory: number; timestampMs: number; windowMs: number }>();
  for (const [key, m] of storedObjectsOf(state, "PodMetrics")) {
    const node = state.pods.get(key)?.spec.nodeName;
    if (node === undefined || !state.nodes.has(node)) continue;
    const u = usage.get(node) ?? { cpu: 0, memory: 0, timestampMs: 0, windowMs: m.windowMs };
    for (const c of m.containers) {
      u.cpu += c.usage.cpu ?? 0;
      u.memory += c.usage.memory ?? 0;
    }
    u.timestampMs = Math.max(u.timestampMs, m.timestampMs);
    usage.set(node, u);
  }
  return [...usage.keys()].sort().map((name) => {
    const u = usage.get(name)!;
    const node = state.nodes.get(name)!;
    return {
      kind: "NodeMetrics", apiVersion: "metrics.k8s.io/v1beta1",
      metadata: { name, labels: node.metadata.labels, creationTimestamp: formatTimeMs(u.timestampMs) },
      timestamp: formatTimeMs(u.timestampMs), window: formatDurationMs(u.windowMs),
      usage: { cpu: formatQuantity("cpu", u.cpu, resourceUnit("cpu")), memory: formatQuantity("memory", u.memory, resourceUnit("memory")) },
    };
  });
}
