/**
 * Which nodes consolidation may disrupt, and the one command a pass chooses (karpenter.sh docs
 * "Disruption" › Consolidation; kubernetes-sigs/karpenter pkg/controllers/disruption: types.go
 * NewCandidate, emptiness.go, multinodeconsolidation.go, singlenodeconsolidation.go,
 * consolidation.go computeConsolidation). The methods run in Karpenter's order and the first that
 * finds something wins the pass:
 *  1. emptiness: every empty candidate (only DaemonSet, mirror or finished pods), within budget;
 *  2. multi-node: the candidates in order of disruption cost (fewest pods first), as many as the
 *     budgets allow (at most 100), binary-searched for the largest prefix whose pods fit the
 *     rest of the cluster plus at most one replacement cheaper than all of them together;
 *  3. single-node: each candidate in turn; deleted when its pods fit elsewhere, replaced when one
 *     cheaper node holds what does not (never for spot: Karpenter's SpotToSpotConsolidation is off
 *     by default).
 * A candidate: a Ready node of a NodePool, not being disrupted, not annotated
 * karpenter.sh/do-not-disrupt (nor any of its pods), no pod on it covered by a
 * PodDisruptionBudget that allows no disruption now (Karpenter's CanEvictPods; otherwise the
 * Eviction API paces the drain), stable (no pod came or went, as seen at each pass) for
 * consolidateAfter; WhenEmpty NodePools offer only empty nodes.
 */
import { objectKey, type Node, type Pod, type ResourceList } from "../../../model/objects.ts";
import { formatDurationMs, type Ms } from "../../../model/units.ts";
import type { PodDisruptionBudget } from "../../../model/scheduling-objects.ts";
import type { ClusterView } from "../../../model/view.ts";
import type { ClusterSnapshot } from "../cluster-autoscaler/cluster-snapshot.ts";
import { canIgnorePdb, matchingBudgets } from "../../admission/eviction.ts";
import { nodePods } from "../cluster-autoscaler/drainability.ts";
import { podsOnNode } from "../cluster-autoscaler/scale-down.ts";
import { allowedDisruptions } from "./budgets.ts";
import { nodePoolLabel, type Offering } from "./instance-types.ts";
import type { ProvisionerNodePool } from "./node-pool.ts";
import { solve, type Claim, type SolveInput } from "./solve.ts";

export const doNotDisruptAnnotation = "karpenter.sh/do-not-disrupt";
export const disruptedTaint = "karpenter.sh/disrupted";

export type ConsolidationReason = "Empty" | "Underutilized";

/** Why a node was or was not consolidated in a pass (the twin's names for Karpenter's Unconsolidatable events). */
export type ConsolidationCode =
  | "NotOwned"
  | "Disrupting"
  | "NotReady"
  | "DoNotDisrupt"
  | "PdbPreventsEviction"
  | "ConsolidationDisabled"
  | "NotStableLongEnough"
  | "NotEmpty"
  | "BudgetExhausted"
  | "PodsCannotMove"
  | "NoCheaperReplacement"
  | "SpotToSpotDisabled"
  | "NotEvaluated"
  | "Consolidated";

export interface NodeConsolidation {
  node: string;
  nodePool?: string;
  code: ConsolidationCode;
  message: string;
  pricePerHour?: number;
  /** When the node last changed (a pod came or went), and when consolidateAfter lets it go. */
  stableSinceMs?: Ms;
  eligibleAtMs?: Ms;
}

export interface Replacement {
  nodePool: string;
  offering: Offering;
}

export interface Command {
  reason: ConsolidationReason;
  method: "emptiness" | "multi-node" | "single-node";
  nodes: string[];
  replacement?: Replacement;
  /** Price per hour of the nodes removed minus the replacement's. */
  savingsPerHour: number;
}

export interface Candidate {
  node: string;
  nodePool: ProvisionerNodePool;
  pricePerHour: number;
  spot: boolean;
  /** Pods to evict and place elsewhere. */
  move: Pod[];
}

export interface PassInput {
  view: ClusterView;
  nowMs: Ms;
  nodePools: ReadonlyMap<string, ProvisionerNodePool>;
  /** Nodes being disrupted or terminated by the provisioner. */
  disrupting: ReadonlySet<string>;
  /** Per node, since when its pods are unchanged. */
  stableSinceMs: ReadonlyMap<string, Ms>;
  priceOf(node: Node): { pricePerHour: number; spot: boolean } | undefined;
  /** A snapshot of the cluster (nodes being disrupted removed, claims in flight added). */
  snapshot(): ClusterSnapshot;
  /** Pending pods the provisioner would also have to place. */
  pending: readonly Pod[];
  /** The solve's pictures of nodes and the limits left (before the candidates leave). */
  solveInput: Omit<SolveInput, "snapshot" | "pods" | "remaining" | "claimPrefix">;
  remaining(): Map<string, ResourceList>;
  multiNodeCandidatesMax: number;
}

export interface PassResult {
  nodes: NodeConsolidation[];
  command?: Command;
}

function verdict(out: Map<string, NodeConsolidation>, node: string, code: ConsolidationCode, message: string, extra: Partial<NodeConsolidation> = {}): void {
  const prev = out.get(node);
  out.set(node, { ...(prev ?? { node }), ...extra, code, message });
}

/** The candidates, in disruption-cost order (fewest pods to move, then name); every node gets a verdict. */
export function candidatesOf(input: PassInput, out: Map<string, NodeConsolidation>): Candidate[] {
  const { view } = input;
  const pdbs = [...((view as Partial<{ podDisruptionBudgets: ReadonlyMap<string, PodDisruptionBudget> }>).podDisruptionBudgets?.values() ?? [])];
  const candidates: Candidate[] = [];
  for (const name of [...view.nodes.keys()].sort()) {
    const node = view.nodes.get(name) as Node;
    const np = input.nodePools.get(node.metadata.labels[nodePoolLabel] ?? "");
    if (np === undefined) {
      verdict(out, name, "NotOwned", "not launched by a NodePool");
      continue;
    }
    const price = input.priceOf(node);
    const base = { nodePool: np.name, ...(price !== undefined ? { pricePerHour: price.pricePerHour } : {}) };
    out.set(name, { node: name, ...base, code: "NotEvaluated", message: "" });
    if (input.disrupting.has(name) || node.spec.taints.some((t) => t.key === disruptedTaint)) {
      verdict(out, name, "Disrupting", "being disrupted (tainted karpenter.sh/disrupted, drained, then deleted)");
      continue;
    }
    if (node.status.ready !== "True") {
      verdict(out, name, "NotReady", "not Ready");
      continue;
    }
    const pods = podsOnNode(view, name);
    if (node.metadata.annotations?.[doNotDisruptAnnotation] === "true") {
      verdict(out, name, "DoNotDisrupt", `annotated ${doNotDisruptAnnotation}`);
      continue;
    }
    const blocker = pods.find((p) => p.metadata.annotations?.[doNotDisruptAnnotation] === "true");
    if (blocker !== undefined) {
      verdict(out, name, "DoNotDisrupt", `pod ${objectKey(blocker.metadata)} is annotated ${doNotDisruptAnnotation}`);
      continue;
    }
    const np2 = nodePods(pods, [], new Map(), { skipNodesWithSystemPods: false });
    const guarded = pdbBlocked(np2.move, pdbs);
    if (guarded !== undefined) {
      verdict(out, name, "PdbPreventsEviction", `pdb ${guarded.pdb} prevents pod evictions (${guarded.pod})`);
      continue;
    }
    if (np.consolidateAfterMs === undefined) {
      verdict(out, name, "ConsolidationDisabled", "consolidateAfter: Never");
      continue;
    }
    const stableSinceMs = input.stableSinceMs.get(name) ?? node.metadata.creationMs;
    const eligibleAtMs = stableSinceMs + np.consolidateAfterMs;
    if (input.nowMs < eligibleAtMs) {
      verdict(out, name, "NotStableLongEnough", `its pods last changed at ${formatDurationMs(stableSinceMs)}; consolidateAfter lets it go at ${formatDurationMs(eligibleAtMs)}`, { stableSinceMs, eligibleAtMs });
      continue;
    }
    const move = np2.move.filter((p) => p.metadata.deletionMs === undefined);
    if (move.length > 0 && np.consolidationPolicy === "WhenEmpty") {
      verdict(out, name, "NotEmpty", `${move.length} pod(s) on it and the NodePool consolidates WhenEmpty`);
      continue;
    }
    candidates.push({ node: name, nodePool: np, pricePerHour: price?.pricePerHour ?? 0, spot: price?.spot ?? false, move });
  }
  return candidates.sort((a, b) => a.move.length - b.move.length || (a.node < b.node ? -1 : 1));
}

/**
 * Karpenter's PDB check (pdb.Limits.CanEvictPods): a pod covered by a budget that allows no
 * disruption now blocks its node; otherwise the evictions go out and the Eviction API paces them.
 */
function pdbBlocked(pods: readonly Pod[], pdbs: readonly PodDisruptionBudget[]): { pod: string; pdb: string } | undefined {
  for (const pod of pods) {
    if (pod.metadata.deletionMs !== undefined || canIgnorePdb(pod)) continue;
    const budget = matchingBudgets(pod, pdbs).find((b) => b.status.disruptionsAllowed <= 0);
    if (budget !== undefined) return { pod: objectKey(pod.metadata), pdb: `${budget.metadata.namespace}/${budget.metadata.name}` };
  }
  return undefined;
}

/** Disruptions each NodePool still allows now. */
export function budgetsLeft(input: PassInput): Map<string, number> {
  const counts = new Map<string, { total: number; deleting: number; notReady: number }>();
  for (const np of input.nodePools.keys()) counts.set(np, { total: 0, deleting: 0, notReady: 0 });
  for (const node of input.view.nodes.values()) {
    const c = counts.get(node.metadata.labels[nodePoolLabel] ?? "");
    if (c === undefined) continue;
    c.total++;
    if (input.disrupting.has(node.metadata.name)) c.deleting++;
    else if (node.status.ready !== "True") c.notReady++;
  }
  const out = new Map<string, number>();
  for (const [np, c] of counts) out.set(np, allowedDisruptions((input.nodePools.get(np) as ProvisionerNodePool).budgets, c));
  return out;
}

/** Candidates the budgets let go together, in order. */
function withinBudget(candidates: readonly Candidate[], left: Map<string, number>, out: Map<string, NodeConsolidation>): Candidate[] {
  const used = new Map<string, number>();
  const kept: Candidate[] = [];
  for (const c of candidates) {
    const n = used.get(c.nodePool.name) ?? 0;
    if (n >= (left.get(c.nodePool.name) ?? 0)) {
      verdict(out, c.node, "BudgetExhausted", `the NodePool's disruption budget allows ${left.get(c.nodePool.name) ?? 0} more disruption(s) now`);
      continue;
    }
    used.set(c.nodePool.name, n + 1);
    kept.push(c);
  }
  return kept;
}

interface Simulation {
  ok: boolean;
  claims: Claim[];
  unschedulable: string[];
}

/** Could these nodes go: their pods (and the pending ones) placed on the rest and on new claims. */
export function simulate(input: PassInput, candidates: readonly Candidate[]): Simulation {
  const snapshot = input.snapshot();
  const remaining = input.remaining();
  for (const c of candidates) {
    snapshot.removeNode(c.node);
    const left = remaining.get(c.nodePool.name);
    if (left !== undefined) {
      const node = input.view.nodes.get(c.node) as Node;
      for (const k of Object.keys(left)) left[k] = (left[k] as number) + (node.status.allocatable[k] ?? 0);
    }
  }
  const moving = new Set(candidates.flatMap((c) => c.move.map((p) => objectKey(p.metadata))));
  const pods = [...candidates.flatMap((c) => c.move), ...input.pending];
  const r = solve({ ...input.solveInput, snapshot, pods, remaining, claimPrefix: "consolidation-claim-" });
  const unschedulable = r.unschedulable.filter((u) => moving.has(u.pod)).map((u) => u.pod);
  // Claims made only for pending pods would be made anyway; the ones holding moved pods are the replacement.
  const claims = r.claims.filter((c) => c.pods.some((p) => moving.has(objectKey(p.metadata))));
  return { ok: unschedulable.length === 0, claims, unschedulable };
}

/** A command from a simulation, or why there is none. */
function commandOf(candidates: readonly Candidate[], sim: Simulation, reason: ConsolidationReason, method: Command["method"]): Command | string {
  if (!sim.ok) return `PodsCannotMove:${sim.unschedulable.length} pod(s) fit no other node nor a new one (${sim.unschedulable.slice(0, 3).join(", ")})`;
  const price = candidates.reduce((t, c) => t + c.pricePerHour, 0);
  const nodes = candidates.map((c) => c.node);
  if (sim.claims.length === 0) return { reason, method, nodes, savingsPerHour: price };
  if (sim.claims.length > 1) return `PodsCannotMove:its pods need ${sim.claims.length} new nodes, consolidation launches at most one`;
  if (candidates.some((c) => c.spot)) return "SpotToSpotDisabled:a spot node is only deleted, never replaced (SpotToSpotConsolidation off)";
  const claim = sim.claims[0] as Claim;
  const cheaper = claim.options.filter((o) => o.pricePerHour < price);
  const offering = cheaper[0];
  if (offering === undefined) return `NoCheaperReplacement:can't replace with a lower-priced node (cheapest fit ${claim.options[0]?.instanceType ?? "?"} at ${claim.options[0]?.pricePerHour ?? "?"}/h ≥ ${price.toFixed(3)}/h)`;
  return { reason, method, nodes, replacement: { nodePool: claim.nodePool, offering }, savingsPerHour: price - offering.pricePerHour };
}

function record(out: Map<string, NodeConsolidation>, candidates: readonly Candidate[], result: Command | string): void {
  for (const c of candidates) {
    if (typeof result === "string") {
      const at = result.indexOf(":");
      verdict(out, c.node, result.slice(0, at) as ConsolidationCode, result.slice(at + 1));
    } else {
      const what = result.replacement !== undefined ? `replaced by a ${result.replacement.offering.instanceType} (${result.replacement.offering.capacityType}, ${result.replacement.offering.pricePerHour}/h)` : "deleted, its pods fit the other nodes";
      verdict(out, c.node, "Consolidated", `${result.reason} (${result.method}): ${what}; saves ${result.savingsPerHour.toFixed(3)}/h`);
    }
  }
}

export function consolidationPass(input: PassInput): PassResult {
  const out = new Map<string, NodeConsolidation>();
  const all = candidatesOf(input, out);
  const left = budgetsLeft(input);
  const done = (command?: Command): PassResult => {
    for (const v of out.values()) if (v.code === "NotEvaluated" && v.message === "") v.message = command !== undefined ? "not evaluated: this pass already chose a consolidation" : "candidate; nothing to do";
    return { nodes: [...out.values()], ...(command !== undefined ? { command } : {}) };
  };
  // 1. emptiness
  const empty = withinBudget(all.filter((c) => c.move.length === 0), left, out);
  if (empty.length > 0) {
    const command: Command = { reason: "Empty", method: "emptiness", nodes: empty.map((c) => c.node), savingsPerHour: empty.reduce((t, c) => t + c.pricePerHour, 0) };
    record(out, empty, command);
    return done(command);
  }
  const underutilized = withinBudget(all.filter((c) => c.move.length > 0 && c.nodePool.consolidationPolicy === "WhenEmptyOrUnderutilized"), left, out);
  // 2. multi-node
  const multi = multiNode(input, underutilized.slice(0, input.multiNodeCandidatesMax));
  if (multi !== undefined) {
    record(out, underutilized.filter((c) => multi.nodes.includes(c.node)), multi);
    return done(multi);
  }
  // 3. single-node
  for (const c of underutilized) {
    const result = commandOf([c], simulate(input, [c]), "Underutilized", "single-node");
    record(out, [c], result);
    if (typeof result !== "string") return done(result);
  }
  return done();
}

/** Karpenter's firstNConsolidationOption: binary search for the largest prefix (≥ 2) that consolidates. */
function multiNode(input: PassInput, candidates: readonly Candidate[]): Command | undefined {
  let lo = 2;
  let hi = candidates.length;
  let best: Command | undefined;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const prefix = candidates.slice(0, mid);
    const result = commandOf(prefix, simulate(input, prefix), "Underutilized", "multi-node");
    if (typeof result !== "string") {
      best = result;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}
