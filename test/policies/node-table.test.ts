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

function withoutCells(state: ClusterState): SchedulingView {
  const { nodeVersionCells: _cells, podsVersionByNode: _versions, ...rest } = state;
  return rest;
}

for (const [label, viewOf] of [["with cells", (s: ClusterState): SchedulingView => s], ["without cells", withoutCells]] as const) {
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

test("nodeVersionCells mirror podsVersionByNode, count in-place node changes, and restoreState rebuilds them", () => {
  const state = cluster();
  evolve(state, { kind: "NodeCordoned", name: "b", unschedulable: true }, 0);
  for (const [name, cell] of state.nodeVersionCells) expect(cell.podsVersion).toBe(state.podsVersionByNode.get(name) ?? 0);
  expect(state.nodeVersionCells.get("b")?.nodeVersion).toBe(1);
  const restored = restoreState(snapshotOf(state));
  expect([...restored.nodeVersionCells.keys()].sort()).toEqual(["a", "b"]);
  for (const [name, cell] of restored.nodeVersionCells) expect(cell.podsVersion).toBe(restored.podsVersionByNode.get(name) ?? 0);
  // A restored state is a new view: its NodeInfos are built from its own objects.
  const info = new Snapshot(restored, nodeTreeOrder([...restored.nodes.values()])).nodeInfoByName("b");
  expect(info?.unschedulable).toBe(true);
});
