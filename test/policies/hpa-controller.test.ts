/**
 * The HPA controller in the one controller pattern: its first sync one period after the HPA
 * appears (upstream's fixed-interval queue), then every 15 s; a rescale is one ScaleDeployment
 * decision based on the Deployment's version, and the status (SucceededRescale, lastScaleTime,
 * the scale event stored) follows the write's answer; a failed write gives FailedUpdateScale;
 * missing metrics give ScalingActive=False with upstream's reason; a deleted HPA stops its loop.
 */
import { describe, expect, test } from "vitest";
import type { HorizontalPodAutoscaler, PodMetrics } from "../../src/model/autoscaling-objects.ts";
import type { Decision } from "../../src/model/decision.ts";
import { evolve } from "../../src/model/evolve.ts";
import type { Deployment } from "../../src/model/objects.ts";
import { Prng } from "../../src/model/prng.ts";
import { emptyState, type ClusterState } from "../../src/model/state.ts";
import { storedObjectsOf } from "../../src/model/stored-objects.ts";
import { horizontalPodAutoscalerController, type HpaControllerState } from "../../src/policies/controllers/horizontal-pod-autoscaler.ts";
import { makePod } from "./builders.ts";

const c = horizontalPodAutoscalerController();
const key = "default/web";
const prng = Prng.fromSeed(1);

function deployment(replicas: number): Deployment {
  return {
    kind: "Deployment",
    metadata: { name: "web", namespace: "default", uid: "d-web", labels: {}, creationMs: 0 },
    spec: {
      replicas,
      selector: { matchLabels: { app: "web" } },
      template: { labels: { app: "web" }, spec: { schedulerName: "default-scheduler", containers: [{ name: "web", requests: { cpu: 200 }, limits: {} }] } },
      strategy: { type: "RollingUpdate", maxSurge: "25%", maxUnavailable: "25%" },
    },
    status: { replicas, readyReplicas: replicas, availableReplicas: replicas },
  };
}

function hpa(behavior?: HorizontalPodAutoscaler["spec"]["behavior"]): HorizontalPodAutoscaler {
  return {
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "web", namespace: "default", uid: "h-web", labels: {}, creationMs: 0 },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } }],
      ...(behavior !== undefined ? { behavior } : {}),
    },
    status: { currentReplicas: 0, desiredReplicas: 0, currentMetrics: [], conditions: [] },
  };
}

function podMetrics(name: string, cpuMilli: number, atMs: number): PodMetrics {
  return { kind: "PodMetrics", metadata: { name, namespace: "default", uid: "", labels: {}, creationMs: atMs }, timestampMs: atMs, windowMs: 15_000, containers: [{ name: "web", usage: { cpu: cpuMilli } }] };
}

/** 2 ready web pods started long ago, each using `cpuMilli` (with `metrics`), and the HPA. */
function world(cpuMilli: number | undefined, behavior?: HorizontalPodAutoscaler["spec"]["behavior"]): ClusterState {
  const s = emptyState();
  evolve(s, { kind: "NamespaceCreated", namespace: { kind: "Namespace", metadata: { name: "default", namespace: "", uid: "ns", labels: {}, creationMs: 0 } } }, 0);
  evolve(s, { kind: "DeploymentCreated", deployment: deployment(2) }, 0);
  const names = ["web-1", "web-2"];
  for (const name of names) {
    const pod = makePod().name(name).label("app", "web").cpuMilli(200).obj();
    pod.metadata.uid = `uid-${name}`;
    evolve(s, { kind: "PodCreated", pod }, 0);
  }
  for (const name of names) evolve(s, { kind: "PodRunning", key: `default/${name}` }, 1000);
  for (const name of names) evolve(s, { kind: "PodReadyChanged", key: `default/${name}`, ready: true }, 2000);
  if (cpuMilli !== undefined) for (const name of names) evolve(s, { kind: "ObjectCreated", object: podMetrics(name, cpuMilli, 600_000) }, 600_000);
  evolve(s, { kind: "ObjectCreated", object: hpa(behavior) }, 600_000);
  return s;
}

function created(s: ClusterState, state: HpaControllerState) {
  const hpaObject = storedObjectsOf(s, "HorizontalPodAutoscaler").get(key) as HorizontalPodAutoscaler;
  return c.observe(s, state, { kind: "ObjectCreated", object: hpaObject });
}

/** Applies the decisions as the api server would (status writes and scales), returning the answers' decisions. */
function apply(s: ClusterState, state: HpaControllerState, decisions: Decision[], atMs: number, ok = true): Decision[] {
  const out: Decision[] = [];
  for (const d of decisions) {
    if (ok && d.kind === "ScaleDeployment") evolve(s, { kind: "DeploymentScaled", key: d.key, replicas: d.replicas }, atMs);
    if (ok && d.kind === "UpdateObjectStatus") evolve(s, { kind: "ObjectStatusChanged", objectKind: d.objectKind, key: d.key, status: d.status }, atMs);
    const r = c.onResult(s, state, d, ok ? { ok } : { ok, reason: "409 Conflict" }, atMs, prng);
    out.push(...r.decisions);
  }
  return out;
}

const hpaOf = (s: ClusterState) => storedObjectsOf(s, "HorizontalPodAutoscaler").get(key) as HorizontalPodAutoscaler;

describe("HPA controller", () => {
  test("a new HPA is synced one period later, then every 15 s", () => {
    const s = world(100);
    const state = c.initialState();
    expect(created(s, state).keys).toEqual([key]);
    const first = c.reconcile(s, state, key, 600_000, prng);
    expect(first.decisions).toEqual([]);
    expect(first.requeue).toEqual([{ key, afterMs: 15_000 }]);
    expect(c.reconcile(s, state, key, 605_000, prng)).toMatchObject({ decisions: [], requeue: [] }); // an early wake-up changes nothing
    const second = c.reconcile(s, state, key, 615_000, prng);
    expect(second.requeue).toEqual([{ key, afterMs: 15_000 }]);
    // 100m of 200m = 50 %, the target: no scale, a status write only.
    expect(second.decisions.map((d) => d.kind)).toEqual(["UpdateObjectStatus"]);
  });

  test("high usage scales the Deployment's scale subresource, then writes SucceededRescale with the last scale time", () => {
    const s = world(300); // 150 % of the 50 % target → ceil(3 × 2) = 6, capped by the legacy max(2 × 2, 4) = 4
    const state = c.initialState();
    created(s, state);
    c.reconcile(s, state, key, 600_000, prng);
    const r = c.reconcile(s, state, key, 615_000, prng);
    expect(r.decisions).toEqual([{ kind: "ScaleDeployment", id: expect.stringContaining("hpa-scale/default/web/default/web/"), key, replicas: 4, basedOnVersion: s.deployments.get(key)?.metadata.resourceVersion }]);
    const after = apply(s, state, r.decisions, 615_010);
    expect(after.map((d) => d.kind)).toEqual(["UpdateObjectStatus"]);
    apply(s, state, after, 615_020);
    const status = hpaOf(s).status;
    expect(status).toMatchObject({ currentReplicas: 2, desiredReplicas: 4, lastScaleMs: 615_010 });
    expect(status.conditions.map((x) => [x.type, x.status, x.reason])).toEqual([
      ["AbleToScale", "True", "SucceededRescale"],
      ["ScalingActive", "True", "ValidMetricFound"],
      ["ScalingLimited", "True", "ScaleUpLimit"],
    ]);
    expect(s.deployments.get(key)?.spec.replicas).toBe(4);
  });

  test("with behavior the scale event is remembered and limits the next step", () => {
    const behavior = { scaleUp: { policies: [{ type: "Pods" as const, value: 1, periodSeconds: 60 }] } };
    const s = world(300, behavior);
    const state = c.initialState();
    created(s, state);
    c.reconcile(s, state, key, 600_000, prng);
    const first = c.reconcile(s, state, key, 615_000, prng);
    expect(first.decisions[0]).toMatchObject({ kind: "ScaleDeployment", replicas: 3 });
    apply(s, state, apply(s, state, first.decisions, 615_000), 615_000);
    expect(state.histories.get(key)?.scaleUpEvents).toEqual([{ replicaChange: 1, atMs: 615_000, outdated: false }]);
    // 15 s later: the 60 s period still holds the +1, so periodStart = 3 − 1 = 2 and the limit is 3: no scale.
    const second = c.reconcile(s, state, key, 630_000, prng);
    expect(second.decisions.map((d) => d.kind)).toEqual(["UpdateObjectStatus"]);
  });

  test("a failed scale write gives AbleToScale=False FailedUpdateScale and stores no event", () => {
    const s = world(300, {});
    const state = c.initialState();
    created(s, state);
    c.reconcile(s, state, key, 600_000, prng);
    const r = c.reconcile(s, state, key, 615_000, prng);
    const after = apply(s, state, r.decisions, 615_000, false);
    apply(s, state, after, 615_000);
    expect(hpaOf(s).status.conditions.find((x) => x.type === "AbleToScale")).toMatchObject({ status: "False", reason: "FailedUpdateScale", message: "the HPA controller was unable to update the target scale: 409 Conflict" });
    expect(state.histories.get(key)?.scaleUpEvents).toEqual([]);
    expect(s.deployments.get(key)?.spec.replicas).toBe(2);
  });

  test("without metrics: ScalingActive=False FailedGetResourceMetric, no scale", () => {
    const s = world(undefined);
    const state = c.initialState();
    created(s, state);
    c.reconcile(s, state, key, 600_000, prng);
    const r = c.reconcile(s, state, key, 615_000, prng);
    apply(s, state, r.decisions, 615_000);
    const active = hpaOf(s).status.conditions.find((x) => x.type === "ScalingActive");
    expect(active).toMatchObject({ status: "False", reason: "FailedGetResourceMetric" });
    expect(active?.message).toBe("the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API");
  });

  test("a missing target: AbleToScale=False FailedGetScale; a deleted HPA ends its loop and its history", () => {
    const s = world(100);
    s.deployments.delete(key);
    const state = c.initialState();
    created(s, state);
    c.reconcile(s, state, key, 600_000, prng);
    const r = c.reconcile(s, state, key, 615_000, prng);
    apply(s, state, r.decisions, 615_000);
    expect(hpaOf(s).status.conditions[0]).toMatchObject({ type: "AbleToScale", status: "False", reason: "FailedGetScale", message: `the HPA controller was unable to get the target's current scale: deployments.apps "web" not found` });
    evolve(s, { kind: "ObjectDeleted", objectKind: "HorizontalPodAutoscaler", key }, 620_000);
    expect(c.reconcile(s, state, key, 630_000, prng)).toMatchObject({ decisions: [], requeue: [] });
    expect(state.histories.has(key)).toBe(false);
  });
});
