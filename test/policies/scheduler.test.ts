import { describe, expect, test } from "vitest";
import { evolve } from "../../src/model/evolve.ts";
import type { Pod } from "../../src/model/objects.ts";
import { Prng } from "../../src/model/prng.ts";
import type { PersistentVolume, PersistentVolumeClaim, PodDisruptionBudget } from "../../src/model/scheduling-objects.ts";
import type { ClusterState } from "../../src/model/state.ts";
import { inTreeRegistry, type PluginFactory } from "../../src/policies/scheduling/registry.ts";
import { createScheduler, numFeasibleNodesToFind, type ScheduleResult } from "../../src/policies/scheduling/scheduler.ts";
import { status, SUCCESS } from "../../src/policies/scheduling/status.ts";
import { clusterOf, makeNode, makePod } from "./builders.ts";

const gi = 1024 ** 3;

function bindInto(state: ClusterState, result: ScheduleResult): void {
  if (result.kind === "Bind") evolve(state, { kind: "PodBound", key: result.podKey, nodeName: result.nodeName }, state.nowMs);
}

function create(state: ClusterState, pod: Pod): string {
  evolve(state, { kind: "PodCreated", pod }, state.nowMs);
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

describe("scheduleOne", () => {
  test("picks the least allocated node (default profile)", () => {
    const state = clusterOf(
      [makeNode().name("small").cpuMilli(2000).memoryMi(4096).pods(110).obj(), makeNode().name("big").cpuMilli(8000).memoryMi(16384).pods(110).obj()],
    );
    const key = create(state, makePod().name("p").cpuMilli(500).memoryMi(512).obj());
    const r = createScheduler({ profiles: [] }).scheduleOne(state, key, Prng.fromSeed(1));
    expect(r.kind).toBe("Bind");
    if (r.kind === "Bind") expect(r.nodeName).toBe("big");
  });

  test("an unschedulable pod gets upstream's message with a sorted reason histogram", () => {
    const state = clusterOf(
      [
        makeNode().name("a").cpuMilli(3000).memoryMi(1024).obj(),
        makeNode().name("b").cpuMilli(8000).memoryMi(8192).taint({ key: "dedicated", value: "x", effect: "NoSchedule" }).obj(),
      ],
      [makePod().name("resident").cpuMilli(2000).node("a").obj()],
    );
    const key = create(state, makePod().name("p").cpuMilli(2000).obj());
    const r = createScheduler({ profiles: [] }).scheduleOne(state, key, Prng.fromSeed(1));
    expect(r.kind).toBe("Unschedulable");
    if (r.kind !== "Unschedulable") return;
    expect(r.message).toBe(
      "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint(s). preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.",
    );
    expect(r.resolvable).toBe(true);
    expect(r.explanation.rejectedPlugins).toEqual(["NodeResourcesFit", "TaintToleration"]);
  });

  test("assumed binds count before the view applies them (no overcommit between cycles)", () => {
    const state = clusterOf([makeNode().name("n").cpuMilli(1000).memoryMi(1024).obj()]);
    const k1 = create(state, makePod().name("p1").cpuMilli(600).obj());
    const k2 = create(state, makePod().name("p2").cpuMilli(600).obj());
    const scheduler = createScheduler({ profiles: [] });
    expect(scheduler.scheduleOne(state, k1, Prng.fromSeed(1)).kind).toBe("Bind");
    expect(scheduler.scheduleOne(state, k2, Prng.fromSeed(1)).kind).toBe("Unschedulable");
    scheduler.forget(k1);
    expect(scheduler.scheduleOne(state, k2, Prng.fromSeed(1)).kind).toBe("Bind");
  });

  test("profiles are chosen by schedulerName; MostAllocated packs", () => {
    const state = clusterOf([
      makeNode().name("a").cpuMilli(4000).memoryMi(8192).obj(),
      makeNode().name("b").cpuMilli(4000).memoryMi(8192).obj(),
    ]);
    const scheduler = createScheduler({
      profiles: [
        { schedulerName: "default-scheduler" },
        { schedulerName: "packer", pluginConfig: [{ name: "NodeResourcesFit", args: { scoringStrategy: { type: "MostAllocated" } } }] },
      ],
    });
    const nodes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const key = create(state, makePod().name(`p${i}`).cpuMilli(500).memoryMi(256).schedulerName("packer").obj());
      const r = scheduler.scheduleOne(state, key, Prng.fromSeed(i));
      bindInto(state, r);
      if (r.kind === "Bind") nodes.push(r.nodeName);
    }
    expect(new Set(nodes).size).toBe(1);
    const none = create(state, makePod().name("lost").schedulerName("nobody").obj());
    expect(scheduler.scheduleOne(state, none, Prng.fromSeed(1)).kind).toBe("Unschedulable");
  });

  test("required anti-affinity spreads replicas one per host, then refuses", () => {
    const state = clusterOf([1, 2, 3].map((i) => makeNode().name(`n${i}`).cpuMilli(4000).memoryMi(8192).obj()));
    const scheduler = createScheduler({ profiles: [] });
    const hosts: string[] = [];
    for (let i = 0; i < 4; i++) {
      const pod = makePod().name(`web-${i}`).label("app", "web").podAntiAffinity("kubernetes.io/hostname", { matchLabels: { app: "web" } }).obj();
      const r = scheduler.scheduleOne(state, create(state, pod), Prng.fromSeed(i));
      bindInto(state, r);
      if (r.kind === "Bind") hosts.push(r.nodeName);
      else expect(r.message).toContain("3 node(s) didn't satisfy existing pods anti-affinity rules");
    }
    expect(hosts.sort()).toEqual(["n1", "n2", "n3"]);
  });

  test("a pod whose claim is bound to a zonal volume stays in that zone", () => {
    const state = clusterOf([
      makeNode().name("a1").zone("a").cpuMilli(4000).memoryMi(8192).obj(),
      makeNode().name("b1").zone("b").cpuMilli(8000).memoryMi(16384).obj(),
    ]);
    const pv: PersistentVolume = {
      kind: "PersistentVolume",
      metadata: { name: "pv-0", namespace: "", uid: "pv", labels: { "topology.kubernetes.io/zone": "a" }, creationMs: 0 },
      spec: { capacity: { storage: gi } },
      status: { phase: "Bound" },
    };
    const pvc: PersistentVolumeClaim = {
      kind: "PersistentVolumeClaim",
      metadata: { name: "data-db-0", namespace: "default", uid: "pvc", labels: {}, creationMs: 0 },
      spec: { resources: { requests: { storage: gi } }, volumeName: "pv-0" },
      status: { phase: "Bound" },
    };
    const view = { ...state, persistentVolumes: new Map([["pv-0", pv]]), persistentVolumeClaims: new Map([["default/data-db-0", pvc]]) };
    const key = create(state, makePod().name("db-0").claim("data-db-0").obj());
    const r = createScheduler({ profiles: [] }).scheduleOne(view, key, Prng.fromSeed(3));
    expect(r.kind === "Bind" && r.nodeName).toBe("a1");
    const missing = create(state, makePod().name("db-1").claim("nope").obj());
    const m = createScheduler({ profiles: [] }).scheduleOne(view, missing, Prng.fromSeed(3));
    expect(m.kind === "Unschedulable" && m.message).toBe(
      '0/2 nodes are available: persistentvolumeclaim "nope" not found. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    );
  });
});

describe("preemption", () => {
  function fullCluster(): ClusterState {
    return clusterOf(
      [makeNode().name("n1").cpuMilli(2000).memoryMi(4096).obj(), makeNode().name("n2").cpuMilli(2000).memoryMi(4096).obj()],
      [
        makePod().name("low-a").priority(1).cpuMilli(1000).node("n1").label("app", "a").obj(),
        makePod().name("low-b").priority(1).cpuMilli(1000).node("n1").label("app", "b").obj(),
        makePod().name("mid").priority(5).cpuMilli(1000).node("n2").obj(),
        makePod().name("high").priority(100).cpuMilli(1000).node("n2").obj(),
      ],
    );
  }

  test("evicts the fewest lower-priority pods and nominates their node", () => {
    const state = fullCluster();
    const key = create(state, makePod().name("urgent").priority(50).cpuMilli(1000).obj());
    const r = createScheduler({ profiles: [] }).scheduleOne(state, key, Prng.fromSeed(1));
    expect(r.kind).toBe("Unschedulable");
    if (r.kind !== "Unschedulable") return;
    expect(r.victims.length).toBe(1);
    expect(["default/low-a", "default/low-b", "default/mid"]).toContain(r.victims[0]);
    // n1 needs one of two priority-1 pods; n2 would cost the priority-5 pod: lowest top priority wins.
    expect(r.nominatedNodeName).toBe("n1");
  });

  test("avoids a victim protected by a PodDisruptionBudget when another fits", () => {
    const state = fullCluster();
    const pdb: PodDisruptionBudget = {
      kind: "PodDisruptionBudget",
      metadata: { name: "a", namespace: "default", uid: "pdb", labels: {}, creationMs: 0 },
      spec: { selector: { matchLabels: { app: "a" } }, minAvailable: 1 },
      status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 },
    };
    const view = { ...state, podDisruptionBudgets: new Map([["default/a", pdb]]) };
    const key = create(state, makePod().name("urgent").priority(50).cpuMilli(1000).obj());
    const r = createScheduler({ profiles: [] }).scheduleOne(view, key, Prng.fromSeed(1));
    expect(r.kind === "Unschedulable" && r.victims).toEqual(["default/low-b"]);
  });

  test("never evicts equal or higher priority; preemptionPolicy Never does not preempt", () => {
    const state = fullCluster();
    const equal = create(state, makePod().name("eq").priority(1).cpuMilli(1000).obj());
    const r = createScheduler({ profiles: [] }).scheduleOne(state, equal, Prng.fromSeed(1));
    expect(r.kind === "Unschedulable" && r.victims).toEqual([]);
    const never = create(state, makePod().name("never").priority(1000).preemptionPolicy("Never").cpuMilli(1000).obj());
    const n = createScheduler({ profiles: [] }).scheduleOne(state, never, Prng.fromSeed(1));
    expect(n.kind === "Unschedulable" && n.victims).toEqual([]);
    expect(n.kind === "Unschedulable" && n.message).toContain("preemptionPolicy=Never");
  });

  test("after the victims go, the preemptor lands on its nominated node", () => {
    const state = fullCluster();
    const key = create(state, makePod().name("urgent").priority(50).cpuMilli(1000).obj());
    const scheduler = createScheduler({ profiles: [] });
    const r = scheduler.scheduleOne(state, key, Prng.fromSeed(1));
    if (r.kind !== "Unschedulable") throw new Error("expected preemption");
    // A lower-priority pod arriving meanwhile must not take the space reserved by the nomination.
    for (const v of r.victims) evolve(state, { kind: "PodRemoved", key: v }, 1);
    const sneaky = create(state, makePod().name("sneaky").priority(0).cpuMilli(1000).obj());
    expect(scheduler.scheduleOne(state, sneaky, Prng.fromSeed(2)).kind).toBe("Unschedulable");
    const again = scheduler.scheduleOne(state, key, Prng.fromSeed(3));
    expect(again.kind === "Bind" && again.nodeName).toBe(r.nominatedNodeName);
  });
});

test("numFeasibleNodesToFind follows upstream's adaptive percentage", () => {
  expect(numFeasibleNodesToFind(0, 50)).toBe(50);
  expect(numFeasibleNodesToFind(0, 100)).toBe(100);
  expect(numFeasibleNodesToFind(0, 1000)).toBe(420); // 50 - 8 = 42 %
  expect(numFeasibleNodesToFind(0, 5000)).toBe(500); // 50 - 40 = 10 %
  expect(numFeasibleNodesToFind(0, 6000)).toBe(300); // 50 - 48 = 2 % → 5 %
  expect(numFeasibleNodesToFind(0, 150)).toBe(100); // 48 % of 150 = 72 → at least 100
  expect(numFeasibleNodesToFind(30, 1000)).toBe(300);
  expect(numFeasibleNodesToFind(100, 1000)).toBe(1000);
});

test("out-of-tree plugins: a Reserve refusal leaves the pod unscheduled; a custom score steers placement", () => {
  const registry = new Map<string, PluginFactory>(inTreeRegistry);
  registry.set("PreferName", () => ({
    name: "PreferName",
    score: (_s: unknown, node: { name: string }) => (node.name === "b" ? 100 : 0),
  }));
  registry.set("Gate", () => ({
    name: "Gate",
    reserve: (state: { pod: Pod }) => (state.pod.metadata.labels.gate === "closed" ? status("Unschedulable", "Gate", "gate closed") : SUCCESS),
    unreserve: () => undefined,
  }));
  const scheduler = createScheduler({
    registry,
    profiles: [{ schedulerName: "default-scheduler", plugins: { multiPoint: { enabled: [{ name: "PreferName", weight: 50 }, { name: "Gate" }] } } }],
  });
  const state = clusterOf(["a", "b", "c"].map((n) => makeNode().name(n).cpuMilli(4000).memoryMi(4096).obj()));
  const open = create(state, makePod().name("open").cpuMilli(100).obj());
  const r = scheduler.scheduleOne(state, open, Prng.fromSeed(1));
  expect(r.kind === "Bind" && r.nodeName).toBe("b");
  const closed = create(state, makePod().name("closed").label("gate", "closed").cpuMilli(100).obj());
  const c = scheduler.scheduleOne(state, closed, Prng.fromSeed(1));
  expect(c.kind === "Unschedulable" && c.message).toBe("Gate: gate closed");
});
