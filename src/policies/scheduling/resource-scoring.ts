/**
 * Resource-allocation scoring shared by NodeResourcesFit's strategies and BalancedAllocation
 * (upstream noderesources/resource_allocation.go): integer scores 0..100 with Go truncation.
 */
import type { Pod } from "../../model/objects.ts";
import { memoSlotsPerRow, type NodeInfo } from "./node-info.ts";
import { goRound, maxNodeScore } from "./normalize.ts";
import { podInfoOf } from "./pod-info.ts";

export interface ResourceSpec {
  readonly name: string;
  readonly weight: number;
}

export interface ShapePoint {
  readonly utilization: number;
  readonly score: number;
}

const nativeResources = new Set(["cpu", "memory", "ephemeral-storage", "pods"]);

/** Extended, hugepages and other scalar resources: skipped when the pod does not request them. */
export function isScalarResource(name: string): boolean {
  return !nativeResources.has(name);
}

/** The pod's request for one resource: non-zero defaults for cpu/memory unless `useRequested`. */
export function podRequestFor(pod: Pod, name: string, useRequested: boolean): number {
  const info = podInfoOf(pod);
  if (!useRequested) {
    if (name === "cpu") return info.nonZeroCpuMilli;
    if (name === "memory") return info.nonZeroMemory;
  }
  return info.requests[name] ?? 0;
}

/** (allocatable, requested-including-pod) for one resource; allocatable 0 means "skip it". */
export function allocatableAndRequested(
  node: NodeInfo,
  name: string,
  podRequest: number,
  useRequested: boolean,
  out: number[],
): void {
  const allocatable = node.node.status.allocatable[name] ?? 0;
  if (allocatable === 0 || (podRequest === 0 && isScalarResource(name))) {
    out[0] = 0;
    out[1] = 0;
    return;
  }
  let used: number;
  if (!useRequested && name === "cpu") used = node.nonZeroCpuMilli;
  else if (!useRequested && name === "memory") used = node.nonZeroMemory;
  else used = node.requested[name] ?? 0;
  out[0] = allocatable;
  out[1] = used + podRequest;
}

export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * maxNodeScore) / capacity);
}

export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  return Math.trunc((Math.min(requested, capacity) * maxNodeScore) / capacity);
}

/** Piecewise-linear through `shape` (sorted by utilization), integer arithmetic as upstream. */
export function brokenLinear(shape: readonly ShapePoint[], p: number): number {
  for (let i = 0; i < shape.length; i++) {
    const point = shape[i] as ShapePoint;
    if (p <= point.utilization) {
      if (i === 0) return point.score;
      const prev = shape[i - 1] as ShapePoint;
      return prev.score + Math.trunc(((point.score - prev.score) * (p - prev.utilization)) / (point.utilization - prev.utilization));
    }
  }
  return (shape[shape.length - 1] as ShapePoint).score;
}

export type ResourceScorer = (requested: readonly number[], allocatable: readonly number[], resources: readonly ResourceSpec[]) => number;

function weightedInteger(perResource: (requested: number, capacity: number) => number): ResourceScorer {
  return (requested, allocatable, resources) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      const capacity = allocatable[i] as number;
      if (capacity === 0) continue;
      const weight = (resources[i] as ResourceSpec).weight;
      nodeScore += perResource(requested[i] as number, capacity) * weight;
      weightSum += weight;
    }
    return weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
  };
}

export const leastAllocatedScorer: ResourceScorer = weightedInteger(leastRequestedScore);
export const mostAllocatedScorer: ResourceScorer = weightedInteger(mostRequestedScore);

/** Shape scores arrive on the API's 0..10 scale and are multiplied by 10. */
export function requestedToCapacityRatioScorer(shape: readonly ShapePoint[]): ResourceScorer {
  const scaled = shape.map((p) => ({ utilization: p.utilization, score: p.score * (maxNodeScore / 10) }));
  const resourceScore = (requested: number, capacity: number): number => {
    if (capacity === 0 || requested > capacity) return brokenLinear(scaled, maxNodeScore);
    return brokenLinear(scaled, Math.trunc((requested * maxNodeScore) / capacity));
  };
  return (requested, allocatable, resources) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      const capacity = allocatable[i] as number;
      if (capacity === 0) continue;
      const weight = (resources[i] as ResourceSpec).weight;
      const score = resourceScore(requested[i] as number, capacity);
      if (score > 0) {
        nodeScore += score * weight;
        weightSum += weight;
      }
    }
    return weightSum === 0 ? 0 : goRound(nodeScore / weightSum);
  };
}

/** The fraction requested/allocatable of resource i, capped at 1 (allocatable 0: not scored). */
function cappedFraction(requested: readonly number[], allocatable: readonly number[], i: number): number {
  return Math.min((requested[i] as number) / (allocatable[i] as number), 1);
}

export const balancedScorer: ResourceScorer = (requested, allocatable) => {
  let total = 0;
  let count = 0;
  let first = 0;
  let second = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const fraction = cappedFraction(requested, allocatable, i);
    if (count === 0) first = fraction;
    else if (count === 1) second = fraction;
    total += fraction;
    count++;
  }
  let std = 0;
  if (count === 2) std = Math.abs((first - second) / 2);
  else if (count > 2) {
    // Second pass recomputes the same fractions in the same order (no per-node array).
    const mean = total / count;
    let sum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const f = cappedFraction(requested, allocatable, i);
      sum += (f - mean) * (f - mean);
    }
    std = Math.sqrt(sum / count);
  }
  return Math.trunc((1 - std) * maxNodeScore);
};

/** Memo keys and slots are process-wide counters: they only decide what is cached, never a value. */
let nextMemoKey = 1;
let nextMemoSlot = 0;

/** How a scored resource is read from a NodeInfo: cpu and memory as fields, the rest by name. */
const byName = 0;
const cpuKind = 1;
const memoryKind = 2;

/**
 * Scores one node: gathers (requested, allocatable) per configured resource into the scratch
 * arrays (no allocation per node) and applies the scorer.
 */
export class AllocationScorer {
  private readonly resources: readonly ResourceSpec[];
  private readonly kinds: readonly number[];
  private readonly scorer: ResourceScorer;
  private readonly useRequested: boolean;
  private readonly requested: number[];
  private readonly allocatable: number[];
  private readonly pair = [0, 0];
  private readonly memoSlot = nextMemoSlot++ % memoSlotsPerRow;
  private readonly memoKeys = new Map<string, number>();

  constructor(resources: readonly ResourceSpec[], scorer: ResourceScorer, useRequested: boolean) {
    this.resources = resources;
    this.kinds = resources.map((r) => (r.name === "cpu" ? cpuKind : r.name === "memory" ? memoryKind : byName));
    this.scorer = scorer;
    this.useRequested = useRequested;
    this.requested = new Array<number>(resources.length).fill(0);
    this.allocatable = new Array<number>(resources.length).fill(0);
  }

  podRequests(pod: Pod): number[] {
    return this.resources.map((r) => podRequestFor(pod, r.name, this.useRequested));
  }

  score(node: NodeInfo, podRequests: readonly number[]): number {
    const requested = this.requested;
    const allocatable = this.allocatable;
    for (let i = 0; i < this.kinds.length; i++) {
      const kind = this.kinds[i] as number;
      // Same values as allocatableAndRequested (cpu and memory are never scalar resources).
      if (kind === cpuKind) {
        const capacity = node.allocatableCpuMilli;
        allocatable[i] = capacity;
        requested[i] = capacity === 0 ? 0 : (this.useRequested ? node.requestedCpuMilli : node.nonZeroCpuMilli) + (podRequests[i] as number);
      } else if (kind === memoryKind) {
        const capacity = node.allocatableMemory;
        allocatable[i] = capacity;
        requested[i] = capacity === 0 ? 0 : (this.useRequested ? node.requestedMemory : node.nonZeroMemory) + (podRequests[i] as number);
      } else {
        allocatableAndRequested(node, (this.resources[i] as ResourceSpec).name, podRequests[i] as number, this.useRequested, this.pair);
        allocatable[i] = this.pair[0] as number;
        requested[i] = this.pair[1] as number;
      }
    }
    return this.scorer(requested, allocatable, this.resources);
  }

  /**
   * scores[i] = score(nodes[i], podRequests), remembered per NodeInfo: a node's score depends only
   * on its allocatable, its pods and the pod's requests, so it is reused until the node changes.
   */
  scoreAll(nodes: readonly NodeInfo[], podRequests: readonly number[], scores: number[]): void {
    const key = this.memoKey(podRequests);
    const slot = this.memoSlot;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i] as NodeInfo;
      let score = node.memoized(slot, key);
      if (score !== score) {
        score = this.score(node, podRequests);
        node.memoize(slot, key, score);
      }
      scores[i] = score;
    }
  }

  /** A process-unique key for (this scorer, these requests). */
  private memoKey(podRequests: readonly number[]): number {
    const text = podRequests.join(",");
    let key = this.memoKeys.get(text);
    if (key === undefined) {
      if (this.memoKeys.size >= 1024) this.memoKeys.clear(); // bounded; keys are never reused
      key = nextMemoKey++;
      this.memoKeys.set(text, key);
    }
    return key;
  }
}
