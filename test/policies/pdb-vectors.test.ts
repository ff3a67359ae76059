/**
 * Every case of the upstream-derived PodDisruptionBudget vectors (test/fixtures/vectors/pdb.json,
 * see NOTICE): the disruption controller's status sequences through `explain pdb`, and the
 * Eviction API decisions through `explain eviction` — the same functions the simulator runs. Each
 * status step is written here as the v1 objects the upstream test builds (pods of the helper
 * newPod: Running, Ready, label foo=bar); a case in the file without a translation fails.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { explainEviction, explainPdb } from "../../src/cli/explain-disruption.ts";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;
const vectors = JSON.parse(readFileSync(new URL("../fixtures/vectors/pdb.json", import.meta.url), "utf8")) as Json;
const nowMs = Date.parse("2026-01-01T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

interface PodSpec { name: string; ready?: boolean; owner?: [string, string]; deleting?: boolean; labels?: Record<string, string> }
function pod(p: PodSpec): Json {
  return {
    apiVersion: "v1", kind: "Pod",
    metadata: {
      name: p.name, namespace: "default", uid: `uid-${p.name}`, labels: p.labels ?? { foo: "bar" },
      ...(p.owner ? { ownerReferences: [{ apiVersion: "apps/v1", kind: p.owner[0], name: p.owner[1], uid: `uid-${p.owner[1]}`, controller: true }] } : {}),
      ...(p.deleting ? { deletionTimestamp: iso(nowMs - 1000) } : {}),
    },
    spec: { containers: [{ name: "c" }] },
    status: { phase: "Running", conditions: [{ type: "Ready", status: p.ready === false ? "False" : "True" }] },
  };
}
const owner = (kind: string, name: string, replicas: number) => ({ kind, metadata: { name, namespace: "default", uid: `uid-${name}` }, spec: { replicas } });

interface Step { pods: PodSpec[]; owners: Json[]; disruptedPods?: Record<string, string> }
const range = (n: number, f: (i: number) => PodSpec) => Array.from({ length: n }, (_, i) => f(i + 1));

/** The upstream test's objects after each step, per case id. */
const steps: Record<string, Step[]> = {
  "pdb-controller-TestNoSelector": [{ pods: [], owners: [] }, { pods: [{ name: "p0" }], owners: [] }],
  "pdb-controller-TestUnavailable": [
    ...[0, 1, 2, 3, 4].map((n) => ({ pods: range(n, (i) => ({ name: `p${i}` })), owners: [] })),
    { pods: range(4, (i) => ({ name: `p${i}`, ready: i !== 1 })), owners: [] },
  ],
  "pdb-controller-TestIntegerMaxUnavailable": [{ pods: [], owners: [] }, { pods: [{ name: "naked" }], owners: [] }],
  "pdb-controller-TestPercentageMaxUnavailableWithScaling": [
    { pods: [{ name: "p", owner: ["ReplicaSet", "rs"] }], owners: [owner("ReplicaSet", "rs", 7)] },
    { pods: [{ name: "p", owner: ["ReplicaSet", "rs"] }], owners: [owner("ReplicaSet", "rs", 3)] },
  ],
  "pdb-controller-TestNakedPod": [{ pods: [], owners: [] }, { pods: [{ name: "naked" }], owners: [] }],
  "pdb-controller-TestReplicaSet": [{ pods: [{ name: "p", owner: ["ReplicaSet", "rs"] }], owners: [owner("ReplicaSet", "rs", 10)] }],
  "pdb-controller-TestScaleResource": [{ pods: range(4, (i) => ({ name: `p${i}`, owner: ["Custom", "custom"] })), owners: [owner("Custom", "custom", 10)] }],
  "pdb-controller-TestReplicationController": [
    ...[0, 1, 2, 3].map((n) => ({ pods: range(n, (i) => ({ name: `rc-${i}`, owner: ["ReplicationController", "rc"] as [string, string] })), owners: [owner("ReplicationController", "rc", 3)] })),
    { pods: [...range(3, (i) => ({ name: `rc-${i}`, owner: ["ReplicationController", "rc"] as [string, string] })), { name: "rogue" }], owners: [owner("ReplicationController", "rc", 3)] },
  ],
  "pdb-controller-TestTwoControllers": twoControllers(),
  "pdb-controller-TestUpdateDisruptedPods": [{
    pods: [{ name: "p1", deleting: true }, { name: "p2" }, { name: "p3" }],
    owners: [],
    disruptedPods: { p1: iso(nowMs), p2: iso(nowMs - 5 * 60_000), p3: iso(nowMs), notthere: iso(nowMs) },
  }],
};

/** Expanded from upstream's loops (collectionSize 11): RC pods 1–6 unready, 7–11 ready; then the same for a ReplicaSet (1–7 unready). */
function twoControllers(): Step[] {
  const rc = (i: number, ready: boolean): PodSpec => ({ name: `rc-${i}`, ready, owner: ["ReplicationController", "rc"] });
  const rs = (i: number, ready: boolean): PodSpec => ({ name: `rs-${i}`, ready, owner: ["ReplicaSet", "rs"] });
  const rcPods = (n: number, unready = new Set<number>()) => range(n, (i) => rc(i, i > 6 && !unready.has(i)));
  const rsPods = (n: number) => range(n, (i) => rs(i, i > 7));
  const rcOwner = [owner("ReplicationController", "rc", 11)];
  const all = [...rcOwner, owner("Deployment", "d", 11), owner("ReplicaSet", "rs", 11)];
  return [
    { pods: [], owners: rcOwner },
    ...range(11, (n) => ({ name: String(n) })).map((_, n) => ({ pods: rcPods(n + 1), owners: rcOwner })),
    { pods: rcPods(11), owners: [...rcOwner, owner("Deployment", "d", 11)] },
    { pods: rcPods(11), owners: all },
    ...range(11, (n) => ({ name: String(n) })).map((_, n) => ({ pods: [...rcPods(11), ...rsPods(n + 1)], owners: all })),
    { pods: [...rcPods(11, new Set([11])), ...rsPods(11)], owners: all },
    { pods: [...rcPods(11, new Set([10, 11])), ...rsPods(11)], owners: all },
    { pods: [...rcPods(11, new Set([10])), ...rsPods(11)], owners: all },
  ];
}

const statusCases = vectors.cases.filter((c: Json) => c.category === "disruption-controller-status");
const evictionCases = vectors.cases.filter((c: Json) => c.category === "eviction-api");

describe("PodDisruptionBudget status (pkg/controller/disruption)", () => {
  test("every vector case has a translation of its steps", () => {
    expect(statusCases.length).toBeGreaterThanOrEqual(10);
    for (const c of statusCases) expect(steps[c.id]?.length, c.id).toBe(c.steps.length);
  });
  test.each(statusCases.map((c: Json) => [c.id, c]) as [string, Json][])("%s", (_id: string, c: Json) => {
    const spec = { selector: { matchLabels: { foo: "bar" } }, ...c.pdbSpec };
    (steps[c.id] as Step[]).forEach((step, i) => {
      const pdb = { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "foo", namespace: "default" }, spec, ...(step.disruptedPods ? { status: { disruptedPods: step.disruptedPods } } : {}) };
      const got = explainPdb({ pdb, pods: step.pods.map(pod), owners: step.owners, now: iso(nowMs) }, 0).status as Json;
      const want = { ...c.steps[i].expectedStatus };
      if (want.disruptedPods) want.disruptedPods = Object.fromEntries(Object.keys(want.disruptedPods).map((k) => [k, got.disruptedPods?.[k]]));
      for (const [field, value] of Object.entries(want)) expect(got[field], `${c.steps[i].action}: ${field}`).toEqual(value);
      if (want.disruptedPods) expect(Object.keys(got.disruptedPods)).toEqual(Object.keys(want.disruptedPods));
    });
  });
});

describe("Eviction API (pkg/registry/core/pod/storage/eviction.go)", () => {
  test.each(evictionCases.flatMap((c: Json) => c.unhealthyPodEvictionPolicies.map((policy: string) => [c.id, policy, c] as [string, string, Json])) as [string, string, Json][])("%s under %s", (_id: string, policy: string, c: Json) => {
    const p = c.pod;
    const podJson = pod({ name: "p", ready: p.ready, deleting: p.terminating });
    podJson.status.phase = p.phase;
    const pdb = {
      apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: { name: "foo", namespace: "default" },
      spec: { selector: c.id === "eviction-07" ? {} : { matchLabels: { foo: "bar" } }, minAvailable: 0, ...(policy === "unset(nil)" ? {} : { unhealthyPodEvictionPolicy: policy }) },
      status: { currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, ...c.pdbStatus },
    };
    const answer = explainEviction({ pod: podJson, pdbs: [pdb], now: iso(nowMs) }, 0);
    expect(answer.allowed).toBe(c.expected.evicted);
    if (c.expected.httpStatus !== undefined) expect(answer.httpStatus).toBe(c.expected.httpStatus);
    if (c.expected.error !== undefined) expect(answer.message).toBe(c.expected.error);
    if (c.expected.pdbChecked !== undefined) expect(answer.pdbChecked).toBe(c.expected.pdbChecked);
  });
});
