/**
 * The ClusterAutoscaler controller's loop (upstream static_autoscaler.go RunOnce) driven scan by
 * scan over hand-built views: scale-up by the estimate, upcoming nodes counted, max size and
 * max-nodes-total, max-node-provision-time and back-off, scale-down after the unneeded time,
 * min size, cooldowns, and the drain (taint, evictions, DeleteNode; a refused eviction fails it).
 */
import { describe, expect, test } from "vitest";
import type { ClusterEvent } from "../../../src/model/cluster-event.ts";
import type { Decision } from "../../../src/model/decision.ts";
import { evolve } from "../../../src/model/evolve.ts";
import { Prng } from "../../../src/model/prng.ts";
import type { ClusterState } from "../../../src/model/state.ts";
import { clusterAutoscalerDefaults, type ClusterAutoscalerOptions } from "../../../src/policies/autoscaling/cluster-autoscaler/options.ts";
import type { NodeGroupSpec } from "../../../src/policies/autoscaling/cluster-autoscaler/node-groups.ts";
import { clusterAutoscalerController, scanKey, type ClusterAutoscalerState } from "../../../src/policies/controllers/cluster-autoscaler.ts";
import type { Controller } from "../../../src/policies/controller.ts";
import { clusterOf } from "../builders.ts";
import { framework, group, poolNode, rsPod } from "./ca-fixtures.ts";

const s10 = 10_000;
const min = 60_000;

class Loop {
  readonly controller: Controller<ClusterAutoscalerState>;
  state: ClusterAutoscalerState;
  readonly prng = Prng.fromSeed(7);
  readonly view: ClusterState;
  constructor(view: ClusterState, groups: NodeGroupSpec[], options: Partial<ClusterAutoscalerOptions> = {}) {
    this.view = view;
    this.controller = clusterAutoscalerController({ groups, options: { ...clusterAutoscalerDefaults, ...options }, framework });
    this.state = this.controller.initialState();
  }
  scan(atMs: number): Decision[] {
    if (atMs > this.view.nowMs) this.view.nowMs = atMs;
    const r = this.controller.reconcile(this.view, this.state, scanKey, atMs, this.prng);
    this.state = r.state;
    expect(r.requeue).toEqual([{ key: scanKey, afterMs: 10_000 }]);
    return r.decisions;
  }
  answer(decision: Decision, ok: boolean, atMs: number): Decision[] {
    const r = this.controller.onResult(this.view, this.state, decision, ok ? { ok } : { ok, reason: "429 TooManyRequests" }, atMs, this.prng);
    this.state = r.state;
    return r.decisions;
  }
  apply(...events: ClusterEvent[]): void {
    for (const e of events) evolve(this.view, e, this.view.nowMs);
  }
}

function unschedulable(state: ClusterState, key: string): void {
  evolve(state, { kind: "PodUnschedulable", key, message: "0/2 nodes are available: 2 Insufficient cpu." }, state.nowMs);
}

const kinds = (ds: Decision[]) => ds.map((d) => d.kind);

describe("scale-up", () => {
  test("unschedulable pods get exactly the nodes the estimate needs, named after the group; pods waiting for upcoming nodes ask for no more", () => {
    const view = clusterOf([poolNode("g-0"), poolNode("g-1")], [rsPod("a", 1800, "g-0"), rsPod("b", 1800, "g-1"), rsPod("p0", 900), rsPod("p1", 900), rsPod("p2", 900)]);
    for (const p of ["p0", "p1", "p2"]) unschedulable(view, `default/${p}`);
    const loop = new Loop(view, [group("g", { minCount: 2, maxCount: 10, initialCount: 2 })]);
    const up = loop.scan(s10);
    expect(up).toEqual([
      { kind: "ProvisionNode", id: "ca-provision/g/g-2", nodeGroup: "g", nodeName: "g-2" },
      { kind: "ProvisionNode", id: "ca-provision/g/g-3", nodeGroup: "g", nodeName: "g-3" },
    ]);
    expect(loop.state.lastScan?.scaleUp).toMatchObject({ pending: 3, unhelped: 3, chosen: { group: "g", nodeCount: 2, pods: 3 } });
    expect(loop.scan(2 * s10)).toEqual([]);
    expect(loop.state.lastScan?.scaleUp?.unhelped).toBe(0);
    // g-2 registers: still nothing new, and it is no longer upcoming
    loop.apply({ kind: "NodeAdded", node: poolNode("g-2") });
    expect(loop.scan(3 * s10)).toEqual([]);
    expect([...loop.state.upcoming.keys()]).toEqual(["g-3"]);
  });

  test("the group's max size and max-nodes-total cap the request; a pending pod no template can take asks for nothing", () => {
    const pending = [0, 1, 2, 3].map((i) => rsPod(`p${i}`, 1500));
    const make = () => {
      const view = clusterOf([poolNode("g-0")], [rsPod("a", 1800, "g-0"), ...pending]);
      for (const p of pending) unschedulable(view, `default/${p.metadata.name}`);
      return view;
    };
    expect(kinds(new Loop(make(), [group("g", { maxCount: 3, initialCount: 1 })]).scan(s10))).toEqual(["ProvisionNode", "ProvisionNode"]);
    expect(kinds(new Loop(make(), [group("g", { maxCount: 10, initialCount: 1 })], { maxNodesTotal: 2 }).scan(s10))).toEqual(["ProvisionNode"]);
    const full = new Loop(make(), [group("g", { maxCount: 1, initialCount: 1 })]);
    expect(full.scan(s10)).toEqual([]);
    expect(full.state.lastScan?.scaleUp?.skipped).toEqual([{ group: "g", reason: "max node group size reached" }]);
    const huge = clusterOf([poolNode("g-0")], [rsPod("h", 5000)]);
    unschedulable(huge, "default/h");
    const loop = new Loop(huge, [group("g", { initialCount: 1 })]);
    expect(loop.scan(s10)).toEqual([]);
    expect(loop.state.lastScan?.scaleUp?.skipped).toEqual([{ group: "g", reason: "no pending pod fits its template node" }]);
  });

  test("least-waste picks the group that leaves less idle; a node not registered within max-node-provision-time is released and its group backed off", () => {
    const view = clusterOf([], [rsPod("p0", 900), rsPod("p1", 900)]);
    unschedulable(view, "default/p0");
    unschedulable(view, "default/p1");
    const groups = [group("big", { cpuMilli: 8000, memory: 64 * 1024 ** 3 }), group("small", { cpuMilli: 2000 })];
    const loop = new Loop(view, groups);
    expect(loop.scan(s10)).toEqual([{ kind: "ProvisionNode", id: "ca-provision/small/small-0", nodeGroup: "small", nodeName: "small-0" }]);
    expect(loop.scan(s10 + 14 * min)).toEqual([]);
    const released = loop.scan(s10 + 15 * min);
    expect(released[0]).toEqual({ kind: "DeleteNode", id: "ca-release/small-0", nodeName: "small-0" });
    // the pods are still pending: the backed-off group is skipped, the other one grows
    expect(released.slice(1)).toEqual([{ kind: "ProvisionNode", id: "ca-provision/big/big-0", nodeGroup: "big", nodeName: "big-0" }]);
    expect(loop.state.lastScan?.scaleUp?.skipped).toEqual([{ group: "small", reason: "backed off (a node failed to register)" }]);
  });
});

describe("scale-down", () => {
  /** g-0 holds a 900m pod (45%), g-1 and g-2 are empty; min 1. */
  const idle = () => clusterOf([poolNode("g-0"), poolNode("g-1"), poolNode("g-2")], [rsPod("a", 900, "g-0")]);

  test("nodes unneeded for longer than scale-down-unneeded-time are tainted, empty ones together; never below minCount", () => {
    const loop = new Loop(idle(), [group("g", { minCount: 2, initialCount: 3 })]);
    expect(loop.scan(s10)).toEqual([]);
    // the empty nodes are simulated away first, so g-0's pod has nowhere left to go
    expect(loop.state.unneededSinceMs).toEqual(new Map([["g-1", s10], ["g-2", s10]]));
    const byNode = () => Object.fromEntries((loop.state.lastScan?.nodes ?? []).map((v) => [v.node, v.reason]));
    expect(loop.scan(s10 + 10 * min)).toEqual([]); // exactly the unneeded time: not yet (upstream: since + t must be before now)
    expect(byNode()).toEqual({ "g-0": "NoPlaceToMovePods", "g-1": "NotUnneededLongEnough", "g-2": "NotUnneededLongEnough" });
    const started = loop.scan(2 * s10 + 10 * min);
    expect(started).toHaveLength(1); // 3 nodes, min 2: one may go
    const version = loop.view.nodes.get("g-1")?.metadata.resourceVersion;
    expect(started[0]).toMatchObject({ kind: "PatchNode", id: `ca-taint/g-1/${version}`, name: "g-1", basedOnVersion: version, taints: [{ key: "ToBeDeletedByClusterAutoscaler", effect: "NoSchedule" }] });
    expect(byNode()["g-2"]).toBe("NodeGroupMinSizeReached");
  });

  test("scale-down waits out scale-down-delay-after-add after a scale-up", () => {
    const view = idle();
    const loop = new Loop(view, [group("g", { minCount: 0, initialCount: 3 })]);
    loop.state.lastScaleUpMs = 5 * min;
    loop.scan(s10);
    expect(loop.scan(s10 + 11 * min)).toEqual([]);
    expect(loop.state.lastScan?.inCooldown).toBe(true); // 5m + 10m after-add is still ahead
    const later = loop.scan(16 * min);
    expect(loop.state.lastScan?.inCooldown).toBe(false);
    expect(later.map((d) => (d.kind === "PatchNode" ? d.name : d.kind))).toEqual(["g-1", "g-2"]); // both empty nodes at once (max-empty-bulk-delete)
  });

  test("a drain: taint, evict through the Eviction API; a refused eviction past max-pod-eviction-time fails it, removes the taint and holds scale-down for delay-after-failure", () => {
    const view = clusterOf([poolNode("g-0"), poolNode("g-1")], [rsPod("a", 600, "g-0"), rsPod("b", 600, "g-1")]);
    const loop = new Loop(view, [group("g", { minCount: 0, initialCount: 2 })]);
    loop.scan(s10);
    const [taint] = loop.scan(s10 + 10 * min + 1);
    expect(taint).toMatchObject({ kind: "PatchNode", name: "g-0" });
    expect(loop.scan(2 * s10 + 10 * min)).toEqual([]); // one drain at a time (max-drain-parallelism 1); g-1 waits
    if (taint?.kind !== "PatchNode") throw new Error("expected the taint");
    loop.apply({ kind: "NodeTaintsChanged", name: "g-0", taints: taint.taints ?? [] });
    const evictions = loop.answer(taint, true, 11 * min);
    expect(evictions).toEqual([{ kind: "CreateEviction", id: "ca-evict/default/a/uid-a", podKey: "default/a" }]);
    // refused (a budget): tried again at each scan, then given up after 2 minutes
    loop.answer(evictions[0] as Decision, false, 11 * min);
    expect(kinds(loop.scan(12 * min))).toEqual(["CreateEviction"]);
    const failed = loop.scan(13 * min + 1);
    expect(failed).toEqual([{ kind: "PatchNode", id: `ca-untaint/g-0/${view.nodes.get("g-0")?.metadata.resourceVersion}`, name: "g-0", basedOnVersion: view.nodes.get("g-0")?.metadata.resourceVersion, taints: [] }]);
    expect(loop.state.lastScaleDownFailMs).toBe(13 * min + 1);
    expect(loop.state.deletions.size).toBe(0);
    loop.apply({ kind: "NodeTaintsChanged", name: "g-0", taints: [] });
    // scale-down-delay-after-failure: 3 minutes without starting another removal
    expect(loop.scan(16 * min)).toEqual([]);
    expect(loop.state.lastScan?.inCooldown).toBe(true);
    expect(loop.scan(16 * min + 2)).toEqual([]);
    expect(loop.state.lastScan?.inCooldown).toBe(false);
    // its unneeded time starts over from the first scan after the failure
    expect(loop.state.unneededSinceMs.get("g-0")).toBe(16 * min);
    expect(loop.scan(26 * min)).toEqual([]);
    expect(loop.scan(26 * min + 1)).toMatchObject([{ kind: "PatchNode", name: "g-0" }]);
  });

  test("once the evicted pods are gone the node is deleted", () => {
    const view = clusterOf([poolNode("g-0"), poolNode("g-1")], [rsPod("a", 600, "g-0")]);
    const loop = new Loop(view, [group("g", { minCount: 0, initialCount: 2 })]);
    loop.scan(s10);
    const started = loop.scan(s10 + 10 * min + 1);
    // g-1 is empty and goes first; g-0 (a pod to move) is drained in the same pass
    expect(started.map((d) => (d.kind === "PatchNode" ? d.name : d.kind))).toEqual(["g-1"]);
    const taint = started[0] as Extract<Decision, { kind: "PatchNode" }>;
    loop.apply({ kind: "NodeTaintsChanged", name: "g-1", taints: taint.taints ?? [] });
    expect(loop.answer(taint, true, 11 * min)).toEqual([{ kind: "DeleteNode", id: "ca-delete-node/g-1/uid-g-1", nodeName: "g-1" }]);
    expect(loop.answer({ kind: "DeleteNode", id: "ca-delete-node/g-1/uid-g-1", nodeName: "g-1" }, true, 11 * min)).toEqual([]);
    expect(loop.state.deletions.size).toBe(0);
    expect(loop.state.lastScaleDownDeleteMs).toBe(s10 + 10 * min + 1);
  });

  test("evicted pods that do not terminate hold the node for max-graceful-termination-sec (600 s), then it is deleted anyway", () => {
    const view = clusterOf([poolNode("g-0"), poolNode("g-1")], [rsPod("a", 600, "g-0"), rsPod("b", 600, "g-1")]);
    const loop = new Loop(view, [group("g", { minCount: 0, initialCount: 2 })]);
    loop.scan(s10);
    const [taint] = loop.scan(s10 + 10 * min + 1);
    if (taint?.kind !== "PatchNode") throw new Error("expected the taint");
    loop.apply({ kind: "NodeTaintsChanged", name: "g-0", taints: taint.taints ?? [] });
    expect(kinds(loop.answer(taint, true, 11 * min))).toEqual(["CreateEviction"]);
    loop.view.nowMs = 11 * min;
    loop.apply({ kind: "PodDeleting", key: "default/a", reason: "Evicted" }); // admitted, still terminating
    expect(loop.scan(11 * min + s10).filter((d) => d.kind === "DeleteNode")).toEqual([]);
    expect(loop.scan(20 * min + 59_000).filter((d) => d.kind === "DeleteNode")).toEqual([]);
    expect(loop.scan(21 * min).filter((d) => d.kind === "DeleteNode")).toEqual([{ kind: "DeleteNode", id: "ca-delete-node/g-0/uid-g-0", nodeName: "g-0" }]);
  });

  test("a node the simulation found unremovable is not simulated again for unremovable-node-recheck-timeout (RecentlyUnremovable)", () => {
    // g-0 and g-1 hold 600m each: g-0's pod can go to g-1, then g-1's pods fit nowhere
    const view = clusterOf([poolNode("g-0"), poolNode("g-1")], [rsPod("a", 600, "g-0"), rsPod("b", 600, "g-1")]);
    const loop = new Loop(view, [group("g", { minCount: 0, initialCount: 2 })]);
    const reasons = () => Object.fromEntries((loop.state.lastScan?.nodes ?? []).map((v) => [v.node, v.reason ?? (v.unneeded ? "unneeded" : "")]));
    loop.scan(s10);
    expect(reasons()).toEqual({ "g-0": "NotUnneededLongEnough", "g-1": "NoPlaceToMovePods" });
    loop.scan(s10 + 4 * min);
    expect(reasons()).toEqual({ "g-0": "NotUnneededLongEnough", "g-1": "RecentlyUnremovable" });
    loop.scan(s10 + 5 * min);
    expect(reasons()).toEqual({ "g-0": "NotUnneededLongEnough", "g-1": "NoPlaceToMovePods" });
  });
});
