/**
 * One HPA sync (syncHpa, after upstream reconcileAutoscaler) in the cases the vectors do not
 * cover: a target scaled to zero disables autoscaling, a count outside [min, max] goes to the
 * bound without reading metrics, an invalid metric is skipped unless the valid ones would scale
 * down, a scale without selector is InvalidSelector, and the first sync records the current
 * count as the initial recommendation.
 */
import { describe, expect, test } from "vitest";
import type { HorizontalPodAutoscaler, HpaMetricSpec } from "../../src/model/autoscaling-objects.ts";
import type { LabelSelector } from "../../src/model/objects.ts";
import { hpaDefaults } from "../../src/policies/autoscaling/hpa/defaults.ts";
import type { MetricsSource } from "../../src/policies/autoscaling/hpa/metric-proposals.ts";
import type { HpaPod, PodMetric } from "../../src/policies/autoscaling/hpa/pod-groups.ts";
import { emptyHistory, syncHpa, type ScaleRead } from "../../src/policies/autoscaling/hpa/sync.ts";

const nowMs = 3_600_000;
const cpu50: HpaMetricSpec = { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } };
const queue: HpaMetricSpec = { type: "External", external: { metric: { name: "queue" }, target: { type: "Value", valueMilli: 10_000 } } };

function hpa(metrics: HpaMetricSpec[], minReplicas = 2, maxReplicas = 10): HorizontalPodAutoscaler {
  return {
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "web", namespace: "default", uid: "h", labels: {}, creationMs: 0 },
    spec: { scaleTargetRef: { kind: "Deployment", name: "web" }, minReplicas, maxReplicas, metrics },
    status: { currentReplicas: 4, desiredReplicas: 4, currentMetrics: [], conditions: [] },
  };
}

function pods(n: number): HpaPod[] {
  return Array.from({ length: n }, (_, i) => ({ name: `p${i}`, phase: "Running", deleting: false, readyCondition: { ready: true, lastTransitionMs: 0 }, startMs: 0, containers: [{ name: "c", requests: { cpu: 100 } }] }));
}

function source(cpuMilliPerPod: number | undefined, queueMilli?: number): MetricsSource {
  return {
    resource: () => new Map<string, PodMetric>(cpuMilliPerPod === undefined ? [] : Array.from({ length: 4 }, (_, i) => [`p${i}`, { valueMilli: cpuMilliPerPod, timestampMs: nowMs, windowMs: 15_000 }])),
    pods: () => undefined,
    object: () => undefined,
    external: () => (queueMilli === undefined ? undefined : [queueMilli]),
  };
}

const scale = (specReplicas: number, selector: LabelSelector | undefined = { matchLabels: { app: "web" } }): ScaleRead => ({ ok: true, specReplicas, statusReplicas: specReplicas, selector });

function sync(h: HorizontalPodAutoscaler, s: ScaleRead, m: MetricsSource, history = emptyHistory()) {
  return syncHpa({ hpa: h, scale: s, pods: pods(4), metrics: m, history, nowMs, options: hpaDefaults });
}

const condition = (r: ReturnType<typeof sync>, type: string) => r.status.conditions.find((c) => c.type === type);

describe("HPA sync", () => {
  test("a target at zero replicas is not autoscaled (ScalingActive=False ScalingDisabled)", () => {
    const r = sync(hpa([cpu50]), scale(0), source(400));
    expect(r.rescale).toBe(false);
    expect(condition(r, "ScalingActive")).toMatchObject({ status: "False", reason: "ScalingDisabled", message: "scaling is disabled since the replica count of the target is zero" });
  });

  test("outside [min, max] the bound wins and no metric is read", () => {
    let read = 0;
    const counting: MetricsSource = { ...source(400), resource: () => (read++, new Map()) };
    expect(sync(hpa([cpu50]), scale(12), counting)).toMatchObject({ rescale: true, desiredReplicas: 10, rescaleReason: "Current number of replicas above Spec.MaxReplicas" });
    expect(sync(hpa([cpu50]), scale(1), counting)).toMatchObject({ rescale: true, desiredReplicas: 2, rescaleReason: "Current number of replicas below Spec.MinReplicas" });
    expect(read).toBe(0);
  });

  test("an invalid metric is skipped when another proposes a scale-up, and blocks a scale-down", () => {
    // cpu 400m of 100m = 400 % of a 50 % target → ceil(8 × 4) = 32, legacy cap max(8, 4) = 8; the queue metric is missing.
    const up = sync(hpa([cpu50, queue]), scale(4), source(400));
    expect(up).toMatchObject({ rescale: true, desiredReplicas: 8, recommendation: 32, limitedBy: "ScaleUpLimit" });
    expect(up.metrics.map((m) => m.error === undefined)).toEqual([true, false]);
    expect(condition(up, "ScalingActive")).toMatchObject({ status: "True", reason: "ValidMetricFound" });
    // cpu 10 % → would scale down to 1: with an invalid metric the HPA refuses to act on it.
    const down = sync(hpa([cpu50, queue]), scale(4), source(10));
    expect(down.rescale).toBe(false);
    expect(condition(down, "ScalingActive")).toMatchObject({ status: "False", reason: "FailedGetExternalMetric" });
    expect(down.desiredReplicas).toBe(4); // the status's desired count stays what it was
  });

  test("the largest proposal wins across metrics", () => {
    // cpu 60 % → ceil(1.2 × 4) = 5; queue 30 / 10 = 3 over 4 ready pods → 12, capped at 10 (TooManyReplicas).
    const r = sync(hpa([cpu50, queue], 2, 10), scale(4), source(60, 30_000));
    expect(r.metrics.map((m) => m.replicas)).toEqual([5, 12]);
    expect(r).toMatchObject({ recommendation: 12, desiredReplicas: 8, limitedBy: "ScaleUpLimit" });
    expect(sync(hpa([cpu50, queue], 2, 6), scale(4), source(60, 30_000))).toMatchObject({ desiredReplicas: 6, limitedBy: "TooManyReplicas" });
  });

  test("a scale without selector is InvalidSelector; the first sync logs the current count as a recommendation", () => {
    const r = sync(hpa([cpu50]), { ok: true, specReplicas: 4, statusReplicas: 4, selector: undefined }, source(100));
    expect(condition(r, "ScalingActive")).toMatchObject({ status: "False", reason: "InvalidSelector", message: "the HPA target's scale is missing a selector" });
    const history = emptyHistory();
    sync(hpa([cpu50]), scale(4), source(25), history);
    // [initial 4 at now, the 25 % proposal 2 at now]: the legacy window keeps 4.
    expect(history.recommendations).toEqual([{ replicas: 4, atMs: nowMs }, { replicas: 2, atMs: nowMs }]);
  });
});
