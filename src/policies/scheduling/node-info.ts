/**
 * NodeInfo: one node plus the pods that hold resources on it, with the aggregates the plugins need
 * (real requests, non-zero cpu/memory requests for scoring, pod count). Built lazily per scheduling
 * cycle, so only the nodes a cycle visits cost anything.
 *
 * The hot plugins (NodeResourcesFit, the allocation scorers) read cpu, memory and pods as plain
 * number fields instead of by resource name. Allocatable is copied when the NodeInfo is built:
 * the twin never mutates a node's allocatable in place (a different allocatable is a new node
 * object, and the snapshot's caches are keyed on node identity).
 */
import type { Node, Pod, ResourceList } from "../../model/objects.ts";
import { podInfoOf } from "./pod-info.ts";

export interface NodeInfo {
  readonly name: string;
  readonly node: Node;
  /** Pods bound (or assumed/nominated) here that hold resources, in a deterministic order. */
  readonly pods: readonly Pod[];
  /** Summed real requests of `pods`. */
  readonly requested: Readonly<ResourceList>;
  /** Summed requests with upstream's non-zero defaults (100m cpu, 200Mi memory per container). */
  readonly nonZeroCpuMilli: number;
  readonly nonZeroMemory: number;
  /** requested.cpu and requested.memory (0 when absent). */
  readonly requestedCpuMilli: number;
  readonly requestedMemory: number;
  /** node.status.allocatable cpu and memory (0 when absent); pods is Infinity when absent. */
  readonly allocatableCpuMilli: number;
  readonly allocatableMemory: number;
  readonly allocatablePods: number;
}

export function buildNodeInfo(node: Node, pods: readonly Pod[]): NodeInfo {
  const requested: ResourceList = {};
  let nonZeroCpuMilli = 0;
  let nonZeroMemory = 0;
  for (const pod of pods) {
    const info = podInfoOf(pod);
    for (const name in info.requests) requested[name] = (requested[name] ?? 0) + (info.requests[name] as number);
    nonZeroCpuMilli += info.nonZeroCpuMilli;
    nonZeroMemory += info.nonZeroMemory;
  }
  const allocatable = node.status.allocatable;
  return {
    name: node.metadata.name,
    node,
    pods,
    requested,
    nonZeroCpuMilli,
    nonZeroMemory,
    requestedCpuMilli: requested["cpu"] ?? 0,
    requestedMemory: requested["memory"] ?? 0,
    allocatableCpuMilli: allocatable["cpu"] ?? 0,
    allocatableMemory: allocatable["memory"] ?? 0,
    allocatablePods: allocatable["pods"] ?? Infinity,
  };
}
