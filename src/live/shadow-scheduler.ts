/**
 * The scheduler in shadow: when the cluster binds a pod, ask the twin's scheduler (the same
 * framework and plugins the simulator runs, src/policies/scheduling) where it would have put that
 * pod in the view observed just then, and compare. One cycle over every node (no sampling), a
 * fixed seed for ties, as `explain schedule` does; the view is rebuilt from copies of the observed
 * objects, so nothing observed is mutated.
 */
import { evolve } from "../model/evolve.ts";
import type { Node, Pod } from "../model/objects.ts";
import { Prng } from "../model/prng.ts";
import { emptyState } from "../model/state.ts";
import type { Framework } from "../policies/scheduling/framework.ts";
import { defaultProfile, mergeProfile, type Profile } from "../policies/scheduling/profile.ts";
import { buildFramework } from "../policies/scheduling/registry.ts";
import { runCycle } from "../policies/scheduling/scheduler.ts";
import { nodeTreeOrder, Snapshot } from "../policies/scheduling/snapshot.ts";

export const shadowSeed = 0;

export interface ScheduleVerdict {
  pod: string;
  /** Where the cluster bound it. */
  real: string;
  /** Where the twin would have; null: unschedulable for the twin. */
  twin: string | null;
  agreed: boolean;
  /** The real node passed the twin's filters. */
  realFeasible: boolean;
  nodesFeasible: number;
  /** 1-based rank of the real node among the twin's feasible nodes by score (ties share the better rank); null if infeasible. */
  realRank: number | null;
  /** Same zone (topology.kubernetes.io/zone) as the twin's choice. */
  sameZone: boolean;
}

export function shadowFramework(profile: Profile = defaultProfile): Framework {
  const built = buildFramework(mergeProfile(profile));
  if (built.kind === "Invalid") throw new Error(`scheduler profile: ${built.errors.join("; ")}`);
  return built.framework;
}

const zoneOf = (nodes: ReadonlyMap<string, Node>, name: string | null) => (name === null ? undefined : nodes.get(name)?.metadata.labels["topology.kubernetes.io/zone"]);

/** Judges one observed binding of `podKey` to `real`, in the view of `nodes` and `pods`. */
export function judgeBinding(framework: Framework, nodes: ReadonlyMap<string, Node>, pods: ReadonlyMap<string, Pod>, podKey: string, real: string): ScheduleVerdict {
  const state = emptyState();
  for (const name of [...nodes.keys()].sort()) evolve(state, { kind: "NodeAdded", node: structuredClone(nodes.get(name)!) }, 0);
  for (const key of [...pods.keys()].sort()) {
    const pod = structuredClone(pods.get(key)!);
    if (pod.metadata.uid === "") pod.metadata.uid = `pod-${key}`;
    if (key === podKey) delete pod.spec.nodeName; // as it was before the binding
    if (pod.spec.nodeName !== undefined && !nodes.has(pod.spec.nodeName)) continue; // bound to a node not (yet) observed
    evolve(state, { kind: "PodCreated", pod }, 0);
  }
  const target = state.pods.get(podKey);
  if (target === undefined) throw new Error(`shadow: pod ${podKey} is not in the view`);
  const snapshot = new Snapshot(state, nodeTreeOrder([...state.nodes.values()]));
  const cycle = runCycle(framework, snapshot, target, Prng.fromSeed(shadowSeed), { sample: false, detail: true }, { percentage: 100, startIndex: 0, nominatedNodeName: undefined });
  const explanation = cycle.result.explanation;
  const feasible = (explanation.nodes ?? []).filter((n) => n.total !== null);
  const realNode = feasible.find((n) => n.name === real);
  const twin = explanation.selectedNode;
  return {
    pod: podKey,
    real,
    twin,
    agreed: twin === real,
    realFeasible: realNode !== undefined,
    nodesFeasible: feasible.length,
    realRank: realNode === undefined ? null : 1 + feasible.filter((n) => (n.total as number) > (realNode.total as number)).length,
    sameZone: twin !== null && zoneOf(nodes, twin) === zoneOf(nodes, real),
  };
}

export interface Agreement {
  decisions: number;
  sameNode: number;
  sameZone: number;
  realFeasible: number;
}

export function agreementOf(verdicts: readonly ScheduleVerdict[]): Agreement {
  return {
    decisions: verdicts.length,
    sameNode: verdicts.filter((v) => v.agreed).length,
    sameZone: verdicts.filter((v) => v.sameZone).length,
    realFeasible: verdicts.filter((v) => v.realFeasible).length,
  };
}

export function formatAgreement(a: Agreement): string {
  const pct = (n: number) => (a.decisions === 0 ? "-" : `${((100 * n) / a.decisions).toFixed(1)}%`);
  return `scheduling agreement over ${a.decisions} bindings: same node ${a.sameNode} (${pct(a.sameNode)}), same zone ${a.sameZone} (${pct(a.sameZone)}), cluster's node feasible for the twin ${a.realFeasible} (${pct(a.realFeasible)})`;
}
