/**
 * The cluster autoscaler's parts, rule by rule (upstream cluster-autoscaler): the snapshot asks the
 * scheduler's own filters, the binpacking estimator (First-Fit Decreasing), the expanders, the
 * drainability rules and the unneeded-node simulation with upstream's reasons.
 */
import { describe, expect, test } from "vitest";
import type { ClusterEvent } from "../../../src/model/cluster-event.ts";
import { evolve } from "../../../src/model/evolve.ts";
import type { Pod } from "../../../src/model/objects.ts";
import { emptyDaemonSetStatus, type DaemonSet } from "../../../src/model/daemon-set.ts";
import { Prng } from "../../../src/model/prng.ts";
import type { ClusterState } from "../../../src/model/state.ts";
import type { PodDisruptionBudget } from "../../../src/model/scheduling-objects.ts";
import { estimate } from "../../../src/policies/autoscaling/cluster-autoscaler/binpacking-estimator.ts";
import { ClusterSnapshot } from "../../../src/policies/autoscaling/cluster-autoscaler/cluster-snapshot.ts";
import { nodePods, safeToEvictAnnotation } from "../../../src/policies/autoscaling/cluster-autoscaler/drainability.ts";
import { bestOption, expanderFilter, wasteScore, type ScaleUpOption } from "../../../src/policies/autoscaling/cluster-autoscaler/expanders.ts";
import { clusterAutoscalerDefaults } from "../../../src/policies/autoscaling/cluster-autoscaler/options.ts";
import { findUnneeded, scaleDownDisabledAnnotation, utilizationOf } from "../../../src/policies/autoscaling/cluster-autoscaler/scale-down.ts";
import { clusterOf, makeNode, makePod } from "../builders.ts";
import { framework, gi, group, poolNode, rsPod } from "./ca-fixtures.ts";

function apply(state: ClusterState, ...events: ClusterEvent[]): ClusterState {
  for (const e of events) evolve(state, e, state.nowMs);
  return state;
}

function pdb(name: string, app: string, disruptionsAllowed: number): PodDisruptionBudget {
  return {
    kind: "PodDisruptionBudget",
    metadata: { name, namespace: "default", uid: name, labels: {}, creationMs: 0 },
    spec: { selector: { matchLabels: { app } }, minAvailable: 1 },
    status: { disruptionsAllowed, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, disruptedPods: {} },
  } as PodDisruptionBudget;
}

describe("ClusterSnapshot: fits as the scheduler's filters say", () => {
  test("resources, node selectors and taints decide through the framework's plugins", () => {
    const view = clusterOf([poolNode("a")], [rsPod("busy", 1500, "a")]);
    const s = new ClusterSnapshot(view, framework);
    expect(s.fits(rsPod("p", 400), "a")).toBe(true);
    expect(s.fits(rsPod("p", 600), "a")).toBe(false); // NodeResourcesFit
    const selecting = rsPod("sel", 100);
    selecting.spec.nodeSelector = { disk: "ssd" };
    expect(s.fits(selecting, "a")).toBe(false); // NodeAffinity
    const tainted = poolNode("t");
    tainted.spec.taints.push({ key: "dedicated", value: "db", effect: "NoSchedule" });
    s.addNode(tainted);
    expect(s.fits(rsPod("p", 100), "t")).toBe(false); // TaintToleration
    const tolerant = rsPod("tol", 100);
    tolerant.spec.tolerations = [{ key: "dedicated", operator: "Exists" }];
    expect(s.fits(tolerant, "t")).toBe(true);
  });

  test("placed pods take room, removed nodes take their pods away, and revert undoes both", () => {
    const view = clusterOf([poolNode("a"), poolNode("b")], [rsPod("x", 1500, "a")]);
    const s = new ClusterSnapshot(view, framework);
    const mark = s.fork();
    s.placePod(rsPod("y", 1500), "b");
    expect(s.fits(rsPod("p", 1000), "b")).toBe(false);
    s.removeNode("a");
    expect(s.hasNode("a")).toBe(false);
    expect(s.firstFit(rsPod("p", 1000), s.nodeNames())).toBeUndefined();
    s.revert(mark);
    expect(s.nodeNames()).toEqual(["a", "b"]);
    expect(s.fits(rsPod("p", 1000), "b")).toBe(true);
    expect(s.fits(rsPod("p", 1000), "a")).toBe(false);
    // the view itself never changed
    expect([...(view.podsByNode.get("b") ?? [])]).toEqual([]);
  });

  test("a hard zone spread constraint counts the pods the snapshot placed", () => {
    const nodes = [poolNode("a"), { ...poolNode("b"), metadata: { ...poolNode("b").metadata, labels: { ...poolNode("b").metadata.labels, "topology.kubernetes.io/zone": "zone-b" } } }];
    const spread = (name: string): Pod => {
      const p = rsPod(name, 100);
      p.metadata.labels.app = "web";
      p.spec.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "web" } } }];
      return p;
    };
    const s = new ClusterSnapshot(clusterOf(nodes), framework);
    s.placePod(spread("w1"), "a");
    expect(s.fits(spread("w2"), "a")).toBe(false);
    expect(s.fits(spread("w2"), "b")).toBe(true);
  });
});

describe("binpacking estimator (estimator/binpacking_estimator.go)", () => {
  const template = poolNode("template", "g");
  const newNode = (i: number) => poolNode(`e-${i}`, "g");
  const s = () => new ClusterSnapshot(clusterOf([]), framework);

  test("First-Fit Decreasing: 700, 700, 1300, 1300 on 2-core nodes need 2 nodes (in the given order first-fit would take 3)", () => {
    const pods = [rsPod("a", 700, undefined, "o1"), rsPod("b", 700, undefined, "o1"), rsPod("c", 1300, undefined, "o2"), rsPod("d", 1300, undefined, "o2")];
    const e = estimate(s(), pods, template, 10, newNode);
    expect(e.nodeCount).toBe(2);
    expect(e.pods.map((p) => p.metadata.name)).toEqual(["c", "d", "a", "b"]);
  });

  test("as many nodes as needed, capped by the limit; the snapshot is left as found", () => {
    const pods = Array.from({ length: 12 }, (_, i) => rsPod(`p${i}`, 900));
    const snap = s();
    expect(estimate(snap, pods, template, 10, newNode).nodeCount).toBe(6);
    const capped = estimate(snap, pods, template, 4, newNode);
    expect(capped.nodeCount).toBe(4);
    expect(capped.pods.length).toBe(8);
    expect(snap.nodeNames()).toEqual([]);
  });

  test("a new node comes with the DaemonSet pods that would start on it: their room is not counted twice", () => {
    const agent: DaemonSet = {
      kind: "DaemonSet",
      metadata: { name: "agent", namespace: "kube-system", uid: "ds-agent", labels: {}, creationMs: 0 },
      spec: {
        selector: { matchLabels: { app: "agent" } },
        template: { labels: { app: "agent" }, spec: { schedulerName: "default-scheduler", containers: [{ name: "a", requests: { cpu: 1000 }, limits: {} }] } },
        updateStrategy: { type: "RollingUpdate", maxUnavailable: 1, maxSurge: 0 },
      },
      status: { ...emptyDaemonSetStatus },
    };
    const view = apply(clusterOf([]), { kind: "ObjectCreated", object: agent });
    const pods = Array.from({ length: 4 }, (_, i) => rsPod(`p${i}`, 900));
    expect(estimate(new ClusterSnapshot(view, framework), pods, template, 10, newNode).nodeCount).toBe(4);
    expect(estimate(s(), pods, template, 10, newNode).nodeCount).toBe(2);
    // a DaemonSet whose pods would not run there (a node selector the template lacks) takes nothing
    agent.spec.template.spec.nodeSelector = { gpu: "true" };
    expect(estimate(new ClusterSnapshot(view, framework), pods, template, 10, newNode).nodeCount).toBe(2);
  });

  test("a pod no fresh node can take is not counted and needs no node", () => {
    const e = estimate(s(), [rsPod("huge", 3000, undefined, "o1"), rsPod("ok", 500, undefined, "o2")], template, 10, newNode);
    expect(e.nodeCount).toBe(1);
    expect(e.pods.map((p) => p.metadata.name)).toEqual(["ok"]);
  });
});

describe("expanders (expander/*)", () => {
  const option = (g: string, nodeCount: number, podCount: number, cpuMilli: number, memory: number, pricePerHour: number): ScaleUpOption => ({
    group: g,
    nodeCount,
    pods: Array.from({ length: podCount }, (_, i) => rsPod(`${g}-${i}`, 900)),
    template: poolNode(`t-${g}`, g, cpuMilli, memory),
    pricePerHour,
  });
  // 12 pods of 900m/256Mi: 6 small nodes (2 cores, 8Gi) or 3 big ones (4 cores, 32Gi)
  const small = option("small", 6, 12, 2000, 8 * gi, 0.2);
  const big = option("big", 3, 12, 4000, 32 * gi, 0.28);

  test("least-waste: the option leaving the least cpu + memory idle (waste.go)", () => {
    expect(wasteScore(small)).toBeCloseTo((12000 - 10800) / 12000 + (48 * gi - 3 * gi) / (48 * gi), 10);
    expect(expanderFilter("least-waste", {})([big, small])).toEqual([small]);
  });
  test("most-pods keeps every option helping the most pods; price the cheapest per pod", () => {
    const fewer = option("fewer", 1, 2, 2000, 8 * gi, 0.01);
    expect(expanderFilter("most-pods", {})([fewer, small, big]).map((o) => o.group)).toEqual(["small", "big"]);
    expect(expanderFilter("price", {})([small, big]).map((o) => o.group)).toEqual(["big"]);
  });
  test("priority: the highest priority whose expression matches; no match keeps all", () => {
    const f = expanderFilter("priority", { "10": ["sm.*"], "50": ["b.g"] });
    expect(f([small, big]).map((o) => o.group)).toEqual(["big"]);
    expect(expanderFilter("priority", { "5": ["none"] })([small, big]).length).toBe(2);
    expect(expanderFilter("priority", { "5": ["ig"] })([small, big]).length).toBe(2); // anchored: "ig" is not "big"
  });
  test("a chain narrows in turn; random breaks what is left from the autoscaler's own prng, the same for the same seed", () => {
    expect(bestOption([small, big], ["least-waste"], {}, Prng.fromSeed(1))?.group).toBe("small");
    expect(bestOption([small, big], ["price", "least-waste"], {}, Prng.fromSeed(1))?.group).toBe("big");
    const picks = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      const a = bestOption([small, big], ["random"], {}, Prng.fromSeed(seed))?.group;
      expect(bestOption([small, big], ["random"], {}, Prng.fromSeed(seed))?.group).toBe(a);
      picks.add(a as string);
    }
    expect([...picks].sort()).toEqual(["big", "small"]);
    expect(bestOption([], ["least-waste"], {}, Prng.fromSeed(1))).toBeUndefined();
  });
});

describe("drainability rules (simulator/drainability/rules)", () => {
  const opts = { skipNodesWithSystemPods: true };
  const none = new Map<string, number>();
  test("a pod without a controller blocks (NotReplicated) unless it is safe to evict", () => {
    const bare = makePod().name("bare").node("a").obj();
    expect(nodePods([bare], [], none, opts).blocking).toEqual({ pod: "default/bare", reason: "NotReplicated" });
    bare.metadata.annotations = { [safeToEvictAnnotation]: "true" };
    const np = nodePods([bare], [], none, opts);
    expect(np.blocking).toBeUndefined();
    expect(np.move.map((p) => p.metadata.name)).toEqual(["bare"]);
  });
  test("safe-to-evict false blocks a replicated pod; kube-system pods need a budget", () => {
    const pinned = rsPod("pinned", 100, "a");
    pinned.metadata.annotations = { [safeToEvictAnnotation]: "false" };
    expect(nodePods([pinned], [], none, opts).blocking?.reason).toBe("NotSafeToEvictAnnotation");
    const system = rsPod("dns", 100, "a");
    system.metadata.namespace = "kube-system";
    system.metadata.labels.app = "dns";
    expect(nodePods([system], [], none, opts).blocking?.reason).toBe("UnmovableKubeSystemPod");
    expect(nodePods([system], [], none, { skipNodesWithSystemPods: false }).blocking).toBeUndefined();
    const budget = { ...pdb("dns", "dns", 1), metadata: { ...pdb("dns", "dns", 1).metadata, namespace: "kube-system" } };
    expect(nodePods([system], [budget], none, opts).blocking).toBeUndefined();
  });
  test("DaemonSet and mirror pods stay; a budget without disruptions left blocks (NotEnoughPdb)", () => {
    const daemon = rsPod("agent", 100, "a");
    (daemon.metadata.ownerReferences as { kind: string }[])[0]!.kind = "DaemonSet";
    const mirror = makePod().name("static").node("a").obj();
    mirror.metadata.annotations = { "kubernetes.io/config.mirror": "x" };
    const np = nodePods([daemon, mirror], [], none, opts);
    expect(np.stay.length).toBe(2);
    expect(np.move).toEqual([]);
    const w1 = rsPod("w1", 100, "a");
    const w2 = rsPod("w2", 100, "a");
    w1.metadata.labels.app = w2.metadata.labels.app = "web";
    expect(nodePods([w1, w2], [pdb("web", "web", 2)], none, opts).blocking).toBeUndefined();
    expect(nodePods([w1, w2], [pdb("web", "web", 1)], none, opts).blocking).toEqual({ pod: "default/w2", reason: "NotEnoughPdb" });
    expect(nodePods([w1], [pdb("web", "web", 2)], new Map([["default/web", 0]]), opts).blocking?.reason).toBe("NotEnoughPdb");
  });
});

describe("unneeded nodes (core/scaledown eligibility + planner)", () => {
  const groups = new Map([["g", group("g")]]);
  const run = (state: ClusterState) => {
    const verdicts = findUnneeded(state, new ClusterSnapshot(state, framework), groups, new Set(), clusterAutoscalerDefaults);
    return Object.fromEntries(verdicts.map((v) => [v.node, v]));
  };

  test("utilization is the larger of cpu and memory requests over allocatable; at or above 0.5 is NotUnderutilized", () => {
    const node = poolNode("a");
    expect(utilizationOf(node, [rsPod("p", 900, "a")])).toBeCloseTo(0.45, 10);
    const heavy = makePod().name("m").cpuMilli(100).memoryMi(5 * 1024).node("a").obj();
    expect(utilizationOf(node, [heavy])).toBeCloseTo(5 / 8, 10);
    const v = run(clusterOf([node, poolNode("b")], [rsPod("p", 1000, "a")]));
    expect(v.a?.reason).toBe("NotUnderutilized");
    expect(v.b?.unneeded).toBe(true);
    expect(v.b?.empty).toBe(true);
  });

  test("a node of no group is NotAutoscaled; the scale-down-disabled annotation and unready nodes are kept", () => {
    const other = makeNode().name("x").allocatable({ cpu: 2000, memory: 8 * gi }).obj();
    const disabled = poolNode("d");
    disabled.metadata.annotations = { [scaleDownDisabledAnnotation]: "true" };
    const v = run(clusterOf([other, disabled, { ...poolNode("u"), status: { ...poolNode("u").status, ready: "Unknown" } }]));
    expect(v.x?.reason).toBe("NotAutoscaled");
    expect(v.d?.reason).toBe("ScaleDownDisabledAnnotation");
    expect(v.u?.reason).toBe("NotUnneededOtherReason");
  });

  test("pods that can go elsewhere make a node unneeded; the next candidate cannot count on the room the first took (NoPlaceToMovePods)", () => {
    // a and b hold 600m each (30%); c holds 1200m (60%) and has room for one more 600m pod only
    const state = clusterOf([poolNode("a"), poolNode("b"), poolNode("c")], [rsPod("pa", 600, "a"), rsPod("pb", 600, "b"), rsPod("pc", 1200, "c")]);
    const v = run(state);
    expect(v.a?.unneeded).toBe(true);
    expect(v.a?.podsToMove).toEqual(["default/pa"]);
    expect(v.b?.unneeded).toBe(false);
    expect(v.b?.reason).toBe("NoPlaceToMovePods");
    expect(v.c?.reason).toBe("NotUnderutilized");
  });

  test("a blocking pod is BlockedByPod with upstream's pod reason; a budget used up by one node blocks the next", () => {
    const bare = makePod().name("bare").cpuMilli(100).node("a").obj();
    const v = run(clusterOf([poolNode("a"), poolNode("b")], [bare]));
    expect(v.a?.reason).toBe("BlockedByPod");
    expect(v.a?.blockingPod).toEqual({ pod: "default/bare", reason: "NotReplicated" });
    const w1 = rsPod("w1", 100, "a");
    const w2 = rsPod("w2", 100, "b");
    w1.metadata.labels.app = w2.metadata.labels.app = "web";
    const state = apply(clusterOf([poolNode("a"), poolNode("b"), poolNode("c")], [w1, w2]), { kind: "ObjectCreated", object: pdb("web", "web", 1) });
    const v2 = run(state);
    expect(v2.a?.unneeded).toBe(true);
    expect(v2.b?.blockingPod?.reason).toBe("NotEnoughPdb");
  });
});
