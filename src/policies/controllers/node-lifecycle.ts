/**
 * Node lifecycle controller (upstream pkg/controller/nodelifecycle) and taint-based eviction
 * (pkg/controller/tainteviction), as one pure pass over the view:
 *  - health: a node whose lease was not renewed within node-monitor-grace-period becomes
 *    Ready=Unknown and its pods are marked not ready (MarkPodsNotReady); a renewed lease makes it
 *    Ready again (standing in for the kubelet's own status update);
 *  - TaintNodesByCondition (doNoScheduleTaintingPass): `not-ready` / `unreachable` NoSchedule for
 *    Ready=False / Unknown and `unschedulable` NoSchedule for a cordoned node;
 *  - taint-based eviction (doNoExecuteTaintingPass): `not-ready` / `unreachable` NoExecute, added
 *    through each zone's rate-limited queue (zone-disruption.ts: zone states, 0.1 nodes/s, 0.01/s
 *    or none in a partially disrupted zone, none at all when every zone is fully disrupted);
 *  - the taint eviction controller (processPodOnNode): a pod that does not tolerate every NoExecute
 *    taint of its node is deleted at once; one that does is deleted after the smallest
 *    tolerationSeconds of the tolerations used (none set: never), counted from when it was first
 *    exposed (the taint's timeAdded, or the bind if later).
 * Status and NoSchedule taints change in ONE PatchNode, based on the node version read, so the
 * scheduler can never see the Unknown condition without its NoSchedule taint.
 * Health is judged as upstream's nodeHealthMap does: the controller notes, on its own clock, when it
 * last saw the node's Lease renew time change (probe time), so a lease written late by a slow
 * control plane counts from when it was seen.
 * In the one controller pattern (../controller.ts): key "tick" every node-monitor-period, key
 * "taint" when a zone's limiter next has a token for a queued node (upstream serves the queues
 * every 100 ms), key "evictions" when the next tolerated NoExecute taint runs out.
 */
import type { Decision } from "../../model/decision.ts";
import { controllerTaintKeys, readyTaintKey, taintNodeNotReady, taintNodeUnreachable, taintNodeUnschedulable } from "../../model/node-taints.ts";
import { nodeLeaseNamespace, type ConditionStatus, type Node, type Pod, type Taint, type Toleration } from "../../model/objects.ts";
import { reconciled, type Controller } from "../controller.ts";
import type { ClusterView } from "../../model/view.ts";
import type { Ms } from "../../model/units.ts";
import { toleratesTaint } from "../scheduling/tolerations.ts";
import {
  defaultZoneDisruptionParams,
  excludeDisruptionLabel,
  handleDisruption,
  markForTainting,
  newZoneTainter,
  nextServeMs,
  serveQueue,
  unmark,
  zoneKeyOf,
  type ZoneDisruptionParams,
  type ZoneTable,
  type ZoneTainter,
} from "./zone-disruption.ts";

export interface NodeLifecycleParams extends ZoneDisruptionParams {
  nodeMonitorGraceMs: Ms;
  nodeMonitorPeriodMs: Ms;
}

/** node name → when the controller last saw its lease renewed (its probe time). */
export type LeaseTable = ReadonlyMap<string, Ms>;

interface NodeHealth {
  probeMs: Ms;
  renewTimeMs: Ms;
}

export interface NodeLifecycleState {
  health: Map<string, NodeHealth>;
  /** Per zone key: its state, its tainting limiter and queue (zone-disruption.ts). */
  zones: ZoneTable;
  /** When the next "tick" runs: timers due later are left to it. */
  nextTickMs: Ms;
  /** The "evictions" / "taint" timers already set, and when they fire (one timer per moment). */
  armedMs: Map<string, Ms>;
}

/** Sets the key's timer for `atMs` unless the next tick comes first or that timer is already set. */
function arm(state: NodeLifecycleState, key: string, atMs: Ms, nowMs: Ms, out: { key: string; afterMs: Ms }[]): void {
  if (atMs >= state.nextTickMs || atMs === Infinity) return;
  const armed = state.armedMs.get(key);
  if (armed !== undefined && armed >= nowMs && armed <= atMs) return;
  state.armedMs.set(key, atMs);
  out.push({ key, afterMs: Math.max(0, atMs - nowMs) });
}

/** Updates each node's probe time from its Lease (tryUpdateNodeHealth) and answers the table. */
export function observeLeases(view: ClusterView, state: NodeLifecycleState, nowMs: Ms): LeaseTable {
  const table = new Map<string, Ms>();
  for (const [name, node] of view.nodes) {
    const lease = view.leases.get(`${nodeLeaseNamespace}/${name}`);
    let h = state.health.get(name);
    if (h === undefined) {
      h = { probeMs: Math.max(node.metadata.creationMs, lease?.spec.renewTimeMs ?? node.metadata.creationMs), renewTimeMs: lease?.spec.renewTimeMs ?? -1 };
      state.health.set(name, h);
    } else if (lease !== undefined && lease.spec.renewTimeMs > h.renewTimeMs) {
      h.probeMs = nowMs;
      h.renewTimeMs = lease.spec.renewTimeMs;
    }
    table.set(name, h.probeMs);
  }
  for (const name of [...state.health.keys()]) if (!view.nodes.has(name)) state.health.delete(name);
  return table;
}

export const tickKey = "tick";
export const evictionsKey = "evictions";
/** A zone's limiter has a token for a queued node. */
export const taintKey = "taint";

export function nodeLifecycleController(params: NodeLifecycleParams): Controller<NodeLifecycleState> {
  return {
    name: "nodelifecycle",
    initialState: () => ({ health: new Map(), zones: new Map(), nextTickMs: params.nodeMonitorPeriodMs, armedMs: new Map() }),
    initialRequeue: () => [{ key: tickKey, afterMs: params.nodeMonitorPeriodMs }],
    observe: (_view, state) => ({ state, keys: [] }),
    reconcile(view, state, key, nowMs) {
      state.armedMs.delete(key);
      const pass =
        key === tickKey
          ? monitorNodes(view, observeLeases(view, state, nowMs), nowMs, params, state.zones)
          : taintingPass(view, nowMs, state.zones, key === taintKey);
      for (const name of pass.resetProbes ?? []) (state.health.get(name) as NodeHealth).probeMs = nowMs;
      const requeue: { key: string; afterMs: Ms }[] = [];
      if (key === tickKey) {
        state.nextTickMs = nowMs + params.nodeMonitorPeriodMs;
        requeue.push({ key: tickKey, afterMs: params.nodeMonitorPeriodMs });
      }
      arm(state, evictionsKey, pass.nextEvictionMs, nowMs, requeue);
      arm(state, taintKey, pass.nextTaintMs, nowMs, requeue);
      return reconciled(state, pass.decisions, requeue);
    },
    // a failed taint write leaves the node marked but untainted: the next pass queues it again
    onResult: (_view, state) => reconciled(state),
  };
}

export interface NodeLifecyclePass {
  decisions: Decision[];
  /** The earliest moment a tolerated NoExecute taint runs out for some pod (Infinity: none pending). */
  nextEvictionMs: Ms;
  /** When some zone's limiter can next taint a queued node (Infinity: nothing queued or stopped). */
  nextTaintMs: Ms;
  /** Nodes whose probe time is reset to now (leaving master disruption mode). */
  resetProbes?: string[];
}

/** What one node should look like after the pass: its Ready status and the NoExecute taint it keeps or gets. */
interface NodePlan {
  node: Node;
  ready: ConditionStatus;
  noExecuteKey: string | undefined;
}

/**
 * monitorNodeHealth + handleDisruption + doNoExecuteTaintingPass + the taint eviction controller,
 * in one pass: each node's Ready status from its lease, NoSchedule taints at once, NoExecute taints
 * through the zone's rate-limited queue (swapped at once between not-ready and unreachable), the
 * zone states, then the pods whose toleration ran out.
 */
export function monitorNodes(view: ClusterView, leases: LeaseTable, nowMs: Ms, params: Pick<NodeLifecycleParams, "nodeMonitorGraceMs"> & Partial<ZoneDisruptionParams>, zones: ZoneTable = new Map()): NodeLifecyclePass {
  const p: ZoneDisruptionParams = { ...defaultZoneDisruptionParams, ...params };
  const plans = new Map<string, NodePlan>();
  const readyByZone = new Map<string, ConditionStatus[]>();
  for (const name of [...view.nodes.keys()].sort()) {
    const node = view.nodes.get(name) as Node;
    const renewedMs = leases.get(name) ?? node.metadata.creationMs;
    const ready: ConditionStatus = nowMs - renewedMs > params.nodeMonitorGraceMs ? (node.status.ready === "True" ? "Unknown" : node.status.ready) : "True";
    const zone = zoneKeyOf(node);
    if (!(excludeDisruptionLabel in node.metadata.labels)) {
      const list = readyByZone.get(zone);
      if (list === undefined) readyByZone.set(zone, [ready]);
      else list.push(ready);
    }
    if (!zones.has(zone)) zones.set(zone, newZoneTainter(p));
    plans.set(name, { node, ready, noExecuteKey: processTaintBaseEviction(node, ready, zones.get(zone) as ZoneTainter) });
  }
  const outcome = handleDisruption(zones, readyByZone, nowMs, p);
  if (outcome.enteredFullDisruption) {
    // markNodeAsReachable on every node: the controller suspects itself, not the nodes
    for (const plan of plans.values()) plan.noExecuteKey = undefined;
    for (const zone of zones.values()) for (const name of [...zone.queue, ...zone.done]) unmark(zone, name);
  }
  const nextTaintMs = serveZones(zones, nowMs, (name) => {
    const plan = plans.get(name);
    if (plan !== undefined && plan.ready !== "True") plan.noExecuteKey = readyTaintKey(plan.ready);
  });
  const pass: NodeLifecyclePass = { decisions: [], nextEvictionMs: Infinity, nextTaintMs };
  if (outcome.exitedFullDisruption) pass.resetProbes = [...plans.values()].filter((x) => x.ready === "True").map((x) => x.node.metadata.name);
  for (const plan of plans.values()) {
    patchNode(view, plan, nowMs, pass.decisions);
    evictions(view, plan.node, nowMs, pass);
  }
  return pass;
}

/**
 * Between monitor passes: serve the zones' queues when a token comes (`serve`), and evict the pods
 * whose toleration ran out. Node statuses are taken as the view has them.
 */
export function taintingPass(view: ClusterView, nowMs: Ms, zones: ZoneTable, serve: boolean): NodeLifecyclePass {
  const plans = new Map<string, NodePlan>();
  const nextTaintMs = serve
    ? serveZones(zones, nowMs, (name) => {
        const node = view.nodes.get(name);
        if (node !== undefined && node.status.ready !== "True") plans.set(name, { node, ready: node.status.ready, noExecuteKey: readyTaintKey(node.status.ready) });
      })
    : Math.min(Infinity, ...[...zones.values()].map(nextServeMs));
  const pass: NodeLifecyclePass = { decisions: [], nextEvictionMs: Infinity, nextTaintMs };
  for (const plan of plans.values()) patchNode(view, plan, nowMs, pass.decisions);
  for (const name of [...view.nodes.keys()].sort()) evictions(view, view.nodes.get(name) as Node, nowMs, pass);
  return pass;
}

function serveZones(zones: ZoneTable, nowMs: Ms, taint: (node: string) => void): Ms {
  let next = Infinity;
  for (const key of [...zones.keys()].sort()) {
    const zone = zones.get(key) as ZoneTainter;
    serveQueue(zone, nowMs, taint);
    next = Math.min(next, nextServeMs(zone));
  }
  return next;
}

/** The controller's NoExecute taint key on the node, if any. */
function noExecuteKeyOn(node: Node): string | undefined {
  return node.spec.taints.find((t) => t.effect === "NoExecute" && (t.key === taintNodeNotReady || t.key === taintNodeUnreachable))?.key;
}

/**
 * processTaintBaseEviction: the NoExecute taint the node keeps now. Ready: none (and unmarked).
 * Not Ready: its own key if it has it; swapped at once from the opposite key; otherwise none yet,
 * the node waiting in its zone's queue.
 */
function processTaintBaseEviction(node: Node, ready: ConditionStatus, zone: ZoneTainter): string | undefined {
  const name = node.metadata.name;
  const key = readyTaintKey(ready);
  if (key === undefined) {
    unmark(zone, name);
    return undefined;
  }
  const current = noExecuteKeyOn(node);
  if (current !== undefined && current !== key) return key;
  markForTainting(zone, name, current === key);
  return current;
}

/** The taints the node should carry: its own, then NoSchedule for its Ready status, the NoExecute taint planned, unschedulable. */
export function desiredTaints(node: Node, ready: ConditionStatus, noExecuteKey: string | undefined, nowMs: Ms): Taint[] {
  const wanted: Taint[] = [];
  const readyKey = readyTaintKey(ready);
  if (readyKey !== undefined) wanted.push({ key: readyKey, effect: "NoSchedule" });
  if (noExecuteKey !== undefined) wanted.push({ key: noExecuteKey, effect: "NoExecute", timeAddedMs: nowMs });
  if (node.spec.unschedulable) wanted.push({ key: taintNodeUnschedulable, effect: "NoSchedule" });
  const out = node.spec.taints.filter((t) => !controllerTaintKeys.has(t.key) || wanted.some((w) => w.key === t.key && w.effect === t.effect));
  for (const w of wanted) if (!out.some((t) => t.key === w.key && t.effect === w.effect)) out.push(w);
  return out;
}

function sameTaints(a: readonly Taint[], b: readonly Taint[]): boolean {
  return a.length === b.length && a.every((t, i) => t.key === b[i]?.key && t.effect === b[i]?.effect && (t.value ?? "") === (b[i]?.value ?? ""));
}

function patchNode(view: ClusterView, plan: NodePlan, nowMs: Ms, out: Decision[]): void {
  const { node, ready } = plan;
  // the common case, a Ready node without any controller taint, needs no work
  if (ready === "True" && node.status.ready === "True" && !node.spec.unschedulable && !node.spec.taints.some((t) => controllerTaintKeys.has(t.key))) return;
  const name = node.metadata.name;
  const taints = desiredTaints(node, ready, plan.noExecuteKey, nowMs);
  const readyChanged = ready !== node.status.ready;
  if (!readyChanged && sameTaints(taints, node.spec.taints)) return;
  const version = node.metadata.resourceVersion ?? 0;
  out.push({
    kind: "PatchNode",
    id: `node-lifecycle/${name}/${version}`,
    name,
    basedOnVersion: version,
    ...(readyChanged ? { ready } : {}),
    ...(sameTaints(taints, node.spec.taints) ? {} : { taints }),
  });
  if (!readyChanged || ready === "True") return;
  for (const pod of podsOn(view, node)) {
    const podKey = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (pod.status.ready) out.push({ kind: "MarkPodNotReady", id: `pod-notready/${podKey}/${pod.metadata.resourceVersion ?? 0}`, podKey });
  }
}

function podsOn(view: ClusterView, node: Node): Pod[] {
  const keys = [...(view.podsByNode.get(node.metadata.name) ?? [])].sort();
  return keys.map((k) => view.pods.get(k)).filter((p): p is Pod => p !== undefined);
}

/**
 * upstream v1helper.GetMatchingTolerations + getMinTolerationTime: the delay (ms) before a pod on
 * a node with these NoExecute taints is evicted — 0 when some taint is not tolerated or a used
 * toleration says ≤ 0 s, Infinity when no used toleration sets tolerationSeconds.
 */
export function evictionDelayMs(taints: readonly Taint[], tolerations: readonly Toleration[] | undefined): Ms {
  if (taints.length === 0) return Infinity;
  let minSeconds = Infinity;
  for (const taint of taints) {
    const used = (tolerations ?? []).find((t) => toleratesTaint(t, taint, false));
    if (used === undefined) return 0;
    if (used.tolerationSeconds === undefined) continue;
    if (used.tolerationSeconds <= 0) return 0;
    minSeconds = Math.min(minSeconds, used.tolerationSeconds);
  }
  return minSeconds === Infinity ? Infinity : minSeconds * 1000;
}

function evictions(view: ClusterView, node: Node, nowMs: Ms, pass: NodeLifecyclePass): void {
  const noExecute = node.spec.taints.filter((t) => t.effect === "NoExecute");
  if (noExecute.length === 0) return;
  const taintedMs = Math.min(...noExecute.map((t) => t.timeAddedMs ?? node.status.readyTransitionMs));
  for (const pod of podsOn(view, node)) {
    if (pod.metadata.deletionMs !== undefined) continue;
    if (pod.status.phase === "Succeeded" || pod.status.phase === "Failed") continue;
    const delayMs = evictionDelayMs(noExecute, pod.spec.tolerations);
    if (delayMs === Infinity) continue;
    const dueMs = Math.max(taintedMs, pod.status.scheduledMs ?? taintedMs) + delayMs;
    if (dueMs > nowMs) {
      pass.nextEvictionMs = Math.min(pass.nextEvictionMs, dueMs);
      continue;
    }
    const podKey = `${pod.metadata.namespace}/${pod.metadata.name}`;
    pass.decisions.push({ kind: "EvictPod", id: `taint-evict/${podKey}/${pod.metadata.uid}`, podKey, reason: "DeletionByTaintManager" });
  }
}
