/**
 * NodeResourcesFit: Filter (the pod's effective requests fit the node's free allocatable) and
 * Score with one of three strategies: LeastAllocated (spread), MostAllocated (bin-pack) or
 * RequestedToCapacityRatio (a piecewise-linear shape over utilization).
 */
import { perCycle, type CycleState, type FilterPlugin, type PreFilterPlugin, type PreFilterResult, type PreScorePlugin, type ScorePlugin, filterEach } from "../framework.ts";
import type { NodeInfo } from "../node-info.ts";
import { podInfoOf } from "../pod-info.ts";
import {
  AllocationScorer,
  leastAllocatedScorer,
  mostAllocatedScorer,
  requestedToCapacityRatioScorer,
  type ResourceSpec,
  type ShapePoint,
} from "../resource-scoring.ts";
import { status, SUCCESS, type Status } from "../status.ts";
import { nodeOrRoomEvents } from "../queueing-hints.ts";

export const nodeResourcesFitName = "NodeResourcesFit";

export type ScoringStrategyType = "LeastAllocated" | "MostAllocated" | "RequestedToCapacityRatio";

export interface NodeResourcesFitArgs {
  ignoredResources?: string[];
  /** Extended resources whose group (the part before "/") is listed are not checked. */
  ignoredResourceGroups?: string[];
  scoringStrategy?: {
    type?: ScoringStrategyType;
    resources?: ResourceSpec[] | null;
    requestedToCapacityRatio?: { shape: ShapePoint[] };
  };
}

export const defaultResourceSpecs: ResourceSpec[] = [
  { name: "cpu", weight: 1 },
  { name: "memory", weight: 1 },
];

export const defaultNodeResourcesFitArgs: NodeResourcesFitArgs = {
  scoringStrategy: { type: "LeastAllocated", resources: defaultResourceSpecs },
};

export interface InsufficientResource {
  readonly resource: string;
  readonly reason: string;
  readonly requested: number;
  readonly used: number;
  readonly capacity: number;
  readonly unresolvable: boolean;
}

/** Upstream ValidateNodeResourcesFitArgs, reduced to what the twin reads. */
export function validateNodeResourcesFitArgs(args: NodeResourcesFitArgs): string[] {
  const errors: string[] = [];
  const strategy = args.scoringStrategy;
  if (strategy === undefined) return ["scoringStrategy: Required value"];
  const type = strategy.type ?? "LeastAllocated";
  if (!["LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"].includes(type)) {
    errors.push(`scoringStrategy.type: Unsupported value: "${type}"`);
  }
  const resources = strategy.resources ?? [];
  if (resources.length === 0) errors.push("scoringStrategy.resources: Required value: at least one resource should be provided");
  resources.forEach((r, i) => {
    if (!Number.isInteger(r.weight) || r.weight < 1 || r.weight > 100) {
      errors.push(`scoringStrategy.resources[${i}].weight: Invalid value: ${r.weight}: resource weight of ${r.name} should be in the range [1, 100]`);
    }
  });
  if (type === "RequestedToCapacityRatio") errors.push(...validateShape(strategy.requestedToCapacityRatio?.shape));
  return errors;
}

function validateShape(shape: readonly ShapePoint[] | undefined): string[] {
  if (shape === undefined || shape.length === 0) return ["scoringStrategy.requestedToCapacityRatio.shape: Required value"];
  const errors: string[] = [];
  shape.forEach((p, i) => {
    if (p.utilization < 0 || p.utilization > 100) errors.push(`shape[${i}].utilization: Invalid value: ${p.utilization}: not in valid range [0, 100]`);
    if (i > 0 && p.utilization <= (shape[i - 1] as ShapePoint).utilization) errors.push(`shape[${i}].utilization: Invalid value: ${p.utilization}: utilization values must be sorted in increasing order`);
    if (p.score < 0 || p.score > 10) errors.push(`shape[${i}].score: Invalid value: ${p.score}: not in valid range [0, 10]`);
  });
  return errors;
}

/** Resources in upstream's check order: cpu, memory, ephemeral-storage, then the rest by name. */
function orderedRequests(requests: Readonly<Record<string, number>>, ignored: ReadonlySet<string>, ignoredGroups: ReadonlySet<string> = new Set()): [string, number][] {
  const rank = (n: string): number => (n === "cpu" ? 0 : n === "memory" ? 1 : n === "ephemeral-storage" ? 2 : 3);
  const skipped = (n: string): boolean => rank(n) === 3 && (ignored.has(n) || (n.includes("/") && ignoredGroups.has(n.slice(0, n.indexOf("/")))));
  return Object.keys(requests)
    .filter((n) => n !== "pods" && (requests[n] as number) > 0 && !skipped(n))
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map((n) => [n, requests[n] as number]);
}

/** Every resource the node cannot give the pod, in check order (upstream fitsRequest). */
export function insufficientResources(requests: readonly [string, number][], node: NodeInfo): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const allocatable = node.node.status.allocatable;
  const podsAllowed = allocatable.pods;
  if (podsAllowed !== undefined && node.pods.length + 1 > podsAllowed) {
    out.push({ resource: "pods", reason: "Too many pods", requested: 1, used: node.pods.length, capacity: podsAllowed, unresolvable: false });
  }
  for (const [name, want] of requests) {
    const capacity = allocatable[name] ?? 0;
    const used = node.requested[name] ?? 0;
    if (want > capacity - used) {
      out.push({ resource: name, reason: `Insufficient ${name}`, requested: want, used, capacity, unresolvable: want > capacity });
    }
  }
  return out;
}

interface FitState {
  readonly requests: [string, number][];
  /** cpu and memory requests (0: not requested, so not checked). */
  readonly cpuMilli: number;
  readonly memory: number;
  /** The other requested resources, checked by name. */
  readonly otherNames: string[];
  readonly otherWants: number[];
  readonly scoreRequests: number[];
}

const tooManyPods = 1;
const shortCpu = 2;
const shortMemory = 4;
const unresolvable = 8;
/** The rejections of pods asking only cpu, memory and a pod slot, by bit set (values, never mutated). */
const cpuMemoryPodsStatuses: (Status | undefined)[] = [];

/**
 * insufficientResources' verdict for a pod whose requests are cpu and memory alone (0: not asked),
 * when one is short: the same reasons in the same order, one shared Status per combination, so
 * rejecting thousands of nodes allocates nothing.
 */
function cpuMemoryPodsStatus(node: NodeInfo, cpuMilli: number, memory: number): Status {
  let bits = node.podCount + 1 > node.allocatablePods ? tooManyPods : 0;
  if (cpuMilli > 0 && cpuMilli > node.allocatableCpuMilli - node.requestedCpuMilli) bits |= shortCpu | (cpuMilli > node.allocatableCpuMilli ? unresolvable : 0);
  if (memory > 0 && memory > node.allocatableMemory - node.requestedMemory) bits |= shortMemory | (memory > node.allocatableMemory ? unresolvable : 0);
  let s = cpuMemoryPodsStatuses[bits];
  if (s === undefined) {
    const reasons: string[] = [];
    if ((bits & tooManyPods) !== 0) reasons.push("Too many pods");
    if ((bits & shortCpu) !== 0) reasons.push("Insufficient cpu");
    if ((bits & shortMemory) !== 0) reasons.push("Insufficient memory");
    s = Object.freeze(status((bits & unresolvable) !== 0 ? "UnschedulableAndUnresolvable" : "Unschedulable", nodeResourcesFitName, ...Object.freeze(reasons)));
    cpuMemoryPodsStatuses[bits] = s;
  }
  return s;
}

export function newNodeResourcesFit(args: NodeResourcesFitArgs): (PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin) | string[] {
  const errors = validateNodeResourcesFitArgs(args);
  if (errors.length > 0) return errors;
  const strategy = args.scoringStrategy ?? {};
  const resources = strategy.resources ?? defaultResourceSpecs;
  const type = strategy.type ?? "LeastAllocated";
  const scorer =
    type === "MostAllocated"
      ? mostAllocatedScorer
      : type === "RequestedToCapacityRatio"
        ? requestedToCapacityRatioScorer(strategy.requestedToCapacityRatio?.shape ?? [])
        : leastAllocatedScorer;
  const allocation = new AllocationScorer(resources, scorer, false);
  const ignored = new Set(args.ignoredResources ?? []);
  const ignoredGroups = new Set(args.ignoredResourceGroups ?? []);

  const fitState = perCycle<FitState>(nodeResourcesFitName, (state) => {
    const requests = orderedRequests(podInfoOf(state.pod).requests, ignored, ignoredGroups);
    const others = requests.filter((r) => r[0] !== "cpu" && r[0] !== "memory");
    return {
      requests,
      cpuMilli: requests.find((r) => r[0] === "cpu")?.[1] ?? 0,
      memory: requests.find((r) => r[0] === "memory")?.[1] ?? 0,
      otherNames: others.map((r) => r[0]),
      otherWants: others.map((r) => r[1]),
      scoreRequests: allocation.podRequests(state.pod),
    };
  });

  const filter = (state: CycleState, node: NodeInfo): Status => {
    const s = fitState(state);
    // Fast path: nothing is short (the common case) → no allocation, no lookups by name.
    let short =
      node.podCount + 1 > node.allocatablePods ||
      (s.cpuMilli > 0 && s.cpuMilli > node.allocatableCpuMilli - node.requestedCpuMilli) ||
      (s.memory > 0 && s.memory > node.allocatableMemory - node.requestedMemory);
    const names = s.otherNames;
    if (!short && names.length > 0) {
      const allocatable = node.node.status.allocatable;
      const wants = s.otherWants;
      for (let i = 0; !short && i < names.length; i++) {
        const name = names[i] as string;
        if ((wants[i] as number) > (allocatable[name] ?? 0) - (node.requested[name] ?? 0)) short = true;
      }
    }
    if (!short) return SUCCESS;
    if (names.length === 0) return cpuMemoryPodsStatus(node, s.cpuMilli, s.memory);
    const insufficient = insufficientResources(s.requests, node);
    const unresolvable = insufficient.some((r) => r.unresolvable);
    return status(unresolvable ? "UnschedulableAndUnresolvable" : "Unschedulable", nodeResourcesFitName, ...insufficient.map((r) => r.reason));
  };

  return {
    name: nodeResourcesFitName,
    eventsToRegister: () => nodeOrRoomEvents,
    preFilter(state: CycleState): PreFilterResult {
      fitState(state);
      return { status: SUCCESS };
    },
    filter,
    filterAll: filterEach(filter),
    preScore(state: CycleState): Status {
      fitState(state);
      return SUCCESS;
    },
    score(state: CycleState, node: NodeInfo): number {
      return allocation.score(node, fitState(state).scoreRequests);
    },
    scoreAll(state: CycleState, nodes: readonly NodeInfo[], scores: number[]): void {
      allocation.scoreAll(nodes, fitState(state).scoreRequests, scores);
    },
  };
}

/** The pod's effective requests in check order, as the filter sees them. */
export function fitRequests(state: CycleState, args: NodeResourcesFitArgs = {}): [string, number][] {
  return orderedRequests(podInfoOf(state.pod).requests, new Set(args.ignoredResources ?? []), new Set(args.ignoredResourceGroups ?? []));
}
