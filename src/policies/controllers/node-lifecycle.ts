/**
 * Node lifecycle controller (upstream pkg/controller/nodelifecycle) and taint-based eviction
 * (pkg/controller/tainteviction), as one pure pass over the view:
 *  - health: a node whose lease was not renewed within node-monitor-grace-period becomes
 *    Ready=Unknown and its pods are marked not ready (MarkPodsNotReady); a renewed lease makes it
 *    Ready again (standing in for the kubelet's own status update);
 *  - TaintNodesByCondition (doNoScheduleTaintingPass): `not-ready` / `unreachable` NoSchedule for
 *    Ready=False / Unknown and `unschedulable` NoSchedule for a cordoned node;
 *  - taint-based eviction (doNoExecuteTaintingPass): `not-ready` / `unreachable` NoExecute;
 *  - the taint eviction controller (processPodOnNode): a pod that does not tolerate every NoExecute
 *    taint of its node is deleted at once; one that does is deleted after the smallest
 *    tolerationSeconds of the tolerations used (none set: never), counted from when it was first
 *    exposed (the taint's timeAdded, or the bind if later).
 * Status and taints change in ONE PatchNode, based on the node version read, so the scheduler can
 * never see the Unknown condition without its NoSchedule taint.
 * Health is judged as upstream's nodeHealthMap does: the controller notes, on its own clock, when it
 * last saw the node's Lease renew time change (probe time), so a lease written late by a slow
 * control plane counts from when it was seen.
 * In the one controller pattern (../controller.ts): key "tick" every node-monitor-period, key
 * "evictions" when the next tolerated NoExecute taint runs out.
 * Not yet modelled: zone states and the per-zone eviction rate limiter (node-eviction-rate).
 */
import type { Decision } from "../../model/decision.ts";
import { controllerTaintKeys, readyTaintKey, taintNodeUnschedulable } from "../../model/node-taints.ts";
import { nodeLeaseNamespace, type ConditionStatus, type Node, type Pod, type Taint, type Toleration } from "../../model/objects.ts";
import { reconciled, type Controller } from "../controller.ts";
import type { ClusterView } from "../../model/view.ts";
import type { Ms } from "../../model/units.ts";
import { toleratesTaint } from "../scheduling/tolerations.ts";

export interface NodeLifecycleParams {
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

export function nodeLifecycleController(params: NodeLifecycleParams): Controller<NodeLifecycleState> {
  return {
    name: "nodelifecycle",
    initialState: () => ({ health: new Map() }),
    initialRequeue: () => [{ key: tickKey, afterMs: params.nodeMonitorPeriodMs }],
    observe: (_view, state) => ({ state, keys: [] }),
    reconcile(view, state, key, nowMs) {
      const pass = monitorNodes(view, observeLeases(view, state, nowMs), nowMs, params);
      const requeue = key === tickKey ? [{ key: tickKey, afterMs: params.nodeMonitorPeriodMs }] : [];
      if (pass.nextEvictionMs < nowMs + params.nodeMonitorPeriodMs) requeue.push({ key: evictionsKey, afterMs: pass.nextEvictionMs - nowMs });
      return reconciled(state, pass.decisions, requeue);
    },
    onResult: (_view, state) => reconciled(state),
  };
}

export interface NodeLifecyclePass {
  decisions: Decision[];
  /** The earliest moment a tolerated NoExecute taint runs out for some pod (Infinity: none pending). */
  nextEvictionMs: Ms;
}

export function monitorNodes(view: ClusterView, leases: LeaseTable, nowMs: Ms, params: Pick<NodeLifecycleParams, "nodeMonitorGraceMs">): NodeLifecyclePass {
  const pass: NodeLifecyclePass = { decisions: [], nextEvictionMs: Infinity };
  for (const name of [...view.nodes.keys()].sort()) {
    const node = view.nodes.get(name) as Node;
    const renewedMs = leases.get(name) ?? node.metadata.creationMs;
    const ready: ConditionStatus = nowMs - renewedMs > params.nodeMonitorGraceMs ? (node.status.ready === "True" ? "Unknown" : node.status.ready) : "True";
    patchNode(view, node, ready, nowMs, pass.decisions);
    evictions(view, node, nowMs, pass);
  }
  return pass;
}

/** The taints the node should carry for this Ready status: its own taints, then the controller's. */
export function desiredTaints(node: Node, ready: ConditionStatus, nowMs: Ms): Taint[] {
  const wanted: Taint[] = [];
  const readyKey = readyTaintKey(ready);
  if (readyKey !== undefined) wanted.push({ key: readyKey, effect: "NoSchedule" }, { key: readyKey, effect: "NoExecute", timeAddedMs: nowMs });
  if (node.spec.unschedulable) wanted.push({ key: taintNodeUnschedulable, effect: "NoSchedule" });
  const out = node.spec.taints.filter((t) => !controllerTaintKeys.has(t.key) || wanted.some((w) => w.key === t.key && w.effect === t.effect));
  for (const w of wanted) if (!out.some((t) => t.key === w.key && t.effect === w.effect)) out.push(w);
  return out;
}

function sameTaints(a: readonly Taint[], b: readonly Taint[]): boolean {
  return a.length === b.length && a.every((t, i) => t.key === b[i]?.key && t.effect === b[i]?.effect && (t.value ?? "") === (b[i]?.value ?? ""));
}

function patchNode(view: ClusterView, node: Node, ready: ConditionStatus, nowMs: Ms, out: Decision[]): void {
  const name = node.metadata.name;
  const taints = desiredTaints(node, ready, nowMs);
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
