/**
 * Golden: the scheduler's decisions are a contract. Speed work on the framework must not move a
 * single pod. Two workloads are pinned (UPDATE_GOLDEN=1 rewrites the files):
 * - the bench's scheduler_perf workloads at 1/10 scale (bench/scheduler-perf.ts);
 * - a churning mixed cluster: taints, cordons, not-ready nodes, node affinity, host ports,
 *   extended resources, pod (anti-)affinity, spreading (own and ReplicaSet defaults), priorities
 *   and preemption, binds that reach the view late (assumed pods), node and pod changes mid-run.
 *   It runs against the full ClusterState and against a view without the optional indexes.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { expect, test } from "vitest";
import { scaledWorkload, runWorkload, workloads } from "../../bench/scheduler-perf.ts";
import type { ClusterEvent } from "../../src/model/cluster-event.ts";
import { evolve } from "../../src/model/evolve.ts";
import type { Pod, ReplicaSet } from "../../src/model/objects.ts";
import { Prng } from "../../src/model/prng.ts";
import { emptyState, type ClusterState } from "../../src/model/state.ts";
import { createScheduler } from "../../src/policies/scheduling/scheduler.ts";
import type { SchedulingView } from "../../src/policies/scheduling/snapshot.ts";
import { makeNode, makePod } from "./builders.ts";

function golden(name: string, actual: string): void {
  const url = new URL(`./golden/${name}`, import.meta.url);
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(url)) writeFileSync(url, actual);
  expect(actual).toBe(readFileSync(url, "utf8"));
}

test("bench workloads at 1/10 scale: every decision matches the golden file", () => {
  const lines: string[] = [];
  for (const w of workloads) lines.push(`# ${w.name}`, ...runWorkload(scaledWorkload(w, 10), { recordDecisions: true }).decisions);
  golden("scheduler-perf-decisions.txt", `${lines.join("\n")}\n`);
});

const zones = ["a", "b", "c"];
const apps = ["web", "db", "cache", "batch"];

function mixedNode(prng: Prng, i: number): ClusterEvent {
  const b = makeNode().name(`node-${String(i).padStart(3, "0")}`).zone(zones[i % zones.length] as string)
    .cpuMilli(prng.int(2, 9) * 1000).memoryMi(prng.int(4, 33) * 1024).pods(prng.int(8, 40))
    .label("disk", prng.chance(0.5) ? "ssd" : "hdd").label("rack", `r${prng.int(0, 6)}`);
  if (prng.chance(0.3)) b.allocatable({ "example.com/gpu": prng.int(1, 5) });
  if (prng.chance(0.1)) b.taint({ key: "dedicated", value: "batch", effect: "NoSchedule" });
  if (prng.chance(0.2)) b.taint({ key: "noisy", value: "yes", effect: "PreferNoSchedule" });
  if (prng.chance(0.05)) b.unschedulable();
  if (prng.chance(0.05)) b.ready("False");
  return { kind: "NodeAdded", node: b.obj() };
}

function mixedPod(prng: Prng, i: number): Pod {
  const app = apps[prng.int(0, apps.length)] as string;
  const b = makePod().name(`p-${String(i).padStart(4, "0")}`).label("app", app).priority(prng.int(0, 4));
  if (prng.chance(0.9)) b.cpuMilli(prng.int(1, 12) * 100);
  if (prng.chance(0.8)) b.memoryMi(prng.int(1, 16) * 256);
  if (prng.chance(0.1)) b.req({ "example.com/gpu": 1 });
  if (prng.chance(0.15)) b.toleration({ key: "dedicated", operator: "Exists", effect: "NoSchedule" });
  if (prng.chance(0.1)) b.toleration({ key: "noisy", operator: "Equal", value: "yes", effect: "PreferNoSchedule" });
  if (prng.chance(0.1)) b.nodeSelector({ disk: "ssd" });
  if (prng.chance(0.15)) b.preferredNodeAffinity(prng.int(1, 100), { matchExpressions: [{ key: "rack", operator: "In", values: [`r${prng.int(0, 6)}`] }] });
  if (prng.chance(0.05)) b.hostPort(8080 + prng.int(0, 2));
  if (app === "db" && prng.chance(0.5)) b.podAntiAffinity("kubernetes.io/hostname", { matchLabels: { app: "db" } });
  if (app === "cache" && prng.chance(0.3)) b.preferredPodAffinity(50, { topologyKey: "topology.kubernetes.io/zone", labelSelector: { matchLabels: { app: "web" } } });
  if (app === "web" && prng.chance(0.3)) {
    b.spread({ maxSkew: 2, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "web" } } });
  }
  if (app === "batch" && prng.chance(0.3)) {
    b.spread({ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { app: "batch" } } });
  }
  return b.obj();
}

function replicaSet(app: string): ReplicaSet {
  return {
    kind: "ReplicaSet",
    metadata: { name: `${app}-rs`, namespace: "default", uid: `rs-${app}`, labels: { app }, creationMs: 0 },
    spec: { replicas: 0, selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [] } } as unknown as ReplicaSet["spec"]["template"] },
    status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 },
  };
}

/** The state without the optional scheduler indexes (same maps, so it follows every change). */
function withoutIndexes(state: ClusterState): SchedulingView {
  const { nodesVersion: _a, podsVersionByNode: _b, nodeChanges: _e, podKeysWithPodAffinity: _c, podsByLabel: _d, ...rest } = state;
  return rest;
}

function runMixed(indexed: boolean): string[] {
  const prng = Prng.fromSeed(20261123);
  const build = prng.fork("build");
  const state = emptyState();
  const view: SchedulingView = indexed ? state : withoutIndexes(state);
  const apply = (e: ClusterEvent): void => evolve(state, e, state.nowMs);
  for (let i = 0; i < 120; i++) apply(mixedNode(build, i));
  apply({ kind: "ReplicaSetCreated", replicaSet: replicaSet("cache") });
  const scheduler = createScheduler({ profiles: [] });
  const out: string[] = [];
  const lagging: { key: string; nodeName: string }[] = [];
  const retry: string[] = [];
  let nextNode = 120;
  for (let i = 0; i < 1500; i++) {
    const pod = mixedPod(build, i);
    apply({ kind: "PodCreated", pod });
    const keys = [...retry.splice(0), `default/${pod.metadata.name}`];
    for (const key of keys) {
      if (state.pods.get(key)?.spec.nodeName !== undefined || !state.pods.has(key)) continue;
      const r = scheduler.scheduleOne(view, key, prng.fork(key));
      if (r.kind === "Bind") {
        out.push(`${key} -> ${r.nodeName}`);
        lagging.push({ key, nodeName: r.nodeName });
      } else {
        out.push(`${key} x ${r.nominatedNodeName ?? "-"} [${r.victims.join(",")}] ${r.message}`);
        for (const v of r.victims) if (state.pods.has(v)) apply({ kind: "PodRemoved", key: v });
        if (r.nominatedNodeName !== undefined) retry.push(key);
      }
    }
    // Binds reach the view a few cycles late, so assumed pods are in play.
    while (lagging.length > 3 || (lagging.length > 0 && build.chance(0.3))) {
      const b = lagging.shift() as { key: string; nodeName: string };
      if (state.pods.has(b.key) && state.nodes.has(b.nodeName)) apply({ kind: "PodBound", key: b.key, nodeName: b.nodeName });
      else scheduler.forget(b.key);
    }
    churn(state, build, apply, i, () => nextNode++);
  }
  return out;
}

/** Occasional node and pod changes between cycles. */
function churn(state: ClusterState, prng: Prng, apply: (e: ClusterEvent) => void, i: number, newNodeIndex: () => number): void {
  const nodeNames = [...state.nodes.keys()].sort();
  const pick = (): string => nodeNames[prng.int(0, nodeNames.length)] as string;
  if (prng.chance(0.02)) apply({ kind: "NodeTaintsChanged", name: pick(), taints: prng.chance(0.5) ? [] : [{ key: "dedicated", value: "batch", effect: "NoSchedule" }] });
  if (prng.chance(0.01)) apply({ kind: "NodeCordoned", name: pick(), unschedulable: prng.chance(0.5) });
  if (prng.chance(0.01)) apply({ kind: "NodeReadyChanged", name: pick(), ready: prng.chance(0.7) ? "True" : "Unknown" });
  if (prng.chance(0.005)) apply({ kind: "NodeRemoved", name: pick() });
  if (prng.chance(0.01)) apply(mixedNode(prng, newNodeIndex()));
  if (i % 7 === 0) {
    const bound = [...state.pods.entries()].filter(([, p]) => p.spec.nodeName !== undefined).map(([k]) => k).sort();
    if (bound.length > 0) {
      const key = bound[prng.int(0, bound.length)] as string;
      apply(prng.chance(0.5) ? { kind: "PodRemoved", key } : { kind: "PodFailed", key, reason: "Error" });
    }
  }
}

test("a churning mixed cluster: every decision matches the golden file, with and without the view's indexes", () => {
  const indexed = runMixed(true);
  golden("mixed-cluster-decisions.txt", `${indexed.join("\n")}\n`);
  expect(runMixed(false)).toEqual(indexed);
  // The workload must exercise the interesting paths, or the golden pins little.
  expect(indexed.filter((l) => l.includes(" -> ")).length).toBeGreaterThan(1000);
  expect(indexed.some((l) => / x \S+ \[.+\]/.test(l))).toBe(true);
  expect(indexed.some((l) => l.includes("0/"))).toBe(true);
});
