/**
 * What the summary tells about lost nodes, per zone: how many nodes stopped being Ready, when the
 * node lifecycle controller's rate-limited queue gave them their NoExecute taints (first and last:
 * the zone's eviction rate at work), and how many pods the taint eviction controller deleted.
 * Fed every applied event by the run observer; the zone is the node's topology.kubernetes.io/zone.
 */
import type { ClusterEvent } from "../../model/cluster-event.ts";
import { taintNodeNotReady, taintNodeUnreachable } from "../../model/node-taints.ts";
import { nodeZone } from "../../model/objects.ts";
import type { ClusterState } from "../../model/state.ts";
import type { Ms } from "../../model/units.ts";
import type { ZoneNodeLoss } from "../../log/summary-sections.ts";
export type { ZoneNodeLoss };


export class NodeLossObservations {
  private readonly lost = new Map<string, Set<string>>();
  private readonly tainted = new Map<string, Set<string>>();
  private readonly noExecuteNow = new Set<string>();
  private readonly zones = new Map<string, ZoneNodeLoss>();

  /** Called after `event` was applied to `state`. */
  onApplied(state: ClusterState, event: ClusterEvent, atMs: Ms): void {
    if (event.kind === "NodeReadyChanged" && event.ready !== "True") this.add(this.lost, state, event.name);
    else if (event.kind === "NodeTaintsChanged") this.onTaints(state, event.name, event.taints.some(isControllerNoExecute), atMs);
    else if (event.kind === "PodDeleting" && event.reason === "DeletionByTaintManager") {
      const node = state.pods.get(event.key)?.spec.nodeName;
      if (node !== undefined) this.zoneOf(state, node).podsEvicted++;
    }
  }

  private onTaints(state: ClusterState, node: string, hasNoExecute: boolean, atMs: Ms): void {
    if (!hasNoExecute) {
      this.noExecuteNow.delete(node);
      return;
    }
    if (this.noExecuteNow.has(node)) return;
    this.noExecuteNow.add(node);
    const zone = this.zoneOf(state, node);
    this.add(this.tainted, state, node);
    zone.firstTaintMs ??= atMs;
    zone.lastTaintMs = atMs;
  }

  private add(sets: Map<string, Set<string>>, state: ClusterState, node: string): void {
    const zone = this.zoneOf(state, node);
    const set = sets.get(zone.zone) ?? new Set<string>();
    set.add(node);
    sets.set(zone.zone, set);
    zone.nodesLost = this.lost.get(zone.zone)?.size ?? 0;
    zone.nodesTainted = this.tainted.get(zone.zone)?.size ?? 0;
  }

  private zoneOf(state: ClusterState, node: string): ZoneNodeLoss {
    const n = state.nodes.get(node);
    const name = n === undefined ? "" : nodeZone(n);
    let z = this.zones.get(name);
    if (z === undefined) {
      z = { zone: name, nodesLost: 0, nodesTainted: 0, firstTaintMs: null, lastTaintMs: null, podsEvicted: 0 };
      this.zones.set(name, z);
    }
    return z;
  }

  /** Zones in name order; a zone appears once one of its nodes was lost or tainted. */
  summary(): ZoneNodeLoss[] {
    return [...this.zones.keys()].sort().map((k) => ({ ...(this.zones.get(k) as ZoneNodeLoss) }));
  }
}

function isControllerNoExecute(t: { key: string; effect: string }): boolean {
  return t.effect === "NoExecute" && (t.key === taintNodeUnreachable || t.key === taintNodeNotReady);
}
