/**
 * The cross-cycle NodeInfo cache of one node order and one view: row i holds the NodeInfo of
 * nodes[i] built from the view alone (no assumed pods, no exclusions), reused while nothing it was
 * built from changed. With the view's nodeVersionCells the check is two field reads per visit;
 * without them it falls back to podsVersionByNode, or to walking the node's pod keys, and then
 * re-reads the node flags from the live node on every visit (in-place node changes are invisible
 * otherwise).
 */
import type { Node, Pod } from "../../model/objects.ts";
import { podHoldsResources } from "../../model/resources.ts";
import type { NodeVersionCell } from "../../model/scheduling-objects.ts";
import type { ClusterView } from "../../model/view.ts";
import { buildNodeInfo, NodeColumns, refreshNodeFlags, type NodeInfo } from "./node-info.ts";

/** What a NodeInfo was built from, for views without nodeVersionCells. */
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
  private readonly infos: (NodeInfo | undefined)[];
  private readonly cells: (NodeVersionCell | undefined)[];
  private readonly podsVersions: Float64Array;
  private readonly nodeVersions: Float64Array;
  private readonly builtFrom: (BuiltFrom | undefined)[];

  constructor(size: number) {
    this.columns = new NodeColumns(size);
    this.infos = new Array<NodeInfo | undefined>(size).fill(undefined);
    this.cells = new Array<NodeVersionCell | undefined>(size).fill(undefined);
    this.podsVersions = new Float64Array(size);
    this.nodeVersions = new Float64Array(size);
    this.builtFrom = new Array<BuiltFrom | undefined>(size).fill(undefined);
  }

  /** The view-only NodeInfo of `node` (at `index` of the order this table belongs to). */
  info(view: ClusterView, index: number, node: Node): NodeInfo {
    const info = this.infos[index];
    const cell = this.cells[index];
    if (info !== undefined && cell !== undefined) {
      if (cell.podsVersion === this.podsVersions[index] && cell.nodeVersion === this.nodeVersions[index] && info.node === node) return info;
      return this.build(view, index, node);
    }
    if (info !== undefined && info.node === node && this.stillValid(view, index)) {
      refreshNodeFlags(this.columns, index, node);
      return info;
    }
    return this.build(view, index, node);
  }

  private stillValid(view: ClusterView, index: number): boolean {
    const from = this.builtFrom[index];
    if (from === undefined) return false;
    const versions = view.podsVersionByNode;
    if (versions !== undefined && from.version !== undefined) return from.version === (versions.get((this.infos[index] as NodeInfo).name) ?? 0);
    const keySet = from.keySet;
    if (keySet === undefined) return !view.podsByNode.has((this.infos[index] as NodeInfo).name);
    const n = keySet.size;
    if (n !== from.keys.length) return false;
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
    const cell = view.nodeVersionCells?.get(name);
    // Counters are read before the pods: the view cannot change during a cycle anyway.
    const version = cell === undefined ? view.podsVersionByNode?.get(name) ?? (view.podsVersionByNode === undefined ? undefined : 0) : undefined;
    const keySet = view.podsByNode.get(name);
    const keys = keySet === undefined ? [] : [...keySet];
    const pods = keys.map((k) => view.pods.get(k));
    const holds = pods.map((p) => p !== undefined && podHoldsResources(p));
    const placed: Pod[] = [];
    const byKey = keys.map((_, i) => i).sort((a, b) => compareKeys(keys[a] as string, keys[b] as string));
    for (const i of byKey) if (holds[i]) placed.push(pods[i] as Pod);
    const info = buildNodeInfo(node, placed, this.columns, index);
    this.infos[index] = info;
    this.cells[index] = cell;
    if (cell !== undefined) {
      this.podsVersions[index] = cell.podsVersion;
      this.nodeVersions[index] = cell.nodeVersion;
      this.builtFrom[index] = undefined;
    } else {
      this.builtFrom[index] = { version, keySet, keys, pods, holds };
    }
    return info;
  }
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
