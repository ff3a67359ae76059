/**
 * The per-cycle snapshot: the cluster's nodes in upstream's node-tree order (zones interleaved,
 * names sorted within a zone) and lazily built NodeInfos. Pods the scheduler has assumed (bound
 * by a decision the view has not applied yet) and nominated pods come from an overlay, and
 * preemption's dry runs exclude victims; neither touches the view.
 */
import type { LabelSelector } from "../../model/objects.ts";
import { labelIndexKey } from "../../model/scheduling-objects.ts";
import { objectKey, type Node, type Pod } from "../../model/objects.ts";
import { podHoldsResources } from "../../model/resources.ts";
import type { PolicyObjectsView, SchedulerIndexesView } from "../../model/scheduling-objects.ts";
import type { ClusterView } from "../../model/view.ts";
import { buildNodeInfo, NodeColumns, type NodeInfo } from "./node-info.ts";
import { NodeStatuses } from "./node-statuses.ts";
import { NodeTable } from "./node-table.ts";

export type SchedulingView = ClusterView & Partial<PolicyObjectsView> & SchedulerIndexesView;

/** Pods the view does not (yet) show on nodes: assumed binds and nominations. */
export interface PodOverlay {
  podsOn(nodeName: string): readonly Pod[];
  /** Every overlay pod with the node it is counted on. */
  all(): readonly PlacedPod[];
}

export interface PlacedPod {
  readonly pod: Pod;
  readonly key: string;
  readonly nodeName: string;
}

const noPods: readonly Pod[] = Object.freeze([]);
const noPlaced: readonly PlacedPod[] = Object.freeze([]);
export const emptyOverlay: PodOverlay = { podsOn: () => noPods, all: () => noPlaced };

export class Snapshot {
  readonly view: SchedulingView;
  readonly nodes: readonly Node[];
  private readonly overlay: PodOverlay;
  private readonly excluded: ReadonlySet<string> | undefined;
  /** Per-cycle NodeInfos for snapshots with an overlay or exclusions (plain ones use the cache). */
  private readonly infos = new Map<number, NodeInfo>();
  private readonly order: NodeOrder;
  /** No overlay pods and no exclusions: NodeInfos come straight from the cross-cycle cache. */
  private readonly plain: boolean;
  /** Rows of nodes holding an overlay pod or an excluded pod (the others use the cache). */
  private readonly touched: ReadonlySet<number>;
  private readonly table: NodeTable;
  /** Rows of the per-cycle NodeInfos, shared with the `without` snapshots of the same cycle. */
  private readonly extras: { columns: NodeColumns | undefined };
  /** What `without` derived this snapshot from (undefined for a cycle's own snapshot). */
  private readonly derived: Derivation | undefined;
  private placedCache: PlacedPod[] | undefined;
  /**
   * Recount mode for this cycle (KUBETWIN_RECOUNT): every cache read through this snapshot is also
   * rebuilt from scratch and asserted equal (NodeTable rows, RowCounts, kept spreading counts).
   */
  recount = false;
  private affinityCache: PlacedPod[] | undefined;

  /** `nodes`: every node of the view, in the order the cycle visits them. */
  constructor(view: SchedulingView, nodes: readonly Node[], overlay: PodOverlay = emptyOverlay, excluded?: ReadonlySet<string>, derived?: Derivation) {
    this.view = view;
    this.nodes = nodes;
    this.overlay = overlay;
    this.excluded = excluded;
    this.derived = derived;
    if (derived !== undefined) {
      const parent = derived.parent;
      this.recount = parent.recount;
      this.extras = parent.extras;
      this.order = parent.order;
      this.table = parent.table;
      this.plain = false;
      this.touched = derived.touched;
      return;
    }
    this.extras = { columns: undefined };
    this.order = orderFor(nodes);
    this.plain = excluded === undefined && overlay.all().length === 0;
    let table = this.order.tables.get(view.podsByNode);
    if (table === undefined) {
      table = new NodeTable(this.order.index);
      this.order.tables.set(view.podsByNode, table);
    }
    this.table = table;
    this.touched = this.plain ? noRows : touchedRows(view, this.order.index, overlay, excluded);
  }

  /** Recount mode: asserts every cached NodeInfo row equals one built from scratch. */
  verifyCaches(): void {
    this.table.verify(this.view, this.nodes);
  }

  /** A snapshot of the same cycle with these pods gone (preemption's "what if"). */
  without(podKeys: ReadonlySet<string>): Snapshot {
    const merged = new Set(podKeys);
    for (const k of this.excluded ?? []) merged.add(k);
    const rows = this.order.index;
    const touched = new Set(this.touched);
    const excludedPods = new Set(this.derived?.excludedPods);
    const removed: PlacedPod[] = [];
    const placed = this.overlay.all();
    for (const key of podKeys) {
      if (this.excluded?.has(key)) continue;
      const pod = this.view.pods.get(key);
      if (pod !== undefined) {
        excludedPods.add(pod);
        const nodeName = pod.spec.nodeName;
        const row = nodeName === undefined ? undefined : rows.get(nodeName);
        if (row !== undefined) {
          touched.add(row);
          if (podHoldsResources(pod)) removed.push({ pod, key, nodeName: nodeName as string });
        }
      }
      for (const p of placed) {
        if (p.key !== key) continue;
        excludedPods.add(p.pod);
        const row = rows.get(p.nodeName);
        if (row !== undefined) {
          touched.add(row);
          removed.push(p);
        }
      }
    }
    return new Snapshot(this.view, this.nodes, this.overlay, merged, { parent: this, touched, excludedPods, removed });
  }

  nodeInfo(node: Node): NodeInfo {
    const index = this.order.index.get(node.metadata.name);
    if (index !== undefined && this.nodes[index] === node) return this.nodeInfoAt(index);
    return this.buildInfo(node);
  }

  private buildInfo(node: Node, index?: number): NodeInfo {
    const columns = (this.extras.columns ??= new NodeColumns(16));
    return buildNodeInfo(node, this.podsOn(node.metadata.name, index), columns, columns.nextRow());
  }

  /** NodeInfo of `nodes[index]`, built at most once per cycle. */
  nodeInfoAt(index: number): NodeInfo {
    const node = this.nodes[index] as Node;
    if (this.plain || !this.touched.has(index)) return this.table.info(this.view, index, node);
    let info = this.infos.get(index);
    if (info === undefined) {
      info = this.buildInfo(node, index);
      this.infos.set(index, info);
    }
    return info;
  }

  /** Appends the NodeInfos of `size` nodes from `start` (wrapping around) to `out`. */
  nodeInfosInto(start: number, size: number, out: NodeInfo[]): void {
    if (this.plain) return this.table.infosInto(this.view, this.nodes, start, size, out);
    for (let k = 0, at = start; k < size; k++, at = at + 1 === this.nodes.length ? 0 : at + 1) out.push(this.nodeInfoAt(at));
  }

  nodeInfoByName(name: string): NodeInfo | undefined {
    const node = this.view.nodes.get(name);
    return node === undefined ? undefined : this.nodeInfo(node);
  }

  /** Every pod counted on a node (view + overlay, minus exclusions), key-sorted per node. */
  allPlacedPods(): readonly PlacedPod[] {
    if (this.placedCache !== undefined) return this.placedCache;
    const out: PlacedPod[] = [];
    for (let i = 0; i < this.nodes.length; i++) {
      const info = this.nodeInfoAt(i);
      for (const pod of info.pods) out.push({ pod, key: objectKey(pod.metadata), nodeName: info.name });
    }
    this.placedCache = out;
    return out;
  }

  /**
   * Calls `visit` for every pod counted on a node (view + overlay, minus exclusions), in the view's
   * order: for consumers that only count, this is far cheaper than walking every node.
   */
  forEachPlacedPod(visit: (pod: Pod, nodeName: string) => void): void {
    const excluded = this.excluded;
    for (const pod of this.view.pods.values()) {
      const nodeName = pod.spec.nodeName;
      if (nodeName === undefined || !podHoldsResources(pod) || !this.view.nodes.has(nodeName)) continue;
      if (excluded !== undefined && excluded.has(objectKey(pod.metadata))) continue;
      visit(pod, nodeName);
    }
    for (const placed of this.overlay.all()) if (excluded === undefined || !excluded.has(placed.key)) visit(placed.pod, placed.nodeName);
  }

  /**
   * Like forEachPlacedPod, restricted to pods of `namespace` that may match one of `selectors`:
   * when the view has a label index and every selector has matchLabels, only the pods of each
   * selector's rarest label are visited (a superset of the matches; callers still match).
   */
  forEachPlacedPodIn(namespace: string, selectors: readonly (LabelSelector | undefined)[], visit: (pod: Pod, nodeName: string) => void): void {
    const index = this.view.podsByLabel;
    const candidates = index === undefined ? undefined : candidateKeys(index, namespace, selectors);
    if (candidates === undefined) return this.forEachPlacedPod(visit);
    const excluded = this.excluded;
    for (const key of candidates) {
      const pod = this.view.pods.get(key);
      if (pod === undefined) continue;
      const nodeName = pod.spec.nodeName;
      if (nodeName === undefined || !podHoldsResources(pod) || !this.view.nodes.has(nodeName)) continue;
      if (excluded !== undefined && excluded.has(key)) continue;
      visit(pod, nodeName);
    }
    for (const placed of this.overlay.all()) if (excluded === undefined || !excluded.has(placed.key)) visit(placed.pod, placed.nodeName);
  }

  /**
   * The view's own pods on nodes[row] that hold resources (the pods its view-only NodeInfo holds,
   * in the view's order), without building the NodeInfo: for consumers that only count.
   */
  forEachViewPodOnRow(row: number, visit: (pod: Pod) => void): void {
    const keys = this.view.podsByNode.get((this.nodes[row] as Node).metadata.name);
    if (keys === undefined) return;
    for (const key of keys) {
      const pod = this.view.pods.get(key);
      if (pod !== undefined && podHoldsResources(pod)) visit(pod);
    }
  }

  /**
   * The view's own pods (no overlay, no exclusions) on a node of `nodes` that hold resources and may
   * match one of `selectors` (label index as in forEachPlacedPodIn; every pod without one), by row:
   * the pods the cross-cycle NodeInfo rows hold, restricted to candidates, in no particular order.
   */
  forEachViewPodRowIn(namespace: string, selectors: readonly (LabelSelector | undefined)[], visit: (pod: Pod, row: number) => void): void {
    const index = this.view.podsByLabel;
    const candidates = index === undefined ? undefined : candidateKeys(index, namespace, selectors);
    const rows = this.order.index;
    const consider = (pod: Pod): void => {
      const nodeName = pod.spec.nodeName;
      if (nodeName === undefined || !podHoldsResources(pod)) return;
      const row = rows.get(nodeName);
      if (row !== undefined) visit(pod, row);
    };
    if (candidates === undefined) {
      for (const pod of this.view.pods.values()) consider(pod);
      return;
    }
    for (const key of candidates) {
      const pod = this.view.pods.get(key);
      if (pod !== undefined) consider(pod);
    }
  }

  /**
   * forEachPlacedPodIn by node row (the index in `nodes`) instead of node name: spares consumers
   * that keep per-node data in arrays a lookup per pod. Pods on nodes outside `nodes` are skipped.
   */
  forEachPlacedPodRowIn(namespace: string, selectors: readonly (LabelSelector | undefined)[], visit: (pod: Pod, row: number) => void): void {
    const index = this.view.podsByLabel;
    const candidates = index === undefined ? undefined : candidateKeys(index, namespace, selectors);
    const rows = this.order.index;
    const excluded = this.excluded;
    const consider = (pod: Pod, key: string | undefined): void => {
      const nodeName = pod.spec.nodeName;
      if (nodeName === undefined || !podHoldsResources(pod)) return;
      const row = rows.get(nodeName);
      if (row === undefined || (excluded !== undefined && excluded.has(key ?? objectKey(pod.metadata)))) return;
      visit(pod, row);
    };
    if (candidates === undefined) {
      for (const pod of this.view.pods.values()) consider(pod, undefined);
    } else {
      for (const key of candidates) {
        const pod = this.view.pods.get(key);
        if (pod !== undefined) consider(pod, key);
      }
    }
    for (const placed of this.overlay.all()) {
      const row = rows.get(placed.nodeName);
      if (row !== undefined && (excluded === undefined || !excluded.has(placed.key))) visit(placed.pod, row);
    }
  }

  /**
   * A value derived from the node order and the nodes' labels alone (labels never change; a node
   * set change is a new order), computed once and kept while the order lives. Never for anything
   * that reads pods or mutable node fields (taints, readiness, cordon).
   */
  perNodeOrder<T>(key: string, compute: () => T): T {
    const memos = this.order.memos;
    if (memos.has(key)) return memos.get(key) as T;
    if (memos.size >= 256) memos.clear();
    const value = compute();
    memos.set(key, value);
    return value;
  }

  /**
   * The placed pods (on a node of `nodes`) that `parent` counts and this snapshot excludes: what a
   * `without` child lost. A pod both bound in the view and in the overlay appears twice, as it is
   * counted twice.
   */
  excludedSince(parent: Snapshot): readonly PlacedPod[] {
    if (this.derived !== undefined && this.derived.parent === parent) return this.derived.removed;
    const out: PlacedPod[] = [];
    if (this.excluded === undefined) return out;
    const rows = this.order.index;
    const placed = this.overlay.all();
    for (const key of this.excluded) {
      if (parent.excluded?.has(key)) continue;
      const pod = this.view.pods.get(key);
      const nodeName = pod?.spec.nodeName;
      if (pod !== undefined && nodeName !== undefined && podHoldsResources(pod) && rows.has(nodeName)) out.push({ pod, key, nodeName });
      for (const p of placed) if (p.key === key && rows.has(p.nodeName)) out.push(p);
    }
    return out;
  }

  /**
   * A plugin's cache kept across cycles for this node order and this view (created on first use;
   * the least recently used of more than 64 is dropped). The plugin must keep it current itself
   * (e.g. from the view's nodeChanges journal, see RowCounts).
   */
  perView<T>(key: string, create: () => T): T {
    let memos = this.order.viewMemos.get(this.view.podsByNode);
    if (memos === undefined) this.order.viewMemos.set(this.view.podsByNode, (memos = new Map()));
    if (memos.has(key)) {
      const value = memos.get(key) as T;
      memos.delete(key);
      memos.set(key, value);
      return value;
    }
    if (memos.size >= 64) memos.delete(memos.keys().next().value as string);
    const value = create();
    memos.set(key, value);
    return value;
  }

  /** The NodeInfo of nodes[index] from the view alone (no overlay pods, no exclusions). */
  viewNodeInfoAt(index: number): NodeInfo {
    return this.table.info(this.view, index, this.nodes[index] as Node);
  }

  /** True when pods are excluded (a preemption "what if"). */
  hasExclusions(): boolean {
    return this.excluded !== undefined;
  }

  /** The overlay's pods (assumed and nominated) on nodes of `nodes`, when nothing is excluded. */
  overlayPods(): readonly PlacedPod[] {
    return this.overlay.all();
  }

  /** An empty verdict table for this snapshot's nodes (a cycle's statuses, kept by row). */
  newNodeStatuses(): NodeStatuses {
    return new NodeStatuses(this.order.names, this.order.index);
  }

  /** nodes[row].metadata.name by row (one array per node order). */
  nodeNames(): readonly string[] {
    return this.order.names;
  }

  /** Row of a node name in `nodes` (undefined: not in this snapshot). */
  rowOf(nodeName: string): number | undefined {
    return this.order.index.get(nodeName);
  }

  /** Placed pods that carry pod (anti)-affinity terms: one cheap pass over the view's pods. */
  placedPodsWithPodAffinity(): readonly PlacedPod[] {
    if (this.affinityCache !== undefined) return this.affinityCache;
    const out: PlacedPod[] = [];
    const consider = (pod: Pod, key: string | undefined): void => {
      const a = pod.spec.affinity;
      if (a === undefined || (a.podAffinity === undefined && a.podAntiAffinity === undefined)) return;
      const nodeName = pod.spec.nodeName;
      if (nodeName === undefined || !podHoldsResources(pod) || !this.view.nodes.has(nodeName)) return;
      const k = key ?? objectKey(pod.metadata);
      if (!this.excluded?.has(k)) out.push({ pod, key: k, nodeName });
    };
    const index = this.view.podKeysWithPodAffinity;
    if (index !== undefined) {
      for (const key of index) {
        const pod = this.view.pods.get(key);
        if (pod !== undefined) consider(pod, key);
      }
    } else {
      for (const pod of this.view.pods.values()) consider(pod, undefined);
    }
    for (const placed of this.overlay.all()) {
      const a = placed.pod.spec.affinity;
      if (a === undefined || (a.podAffinity === undefined && a.podAntiAffinity === undefined)) continue;
      if (!this.excluded?.has(placed.key)) out.push(placed);
    }
    // Order is the view's (deterministic); consumers only count.
    this.affinityCache = out;
    return out;
  }

  /**
   * The pods counted on a node: the view's (key order) then the overlay's, minus exclusions. A
   * `without` child filters its parent's list for a node of the order (same order, no lookups).
   */
  private podsOn(nodeName: string, index?: number): Pod[] {
    const derived = this.derived;
    if (derived !== undefined && index !== undefined) {
      const gone = derived.excludedPods;
      return derived.parent.nodeInfoAt(index).pods.filter((p) => !gone.has(p));
    }
    const out: Pod[] = [];
    const keys = this.view.podsByNode.get(nodeName);
    if (keys !== undefined && keys.size > 0) {
      const sorted = keys.size === 1 ? [...keys] : [...keys].sort();
      for (const key of sorted) {
        if (this.excluded?.has(key)) continue;
        const pod = this.view.pods.get(key);
        if (pod !== undefined && podHoldsResources(pod)) out.push(pod);
      }
    }
    for (const pod of this.overlay.podsOn(nodeName)) {
      if (!this.excluded?.has(objectKey(pod.metadata))) out.push(pod);
    }
    return out;
  }
}

const noRows: ReadonlySet<number> = new Set();

/** How a `without` snapshot relates to the one it came from. */
interface Derivation {
  readonly parent: Snapshot;
  /** Rows whose NodeInfo differs from the cross-cycle cache (overlay or excluded pods). */
  readonly touched: ReadonlySet<number>;
  /** The excluded pod objects (view and overlay), for filtering the parent's per-node lists. */
  readonly excludedPods: ReadonlySet<Pod>;
  /** Placed pods the parent counts and this snapshot does not. */
  readonly removed: readonly PlacedPod[];
}

function touchedRows(view: SchedulingView, index: ReadonlyMap<string, number>, overlay: PodOverlay, excluded: ReadonlySet<string> | undefined): Set<number> {
  const rows = new Set<number>();
  const add = (nodeName: string | undefined): void => {
    const row = nodeName === undefined ? undefined : index.get(nodeName);
    if (row !== undefined) rows.add(row);
  };
  const placed = overlay.all();
  for (const p of placed) add(p.nodeName);
  for (const key of excluded ?? []) {
    add(view.pods.get(key)?.spec.nodeName);
    for (const p of placed) if (p.key === key) add(p.nodeName);
  }
  return rows;
}

/** Per node order: name → index, and the cross-cycle NodeInfo tables (per view). */
interface NodeOrder {
  readonly index: ReadonlyMap<string, number>;
  /** nodes[row].metadata.name by row. */
  readonly names: readonly string[];
  readonly tables: WeakMap<object, NodeTable>;
  readonly memos: Map<string, unknown>;
  readonly viewMemos: WeakMap<object, Map<string, unknown>>;
}

const orders = new WeakMap<readonly Node[], NodeOrder>();

function orderFor(nodes: readonly Node[]): NodeOrder {
  let order = orders.get(nodes);
  if (order === undefined) {
    order = { index: new Map(nodes.map((n, i) => [n.metadata.name, i])), names: nodes.map((n) => n.metadata.name), tables: new WeakMap(), memos: new Map(), viewMemos: new WeakMap() };
    orders.set(nodes, order);
  }
  return order;
}

interface NodeOrderCache {
  seen: Node[];
  ordered: Node[];
  version: number | undefined;
}

const orderCache = new WeakMap<object, NodeOrderCache>();

/**
 * Nodes in upstream nodeTree order: round-robin over zones (sorted), names sorted within a zone.
 * Cached per nodes-map; revalidated each call by one pass comparing node identities.
 */
export function orderedNodes(nodes: ReadonlyMap<string, Node>, nodesVersion?: number): readonly Node[] {
  const cached = orderCache.get(nodes);
  if (cached !== undefined) {
    // With a version counter from the view, an unchanged version means an unchanged node set.
    if (nodesVersion !== undefined && cached.version === nodesVersion) return cached.ordered;
    if (sameNodes(cached.seen, nodes)) {
      cached.version = nodesVersion;
      return cached.ordered;
    }
  }
  const seen = [...nodes.values()];
  const ordered = nodeTreeOrder(seen);
  orderCache.set(nodes, { seen, ordered, version: nodesVersion });
  return ordered;
}

function sameNodes(seen: readonly Node[], nodes: ReadonlyMap<string, Node>): boolean {
  if (seen.length !== nodes.size) return false;
  let i = 0;
  for (const node of nodes.values()) if (seen[i++] !== node) return false;
  return true;
}

function zoneKey(node: Node): string {
  const labels = node.metadata.labels;
  return `${labels["topology.kubernetes.io/region"] ?? ""}:\u0000:${labels["topology.kubernetes.io/zone"] ?? ""}`;
}

export function nodeTreeOrder(nodes: readonly Node[]): Node[] {
  const byZone = new Map<string, Node[]>();
  for (const node of nodes) {
    const zone = zoneKey(node);
    let list = byZone.get(zone);
    if (list === undefined) byZone.set(zone, (list = []));
    list.push(node);
  }
  const zones = [...byZone.keys()].sort();
  const lists = zones.map((z) => (byZone.get(z) as Node[]).sort((a, b) => compareStrings(a.metadata.name, b.metadata.name)));
  const out: Node[] = [];
  for (let i = 0; out.length < nodes.length; i++) {
    for (const list of lists) if (i < list.length) out.push(list[i] as Node);
  }
  return out;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Keys of pods that may match any selector (the rarest matchLabels entry each); undefined: scan.
 * A single contributing selector hands back the index's own set (read only, never copied).
 */
function candidateKeys(
  index: ReadonlyMap<string, ReadonlySet<string>>,
  namespace: string,
  selectors: readonly (LabelSelector | undefined)[],
): ReadonlySet<string> | undefined {
  const sets: ReadonlySet<string>[] = [];
  for (const selector of selectors) {
    if (selector === undefined) continue;
    const labels = selector.matchLabels;
    if (labels === undefined || Object.keys(labels).length === 0) return undefined;
    let smallest: ReadonlySet<string> | undefined;
    let empty = false;
    for (const key in labels) {
      const keys = index.get(labelIndexKey(namespace, key, labels[key] as string));
      if (keys === undefined) {
        empty = true;
        break;
      }
      if (smallest === undefined || keys.size < smallest.size) smallest = keys;
    }
    if (!empty && smallest !== undefined) sets.push(smallest);
  }
  if (sets.length === 1) return sets[0];
  const out = new Set<string>();
  for (const set of sets) for (const k of set) out.add(k);
  return out;
}
