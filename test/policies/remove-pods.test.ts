/**
 * PreFilter state derived for a "what if" snapshot (removePods, as preemption's dry runs use it)
 * gives every node the same filter verdict as recounting the pods of that snapshot.
 */
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { evolve } from "../../src/model/evolve.ts";
import type { Pod } from "../../src/model/objects.ts";
import { CycleState, podDependentPlugins, runFilter, runPreFilter } from "../../src/policies/scheduling/framework.ts";
import { defaultProfile, mergeProfile } from "../../src/policies/scheduling/profile.ts";
import { buildFramework } from "../../src/policies/scheduling/registry.ts";
import { orderedNodes, Snapshot } from "../../src/policies/scheduling/snapshot.ts";
import { clusterOf, makeNode, makePod } from "./builders.ts";

const apps = ["web", "db"];

const podArb = fc.record({
  app: fc.constantFrom(...apps),
  node: fc.integer({ min: 0, max: 5 }),
  anti: fc.boolean(),
  affinity: fc.boolean(),
  spread: fc.boolean(),
  deleting: fc.boolean(),
});

function buildPod(spec: typeof podArb extends fc.Arbitrary<infer T> ? T : never, name: string): Pod {
  const b = makePod().name(name).label("app", spec.app).cpuMilli(100);
  if (spec.anti) b.podAntiAffinity("kubernetes.io/hostname", { matchLabels: { app: spec.app } });
  if (spec.affinity) b.podAffinity("topology.kubernetes.io/zone", { matchLabels: { app: "web" } });
  if (spec.spread) {
    b.spread({ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: spec.app } } });
  }
  if (spec.deleting) b.terminating();
  return b.obj();
}

test.prop([fc.array(podArb, { minLength: 1, maxLength: 14 }), podArb, fc.array(fc.boolean(), { minLength: 14, maxLength: 14 })], { numRuns: 150 })(
  "removePods state == recounted state, on every node",
  (existing, incoming, removeMask) => {
    const nodes = Array.from({ length: 6 }, (_, i) => makeNode().name(`n${i}`).zone(["a", "b", "c"][i % 3] as string).cpuMilli(8000).pods(50).obj());
    const state = clusterOf(nodes);
    existing.forEach((spec, i) => {
      const placed = buildPod(spec, `e${i}`);
      placed.spec.nodeName = `n${spec.node}`;
      evolve(state, { kind: "PodCreated", pod: placed }, 0);
    });
    const pod = buildPod({ ...incoming, deleting: false }, "incoming");
    const built = buildFramework(mergeProfile(defaultProfile));
    if (built.kind !== "Ok") throw new Error(built.errors.join());
    const fw = built.framework;
    const snapshot = new Snapshot(state, orderedNodes(state.nodes, state.nodesVersion));
    const parent = new CycleState(pod, snapshot);
    runPreFilter(fw, parent);
    const removedKeys = new Set(existing.map((_, i) => `default/e${i}`).filter((_, i) => removeMask[i]));
    const what = snapshot.without(removedKeys);
    const derived = parent.forSnapshot(what, podDependentPlugins(fw));
    const removed = what.excludedSince(snapshot);
    for (const plugin of fw.preFilter) if (plugin.removePods !== undefined && !derived.skipFilter.has(plugin.name)) plugin.removePods(parent, derived, removed);
    const recounted = parent.forSnapshot(what, podDependentPlugins(fw));
    const verdicts = (cs: CycleState): string[] => {
      const pre = runPreFilter(fw, cs);
      if (pre.status.code !== "Success") return [`prefilter ${pre.status.code}`];
      return what.nodes.map((n) => {
        const s = runFilter(fw, cs, what.nodeInfo(n));
        return `${n.metadata.name} ${s.code} ${s.plugin} ${s.reasons.join(",")}`;
      });
    };
    expect(verdicts(derived)).toEqual(verdicts(recounted));
  },
);
