/**
 * The scheduler in shadow: when the cluster binds a pod, ask the twin's scheduler (the same
 * framework and plugins the simulator runs, src/policies/scheduling) where it would have put that
 * pod in the view observed just then, and compare. One cycle over every node (no sampling), a
 * fixed seed for ties, as `explain schedule` does.
 */
import { evolve } from "../model/evolve.ts";
import type { KubeObject } from "../k8s/kinds.ts";
import type { Namespace, Node, Pod, ReplicaSet } from "../model/objects.ts";
import type { StoredObject } from "../model/stored-objects.ts";
import { Prng } from "../model/prng.ts";
import { emptyState, type ClusterState } from "../model/state.ts";
import type { Explanation } from "../policies/scheduling/explanation.ts";
import type { Framework } from "../policies/scheduling/framework.ts";
import { defaultProfile, mergeProfile, type Profile } from "../policies/scheduling/profile.ts";
import { buildFramework } from "../policies/scheduling/registry.ts";
import { runCycle } from "../policies/scheduling/scheduler.ts";
import { nodeTreeOrder, Snapshot } from "../policies/scheduling/snapshot.ts";

export const shadowSeed = 0;

/** The kinds besides Node and Pod whose objects the twin's scheduler reads. */
export const shadowObjectKinds = ["Namespace", "ReplicaSet", "PersistentVolume", "PersistentVolumeClaim", "PodDisruptionBudget"] as const;
export type ShadowObjectKind = (typeof shadowObjectKinds)[number];
/** What a shadow session watches. */
export const shadowKinds: readonly string[] = ["Node", "Pod", ...shadowObjectKinds];

export interface ScheduleVerdict {
  pod: string;
  /** Where the cluster bound it. */
  real: string;
  /** Where the twin would have; null: unschedulable for the twin. */
  twin: string | null;
  /** The headline agreement: the same node, or a tie (below). */
  agreed: boolean;
  sameNode: boolean;
  /**
   * Another node, but of the twin's best score: upstream's selectHost picks uniformly at random
   * among the top-scored nodes (reservoir sampling), from a random stream no other process can
   * reproduce, so the twin would have been as likely to pick the cluster's node.
   */
  tie: boolean;
  /** The real node passed the twin's filters. */
  realFeasible: boolean;
  nodesFeasible: number;
  /** 1-based rank of the real node among the twin's feasible nodes by score (ties share the better rank); null if infeasible. */
  realRank: number | null;
  /** Same zone (topology.kubernetes.io/zone) as the twin's choice. */
  sameZone: boolean;
  /** The twin's total score of the cluster's node (null: infeasible) and of its own pick. */
  realScore: number | null;
  bestScore: number | null;
  /**
   * 0: judged in the view just before the bind. k > 0: the twin disagreed there, but agreed in the
   * view k observed changes earlier (after the previous binding), one the scheduler may have decided in.
   */
  changesBefore: number;
}

/** The framework of a profile as written (merged over upstream's default), or of one already merged. */
export function shadowFramework(profile: Profile = defaultProfile, options: { merged: boolean } = { merged: false }): Framework {
  const built = buildFramework(options.merged ? profile : mergeProfile(profile));
  if (built.kind === "Invalid") throw new Error(`scheduler profile: ${built.errors.join("; ")}`);
  return built.framework;
}

const zoneOf = (nodes: ReadonlyMap<string, Node>, name: string | null) => (name === null ? undefined : nodes.get(name)?.metadata.labels["topology.kubernetes.io/zone"]);

/**
 * The scheduler's view of the observed cluster, kept up to date change by change (so judging a
 * binding costs one scheduling cycle, not a rebuild). It holds copies: `evolve` writes versions
 * into the objects it owns, and observed objects are never mutated.
 */
export class ShadowView {
  readonly state: ClusterState;

  constructor(state: ClusterState = emptyState()) {
    this.state = state;
  }

  /** An independent copy (the linked maps of a ClusterState stay linked: structuredClone keeps identity). */
  copy(): ShadowView {
    return new ShadowView(structuredClone(this.state));
  }

  putNode(node: Node): void {
    const name = node.metadata.name;
    if (this.state.nodes.has(name)) evolve(this.state, { kind: "NodeRemoved", name }, this.state.nowMs);
    evolve(this.state, { kind: "NodeAdded", node: structuredClone(node) }, this.state.nowMs);
  }

  removeNode(name: string): void {
    if (this.state.nodes.has(name)) evolve(this.state, { kind: "NodeRemoved", name }, this.state.nowMs);
  }

  putPod(key: string, pod: Pod): void {
    this.removePod(key);
    const copy = structuredClone(pod);
    if (copy.metadata.uid === "") copy.metadata.uid = `pod-${key}`;
    evolve(this.state, { kind: "PodCreated", pod: copy }, this.state.nowMs);
  }

  removePod(key: string): void {
    if (this.state.pods.has(key)) evolve(this.state, { kind: "PodRemoved", key }, this.state.nowMs);
  }

  /**
   * An object of a kind the scheduler's plugins read besides nodes and pods (shadowObjectKinds):
   * ReplicaSets (PodTopologySpread's default selector, upstream helper.DefaultSelector),
   * namespaces (affinity namespaceSelector), volumes and claims (VolumeBinding), PDBs (preemption).
   */
  putObject(kind: ShadowObjectKind, key: string, object: KubeObject): void {
    const copy = structuredClone(object);
    if (kind === "Namespace") return evolve(this.state, { kind: "NamespaceCreated", namespace: copy as Namespace }, this.state.nowMs);
    if (kind === "ReplicaSet") return evolve(this.state, { kind: "ReplicaSetCreated", replicaSet: copy as ReplicaSet }, this.state.nowMs);
    this.removeObject(kind, key);
    evolve(this.state, { kind: "ObjectCreated", object: copy as StoredObject }, this.state.nowMs);
  }

  removeObject(kind: ShadowObjectKind, key: string): void {
    if (kind === "Namespace") return void this.state.namespaces.delete(key); // no event removes one; nothing indexes them
    if (kind === "ReplicaSet") {
      if (this.state.replicaSets.has(key)) evolve(this.state, { kind: "ReplicaSetRemoved", key }, this.state.nowMs);
      return;
    }
    if (this.state.objects.get(kind)?.has(key)) evolve(this.state, { kind: "ObjectDeleted", objectKind: kind, key }, this.state.nowMs);
  }

  /** Where the twin would have put `podKey` (now bound to `real`) had it been unbound: one cycle, every node. */
  judge(framework: Framework, podKey: string, real: string): ScheduleVerdict {
    const bound = this.state.pods.get(podKey);
    if (bound === undefined) throw new Error(`shadow: pod ${podKey} is not in the view`);
    const unbound = structuredClone(bound);
    delete unbound.spec.nodeName;
    this.putPod(podKey, unbound);
    const target = this.state.pods.get(podKey) as Pod;
    const snapshot = new Snapshot(this.state, nodeTreeOrder([...this.state.nodes.values()]));
    const cycle = runCycle(framework, snapshot, target, Prng.fromSeed(shadowSeed), { sample: false, detail: true }, { percentage: 100, startIndex: 0, nominatedNodeName: undefined });
    this.putPod(podKey, bound);
    return verdictOf(cycle.result.explanation, this.state.nodes, podKey, real);
  }
}

function verdictOf(explanation: Explanation, nodes: ReadonlyMap<string, Node>, podKey: string, real: string): ScheduleVerdict {
  const feasible = (explanation.nodes ?? []).filter((n) => n.total !== null);
  const realNode = feasible.find((n) => n.name === real);
  const twin = explanation.selectedNode;
  const best = feasible.find((n) => n.name === twin)?.total ?? null;
  const realScore = realNode?.total ?? null;
  const tie = twin !== real && realScore !== null && realScore === best;
  return {
    pod: podKey,
    real,
    twin,
    agreed: twin === real || tie,
    sameNode: twin === real,
    tie,
    realFeasible: realNode !== undefined,
    nodesFeasible: feasible.length,
    realRank: realNode === undefined ? null : 1 + feasible.filter((n) => (n.total as number) > (realNode.total as number)).length,
    sameZone: twin !== null && zoneOf(nodes, twin) === zoneOf(nodes, real),
    realScore,
    bestScore: best,
    changesBefore: 0,
  };
}

export interface Agreement {
  decisions: number;
  /** The headline: bindings to the twin's node or to another of its best score (a tie). */
  agreed: number;
  sameNode: number;
  /** Of `agreed`, the ties: the cluster's node had the twin's best score, the twin broke the tie otherwise. */
  ties: number;
  /** Of `agreed`, the ones agreed only in an earlier view (changesBefore > 0). */
  inEarlierView: number;
  sameZone: number;
  realFeasible: number;
}

export function agreementOf(verdicts: readonly ScheduleVerdict[]): Agreement {
  return {
    decisions: verdicts.length,
    agreed: verdicts.filter((v) => v.agreed).length,
    sameNode: verdicts.filter((v) => v.sameNode).length,
    ties: verdicts.filter((v) => v.tie).length,
    inEarlierView: verdicts.filter((v) => v.agreed && v.changesBefore > 0).length,
    sameZone: verdicts.filter((v) => v.sameZone).length,
    realFeasible: verdicts.filter((v) => v.realFeasible).length,
  };
}

export function formatAgreement(a: Agreement): string {
  const pct = (n: number) => (a.decisions === 0 ? "-" : `${((100 * n) / a.decisions).toFixed(1)}%`);
  return `scheduling agreement over ${a.decisions} bindings: ${a.agreed} (${pct(a.agreed)}) to the twin's node or one of its best score (same node ${a.sameNode} (${pct(a.sameNode)}), ties broke otherwise ${a.ties}, in a view before the latest changes ${a.inEarlierView}), same zone ${a.sameZone} (${pct(a.sameZone)}), cluster's node feasible for the twin ${a.realFeasible} (${pct(a.realFeasible)})`;
}
