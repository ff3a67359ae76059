/**
 * The provisioner's parts against Karpenter's documented behaviour: offerings a NodePool's
 * requirements allow (on-demand by default), NodePool disruption budgets
 * (roundup(total × %) − deleting − notReady, the most restrictive wins), the scheduling
 * simulation choosing the cheapest instance type that fits, and the consolidation pass
 * (emptiness, consolidateAfter, PDBs, single- and multi-node, budgets, spot never replaced).
 */
import { describe, expect, test } from "vitest";
import type { ClusterEvent } from "../../../src/model/cluster-event.ts";
import { evolve } from "../../../src/model/evolve.ts";
import type { Node, Pod } from "../../../src/model/objects.ts";
import type { PodDisruptionBudget } from "../../../src/model/scheduling-objects.ts";
import type { ClusterState } from "../../../src/model/state.ts";
import { Prng } from "../../../src/model/prng.ts";
import { ClusterSnapshot } from "../../../src/policies/autoscaling/cluster-autoscaler/cluster-snapshot.ts";
import { allowedDisruptions } from "../../../src/policies/autoscaling/provisioner/budgets.ts";
import { builtInInstanceTypes, capacityTypeLabel, instanceTypeLabel, nodePoolLabel, offeringsFor, zoneLabel, type Offering } from "../../../src/policies/autoscaling/provisioner/instance-types.ts";
import { provisionerDefaults, type ProvisionerNodePool } from "../../../src/policies/autoscaling/provisioner/node-pool.ts";
import { solve } from "../../../src/policies/autoscaling/provisioner/solve.ts";
import { disruptKey, provisionKey, provisionerController, type ProvisionerState } from "../../../src/policies/controllers/provisioner.ts";
import { clusterOf, makeNode } from "../builders.ts";
import { framework, gi, poolNode, rsPod } from "./ca-fixtures.ts";

const zones = ["zone-a"];

function nodePool(o: Partial<ProvisionerNodePool> & { spot?: boolean } = {}): ProvisionerNodePool {
  const requirements = o.spot === true ? [{ key: capacityTypeLabel, operator: "In" as const, values: ["spot"] }] : [];
  return {
    name: o.name ?? "np", weight: 0, labels: {}, taints: o.taints ?? [], limits: o.limits ?? {},
    consolidationPolicy: o.consolidationPolicy ?? "WhenEmptyOrUnderutilized", consolidateAfterMs: "consolidateAfterMs" in o ? o.consolidateAfterMs : 30_000,
    budgets: o.budgets ?? [{ nodes: "10%" }],
    offerings: o.offerings ?? offeringsFor(builtInInstanceTypes, zones, requirements, {}),
  };
}

function template(np: ProvisionerNodePool, off: Offering, name: string): Node {
  const b = makeNode().name(name).zone(off.zone).allocatable({ ...off.allocatable })
    .label(nodePoolLabel, np.name).label(capacityTypeLabel, off.capacityType).label(instanceTypeLabel, off.instanceType).label("kubetwin.io/pool", np.name);
  const node = b.obj();
  for (const t of np.taints) node.spec.taints.push({ ...t });
  return node;
}

function offering(np: ProvisionerNodePool, type: string, capacity = "on-demand"): Offering {
  return np.offerings.find((o) => o.instanceType === type && o.capacityType === capacity) as Offering;
}

function solveFor(np: ProvisionerNodePool, pods: Pod[], nodes: Node[] = []) {
  const view = clusterOf(nodes);
  return solve({ snapshot: new ClusterSnapshot(view, framework), pods, nodePools: [np], remaining: Object.keys(np.limits).length > 0 ? new Map([[np.name, { ...np.limits }]]) : new Map(), template, overhead: () => ({}), claimPrefix: "claim-" });
}

function pdb(name: string, app: string, disruptionsAllowed: number): PodDisruptionBudget {
  return {
    kind: "PodDisruptionBudget",
    metadata: { name, namespace: "default", uid: name, labels: {}, creationMs: 0 },
    spec: { selector: { matchLabels: { app } }, minAvailable: 1 },
    status: { disruptionsAllowed, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, disruptedPods: {} },
  } as PodDisruptionBudget;
}

describe("offerings (Karpenter NodePool requirements over the catalogue)", () => {
  test("without a capacity-type requirement only on-demand is offered, cheapest first", () => {
    const offers = offeringsFor(builtInInstanceTypes, ["zone-a", "zone-b"], [], {});
    expect(offers.every((o) => o.capacityType === "on-demand")).toBe(true);
    expect(offers.length).toBe(builtInInstanceTypes.length * 2);
    for (let i = 1; i < offers.length; i++) expect((offers[i] as Offering).pricePerHour).toBeGreaterThanOrEqual((offers[i - 1] as Offering).pricePerHour);
    expect(offers[0]?.instanceType).toBe("compute.large");
  });

  test("capacity type, instance type and zone requirements narrow the offerings", () => {
    const offers = offeringsFor(builtInInstanceTypes, ["zone-a", "zone-b"], [
      { key: capacityTypeLabel, operator: "In", values: ["spot"] },
      { key: instanceTypeLabel, operator: "NotIn", values: ["compute.large"] },
      { key: zoneLabel, operator: "In", values: ["zone-b"] },
    ], {});
    expect(offers.length).toBe(builtInInstanceTypes.length - 1);
    expect(offers.every((o) => o.capacityType === "spot" && o.zone === "zone-b" && o.instanceType !== "compute.large")).toBe(true);
  });
});

describe("NodePool disruption budgets (allowed = roundup(total × %) − deleting − notReady)", () => {
  test("percentages round up: 20% of 19 nodes allows 4, 10% of 19 allows 2, 10% of 1 allows 1", () => {
    expect(allowedDisruptions([{ nodes: "20%" }], { total: 19, deleting: 0, notReady: 0 })).toBe(4);
    expect(allowedDisruptions([{ nodes: "10%" }], { total: 19, deleting: 0, notReady: 0 })).toBe(2);
    expect(allowedDisruptions([{ nodes: "10%" }], { total: 1, deleting: 0, notReady: 0 })).toBe(1);
  });

  test("nodes being deleted and not Ready use the budget up; the most restrictive budget wins; never negative", () => {
    expect(allowedDisruptions([{ nodes: "20%" }], { total: 19, deleting: 1, notReady: 1 })).toBe(2);
    expect(allowedDisruptions([{ nodes: "20%" }, { nodes: "3" }], { total: 19, deleting: 0, notReady: 0 })).toBe(3);
    expect(allowedDisruptions([{ nodes: "5" }], { total: 19, deleting: 4, notReady: 3 })).toBe(0);
    expect(allowedDisruptions([{ nodes: "0" }], { total: 10, deleting: 0, notReady: 0 })).toBe(0);
  });
});

describe("scheduling simulation: the cheapest instance type that fits", () => {
  test("one 900m pod gets the cheapest type (compute.large); three grow one claim into a compute.xlarge", () => {
    const np = nodePool();
    const one = solveFor(np, [rsPod("a", 900)]);
    expect(one.claims.map((c) => c.options[0]?.instanceType)).toEqual(["compute.large"]);
    const three = solveFor(np, [rsPod("a", 900), rsPod("b", 900), rsPod("c", 900)]);
    expect(three.claims.length).toBe(1);
    expect(three.claims[0]?.options[0]?.instanceType).toBe("compute.xlarge");
    expect(three.claims[0]?.pods.length).toBe(3);
  });

  test("a memory-heavy pod gets the cheapest type with the memory (memory.large), not the cheapest overall", () => {
    const pod = rsPod("m", 500);
    pod.spec.containers[0]!.requests = { cpu: 500, memory: 10 * gi };
    expect(solveFor(nodePool(), [pod]).claims[0]?.options[0]?.instanceType).toBe("memory.large");
  });

  test("a pod selecting on-demand in a NodePool that allows spot gets the cheapest on-demand offering; others get spot", () => {
    const both = nodePool({ offerings: offeringsFor(builtInInstanceTypes, zones, [{ key: capacityTypeLabel, operator: "In", values: ["spot", "on-demand"] }], {}) });
    const picky = rsPod("od", 900);
    picky.spec.nodeSelector = { [capacityTypeLabel]: "on-demand" };
    const r = solveFor(both, [picky, rsPod("any", 1500)]);
    expect(r.claims.map((c) => [c.options[0]?.instanceType, c.options[0]?.capacityType, c.pods.map((p) => p.metadata.name)])).toEqual([
      ["compute.large", "spot", ["any"]],
      ["compute.large", "on-demand", ["od"]],
    ]);
  });

  test("pods that fit an existing node open no claim", () => {
    const r = solveFor(nodePool(), [rsPod("a", 900)], [poolNode("static", "base", 2000)]);
    expect(r.claims.length).toBe(0);
    expect(r.existing.get("default/a")).toBe("static");
  });

  test("a NodePool taint the pod does not tolerate leaves it unschedulable (the scheduler's TaintToleration decides)", () => {
    const np = nodePool({ taints: [{ key: "team", value: "gpu", effect: "NoSchedule" }] });
    const r = solveFor(np, [rsPod("a", 900)]);
    expect(r.claims.length).toBe(0);
    expect(r.unschedulable[0]?.reason).toContain("incompatible");
    const tolerant = rsPod("b", 900);
    tolerant.spec.tolerations = [{ key: "team", operator: "Equal", value: "gpu", effect: "NoSchedule" }];
    expect(solveFor(np, [tolerant]).claims.length).toBe(1);
  });

  test("limits: a NodePool limited to 4 cores launches no more than 4 cores", () => {
    const r = solveFor(nodePool({ limits: { cpu: 4000 } }), [0, 1, 2, 3, 4].map((i) => rsPod(`p${i}`, 1500)));
    const cores = r.claims.reduce((t, c) => t + (c.options[0]?.allocatable.cpu ?? 0), 0);
    expect(cores).toBeLessThanOrEqual(4000);
    expect(r.unschedulable.length).toBeGreaterThan(0);
  });
});

function apply(state: ClusterState, ...events: ClusterEvent[]): ClusterState {
  for (const e of events) evolve(state, e, state.nowMs);
  return state;
}

/** Runs disruption passes at `times` and returns the state after each. */
function passes(np: ProvisionerNodePool, view: ClusterState, times: number[]): ProvisionerState[] {
  const c = provisionerController({ nodePools: [np], options: provisionerDefaults, framework, template });
  let state = c.initialState();
  const out: ProvisionerState[] = [];
  for (const t of times) {
    const r = c.reconcile(view, state, disruptKey, t, Prng.fromSeed(1));
    state = r.state;
    out.push(structuredClone(state));
  }
  return out;
}

function launched(np: ProvisionerNodePool, name: string, type: string, capacity = "on-demand"): Node {
  return template(np, offering(np, type, capacity), name);
}

function verdictOf(s: ProvisionerState, node: string) {
  return s.lastDisruption?.nodes.find((n) => n.node === node);
}

describe("consolidation (emptiness, multi-node, single-node)", () => {
  test("an empty node is a candidate only after consolidateAfter; then emptiness deletes it after the 15 s validation", () => {
    const np = nodePool({ consolidateAfterMs: 60_000 });
    const view = clusterOf([launched(np, "np-0", "compute.large")]);
    const [early, found, validated] = passes(np, view, [30_000, 70_000, 90_000]);
    expect(verdictOf(early!, "np-0")?.code).toBe("NotStableLongEnough");
    expect(verdictOf(early!, "np-0")?.eligibleAtMs).toBe(60_000);
    expect(found?.lastDisruption?.command).toMatchObject({ reason: "Empty", method: "emptiness", nodes: ["np-0"] });
    expect(found?.lastDisruption?.validating).toBe(true);
    expect(validated?.lastDisruption?.executed).toBe(true);
    expect(validated?.terminating.has("np-0")).toBe(true);
  });

  test("consolidateAfter Never disables consolidation; WhenEmpty keeps a node with pods", () => {
    const never = nodePool({ consolidateAfterMs: undefined });
    expect(verdictOf(passes(never, clusterOf([launched(never, "np-0", "compute.large")]), [100_000])[0]!, "np-0")?.code).toBe("ConsolidationDisabled");
    const whenEmpty = nodePool({ consolidationPolicy: "WhenEmpty" });
    const view = clusterOf([launched(whenEmpty, "np-0", "compute.xlarge"), poolNode("static", "base", 4000)], [rsPod("a", 500, "np-0")]);
    expect(verdictOf(passes(whenEmpty, view, [100_000])[0]!, "np-0")?.code).toBe("NotEmpty");
  });

  test("single-node: a node whose pods fit elsewhere is deleted; a PDB with no disruption left prevents it", () => {
    const np = nodePool();
    const nodes = [launched(np, "np-0", "compute.xlarge"), poolNode("static", "base", 4000)];
    const pod = rsPod("a", 1000, "np-0");
    pod.metadata.labels.app = "web";
    const free = passes(np, clusterOf(nodes, [pod]), [100_000])[0]!;
    expect(free.lastDisruption?.command).toMatchObject({ reason: "Underutilized", method: "single-node", nodes: ["np-0"] });
    expect(free.lastDisruption?.command?.replacement).toBeUndefined();
    const guarded = apply(clusterOf(nodes, [pod]), { kind: "ObjectCreated", object: pdb("web", "web", 0) });
    const blocked = passes(np, guarded, [100_000])[0]!;
    expect(verdictOf(blocked, "np-0")?.code).toBe("PdbPreventsEviction");
    expect(blocked.lastDisruption?.command).toBeUndefined();
  });

  test("single-node replace: a half-empty compute.2xlarge is replaced by the cheapest type that holds its pods", () => {
    const np = nodePool();
    const s = passes(np, clusterOf([launched(np, "np-0", "compute.2xlarge")], [rsPod("a", 1500, "np-0")]), [100_000])[0]!;
    expect(s.lastDisruption?.command?.method).toBe("single-node");
    expect(s.lastDisruption?.command?.replacement?.offering.instanceType).toBe("compute.large");
    expect(s.lastDisruption?.command?.savingsPerHour).toBeCloseTo(0.34 - 0.085, 6);
  });

  test("spot is deleted, never replaced (SpotToSpotConsolidation off)", () => {
    const np = nodePool({ spot: true });
    const s = passes(np, clusterOf([launched(np, "np-0", "compute.2xlarge", "spot")], [rsPod("a", 1500, "np-0")]), [100_000])[0]!;
    expect(verdictOf(s, "np-0")?.code).toBe("SpotToSpotDisabled");
    expect(s.lastDisruption?.command).toBeUndefined();
  });

  test("multi-node: two lightly used nodes go together for one cheaper replacement", () => {
    const np = nodePool({ budgets: [{ nodes: "100%" }] });
    const view = clusterOf([launched(np, "np-0", "compute.xlarge"), launched(np, "np-1", "compute.xlarge")], [rsPod("a", 900, "np-0"), rsPod("b", 900, "np-1")]);
    const cmd = passes(np, view, [100_000])[0]!.lastDisruption?.command;
    expect(cmd?.method).toBe("multi-node");
    expect(cmd?.nodes).toEqual(["np-0", "np-1"]);
    expect(cmd?.replacement?.offering.instanceType).toBe("compute.large");
  });

  test("the budget bounds a pass: with nodes \"0\" nothing is disrupted, with 1 of 2 only one empty node goes", () => {
    const zero = nodePool({ budgets: [{ nodes: "0" }] });
    const s0 = passes(zero, clusterOf([launched(zero, "np-0", "compute.large")]), [100_000])[0]!;
    expect(verdictOf(s0, "np-0")?.code).toBe("BudgetExhausted");
    const one = nodePool({ budgets: [{ nodes: "1" }] });
    const s1 = passes(one, clusterOf([launched(one, "np-0", "compute.large"), launched(one, "np-1", "compute.large")]), [100_000])[0]!;
    expect(s1.lastDisruption?.command?.nodes).toEqual(["np-0"]);
    expect(verdictOf(s1, "np-1")?.code).toBe("BudgetExhausted");
  });
});

describe("provisioning batches (Karpenter's BATCH_IDLE_DURATION 1 s, BATCH_MAX_DURATION 10 s)", () => {
  function pendingView(n: number): ClusterState {
    const pods = Array.from({ length: n }, (_, i) => rsPod(`p${i}`, 900));
    const view = clusterOf([], pods);
    for (const p of pods) apply(view, { kind: "PodUnschedulable", key: `default/${p.metadata.name}`, message: "0/0 nodes are available" });
    return view;
  }

  /** Delivers a trigger at each time of `triggersMs` and the batch's own requeues; the times launches went out. */
  function launchTimes(triggersMs: number[], untilMs: number): { atMs: number; nodes: number }[] {
    const c = provisionerController({ nodePools: [nodePool()], options: provisionerDefaults, framework, template });
    const view = pendingView(3);
    let state = c.initialState();
    const timers: number[] = [...triggersMs.map((t) => -t - 1)]; // negative: a watch trigger at -t-1
    const out: { atMs: number; nodes: number }[] = [];
    const due = () => timers.map((t) => (t < 0 ? -t - 1 : t)).filter((t) => t <= untilMs).sort((a, b) => a - b)[0];
    for (let next = due(); next !== undefined; next = due()) {
      const i = timers.findIndex((t) => (t < 0 ? -t - 1 : t) === next);
      const trigger = (timers[i] as number) < 0;
      timers.splice(i, 1);
      if (trigger) state = c.observe(view, state, { kind: "PodUnschedulable", key: "default/p0", message: "" }).state;
      const r = c.reconcile(view, state, provisionKey, next, Prng.fromSeed(1));
      state = r.state;
      for (const q of r.requeue) timers.push(next + q.afterMs);
      const launches = r.decisions.filter((d) => d.kind === "ProvisionNode").length;
      if (launches > 0) out.push({ atMs: next, nodes: launches });
    }
    return out;
  }

  test("the batch closes 1 s after the last pending pod", () => {
    expect(launchTimes([0], 60_000)).toEqual([{ atMs: 1_000, nodes: 1 }]);
    expect(launchTimes([0, 600, 1_200], 60_000)).toEqual([{ atMs: 2_200, nodes: 1 }]);
  });

  test("pods arriving without pause close it 10 s after the first", () => {
    const steady = Array.from({ length: 30 }, (_, i) => i * 500);
    expect(launchTimes(steady, 60_000)[0]?.atMs).toBe(10_000);
  });
});
