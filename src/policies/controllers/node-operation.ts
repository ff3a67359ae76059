/**
 * Node operations (model/node-operation.ts) carried out as a maintenance workflow does, in the one
 * controller pattern. Cordon / Uncordon patch the node's unschedulable flag. Drain follows
 * `kubectl drain` (staging/src/k8s.io/kubectl/pkg/drain): cordon, refuse pods no controller owns
 * unless `force` ("cannot delete Pods that declare no controller (use --force to override)"),
 * leave DaemonSet-managed and mirror pods in place, evict the others through the Eviction API,
 * retry a refused eviction after 5 s, succeed once only the pods it leaves remain, fail after the
 * timeout. The state remembers the eviction round per operation, so each round's decisions have
 * ids of their own.
 */
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { Decision } from "../../model/decision.ts";
import type { NodeOperation } from "../../model/node-operation.ts";
import type { Pod } from "../../model/objects.ts";
import type { Ms } from "../../model/units.ts";
import type { ClusterView } from "../../model/view.ts";
import { reconciled, type Controller, type Reconciled } from "../controller.ts";
import { controllerOf } from "./ownership.ts";

/** kubectl drain waits this long before trying a refused eviction again. */
export const evictionRetryMs = 5_000;
const mirrorPodAnnotation = "kubernetes.io/config.mirror";

export interface NodeOperationState {
  /** operation key → eviction rounds so far. */
  rounds: Map<string, number>;
  /** operation key → evictions admitted and refused so far (written to the status when it ends). */
  answers: Map<string, { evicted: number; refused: number }>;
}

const operationsOf = (view: ClusterView) => (view.objects.get("NodeOperation") ?? new Map()) as ReadonlyMap<string, NodeOperation>;

/** Pods a drain leaves on the node: DaemonSet-managed and mirror (static) pods. */
function drainSkips(pod: Pod): boolean {
  return controllerOf(pod.metadata)?.kind === "DaemonSet" || pod.metadata.annotations?.[mirrorPodAnnotation] !== undefined;
}

function podsOn(view: ClusterView, node: string): Pod[] {
  const out: Pod[] = [];
  for (const key of [...(view.podsByNode.get(node) ?? [])].sort()) {
    const pod = view.pods.get(key);
    if (pod !== undefined && !drainSkips(pod)) out.push(pod);
  }
  return out;
}

function finished(state: NodeOperationState, key: string, status: Partial<NodeOperation["status"]>): Partial<NodeOperation["status"]> {
  return { ...status, ...(state.answers.get(key) ?? {}) };
}

function statusDecision(op: NodeOperation, key: string, status: Partial<NodeOperation["status"]>): Decision {
  const version = op.metadata.resourceVersion ?? 0;
  return { kind: "UpdateObjectStatus", id: `node-op-status/${key}/${version}`, objectKind: "NodeOperation", key, status: { ...op.status, ...status }, basedOnVersion: version };
}

function reconcileOperation(view: ClusterView, state: NodeOperationState, key: string, nowMs: Ms): Reconciled<NodeOperationState> {
  const op = operationsOf(view).get(key);
  if (op === undefined || op.status.phase === "Succeeded" || op.status.phase === "Failed") return reconciled(state);
  const node = view.nodes.get(op.spec.node);
  if (node === undefined) return reconciled(state, [statusDecision(op, key, { phase: "Failed", reason: `node "${op.spec.node}" not found`, finishedMs: nowMs })]);
  const wantUnschedulable = op.spec.operation !== "Uncordon";
  if (node.spec.unschedulable !== wantUnschedulable) {
    const patch: Decision = { kind: "PatchNode", id: `node-op-cordon/${key}/${node.metadata.resourceVersion ?? 0}`, name: node.metadata.name, basedOnVersion: node.metadata.resourceVersion ?? 0, unschedulable: wantUnschedulable };
    const started = op.status.phase === "Pending" ? [statusDecision(op, key, { phase: "InProgress", startedMs: nowMs })] : [];
    return reconciled(state, [...started, patch]);
  }
  if (op.spec.operation !== "Drain") return reconciled(state, [statusDecision(op, key, { phase: "Succeeded", finishedMs: nowMs, ...(op.status.startedMs === undefined ? { startedMs: nowMs } : {}) })]);
  return drain(view, state, op, key, nowMs);
}

function drain(view: ClusterView, state: NodeOperationState, op: NodeOperation, key: string, nowMs: Ms): Reconciled<NodeOperationState> {
  const pods = podsOn(view, op.spec.node);
  const startedMs = op.status.startedMs ?? nowMs;
  const started = op.status.phase === "Pending" ? { phase: "InProgress" as const, startedMs } : {};
  const unowned = pods.filter((p) => controllerOf(p.metadata) === undefined && p.metadata.deletionMs === undefined);
  if (unowned.length > 0 && !op.spec.force) {
    const names = unowned.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(", ");
    return reconciled(state, [statusDecision(op, key, finished(state, key, { ...started, phase: "Failed", reason: `cannot delete Pods that declare no controller (use --force to override): ${names}`, finishedMs: nowMs }))]);
  }
  if (pods.length === 0) return reconciled(state, [statusDecision(op, key, finished(state, key, { ...started, phase: "Succeeded", finishedMs: nowMs }))]);
  if (op.spec.timeoutMs > 0 && nowMs - startedMs >= op.spec.timeoutMs) {
    return reconciled(state, [statusDecision(op, key, finished(state, key, { phase: "Failed", reason: `drain did not complete within ${op.spec.timeoutMs / 1000}s: ${pods.length} pod(s) left`, finishedMs: nowMs }))]);
  }
  const round = (state.rounds.get(key) ?? 0) + 1;
  state.rounds.set(key, round);
  const evictions: Decision[] = pods
    .filter((p) => p.metadata.deletionMs === undefined)
    .map((p) => ({ kind: "CreateEviction", id: `drain/${key}/${round}/${p.metadata.namespace}/${p.metadata.name}`, podKey: `${p.metadata.namespace}/${p.metadata.name}` }));
  const decisions = op.status.phase === "Pending" ? [statusDecision(op, key, started), ...evictions] : evictions;
  // Terminating pods leave by themselves (PodRemoved wakes us); refused ones are retried after 5 s.
  const requeue = op.spec.timeoutMs > 0 ? [{ key, afterMs: Math.max(1, startedMs + op.spec.timeoutMs - nowMs) }] : [];
  return reconciled(state, decisions, requeue);
}

function observe(view: ClusterView, event: ClusterEvent): string[] {
  switch (event.kind) {
    case "ObjectCreated":
      return event.object.kind === "NodeOperation" ? [event.object.metadata.name] : [];
    case "NodeCordoned":
    case "PodDeleting":
    case "PodRemoved": {
      // A removed pod is no longer in the view: every running operation looks again (there are few).
      const node = event.kind === "NodeCordoned" ? event.name : event.kind === "PodDeleting" ? view.pods.get(event.key)?.spec.nodeName : undefined;
      const out: string[] = [];
      for (const [key, op] of operationsOf(view)) {
        if (op.status.phase !== "Pending" && op.status.phase !== "InProgress") continue;
        if (event.kind === "PodRemoved" || op.spec.node === node) out.push(key);
      }
      return out;
    }
    default:
      return [];
  }
}

export const nodeOperationController: Controller<NodeOperationState> = {
  name: "node-operation",
  initialState: () => ({ rounds: new Map(), answers: new Map() }),
  observe: (view, state, event) => ({ state, keys: observe(view, event) }),
  reconcile: (view, state, key, nowMs) => reconcileOperation(view, state, key, nowMs),
  onResult(_view, state, decision, result) {
    if (decision.kind !== "CreateEviction") return reconciled(state);
    const key = decision.id.split("/")[1] as string;
    const answers = state.answers.get(key) ?? { evicted: 0, refused: 0 };
    state.answers.set(key, answers);
    if (result.ok) {
      answers.evicted++;
      return reconciled(state);
    }
    // A refused eviction (429: a budget said no) is counted and tried again after 5 s, as kubectl drain does.
    if (/^(429|403|500) /.test(result.reason ?? "")) answers.refused++;
    return reconciled(state, [], [{ key, afterMs: evictionRetryMs }]);
  },
};
