/**
 * An out-of-tree plugin registered through the registry owns its knowledge: its pod-counting
 * PreFilter state gets correct preemption dry runs (removePods, upstream PreFilterExtensions) and
 * its events requeue the pods it rejected (eventsToRegister + hint, upstream EnqueueExtensions),
 * with no change to the framework, the queue or the scheduler actor.
 */
import { expect, test } from "vitest";
import { evolve } from "../../src/model/evolve.ts";
import type { Pod } from "../../src/model/objects.ts";
import { Prng } from "../../src/model/prng.ts";
import type { ClusterState } from "../../src/model/state.ts";
import type { CycleState, FilterPlugin, PreFilterPlugin } from "../../src/policies/scheduling/framework.ts";
import type { NodeInfo } from "../../src/policies/scheduling/node-info.ts";
import { add, createSchedulingQueue, onClusterEvent, onPodUnschedulable, pop, queueSizes } from "../../src/policies/scheduling/queue.ts";
import { queueingEventsOf } from "../../src/policies/scheduling/queueing-hints.ts";
import { inTreeRegistry, type PluginFactory } from "../../src/policies/scheduling/registry.ts";
import { createScheduler } from "../../src/policies/scheduling/scheduler.ts";
import type { PlacedPod } from "../../src/policies/scheduling/snapshot.ts";
import { skip, status, SUCCESS } from "../../src/policies/scheduling/status.ts";
import { clusterOf, makeNode, makePod } from "./builders.ts";

const name = "OneNoisyPerNode";
const isNoisy = (p: Pod): boolean => p.metadata.labels.noisy === "true";

/** A noisy pod never joins a node that already holds one; PreFilter counts noisy pods per node. */
function newOneNoisyPerNode(extension: "derive" | "recount" | "none"): PreFilterPlugin & FilterPlugin {
  const counts = (state: CycleState): Map<string, number> => {
    let m = state.read<Map<string, number>>(name);
    if (m === undefined) {
      m = new Map();
      state.snapshot.forEachPlacedPod((p, nodeName) => {
        if (isNoisy(p)) m?.set(nodeName, (m.get(nodeName) ?? 0) + 1);
      });
      state.write(name, m);
    }
    return m;
  };
  const plugin: PreFilterPlugin & FilterPlugin = {
    name,
    eventsToRegister: () => [
      { kind: "PodRemoved" },
      { kind: "PodReadyChanged", hint: (e) => (e?.kind === "PodReadyChanged" && !e.ready ? "Queue" : "QueueSkip") },
    ],
    preFilter: (state) => ({ status: isNoisy(state.pod) ? (counts(state), SUCCESS) : skip(name) }),
    filter: (state, node: NodeInfo) => ((counts(state).get(node.name) ?? 0) > 0 ? status("Unschedulable", name, "node(s) already hold a noisy pod") : SUCCESS),
  };
  if (extension === "recount") plugin.removePods = () => undefined; // the child recounts lazily
  if (extension === "derive") {
    plugin.removePods = (parent: CycleState, child: CycleState, removed: readonly PlacedPod[]): void => {
      const m = new Map(parent.read<Map<string, number>>(name));
      for (const r of removed) if (isNoisy(r.pod)) m.set(r.nodeName, (m.get(r.nodeName) ?? 0) - 1);
      child.write(name, m);
    };
  }
  return plugin;
}

function schedulerWith(plugin: () => PreFilterPlugin & FilterPlugin) {
  const registry = new Map<string, PluginFactory>(inTreeRegistry);
  registry.set(name, plugin);
  registry.set("Silent", () => ({ name: "Silent", filter: () => SUCCESS }));
  return createScheduler({ registry, profiles: [{ schedulerName: "default-scheduler", plugins: { multiPoint: { enabled: [{ name }, { name: "Silent" }] } } }] });
}

function create(state: ClusterState, pod: Pod): string {
  evolve(state, { kind: "PodCreated", pod }, state.nowMs);
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

function noisyCluster(): { state: ClusterState; key: string } {
  const state = clusterOf([makeNode().name("only").cpuMilli(4000).memoryMi(8192).obj()]);
  create(state, makePod().name("quiet-low").priority(0).cpuMilli(100).node("only").obj());
  create(state, makePod().name("noisy-low").label("noisy", "true").priority(0).cpuMilli(100).node("only").obj());
  const key = create(state, makePod().name("noisy-high").label("noisy", "true").priority(1000).cpuMilli(100).obj());
  return { state, key };
}

for (const extension of ["derive", "recount"] as const) {
  test(`preemption dry runs drop an out-of-tree plugin's pod-dependent state (${extension})`, () => {
    const { state, key } = noisyCluster();
    const r = schedulerWith(() => newOneNoisyPerNode(extension)).scheduleOne(state, key, Prng.fromSeed(1));
    expect(r.kind).toBe("Unschedulable");
    if (r.kind !== "Unschedulable") return;
    expect(r.explanation.rejectedPlugins).toEqual([name]);
    // Only the noisy pod is in the way: the quiet one is reprieved.
    expect(r.nominatedNodeName).toBe("only");
    expect(r.victims).toEqual(["default/noisy-low"]);
  });
}

test("without removePods a plugin declares state that does not count pods: it is kept, so the dry run finds no room", () => {
  const { state, key } = noisyCluster();
  const r = schedulerWith(() => newOneNoisyPerNode("none")).scheduleOne(state, key, Prng.fromSeed(1));
  expect(r.kind === "Unschedulable" && r.victims).toEqual([]);
});

test("a plugin's events and hints requeue the pods it rejected, and only those", () => {
  const scheduler = schedulerWith(() => newOneNoisyPerNode("derive"));
  const events = queueingEventsOf(scheduler.frameworks());
  const q = createSchedulingQueue({ events });
  add(q, { key: "ns/noisy", priority: 0 }, 0);
  add(q, { key: "ns/big", priority: 0 }, 1);
  for (const [key, by] of [["ns/noisy", [name]], ["ns/big", ["NodeResourcesFit"]]] as const) {
    expect(pop(q, 0)?.key).toBe(key);
    onPodUnschedulable(q, key, 0, by);
  }
  onClusterEvent(q, { kind: "NodeAdded", node: makeNode().name("new").obj() }, 10_000);
  expect([...q.unschedulable.keys()]).toEqual(["ns/noisy"]); // NodeResourcesFit registered NodeAdded; the plugin did not
  onClusterEvent(q, { kind: "PodReadyChanged", key: "ns/x", ready: true }, 20_000);
  expect(queueSizes(q).unschedulable).toBe(1); // the hint says QueueSkip
  onClusterEvent(q, { kind: "PodReadyChanged", key: "ns/x", ready: false }, 30_000);
  expect(queueSizes(q).unschedulable).toBe(0);
});

test("a rejecting plugin without eventsToRegister is interested in every event (upstream's default)", () => {
  const scheduler = schedulerWith(() => newOneNoisyPerNode("derive"));
  const events = queueingEventsOf(scheduler.frameworks());
  expect(events.kinds).toBe("all");
  const q = createSchedulingQueue({ events });
  add(q, { key: "ns/p", priority: 0 }, 0);
  pop(q, 0);
  onPodUnschedulable(q, "ns/p", 0, ["Silent"]);
  onClusterEvent(q, { kind: "PodRunning", key: "ns/x" }, 20_000);
  expect(queueSizes(q).unschedulable).toBe(0);
});
