/**
 * Deleting workloads with a propagation policy in a run (the Delete fault's propagationPolicy):
 * Foreground keeps the owner, with a deletionTimestamp and the foregroundDeletion finalizer, until
 * its dependents are gone (a Deployment's ReplicaSet, itself deleted in the foreground, then its
 * pods); Orphan removes the owner's references from its dependents, which keep running and are
 * left alone.
 */
import { describe, expect, test } from "vitest";
import { decodeEventPayload } from "../../src/log/event-codec.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { evolve } from "../../src/model/evolve.ts";
import { emptyState } from "../../src/model/state.ts";
import { formatSummary } from "../../src/cli/format-summary.ts";
import { formatScenarioError } from "../../src/scenario/load.ts";
import { runScenario } from "../../src/sim/run.ts";
import { loadText } from "../scenario/helpers.ts";

const container = "{containers: [{name: c, image: \"c:1\", resources: {requests: {cpu: 100m}}}]}";

function scenario(faults: string, extra = ""): string {
  return `apiVersion: kubetwin/v1
kind: Scenario
metadata: {name: propagation}
spec:
  duration: 20m
  seed: 1
  cluster:
    nodePools:
      - {name: general, count: 2, zones: [zone-a], allocatable: {cpu: 4, memory: 8Gi, pods: 110}}
  workloads:
    - manifest:
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: ${container}
    - manifest:
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: solo}
        spec:
          replicas: 2
          selector: {matchLabels: {app: solo}}
          template:
            metadata: {labels: {app: solo}}
            spec: ${container}
${extra}  faults:
${faults}
`;
}

function run(faults: string, extra = "") {
  const loaded = loadText(scenario(faults, extra));
  if (!loaded.ok) throw new Error(formatScenarioError(loaded.error));
  const sink = new MemorySink();
  const r = runScenario(loaded.plan, { seed: 1, variant: "baseline", sink });
  const pods = (app: string) => [...r.state.pods.values()].filter((p) => p.metadata.labels.app === app);
  const first = (kind: string, prefix: string) => sink.records.find((x) => x.kind === kind && x.subject.startsWith(prefix));
  const last = (kind: string, prefix: string) => sink.records.filter((x) => x.kind === kind && x.subject.startsWith(prefix)).at(-1);
  return { r, pods, records: sink.records, first, last };
}

const atMin = (m: number) => m * 60_000;

describe("foreground deletion", () => {
  test("a Deployment stays, being deleted, until its ReplicaSet and then its pods are gone; nothing is recreated", () => {
    const { r, pods, records, first, last } = run("    - {at: 5m, type: Delete, kind: Deployment, name: web, propagationPolicy: Foreground}");
    expect(r.state.deployments.has("default/web")).toBe(false);
    expect([...r.state.replicaSets.keys()].filter((k) => k.startsWith("default/web-"))).toEqual([]);
    expect(pods("web")).toEqual([]);
    const started = first("DeletionStarted", "deployment/default/web");
    expect(started?.payload).toContain("foregroundDeletion");
    expect(started?.atMs).toBeGreaterThanOrEqual(atMin(5));
    const rsStarted = first("DeletionStarted", "replicaset/default/web-");
    expect(rsStarted?.payload).toContain("foregroundDeletion");
    const lastPodRemoved = last("PodRemoved", "pod/default/web-")?.atMs ?? Infinity;
    const rsRemoved = first("ReplicaSetRemoved", "replicaset/default/web-")?.atMs ?? -1;
    const deploymentRemoved = first("DeploymentRemoved", "deployment/default/web")?.atMs ?? -1;
    // Owner last: every pod removed before the ReplicaSet, the ReplicaSet before the Deployment.
    expect(lastPodRemoved).toBeLessThanOrEqual(rsRemoved);
    expect(rsRemoved).toBeLessThanOrEqual(deploymentRemoved);
    expect(deploymentRemoved).toBeGreaterThan(started?.atMs ?? Infinity);
    // The pods terminated gracefully (PodDeleting first), and no pod was made after the deletion began.
    expect(records.filter((x) => x.kind === "PodDeleting" && x.subject.startsWith("pod/default/web-"))).toHaveLength(3);
    expect(records.filter((x) => x.kind === "PodCreated" && x.subject.startsWith("pod/default/web-") && x.atMs >= atMin(5))).toEqual([]);
    // The other workload is untouched.
    expect(pods("solo").filter((p) => p.status.phase === "Running")).toHaveLength(2);
  });

  test("while its dependents go, the Deployment is there with its deletionTimestamp and finalizer, and its status follows its pods", () => {
    const { records, first } = run("    - {at: 5m, type: Delete, kind: Deployment, name: web, propagationPolicy: Foreground}");
    const startedAt = first("DeletionStarted", "deployment/default/web")?.atMs ?? Infinity;
    const rsRemovedAt = first("ReplicaSetRemoved", "replicaset/default/web-")?.atMs ?? -1;
    // The state just before the ReplicaSet went, rebuilt from the log.
    const state = emptyState();
    for (const x of records) {
      if (x.atMs >= rsRemovedAt) break;
      const decoded = decodeEventPayload(x.kind, x.payload);
      if (!("event" in decoded)) throw new Error(decoded.problem);
      evolve(state, decoded.event, x.atMs);
    }
    const d = state.deployments.get("default/web");
    expect(d?.metadata.deletionMs).toBe(startedAt);
    expect(d?.metadata.finalizers).toEqual(["foregroundDeletion"]);
    const rs = [...state.replicaSets.values()].find((x) => x.metadata.name.startsWith("web-"));
    expect(rs?.metadata.finalizers).toEqual(["foregroundDeletion"]);
    expect(rs?.spec.replicas).toBe(3); // a set being deleted is not scaled down: the collector deletes its pods
    // syncStatusOnly: the Deployment's status was written while it was being deleted, down to no ready replica.
    const statuses = records.filter((x) => x.kind === "DeploymentStatusChanged" && x.subject === "deployment/default/web" && x.atMs > startedAt);
    expect(statuses.length).toBeGreaterThan(0);
    expect(d?.status.readyReplicas).toBe(0);
  });
});

describe("orphan deletion", () => {
  test("a ReplicaSet orphaned: its pods keep Running with no ownerReferences, and nothing deletes or recreates them", () => {
    const { r, pods, records, first } = run("    - {at: 5m, type: Delete, kind: ReplicaSet, name: solo, propagationPolicy: Orphan}");
    expect(r.state.replicaSets.has("default/solo")).toBe(false);
    const solo = pods("solo");
    expect(solo).toHaveLength(2);
    for (const pod of solo) {
      expect(pod.status.phase).toBe("Running");
      expect(pod.metadata.ownerReferences).toBeUndefined();
      expect(pod.metadata.deletionMs).toBeUndefined();
    }
    expect(first("DeletionStarted", "replicaset/default/solo")?.payload).toContain('"orphan"');
    const unowned = records.filter((x) => x.kind === "OwnerReferencesChanged" && x.subject.startsWith("pod/default/solo-"));
    expect(unowned).toHaveLength(2);
    // The references went before the owner did.
    const removedAt = first("ReplicaSetRemoved", "replicaset/default/solo")?.atMs ?? -1;
    for (const x of unowned) expect(x.atMs).toBeLessThanOrEqual(removedAt);
    const after = records.filter((x) => x.atMs >= atMin(5) && x.subject.startsWith("pod/default/solo-") && (x.kind === "PodCreated" || x.kind === "PodDeleting" || x.kind === "PodRemoved"));
    expect(after).toEqual([]);
  });

  test("a Deployment orphaned: its ReplicaSet stays, unowned, and its controller still keeps 3 pods (a killed pod is replaced)", () => {
    const { r, pods, records } = run("    - {at: 5m, type: Delete, kind: Deployment, name: web, propagationPolicy: Orphan}\n    - {at: 10m, type: PodKill, selector: {app: web}, count: 1}");
    expect(r.state.deployments.has("default/web")).toBe(false);
    const sets = [...r.state.replicaSets.values()].filter((rs) => rs.metadata.name.startsWith("web-"));
    expect(sets).toHaveLength(1);
    expect(sets[0]?.metadata.ownerReferences).toBeUndefined();
    const web = pods("web").filter((p) => p.metadata.deletionMs === undefined);
    expect(web).toHaveLength(3);
    for (const pod of web) expect(pod.metadata.ownerReferences?.[0]?.uid).toBe(sets[0]?.metadata.uid);
    // The kill happened, and the orphaned set replaced the pod.
    expect(records.filter((x) => x.kind === "PodCreated" && x.subject.startsWith("pod/default/web-") && x.atMs > atMin(10))).toHaveLength(1);
  });
});

describe("the run summary", () => {
  test("names each deletion with its policy, when it was asked, when the owner was removed and what it orphaned", () => {
    const faults = [
      "    - {at: 4m, type: Delete, kind: ReplicaSet, name: solo, propagationPolicy: Orphan}",
      "    - {at: 5m, type: Delete, kind: Deployment, name: web, propagationPolicy: Foreground}",
    ].join("\n");
    const { r, first } = run(faults);
    const deletions = r.summary.deletions ?? [];
    expect(deletions.map((d) => [d.target, d.policy, d.askedMs])).toEqual([
      ["replicaset/default/solo", "Orphan", atMin(4)],
      ["deployment/default/web", "Foreground", atMin(5)],
    ]);
    expect(deletions[0]?.orphaned).toEqual([...r.state.pods.values()].filter((p) => p.metadata.labels.app === "solo").map((p) => `pod/default/${p.metadata.name}`).sort());
    expect(deletions[0]?.orphaned).toHaveLength(2);
    expect(deletions[1]?.removedMs).toBe(first("DeploymentRemoved", "deployment/default/web")?.atMs);
    expect(deletions[1]?.orphaned).toBeUndefined();
    expect(formatSummary(r.summary, { wallMs: 0 })).toMatch(/Deletions\n {2}replicaset\/default\/solo +Orphan at 4m · removed at 4m[\d.ms]* · orphaned 2 \(pod\/default\/solo-/);
  });

  test("a Background deletion: removed when asked (plus the write's commit); deleting it again deletes nothing", () => {
    const { r } = run("    - {at: 5m, type: Delete, kind: Deployment, name: web}\n    - {at: 6m, type: Delete, kind: Deployment, name: web, propagationPolicy: Orphan}");
    expect(r.summary.deletions).toHaveLength(1);
    const d = r.summary.deletions?.[0];
    expect(d).toMatchObject({ target: "deployment/default/web", policy: "Background", askedMs: atMin(5) });
    expect((d?.removedMs ?? Infinity) - atMin(5)).toBeLessThan(1000);
  });
});

describe("the log codec", () => {
  test("every record of a run with both policies decodes; a damaged deletion record names its field", () => {
    const { records } = run("    - {at: 4m, type: Delete, kind: ReplicaSet, name: solo, propagationPolicy: Orphan}\n    - {at: 5m, type: Delete, kind: Deployment, name: web, propagationPolicy: Foreground}");
    const kinds = new Set(records.map((x) => x.kind));
    for (const kind of ["DeletionStarted", "OwnerReferencesChanged"] as const) expect(kinds.has(kind)).toBe(true);
    for (const x of records) expect(decodeEventPayload(x.kind, x.payload)).toHaveProperty("event");
    const bad = JSON.stringify({ kind: "DeletionStarted", objectKind: "Pod", key: "default/p", finalizers: ["orphan"] });
    expect(decodeEventPayload("DeletionStarted", bad)).toEqual({ problem: expect.stringContaining("payload.objectKind: expected one of Deployment") });
    const refs = JSON.stringify({ kind: "OwnerReferencesChanged", objectKind: "Pod", key: "default/p", ownerReferences: [{ kind: "ReplicaSet", name: "rs" }] });
    expect(decodeEventPayload("OwnerReferencesChanged", refs)).toEqual({ problem: expect.stringContaining("payload.ownerReferences[0].uid") });
  });
});

describe("determinism", () => {
  test("the same scenario and seed give the same log, with every policy", () => {
    const faults = [
      "    - {at: 4m, type: Delete, kind: ReplicaSet, name: solo, propagationPolicy: Orphan}",
      "    - {at: 5m, type: Delete, kind: Deployment, name: web, propagationPolicy: Foreground}",
    ].join("\n");
    const a = run(faults);
    const b = run(faults);
    expect(a.records.length).toBeGreaterThan(0);
    expect(b.records.map((x) => `${x.atMs} ${x.kind} ${x.payload}`)).toEqual(a.records.map((x) => `${x.atMs} ${x.kind} ${x.payload}`));
  });
});
