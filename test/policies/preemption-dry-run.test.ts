/**
 * Preemption's dry run (FrameworkHandle.dryRun: one PreFilter per cycle, filters on a scratch
 * NodeInfo) answers every "what if" exactly as a `without` snapshot through podFitsOn does, and
 * steps aside when a pod-dependent plugin (InterPodAffinity, PodTopologySpread) is active.
 */
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { evolve } from "../../src/model/evolve.ts";
import { objectKey, type Pod } from "../../src/model/objects.ts";
import { Prng } from "../../src/model/prng.ts";
import { CycleState, runPreFilter } from "../../src/policies/scheduling/framework.ts";
import { defaultProfile, mergeProfile } from "../../src/policies/scheduling/profile.ts";
import { buildFramework } from "../../src/policies/scheduling/registry.ts";
import { frameworkHandle } from "../../src/policies/scheduling/scheduler.ts";
import { orderedNodes, Snapshot } from "../../src/policies/scheduling/snapshot.ts";
import { clusterOf, makeNode, makePod } from "./builders.ts";

const podArb = fc.record({
  node: fc.integer({ min: 0, max: 3 }),
  priority: fc.integer({ min: 0, max: 3 }),
  cpuTenths: fc.integer({ min: 0, max: 30 }),
  memoryGi: fc.integer({ min: 0, max: 6 }),
  hostPort: fc.option(fc.constantFrom(80, 443), { nil: undefined }),
  gpu: fc.boolean(),
});
type PodSpecArb = typeof podArb extends fc.Arbitrary<infer T> ? T : never;

function buildPod(spec: PodSpecArb, name: string): Pod {
  const b = makePod().name(name).priority(spec.priority).cpuMilli(spec.cpuTenths * 100).memoryMi(spec.memoryGi * 1024);
  if (spec.hostPort !== undefined) b.hostPort(spec.hostPort);
  if (spec.gpu) b.req({ "example.com/gpu": 1 });
  return b.obj();
}

const nodes = [
  makeNode().name("n0").zone("a").cpuMilli(4000).memoryMi(8192).pods(4).obj(),
  makeNode().name("n1").zone("b").cpuMilli(8000).memoryMi(16384).allocatable({ "example.com/gpu": 1 }).obj(),
  makeNode().name("n2").zone("a").cpuMilli(4000).memoryMi(8192).taint({ key: "dedicated", value: "x", effect: "NoSchedule" }).obj(),
  makeNode().name("n3").zone("c").cpuMilli(2000).memoryMi(4096).unschedulable().obj(),
];

function framework() {
  const built = buildFramework(mergeProfile(defaultProfile));
  if (built.kind !== "Ok") throw new Error(built.errors.join());
  return built.framework;
}

test.prop([fc.array(podArb, { minLength: 1, maxLength: 12 }), podArb, fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), fc.boolean()], { numRuns: 200 })(
  "dryRun.fits == podFitsOn on the without snapshot, for every node and removal",
  (existing, incoming, removeMask, tolerates) => {
    const state = clusterOf(nodes);
    existing.forEach((spec, i) => {
      const placed = buildPod(spec, `e${i}`);
      placed.spec.nodeName = `n${spec.node}`;
      evolve(state, { kind: "PodCreated", pod: placed }, 0);
    });
    const pod = buildPod({ ...incoming, priority: 4 }, "incoming");
    if (tolerates) pod.spec.tolerations = [{ key: "dedicated", operator: "Exists", effect: "NoSchedule" }];
    const fw = framework();
    const snapshot = new Snapshot(state, orderedNodes(state.nodes, state.nodesVersion));
    const cycle = new CycleState(pod, snapshot);
    runPreFilter(fw, cycle);
    const handle = frameworkHandle(fw, Prng.fromSeed(1));
    const dry = handle.dryRun(cycle);
    expect(dry).toBeDefined();
    let checked = 0;
    for (let row = 0; row < snapshot.nodes.length; row++) {
      const info = snapshot.nodeInfoAt(row);
      const gone = new Set<string>();
      const left = info.pods.filter((p) => {
        const index = Number(p.metadata.name.slice(1));
        if (removeMask[index] !== true) return true;
        gone.add(objectKey(p.metadata));
        return false;
      });
      expect(dry?.fits(info, left)).toBe(handle.podFitsOn(cycle, snapshot.without(gone), info.name));
      checked++;
    }
    expect(checked).toBe(nodes.length);
  },
);

test("dryRun steps aside while a pod-dependent plugin is active, and serves once they are skipped", () => {
  const state = clusterOf(nodes, [makePod().name("web").label("app", "web").node("n0").cpuMilli(100).obj()]);
  const fw = framework();
  const snapshot = new Snapshot(state, orderedNodes(state.nodes, state.nodesVersion));
  const handle = frameworkHandle(fw, Prng.fromSeed(1));
  const spread = makePod().name("spread").label("app", "web").priority(5).cpuMilli(100)
    .spread({ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "web" } } }).obj();
  const anti = makePod().name("anti").label("app", "web").priority(5).cpuMilli(100).podAntiAffinity("kubernetes.io/hostname", { matchLabels: { app: "web" } }).obj();
  const plain = makePod().name("plain").priority(5).cpuMilli(100).obj();
  const dryFor = (pod: Pod) => {
    const cycle = new CycleState(pod, snapshot);
    runPreFilter(fw, cycle);
    return handle.dryRun(cycle);
  };
  expect(dryFor(spread)).toBeUndefined();
  expect(dryFor(anti)).toBeUndefined();
  expect(dryFor(plain)).toBeDefined();
});
