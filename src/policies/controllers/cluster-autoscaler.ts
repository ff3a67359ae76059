/**
 * The cluster autoscaler (upstream cluster-autoscaler core/static_autoscaler.go RunOnce) in the one
 * controller pattern (../controller.ts). Every scan interval (10 s) one loop:
 *  1. nodes requested earlier that registered stop being "upcoming"; one not registered within
 *     max-node-provision-time (15 min) is given up (released, and its group backed off for
 *     initial-node-group-backoff-duration, 5 min, as clusterstate's backoff);
 *  2. nodes being removed make progress: tainted ToBeDeletedByClusterAutoscaler (NoSchedule), their
 *     pods evicted through the Eviction API (budgets respected; refusals retried for
 *     max-pod-eviction-time, 2 min, then the scale-down fails and the taint is removed), and once
 *     they are gone — or max-graceful-termination-sec (600 s) after the evictions — the node is deleted;
 *  3. scale-up (autoscaling/cluster-autoscaler/scale-up.ts) for the pods the scheduler marked
 *     unschedulable; a successful scale-up ends the loop (upstream: no scale-down in that iteration);
 *  4. scale-down: unneeded nodes (scale-down.ts) tracked since when; unless in cooldown
 *     (scale-down-delay-after-add 10 min, -after-delete one scan, -after-failure 3 min:
 *     isScaleDownInCooldown), the nodes unneeded for longer than scale-down-unneeded-time (10 min)
 *     whose group stays at or above its min size are removed: empty ones up to
 *     max-empty-bulk-delete (10) at once, one non-empty node at a time (max-drain-parallelism 1).
 * Decisions: ProvisionNode (the cloud provider's IncreaseSize), PatchNode (taints), CreateEviction,
 * DeleteNode. Choices depend only on the view, this state and the controller's prng (the random
 * expander). The last scan's verdicts are kept in the state (`lastScan`) with upstream's reasons.
 */
import type { Decision } from "../../model/decision.ts";
import { objectKey, type Node, type Pod, type Taint } from "../../model/objects.ts";
import type { Prng } from "../../model/prng.ts";
import type { Ms } from "../../model/units.ts";
import type { ClusterView } from "../../model/view.ts";
import { ClusterSnapshot } from "../autoscaling/cluster-autoscaler/cluster-snapshot.ts";
import { nodePods } from "../autoscaling/cluster-autoscaler/drainability.ts";
import { registeredNodes, type NodeGroupSpec } from "../autoscaling/cluster-autoscaler/node-groups.ts";
import type { ClusterAutoscalerOptions } from "../autoscaling/cluster-autoscaler/options.ts";
import { findUnneeded, podsOnNode, toBeDeletedTaint, type NodeVerdict } from "../autoscaling/cluster-autoscaler/scale-down.ts";
import { scaleUp, type SkippedGroup } from "../autoscaling/cluster-autoscaler/scale-up.ts";
import type { Framework } from "../scheduling/framework.ts";
import { reconciled, type Controller, type Reconciled, type WriteResult } from "../controller.ts";

export const scanKey = "scan";

interface Deletion {
  group: string;
  phase: "tainting" | "draining" | "deleting";
  empty: boolean;
  /** When the taint was confirmed and the evictions began. */
  drainStartMs?: Ms;
}

export interface ScaleUpStatus {
  pending: number;
  /** Pods no existing or upcoming node could take. */
  unhelped: number;
  options: { group: string; nodeCount: number; pods: number }[];
  skipped: SkippedGroup[];
  chosen?: { group: string; nodeCount: number; pods: number };
}

export interface ScanStatus {
  atMs: Ms;
  scaleUp?: ScaleUpStatus;
  /** Every node's scale-down verdict (absent when the loop ended with a scale-up or scale-down is off). */
  nodes?: (NodeVerdict & { unneededSinceMs?: Ms })[];
  inCooldown?: boolean;
  /** Nodes whose removal this scan started. */
  removalsStarted: string[];
}

export interface ClusterAutoscalerState {
  lastScaleUpMs?: Ms;
  lastScaleDownDeleteMs?: Ms;
  lastScaleDownFailMs?: Ms;
  /** Requested nodes not registered yet, with their group and request time. */
  upcoming: Map<string, { group: string; requestedMs: Ms }>;
  /** The index of each group's next node (names `<group>-<index>`, never reused). */
  nextIndex: Map<string, number>;
  unneededSinceMs: Map<string, Ms>;
  backoffUntilMs: Map<string, Ms>;
  /** Nodes the removal simulation found unremovable, until their recheck (upstream unremovable.Nodes with timeouts). */
  unremovableUntilMs: Map<string, Ms>;
  deletions: Map<string, Deletion>;
  lastScan?: ScanStatus;
}

export interface ClusterAutoscalerConfig {
  groups: readonly NodeGroupSpec[];
  options: ClusterAutoscalerOptions;
  /** The scheduler profile's framework, whose PreFilter and Filter plugins decide where pods fit. */
  framework: Framework;
}

/** Pods the scheduler gave up on (its PodScheduled=False, reason Unschedulable), in key order. */
export function unschedulablePods(view: ClusterView): Pod[] {
  const out: Pod[] = [];
  for (const pod of view.pods.values()) {
    if (pod.spec.nodeName !== undefined || pod.metadata.deletionMs !== undefined || pod.status.phase !== "Pending") continue;
    if (pod.status.reason === "Unschedulable") out.push(pod);
  }
  return out.sort((a, b) => (objectKey(a.metadata) < objectKey(b.metadata) ? -1 : 1));
}

export function clusterAutoscalerController(config: ClusterAutoscalerConfig): Controller<ClusterAutoscalerState> {
  const groups = new Map([...config.groups].sort((a, b) => (a.name < b.name ? -1 : 1)).map((g) => [g.name, g]));
  const options = config.options;
  const ctx: Ctx = { groups, options, framework: config.framework };
  return {
    name: "cluster-autoscaler",
    initialState: () => ({
      upcoming: new Map(),
      nextIndex: new Map([...groups.values()].map((g) => [g.name, g.initialCount])),
      unneededSinceMs: new Map(),
      backoffUntilMs: new Map(),
      unremovableUntilMs: new Map(),
      deletions: new Map(),
    }),
    initialRequeue: () => [{ key: scanKey, afterMs: options.scanIntervalMs }],
    observe: (_view, state) => ({ state, keys: [] }),
    reconcile(view, state, key, nowMs, prng) {
      if (key !== scanKey) return reconciled(state);
      const decisions = runOnce(ctx, view, state, nowMs, prng);
      return reconciled(state, decisions, [{ key: scanKey, afterMs: options.scanIntervalMs }]);
    },
    onResult: (view, state, decision, result, nowMs) => onResult(ctx, view, state, decision, result, nowMs),
  };
}

interface Ctx {
  groups: ReadonlyMap<string, NodeGroupSpec>;
  options: ClusterAutoscalerOptions;
  framework: Framework;
}

function runOnce(ctx: Ctx, view: ClusterView, state: ClusterAutoscalerState, nowMs: Ms, prng: Prng): Decision[] {
  const decisions: Decision[] = [];
  trackUpcoming(ctx, view, state, nowMs, decisions);
  for (const name of [...state.deletions.keys()].sort()) decisions.push(...progressDeletion(ctx, view, state, name, nowMs));
  const scan: ScanStatus = { atMs: nowMs, removalsStarted: [] };
  state.lastScan = scan;
  const registered = registeredNodes(view, ctx.groups);
  if (tryScaleUp(ctx, view, state, registered, nowMs, prng, scan, decisions)) return decisions;
  if (ctx.options.scaleDownEnabled) scaleDown(ctx, view, state, registered, nowMs, scan, decisions);
  return decisions;
}

function indexOfNode(name: string, group: string): number {
  return Number(name.slice(group.length + 1));
}

/** Step 1: registered nodes leave `upcoming`; ones past max-node-provision-time are released and their group backed off. */
function trackUpcoming(ctx: Ctx, view: ClusterView, state: ClusterAutoscalerState, nowMs: Ms, decisions: Decision[]): void {
  for (const [name, up] of [...state.upcoming].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (view.nodes.has(name)) {
      state.upcoming.delete(name);
      continue;
    }
    if (nowMs - up.requestedMs < ctx.options.maxNodeProvisionTimeMs) continue;
    state.upcoming.delete(name);
    state.backoffUntilMs.set(up.group, nowMs + ctx.options.initialNodeGroupBackoffMs);
    decisions.push({ kind: "DeleteNode", id: `ca-release/${name}`, nodeName: name });
  }
}

function tryScaleUp(ctx: Ctx, view: ClusterView, state: ClusterAutoscalerState, registered: ReadonlyMap<string, string[]>, nowMs: Ms, prng: Prng, scan: ScanStatus, decisions: Decision[]): boolean {
  const pending = unschedulablePods(view);
  if (pending.length === 0) return false;
  const snapshot = new ClusterSnapshot(view, ctx.framework);
  const targetSize = new Map<string, number>();
  for (const [name, nodes] of registered) targetSize.set(name, nodes.length);
  for (const [name, up] of [...state.upcoming].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    targetSize.set(up.group, (targetSize.get(up.group) ?? 0) + 1);
    const group = ctx.groups.get(up.group) as NodeGroupSpec;
    snapshot.addTemplateNode(group.template(name, indexOfNode(name, up.group)));
  }
  const backedOff = new Set<string>();
  for (const [group, until] of state.backoffUntilMs) if (until > nowMs) backedOff.add(group);
  const result = scaleUp({
    snapshot, pending, groups: [...ctx.groups.values()], targetSize, nextIndex: state.nextIndex, backedOff,
    nodesTotal: view.nodes.size + state.upcoming.size, options: ctx.options, prng,
  });
  const summary = (o: { group: string; nodeCount: number; pods: readonly unknown[] }) => ({ group: o.group, nodeCount: o.nodeCount, pods: o.pods.length });
  scan.scaleUp = { pending: pending.length, unhelped: result.unhelped.length, options: result.options.map(summary), skipped: result.skipped };
  const chosen = result.chosen;
  if (chosen === undefined) return false;
  scan.scaleUp.chosen = summary(chosen);
  const next = state.nextIndex.get(chosen.group) ?? 0;
  for (let k = 0; k < chosen.nodeCount; k++) {
    const name = `${chosen.group}-${next + k}`;
    state.upcoming.set(name, { group: chosen.group, requestedMs: nowMs });
    decisions.push({ kind: "ProvisionNode", id: `ca-provision/${chosen.group}/${name}`, nodeGroup: chosen.group, nodeName: name });
  }
  state.nextIndex.set(chosen.group, next + chosen.nodeCount);
  state.lastScaleUpMs = nowMs;
  return true;
}

/** upstream isScaleDownInCooldown. */
function inCooldown(options: ClusterAutoscalerOptions, state: ClusterAutoscalerState, nowMs: Ms): boolean {
  const after = (at: Ms | undefined, delay: Ms) => at !== undefined && at + delay > nowMs;
  return after(state.lastScaleUpMs, options.scaleDownDelayAfterAddMs) || after(state.lastScaleDownFailMs, options.scaleDownDelayAfterFailureMs) || after(state.lastScaleDownDeleteMs, options.scaleDownDelayAfterDeleteMs);
}

function scaleDown(ctx: Ctx, view: ClusterView, state: ClusterAutoscalerState, registered: ReadonlyMap<string, string[]>, nowMs: Ms, scan: ScanStatus, decisions: Decision[]): void {
  const snapshot = new ClusterSnapshot(view, ctx.framework);
  for (const [name, until] of [...state.unremovableUntilMs]) if (until <= nowMs || !view.nodes.has(name)) state.unremovableUntilMs.delete(name);
  const verdicts = findUnneeded(view, snapshot, ctx.groups, new Set(state.deletions.keys()), ctx.options, new Set(state.unremovableUntilMs.keys()));
  for (const v of verdicts) {
    if (v.reason === "NoPlaceToMovePods" || v.reason === "BlockedByPod") state.unremovableUntilMs.set(v.node, nowMs + ctx.options.unremovableNodeRecheckTimeoutMs);
    if (v.unneeded) state.unneededSinceMs.set(v.node, state.unneededSinceMs.get(v.node) ?? nowMs);
    else state.unneededSinceMs.delete(v.node);
  }
  for (const name of [...state.unneededSinceMs.keys()]) if (!view.nodes.has(name)) state.unneededSinceMs.delete(name);
  scan.nodes = verdicts.map((v) => (v.unneeded ? { ...v, unneededSinceMs: state.unneededSinceMs.get(v.node) as Ms } : v));
  scan.inCooldown = inCooldown(ctx.options, state, nowMs);
  if (scan.inCooldown) return;
  const sizeLeft = new Map<string, number>();
  for (const [group, nodes] of registered) sizeLeft.set(group, nodes.length);
  let drainInProgress = false;
  for (const d of state.deletions.values()) {
    sizeLeft.set(d.group, (sizeLeft.get(d.group) ?? 0) - 1);
    if (!d.empty) drainInProgress = true;
  }
  let emptyStarted = 0;
  for (const v of scan.nodes) {
    if (!v.unneeded || v.group === undefined) continue;
    // upstream: removable once since + unneededTime is before now.
    if (!((v.unneededSinceMs as Ms) + ctx.options.scaleDownUnneededTimeMs < nowMs)) {
      v.reason = "NotUnneededLongEnough";
      continue;
    }
    const group = ctx.groups.get(v.group) as NodeGroupSpec;
    if ((sizeLeft.get(group.name) ?? 0) <= group.minCount) {
      v.reason = "NodeGroupMinSizeReached";
      continue;
    }
    if (v.empty ? emptyStarted >= ctx.options.maxEmptyBulkDelete : drainInProgress) continue;
    if (v.empty) emptyStarted++;
    else drainInProgress = true;
    sizeLeft.set(group.name, (sizeLeft.get(group.name) ?? 0) - 1);
    decisions.push(startRemoval(state, view.nodes.get(v.node) as Node, group.name, v.empty, nowMs));
    scan.removalsStarted.push(v.node);
  }
  if (scan.removalsStarted.length > 0) state.lastScaleDownDeleteMs = nowMs;
}

function startRemoval(state: ClusterAutoscalerState, node: Node, group: string, empty: boolean, nowMs: Ms): Decision {
  state.deletions.set(node.metadata.name, { group, phase: "tainting", empty });
  state.unneededSinceMs.delete(node.metadata.name);
  const taint: Taint = { key: toBeDeletedTaint, value: String(Math.floor(nowMs / 1000)), effect: "NoSchedule" };
  const version = node.metadata.resourceVersion ?? 0;
  return { kind: "PatchNode", id: `ca-taint/${node.metadata.name}/${version}`, name: node.metadata.name, basedOnVersion: version, taints: [...node.spec.taints.filter((t) => t.key !== toBeDeletedTaint), taint] };
}

function untaint(node: Node): Decision {
  const version = node.metadata.resourceVersion ?? 0;
  return { kind: "PatchNode", id: `ca-untaint/${node.metadata.name}/${version}`, name: node.metadata.name, basedOnVersion: version, taints: node.spec.taints.filter((t) => t.key !== toBeDeletedTaint) };
}

function failRemoval(view: ClusterView, state: ClusterAutoscalerState, name: string, nowMs: Ms): Decision[] {
  state.deletions.delete(name);
  state.lastScaleDownFailMs = nowMs;
  const node = view.nodes.get(name);
  return node !== undefined && node.spec.taints.some((t) => t.key === toBeDeletedTaint) ? [untaint(node)] : [];
}

/** Step 2 for one node: evict what is left, or delete the node once its pods are gone (or the grace is over). */
function progressDeletion(ctx: Ctx, view: ClusterView, state: ClusterAutoscalerState, name: string, nowMs: Ms): Decision[] {
  const d = state.deletions.get(name) as Deletion;
  const node = view.nodes.get(name);
  if (node === undefined) {
    state.deletions.delete(name);
    return [];
  }
  if (d.phase !== "draining") return [];
  const drainStartMs = d.drainStartMs as Ms;
  const pods = podsOnNode(view, name);
  const { move } = nodePods(pods, [], new Map(), { skipNodesWithSystemPods: false });
  const toEvict = move.filter((p) => p.metadata.deletionMs === undefined);
  const terminating = pods.some((p) => p.metadata.deletionMs !== undefined && !isDaemonOrMirror(p));
  if (toEvict.length > 0) {
    if (nowMs - drainStartMs > ctx.options.maxPodEvictionTimeMs) return failRemoval(view, state, name, nowMs);
    return toEvict.map((p): Decision => ({ kind: "CreateEviction", id: `ca-evict/${objectKey(p.metadata)}/${p.metadata.uid}`, podKey: objectKey(p.metadata) }));
  }
  if (terminating && nowMs - drainStartMs < ctx.options.maxGracefulTerminationSec * 1000) return [];
  d.phase = "deleting";
  return [{ kind: "DeleteNode", id: `ca-delete-node/${name}/${node.metadata.uid}`, nodeName: name }];
}

function isDaemonOrMirror(pod: Pod): boolean {
  return nodePods([pod], [], new Map(), { skipNodesWithSystemPods: false }).stay.length === 1 && pod.metadata.deletionMs === undefined;
}

function onResult(ctx: Ctx, view: ClusterView, state: ClusterAutoscalerState, decision: Decision, result: WriteResult, nowMs: Ms): Reconciled<ClusterAutoscalerState> {
  switch (decision.kind) {
    case "ProvisionNode":
      if (!result.ok) state.upcoming.delete(decision.nodeName);
      return reconciled(state);
    case "PatchNode": {
      const d = state.deletions.get(decision.name);
      if (!decision.id.startsWith("ca-taint/") || d === undefined || d.phase !== "tainting") return reconciled(state);
      if (!result.ok) return reconciled(state, failRemoval(view, state, decision.name, nowMs));
      d.phase = "draining";
      d.drainStartMs = nowMs;
      return reconciled(state, progressDeletion(ctx, view, state, decision.name, nowMs));
    }
    case "DeleteNode": {
      if (decision.id.startsWith("ca-release/")) return reconciled(state);
      if (result.ok) {
        state.deletions.delete(decision.nodeName);
        state.unneededSinceMs.delete(decision.nodeName);
        return reconciled(state);
      }
      return reconciled(state, failRemoval(view, state, decision.nodeName, nowMs));
    }
    default:
      return reconciled(state); // evictions refused are tried again at the next scan
  }
}
