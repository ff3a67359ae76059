/** Plugin behaviour beyond the upstream vectors: sidecars, ports, cordon, conditions, defaults. */
import { evolve } from "../../src/model/evolve.ts";
import { describe, expect, test } from "vitest";
import type { Container, Pod, ReplicaSet } from "../../src/model/objects.ts";
import { Prng } from "../../src/model/prng.ts";
import type { PersistentVolume, PersistentVolumeClaim } from "../../src/model/scheduling-objects.ts";
import { CycleState } from "../../src/policies/scheduling/framework.ts";
import { podInfoOf } from "../../src/policies/scheduling/pod-info.ts";
import { defaultProfile, mergeProfile } from "../../src/policies/scheduling/profile.ts";
import { buildFramework } from "../../src/policies/scheduling/registry.ts";
import { runCycle } from "../../src/policies/scheduling/scheduler.ts";
import { nodeTreeOrder, Snapshot, type SchedulingView } from "../../src/policies/scheduling/snapshot.ts";
import { fitRequests } from "../../src/policies/scheduling/plugins/node-resources-fit.ts";
import { clusterOf, makeNode, makePod } from "./builders.ts";

/** Every node's verdict for `pod` under the default profile, in explain mode. */
function verdicts(view: SchedulingView, pod: Pod): Record<string, string> {
  const built = buildFramework(mergeProfile(defaultProfile));
  if (built.kind !== "Ok") throw new Error(built.errors.join());
  const snapshot = new Snapshot(view, nodeTreeOrder([...view.nodes.values()]));
  const r = runCycle(built.framework, snapshot, pod, Prng.fromSeed(1), { sample: false, detail: true }, { percentage: 100, startIndex: 0, nominatedNodeName: undefined });
  const out: Record<string, string> = {};
  for (const n of r.result.explanation.nodes ?? []) {
    const failed = n.filter.find((f) => f.code !== "Success" && f.code !== "Skip");
    out[n.name] = failed === undefined ? "ok" : `${failed.plugin}: ${failed.reasons.join("; ")}`;
  }
  return out;
}

describe("pod requests", () => {
  test("sidecars (restartPolicy Always init containers) add to the app containers", () => {
    const pod = makePod().name("p").containers({ cpu: 100, memory: 10 }).initContainers({ cpu: 500 }, { cpu: 50, memory: 5 }, { cpu: 300 }).obj();
    (pod.spec.initContainers?.[1] as Container & { restartPolicy?: string }).restartPolicy = "Always";
    // app 100 + sidecar 50 = 150 vs ordinary inits 500 and 300 + 50 (sidecar started before it): 500 wins.
    expect(podInfoOf(pod).requests).toEqual({ cpu: 500, memory: 15 });
  });

  test("ignoredResources / ignoredResourceGroups drop extended resources from the fit check", () => {
    const pod = makePod().name("p").req({ cpu: 1, "example.com/aaa": 1, "example.com/bbb": 1, "other.io/x": 2 }).obj();
    const state = new CycleState(pod, new Snapshot(clusterOf([]), []));
    expect(fitRequests(state, { ignoredResourceGroups: ["example.com"] }).map((r) => r[0])).toEqual(["cpu", "other.io/x"]);
    expect(fitRequests(state, { ignoredResources: ["other.io/x"] }).map((r) => r[0])).toEqual(["cpu", "example.com/aaa", "example.com/bbb"]);
  });
});

describe("filters", () => {
  test("host ports, cordons, not-ready nodes and pinned node names", () => {
    const nodes = [
      makeNode().name("busy").cpuMilli(4000).obj(),
      makeNode().name("cordoned").cpuMilli(4000).unschedulable().obj(),
      makeNode().name("down").cpuMilli(4000).ready("Unknown").obj(),
      makeNode().name("free").cpuMilli(4000).obj(),
    ];
    const view = clusterOf(nodes, [makePod().name("web-0").hostPort(8080).node("busy").obj()]);
    expect(verdicts(view, makePod().name("web-1").hostPort(8080).obj())).toEqual({
      busy: "NodePorts: node(s) didn't have free ports for the requested pod ports",
      cordoned: "NodeUnschedulable: node(s) were unschedulable",
      down: "TaintToleration: node(s) had untolerated taint(s)",
      free: "ok",
    });
    const tolerant = makePod().name("t").toleration({ operator: "Exists" }).obj();
    expect(verdicts(view, tolerant)).toEqual({ busy: "ok", cordoned: "ok", down: "ok", free: "ok" });
  });

  test("a claim bound to a volume with node affinity pins the pod to matching nodes", () => {
    const view = clusterOf([makeNode().name("a").cpuMilli(1000).obj(), makeNode().name("b").cpuMilli(1000).obj()]);
    const pv: PersistentVolume = {
      kind: "PersistentVolume",
      metadata: { name: "local-a", namespace: "", uid: "pv", labels: {}, creationMs: 0 },
      spec: { capacity: { storage: 1 }, nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: ["a"] }] }] } } },
      status: { phase: "Bound" },
    };
    const pvc: PersistentVolumeClaim = {
      kind: "PersistentVolumeClaim",
      metadata: { name: "data", namespace: "default", uid: "pvc", labels: {}, creationMs: 0 },
      spec: { resources: { requests: { storage: 1 } }, volumeName: "local-a" },
      status: { phase: "Bound" },
    };
    const v = { ...view, persistentVolumes: new Map([["local-a", pv]]), persistentVolumeClaims: new Map([["default/data", pvc]]) };
    expect(verdicts(v, makePod().name("db").claim("data").obj())).toEqual({ a: "ok", b: "VolumeBinding: node(s) had volume node affinity conflict" });
  });
});

describe("scores", () => {
  function scoresOf(view: SchedulingView, pod: Pod, plugin: string): Record<string, number> {
    const built = buildFramework(mergeProfile(defaultProfile));
    if (built.kind !== "Ok") throw new Error(built.errors.join());
    const snapshot = new Snapshot(view, nodeTreeOrder([...view.nodes.values()]));
    const r = runCycle(built.framework, snapshot, pod, Prng.fromSeed(1), { sample: false, detail: true }, { percentage: 100, startIndex: 0, nominatedNodeName: undefined });
    const out: Record<string, number> = {};
    for (const n of r.result.explanation.nodes ?? []) {
      const s = n.scores.find((x) => x.plugin === plugin);
      if (s !== undefined) out[n.name] = s.normalized;
    }
    return out;
  }

  test("preferred pod affinity pulls towards the domain of matching pods, anti-affinity away", () => {
    const nodes = ["a", "b", "c"].map((n, i) => makeNode().name(n).zone(`z${i}`).cpuMilli(4000).memoryMi(4096).obj());
    const view = clusterOf(nodes, [makePod().name("cache").label("app", "cache").node("a").obj(), makePod().name("noisy").label("app", "noisy").node("b").obj()]);
    const pod = makePod()
      .name("web")
      .preferredPodAffinity(10, { topologyKey: "topology.kubernetes.io/zone", labelSelector: { matchLabels: { app: "cache" } } })
      .preferredPodAntiAffinity(5, { topologyKey: "topology.kubernetes.io/zone", labelSelector: { matchLabels: { app: "noisy" } } })
      .obj();
    // raw: a = +10, b = -5, c = 0 → min-max normalized.
    expect(scoresOf(view, pod, "InterPodAffinity")).toEqual({ a: 100, b: 0, c: 33 });
  });

  test("system default spreading applies to ReplicaSet pods without constraints", () => {
    const rs: ReplicaSet = {
      kind: "ReplicaSet",
      metadata: { name: "web", namespace: "default", uid: "rs", labels: {}, creationMs: 0 },
      spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template: { labels: { app: "web" }, spec: { schedulerName: "default-scheduler", containers: [] } } },
      status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 },
    };
    const nodes = ["a", "b"].map((n) => makeNode().name(n).zone("z").cpuMilli(4000).memoryMi(4096).obj());
    const state = clusterOf(nodes, [makePod().name("web-0").label("app", "web").node("a").obj(), makePod().name("web-1").label("app", "web").node("a").obj()]);
    evolve(state, { kind: "ReplicaSetCreated", replicaSet: rs }, 0);
    const scores = scoresOf(state, makePod().name("web-2").label("app", "web").obj(), "PodTopologySpread");
    expect((scores.b as number) > (scores.a as number)).toBe(true);
    evolve(state, { kind: "ReplicaSetRemoved", key: "default/web" }, 0); // the memoized default selector follows
    expect(scoresOf(state, makePod().name("web-3").label("app", "web").obj(), "PodTopologySpread")).toEqual({});
  });
});
