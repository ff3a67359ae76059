/**
 * The recorder's diff: each observed change of a live object → the events that carry it, marked
 * exogenous or endogenous, folded with `evolve` into the recorder's own state (as a reader folds the log).
 */
import { Result } from "effect";
import { describe, expect, test } from "vitest";
import { decodeKube, type KubeObject } from "../../src/k8s/kinds.ts";
import { eventsOfChange } from "../../src/live/recorded-changes.ts";
import { rebaseTimes } from "../../src/live/recorded-times.ts";
import { evolve } from "../../src/model/evolve.ts";
import { emptyState, type ClusterState } from "../../src/model/state.ts";

function model(json: Record<string, unknown>): KubeObject {
  const decoded = decodeKube(json);
  if (Result.isFailure(decoded) || decoded.success.outcome !== "object") throw new Error(`not decoded: ${JSON.stringify(json).slice(0, 80)}`);
  return decoded.success.object;
}

/** Observes one change, folds its events into the state; answers "Kind exo|endo" per event and what was not recorded. */
function observe(state: ClusterState, kind: string, key: string, json: Record<string, unknown> | undefined, atMs = 1000): { events: string[]; unrecorded: string[] } {
  const { events, unrecorded } = eventsOfChange(state, kind, key, json === undefined ? undefined : model(json));
  for (const e of events) evolve(state, e.event, atMs);
  return { events: events.map((e) => `${e.event.kind} ${e.exogenous ? "exo" : "endo"}`), unrecorded };
}

const template = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1.27", resources: { requests: { cpu: "100m" } } }] } };
const deployment = (spec: Record<string, unknown> = {}, status: Record<string, unknown> = {}) => ({
  apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "default", uid: "d1" },
  spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template, ...spec }, status,
});
const owner = { apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-abc", uid: "rs1", controller: true };
const pod = (over: { spec?: Record<string, unknown>; status?: Record<string, unknown>; metadata?: Record<string, unknown> } = {}) => ({
  apiVersion: "v1", kind: "Pod", metadata: { name: "web-abc-1", namespace: "default", uid: "p1", ownerReferences: [owner], ...over.metadata },
  spec: { containers: template.spec.containers, ...over.spec }, status: { phase: "Pending", ...over.status },
});
const node = (spec: Record<string, unknown> = {}, ready = "True") => ({
  apiVersion: "v1", kind: "Node", metadata: { name: "n1", uid: "n1" }, spec,
  status: { capacity: { cpu: "4", memory: "8Gi", pods: "110" }, allocatable: { cpu: "4", memory: "8Gi", pods: "110" }, conditions: [{ type: "Ready", status: ready }] },
});

describe("recorded changes", () => {
  test("a Deployment: created, scaled by hand and deleted are exogenous; scaled by an HPA, its status and what no event carries are not", () => {
    const s = emptyState();
    expect(observe(s, "Deployment", "default/web", deployment()).events).toEqual(["DeploymentCreated exo"]);
    expect(observe(s, "Deployment", "default/web", deployment()).events).toEqual([]); // the same object again: nothing
    expect(observe(s, "Deployment", "default/web", deployment({ replicas: 5 })).events).toEqual(["DeploymentScaled exo"]);
    const image = { ...template, spec: { containers: [{ ...template.spec.containers[0], image: "nginx:1.28" }] } };
    expect(observe(s, "Deployment", "default/web", deployment({ replicas: 5, template: image })).events).toEqual(["DeploymentTemplateChanged exo"]);
    const hpa = { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: "web", namespace: "default", uid: "h1" }, spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, minReplicas: 1, maxReplicas: 10 } };
    expect(observe(s, "HorizontalPodAutoscaler", "default/web", hpa).events).toEqual(["ObjectCreated exo"]);
    expect(observe(s, "Deployment", "default/web", deployment({ replicas: 7, template: image })).events).toEqual(["DeploymentScaled endo"]);
    expect(observe(s, "Deployment", "default/web", deployment({ replicas: 7, template: image }, { replicas: 7, readyReplicas: 3 })).events).toEqual(["DeploymentStatusChanged endo"]);
    const strategy = observe(s, "Deployment", "default/web", deployment({ replicas: 7, template: image, minReadySeconds: 5 }, { replicas: 7, readyReplicas: 3 }));
    expect(strategy).toEqual({ events: [], unrecorded: ["Deployment default/web spec.minReadySeconds"] });
    expect(observe(s, "Deployment", "default/web", undefined).events).toEqual(["DeploymentRemoved exo"]);
    expect(s.deployments.size).toBe(0);
  });

  test("a controller's pod: every change endogenous; a bare pod's creation and deletion are exogenous", () => {
    const s = emptyState();
    expect(observe(s, "Pod", "default/web-abc-1", pod()).events).toEqual(["PodCreated endo"]);
    expect(observe(s, "Pod", "default/web-abc-1", pod({ spec: { nodeName: "n1" } })).events).toEqual(["PodBound endo"]);
    const running = pod({ spec: { nodeName: "n1" }, status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] } });
    expect(observe(s, "Pod", "default/web-abc-1", running).events).toEqual(["PodRunning endo", "PodReadyChanged endo"]);
    expect(s.pods.get("default/web-abc-1")?.status).toMatchObject({ phase: "Running", ready: true, scheduledMs: 1000, startedMs: 1000 });
    expect(observe(s, "Pod", "default/web-abc-1", undefined).events).toEqual(["PodRemoved endo"]);

    const bare = (metadata: Record<string, unknown> = {}) => ({ ...pod(), metadata: { name: "debug", namespace: "default", uid: "p2", ...metadata } });
    expect(observe(s, "Pod", "default/debug", bare()).events).toEqual(["PodCreated exo"]);
    expect(observe(s, "Pod", "default/debug", bare({ deletionTimestamp: "2026-01-01T00:00:00Z" })).events).toEqual(["PodDeleting exo"]);
  });

  test("a node: joining and a cordon are exogenous; Ready and the lifecycle controller's taints endogenous, a user's taint exogenous", () => {
    const s = emptyState();
    expect(observe(s, "Node", "n1", node()).events).toEqual(["NodeAdded exo"]);
    expect(observe(s, "Node", "n1", node({}, "False")).events).toEqual(["NodeReadyChanged endo"]);
    const unreachable = { taints: [{ key: "node.kubernetes.io/unreachable", effect: "NoExecute" }] };
    expect(observe(s, "Node", "n1", node(unreachable, "False")).events).toEqual(["NodeTaintsChanged endo"]);
    const dedicated = { taints: [...unreachable.taints, { key: "dedicated", value: "gpu", effect: "NoSchedule" }] };
    expect(observe(s, "Node", "n1", node(dedicated, "False")).events).toEqual(["NodeTaintsChanged exo"]);
    expect(observe(s, "Node", "n1", node({ ...dedicated, unschedulable: true }, "False")).events).toEqual(["NodeCordoned exo"]);
    expect(observe(s, "Node", "n1", undefined).events).toEqual(["NodeRemoved exo"]);
  });

  test("a lease: created endogenous; renewed only (a heartbeat): no event; its holder changed: recorded", () => {
    const s = emptyState();
    const lease = (renew: string, holder = "n1") => ({ apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "n1", namespace: "kube-node-lease", uid: "l1" }, spec: { holderIdentity: holder, leaseDurationSeconds: 40, renewTime: renew } });
    expect(observe(s, "Lease", "kube-node-lease/n1", lease("2026-01-01T00:00:00.000000Z")).events).toEqual(["LeaseRenewed endo"]);
    expect(eventsOfChange(s, "Lease", "kube-node-lease/n1", model(lease("2026-01-01T00:00:10.000000Z")))).toEqual({ events: [], unrecorded: [], heartbeat: true });
    expect(observe(s, "Lease", "kube-node-lease/n1", lease("2026-01-01T00:00:20.000000Z", "n2")).events).toEqual(["LeaseRenewed endo"]);
  });

  test("a ReplicaSet a Deployment owns: created and scaled by its controller, endogenous", () => {
    const s = emptyState();
    const rs = (replicas: number) => ({ apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "web-abc", namespace: "default", uid: "rs1", ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "d1", controller: true }] }, spec: { replicas, selector: { matchLabels: { app: "web" } }, template } });
    expect(observe(s, "ReplicaSet", "default/web-abc", rs(2)).events).toEqual(["ReplicaSetCreated endo"]);
    expect(observe(s, "ReplicaSet", "default/web-abc", rs(3)).events).toEqual(["ReplicaSetScaled endo"]);
  });

  test("the cluster's timestamps move onto the recording's clock; durations and virtual (1970) times stay", () => {
    const origin = Date.UTC(2026, 0, 1, 0, 0, 10);
    const p = rebaseTimes(structuredClone(model({ ...pod(), metadata: { ...pod().metadata, creationTimestamp: "2026-01-01T00:00:00Z" } })), origin);
    expect(p.metadata.creationMs).toBe(-10_000);
    expect(rebaseTimes({ windowMs: 300_000, startedMs: origin + 1_500, nested: [{ lastTransitionMs: origin - 60_000 }], servedMs: 45 * 60_000 }, origin)).toEqual({ windowMs: 300_000, startedMs: 1_500, nested: [{ lastTransitionMs: -60_000 }], servedMs: 45 * 60_000 });
  });
});
