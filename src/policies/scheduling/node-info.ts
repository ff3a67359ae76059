/**
 * NodeInfo: one node plus the pods that hold resources on it, with the aggregates the plugins need
 * (real requests, non-zero cpu/memory requests for scoring, pod count). Built lazily per scheduling
 * cycle, so only the nodes a cycle visits cost anything.
 *
 * The numbers the hot plugins read on every visited node (cpu, memory, pods; whether the node is
 * cordoned, tainted, Ready) live in `NodeColumns`, typed arrays with one row per node: a visit
 * then touches the NodeInfo and a few dense arrays instead of half a dozen objects per node.
 * A NodeInfo is valid for the cycle that produced it (a later rebuild of the node reuses its row).
 * Allocatable is copied when the row is written: the twin never mutates a node's allocatable in
 * place. The node flags are copied too; `refreshNodeFlags` rewrites them from the live node (the
 * snapshot does so whenever it cannot prove the node unchanged).
 *
 * Each row also has a few memo slots: a plugin may remember a value it computed from this NodeInfo
 * and pod-side inputs it names by a key (unique across the process, never 0). Rebuilding a row
 * clears them, so a memo never outlives the pods and node it was computed from.
 *
 * Invariant: a NodeInfo reads its row only while the row still holds what it was built from. Each
 * build bumps the row's generation and the NodeInfo remembers it; a read through a NodeInfo whose
 * row was rebuilt since (a stale read: a NodeInfo kept past its cycle) fails an assertion.
 */
import type { Node, Pod, ResourceList } from "../../model/objects.ts";
import { assert } from "../../model/assert.ts";
import { podInfoOf, podPriority, type PodInfo } from "./pod-info.ts";

const unschedulableFlag = 1;
const taintedFlag = 2;
const readyTrueFlag = 4;

/** Memo slots per row; plugins share them round-robin (a collision only costs a recomputation). */
export const memoSlotsPerRow = 4;

/** One row per NodeInfo; grows by doubling. */
export class NodeColumns {
  requestedCpuMilli: Float64Array;
  requestedMemory: Float64Array;
  nonZeroCpuMilli: Float64Array;
  nonZeroMemory: Float64Array;
  allocatableCpuMilli: Float64Array;
  allocatableMemory: Float64Array;
  allocatablePods: Float64Array;
  podCount: Float64Array;
  flags: Uint8Array;
  /** Builds of each row so far (a NodeInfo checks its own against it on every read). */
  generation: Uint32Array;
  /** memoSlotsPerRow entries per row: the key a value was stored under (0: none) and the value. */
  memoKeys: Float64Array;
  memoValues: Float64Array;
  /** Rows handed out by `nextRow` (tables sized up front use rows 0..capacity-1 directly). */
  used = 0;

  constructor(capacity: number) {
    const n = Math.max(1, capacity);
    this.requestedCpuMilli = new Float64Array(n);
    this.requestedMemory = new Float64Array(n);
    this.nonZeroCpuMilli = new Float64Array(n);
    this.nonZeroMemory = new Float64Array(n);
    this.allocatableCpuMilli = new Float64Array(n);
    this.allocatableMemory = new Float64Array(n);
    this.allocatablePods = new Float64Array(n);
    this.podCount = new Float64Array(n);
    this.flags = new Uint8Array(n);
    this.generation = new Uint32Array(n);
    this.memoKeys = new Float64Array(n * memoSlotsPerRow);
    this.memoValues = new Float64Array(n * memoSlotsPerRow);
  }

  /** A fresh row at the end (per-cycle NodeInfos), growing the arrays when full. */
  nextRow(): number {
    if (this.used === this.flags.length) this.grow(this.flags.length * 2);
    return this.used++;
  }

  private grow(capacity: number): void {
    const f64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(capacity);
      b.set(a);
      return b;
    };
    this.requestedCpuMilli = f64(this.requestedCpuMilli);
    this.requestedMemory = f64(this.requestedMemory);
    this.nonZeroCpuMilli = f64(this.nonZeroCpuMilli);
    this.nonZeroMemory = f64(this.nonZeroMemory);
    this.allocatableCpuMilli = f64(this.allocatableCpuMilli);
    this.allocatableMemory = f64(this.allocatableMemory);
    this.allocatablePods = f64(this.allocatablePods);
    this.podCount = f64(this.podCount);
    const flags = new Uint8Array(capacity);
    flags.set(this.flags);
    this.flags = flags;
    const generation = new Uint32Array(capacity);
    generation.set(this.generation);
    this.generation = generation;
    const memoKeys = new Float64Array(capacity * memoSlotsPerRow);
    memoKeys.set(this.memoKeys);
    this.memoKeys = memoKeys;
    const memoValues = new Float64Array(capacity * memoSlotsPerRow);
    memoValues.set(this.memoValues);
    this.memoValues = memoValues;
  }
}

export class NodeInfo {
  readonly name: string;
  readonly node: Node;
  /** Pods bound (or assumed/nominated) here that hold resources, in a deterministic order. */
  readonly pods: readonly Pod[];
  private requestedSums: Readonly<ResourceList> | undefined;
  private infosOfPods: readonly PodInfo[] | undefined;
  private prioritiesOfPods: Float64Array | undefined;
  private readonly cols: NodeColumns;
  private readonly row: number;
  private readonly generation: number;

  constructor(node: Node, pods: readonly Pod[], columns: NodeColumns, row: number) {
    this.name = node.metadata.name;
    this.node = node;
    this.pods = pods;
    this.cols = columns;
    this.row = row;
    this.generation = columns.generation[row] as number;
  }

  /**
   * Summed real requests of `pods`, every resource any of them names (cpu and memory are also in
   * the columns). Summed on first read: most visits read only the columns, and `pods` never changes.
   */
  get requested(): Readonly<ResourceList> {
    let sums = this.requestedSums;
    if (sums === undefined) this.requestedSums = sums = sumRequests(this.pods);
    return sums;
  }

  /**
   * podInfoOf and podPriority of each pod (aligned with `pods`), computed on first read and kept as
   * long as this NodeInfo: `pods` never changes, a spec's requests and priority neither (the cross-
   * cycle NodeInfos of unchanged nodes serve every preemption without touching their pods again).
   */
  podInfos(): readonly PodInfo[] {
    return (this.infosOfPods ??= this.pods.map(podInfoOf));
  }

  podPriorities(): Float64Array {
    return (this.prioritiesOfPods ??= Float64Array.from(this.pods, podPriority));
  }

  /** The row's columns, after checking the row was not rebuilt since this NodeInfo was made. */
  private get columns(): NodeColumns {
    const c = this.cols;
    if (c.generation[this.row] !== this.generation) staleRead(this.name);
    return c;
  }

  /** Summed requests with upstream's non-zero defaults (100m cpu, 200Mi memory per container). */
  get nonZeroCpuMilli(): number {
    return this.columns.nonZeroCpuMilli[this.row] as number;
  }
  get nonZeroMemory(): number {
    return this.columns.nonZeroMemory[this.row] as number;
  }
  /** requested.cpu and requested.memory (0 when absent). */
  get requestedCpuMilli(): number {
    return this.columns.requestedCpuMilli[this.row] as number;
  }
  get requestedMemory(): number {
    return this.columns.requestedMemory[this.row] as number;
  }
  /** node.status.allocatable cpu and memory (0 when absent); pods is Infinity when absent. */
  get allocatableCpuMilli(): number {
    return this.columns.allocatableCpuMilli[this.row] as number;
  }
  get allocatableMemory(): number {
    return this.columns.allocatableMemory[this.row] as number;
  }
  get allocatablePods(): number {
    return this.columns.allocatablePods[this.row] as number;
  }
  /** pods.length */
  get podCount(): number {
    return this.columns.podCount[this.row] as number;
  }
  /** node.spec.unschedulable */
  get unschedulable(): boolean {
    return ((this.columns.flags[this.row] as number) & unschedulableFlag) !== 0;
  }
  /** node.spec.taints is not empty */
  get tainted(): boolean {
    return ((this.columns.flags[this.row] as number) & taintedFlag) !== 0;
  }
  /** node.status.ready === "True" */
  get readyTrue(): boolean {
    return ((this.columns.flags[this.row] as number) & readyTrueFlag) !== 0;
  }

  /** The value remembered in `slot` under `key`, or NaN. */
  memoized(slot: number, key: number): number {
    const at = this.row * memoSlotsPerRow + slot;
    return this.columns.memoKeys[at] === key ? (this.columns.memoValues[at] as number) : NaN;
  }

  memoize(slot: number, key: number, value: number): void {
    const at = this.row * memoSlotsPerRow + slot;
    this.columns.memoKeys[at] = key;
    this.columns.memoValues[at] = value;
  }
}

function staleRead(name: string): never {
  assert(false, `stale NodeInfo read: the row of node ${name} was rebuilt after this NodeInfo was made`);
}

/** Writes the node-derived flags of `row` from the live node object. */
export function refreshNodeFlags(columns: NodeColumns, row: number, node: Node): void {
  columns.flags[row] =
    (node.spec.unschedulable ? unschedulableFlag : 0) | (node.spec.taints.length > 0 ? taintedFlag : 0) | (node.status.ready === "True" ? readyTrueFlag : 0);
}

function sumRequests(pods: readonly Pod[]): ResourceList {
  const requested: ResourceList = {};
  for (const pod of pods) {
    const info = podInfoOf(pod);
    const names = info.requestNames;
    const values = info.requestValues;
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      requested[name] = (requested[name] ?? 0) + (values[i] as number);
    }
  }
  return requested;
}

/**
 * Builds the NodeInfo of `node` holding `pods` into `row` of `columns` (a fresh row when omitted).
 * The caller must not change `pods` afterwards (the NodeInfo keeps it).
 */
export function buildNodeInfo(
  node: Node,
  pods: readonly Pod[],
  columns: NodeColumns = new NodeColumns(1),
  row: number = columns.nextRow(),
  /** podInfoOf of each pod when the caller has them. */
  infos?: readonly PodInfo[],
): NodeInfo {
  // Summed in pod order from 0, as sumRequests sums requested.cpu and .memory: the same numbers.
  let requestedCpuMilli = 0;
  let requestedMemory = 0;
  let nonZeroCpuMilli = 0;
  let nonZeroMemory = 0;
  for (let i = 0; i < pods.length; i++) {
    const info = infos === undefined ? podInfoOf(pods[i] as Pod) : (infos[i] as PodInfo);
    requestedCpuMilli += info.requestCpuMilli;
    requestedMemory += info.requestMemory;
    nonZeroCpuMilli += info.nonZeroCpuMilli;
    nonZeroMemory += info.nonZeroMemory;
  }
  const allocatable = node.status.allocatable;
  columns.requestedCpuMilli[row] = requestedCpuMilli;
  columns.requestedMemory[row] = requestedMemory;
  columns.nonZeroCpuMilli[row] = nonZeroCpuMilli;
  columns.nonZeroMemory[row] = nonZeroMemory;
  columns.allocatableCpuMilli[row] = allocatable["cpu"] ?? 0;
  columns.allocatableMemory[row] = allocatable["memory"] ?? 0;
  columns.allocatablePods[row] = allocatable["pods"] ?? Infinity;
  columns.podCount[row] = pods.length;
  columns.generation[row] = ((columns.generation[row] as number) + 1) >>> 0;
  columns.memoKeys.fill(0, row * memoSlotsPerRow, (row + 1) * memoSlotsPerRow);
  refreshNodeFlags(columns, row, node);
  return new NodeInfo(node, pods, columns, row);
}
