/**
 * A consolidating node provisioner in Karpenter's shape (kubernetes-sigs/karpenter
 * pkg/controllers/provisioning and pkg/controllers/disruption; karpenter.sh docs "Disruption",
 * "NodePools", "Scheduling") in the one controller pattern (../controller.ts):
 *  - provisioning: pods the scheduler marked unschedulable are batched (the batch closes after
 *    1 s without a new one or 10 s after the first: BATCH_IDLE_DURATION / BATCH_MAX_DURATION),
 *    then scheduled in simulation onto the existing nodes, the nodes still launching and new node
 *    claims (autoscaling/provisioner/solve.ts); each claim launches its cheapest offering
 *    (ProvisionNode through the cloud provider, named `<nodepool>-<n>`);
 *  - disruption, every 10 s while nothing is launching or being disrupted: emptiness, multi-node
 *    then single-node consolidation (autoscaling/provisioner/consolidation.ts) within the
 *    NodePools' budgets; a command found is validated again 15 s later (consolidationTTL) and
 *    carried out only if the pass finds it again: the nodes are tainted karpenter.sh/disrupted
 *    (NoSchedule), a replacement launched first and awaited until Ready, then each node is
 *    terminated;
 *  - termination: pods evicted through the Eviction API (budgets respected, refusals retried every
 *    2 s), DaemonSet and mirror pods left, then the node deleted (DeleteNode);
 *  - spot interruption: the notice (a SpotInterruption fault) taints and drains the node at once,
 *    outside the budgets, and its pods are provisioned for right away; the node is deleted when
 *    drained or when the instance is reclaimed two minutes after the notice.
 * What it did last is kept in the state (`lastProvisioning`, `lastDisruption`) for explanations,
 * and counted in `stats` for the run summary.
 */
import type { ClusterEvent } from "../../model/cluster-event.ts";
import type { Decision } from "../../model/decision.ts";
import { objectKey, type Node, type Pod, type ResourceList, type Taint } from "../../model/objects.ts";
import { addInto, podRequests } from "../../model/resources.ts";
import type { Ms } from "../../model/units.ts";
import type { ClusterView } from "../../model/view.ts";
import { ClusterSnapshot } from "../autoscaling/cluster-autoscaler/cluster-snapshot.ts";
import { nodePods } from "../autoscaling/cluster-autoscaler/drainability.ts";
import { podsOnNode } from "../autoscaling/cluster-autoscaler/scale-down.ts";
import { daemonPodsFor } from "../autoscaling/cluster-autoscaler/template-node.ts";
import { consolidationPass, disruptedTaint, type Command, type NodeConsolidation, type PassInput } from "../autoscaling/provisioner/consolidation.ts";
import { capacityTypeLabel, instanceTypeLabel, nodePoolLabel, offeringId, zoneLabel, type Offering } from "../autoscaling/provisioner/instance-types.ts";
import type { ProvisionerNodePool, ProvisionerOptions } from "../autoscaling/provisioner/node-pool.ts";
import { solve, type SolveInput } from "../autoscaling/provisioner/solve.ts";
import type { Framework } from "../scheduling/framework.ts";
import { reconciled, type Controller, type Reconciled, type WriteResult } from "../controller.ts";
import { unschedulablePods } from "./cluster-autoscaler.ts";

export const provisionKey = "provision";
export const disruptKey = "disrupt";
export const terminateKey = "terminate";
export const interruptKey = "interrupt";
export const spotInterruptionFault = "SpotInterruption";
const terminatePollMs = 2_000;

export interface ProvisioningStatus {
  atMs: Ms;
  pending: number;
  launched: { node: string; nodePool: string; instanceType: string; capacityType: string; zone: string; pricePerHour: number; pods: number }[];
  unschedulable: { pod: string; reason: string }[];
}

export interface DisruptionStatus {
  atMs: Ms;
  /** Why no pass ran (something launching or being disrupted). */
  skipped?: string;
  nodes: NodeConsolidation[];
  command?: Command;
  /** The command waits for its validation at the first pass 15 s after it was found. */
  validating?: boolean;
  executed?: boolean;
}

export interface ProvisionerStats {
  /** `<nodepool>/<instance type>/<capacity type>` → nodes launched. */
  launched: Map<string, number>;
  /** `<reason>/<method>/<delete|replace>` → nodes disrupted. */
  consolidated: Map<string, number>;
  spotInterruptions: number;
}

interface Termination {
  reason: "Empty" | "Underutilized" | "SpotInterrupted";
  sinceMs: Ms;
  /** Spot: when the instance is reclaimed. */
  reclaimAtMs?: Ms;
}

export interface ProvisionerState {
  nextIndex: Map<string, number>;
  /** Launched, not registered yet: node → its offering (id) and NodePool. */
  inFlight: Map<string, { nodePool: string; offering: string; requestedMs: Ms }>;
  triggered: boolean;
  batch?: { startMs: Ms; lastMs: Ms };
  /** Per node: its pods' keys as last seen and since when. */
  stable: Map<string, { pods: string; sinceMs: Ms }>;
  pendingCommand?: { command: Command; foundAtMs: Ms };
  executing?: { command: Command; replacementNode?: string; terminationsStarted: boolean; startedMs: Ms };
  terminating: Map<string, Termination>;
  /** Nodes given a spot interruption notice, not handled yet. */
  interruptionsNew: string[];
  terminateTicking: boolean;
  lastProvisioning?: ProvisioningStatus;
  lastDisruption?: DisruptionStatus;
  stats: ProvisionerStats;
}

export interface ProvisionerConfig {
  nodePools: readonly ProvisionerNodePool[];
  options: ProvisionerOptions;
  framework: Framework;
  /** A node of an offering as it would register, under `name`. */
  template(nodePool: ProvisionerNodePool, offering: Offering, name: string): Node;
}

interface Ctx {
  pools: ProvisionerNodePool[];
  byName: Map<string, ProvisionerNodePool>;
  offerings: Map<string, { nodePool: ProvisionerNodePool; offering: Offering }>;
  options: ProvisionerOptions;
  framework: Framework;
  template: ProvisionerConfig["template"];
}

export function provisionerController(config: ProvisionerConfig): Controller<ProvisionerState> {
  const pools = [...config.nodePools].sort((a, b) => b.weight - a.weight || (a.name < b.name ? -1 : 1));
  const offerings = new Map<string, { nodePool: ProvisionerNodePool; offering: Offering }>();
  for (const np of pools) for (const o of np.offerings) offerings.set(offeringId(np.name, o), { nodePool: np, offering: o });
  const ctx: Ctx = { pools, byName: new Map(pools.map((p) => [p.name, p])), offerings, options: config.options, framework: config.framework, template: config.template };
  return {
    name: "provisioner",
    initialState: () => ({
      nextIndex: new Map(), inFlight: new Map(), triggered: false, stable: new Map(), terminating: new Map(), interruptionsNew: [], terminateTicking: false,
      stats: { launched: new Map(), consolidated: new Map(), spotInterruptions: 0 },
    }),
    initialRequeue: () => [{ key: disruptKey, afterMs: config.options.disruptionPollMs }],
    observe: (view, state, event) => observe(view, state, event),
    reconcile(view, state, key, nowMs) {
      switch (key) {
        case provisionKey:
          return reconcileProvision(ctx, view, state, nowMs);
        case disruptKey:
          return reconciled(state, disrupt(ctx, view, state, nowMs), [{ key: disruptKey, afterMs: ctx.options.disruptionPollMs }, ...kickTerminate(state)]);
        case terminateKey:
          return terminateTick(ctx, view, state, nowMs);
        case interruptKey:
          return reconciled(state, interrupt(ctx, view, state, nowMs), kickTerminate(state));
        default:
          return reconciled(state);
      }
    },
    onResult: (view, state, decision, result, nowMs) => onResult(ctx, view, state, decision, result, nowMs),
  };
}

function observe(_view: ClusterView, state: ProvisionerState, event: ClusterEvent): { state: ProvisionerState; keys: string[] } {
  if (event.kind === "PodUnschedulable") {
    state.triggered = true;
    return { state, keys: [provisionKey] };
  }
  if (event.kind === "Fault" && event.fault === spotInterruptionFault && event.target.startsWith("node/")) {
    state.interruptionsNew.push(event.target.slice("node/".length));
    return { state, keys: [interruptKey] };
  }
  return { state, keys: [] };
}

/** The batch window: open on the first trigger, close 1 s after the last or 10 s after the first. */
function reconcileProvision(ctx: Ctx, view: ClusterView, state: ProvisionerState, nowMs: Ms): Reconciled<ProvisionerState> {
  if (state.triggered) {
    state.triggered = false;
    const startMs = state.batch?.startMs ?? nowMs;
    const fresh = state.batch === undefined;
    state.batch = { startMs, lastMs: nowMs };
    if (fresh) return reconciled(state, [], [{ key: provisionKey, afterMs: ctx.options.batchIdleMs }]);
    return reconciled(state);
  }
  const batch = state.batch;
  if (batch === undefined) return reconciled(state);
  const idleUntil = batch.lastMs + ctx.options.batchIdleMs;
  const maxUntil = batch.startMs + ctx.options.batchMaxMs;
  if (nowMs < idleUntil && nowMs < maxUntil) return reconciled(state, [], [{ key: provisionKey, afterMs: Math.min(idleUntil, maxUntil) - nowMs }]);
  state.batch = undefined;
  return reconciled(state, provision(ctx, view, state, nowMs));
}

function sumInto(target: ResourceList, add: ResourceList): void {
  addInto(target, add);
}

/** The solve's callbacks over this view (the DaemonSet overhead memoized per offering). */
function solveParts(ctx: Ctx, view: ClusterView): Omit<SolveInput, "snapshot" | "pods" | "remaining" | "claimPrefix"> {
  const overheads = new Map<string, ResourceList>();
  return {
    nodePools: ctx.pools,
    template: ctx.template,
    overhead(np, o) {
      const id = offeringId(np.name, o);
      let r = overheads.get(id);
      if (r === undefined) {
        r = {};
        for (const pod of daemonPodsFor(view, ctx.template(np, o, "overhead"))) sumInto(r, { ...podRequests(pod), pods: 1 });
        overheads.set(id, r);
      }
      return r;
    },
  };
}

/** Limits left per NodePool: its limits minus the capacity of its nodes and of its launches in flight. */
function remainingLimits(ctx: Ctx, view: ClusterView, state: ProvisionerState): Map<string, ResourceList> {
  const out = new Map<string, ResourceList>();
  for (const np of ctx.pools) if (Object.keys(np.limits).length > 0) out.set(np.name, { ...np.limits });
  for (const node of view.nodes.values()) {
    const left = out.get(node.metadata.labels[nodePoolLabel] ?? "");
    if (left !== undefined) for (const k of Object.keys(left)) left[k] = (left[k] as number) - (node.status.allocatable[k] ?? 0);
  }
  for (const f of state.inFlight.values()) {
    const left = out.get(f.nodePool);
    const o = ctx.offerings.get(f.offering)?.offering;
    if (left !== undefined && o !== undefined) for (const k of Object.keys(left)) left[k] = (left[k] as number) - (o.allocatable[k] ?? 0);
  }
  return out;
}

/** The cluster as the provisioner plans on it: nodes being disrupted left out, launches in flight pictured. */
function planningSnapshot(ctx: Ctx, view: ClusterView, state: ProvisionerState): ClusterSnapshot {
  const snapshot = new ClusterSnapshot(view, ctx.framework);
  for (const name of [...leaving(state, view)].sort()) if (snapshot.hasNode(name)) snapshot.removeNode(name);
  for (const [name, f] of [...state.inFlight].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const of = ctx.offerings.get(f.offering);
    if (of !== undefined && !snapshot.hasNode(name)) snapshot.addTemplateNode(ctx.template(of.nodePool, of.offering, name));
  }
  return snapshot;
}

/** Nodes on their way out: terminating, or tainted for a command. */
function leaving(state: ProvisionerState, view: ClusterView): Set<string> {
  const out = new Set(state.terminating.keys());
  for (const n of state.executing?.command.nodes ?? []) out.add(n);
  for (const node of view.nodes.values()) if (node.spec.taints.some((t) => t.key === disruptedTaint)) out.add(node.metadata.name);
  return out;
}

/** Pods that need a place: the scheduler's unschedulable ones and those on nodes being disrupted. */
function podsToPlace(view: ClusterView, state: ProvisionerState): Pod[] {
  const out = unschedulablePods(view);
  for (const name of [...leaving(state, view)].sort()) out.push(...movablePods(view, name));
  return out;
}

function movablePods(view: ClusterView, node: string): Pod[] {
  return nodePods(podsOnNode(view, node), [], new Map(), { skipNodesWithSystemPods: false }).move.filter((p) => p.metadata.deletionMs === undefined);
}

function trackInFlight(view: ClusterView, state: ProvisionerState): void {
  for (const name of [...state.inFlight.keys()]) if (view.nodes.has(name)) state.inFlight.delete(name);
}

function provision(ctx: Ctx, view: ClusterView, state: ProvisionerState, nowMs: Ms): Decision[] {
  trackInFlight(view, state);
  const pods = podsToPlace(view, state);
  if (pods.length === 0) return [];
  const r = solve({ ...solveParts(ctx, view), snapshot: planningSnapshot(ctx, view, state), pods, remaining: remainingLimits(ctx, view, state), claimPrefix: "claim-" });
  const status: ProvisioningStatus = { atMs: nowMs, pending: pods.length, launched: [], unschedulable: r.unschedulable };
  state.lastProvisioning = status;
  const decisions: Decision[] = [];
  for (const claim of r.claims) {
    const o = claim.options[0] as Offering;
    const { decision, node } = launch(state, claim.nodePool, o, nowMs);
    decisions.push(decision);
    status.launched.push({ node, nodePool: claim.nodePool, instanceType: o.instanceType, capacityType: o.capacityType, zone: o.zone, pricePerHour: o.pricePerHour, pods: claim.pods.length });
  }
  return decisions;
}

function launch(state: ProvisionerState, nodePool: string, o: Offering, nowMs: Ms): { decision: Decision; node: string } {
  const index = state.nextIndex.get(nodePool) ?? 0;
  state.nextIndex.set(nodePool, index + 1);
  const node = `${nodePool}-${index}`;
  const offering = offeringId(nodePool, o);
  state.inFlight.set(node, { nodePool, offering, requestedMs: nowMs });
  const key = `${nodePool}/${o.instanceType}/${o.capacityType}`;
  state.stats.launched.set(key, (state.stats.launched.get(key) ?? 0) + 1);
  return { decision: { kind: "ProvisionNode", id: `karpenter-launch/${node}`, nodeGroup: offering, nodeName: node }, node };
}

/** Every node's pods as a signature; a change restarts its consolidateAfter clock. */
function trackStability(view: ClusterView, state: ProvisionerState, nowMs: Ms): void {
  for (const name of [...state.stable.keys()]) if (!view.nodes.has(name)) state.stable.delete(name);
  for (const name of [...view.nodes.keys()].sort()) {
    const pods = podsOnNode(view, name).map((p) => objectKey(p.metadata)).sort().join(",");
    const prev = state.stable.get(name);
    if (prev === undefined) state.stable.set(name, { pods, sinceMs: (view.nodes.get(name) as Node).metadata.creationMs });
    else if (prev.pods !== pods) state.stable.set(name, { pods, sinceMs: nowMs });
  }
}

function priceOf(ctx: Ctx, node: Node): { pricePerHour: number; spot: boolean } | undefined {
  const l = node.metadata.labels;
  const of = ctx.offerings.get(`${l[nodePoolLabel] ?? ""}/${l[instanceTypeLabel] ?? ""}/${l[capacityTypeLabel] ?? ""}/${l[zoneLabel] ?? ""}`);
  return of === undefined ? undefined : { pricePerHour: of.offering.pricePerHour, spot: of.offering.capacityType === "spot" };
}

function passInput(ctx: Ctx, view: ClusterView, state: ProvisionerState, nowMs: Ms): PassInput {
  const stableSinceMs = new Map([...state.stable].map(([n, s]) => [n, s.sinceMs]));
  return {
    view, nowMs, nodePools: ctx.byName, disrupting: leaving(state, view), stableSinceMs,
    priceOf: (node) => priceOf(ctx, node),
    snapshot: () => planningSnapshot(ctx, view, state),
    pending: unschedulablePods(view),
    solveInput: solveParts(ctx, view),
    remaining: () => remainingLimits(ctx, view, state),
    multiNodeCandidatesMax: ctx.options.multiNodeCandidatesMax,
  };
}

function sameCommand(a: Command, b: Command): boolean {
  return a.method === b.method && a.nodes.join(",") === b.nodes.join(",") && offeringIdOf(a) === offeringIdOf(b);
}

function offeringIdOf(c: Command): string {
  return c.replacement === undefined ? "" : offeringId(c.replacement.nodePool, c.replacement.offering);
}

function disrupt(ctx: Ctx, view: ClusterView, state: ProvisionerState, nowMs: Ms): Decision[] {
  trackInFlight(view, state);
  trackStability(view, state, nowMs);
  const decisions = progressCommand(ctx, view, state, nowMs);
  const skipped = state.executing !== undefined ? "a consolidation is being carried out" : state.inFlight.size > 0 ? "nodes are launching" : state.batch !== undefined ? "a provisioning batch is open" : undefined;
  if (skipped !== undefined) {
    state.lastDisruption = { atMs: nowMs, skipped, nodes: state.lastDisruption?.nodes ?? [] };
    return decisions;
  }
  const pass = consolidationPass(passInput(ctx, view, state, nowMs));
  const status: DisruptionStatus = { atMs: nowMs, nodes: pass.nodes };
  state.lastDisruption = status;
  const command = pass.command;
  if (command === undefined) {
    delete state.pendingCommand;
    return decisions;
  }
  status.command = command;
  const pending = state.pendingCommand;
  if (pending === undefined || !sameCommand(pending.command, command)) {
    state.pendingCommand = { command, foundAtMs: nowMs };
    status.validating = true;
    return decisions;
  }
  if (nowMs - pending.foundAtMs < ctx.options.consolidationValidationMs) {
    status.validating = true;
    return decisions;
  }
  delete state.pendingCommand;
  status.executed = true;
  return [...decisions, ...execute(state, view, command, nowMs)];
}

function taintDecision(node: Node): Decision {
  const version = node.metadata.resourceVersion ?? 0;
  const taint: Taint = { key: disruptedTaint, effect: "NoSchedule" };
  return { kind: "PatchNode", id: `karpenter-taint/${node.metadata.name}/${version}`, name: node.metadata.name, basedOnVersion: version, taints: [...node.spec.taints.filter((t) => t.key !== disruptedTaint), taint] };
}

function execute(state: ProvisionerState, view: ClusterView, command: Command, nowMs: Ms): Decision[] {
  const decisions: Decision[] = [];
  for (const name of command.nodes) decisions.push(taintDecision(view.nodes.get(name) as Node));
  const action = command.replacement === undefined ? "delete" : "replace";
  const key = `${command.reason}/${command.method}/${action}`;
  state.stats.consolidated.set(key, (state.stats.consolidated.get(key) ?? 0) + command.nodes.length);
  state.executing = { command, terminationsStarted: false, startedMs: nowMs };
  if (command.replacement !== undefined) {
    const { decision, node } = launch(state, command.replacement.nodePool, command.replacement.offering, nowMs);
    state.executing.replacementNode = node;
    decisions.push(decision);
  } else startTerminations(state, command, nowMs);
  return decisions;
}

function startTerminations(state: ProvisionerState, command: Command, nowMs: Ms): void {
  for (const name of command.nodes) if (!state.terminating.has(name)) state.terminating.set(name, { reason: command.reason, sinceMs: nowMs });
  (state.executing as NonNullable<ProvisionerState["executing"]>).terminationsStarted = true;
}

/** A replacement Ready lets the command's nodes go; the command ends when they are gone. */
function progressCommand(ctx: Ctx, view: ClusterView, state: ProvisionerState, nowMs: Ms): Decision[] {
  const ex = state.executing;
  if (ex === undefined) return [];
  if (!ex.terminationsStarted) {
    const replacement = ex.replacementNode === undefined ? undefined : view.nodes.get(ex.replacementNode);
    const failed = ex.replacementNode !== undefined && !state.inFlight.has(ex.replacementNode) && replacement === undefined;
    const late = nowMs - ex.startedMs >= ctx.options.replacementWaitMs;
    if (replacement !== undefined && replacement.status.ready === "True") startTerminations(state, ex.command, nowMs);
    else if (failed || late) {
      // The launch failed or the replacement never got Ready: untaint (the next pass starts over).
      delete state.executing;
      return ex.command.nodes.flatMap((n) => {
        const node = view.nodes.get(n);
        if (node === undefined) return [];
        const version = node.metadata.resourceVersion ?? 0;
        return [{ kind: "PatchNode", id: `karpenter-untaint/${n}/${version}`, name: n, basedOnVersion: version, taints: node.spec.taints.filter((t) => t.key !== disruptedTaint) } as Decision];
      });
    }
  }
  if (ex.terminationsStarted && ex.command.nodes.every((n) => !view.nodes.has(n))) delete state.executing;
  return [];
}

function kickTerminate(state: ProvisionerState): { key: string; afterMs: Ms }[] {
  if (state.terminateTicking || state.terminating.size === 0) return [];
  state.terminateTicking = true;
  return [{ key: terminateKey, afterMs: 0 }];
}

/** Karpenter's termination controller: taint, evict through the Eviction API, delete when drained (or reclaimed). */
function terminateTick(_ctx: Ctx, view: ClusterView, state: ProvisionerState, nowMs: Ms): Reconciled<ProvisionerState> {
  const decisions: Decision[] = [];
  for (const [name, t] of [...state.terminating].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const node = view.nodes.get(name);
    if (node === undefined) {
      state.terminating.delete(name);
      continue;
    }
    if (!node.spec.taints.some((x) => x.key === disruptedTaint)) decisions.push(taintDecision(node));
    const reclaimed = t.reclaimAtMs !== undefined && nowMs >= t.reclaimAtMs;
    const pods = podsOnNode(view, name);
    const { move } = nodePods(pods, [], new Map(), { skipNodesWithSystemPods: false });
    const toEvict = move.filter((p) => p.metadata.deletionMs === undefined);
    if (!reclaimed && toEvict.length > 0) {
      for (const p of toEvict) decisions.push({ kind: "CreateEviction", id: `karpenter-evict/${objectKey(p.metadata)}/${p.metadata.uid}/${nowMs}`, podKey: objectKey(p.metadata) });
      continue;
    }
    if (!reclaimed && move.length > 0) continue; // evicted pods still terminating
    decisions.push({ kind: "DeleteNode", id: `karpenter-delete/${name}/${node.metadata.uid}`, nodeName: name });
  }
  const more = state.terminating.size > 0;
  state.terminateTicking = more;
  return reconciled(state, decisions, more ? [{ key: terminateKey, afterMs: terminatePollMs }] : []);
}

/** Spot interruption notices: drained at once (no budget), the pods provisioned for right away. */
function interrupt(ctx: Ctx, view: ClusterView, state: ProvisionerState, nowMs: Ms): Decision[] {
  const fresh = state.interruptionsNew.filter((n) => view.nodes.has(n) && !state.terminating.has(n));
  state.interruptionsNew = [];
  if (fresh.length === 0) return [];
  for (const name of fresh) {
    state.stats.spotInterruptions++;
    state.terminating.set(name, { reason: "SpotInterrupted", sinceMs: nowMs, reclaimAtMs: nowMs + ctx.options.spotNoticeMs });
  }
  return [...fresh.map((n) => taintDecision(view.nodes.get(n) as Node)), ...provision(ctx, view, state, nowMs)];
}

function onResult(_ctx: Ctx, _view: ClusterView, state: ProvisionerState, decision: Decision, result: WriteResult, _nowMs: Ms): Reconciled<ProvisionerState> {
  if (decision.kind === "ProvisionNode" && !result.ok) state.inFlight.delete(decision.nodeName);
  return reconciled(state);
}
