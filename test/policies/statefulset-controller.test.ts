/**
 * The StatefulSet controller as upstream stateful_set_control.go: stable names, OrderedReady
 * creation (each ordinal after the previous one is Running and Ready) and reverse-order deletion,
 * Parallel, one claim per replica and template created before the pod and kept after it, status,
 * and RollingUpdate with a partition (highest ordinal first, one at a time).
 */
import { describe, expect, test } from "vitest";
import type { Decision } from "../../src/model/decision.ts";
import { evolve } from "../../src/model/evolve.ts";
import { Prng } from "../../src/model/prng.ts";
import type { ClusterState } from "../../src/model/state.ts";
import { storedObjectsOf } from "../../src/model/stored-objects.ts";
import type { StatefulSet } from "../../src/model/stateful-set.ts";
import { statefulSetController, type StatefulSetControllerState } from "../../src/policies/controllers/statefulset.ts";
import { clusterOf, makeNode } from "./builders.ts";

const c = statefulSetController;
const key = "default/db";

function statefulSet(replicas: number, change: Partial<StatefulSet["spec"]> = {}): StatefulSet {
  return {
    kind: "StatefulSet",
    metadata: { name: "db", namespace: "default", uid: "sts-db", labels: {}, creationMs: 0, resourceVersion: 1 },
    spec: {
      replicas,
      selector: { matchLabels: { app: "db" } },
      template: { labels: { app: "db" }, spec: { schedulerName: "default-scheduler", containers: [{ name: "c", image: "db:1", requests: {}, limits: {} }] } },
      podManagementPolicy: "OrderedReady",
      updateStrategy: { type: "RollingUpdate", partition: 0 },
      volumeClaimTemplates: [{ metadata: { name: "data", labels: { tier: "storage" } }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: 1 << 30 } } } }],
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      ...change,
    },
    status: { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 },
  };
}

interface World {
  view: ClusterState;
  state: StatefulSetControllerState;
  nowMs: number;
  /** Every write the controller made, in order, as "verb name". */
  log: string[];
}

function world(set: StatefulSet): World {
  const view = clusterOf([makeNode().name("n1").obj()]);
  evolve(view, { kind: "ObjectCreated", object: set }, 0);
  return { view, state: c.initialState(), nowMs: 0, log: [] };
}

const prng = Prng.fromSeed(1);
let uidNext = 0;

/** Applies one decision as the api server would (deletes remove the pod at once) and answers it. */
function apply(w: World, d: Decision): { key: string; afterMs: number }[] {
  switch (d.kind) {
    case "CreatePod": {
      const pod = structuredClone(d.pod);
      pod.metadata.uid = `pod-${uidNext++}`;
      evolve(w.view, { kind: "PodCreated", pod }, w.nowMs);
      w.log.push(`create ${pod.metadata.name}`);
      break;
    }
    case "DeletePod":
      evolve(w.view, { kind: "PodRemoved", key: d.podKey }, w.nowMs);
      w.log.push(`delete ${d.podKey.split("/")[1]}`);
      break;
    case "CreateObject": {
      const object = structuredClone(d.object);
      object.metadata.uid = `obj-${uidNext++}`;
      evolve(w.view, { kind: "ObjectCreated", object }, w.nowMs);
      w.log.push(`claim ${object.metadata.name}`);
      break;
    }
    case "DeleteObject":
      evolve(w.view, { kind: "ObjectDeleted", objectKind: d.objectKind, key: d.key }, w.nowMs);
      w.log.push(`unclaim ${d.key.split("/")[1]}`);
      break;
    case "UpdateObjectStatus":
      evolve(w.view, { kind: "ObjectStatusChanged", objectKind: d.objectKind, key: d.key, status: d.status }, w.nowMs);
      return [];
    default:
      throw new Error(`unexpected ${d.kind}`);
  }
  const r = c.onResult(w.view, w.state, d, { ok: true }, w.nowMs, prng);
  w.state = r.state;
  return r.requeue;
}

/** Reconciles until the controller has nothing more to do on this view. */
function settle(w: World): void {
  for (let i = 0; i < 50; i++) {
    const r = c.reconcile(w.view, w.state, key, w.nowMs, prng);
    w.state = r.state;
    const writes = r.decisions.filter((d) => d.kind !== "UpdateObjectStatus");
    for (const d of r.decisions) apply(w, d);
    if (writes.length === 0) return;
  }
  throw new Error("no fixed point");
}

function runReady(w: World, name: string): void {
  w.nowMs += 1000;
  evolve(w.view, { kind: "PodBound", key: `default/${name}`, nodeName: "n1" }, w.nowMs);
  evolve(w.view, { kind: "PodRunning", key: `default/${name}` }, w.nowMs);
  evolve(w.view, { kind: "PodReadyChanged", key: `default/${name}`, ready: true }, w.nowMs);
}

const podNames = (w: World) => [...w.view.pods.values()].map((p) => p.metadata.name).sort();
const set = (w: World) => storedObjectsOf(w.view, "StatefulSet").get(key) as StatefulSet;

function setSpec(w: World, change: Partial<StatefulSet["spec"]>): void {
  const s = structuredClone(set(w));
  s.spec = { ...s.spec, ...change };
  evolve(w.view, { kind: "ObjectUpdated", object: s }, w.nowMs);
}

describe("OrderedReady", () => {
  test("creates each ordinal's claim, then its pod, and the next only once the previous one is Running and Ready", () => {
    const w = world(statefulSet(3));
    settle(w);
    expect(w.log).toEqual(["claim data-db-0", "create db-0"]);
    settle(w);
    expect(podNames(w)).toEqual(["db-0"]); // db-0 is Pending: wait
    runReady(w, "db-0");
    settle(w);
    runReady(w, "db-1");
    settle(w);
    runReady(w, "db-2");
    settle(w);
    expect(w.log).toEqual(["claim data-db-0", "create db-0", "claim data-db-1", "create db-1", "claim data-db-2", "create db-2"]);
    expect(set(w).status).toMatchObject({ replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3 });
  });

  test("the pod mounts its own claim under the template's name and carries the identity labels", () => {
    const w = world(statefulSet(1));
    settle(w);
    const pod = w.view.pods.get("default/db-0")!;
    expect(pod.spec.volumes).toEqual([{ name: "data", persistentVolumeClaim: { claimName: "data-db-0" } }]);
    expect(pod.metadata.labels).toMatchObject({ app: "db", "statefulset.kubernetes.io/pod-name": "db-0", "apps.kubernetes.io/pod-index": "0" });
    expect(pod.metadata.ownerReferences).toEqual([{ kind: "StatefulSet", name: "db", uid: "sts-db", controller: true, blockOwnerDeletion: true }]);
    const claim = w.view.persistentVolumeClaims.get("default/data-db-0")!;
    expect(claim.metadata.labels).toEqual({ tier: "storage", app: "db" });
    expect(claim.spec.resources.requests.storage).toBe(1 << 30);
  });

  test("scale-down deletes the highest ordinal first, one at a time, and keeps every claim (Retain)", () => {
    const w = world(statefulSet(3));
    for (const name of ["db-0", "db-1", "db-2"]) {
      settle(w);
      runReady(w, name);
    }
    w.log = [];
    setSpec(w, { replicas: 1 });
    const first = c.reconcile(w.view, w.state, key, w.nowMs, prng);
    expect(first.decisions.filter((d) => d.kind === "DeletePod").map((d) => (d as { podKey: string }).podKey)).toEqual(["default/db-2"]);
    w.state = first.state;
    for (const d of first.decisions) apply(w, d);
    settle(w);
    expect(w.log).toEqual(["delete db-2", "delete db-1"]);
    expect([...w.view.persistentVolumeClaims.keys()].sort()).toEqual(["default/data-db-0", "default/data-db-1", "default/data-db-2"]);
  });

  test("waits on an unhealthy pod: a replica that lost readiness blocks the creation of the next one", () => {
    const w = world(statefulSet(3));
    settle(w);
    runReady(w, "db-0");
    settle(w);
    evolve(w.view, { kind: "PodReadyChanged", key: "default/db-0", ready: false }, w.nowMs);
    runReady(w, "db-1");
    settle(w);
    expect(podNames(w)).toEqual(["db-0", "db-1"]);
  });

  test("a recreated pod reuses its name and its existing claim", () => {
    const w = world(statefulSet(2));
    settle(w);
    runReady(w, "db-0");
    settle(w);
    runReady(w, "db-1");
    evolve(w.view, { kind: "PodRemoved", key: "default/db-1" }, w.nowMs);
    w.log = [];
    settle(w);
    expect(w.log).toEqual(["create db-1"]);
    expect(w.view.pods.get("default/db-1")!.spec.volumes).toEqual([{ name: "data", persistentVolumeClaim: { claimName: "data-db-1" } }]);
  });
});

describe("Parallel", () => {
  test("creates every claim, then every pod, without waiting; scale-down deletes all the condemned at once", () => {
    const w = world(statefulSet(3, { podManagementPolicy: "Parallel" }));
    settle(w);
    expect(w.log).toEqual(["claim data-db-0", "claim data-db-1", "claim data-db-2", "create db-0", "create db-1", "create db-2"]);
    w.log = [];
    setSpec(w, { replicas: 1 });
    settle(w);
    expect(w.log).toEqual(["delete db-2", "delete db-1"]);
  });

  test("whenScaled Delete removes the claims of the scaled-away ordinals once their pods are gone", () => {
    const w = world(statefulSet(3, { podManagementPolicy: "Parallel", persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Delete" } }));
    settle(w);
    setSpec(w, { replicas: 1 });
    settle(w);
    expect([...w.view.persistentVolumeClaims.keys()]).toEqual(["default/data-db-0"]);
  });
});

describe("RollingUpdate with a partition", () => {
  function ready(replicas: number, partition: number): World {
    const w = world(statefulSet(replicas, { updateStrategy: { type: "RollingUpdate", partition } }));
    for (let i = 0; i < replicas; i++) {
      settle(w);
      runReady(w, `db-${i}`);
    }
    settle(w);
    return w;
  }
  const image = (w: World, name: string) => w.view.pods.get(`default/${name}`)?.spec.containers[0]?.image;

  test("updates ordinals ≥ partition from the highest down, one at a time after each is Ready; the others keep the old template", () => {
    const w = ready(4, 2);
    const before = set(w).status.currentRevision;
    w.log = [];
    const template = structuredClone(set(w).spec.template);
    template.spec.containers[0]!.image = "db:2";
    setSpec(w, { template });
    settle(w);
    expect(w.log).toEqual(["delete db-3", "create db-3"]);
    settle(w);
    expect(w.log).toHaveLength(2); // db-3 not Ready yet: wait
    runReady(w, "db-3");
    settle(w);
    runReady(w, "db-2");
    settle(w);
    expect(w.log).toEqual(["delete db-3", "create db-3", "delete db-2", "create db-2"]);
    expect(["db-0", "db-1", "db-2", "db-3"].map((n) => image(w, n))).toEqual(["db:1", "db:1", "db:2", "db:2"]);
    expect(set(w).status).toMatchObject({ replicas: 4, readyReplicas: 4, currentReplicas: 2, updatedReplicas: 2, currentRevision: before });
    // A pod below the partition that is lost comes back at the current revision.
    evolve(w.view, { kind: "PodRemoved", key: "default/db-0" }, w.nowMs);
    settle(w);
    expect(image(w, "db-0")).toBe("db:1");
  });

  test("partition 0 completes the rollout: currentRevision becomes the update revision", () => {
    const w = ready(2, 0);
    const template = structuredClone(set(w).spec.template);
    template.spec.containers[0]!.image = "db:2";
    setSpec(w, { template });
    settle(w);
    runReady(w, "db-1");
    settle(w);
    runReady(w, "db-0");
    settle(w);
    const status = set(w).status;
    expect(status.currentRevision).toBe(status.updateRevision);
    expect(status).toMatchObject({ currentReplicas: 2, updatedReplicas: 2 });
  });

  test("OnDelete deletes nothing; a pod deleted by hand comes back at the new template", () => {
    const w = world(statefulSet(2, { updateStrategy: { type: "OnDelete", partition: 0 } }));
    settle(w);
    runReady(w, "db-0");
    settle(w);
    runReady(w, "db-1");
    settle(w);
    const template = structuredClone(set(w).spec.template);
    template.spec.containers[0]!.image = "db:2";
    setSpec(w, { template });
    w.log = [];
    settle(w);
    expect(w.log).toEqual([]);
    evolve(w.view, { kind: "PodRemoved", key: "default/db-1" }, w.nowMs);
    settle(w);
    expect(image(w, "db-1")).toBe("db:2");
    expect(image(w, "db-0")).toBe("db:1");
  });
});
