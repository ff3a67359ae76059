/**
 * The node lifecycle controller as upstream: condition taints for scheduling (NoSchedule) and for
 * eviction (NoExecute), written with the Ready condition in one patch; taint-based eviction by the
 * pods' tolerationSeconds (GetMatchingTolerations + getMinTolerationTime).
 */
import { describe, expect, test } from "vitest";
import type { Decision } from "../../src/model/decision.ts";
import { evictionDelayMs, monitorNodes } from "../../src/policies/controllers/node-lifecycle.ts";
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
    expect(patches(monitorNodes(clusterOf([node]), new Map([["n1", 0]]), 100_000, grace).decisions)).toEqual([]);
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
    const state = clusterOf([node], [pod]);
    state.pods.get("default/web")!.status.scheduledMs = 0;
    const early = monitorNodes(state, new Map([["n1", 0]]), 309_999, grace);
    expect(early.decisions.filter((d) => d.kind === "EvictPod")).toEqual([]);
    expect(early.nextEvictionMs).toBe(310_000);
    const due = monitorNodes(state, new Map([["n1", 0]]), 310_000, grace);
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
