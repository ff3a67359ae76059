/**
 * The limits of limits.ts applied to what a scenario asks for, each before anything is built
 * from it (a node inventory, pods): the run's duration, nodes over all pools, replicas of each
 * Deployment/ReplicaSet, and pods over all workloads at their largest (manifest, override or a
 * ScaleWorkload fault). Each refusal names the limit and the flag that raises it.
 */
import { Result } from "effect";
import { objectKey } from "../model/objects.ts";
import { formatDurationMs } from "../model/units.ts";
import type { Ms } from "../model/units.ts";
import type { FaultPlan, NodePoolPlan, WorkloadPlan } from "../sim/plan.ts";
import { limitText } from "./limits.ts";
import { poolNodesMax } from "./cluster.ts";
import type { Limits } from "./limits.ts";
import { problemAt, siteAt } from "./schema-decode.ts";
import type { Checked, Site } from "./schema-decode.ts";

export function checkDuration(durationMs: Ms, site: Site, limits: Limits): Checked<void> {
  if (durationMs <= limits.durationMsMax) return Result.succeed(undefined);
  return Result.fail(problemAt(site, `too long: the run lasts ${formatDurationMs(durationMs)}; ${limitText("duration", limits, "of virtual time")}`));
}

/** `site` is where the pools are written; `asList`: it is their list, and the refusal points at the largest one's count. */
export function checkNodes(pools: readonly NodePoolPlan[], site: Site, limits: Limits, asList: boolean): Checked<void> {
  const total = pools.reduce((sum, p) => sum + poolNodesMax(p), 0);
  if (total <= limits.nodesMax) return Result.succeed(undefined);
  const largest = pools.reduce((best, p, i) => (poolNodesMax(p) > poolNodesMax(pools[best] as NodePoolPlan) ? i : best), 0);
  const field = (pools[largest] as NodePoolPlan).autoscaling !== undefined ? ["autoscaling", "maxCount"] : ["count"];
  return Result.fail(problemAt(asList ? siteAt(site, largest, ...field) : site, `too many nodes: the pools hold ${total} in all; ${limitText("nodes", limits, "nodes")}`));
}

export function checkReplicas(replicas: number, site: Site, limits: Limits): Checked<void> {
  if (replicas <= limits.replicasMax) return Result.succeed(undefined);
  return Result.fail(problemAt(site, `too many replicas: ${replicas}; ${limitText("replicas", limits, "per workload")}`));
}

/**
 * Pods one world may ask for: each Deployment/ReplicaSet at its largest (its replicas or a
 * ScaleWorkload fault's), plus every bare Pod. Also checks each workload's replicas, whatever
 * brought them (a variant's patch included). `site` is where the world is described.
 */
export function checkPods(workloads: readonly WorkloadPlan[], faults: readonly FaultPlan[], site: Site, limits: Limits): Checked<void> {
  const largest = new Map<string, number>();
  let pods = 0;
  for (const w of workloads) {
    if (w.kind === "Pod") pods += 1;
    else if (w.kind === "Deployment" || w.kind === "ReplicaSet") largest.set(objectKey(w.object.metadata), Math.max(largest.get(objectKey(w.object.metadata)) ?? 0, w.object.spec.replicas));
  }
  for (const f of faults) {
    if (f.kind !== "ScaleWorkload") continue;
    const key = objectKey({ namespace: f.namespace, name: f.name });
    if (largest.has(key)) largest.set(key, Math.max(largest.get(key) ?? 0, f.replicas));
  }
  for (const [key, replicas] of largest) {
    if (replicas > limits.replicasMax) return Result.fail(problemAt(site, `too many replicas: ${key} asks for ${replicas}; ${limitText("replicas", limits, "per workload")}`));
    pods += replicas;
  }
  if (pods <= limits.podsMax) return Result.succeed(undefined);
  return Result.fail(problemAt(site, `too many pods: the workloads ask for up to ${pods} (each at its largest); ${limitText("pods", limits, "pods")}`));
}
