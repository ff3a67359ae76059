/**
 * The node lifecycle controller as upstream: condition taints for scheduling (NoSchedule) and for
 * eviction (NoExecute), written with the Ready condition in one patch; taint-based eviction by the
 * pods' tolerationSeconds (GetMatchingTolerations + getMinTolerationTime).
 */
import { describe, expect, test } from "vitest";
import type { Decision } from "../../src/model/decision.ts";
import { evictionDelayMs, monitorNodes, taintingPass } from "../../src/policies/controllers/node-lifecycle.ts";
import { computeZoneState, defaultZoneDisruptionParams, swapLimiter, tryAccept, zoneKeyOf, zoneQps, type ZoneTable } from "../../src/policies/controllers/zone-disruption.ts";
import { admitDefaultTolerationSeconds } from "../../src/policies/admission/default-toleration-seconds.ts";
import { newTaintToleration } from "../../src/policies/scheduling/plugins/taint-toleration.ts";
import { clusterOf, makeNode, makePod } from "./builders.ts";
import { Snapshot, nodeTreeOrder } from "../../src/policies/scheduling/snapshot.ts";
import { CycleState } from "../../src/policies/scheduling/framework.ts";

const grace = { nodeMonitorGraceMs: 50_000 };

function patches(decisions: readonly Decision[]): Extract<Decision, { kind: "PatchNode" }>[] {
  return decisions.filter((d): d is Extract<Decision, { kind: "PatchNode" }> => d.kind === "PatchNode");
}

describe("node lifecycle: condition taints", () => {
  test("a node whose lease is stale becomes Unknown with unreachable NoSchedule and NoExecute taints, in one patch", () => {
    const state = clusterOf([makeNode().name("n1").obj(), makeNode().name("n2").obj()]);
    const leases = new Map([["n1", 0], ["n2", 60_000]]);
    const pass = monitorNodes(state, leases, 60_000, grace);
    const p = patches(pass.decisions);
    expect(p).toHaveLength(1);
    const patch = p[0]!;
    expect(patch.name).toBe("n1");
    expect(patch.ready).toBe("Unknown");
    expect(patch.basedOnVersion).toBe(state.nodes.get("n1")!.metadata.resourceVersion);
    expect(patch.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual(["node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"]);
    expect(patch.taints?.find((t) => t.effect === "NoExecute")?.timeAddedMs).toBe(60_000);
  });

  test("keeps the node's own taints and removes the controller's once the node is Ready again", () => {
    const node = makeNode()
      .name("n1")
      .ready("Unknown")
      .taint({ key: "dedicated", value: "db", effect: "NoSchedule" })
      .taint({ key: "node.kubernetes.io/unreachable", effect: "NoSchedule" })
      .taint({ key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAddedMs: 5 })
      .obj();
    const pass = monitorNodes(clusterOf([node]), new Map([["n1", 100_000]]), 100_000, grace);
    const [patch] = patches(pass.decisions);
    expect(patch?.ready).toBe("True");
    expect(patch?.taints).toEqual([{ key: "dedicated", value: "db", effect: "NoSchedule" }]);
  });

  test("a cordoned node carries node.kubernetes.io/unschedulable:NoSchedule", () => {
    const pass = monitorNodes(clusterOf([makeNode().name("n1").unschedulable().obj()]), new Map([["n1", 0]]), 1000, grace);
    expect(patches(pass.decisions)[0]?.taints).toEqual([{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }]);
  });

  test("a node already carrying the right taints is left alone (no patch, its timeAdded kept)", () => {
    const node = makeNode()
      .name("n1")
      .ready("Unknown")
      .taint({ key: "node.kubernetes.io/unreachable", effect: "NoSchedule" })
      .taint({ key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAddedMs: 5 })
      .obj();
    const healthy = makeNode().name("n2").obj();
    expect(patches(monitorNodes(clusterOf([node, healthy]), new Map([["n1", 0], ["n2", 100_000]]), 100_000, grace).decisions)).toEqual([]);
  });
});

describe("taint-based eviction", () => {
  const unreachable = { key: "node.kubernetes.io/unreachable", effect: "NoExecute" as const, timeAddedMs: 10_000 };

  test("evictionDelayMs follows GetMatchingTolerations and getMinTolerationTime", () => {
    const t300 = { key: "node.kubernetes.io/unreachable", operator: "Exists" as const, effect: "NoExecute" as const, tolerationSeconds: 300 };
    expect(evictionDelayMs([unreachable], [t300])).toBe(300_000);
    expect(evictionDelayMs([unreachable], [])).toBe(0); // not tolerated: at once
    expect(evictionDelayMs([unreachable], [{ operator: "Exists" }])).toBe(Infinity); // tolerated forever
    expect(evictionDelayMs([unreachable], [{ ...t300, tolerationSeconds: -5 }])).toBe(0);
    const other = { key: "maintenance", effect: "NoExecute" as const };
    // Every NoExecute taint must be tolerated; the smallest seconds among the tolerations used wins.
    expect(evictionDelayMs([unreachable, other], [t300])).toBe(0);
    expect(evictionDelayMs([unreachable, other], [t300, { key: "maintenance", operator: "Exists", tolerationSeconds: 60 }])).toBe(60_000);
    // The first matching toleration is the one used (upstream breaks at the first match).
    expect(evictionDelayMs([unreachable], [{ operator: "Exists" }, t300])).toBe(Infinity);
  });

  test("a pod with the default tolerations is evicted 300 s after the taint, and the pass says when", () => {
    const node = makeNode().name("n1").ready("Unknown").taint({ key: "node.kubernetes.io/unreachable", effect: "NoSchedule" }).taint(unreachable).obj();
    const pod = makePod().name("web").node("n1").obj();
    admitDefaultTolerationSeconds(undefined, pod);
    const state = clusterOf([node, makeNode().name("n2").obj()], [pod]);
    state.pods.get("default/web")!.status.scheduledMs = 0;
    const early = monitorNodes(state, new Map([["n1", 0], ["n2", 309_999]]), 309_999, grace);
    expect(early.decisions.filter((d) => d.kind === "EvictPod")).toEqual([]);
    expect(early.nextEvictionMs).toBe(310_000);
    const due = monitorNodes(state, new Map([["n1", 0], ["n2", 310_000]]), 310_000, grace);
    expect(due.decisions.filter((d) => d.kind === "EvictPod").map((d) => d.kind === "EvictPod" && d.podKey)).toEqual(["default/web"]);
  });

  test("a pod bound after the taint counts its toleration from the bind", () => {
    const node = makeNode().name("n1").taint(unreachable).obj();
    const pod = makePod().name("ds").node("n1").toleration({ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 60 }).obj();
    const state = clusterOf([node], [pod]);
    state.pods.get("default/ds")!.status.scheduledMs = 100_000;
    expect(monitorNodes(state, new Map([["n1", 200_000]]), 150_000, grace).nextEvictionMs).toBe(160_000);
  });
});

describe("TaintToleration filter and condition taints", () => {
  test("a NotReady node carrying only the NoExecute taint still rejects a pod that tolerates NoExecute for 300 s (key AND effect)", () => {
    const node = makeNode().name("n1").cpuMilli(4000).ready("Unknown").taint({ key: "node.kubernetes.io/unreachable", effect: "NoExecute" }).obj();
    const pod = makePod().name("p").obj();
    admitDefaultTolerationSeconds(undefined, pod);
    const state = clusterOf([node]);
    const snapshot = new Snapshot(state, nodeTreeOrder([...state.nodes.values()]));
    const cycle = new CycleState(pod, snapshot);
    const verdict = newTaintToleration({}).filter(cycle, snapshot.nodeInfo(state.nodes.get("n1")!));
    expect(verdict.code).toBe("UnschedulableAndUnresolvable");
  });
});

describe("zone-aware NoExecute tainting (handleDisruption, the zones' rate-limited queues)", () => {
  const params = { nodeMonitorGraceMs: 50_000 };
  const noExecuteOf = (pass: { decisions: readonly Decision[] }) =>
    patches(pass.decisions)
      .filter((d) => d.taints?.some((t) => t.effect === "NoExecute"))
      .map((d) => d.name);
  /** `lost` nodes of zone a stop renewing at 0; every other node renews up to `nowMs`. */
  function cluster(zoneA: number, lost: number, zoneB: number) {
    const nodes = [
      ...Array.from({ length: zoneA }, (_, i) => makeNode().name(`a${String(i).padStart(3, "0")}`).zone("zone-a").obj()),
      ...Array.from({ length: zoneB }, (_, i) => makeNode().name(`b${String(i).padStart(3, "0")}`).zone("zone-b").obj()),
    ];
    const lostNames = new Set(nodes.slice(0, lost).map((n) => n.metadata.name));
    const leasesAt = (nowMs: number) => new Map(nodes.map((n) => [n.metadata.name, lostNames.has(n.metadata.name) ? 0 : nowMs]));
    return { state: clusterOf(nodes), leasesAt };
  }

  test("a Normal zone taints one node at once, then one every 10 s (0.1 nodes/s, burst 1)", () => {
    const { state, leasesAt } = cluster(10, 2, 3);
    const zones: ZoneTable = new Map();
    monitorNodes(state, leasesAt(5_000), 5_000, params, zones); // all healthy: zones seen, buckets full
    const first = monitorNodes(state, leasesAt(60_000), 60_000, params, zones);
    // both lost nodes get Unknown + NoSchedule at once; only one gets its NoExecute taint now
    expect(patches(first.decisions).map((d) => d.name)).toEqual(["a000", "a001"]);
    expect(noExecuteOf(first)).toEqual(["a000"]);
    expect(zones.get(zoneKeyOf(state.nodes.get("a000")!))?.state).toBe("Normal");
    expect(first.nextTaintMs).toBe(70_000);
    expect(noExecuteOf(taintingPass(state, 69_999, zones, true))).toEqual([]);
    expect(noExecuteOf(taintingPass(state, 70_000, zones, true))).toEqual([]); // the view still shows a001 Ready: a token spent, as upstream
  });

  test("PartialDisruption stops tainting in a small zone and slows it to 0.01/s in a large one", () => {
    const small = cluster(10, 6, 3); // 6/10 ≥ 0.55 and more than 2
    const zonesSmall: ZoneTable = new Map();
    monitorNodes(small.state, small.leasesAt(5_000), 5_000, params, zonesSmall);
    const pass = monitorNodes(small.state, small.leasesAt(60_000), 60_000, params, zonesSmall);
    expect(zonesSmall.get(zoneKeyOf(small.state.nodes.get("a000")!))?.state).toBe("PartialDisruption");
    // handleDisruption swaps the limiter at the end of the monitor pass, before the queue is next served
    expect(noExecuteOf(pass)).toEqual([]);
    expect(pass.nextTaintMs).toBe(Infinity);
    const large = cluster(60, 40, 3);
    const zonesLarge: ZoneTable = new Map();
    monitorNodes(large.state, large.leasesAt(5_000), 5_000, params, zonesLarge);
    const slow = monitorNodes(large.state, large.leasesAt(60_000), 60_000, params, zonesLarge);
    expect(noExecuteOf(slow)).toEqual(["a000"]);
    expect(zonesLarge.get(zoneKeyOf(large.state.nodes.get("a000")!))?.limiter.qps).toBe(0.01);
    expect(slow.nextTaintMs).toBe(160_000); // the old bucket had its token, so the new one starts full: next in 100 s
  });

  test("a zone with no Ready node keeps the normal rate; every zone down stops tainting and removes the NoExecute taints", () => {
    const { state, leasesAt } = cluster(3, 3, 2);
    const zones: ZoneTable = new Map();
    monitorNodes(state, leasesAt(5_000), 5_000, params, zones);
    const pass = monitorNodes(state, leasesAt(60_000), 60_000, params, zones);
    expect(zones.get(zoneKeyOf(state.nodes.get("a000")!))?.state).toBe("FullDisruption");
    expect(noExecuteOf(pass)).toEqual(["a000"]);
    expect(pass.nextTaintMs).toBe(70_000);

    const tainted = makeNode().name("x1").ready("Unknown").taint({ key: "node.kubernetes.io/unreachable", effect: "NoSchedule" }).taint({ key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAddedMs: 5 }).obj();
    const alone = clusterOf([tainted, makeNode().name("x2").obj()]);
    const all: ZoneTable = new Map();
    monitorNodes(alone, new Map([["x1", 0], ["x2", 5_000]]), 5_000, params, all);
    const down = monitorNodes(alone, new Map([["x1", 0], ["x2", 0]]), 100_000, params, all);
    const [x1] = patches(down.decisions);
    expect(x1?.name).toBe("x1");
    expect(x1?.taints).toEqual([{ key: "node.kubernetes.io/unreachable", effect: "NoSchedule" }]);
    expect(down.nextTaintMs).toBe(Infinity);
  });

  test("a node excluded from disruption checks does not count toward its zone's state", () => {
    const { state, leasesAt } = cluster(3, 0, 0);
    state.nodes.get("a000")!.metadata.labels["node.kubernetes.io/exclude-disruption"] = "";
    const zones: ZoneTable = new Map();
    const leases = new Map([...leasesAt(60_000)].map(([n]) => [n, n === "a000" ? 60_000 : 0]));
    // a001 and a002 lost, a000 (healthy) excluded: the zone counts no Ready node, and it is the only zone
    const pass = monitorNodes(state, leases, 60_000, params, zones);
    expect(zones.get(zoneKeyOf(state.nodes.get("a001")!))?.state).toBe("FullDisruption");
    expect(noExecuteOf(pass)).toEqual([]);
  });
});

describe("zone-disruption building blocks", () => {
  test("ComputeZoneState", () => {
    expect(computeZoneState(["Unknown"], 0.55)).toEqual({ notReady: 1, state: "FullDisruption" });
    expect(computeZoneState(["True", "Unknown", "Unknown"], 0.55)).toEqual({ notReady: 2, state: "Normal" }); // not more than 2
    expect(computeZoneState(["True", "True", "Unknown", "Unknown", "False"], 0.55)).toEqual({ notReady: 3, state: "PartialDisruption" });
    expect(computeZoneState(["True", "True", "True", "Unknown", "Unknown", "False"], 0.55)).toEqual({ notReady: 3, state: "Normal" }); // 0.5 < 0.55
    expect(computeZoneState([], 0.55)).toEqual({ notReady: 0, state: "Normal" });
  });

  test("ReducedQPSFunc / HealthyQPSFunc", () => {
    const p = defaultZoneDisruptionParams;
    expect(zoneQps("Normal", 10, p)).toBe(0.1);
    expect(zoneQps("FullDisruption", 10, p)).toBe(0.1);
    expect(zoneQps("PartialDisruption", 50, p)).toBe(0);
    expect(zoneQps("PartialDisruption", 51, p)).toBe(0.01);
  });

  test("a burst-1 token bucket, and SwapLimiter draining the new bucket when the old had no token", () => {
    const limiter = { qps: 0.1, fullAtMs: -Infinity };
    expect(tryAccept(limiter, 0)).toBe(true);
    expect(tryAccept(limiter, 9_999)).toBe(false);
    expect(tryAccept(limiter, 10_000)).toBe(true);
    expect(swapLimiter(limiter, 0.1, 10_001)).toBe(limiter);
    expect(swapLimiter(limiter, 0.01, 10_001)).toEqual({ qps: 0.01, fullAtMs: 110_001 });
    expect(swapLimiter({ qps: 0.1, fullAtMs: 0 }, 0.01, 5)).toEqual({ qps: 0.01, fullAtMs: -Infinity });
    expect(swapLimiter(limiter, 0, 5)).toEqual({ qps: 0, fullAtMs: Infinity });
  });

  test("the zone key is region and zone, as GetZoneKey", () => {
    const node = makeNode().name("n").labels({ "topology.kubernetes.io/region": "r1", "topology.kubernetes.io/zone": "r1-a" }).obj();
    expect(zoneKeyOf(node)).toBe("r1:\u0000:r1-a");
    expect(zoneKeyOf(makeNode().name("m").obj())).toBe("");
  });
});
