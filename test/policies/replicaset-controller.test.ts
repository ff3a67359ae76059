/**
 * The ReplicaSet controller as upstream: slowStartBatch (1, 2, 4, … stopping at the first error),
 * expectations that wait for the watch, deletion ranking (ActivePodsWithRanks.Less), and the
 * rate-limited retry of a failed sync.
 */
import { describe, expect, test } from "vitest";
import type { Decision } from "../../src/model/decision.ts";
import { evolve } from "../../src/model/evolve.ts";
import type { ReplicaSet } from "../../src/model/objects.ts";
import { Prng } from "../../src/model/prng.ts";
import type { ClusterState } from "../../src/model/state.ts";
import { replicaSetController, type ReplicaSetControllerState } from "../../src/policies/controllers/replicaset.ts";
import { podsToDelete } from "../../src/policies/controllers/pods-to-delete.ts";
import { rateLimitedDelayMs } from "../../src/policies/controllers/rate-limit.ts";
import { clusterOf, makeNode, makePod } from "./builders.ts";

const c = replicaSetController;

function replicaSet(replicas: number): ReplicaSet {
  return {
    kind: "ReplicaSet",
    metadata: { name: "web", namespace: "default", uid: "rs-web", labels: { app: "web" }, creationMs: 0 },
    spec: { replicas, selector: { matchLabels: { app: "web" } }, template: { labels: { app: "web" }, spec: { schedulerName: "default-scheduler", containers: [{ name: "c", requests: {}, limits: {} }] } } },
    status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 },
  };
}

function world(replicas: number): { view: ClusterState; state: ReplicaSetControllerState; prng: Prng } {
  const view = clusterOf([makeNode().name("n1").obj()]);
  evolve(view, { kind: "ReplicaSetCreated", replicaSet: replicaSet(replicas) }, 0);
  return { view, state: c.initialState(), prng: Prng.fromSeed(1) };
}

const creates = (ds: readonly Decision[]) => ds.filter((d): d is Extract<Decision, { kind: "CreatePod" }> => d.kind === "CreatePod");

/** Answers every create of a batch (ok unless `fail(i)`), the way the api server would; returns the next decisions. */
function answer(w: ReturnType<typeof world>, batch: Decision[], fail: (i: number) => boolean, atMs: number) {
  let next: { decisions: Decision[]; requeue: { key: string; afterMs: number }[] } = { decisions: [], requeue: [] };
  batch.forEach((d, i) => {
    const ok = !fail(i);
    if (ok && d.kind === "CreatePod") {
      const pod = structuredClone(d.pod);
      pod.metadata.uid = `uid-${pod.metadata.name}`;
      evolve(w.view, { kind: "PodCreated", pod }, atMs);
    }
    const r = c.onResult(w.view, w.state, d, ok ? { ok } : { ok, reason: "403 Forbidden: exceeded quota" }, atMs, w.prng);
    w.state = r.state;
    if (r.decisions.length > 0 || r.requeue.length > 0) next = r;
  });
  return next;
}

describe("slowStartBatch", () => {
  test("creates 1, 2, 4, 8, then the remainder, each batch after the previous one's answers", () => {
    const w = world(20);
    const first = c.reconcile(w.view, w.state, "default/web", 0, w.prng);
    w.state = first.state;
    const sizes = [creates(first.decisions).length];
    let batch: Decision[] = creates(first.decisions);
    for (let i = 0; i < 10 && batch.length > 0; i++) {
      batch = creates(answer(w, batch, () => false, 10 + i).decisions);
      if (batch.length > 0) sizes.push(batch.length);
    }
    expect(sizes).toEqual([1, 2, 4, 8, 5]);
    expect(new Set([...w.view.pods.keys()]).size).toBe(20);
  });

  test("stops at the first failed batch, no longer expects the skipped pods, and retries rate-limited", () => {
    const w = world(20);
    const first = c.reconcile(w.view, w.state, "default/web", 0, w.prng);
    w.state = first.state;
    const second = answer(w, creates(first.decisions), () => false, 1); // batch of 1 ok → batch of 2
    expect(creates(second.decisions)).toHaveLength(2);
    const after = answer(w, creates(second.decisions), (i) => i === 1, 2); // one of two refused
    expect(after.decisions).toEqual([]);
    expect(after.requeue).toEqual([{ key: "default/web", afterMs: 5 }]);
    // 2 pods created; the watch has not shown them yet: the controller waits for them, then acts again.
    expect(c.reconcile(w.view, w.state, "default/web", 3, w.prng).decisions.filter((d) => d.kind === "CreatePod")).toEqual([]);
    for (const key of [...w.view.pods.keys()].sort()) {
      w.state = c.observe(w.view, w.state, { kind: "PodCreated", pod: w.view.pods.get(key)! }).state;
    }
    expect(creates(c.reconcile(w.view, w.state, "default/web", 4, w.prng).decisions)).toHaveLength(1);
  });

  test("the rate limiter doubles from 5 ms to at most 1000 s", () => {
    expect([1, 2, 3, 10].map(rateLimitedDelayMs)).toEqual([5, 10, 20, 2560]);
    expect(rateLimitedDelayMs(40)).toBe(1_000_000);
  });
});

describe("deletion ranking", () => {
  test("among equal pods, the one doubled up on a node with more of its family goes first", () => {
    const pods = [
      makePod().name("a").node("n1").obj(),
      makePod().name("b").node("n2").obj(),
      makePod().name("c").node("n2").obj(),
      makePod().name("d").node("n3").obj(),
    ].map((p) => ({ ...p, status: { phase: "Running" as const, ready: true, readyMs: 1000 } }));
    const victims = podsToDelete(pods, pods, 1, 10_000).map((p) => p.metadata.name);
    expect(["b", "c"]).toContain(victims[0]);
  });

  test("unscheduled, then pending, then not ready, then lower deletion cost, then the recently ready go first", () => {
    const base = (name: string) => makePod().name(name).node("n1").obj();
    const unscheduled = makePod().name("u").obj();
    const pending = { ...base("p"), status: { phase: "Pending" as const, ready: false } };
    const notReady = { ...base("nr"), status: { phase: "Running" as const, ready: false } };
    const cheap = { ...base("cheap"), status: { phase: "Running" as const, ready: true, readyMs: 0 } };
    cheap.metadata.annotations = { "controller.kubernetes.io/pod-deletion-cost": "-10" };
    const young = { ...base("young"), status: { phase: "Running" as const, ready: true, readyMs: 3_500_000 } };
    const old = { ...base("old"), status: { phase: "Running" as const, ready: true, readyMs: 0 } };
    const all = [old, young, cheap, notReady, pending, unscheduled];
    expect(podsToDelete(all, all, 5, 3_600_000).map((p) => p.metadata.name)).toEqual(["u", "p", "nr", "cheap", "young"]);
  });
});
