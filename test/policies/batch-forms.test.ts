/** The plugins' batch forms (filterAll, scoreAll memoized per NodeInfo) give exactly their per-node verdicts and scores. */
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { evolve } from "../../src/model/evolve.ts";
import { CycleState, runFilter, runFilterBatch, runPreFilter } from "../../src/policies/scheduling/framework.ts";
import type { Status } from "../../src/policies/scheduling/status.ts";
import { defaultProfile, mergeProfile } from "../../src/policies/scheduling/profile.ts";
import { buildFramework } from "../../src/policies/scheduling/registry.ts";
import { orderedNodes, Snapshot } from "../../src/policies/scheduling/snapshot.ts";
import { clusterOf, makeNode, makePod } from "./builders.ts";

const nodeArb = fc.record({
  cpu: fc.integer({ min: 0, max: 8 }).map((n) => n * 500),
  memMi: fc.integer({ min: 0, max: 8 }).map((n) => n * 512),
  prefer: fc.boolean(),
  pods: fc.array(fc.record({ cpu: fc.integer({ min: 0, max: 4 }), memMi: fc.integer({ min: 0, max: 4 }) }), { maxLength: 3 }),
});
const podArb = fc.record({ cpu: fc.integer({ min: 0, max: 3000 }), memMi: fc.integer({ min: 0, max: 3000 }), tolerates: fc.boolean() });

test.prop([fc.array(nodeArb, { minLength: 1, maxLength: 8 }), fc.array(podArb, { minLength: 1, maxLength: 4 })], { numRuns: 60 })(
  "scoreAll equals score on every node, cycle after cycle",
  (nodes, incoming) => {
    const state = clusterOf(
      nodes.map((n, i) => {
        const b = makeNode().name(`n${i}`).cpuMilli(n.cpu).memoryMi(n.memMi).pods(110);
        if (n.prefer) b.taint({ key: "noisy", value: "x", effect: "PreferNoSchedule" });
        return b.obj();
      }),
    );
    nodes.forEach((n, i) =>
      n.pods.forEach((p, j) => {
        evolve(state, { kind: "PodCreated", pod: makePod().name(`e${i}-${j}`).cpuMilli(p.cpu * 250).memoryMi(p.memMi * 256).node(`n${i}`).obj() }, 0);
      }),
    );
    const built = buildFramework(mergeProfile(defaultProfile));
    if (built.kind !== "Ok") throw new Error(built.errors.join());
    const batched = built.framework.score.filter((s) => s.plugin.scoreAll !== undefined);
    expect(batched.length).toBeGreaterThan(0);
    // The same pods twice: the second round is served from the memo, except on n0, which changed.
    for (const [k, spec] of [...incoming, ...incoming].entries()) {
      if (k === incoming.length) {
        evolve(state, { kind: "PodCreated", pod: makePod().name("late").cpuMilli(300).memoryMi(300).node("n0").obj() }, 0);
      }
      const b = makePod().name("incoming").cpuMilli(spec.cpu).memoryMi(spec.memMi);
      if (spec.tolerates) b.toleration({ key: "noisy", operator: "Exists", effect: "PreferNoSchedule" });
      const snapshot = new Snapshot(state, orderedNodes(state.nodes, state.nodesVersion));
      const infos = snapshot.nodes.map((n) => snapshot.nodeInfo(n));
      for (const { plugin } of batched) {
        const state1 = new CycleState(b.obj(), snapshot);
        const got = new Array<number>(infos.length).fill(-1);
        plugin.scoreAll?.(state1, infos, got);
        const state2 = new CycleState(b.obj(), snapshot);
        expect(got).toEqual(infos.map((info) => plugin.score(state2, info)));
      }
    }
  },
);

const filterNodeArb = fc.record({
  cpu: fc.integer({ min: 0, max: 4 }).map((n) => n * 1000),
  memMi: fc.integer({ min: 0, max: 4 }).map((n) => n * 1024),
  pods: fc.integer({ min: 0, max: 3 }),
  cordoned: fc.boolean(),
  taint: fc.constantFrom("none", "NoSchedule", "PreferNoSchedule"),
  ready: fc.constantFrom("True", "False", "Unknown"),
  gpu: fc.integer({ min: 0, max: 2 }),
});
const filterPodArb = fc.record({
  cpu: fc.integer({ min: 0, max: 3000 }),
  memMi: fc.integer({ min: 0, max: 3000 }),
  gpu: fc.integer({ min: 0, max: 2 }),
  tolerates: fc.boolean(),
  toleratesCordon: fc.boolean(),
  nodeName: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
});

test.prop([fc.array(filterNodeArb, { minLength: 1, maxLength: 10 }), filterPodArb], { numRuns: 100 })(
  "runFilterBatch gives every node the status runFilter gives it",
  (nodes, spec) => {
    const state = clusterOf(
      nodes.map((n, i) => {
        const b = makeNode().name(`n${i}`).cpuMilli(n.cpu).memoryMi(n.memMi).pods(2).ready(n.ready);
        if (n.gpu > 0) b.allocatable({ "example.com/gpu": n.gpu });
        if (n.cordoned) b.unschedulable();
        if (n.taint !== "none") b.taint({ key: "dedicated", value: "x", effect: n.taint });
        return b.obj();
      }),
    );
    nodes.forEach((n, i) => {
      for (let j = 0; j < n.pods; j++) evolve(state, { kind: "PodCreated", pod: makePod().name(`e${i}-${j}`).cpuMilli(300).node(`n${i}`).obj() }, 0);
    });
    const b = makePod().name("incoming").cpuMilli(spec.cpu).memoryMi(spec.memMi);
    if (spec.gpu > 0) b.req({ "example.com/gpu": spec.gpu });
    if (spec.tolerates) b.toleration({ key: "dedicated", operator: "Exists" });
    if (spec.toleratesCordon) b.toleration({ key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" });
    const pod = b.obj();
    if (spec.nodeName !== undefined) pod.spec.nodeName = `n${spec.nodeName}`;
    const built = buildFramework(mergeProfile(defaultProfile));
    if (built.kind !== "Ok") throw new Error(built.errors.join());
    const fw = built.framework;
    expect(fw.filter.some((p) => p.filterAll !== undefined)).toBe(true);
    const snapshot = new Snapshot(state, orderedNodes(state.nodes, state.nodesVersion));
    const infos = snapshot.nodes.map((n) => snapshot.nodeInfo(n));
    const one = new CycleState(pod, snapshot);
    runPreFilter(fw, one);
    const expected = infos.map((info) => runFilter(fw, one, info)).map((s) => (s.code === "Success" ? undefined : s));
    const batch = new CycleState(pod, snapshot);
    runPreFilter(fw, batch);
    const got: (Status | undefined)[] = infos.map(() => undefined);
    runFilterBatch(fw, batch, infos, got);
    expect(got).toEqual(expected);
  },
);
