/**
 * The per-cycle snapshot: the cluster's nodes in upstream's node-tree order (zones interleaved,
 * names sorted within a zone) and lazily built NodeInfos. Pods the scheduler has assumed (bound
 * by a decision the view has not applied yet) and nominated pods come from an overlay, and
 * preemption's dry runs exclude victims; neither touches the view.
 */
import { objectKey, type Node, type Pod } from "../../model/objects.ts";
import { podHoldsResources } from "../../model/resources.ts";
import type { PolicyObjectsView } from "../../model/scheduling-objects.ts";
import type { ClusterView } from "../../model/view.ts";
import { buildNodeInfo, type NodeInfo } from "./node-info.ts";

export type SchedulingView = ClusterView & Partial<PolicyObjectsView>;

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

const emptyOverlay: PodOverlay = { podsOn: () => [], all: () => [] };

export class Snapshot {
  readonly view: SchedulingView;
  readonly nodes: readonly Node[];
  private readonly overlay: PodOverlay;
  private readonly excluded: ReadonlySet<string> | undefined;
  private readonly infos = new Map<string, NodeInfo>();
  private placedCache: PlacedPod[] | undefined;
  private affinityCache: PlacedPod[] | undefined;

  constructor(view: SchedulingView, nodes: readonly Node[], overlay: PodOverlay = emptyOverlay, excluded?: ReadonlySet<string>) {
    this.view = view;
    this.nodes = nodes;
    this.overlay = overlay;
    this.excluded = excluded;
  }

  /** A snapshot of the same cycle with these pods gone (preemption's "what if"). */
  without(podKeys: ReadonlySet<string>): Snapshot {
    const merged = new Set(podKeys);
    for (const k of this.excluded ?? []) merged.add(k);
    return new Snapshot(this.view, this.nodes, this.overlay, merged);
  }

  nodeInfo(node: Node): NodeInfo {
    const name = node.metadata.name;
    let info = this.infos.get(name);
    if (info === undefined) {
      info = buildNodeInfo(node, this.podsOn(name));
      this.infos.set(name, info);
    }
    return info;
  }

  nodeInfoByName(name: string): NodeInfo | undefined {
    const node = this.view.nodes.get(name);
    return node === undefined ? undefined : this.nodeInfo(node);
  }

  /** Every pod counted on a node (view + overlay, minus exclusions), key-sorted per node. */
  allPlacedPods(): readonly PlacedPod[] {
    if (this.placedCache !== undefined) return this.placedCache;
    const out: PlacedPod[] = [];
    for (const node of this.nodes) {
      const name = node.metadata.name;
      for (const pod of this.podsOn(name)) out.push({ pod, key: objectKey(pod.metadata), nodeName: name });
    }
    this.placedCache = out;
    return out;
  }

  /** Placed pods that carry pod (anti-)affinity terms: one cheap pass over the view's pods. */
  placedPodsWithPodAffinity(): readonly PlacedPod[] {
    if (this.affinityCache !== undefined) return this.affinityCache;
    const out: PlacedPod[] = [];
    for (const [key, pod] of this.view.pods) {
      const a = pod.spec.affinity;
      if (a === undefined || (a.podAffinity === undefined && a.podAntiAffinity === undefined)) continue;
      const nodeName = pod.spec.nodeName;
      if (nodeName === undefined || !podHoldsResources(pod) || this.excluded?.has(key)) continue;
      if (!this.view.nodes.has(nodeName)) continue;
      out.push({ pod, key, nodeName });
    }
    for (const placed of this.overlay.all()) {
      const a = placed.pod.spec.affinity;
      if (a === undefined || (a.podAffinity === undefined && a.podAntiAffinity === undefined)) continue;
      if (!this.excluded?.has(placed.key)) out.push(placed);
    }
    out.sort((x, y) => compareStrings(x.key, y.key));
    this.affinityCache = out;
    return out;
  }

  private podsOn(nodeName: string): Pod[] {
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

interface NodeOrderCache {
  seen: Node[];
  ordered: Node[];
}

const orderCache = new WeakMap<object, NodeOrderCache>();

/**
 * Nodes in upstream nodeTree order: round-robin over zones (sorted), names sorted within a zone.
 * Cached per nodes-map; revalidated each call by one pass comparing node identities.
 */
export function orderedNodes(nodes: ReadonlyMap<string, Node>): readonly Node[] {
  const cached = orderCache.get(nodes);
  if (cached !== undefined && sameNodes(cached.seen, nodes)) return cached.ordered;
  const seen = [...nodes.values()];
  const ordered = nodeTreeOrder(seen);
  orderCache.set(nodes, { seen, ordered });
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
