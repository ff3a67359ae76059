/**
 * The cross-cycle NodeInfo cache of one node order and one view: row i holds the NodeInfo of
 * nodes[i] built from the view alone (no assumed pods, no exclusions), reused while nothing it was
 * built from changed.
 *
 * With the view's nodeChanges journal, the table reads the journal entries added since it last
 * looked and drops those nodes' rows; a visit then costs one array read. Without it, each visit
 * revalidates through podsVersionByNode or by walking the node's pod keys, and re-reads the node
 * flags from the live node (in-place node changes are invisible otherwise).
 *
 * Invariants: the journal only moves forward (asserted on each catch-up); a cached row equals a
 * row built from scratch (asserted by `verify`, run in recount cycles); NodeInfos read a row only
 * while its generation is theirs (node-info.ts).
 */
import { assert } from "../../model/assert.ts";
import type { Node, Pod } from "../../model/objects.ts";
import { podHoldsResources } from "../../model/resources.ts";
import type { ClusterView } from "../../model/view.ts";
import { buildNodeInfo, NodeColumns, refreshNodeFlags, type NodeInfo } from "./node-info.ts";

/** What a NodeInfo was built from, for views without the journal. */
interface BuiltFrom {
  /** podsVersionByNode entry when built (undefined: the view has no such index). */
  readonly version: number | undefined;
  readonly keySet: ReadonlySet<string> | undefined;
  readonly keys: readonly string[];
  readonly pods: readonly (Pod | undefined)[];
  readonly holds: readonly boolean[];
}

export class NodeTable {
  readonly columns: NodeColumns;
  private readonly index: ReadonlyMap<string, number>;
  private readonly infos: (NodeInfo | undefined)[];
  private readonly builtFrom: (BuiltFrom | undefined)[];
  /** Journal position read up to; -1 when rows were built without the journal. */
  private journalSeen = -1;

  /** `index`: node name → row (the order this table belongs to). */
  constructor(index: ReadonlyMap<string, number>) {
    const size = index.size;
    this.index = index;
    this.columns = new NodeColumns(size);
    this.infos = new Array<NodeInfo | undefined>(size).fill(undefined);
    this.builtFrom = new Array<BuiltFrom | undefined>(size).fill(undefined);
  }

  /** The view-only NodeInfo of `node` (at `index` of the order this table belongs to). */
  info(view: ClusterView, index: number, node: Node): NodeInfo {
    const journal = view.nodeChanges;
    if (journal !== undefined) {
      if (journal.start + journal.names.length !== this.journalSeen) this.catchUp(view);
      return this.infos[index] ?? this.build(view, index, node);
    }
    if (this.journalSeen !== -1) this.dropAll();
    const info = this.infos[index];
    if (info !== undefined && info.node === node && this.stillValid(view, index)) {
      refreshNodeFlags(this.columns, index, node);
      return info;
    }
    return this.build(view, index, node);
  }

  /** Appends the view-only NodeInfos of `size` rows from `start` (wrapping around) to `out`. */
  infosInto(view: ClusterView, nodes: readonly Node[], start: number, size: number, out: NodeInfo[]): void {
    const journal = view.nodeChanges;
    if (journal === undefined) {
      for (let k = 0, at = start; k < size; k++, at = at + 1 === nodes.length ? 0 : at + 1) out.push(this.info(view, at, nodes[at] as Node));
      return;
    }
    if (journal.start + journal.names.length !== this.journalSeen) this.catchUp(view);
    const infos = this.infos;
    for (let k = 0, at = start; k < size; k++, at = at + 1 === nodes.length ? 0 : at + 1) out.push(infos[at] ?? this.build(view, at, nodes[at] as Node));
  }

  /** Drops the rows of nodes journaled since the last look (all rows if the journal moved past us). */
  private catchUp(view: ClusterView): void {
    const journal = view.nodeChanges;
    if (journal === undefined) return;
    const end = journal.start + journal.names.length;
    assert(this.journalSeen === -1 || end >= this.journalSeen, `nodeChanges journal went back: end ${end} after ${this.journalSeen}`);
    const from = this.journalSeen - journal.start;
    if (this.journalSeen === -1 || from < 0) this.dropAll();
    else {
      const names = journal.names;
      for (let i = from; i < names.length; i++) {
        const row = this.index.get(names[i] as string);
        if (row !== undefined) this.infos[row] = undefined;
      }
    }
    this.journalSeen = journal.start + journal.names.length;
  }

  /** Recount mode: every cached row holds what a fresh build from the view would hold. */
  verify(view: ClusterView, nodes: readonly Node[]): void {
    if (view.nodeChanges !== undefined) this.catchUp(view);
    const scratch = new NodeColumns(1);
    for (let row = 0; row < this.infos.length; row++) {
      const info = this.infos[row];
      if (info === undefined) continue;
      const node = nodes[row] as Node;
      if (view.nodeChanges === undefined && !(info.node === node && this.stillValid(view, row))) continue; // would be rebuilt on the next visit
      assert(info.node === node, `NodeTable row ${row}: cached node object ${info.name} is not the view's`);
      const fresh = buildNodeInfo(node, viewPodsOn(view, node.metadata.name), scratch, 0);
      assert(
        fresh.pods.length === info.pods.length && fresh.pods.every((p, i) => p === info.pods[i]),
        `NodeTable row ${row} (${info.name}): cached pods [${info.pods.length}] differ from the view's [${fresh.pods.length}]`,
      );
      for (const field of ["requestedCpuMilli", "requestedMemory", "nonZeroCpuMilli", "nonZeroMemory", "allocatableCpuMilli", "allocatableMemory", "allocatablePods", "podCount", "unschedulable", "tainted", "readyTrue"] as const) {
        assert(info[field] === fresh[field], `NodeTable row ${row} (${info.name}): ${field} cached ${info[field]}, recounted ${fresh[field]}`);
      }
    }
  }

  private dropAll(): void {
    this.infos.fill(undefined);
    this.builtFrom.fill(undefined);
    this.journalSeen = -1;
  }

  private stillValid(view: ClusterView, index: number): boolean {
    const from = this.builtFrom[index];
    if (from === undefined) return false;
    const name = (this.infos[index] as NodeInfo).name;
    const versions = view.podsVersionByNode;
    if (versions !== undefined && from.version !== undefined) return from.version === (versions.get(name) ?? 0);
    const keySet = from.keySet;
    if (keySet === undefined) return !view.podsByNode.has(name);
    if (keySet.size !== from.keys.length) return false;
    let i = 0;
    for (const key of keySet) {
      if (key !== from.keys[i]) return false;
      const pod = view.pods.get(key);
      if (pod !== from.pods[i]) return false;
      if ((pod !== undefined && podHoldsResources(pod)) !== from.holds[i]) return false;
      i++;
    }
    return true;
  }

  private build(view: ClusterView, index: number, node: Node): NodeInfo {
    const name = node.metadata.name;
    const keySet = view.podsByNode.get(name);
    const keys = keySet === undefined ? [] : [...keySet];
    const pods = keys.map((k) => view.pods.get(k));
    const holds = pods.map((p) => p !== undefined && podHoldsResources(p));
    const placed: Pod[] = [];
    const byKey = keys.map((_, i) => i).sort((a, b) => compareKeys(keys[a] as string, keys[b] as string));
    for (const i of byKey) if (holds[i]) placed.push(pods[i] as Pod);
    const info = buildNodeInfo(node, placed, this.columns, index);
    this.infos[index] = info;
    if (view.nodeChanges === undefined) {
      const versions = view.podsVersionByNode;
      const version = versions === undefined ? undefined : (versions.get(name) ?? 0);
      this.builtFrom[index] = { version, keySet, keys, pods, holds };
    }
    return info;
  }
}

/** The pods of a node that hold resources, in key order, straight from the view. */
function viewPodsOn(view: ClusterView, name: string): Pod[] {
  const keys = [...(view.podsByNode.get(name) ?? [])].sort(compareKeys);
  const out: Pod[] = [];
  for (const key of keys) {
    const pod = view.pods.get(key);
    if (pod !== undefined && podHoldsResources(pod)) out.push(pod);
  }
  return out;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
