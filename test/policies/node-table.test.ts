/** The cross-cycle NodeInfo cache sees every change evolve makes, with and without the view's cells. */
import { expect, test } from "vitest";
import { evolve } from "../../src/model/evolve.ts";
import { restoreState, snapshotOf, type ClusterState } from "../../src/model/state.ts";
import { nodeTreeOrder, orderedNodes, Snapshot, type SchedulingView } from "../../src/policies/scheduling/snapshot.ts";
import { clusterOf, makeNode, makePod } from "./builders.ts";

function cluster(): ClusterState {
  const nodes = [makeNode().name("a").cpuMilli(4000).memoryMi(4096).pods(10).obj(), makeNode().name("b").cpuMilli(2000).memoryMi(2048).obj()];
  return clusterOf(nodes, [makePod().name("p1").cpuMilli(500).node("a").obj()]);
}

function infoOf(view: SchedulingView, name: string) {
  return new Snapshot(view, orderedNodes(view.nodes, view.nodesVersion)).nodeInfoByName(name);
}

function withoutJournal(state: ClusterState): SchedulingView {
  const { nodeChanges: _journal, podsVersionByNode: _versions, ...rest } = state;
  return rest;
}

for (const [label, viewOf] of [["with the journal", (s: ClusterState): SchedulingView => s], ["without it", withoutJournal]] as const) {
  test(`${label}: cached NodeInfos follow pods and in-place node changes`, () => {
    const state = cluster();
    const view = viewOf(state);
    let a = infoOf(view, "a");
    expect([a?.requestedCpuMilli, a?.podCount, a?.allocatablePods, a?.unschedulable, a?.tainted, a?.readyTrue]).toEqual([500, 1, 10, false, false, true]);
    expect(infoOf(view, "b")?.allocatablePods).toBe(Infinity);
    evolve(state, { kind: "PodCreated", pod: makePod().name("p2").cpuMilli(250).memoryMi(100).obj() }, 0);
    evolve(state, { kind: "PodBound", key: "default/p2", nodeName: "a" }, 0);
    a = infoOf(view, "a");
    expect([a?.requestedCpuMilli, a?.requestedMemory, a?.podCount]).toEqual([750, 100 * 1024 * 1024, 2]);
    evolve(state, { kind: "NodeCordoned", name: "a", unschedulable: true }, 0);
    evolve(state, { kind: "NodeTaintsChanged", name: "a", taints: [{ key: "k", effect: "NoSchedule" }] }, 0);
    evolve(state, { kind: "NodeReadyChanged", name: "a", ready: "Unknown" }, 0);
    a = infoOf(view, "a");
    expect([a?.unschedulable, a?.tainted, a?.readyTrue]).toEqual([true, true, false]);
    evolve(state, { kind: "PodFailed", key: "default/p1", reason: "Error" }, 0);
    a = infoOf(view, "a");
    expect([a?.requestedCpuMilli, a?.podCount, a?.pods.map((p) => p.metadata.name)]).toEqual([250, 1, ["p2"]]);
  });
}

test("the nodeChanges journal names every node whose inputs changed, stays bounded, and restoreState rebuilds it", () => {
  const state = cluster();
  const before = state.nodeChanges.start + state.nodeChanges.names.length;
  evolve(state, { kind: "NodeCordoned", name: "b", unschedulable: true }, 0);
  evolve(state, { kind: "PodFailed", key: "default/p1", reason: "Error" }, 0);
  expect(state.nodeChanges.names.slice(before - state.nodeChanges.start)).toEqual(["b", "a", "a"]);
  for (let i = 0; i < 20_000; i++) evolve(state, { kind: "NodeReadyChanged", name: "a", ready: i % 2 === 0 ? "False" : "True" }, 0);
  expect(state.nodeChanges.names.length).toBeLessThan(8192);
  expect(state.nodeChanges.start + state.nodeChanges.names.length).toBe(before + 20_003);
  const restored = restoreState(snapshotOf(state));
  expect(restored.nodeChanges.names).toEqual(["a"]);
  // A restored state is a new view: its NodeInfos are built from its own objects.
  const info = new Snapshot(restored, nodeTreeOrder([...restored.nodes.values()])).nodeInfoByName("b");
  expect(info?.unschedulable).toBe(true);
});

test("a table that fell behind the journal's trimmed start rebuilds every row", () => {
  const state = cluster();
  const view: SchedulingView = state;
  expect(infoOf(view, "b")?.unschedulable).toBe(false);
  evolve(state, { kind: "NodeCordoned", name: "b", unschedulable: true }, 0);
  for (let i = 0; i < 10_000; i++) evolve(state, { kind: "NodeReadyChanged", name: "a", ready: "True" }, 0);
  expect(state.nodeChanges.start).toBeGreaterThan(0);
  expect(state.nodeChanges.names.includes("b")).toBe(false);
  expect(infoOf(view, "b")?.unschedulable).toBe(true);
});
