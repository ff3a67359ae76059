/**
 * Counts kept across cycles (RowCounts, used by InterPodAffinity and PodTopologySpread when the
 * view has the nodeChanges journal) give every node the same filter verdict as a recount from
 * scratch, whatever happened to pods and nodes in between.
 */
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import type { ClusterEvent } from "../../src/model/cluster-event.ts";
import { evolve } from "../../src/model/evolve.ts";
import type { Pod, ReplicaSet } from "../../src/model/objects.ts";
import type { ClusterState } from "../../src/model/state.ts";
import { CycleState, runFilter, runPreFilter, runPreScore, runScore } from "../../src/policies/scheduling/framework.ts";
import { defaultProfile, mergeProfile } from "../../src/policies/scheduling/profile.ts";
import { buildFramework } from "../../src/policies/scheduling/registry.ts";
import { emptyOverlay, orderedNodes, Snapshot, type PodOverlay, type SchedulingView } from "../../src/policies/scheduling/snapshot.ts";
import { clusterOf, makeNode, makePod } from "./builders.ts";

const shapeArb = fc.record({
  app: fc.constantFrom("web", "db"), anti: fc.boolean(), affinity: fc.boolean(), spread: fc.boolean(), ssd: fc.boolean(), prefer: fc.boolean(),
  soft: fc.boolean(),
});
type Shape = typeof shapeArb extends fc.Arbitrary<infer T> ? T : never;

const stepArb = fc.oneof(
  fc.record({ op: fc.constant("create" as const), shape: shapeArb, node: fc.integer({ min: 0, max: 4 }), hard: fc.boolean() }),
  fc.record({ op: fc.constant("remove" as const), pick: fc.nat() }),
  fc.record({ op: fc.constant("fail" as const), pick: fc.nat() }),
  fc.record({ op: fc.constant("deleting" as const), pick: fc.nat() }),
  fc.record({ op: fc.constant("taint" as const), node: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ op: fc.constant("check" as const), shape: shapeArb, assumedOn: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }) }),
);

function podOf(shape: Shape, name: string): Pod {
  const b = makePod().name(name).label("app", shape.app).cpuMilli(100);
  if (shape.anti) b.podAntiAffinity("kubernetes.io/hostname", { matchLabels: { app: shape.app } });
  if (shape.affinity) b.podAffinity("topology.kubernetes.io/zone", { matchLabels: { app: "web" } });
  if (shape.spread) {
    b.spread({ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: shape.app } } });
    b.spread({ maxSkew: 2, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: shape.app } } });
  }
  if (shape.soft) {
    b.spread({ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { app: shape.app } } });
    b.spread({ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { app: shape.app } } });
  }
  if (shape.ssd) b.nodeSelector({ disk: "ssd" });
  if (shape.prefer) {
    b.preferredPodAffinity(10, { topologyKey: "topology.kubernetes.io/zone", labelSelector: { matchLabels: { app: "web" } } });
    b.preferredPodAntiAffinity(5, { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { app: shape.app } } });
  }
  return b.obj();
}

function replicaSetFor(app: string): ReplicaSet {
  return {
    kind: "ReplicaSet",
    metadata: { name: `${app}-rs`, namespace: "default", uid: `rs-${app}`, labels: { app }, creationMs: 0 },
    spec: { replicas: 0, selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [] } } as unknown as ReplicaSet["spec"]["template"] },
    status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 },
  };
}

function withoutJournal(state: ClusterState): SchedulingView {
  const { nodeChanges: _journal, ...rest } = state;
  return rest;
}

/** Without the affinity index the plugins keep sums even for a few pods (the path under test). */
function withoutAffinityIndex(state: ClusterState): SchedulingView {
  const { podKeysWithPodAffinity: _index, ...rest } = state;
  return rest;
}

test.prop([fc.array(stepArb, { minLength: 1, maxLength: 40 })], { numRuns: 150 })("kept counts == recount after any history", (steps) => {
  const state = clusterOf(Array.from({ length: 5 }, (_, i) => makeNode().name(`n${i}`).zone(["a", "b", "c"][i % 3] as string).label("disk", i < 3 ? "ssd" : "hdd").cpuMilli(8000).pods(50).obj()));
  const built = buildFramework(mergeProfile(defaultProfile));
  if (built.kind !== "Ok") throw new Error(built.errors.join());
  const fw = built.framework;
  const apply = (e: ClusterEvent): void => evolve(state, e, 0);
  // db pods without constraints of their own get the system default spreading (ScheduleAnyway).
  apply({ kind: "ReplicaSetCreated", replicaSet: replicaSetFor("db") });
  let n = 0;
  for (const step of steps) {
    const bound = [...state.pods.keys()].filter((k) => state.pods.get(k)?.spec.nodeName !== undefined).sort();
    if (step.op === "create") {
      const pod = podOf(step.shape, `p${n++}`);
      // Existing pods' required affinity counts in scoring (hardPodAffinityWeight).
      if (step.hard) pod.spec.affinity = { ...pod.spec.affinity, podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "topology.kubernetes.io/zone", labelSelector: { matchLabels: { app: "db" } } }] } };
      pod.spec.nodeName = `n${step.node}`;
      apply({ kind: "PodCreated", pod });
    } else if ((step.op === "remove" || step.op === "fail" || step.op === "deleting") && bound.length > 0) {
      const key = bound[step.pick % bound.length] as string;
      if (step.op === "remove") apply({ kind: "PodRemoved", key });
      else if (step.op === "fail") apply({ kind: "PodFailed", key, reason: "Error" });
      else if (state.pods.get(key)?.metadata.deletionMs === undefined) apply({ kind: "PodDeleting", key, reason: "scale down" });
    } else if (step.op === "taint") {
      apply({ kind: "NodeTaintsChanged", name: `n${step.node}`, taints: [] });
    } else if (step.op === "check") {
      const incoming = podOf(step.shape, "incoming");
      const overlay: PodOverlay =
        step.assumedOn === undefined
          ? emptyOverlay
          : (() => {
              const assumed = podOf(step.shape, "assumed");
              const placed = { pod: assumed, key: "default/assumed", nodeName: `n${step.assumedOn}` };
              return { podsOn: (name: string) => (name === placed.nodeName ? [assumed] : []), all: () => [placed] };
            })();
      const verdicts = (view: SchedulingView): string[] => {
        const snapshot = new Snapshot(view, orderedNodes(view.nodes, view.nodesVersion), overlay);
        const cs = new CycleState(incoming, snapshot);
        const pre = runPreFilter(fw, cs);
        if (pre.status.code !== "Success") return [`prefilter ${pre.status.code} ${pre.status.reasons.join(",")}`];
        const infos = snapshot.nodes.map((node) => snapshot.nodeInfo(node));
        const filtered = infos.map((info) => {
          const s = runFilter(fw, cs, info);
          return `${info.name} ${s.code} ${s.reasons.join(",")}`;
        });
        const preScore = runPreScore(fw, cs, infos);
        const scores = runScore(fw, cs, infos).map((ps) => `${ps.plugin}: ${ps.raw.join(" ")} / ${ps.normalized.join(" ")}`);
        return [...filtered, `prescore ${preScore.code}`, ...scores];
      };
      const recounted = verdicts(withoutJournal(state));
      expect(verdicts(withoutAffinityIndex(state))).toEqual(recounted);
      expect(verdicts(state)).toEqual(recounted);
    }
  }
});

test("a pod starting deletion stops counting for spreading at once (the journal names its node)", () => {
  const state = clusterOf(Array.from({ length: 3 }, (_, i) => makeNode().name(`n${i}`).zone(["a", "b", "c"][i] as string).cpuMilli(8000).pods(50).obj()));
  const built = buildFramework(mergeProfile(defaultProfile));
  if (built.kind !== "Ok") throw new Error(built.errors.join());
  const shape: Shape = { app: "web", anti: false, affinity: false, spread: true, ssd: false, prefer: false, soft: false };
  const placed = podOf(shape, "p0");
  placed.spec.nodeName = "n0";
  evolve(state, { kind: "PodCreated", pod: placed }, 0);
  const verdictOnN0 = (): string => {
    const snapshot = new Snapshot(state, orderedNodes(state.nodes, state.nodesVersion));
    const cs = new CycleState(podOf(shape, "incoming"), snapshot);
    runPreFilter(built.framework, cs);
    return runFilter(built.framework, cs, snapshot.nodeInfoByName("n0") as NonNullable<ReturnType<Snapshot["nodeInfoByName"]>>).code;
  };
  expect(verdictOnN0()).toBe("Unschedulable");
  evolve(state, { kind: "PodDeleting", key: "default/p0", reason: "scale down" }, 0);
  expect(verdictOnN0()).toBe("Success");
});
