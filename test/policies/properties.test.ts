/** Rules that hold for every cluster: fast-check draws the nodes, pods and seeds. */
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { evolve } from "../../src/model/evolve.ts";
import type { Node, Pod } from "../../src/model/objects.ts";
import { Prng } from "../../src/model/prng.ts";
import type { ClusterState } from "../../src/model/state.ts";
import { createScheduler, runCycle } from "../../src/policies/scheduling/scheduler.ts";
import { buildFramework } from "../../src/policies/scheduling/registry.ts";
import { defaultProfile, mergeProfile } from "../../src/policies/scheduling/profile.ts";
import { nodeTreeOrder, Snapshot } from "../../src/policies/scheduling/snapshot.ts";
import { podRequests } from "../../src/model/resources.ts";
import { clusterOf, makeNode, makePod } from "./builders.ts";

const zones = ["a", "b", "c"];

const nodeArb = fc.record({
  cpu: fc.integer({ min: 1, max: 8 }).map((n) => n * 500),
  memMi: fc.integer({ min: 1, max: 8 }).map((n) => n * 512),
  zone: fc.constantFrom(...zones),
  tainted: fc.boolean(),
  cordoned: fc.boolean(),
  disk: fc.constantFrom("ssd", "hdd"),
});

const podArb = fc.record({
  cpu: fc.integer({ min: 0, max: 6 }).map((n) => n * 250),
  memMi: fc.integer({ min: 0, max: 6 }).map((n) => n * 256),
  priority: fc.integer({ min: 0, max: 3 }),
  tolerates: fc.boolean(),
  wantsSsd: fc.boolean(),
  app: fc.constantFrom("web", "db", "cache"),
  antiAffinity: fc.boolean(),
  spread: fc.boolean(),
});

type NodeSpec = typeof nodeArb extends fc.Arbitrary<infer T> ? T : never;
type PodSpecArb = typeof podArb extends fc.Arbitrary<infer T> ? T : never;

function buildNode(spec: NodeSpec, i: number): Node {
  const b = makeNode().name(`n${i}`).zone(spec.zone).cpuMilli(spec.cpu).memoryMi(spec.memMi).pods(110).label("disk", spec.disk);
  if (spec.tainted) b.taint({ key: "dedicated", value: "batch", effect: "NoSchedule" });
  if (spec.cordoned) b.unschedulable();
  return b.obj();
}

function buildPod(spec: PodSpecArb, i: number): Pod {
  const b = makePod().name(`p${i}`).label("app", spec.app).priority(spec.priority);
  if (spec.cpu > 0) b.cpuMilli(spec.cpu);
  if (spec.memMi > 0) b.memoryMi(spec.memMi);
  if (spec.tolerates) b.toleration({ key: "dedicated", operator: "Exists", effect: "NoSchedule" });
  if (spec.wantsSsd) b.nodeSelector({ disk: "ssd" });
  if (spec.antiAffinity) b.podAntiAffinity("kubernetes.io/hostname", { matchLabels: { app: spec.app } });
  if (spec.spread) {
    b.spread({ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: spec.app } } });
  }
  return b.obj();
}

/** Schedules every pod in turn, binding as it goes; returns the decisions. */
function run(state: ClusterState, pods: readonly Pod[], seed: number): string[] {
  const scheduler = createScheduler({ profiles: [] });
  const prng = Prng.fromSeed(seed);
  const out: string[] = [];
  for (const pod of pods) {
    evolve(state, { kind: "PodCreated", pod: structuredClone(pod) }, 0);
    const key = `default/${pod.metadata.name}`;
    const r = scheduler.scheduleOne(state, key, prng.fork(key));
    if (r.kind === "Bind") evolve(state, { kind: "PodBound", key, nodeName: r.nodeName }, 0);
    out.push(r.kind === "Bind" ? `${key}→${r.nodeName}` : `${key}: ${r.kind} victims=${r.victims.join(",")}`);
  }
  return out;
}

const clusterArb = fc.record({
  nodes: fc.array(nodeArb, { minLength: 1, maxLength: 8 }),
  pods: fc.array(podArb, { minLength: 1, maxLength: 25 }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
});

test.prop([clusterArb], { numRuns: 60 })("no node is ever overcommitted after scheduleOne + bind", ({ nodes, pods, seed }) => {
  const state = clusterOf(nodes.map(buildNode));
  run(state, pods.map(buildPod), seed);
  for (const node of state.nodes.values()) {
    const used: Record<string, number> = {};
    for (const key of state.podsByNode.get(node.metadata.name) ?? []) {
      for (const [name, v] of Object.entries(podRequests(state.pods.get(key) as Pod))) used[name] = (used[name] ?? 0) + v;
    }
    for (const [name, v] of Object.entries(used)) expect(v).toBeLessThanOrEqual(node.status.allocatable[name] ?? 0);
  }
});

/** The same state plus the optional scheduler indexes, maintained as evolve would. */
function withIndexes(state: ClusterState): ClusterState & { nodesVersion: number; podKeysWithPodAffinity: Set<string>; podsVersionByNode: Map<string, number> } {
  const indexed = Object.assign(state, { nodesVersion: 1, podKeysWithPodAffinity: new Set<string>(), podsVersionByNode: new Map<string, number>() });
  for (const [key, pod] of state.pods) if (pod.spec.affinity?.podAntiAffinity || pod.spec.affinity?.podAffinity) indexed.podKeysWithPodAffinity.add(key);
  return indexed;
}

test.prop([clusterArb], { numRuns: 30 })("the optional scheduler indexes change nothing but speed", ({ nodes, pods, seed }) => {
  const built = nodes.map(buildNode);
  const podObjs = pods.map(buildPod);
  const plain = run(clusterOf(built), podObjs, seed);
  const indexed = withIndexes(clusterOf(built));
  const scheduler = createScheduler({ profiles: [] });
  const prng = Prng.fromSeed(seed);
  const out: string[] = [];
  for (const pod of podObjs) {
    evolve(indexed, { kind: "PodCreated", pod: structuredClone(pod) }, 0);
    const key = `default/${pod.metadata.name}`;
    if (pod.spec.affinity?.podAntiAffinity) indexed.podKeysWithPodAffinity.add(key);
    const r = scheduler.scheduleOne(indexed, key, prng.fork(key));
    if (r.kind === "Bind") {
      evolve(indexed, { kind: "PodBound", key, nodeName: r.nodeName }, 0);
      indexed.podsVersionByNode.set(r.nodeName, (indexed.podsVersionByNode.get(r.nodeName) ?? 0) + 1);
    }
    out.push(r.kind === "Bind" ? `${key}→${r.nodeName}` : `${key}: ${r.kind} victims=${r.victims.join(",")}`);
  }
  expect(out).toEqual(plain);
});

test.prop([clusterArb], { numRuns: 40 })("the decision does not depend on the order nodes are listed", ({ nodes, pods, seed }) => {
  const built = nodes.map(buildNode);
  const reversed = [...built].reverse();
  const shuffled = Prng.fromSeed(seed).shuffled(built);
  const podObjs = pods.map(buildPod);
  const a = run(clusterOf(built), podObjs, seed);
  expect(run(clusterOf(reversed), podObjs, seed)).toEqual(a);
  expect(run(clusterOf(shuffled), podObjs, seed)).toEqual(a);
});

test.prop([clusterArb], { numRuns: 40 })(
  "scores stay in [0, 100], and a pod is never bound to a node a filter rejected",
  ({ nodes, pods, seed }) => {
    const state = clusterOf(nodes.map(buildNode));
    const built = buildFramework(mergeProfile(defaultProfile));
    if (built.kind !== "Ok") throw new Error(built.errors.join());
    const scheduler = createScheduler({ profiles: [] });
    pods.map(buildPod).forEach((pod, i) => {
      evolve(state, { kind: "PodCreated", pod }, 0);
      const key = `default/${pod.metadata.name}`;
      const snapshot = new Snapshot(state, nodeTreeOrder([...state.nodes.values()]));
      const detail = runCycle(built.framework, snapshot, state.pods.get(key) as Pod, Prng.fromSeed(seed + i), { sample: false, detail: true }, {
        percentage: 100, startIndex: 0, nominatedNodeName: undefined,
      });
      for (const n of detail.result.explanation.nodes ?? []) {
        for (const s of n.scores) expect(s.normalized >= 0 && s.normalized <= 100, `${s.plugin}=${s.normalized}`).toBe(true);
      }
      const rejected = new Set((detail.result.explanation.nodes ?? []).filter((n) => n.total === null).map((n) => n.name));
      const r = scheduler.scheduleOne(state, key, Prng.fromSeed(seed + i));
      if (r.kind === "Bind") {
        expect(rejected.has(r.nodeName)).toBe(false);
        evolve(state, { kind: "PodBound", key, nodeName: r.nodeName }, 0);
      }
    });
  },
);

test.prop([clusterArb], { numRuns: 40 })("preemption never evicts a pod of equal or higher priority", ({ nodes, pods, seed }) => {
  const state = clusterOf(nodes.map(buildNode));
  const scheduler = createScheduler({ profiles: [] });
  pods.map(buildPod).forEach((pod, i) => {
    evolve(state, { kind: "PodCreated", pod }, 0);
    const key = `default/${pod.metadata.name}`;
    const r = scheduler.scheduleOne(state, key, Prng.fromSeed(seed + i));
    if (r.kind === "Bind") evolve(state, { kind: "PodBound", key, nodeName: r.nodeName }, 0);
    else {
      for (const victim of r.victims) {
        const v = state.pods.get(victim) as Pod;
        expect(v.spec.priority ?? 0).toBeLessThan(pod.spec.priority ?? 0);
        expect(v.spec.nodeName).toBe(r.nominatedNodeName);
      }
      for (const victim of r.victims) evolve(state, { kind: "PodRemoved", key: victim }, 0);
    }
  });
});
