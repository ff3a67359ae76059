/**
 * The garbage collector's decisions (upstream garbagecollector.go attemptToDeleteItem,
 * classifyReferences, processDeletingDependentsItem, orphanDependents) over hand-built states:
 * foreground deletion waits only for dependents whose reference blocks the owner's deletion and
 * recurses with Foreground into dependents that have dependents; orphaning removes references
 * then the finalizer; dangling references of an object with a live owner are removed. The api
 * server's side (what a deletion and a finalizer removal write) is checked at the end.
 */
import { describe, expect, test } from "vitest";
import type { ClusterEvent } from "../../src/model/cluster-event.ts";
import type { Decision } from "../../src/model/decision.ts";
import { gcFinalizersOf, type PropagationPolicy, type WorkloadKind } from "../../src/model/deletion.ts";
import { evolve } from "../../src/model/evolve.ts";
import type { Deployment, OwnerReference, Pod, ReplicaSet } from "../../src/model/objects.ts";
import { emptyState, type ClusterState } from "../../src/model/state.ts";
import { Prng } from "../../src/model/prng.ts";
import { garbageCollector, type GarbageCollectorState } from "../../src/policies/controllers/garbage-collector.ts";
import { deletionLanding, finalizerRemoved, ownerReferencesRemoved } from "../../src/sim/api/workload-deletion.ts";
import { makePod } from "./builders.ts";

const ref = (kind: string, name: string, block = true): OwnerReference => ({ kind, name, uid: `uid-${name}`, controller: true, ...(block ? { blockOwnerDeletion: true } : {}) });

function podOwnedBy(name: string, refs: OwnerReference[]): Pod {
  const pod = makePod().name(name).obj();
  pod.metadata.ownerReferences = refs;
  return pod;
}

function replicaSet(name: string, refs: OwnerReference[] = []): ReplicaSet {
  return {
    kind: "ReplicaSet",
    metadata: { name, namespace: "default", uid: `uid-${name}`, labels: {}, creationMs: 0, ...(refs.length > 0 ? { ownerReferences: refs } : {}) },
    spec: { replicas: 0, selector: { matchLabels: { app: name } }, template: { labels: { app: name }, spec: makePod().obj().spec } },
    status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 },
  };
}

function deployment(name: string): Deployment {
  const rs = replicaSet(name);
  return { kind: "Deployment", metadata: rs.metadata, spec: { ...rs.spec, strategy: { type: "RollingUpdate", maxSurge: "25%", maxUnavailable: "25%" } }, status: rs.status } as Deployment;
}

/** A cluster and a collector that has watched every change of it, as in a run. */
class World {
  readonly state: ClusterState = emptyState();
  gc: GarbageCollectorState = garbageCollector.initialState();
  private nowMs = 0;
  dirty = new Set<string>();

  constructor() {
    this.apply({ kind: "NamespaceCreated", namespace: { kind: "Namespace", metadata: { name: "default", namespace: "", uid: "ns", labels: {}, creationMs: 0 } } });
    this.dirty.clear();
  }

  apply(event: ClusterEvent): this {
    evolve(this.state, event, ++this.nowMs);
    const observed = garbageCollector.observe(this.state, this.gc, event);
    this.gc = observed.state;
    for (const key of observed.keys) this.dirty.add(key);
    return this;
  }

  /** A deletion as the api server lands it (store.go), then watched. */
  delete(kind: WorkloadKind, key: string, policy: PropagationPolicy): this {
    return this.apply(deletionLanding(this.state, { kind: "DeletionStarted", objectKind: kind, key, finalizers: gcFinalizersOf(policy) }));
  }

  reconcile(node: string): { decisions: Decision[]; requeue: string[] } {
    const r = garbageCollector.reconcile(this.state, this.gc, node, this.nowMs, new Prng("gc"));
    this.gc = r.state;
    return { decisions: r.decisions, requeue: r.requeue.map((x) => x.key) };
  }

  /** Every dirty key reconciled, in key order: the decisions by key. */
  drain(): Map<string, Decision[]> {
    const out = new Map<string, Decision[]>();
    const keys = [...this.dirty].sort();
    this.dirty.clear();
    for (const key of keys) out.set(key, this.reconcile(key).decisions);
    return out;
  }
}

const kinds = (decisions: readonly Decision[]) => decisions.map((d) => d.kind);

describe("foreground deletion", () => {
  function replicaSetWithPods(): World {
    const w = new World().apply({ kind: "ReplicaSetCreated", replicaSet: replicaSet("rs") });
    w.apply({ kind: "PodCreated", pod: podOwnedBy("a", [ref("ReplicaSet", "rs")]) });
    w.apply({ kind: "PodCreated", pod: podOwnedBy("b", [ref("ReplicaSet", "rs")]) });
    w.apply({ kind: "PodCreated", pod: podOwnedBy("loose", [ref("ReplicaSet", "rs", false)]) });
    w.dirty.clear();
    return w.delete("ReplicaSet", "default/rs", "Foreground");
  }

  test("every dependent is deleted; the owner waits for the blocking ones only and is not removed meanwhile", () => {
    const w = replicaSetWithPods();
    expect(w.state.replicaSets.get("default/rs")?.metadata.finalizers).toEqual(["foregroundDeletion"]);
    const decided = w.drain();
    expect([...decided.keys()]).toEqual(["Pod/default/a", "Pod/default/b", "Pod/default/loose", "ReplicaSet/default/rs"]);
    for (const pod of ["a", "b", "loose"]) expect(decided.get(`Pod/default/${pod}`)).toEqual([{ kind: "DeletePod", id: `delete/default/${pod}/uid-${pod}`, podKey: `default/${pod}`, reason: "GarbageCollected" }]);
    expect(decided.get("ReplicaSet/default/rs")).toEqual([]);
    // The owner asks to look at its blocking dependents again, not at the one that does not block.
    expect(w.reconcile("ReplicaSet/default/rs").requeue).toEqual(["Pod/default/a", "Pod/default/b"]);
  });

  test("once the blocking dependents are gone the finalizer is removed, though a non-blocking one is still there", () => {
    const w = replicaSetWithPods();
    w.drain();
    w.apply({ kind: "PodRemoved", key: "default/a" });
    expect(w.drain().get("ReplicaSet/default/rs")).toEqual([]);
    w.apply({ kind: "PodRemoved", key: "default/b" });
    expect(w.state.pods.has("default/loose")).toBe(true);
    const decided = w.drain().get("ReplicaSet/default/rs") ?? [];
    expect(decided).toEqual([{ kind: "RemoveFinalizer", id: "gc-finalize/replicaset/default/rs/uid-rs/foregroundDeletion", objectKind: "ReplicaSet", key: "default/rs", uid: "uid-rs", finalizer: "foregroundDeletion" }]);
    // The api server removes an object being deleted whose last finalizer goes.
    expect(finalizerRemoved(w.state, decided[0] as Extract<Decision, { kind: "RemoveFinalizer" }>)).toEqual({ kind: "ReplicaSetRemoved", key: "default/rs" });
  });

  test("recursion: a Deployment's ReplicaSet that has pods is deleted in the foreground too; one without pods in the background", () => {
    const w = new World().apply({ kind: "DeploymentCreated", deployment: deployment("web") });
    w.apply({ kind: "ReplicaSetCreated", replicaSet: replicaSet("web-1", [ref("Deployment", "web")]) });
    w.apply({ kind: "ReplicaSetCreated", replicaSet: replicaSet("web-0", [ref("Deployment", "web")]) });
    w.apply({ kind: "PodCreated", pod: podOwnedBy("web-1-x", [ref("ReplicaSet", "web-1")]) });
    w.dirty.clear();
    w.delete("Deployment", "default/web", "Foreground");
    const decided = w.drain();
    expect(decided.get("ReplicaSet/default/web-1")).toEqual([{ kind: "DeleteReplicaSet", id: "gc-delete/replicaset/default/web-1/uid-web-1/foreground", key: "default/web-1", propagationPolicy: "Foreground" }]);
    expect(decided.get("ReplicaSet/default/web-0")).toEqual([{ kind: "DeleteReplicaSet", id: "gc-delete/replicaset/default/web-0/uid-web-0", key: "default/web-0" }]);
    expect(decided.get("Deployment/default/web")).toEqual([]);
    // The ReplicaSet's foreground deletion makes the collector delete its pod; the Deployment waits for the set.
    w.apply({ kind: "ReplicaSetRemoved", key: "default/web-0" });
    w.apply({ kind: "DeletionStarted", objectKind: "ReplicaSet", key: "default/web-1", finalizers: ["foregroundDeletion"] });
    const next = w.drain();
    expect(kinds(next.get("Pod/default/web-1-x") ?? [])).toEqual(["DeletePod"]);
    expect(next.get("Deployment/default/web")).toEqual([]);
    w.apply({ kind: "PodRemoved", key: "default/web-1-x" });
    expect(kinds(w.drain().get("ReplicaSet/default/web-1") ?? [])).toEqual(["RemoveFinalizer"]);
    w.apply({ kind: "ReplicaSetRemoved", key: "default/web-1" });
    expect(kinds(w.drain().get("Deployment/default/web") ?? [])).toEqual(["RemoveFinalizer"]);
  });
});

describe("orphan deletion", () => {
  test("the owner's references are removed from its dependents, then its finalizer; nothing is deleted", () => {
    const w = new World().apply({ kind: "ReplicaSetCreated", replicaSet: replicaSet("rs") });
    w.apply({ kind: "PodCreated", pod: podOwnedBy("a", [ref("ReplicaSet", "rs")]) });
    w.apply({ kind: "PodCreated", pod: podOwnedBy("b", [ref("ReplicaSet", "rs"), ref("ReplicaSet", "other")]) });
    w.apply({ kind: "ReplicaSetCreated", replicaSet: replicaSet("other") });
    w.dirty.clear();
    w.delete("ReplicaSet", "default/rs", "Orphan");
    expect(w.state.replicaSets.get("default/rs")?.metadata.finalizers).toEqual(["orphan"]);
    const decisions = w.drain().get("ReplicaSet/default/rs") ?? [];
    expect(decisions.map((d) => (d.kind === "RemoveOwnerReferences" ? [d.key, d.ownerUids] : d.kind))).toEqual([["default/a", ["uid-rs"]], ["default/b", ["uid-rs"]]]);
    for (const d of decisions) w.apply(ownerReferencesRemoved(w.state, d as Extract<Decision, { kind: "RemoveOwnerReferences" }>));
    expect(w.state.pods.get("default/a")?.metadata.ownerReferences).toBeUndefined();
    expect(w.state.pods.get("default/b")?.metadata.ownerReferences?.map((r) => r.name)).toEqual(["other"]);
    // The pods no longer name it: the owner (woken by their change) has its finalizer removed; the pods are left alone.
    const after = w.drain();
    expect(kinds(after.get("ReplicaSet/default/rs") ?? [])).toEqual(["RemoveFinalizer"]);
    expect([...after.values()].flat().filter((d) => d.kind === "DeletePod")).toEqual([]);
    expect(w.state.podsByOwner.get("uid-rs")).toBeUndefined();
  });
});

describe("dangling references", () => {
  test("an object with a live owner and a gone one has the gone reference removed, not the object", () => {
    const w = new World().apply({ kind: "ReplicaSetCreated", replicaSet: replicaSet("live") });
    w.apply({ kind: "PodCreated", pod: podOwnedBy("p", [ref("ReplicaSet", "live"), ref("ReplicaSet", "gone")]) });
    expect(w.drain().get("Pod/default/p")).toEqual([{ kind: "RemoveOwnerReferences", id: "gc-unown/pod/default/p/uid-p/uid-gone", objectKind: "Pod", key: "default/p", uid: "uid-p", ownerUids: ["uid-gone"] }]);
  });

  test("a reference to an owner of the same name but another uid is dangling too", () => {
    const w = new World().apply({ kind: "ReplicaSetCreated", replicaSet: replicaSet("live") });
    w.apply({ kind: "PodCreated", pod: podOwnedBy("p", [{ ...ref("ReplicaSet", "live"), uid: "uid-old-live" }]) });
    expect(kinds(w.drain().get("Pod/default/p") ?? [])).toEqual(["DeletePod"]);
  });

  test("a reference to an owner waiting for its dependents' deletion is removed when another owner is solid", () => {
    const w = new World().apply({ kind: "ReplicaSetCreated", replicaSet: replicaSet("live") });
    w.apply({ kind: "ReplicaSetCreated", replicaSet: replicaSet("going") });
    w.apply({ kind: "PodCreated", pod: podOwnedBy("p", [ref("ReplicaSet", "live"), ref("ReplicaSet", "going")]) });
    w.dirty.clear();
    w.delete("ReplicaSet", "default/going", "Foreground");
    const decided = w.drain();
    expect(decided.get("Pod/default/p")?.map((d) => (d.kind === "RemoveOwnerReferences" ? d.ownerUids : d.kind))).toEqual([["uid-going"]]);
  });

  test("an owner kind the twin does not know counts as there", () => {
    const w = new World().apply({ kind: "PodCreated", pod: podOwnedBy("p", [{ kind: "Widget", name: "w", uid: "uid-w" }]) });
    expect(w.drain().get("Pod/default/p") ?? []).toEqual([]);
  });
});

describe("the api server's deletion (store.go)", () => {
  test("Background removes at once; Foreground and Orphan keep the object with their finalizer and a deletionTimestamp", () => {
    const w = new World().apply({ kind: "ReplicaSetCreated", replicaSet: replicaSet("rs") });
    const ask = (policy: PropagationPolicy) => deletionLanding(w.state, { kind: "DeletionStarted", objectKind: "ReplicaSet", key: "default/rs", finalizers: gcFinalizersOf(policy) });
    expect(ask("Background")).toEqual({ kind: "ReplicaSetRemoved", key: "default/rs" });
    expect(ask("Orphan")).toEqual({ kind: "DeletionStarted", objectKind: "ReplicaSet", key: "default/rs", finalizers: ["orphan"] });
    w.apply(ask("Foreground"));
    const meta = w.state.replicaSets.get("default/rs")?.metadata;
    expect(meta?.deletionMs).toBeGreaterThan(0);
    // A second delete with another policy swaps the GC finalizer and keeps the first deletionTimestamp; Background then removes it.
    const firstMs = meta?.deletionMs;
    w.apply(ask("Orphan"));
    expect(w.state.replicaSets.get("default/rs")?.metadata).toMatchObject({ deletionMs: firstMs, finalizers: ["orphan"] });
    expect(ask("Background")).toEqual({ kind: "ReplicaSetRemoved", key: "default/rs" });
  });

  test("a finalizer of someone else's keeps the object after the collector's is removed", () => {
    const rs = replicaSet("rs");
    rs.metadata.finalizers = ["example.com/keep"];
    const w = new World().apply({ kind: "ReplicaSetCreated", replicaSet: rs });
    w.apply(deletionLanding(w.state, { kind: "DeletionStarted", objectKind: "ReplicaSet", key: "default/rs", finalizers: ["foregroundDeletion"] }));
    expect(w.state.replicaSets.get("default/rs")?.metadata.finalizers).toEqual(["example.com/keep", "foregroundDeletion"]);
    const removal = finalizerRemoved(w.state, { kind: "RemoveFinalizer", id: "x", objectKind: "ReplicaSet", key: "default/rs", uid: "uid-rs", finalizer: "foregroundDeletion" });
    expect(removal).toEqual({ kind: "FinalizersChanged", objectKind: "ReplicaSet", key: "default/rs", finalizers: ["example.com/keep"] });
  });
});
