/**
 * Node loss end to end: a crashed node is tainted (NoSchedule at once, NoExecute for eviction),
 * nothing new binds there, its pods are replaced elsewhere after their toleration, and the bind
 * invariant is checked on every applied event.
 */
import { describe, expect, test } from "vitest";
import type { ClusterEvent } from "../../src/model/cluster-event.ts";
import { InvariantError } from "../../src/model/assert.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import type { LogRecord } from "../../src/log/record.ts";
import { runScenario } from "../../src/sim/run.ts";
import { checkBindTolerated } from "../../src/sim/observe/bind-invariant.ts";
import { ApiServer, type WriteOutcome } from "../../src/sim/api/api-server.ts";
import { Engine } from "../../src/sim/engine.ts";
import { smallPlan } from "./plan-fixture.ts";
import { clusterOf, makeNode, makePod } from "../policies/builders.ts";

function events(records: readonly LogRecord[]): { atMs: number; event: ClusterEvent }[] {
  return records.map((r) => ({ atMs: r.atMs, event: JSON.parse(r.payload) as ClusterEvent }));
}

describe("a crashed node", () => {
  // Zone b's nodes crash at 5m for good: their pods must come back in zone a.
  const plan = smallPlan({
    nodes: 6,
    deployments: 4,
    replicas: 6,
    durationMs: 25 * 60_000,
    faults: [{ kind: "NodeCrash", atMs: 5 * 60_000, target: { zone: "zone-b" }, label: "zone-b dark" }],
  });
  const sink = new MemorySink();
  const result = runScenario(plan, { seed: 3, variant: "baseline", sink });
  const log = events(sink.records);
  const zoneB = ["pool-1", "pool-3", "pool-5"];

  /** When each zone-b node got its NoExecute taint (the write that added it). */
  const noExecuteMs = new Map<string, number>();
  for (const e of log)
    if (e.event.kind === "NodeTaintsChanged" && !noExecuteMs.has(e.event.name) && e.event.taints.some((t) => t.effect === "NoExecute")) noExecuteMs.set(e.event.name, e.atMs);

  test("gets the unreachable NoSchedule taint in the same write as Ready=Unknown", () => {
    for (const name of zoneB) {
      const i = log.findIndex((e) => e.event.kind === "NodeReadyChanged" && e.event.name === name && e.event.ready === "Unknown");
      expect(i).toBeGreaterThan(0);
      const next = log[i + 1];
      expect(next?.atMs).toBe(log[i]?.atMs);
      expect(next?.event.kind).toBe("NodeTaintsChanged");
      const taints = next?.event.kind === "NodeTaintsChanged" ? next.event.taints.map((t) => `${t.key}:${t.effect}`) : [];
      expect(taints[0]).toBe("node.kubernetes.io/unreachable:NoSchedule");
    }
  });

  test("gets its NoExecute taints one node per 10 s in the zone (node-eviction-rate 0.1, burst 1)", () => {
    const times = zoneB.map((name) => noExecuteMs.get(name) as number).sort((a, b) => a - b);
    expect(times.every((t) => t !== undefined)).toBe(true);
    const firstUnknownMs = Math.min(...log.filter((e) => e.event.kind === "NodeReadyChanged" && e.event.ready === "Unknown").map((e) => e.atMs));
    expect(times[0]).toBe(firstUnknownMs); // the zone's bucket was full: the first node at once
    for (let i = 1; i < times.length; i++) {
      const gapMs = (times[i] as number) - (times[i - 1] as number);
      expect(gapMs).toBeGreaterThanOrEqual(10_000);
      expect(gapMs).toBeLessThanOrEqual(10_000 + 100); // upstream serves the queue every 100 ms
    }
  });

  test("never receives a new pod after the crash", () => {
    const crashMs = 5 * 60_000;
    const late = log.filter((e) => e.atMs > crashMs && e.event.kind === "PodBound" && zoneB.includes(e.event.nodeName));
    expect(late).toEqual([]);
  });

  test("has its pods replaced in the surviving zone after the 300 s toleration", () => {
    const evictions = log.filter((e) => e.event.kind === "PodDeleting" && e.event.reason === "DeletionByTaintManager");
    expect(evictions.length).toBeGreaterThan(0);
    const nodeOfPod = new Map<string, string>();
    for (const e of log) if (e.event.kind === "PodBound") nodeOfPod.set(e.event.key, e.event.nodeName);
    // The toleration (300 s, DefaultTolerationSeconds) counts from the pod's node's NoExecute taint.
    for (const e of evictions) {
      const taintedMs = noExecuteMs.get(nodeOfPod.get(e.event.kind === "PodDeleting" ? e.event.key : "") ?? "") as number;
      expect(e.atMs).toBeGreaterThanOrEqual(taintedMs + 300_000);
      expect(e.atMs).toBeLessThanOrEqual(taintedMs + 300_000 + 10);
    }
    const state = result.state;
    const live = [...state.pods.values()].filter((p) => p.metadata.deletionMs === undefined);
    expect(live).toHaveLength(24);
    for (const pod of live) expect(zoneB).not.toContain(pod.spec.nodeName);
    for (const pod of live) expect(pod.status.ready).toBe(true);
    expect(result.summary.expectations.every((x) => x.passed)).toBe(true);
  });
});

describe("the bind invariant", () => {
  test("throws when a pod binds to a node whose NoSchedule taint it does not tolerate", () => {
    const node = makeNode().name("n1").taint({ key: "node.kubernetes.io/unreachable", effect: "NoSchedule" }).obj();
    const state = clusterOf([node], [makePod().name("p").node("n1").obj()]);
    expect(() => checkBindTolerated(state, { kind: "PodBound", key: "default/p", nodeName: "n1" })).toThrow(InvariantError);
    const tolerant = clusterOf([node], [makePod().name("p").node("n1").toleration({ operator: "Exists" }).obj()]);
    expect(() => checkBindTolerated(tolerant, { kind: "PodBound", key: "default/p", nodeName: "n1" })).not.toThrow();
  });
});

describe("writes based on a stale node", () => {
  function world() {
    const engine = new Engine(64);
    const api = new ApiServer(engine, new MemorySink(), { watchLatencyMs: 1, commitLatencyMs: 1 });
    api.recordWorldEvent({ kind: "NamespaceCreated", namespace: { kind: "Namespace", metadata: { name: "default", namespace: "", uid: "ns", labels: {}, creationMs: 0 } } });
    api.recordWorldEvent({ kind: "NodeAdded", node: makeNode().name("n1").obj() });
    api.submit({ kind: "PodCreated", pod: makePod().name("p").obj() }, true);
    engine.runUntil({ atMsMax: 10, stepsMax: 100 });
    const outcomes: WriteOutcome[] = [];
    const reply = { actor: { onEvent: (_t: number, o: unknown) => void outcomes.push(o as WriteOutcome) }, tag: 0 };
    return { engine, api, outcomes, reply };
  }

  test("a bind decided before the node was tainted is a conflict, and the pod stays unbound", () => {
    const { engine, api, outcomes, reply } = world();
    const seen = api.state.nodes.get("n1")!.metadata.resourceVersion!;
    api.execute({ kind: "PatchNode", id: "taint", name: "n1", basedOnVersion: seen, taints: [{ key: "node.kubernetes.io/unreachable", effect: "NoSchedule" }] }, reply);
    api.execute({ kind: "BindPod", id: "bind", podKey: "default/p", nodeName: "n1", nodeVersion: seen }, reply);
    engine.runUntil({ atMsMax: 20, stepsMax: 100 });
    expect(outcomes.map((o) => o.ok)).toEqual([true, false]);
    expect(outcomes[1]?.reason).toMatch(/node n1 changed since the decision/);
    expect(api.state.pods.get("default/p")!.spec.nodeName).toBeUndefined();
  });

  test("a node patch commits status and taints as one write, or neither when its basis is stale", () => {
    const { engine, api, outcomes, reply } = world();
    const seen = api.state.nodes.get("n1")!.metadata.resourceVersion!;
    api.execute({ kind: "PatchNode", id: "a", name: "n1", basedOnVersion: seen, ready: "Unknown", taints: [{ key: "x", effect: "NoSchedule" }] }, reply);
    api.execute({ kind: "PatchNode", id: "b", name: "n1", basedOnVersion: seen, ready: "True", taints: [] }, reply);
    engine.runUntil({ atMsMax: 20, stepsMax: 100 });
    expect(outcomes.map((o) => o.ok)).toEqual([true, false]);
    const node = api.state.nodes.get("n1")!;
    expect(node.status.ready).toBe("Unknown");
    expect(node.spec.taints).toEqual([{ key: "x", effect: "NoSchedule" }]);
  });

  test("deleting a pod that is not on a node removes it at once (no Terminating pod left behind)", () => {
    const { engine, api, outcomes, reply } = world();
    api.execute({ kind: "DeletePod", id: "del", podKey: "default/p", reason: "ScaleDown" }, reply);
    engine.runUntil({ atMsMax: 20, stepsMax: 100 });
    expect(outcomes[0]?.ok).toBe(true);
    expect(outcomes[0]?.event.kind).toBe("PodRemoved");
    expect(api.state.pods.has("default/p")).toBe(false);
  });
});

describe("what decides when a lost node's pods are evicted", () => {
  function firstEvictionMs(defaultUnreachableTolerationSeconds: number): { atMs: number; fingerprint: string } {
    const plan = smallPlan({
      nodes: 4,
      deployments: 2,
      durationMs: 30 * 60_000,
      faults: [{ kind: "NodeCrash", atMs: 5 * 60_000, target: { pool: "pool", index: 0 }, label: "crash" }],
    });
    plan.parameters = { ...plan.parameters, defaultUnreachableTolerationSeconds };
    const sink = new MemorySink();
    const result = runScenario(plan, { seed: 4, variant: "baseline", sink });
    const eviction = events(sink.records).find((e) => e.event.kind === "PodDeleting" && e.event.reason === "DeletionByTaintManager");
    return { atMs: eviction?.atMs ?? -1, fingerprint: result.summary.fingerprint };
  }

  test("defaultUnreachableTolerationSeconds: 10 s evicts about 290 s sooner than 300 s", () => {
    const short = firstEvictionMs(10);
    const long = firstEvictionMs(300);
    expect(short.atMs).toBeGreaterThan(5 * 60_000);
    expect(long.atMs - short.atMs).toBeGreaterThanOrEqual(285_000);
    expect(long.atMs - short.atMs).toBeLessThanOrEqual(295_000);
    expect(short.fingerprint).not.toBe(long.fingerprint);
  });
});

describe("node leases", () => {
  test("are objects with events: the kubelet renews kube-node-lease/<node> every heartbeat, in the log and in the state", () => {
    const plan = smallPlan({ nodes: 2, deployments: 1, durationMs: 2 * 60_000, faults: [] });
    const sink = new MemorySink();
    const result = runScenario(plan, { seed: 1, variant: "baseline", sink });
    const renewals = events(sink.records).filter((e) => e.event.kind === "LeaseRenewed");
    const ofNode = renewals.filter((e) => e.event.kind === "LeaseRenewed" && e.event.key === "kube-node-lease/pool-0");
    // One at start, then one every 10 s for two minutes.
    expect(ofNode.length).toBeGreaterThanOrEqual(12);
    expect(ofNode.length).toBeLessThanOrEqual(13);
    const lease = result.state.leases.get("kube-node-lease/pool-0");
    expect(lease?.spec.holderIdentity).toBe("pool-0");
    expect(lease?.spec.renewTimeMs).toBeGreaterThan(100_000);
  });
});

describe("a partially disrupted small zone (upstream stops tainting it)", () => {
  // 6 of zone-a's 10 nodes crash: 6/10 ≥ unhealthy-zone-threshold 0.55 and more than 2, in a zone of
  // no more than large-cluster-size-threshold 50 nodes ⇒ ReducedQPSFunc gives 0: no more NoExecute taints.
  const crashed = [0, 2, 4, 6, 8, 10];
  const plan = smallPlan({
    nodes: 20,
    deployments: 4,
    replicas: 10,
    durationMs: 20 * 60_000,
    faults: crashed.map((index) => ({ kind: "NodeCrash" as const, atMs: 5 * 60_000, target: { pool: "pool", index }, label: `crash pool-${index}` })),
  });
  const sink = new MemorySink();
  const result = runScenario(plan, { seed: 5, variant: "baseline", sink });
  const log = events(sink.records);

  test("only the nodes lost while the zone was still Normal get NoExecute; their pods alone are evicted", () => {
    const [a, ...others] = result.summary.nodeLoss ?? [];
    expect(others).toEqual([]);
    expect(a).toMatchObject({ zone: "zone-a", nodesLost: 6 });
    expect(a!.nodesTainted).toBeLessThanOrEqual(2);
    const tainted = new Set(log.flatMap((e) => (e.event.kind === "NodeTaintsChanged" && e.event.taints.some((t) => t.effect === "NoExecute") ? [e.event.name] : [])));
    expect(tainted.size).toBe(a!.nodesTainted);
    const untainted = crashed.map((i) => `pool-${i}`).filter((n) => !tainted.has(n));
    expect(untainted.length).toBeGreaterThanOrEqual(4);
    // pods on the untainted dead nodes stay bound there to the end: nothing evicts them
    const live = [...result.state.pods.values()].filter((p) => p.metadata.deletionMs === undefined);
    const stranded = live.filter((p) => untainted.includes(p.spec.nodeName ?? ""));
    expect(stranded.length).toBeGreaterThan(0);
    for (const p of stranded) expect(p.status.ready).toBe(false);
  });
});
