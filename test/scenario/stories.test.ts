/**
 * Every bundled scenario run end to end on its own seed, checked against the story its header
 * comment tells: the numbers a user reads must say what the comment says.
 */
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { ClusterEvent } from "../../src/model/cluster-event.ts";
import { formatScenarioError, loadScenarioFile } from "../../src/scenario/load.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { runScenario, type RunResult } from "../../src/sim/run.ts";
import { formatSummary } from "../../src/cli/format-summary.ts";

const scenariosDir = join(import.meta.dirname, "../../scenarios");

interface Story {
  result: RunResult;
  log: { atMs: number; event: ClusterEvent }[];
}

function run(name: string, variant = "baseline"): Story {
  const loaded = loadScenarioFile(join(scenariosDir, name));
  if (!loaded.ok) throw new Error(formatScenarioError(loaded.error));
  const sink = new MemorySink();
  const result = runScenario(loaded.plan, { seed: loaded.plan.seed, variant, sink });
  return { result, log: sink.records.map((r) => ({ atMs: r.atMs, event: JSON.parse(r.payload) as ClusterEvent })) };
}

const min = 60_000;
const of = <K extends ClusterEvent["kind"]>(s: Story, kind: K) =>
  s.log.filter((e): e is { atMs: number; event: Extract<ClusterEvent, { kind: K }> } => e.event.kind === kind);

function expectAllPass(s: Story): void {
  for (const e of s.result.summary.expectations) expect(e.passed, `${e.name}: ${e.detail}`).toBe(true);
}

function livePods(s: Story) {
  return [...s.result.state.pods.values()].filter((p) => p.metadata.deletionMs === undefined);
}

describe("quickstart: one node crashes at 20m and recovers at 40m", () => {
  const s = run("quickstart.yaml");
  test("the lost node gets no new pod, its pods are evicted after the 5-minute toleration and replaced on the others", () => {
    expectAllPass(s);
    expect(of(s, "PodBound").filter((e) => e.event.nodeName === "general-1" && e.atMs > 20 * min && e.atMs < 40 * min)).toEqual([]);
    const evictions = of(s, "PodDeleting").filter((e) => e.event.reason === "DeletionByTaintManager");
    expect(evictions.length).toBeGreaterThan(0);
    for (const e of evictions) expect(e.atMs).toBeGreaterThan(20 * min + 5 * min);
    const replacements = of(s, "PodBound").filter((e) => e.atMs > 25 * min && e.atMs < 40 * min);
    expect(replacements.length).toBe(evictions.length);
    for (const pod of livePods(s)) expect(pod.status.ready).toBe(true);
  });
});

describe("zone-outage: zone-b is dark from 15m to 35m", () => {
  const s = run("zone-outage.yaml");
  test("the evicted pods are recreated in zone-a and zone-c, never in zone-b while it is down", () => {
    expectAllPass(s);
    const zoneB = ["app-1", "app-4"];
    const during = of(s, "PodBound").filter((e) => e.atMs > 15 * min && e.atMs < 35 * min);
    expect(during.length).toBeGreaterThan(0);
    for (const e of during) expect(zoneB).not.toContain(e.event.nodeName);
    const evicted = of(s, "PodDeleting").filter((e) => e.event.reason === "DeletionByTaintManager");
    expect(during.length).toBe(evicted.length);
  });

  test("the single-replica databases are down until their replacements run (an unspread application)", () => {
    const mongo = s.result.summary.workloads.filter((w) => w.key.startsWith("default/mongodb-") && w.minReadyRatio === 0);
    expect(mongo.length).toBeGreaterThan(0);
    for (const w of mongo) expect(w.degradedMs).toBeGreaterThanOrEqual(5 * min);
  });

  test("zone-b's two nodes are tainted NoExecute 10 s apart (node-eviction-rate 0.1/s), and every evicted pod is counted", () => {
    const [b, ...others] = s.result.summary.nodeLoss ?? [];
    expect(others).toEqual([]);
    expect(b).toMatchObject({ zone: "zone-b", nodesLost: 2, nodesTainted: 2 });
    expect(b!.lastTaintMs! - b!.firstTaintMs!).toBe(10_000);
    expect(b!.firstTaintMs).toBeGreaterThan(15 * min + 40_000); // 50 s grace after the last renewal (≤ 10 s before the crash)
    expect(b!.podsEvicted).toBe(of(s, "PodDeleting").filter((e) => e.event.reason === "DeletionByTaintManager").length);
  });
});

describe("scale-out: web 4 → 40 at 10m on three small nodes, back to 4 at 30m", () => {
  const s = run("scale-out.yaml");
  const at = (ms: number) => s.result.summary.series.find((p) => p.atMs >= ms)!;
  test("17 web pods fit beside the api, the other 23 stay Pending; the api is unharmed; after the scale-down nothing is left behind", () => {
    expectAllPass(s);
    expect(at(20 * min)).toMatchObject({ running: 19, pending: 23 });
    expect(s.result.summary.workloads.find((w) => w.key === "default/api")).toMatchObject({ minReadyRatio: 1, degradedMs: 0 });
    const end = s.result.summary.series.at(-1)!;
    expect(end).toMatchObject({ pending: 0, running: 6, terminating: 0 });
    expect(s.result.summary.unschedulable.reasons[0]?.message).toMatch(/^0\/3 nodes are available: 3 Insufficient cpu\./);
  });
  test("the printed summary says why 23 pods were unschedulable, in upstream's wording, with examples", () => {
    const text = formatSummary(s.result.summary, { wallMs: 1 });
    expect(text).toContain("23 pod(s) were unschedulable at least once");
    expect(text).toMatch(/23 · 0 {2}0\/3 nodes are available: 3 Insufficient cpu\./);
    expect(text).toMatch(/e\.g\. default\/web-/);
    expect(text).toContain("counted from first full availability");
  });
});

describe("priority-preemption: critical pods preempt batch pods within the batch budget", () => {
  const s = run("priority-preemption.yaml");
  test("five batch pods are preempted, the critical ones run within a minute or so, five batch pods stay Pending", () => {
    expectAllPass(s);
    expect(s.result.summary.preemptions).toBe(5);
    const critical = of(s, "PodRunning").filter((e) => e.event.key.startsWith("default/critical-"));
    expect(critical).toHaveLength(3);
    for (const e of critical) expect(e.atMs).toBeLessThan(12 * min);
    expect(s.result.summary.series.at(-1)).toMatchObject({ pending: 5 });
  });
});

describe("quota-and-limits: a scale-up past the namespace quota", () => {
  const s = run("quota-and-limits.yaml");
  test("only 2 more api pods are admitted, about twenty creates are refused (one at a time, backing off), nothing is Pending", () => {
    expectAllPass(s);
    const refused = s.result.summary.admissionRejections;
    expect(refused.count).toBeGreaterThanOrEqual(10);
    expect(refused.count).toBeLessThanOrEqual(40);
    expect(refused.first[0]?.message).toMatch(/exceeded quota: compute, requested: pods=1, used: pods=10, limited: pods=10/);
    const created = of(s, "PodCreated").filter((e) => e.event.pod.metadata.name.startsWith("api-") && e.atMs > 10 * min && e.atMs < 20 * min);
    expect(created).toHaveLength(2);
    expect(s.result.summary.longestPendingMs).toBeLessThan(2 * min);
  });
});

describe("control-plane-partition: the Raft leader is isolated at 10m, crashes at 20m200ms", () => {
  const s = run("control-plane-partition.yaml");
  test("a new leader within about a second each time, binds wait for it, and everything converges", () => {
    expectAllPass(s);
    const cp = s.result.summary.controlPlane!;
    const elected = cp.leaderHistory.filter((c) => c.leader !== 0 && c.atMs > 0);
    expect(elected.length).toBeGreaterThanOrEqual(3);
    for (const w of cp.unavailable.filter((u) => u.startMs > 0)) expect((w.endMs ?? Infinity) - w.startMs).toBeLessThan(3000);
    const scaleBinds = of(s, "PodBound").filter((e) => e.atMs > 20 * min && e.atMs < 21 * min);
    expect(scaleBinds.length).toBeGreaterThan(0);
    expect(Math.max(...scaleBinds.map((e) => e.atMs))).toBeGreaterThan(20 * min + 1000);
  });
});

describe("pdb-budget: losing a zone with a budget, or with hard spreading", () => {
  const seeds = [1, 2, 3];
  test.each(seeds)("seed %i: the budget changes nothing, hard spreading keeps two thirds of the shop front", (seed) => {
    const loaded = loadScenarioFile(join(scenariosDir, "pdb-budget.yaml"));
    if (!loaded.ok) throw new Error(formatScenarioError(loaded.error));
    const summary = (variant: string) => runScenario(loaded.plan, { seed, variant, sink: new MemorySink({ keepRecords: false }) }).summary;
    const baseline = summary("baseline");
    const budget = summary("budget");
    const spread = summary("spread");
    for (const s of [baseline, budget, spread]) for (const e of s.expectations) expect(e.passed, `${s.variant}: ${e.name}: ${e.detail}`).toBe(true);
    expect(budget.workloads).toEqual(baseline.workloads);
    const frontend = (s: typeof baseline) => s.workloads.find((w) => w.key === "default/frontend")?.minReadyRatio;
    expect(frontend(baseline)).toBe(0.5);
    expect(frontend(spread)).toBeCloseTo(2 / 3, 5);
  });
});

describe("rolling-update: web (10 replicas) gets a new image at 10m, three strategies", () => {
  const stories = { baseline: run("rolling-update.yaml"), noDowntime: run("rolling-update.yaml", "no-downtime"), recreate: run("rolling-update.yaml", "recreate") };
  const web = (s: Story) => s.result.summary.workloads.find((w) => w.key === "default/web")!;
  const webPods = (s: Story) => livePods(s).filter((p) => p.metadata.labels.app === "web");
  /** Most web pods at once (created, not terminating: what maxSurge bounds, as upstream) after the rollout began. */
  const peakPods = (s: Story) => {
    const active = new Set<string>();
    let peak = 0;
    for (const e of s.log) {
      const key = e.event.kind === "PodCreated" ? `${e.event.pod.metadata.namespace}/${e.event.pod.metadata.name}` : "key" in e.event ? String(e.event.key) : "";
      if (!key.startsWith("default/web-")) continue;
      if (e.event.kind === "PodCreated") active.add(key);
      if (e.event.kind === "PodDeleting" || e.event.kind === "PodRemoved") active.delete(key);
      if (e.atMs >= 10 * min) peak = Math.max(peak, active.size);
    }
    return peak;
  };
  test("min ready: 80% with 25%/25%, 100% with maxUnavailable 0, 0% with Recreate; the api is untouched", () => {
    for (const s of Object.values(stories)) expectAllPass(s);
    expect(web(stories.baseline).minReadyRatio).toBe(0.8);
    expect(web(stories.noDowntime)).toMatchObject({ minReadyRatio: 1, degradedMs: 0 });
    expect(web(stories.recreate).minReadyRatio).toBe(0);
    expect(web(stories.recreate).degradedMs).toBeGreaterThan(5_000);
    for (const s of Object.values(stories)) expect(s.result.summary.workloads.find((w) => w.key === "default/api")).toMatchObject({ minReadyRatio: 1, degradedMs: 0 });
  });
  test("surge bounds: at most 13 web pods with 25% surge, 11 with surge 1, 10 with Recreate", () => {
    expect(peakPods(stories.baseline)).toBe(13);
    expect(peakPods(stories.noDowntime)).toBe(11);
    expect(peakPods(stories.recreate)).toBe(10);
  });
  test("every variant ends with 10 web pods of the new image and the old ReplicaSet at 0", () => {
    for (const s of Object.values(stories)) {
      const pods = webPods(s);
      expect(pods.length).toBe(10);
      for (const p of pods) expect(p.spec.containers[0]?.image).toBe("example/web:1.1");
      const rss = [...s.result.state.replicaSets.values()].filter((rs) => rs.metadata.labels.app === "web");
      expect(rss.map((rs) => rs.spec.replicas).sort()).toEqual([0, 10]);
    }
  });
});

describe("drain-under-pdb: general-0 drained at 10m; checkout under minAvailable 5, without it, with a hard spread", () => {
  const stories = { baseline: run("drain-under-pdb.yaml"), noBudget: run("drain-under-pdb.yaml", "no-budget"), hardSpread: run("drain-under-pdb.yaml", "hard-spread") };
  const checkout = (s: Story) => s.result.summary.workloads.find((w) => w.key === "default/checkout")!;
  const drain = (s: Story) => s.result.summary.nodeOperations[0]!;
  const podsOnDrained = (s: Story) => livePods(s).filter((p) => p.spec.nodeName === "general-0");
  test("with the budget: never below 5 of 6, evictions refused with upstream's 429 until a replacement is ready, the drain succeeds", () => {
    const s = stories.baseline;
    expectAllPass(s);
    expect(checkout(s).minReadyRatio).toBeCloseTo(5 / 6, 10);
    expect(drain(s)).toMatchObject({ operation: "Drain", node: "general-0", phase: "Succeeded", evicted: 3 });
    expect(drain(s).refused).toBeGreaterThan(0);
    const refusals = of(s, "AdmissionRejected").filter((e) => e.event.plugin === "Eviction");
    expect(refusals.length).toBe(drain(s).refused);
    for (const r of refusals) expect(r.event.message).toMatch(/^Cannot evict pod as it would violate the pod's disruption budget\.: TooManyRequests: The disruption budget checkout needs 5 healthy pods and has \d currently$/);
    expect(podsOnDrained(s)).toEqual([]);
    expect(s.result.state.nodes.get("general-0")?.spec.unschedulable).toBe(true);
  });
  test("without it: both checkout pods on the node go at once (4 of 6) and the drain takes one round", () => {
    const s = stories.noBudget;
    expectAllPass(s);
    expect(checkout(s).minReadyRatio).toBeCloseTo(4 / 6, 10);
    expect(drain(s)).toMatchObject({ phase: "Succeeded", evicted: 3, refused: 0 });
    expect(drain(s).finishedMs! - drain(s).startedMs!).toBeLessThan(drain(stories.baseline).finishedMs! - drain(stories.baseline).startedMs!);
    expect(podsOnDrained(s)).toEqual([]);
  });
  test("with a hard spread the drain deadlocks on the budget and fails at its 10-minute timeout; the budget still holds", () => {
    const s = stories.hardSpread;
    expectAllPass(s);
    expect(drain(s)).toMatchObject({ phase: "Failed", evicted: 2 });
    expect(drain(s).reason).toMatch(/^drain did not complete within 600s: 1 pod\(s\) left$/);
    expect(drain(s).finishedMs! - drain(s).startedMs!).toBeGreaterThanOrEqual(10 * min);
    expect(checkout(s).minReadyRatio).toBeCloseTo(5 / 6, 10);
    expect(s.result.summary.unschedulable.reasons[0]?.message).toMatch(/1 node\(s\) were unschedulable, 2 node\(s\) didn't match pod topology spread constraints/);
  });
});

describe("statefulset-zone-loss: zone-b, home of db-1's volume, is dark from 10m to 40m", () => {
  const s = run("statefulset-zone-loss.yaml");
  const zoneOf: Record<string, string> = { "node-0": "zone-a", "node-1": "zone-b", "node-2": "zone-c", "node-3": "zone-a", "node-4": "zone-b", "node-5": "zone-c" };
  const volumeZone: Record<string, string> = { "db-0": "zone-a", "db-1": "zone-b", "db-2": "zone-c" };
  const name = (key: string) => key.split("/")[1] as string;

  test("pods start in ordinal order, each only after the previous one is Ready, and always in its volume's zone", () => {
    expectAllPass(s);
    const created = of(s, "PodCreated").filter((e) => e.atMs < 10 * min);
    expect(created.map((e) => e.event.pod.metadata.name)).toEqual(["db-0", "db-1", "db-2"]);
    const ready = of(s, "PodReadyChanged").filter((e) => e.event.ready && e.atMs < 10 * min);
    expect(ready.map((e) => name(e.event.key))).toEqual(["db-0", "db-1", "db-2"]);
    expect(created[1]!.atMs).toBeGreaterThan(ready[0]!.atMs);
    expect(created[2]!.atMs).toBeGreaterThan(ready[1]!.atMs);
    for (const e of of(s, "PodBound")) expect(zoneOf[e.event.nodeName], `${e.event.key} on ${e.event.nodeName}`).toBe(volumeZone[name(e.event.key)]);
  });

  test("db-1 stays Terminating after its eviction, and once force-deleted it is recreated Pending with the volume node affinity reason until the zone returns", () => {
    const db1 = (kind: ClusterEvent["kind"]) => s.log.filter((e) => e.event.kind === kind && "key" in e.event && e.event.key === "default/db-1");
    expect(db1("PodReadyChanged").filter((e) => e.atMs > 10 * min).map((e) => [e.atMs, (e.event as { ready: boolean }).ready])).toEqual([[655_001, false], [2_417_639, true]]);
    expect(db1("PodDeleting").map((e) => e.atMs)).toEqual([955_001]);
    expect(db1("PodRemoved").map((e) => e.atMs)).toEqual([20 * min + 1]);
    const recreated = of(s, "PodCreated").filter((e) => e.event.pod.metadata.name === "db-1" && e.atMs > 20 * min);
    expect(recreated).toHaveLength(1);
    expect(recreated[0]!.event.pod.spec.volumes).toEqual([{ name: "data", persistentVolumeClaim: { claimName: "data-db-1" } }]);
    const unschedulable = of(s, "PodUnschedulable").filter((e) => e.event.key === "default/db-1");
    expect(unschedulable.map((e) => e.event.message)).toEqual([
      "0/6 nodes are available: 2 node(s) had untolerated taint(s), 4 node(s) had volume node affinity conflict. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.",
    ]);
    const bound = db1("PodBound");
    expect(bound.map((e) => [e.atMs, (e.event as { nodeName: string }).nodeName])).toEqual([[bound[0]!.atMs, "node-1"], [2_410_057, "node-1"]]);
    expect(bound[0]!.atMs).toBeLessThan(10 * min);
  });

  test("db-0 and db-2 never lose readiness, no claim is deleted, and db is degraded exactly from 10m55s to 40m17.639s", () => {
    const lost = of(s, "PodReadyChanged").filter((e) => !e.event.ready && e.event.key !== "default/db-1");
    expect(lost).toEqual([]);
    expect(s.log.filter((e) => e.event.kind === "ObjectDeleted")).toEqual([]);
    const [db, ...others] = s.result.summary.workloads;
    expect(others).toEqual([]);
    expect(db).toMatchObject({ key: "default/db", desired: 3, ready: 3, minReadyRatio: 2 / 3, degradedMs: 2_417_639 - 655_001 });
    const set = s.result.state.objects.get("StatefulSet")?.get("default/db") as { status: Record<string, unknown> } | undefined;
    expect(set?.status).toMatchObject({ replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3 });
  });
});

describe("crash-loop-rollout: web rolls out a crashing image at 10m and rolls back at 25m", () => {
  const stories = { baseline: run("crash-loop-rollout.yaml"), noRollback: run("crash-loop-rollout.yaml", "no-rollback") };
  const web = (s: Story) => s.result.summary.workloads.find((w) => w.key === "default/web")!;
  const crashLoops = (s: Story) => s.result.summary.crashLoops ?? [];
  const image = (key: string, s: Story) => s.result.state.pods.get(key)?.spec.containers[0]?.image;
  /** Back-off (s) of each exit, per crashing pod. */
  const backOffsByPod = (s: Story) => {
    const out = new Map<string, number[]>();
    for (const e of of(s, "ContainerExited")) out.set(e.event.key, [...(out.get(e.event.key) ?? []), e.event.backOffMs / 1000]);
    return out;
  };
  const podsAt = (s: Story, atMs: number) => {
    const alive = new Map<string, boolean>();
    for (const e of s.log) {
      if (e.atMs > atMs) break;
      if (e.event.kind === "PodCreated") alive.set(`${e.event.pod.metadata.namespace}/${e.event.pod.metadata.name}`, true);
      else if (e.event.kind === "PodDeleting" || e.event.kind === "PodRemoved") alive.delete(e.event.key);
    }
    return alive.size;
  };

  test("the rollout stalls at maxUnavailable: 8 old pods keep serving beside 5 crashing ones (13 = 10 + maxSurge 3)", () => {
    const s = stories.baseline;
    expectAllPass(s);
    expect(web(s).minReadyRatio).toBe(0.8);
    expect(podsAt(s, 20 * min)).toBe(13);
    const pods = backOffsByPod(s);
    expect(pods.size).toBe(5);
    for (const key of pods.keys()) expect(key).toMatch(/^default\/web-/);
  });

  test("each crashing container restarts at once, then after 10, 20, 40, 80, 160 and 300 s, and is waiting 300 s more when the rollback comes", () => {
    for (const backOffs of backOffsByPod(stories.baseline).values()) expect(backOffs).toEqual([0, 10, 20, 40, 80, 160, 300, 300]);
    expect(crashLoops(stories.baseline)).toEqual([{ workload: "default/web", exits: 40, restarts: 35, backOffMsMax: 300_000, inCrashLoopBackOffAtEnd: 0 }]);
  });

  test("the rollback restores service: every web pod ready, all on the good image, the crashing ones gone", () => {
    const s = stories.baseline;
    expect(web(s)).toMatchObject({ desired: 10, ready: 10 });
    const live = livePods(s);
    expect(live.length).toBe(10);
    for (const pod of live) {
      expect(image(`${pod.metadata.namespace}/${pod.metadata.name}`, s)).toBe("example/web:1.0");
      expect(pod.status).toMatchObject({ ready: true, phase: "Running" });
    }
    expect(web(s).degradedMs).toBeGreaterThan(15 * min);
    expect(web(s).degradedMs).toBeLessThan(15 * min + 10_000);
  });

  test("without the rollback, the 5 bad pods are still in CrashLoopBackOff at the end, not Ready, 9 restarts each", () => {
    const s = stories.noRollback;
    expectAllPass(s);
    expect(web(s)).toMatchObject({ desired: 10, ready: 8 });
    expect(crashLoops(s)).toEqual([{ workload: "default/web", exits: 50, restarts: 45, backOffMsMax: 300_000, inCrashLoopBackOffAtEnd: 5 }]);
    const crashing = livePods(s).filter((p) => p.status.waitingReason === "CrashLoopBackOff");
    expect(crashing.length).toBe(5);
    for (const pod of crashing) expect(pod.status).toMatchObject({ ready: false, phase: "Running", restartCount: 9, lastExitCode: 1 });
    for (const backOffs of backOffsByPod(s).values()) expect(backOffs).toEqual([0, 10, 20, 40, 80, 160, 300, 300, 300, 300]);
    expect(formatSummary(s.result.summary, { wallMs: 0 })).toContain("default/web                      exits 50 · restarts 45 · longest back-off 5m · in CrashLoopBackOff at the end 5");
  });

  test("600 s without progress: ProgressDeadlineExceeded at 20m01s; the undo brings revision 1 back as revision 3 and completes at 25m07s", () => {
    const [baseline] = stories.baseline.result.summary.rollouts ?? [];
    expect(baseline).toMatchObject({ deployment: "default/web", revision: 3, templateChanges: 2, progressingAtEnd: "NewReplicaSetAvailable" });
    expect(baseline?.deadlineExceededAtMs).toHaveLength(1);
    expect(Math.floor((baseline?.deadlineExceededAtMs[0] ?? 0) / 1000)).toBe(20 * 60 + 1);
    expect(Math.floor((baseline?.lastCompletedAtMs ?? 0) / 1000)).toBe(25 * 60 + 6);
    expect(stories.baseline.result.summary.faults.at(-1)?.label).toBe("rollback to web 1.0 (rolled back to revision 1)");
    const old = [...stories.baseline.result.state.replicaSets.values()].find((rs) => rs.spec.template.spec.containers[0]?.image === "example/web:1.0");
    expect(old?.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("3");
    const [stuck] = stories.noRollback.result.summary.rollouts ?? [];
    expect(stuck).toMatchObject({ revision: 2, templateChanges: 1, progressingAtEnd: "ProgressDeadlineExceeded" });
    expect(stuck?.lastCompletedAtMs).toBeUndefined();
  });
});

describe("node-flapping: general-2 is down 90 s every 5 minutes, six times", () => {
  const stories = { baseline: run("node-flapping.yaml"), short: run("node-flapping.yaml", "short-toleration") };
  const workload = (s: Story, key: string) => s.result.summary.workloads.find((w) => w.key === key)!;
  const onFlappingNode = (s: Story) => livePods(s).filter((p) => p.spec.nodeName === "general-2").map((p) => p.metadata.name).sort();
  const notReadyMarks = (s: Story) => of(s, "NodeReadyChanged").filter((e) => e.event.name === "general-2" && e.event.ready !== "True").map((e) => e.atMs);

  test("six NotReady marks, each 50 s after the crash; the 300 s toleration outlasts every outage: nothing evicted, the same pods stay", () => {
    const s = stories.baseline;
    expectAllPass(s);
    const marks = notReadyMarks(s);
    expect(marks).toHaveLength(6);
    marks.forEach((atMs, i) => {
      expect(atMs).toBeGreaterThan((5 + 5 * i) * min + 40_000);
      expect(atMs).toBeLessThanOrEqual((5 + 5 * i) * min + 51_000);
    });
    const [zone] = s.result.summary.nodeLoss ?? [];
    expect(zone).toMatchObject({ zone: "zone-a", nodesLost: 1, podsEvicted: 0 });
    expect(of(s, "PodDeleting")).toHaveLength(0);
    expect(onFlappingNode(s)).toHaveLength(3);
    expect(workload(s, "default/web").minReadyRatio).toBeCloseTo(4 / 6, 5);
    expect(workload(s, "default/api").minReadyRatio).toBe(0.75);
    // Six dips of ~50 s: from the NotReady mark until the containers run again after the node returns at +90 s.
    expect(workload(s, "default/web").degradedMs).toBeGreaterThan(6 * 45_000);
    expect(workload(s, "default/web").degradedMs).toBeLessThan(6 * 60_000);
  });

  test("a 30 s toleration evicts the two pods on general-2 at the first outage; later flaps find it empty: one short dip", () => {
    const s = stories.short;
    expectAllPass(s);
    const evicted = of(s, "PodDeleting");
    expect(evicted).toHaveLength(2);
    for (const e of evicted) {
      expect(e.atMs).toBeGreaterThan(5 * min + 50_000 + 30_000 - 1_000);
      expect(e.atMs).toBeLessThan(6 * min + 30_000);
    }
    expect(s.result.summary.nodeLoss?.[0]?.podsEvicted).toBe(2);
    expect(onFlappingNode(s)).toEqual([]);
    expect(workload(s, "default/web").degradedMs).toBeLessThan(60_000);
    expect(workload(s, "default/api").degradedMs).toBeLessThan(60_000);
    expect(workload(s, "default/web").degradedMs).toBeLessThan(workload(stories.baseline, "default/web").degradedMs / 4);
  });
});
