/**
 * Fidelity: every case of the upstream-derived HPA vectors (test/fixtures/vectors/hpa.json, copied
 * unchanged from the team's shared vectors, each case naming its upstream test in `source`) through
 * the twin's HPA functions. The harness follows the vectors' README: 2 containers per pod, tolerance
 * 0.1, cpu initialization 120 s, initial readiness delay 10 s, zero-time transitions and samples,
 * a 60 s metric window.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import type { HorizontalPodAutoscaler } from "../../src/model/autoscaling-objects.ts";
import {
  limitLegacy, limitWithBehavior, replicasChangePerPeriod, scaleDownLimit, scaleUpLimit, stabilizeLegacy, stabilizeWithBehavior, storeScaleEvent, type ScaleEvent,
} from "../../src/policies/autoscaling/hpa/behavior.ts";
import { hpaDefaults, type ResolvedRules } from "../../src/policies/autoscaling/hpa/defaults.ts";
import type { HpaPod, PodMetric } from "../../src/policies/autoscaling/hpa/pod-groups.ts";
import { perPodValueReplicas, plainMetricReplicas, resourceReplicas, valueReplicas, type CalcResult } from "../../src/policies/autoscaling/hpa/replica-calculator.ts";
import { emptyHistory, recordRescale, syncHpa } from "../../src/policies/autoscaling/hpa/sync.ts";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

const file = JSON.parse(readFileSync(new URL("../fixtures/vectors/hpa.json", import.meta.url), "utf8")) as Json;
const cases = file.cases as Json[];
const nowMs = 10_000_000_000;
const tolerances = { scaleUp: 0.1, scaleDown: 0.1 };
const timing = { nowMs, cpuInitializationPeriodMs: 120_000, delayOfInitialReadinessStatusMs: 10_000 };
const startMs: Record<string, number> = { default: 0, hot: nowMs, cool: nowMs - 180_000 };

function podsOf(input: Json): HpaPod[] {
  const perPod = input.containersPerPod ?? 2;
  return (input.pods as Json[]).map((p) => ({
    name: p.name,
    phase: p.phase,
    deleting: p.deleting,
    readyCondition: { ready: p.ready, lastTransitionMs: 0 },
    startMs: startMs[p.start],
    containers: Array.from({ length: perPod }, (_, i) => ({
      name: `container-${i}`,
      requests: p.requestMilliCpuPerContainer === null || p.requestMilliCpuPerContainer === undefined ? {} : { [input.resource ?? "cpu"]: p.requestMilliCpuPerContainer },
    })),
  }));
}

function sample(valueMilli: number): PodMetric {
  return { valueMilli, timestampMs: 0, windowMs: 60_000 };
}

/** Resource samples: the pod's containers summed, reported under the pod's name (or the names the case gives). */
function resourceMetrics(input: Json): Map<string, PodMetric> {
  const out = new Map<string, PodMetric>();
  const names: string[] | undefined = input.metricsReportedForPodNames;
  for (const [i, p] of (input.pods as Json[]).entries()) {
    if (p.usageMilliCpuPerContainer === null) continue;
    out.set(names?.[i] ?? p.name, sample(p.usageMilliCpuPerContainer * (input.containersPerPod ?? 2)));
  }
  return out;
}

function podMetrics(input: Json): Map<string, PodMetric> {
  const out = new Map<string, PodMetric>();
  for (const [i, v] of (input.metricMilliPerPod as (number | null)[]).entries()) if (v !== null) out.set(input.pods[i].name, sample(v));
  return out;
}

function calculate(c: Json): CalcResult {
  const input = c.input;
  const pods = podsOf(input);
  const current = input.currentReplicas;
  switch (c.metricKind) {
    case "Resource":
      return resourceReplicas({ currentReplicas: current, resource: input.resource, container: "", pods, metrics: resourceMetrics(input), tolerances, timing }, input.targetAverageUtilizationPercent);
    case "Pods":
      return plainMetricReplicas({ currentReplicas: current, resource: "", pods, metrics: podMetrics(input), tolerances, timing }, input.targetAverageValueMilli);
    case "Object":
      return valueReplicas({ currentReplicas: current, pods, tolerances }, input.objectMetricMilli, input.targetValueMilli);
    case "ObjectPerPod":
      return perPodValueReplicas(current, input.objectMetricMilli, input.targetAverageValueMilli, tolerances);
    case "External":
      return valueReplicas({ currentReplicas: current, pods, tolerances }, sum(input.externalMetricMilliValues), input.targetValueMilli);
    case "ExternalPerPod":
      return perPodValueReplicas(current, sum(input.externalMetricMilliValues), input.targetAverageValueMilli, tolerances);
    default:
      throw new Error(`unknown metricKind ${String(c.metricKind)}`);
  }
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function rulesOf(r: Json, windowDefault: number): ResolvedRules {
  return { stabilizationWindowSeconds: r.stabilizationWindowSeconds ?? windowDefault, selectPolicy: r.selectPolicy, policies: r.policies, tolerance: 0.1 };
}

function eventsOf(list: Json[] | undefined): ScaleEvent[] {
  return (list ?? []).map((e) => ({ replicaChange: e.replicaChange, atMs: nowMs - e.ageSeconds * 1000, outdated: e.outdated ?? false }));
}

function recsOf(list: Json[]) {
  return list.map((r) => ({ replicas: r.replicas, atMs: nowMs - r.ageSeconds * 1000 }));
}

const byCategory = (name: string) => cases.filter((c) => c.category === name);

describe("replica calculation", () => {
  test.each(byCategory("replica-calculation").map((c) => [c.id, c]))("%s", (_id, c) => {
    const r = calculate(c);
    if (c.expected.error !== undefined) {
      expect(r.ok).toBe(false);
      return;
    }
    expect(r).toMatchObject({ ok: true, replicas: c.expected.replicas });
    if (!r.ok) return;
    if (c.metricKind === "Resource") {
      expect(r.usage).toBe(c.expected.utilizationPercent);
      expect(r.rawAverageMilli).toBe(c.expected.rawAverageMilliCpuPerPod);
    } else {
      expect(r.usage).toBe(c.expected.utilization);
    }
  });
});

describe("behavior rate limits", () => {
  test.each(byCategory("behavior-rate-limit").map((c) => [c.id, c]))("%s", (_id, c) => {
    const i = c.input;
    const behavior = { scaleUp: rulesOf(i.scaleUp, 0), scaleDown: rulesOf(i.scaleDown, 300) };
    const r = limitWithBehavior({
      current: i.currentReplicas, desired: i.prenormalizedDesiredReplicas, minReplicas: i.minReplicas, maxReplicas: i.maxReplicas,
      upEvents: eventsOf(i.scaleUpEvents), downEvents: eventsOf(i.scaleDownEvents), behavior, nowMs,
    });
    expect({ replicas: r.replicas, condition: r.reason }).toEqual({ replicas: c.expected.replicas, condition: c.expected.condition });
  });

  test.each(byCategory("behavior-limit-function").map((c) => [c.id, c]))("%s", (_id, c) => {
    const i = c.input;
    const fn = c.function === "calculateScaleUpLimitWithScalingRules" ? scaleUpLimit : scaleDownLimit;
    expect(fn(i.currentReplicas, eventsOf(i.scaleUpEvents), eventsOf(i.scaleDownEvents), rulesOf(i.rules, 0), nowMs)).toBe(c.expected.limit);
  });
});

describe("legacy rules (no behavior)", () => {
  test.each(byCategory("legacy-rate-limit").map((c) => [c.id, c]))("%s", (_id, c) => {
    const i = c.input;
    const r = limitLegacy(i.currentReplicas, i.desiredReplicas, i.minReplicas, i.maxReplicas);
    expect({ replicas: r.replicas, condition: r.reason }).toEqual({ replicas: c.expected.replicas, condition: c.expected.condition });
  });

  test.each(byCategory("legacy-stabilization").map((c) => [c.id, c]))("%s", (_id, c) => {
    const i = c.input;
    const log = recsOf(i.recommendations);
    expect(stabilizeLegacy(log, i.prenormalizedDesiredReplicas, i.downscaleStabilizationWindowSeconds * 1000, nowMs)).toBe(c.expected.stabilizedReplicas);
    expect(log.length).toBe(c.expected.recommendationLogLength);
  });
});

describe("stabilization and the event store", () => {
  test.each(byCategory("behavior-stabilization").map((c) => [c.id, c]))("%s", (_id, c) => {
    const i = c.input;
    const log = recsOf(i.recommendations);
    const behavior = {
      scaleUp: { stabilizationWindowSeconds: i.scaleUpStabilizationWindowSeconds, selectPolicy: "Max" as const, policies: [], tolerance: 0.1 },
      scaleDown: { stabilizationWindowSeconds: i.scaleDownStabilizationWindowSeconds, selectPolicy: "Max" as const, policies: [], tolerance: 0.1 },
    };
    expect(stabilizeWithBehavior(log, i.currentReplicas, i.prenormalizedDesiredReplicas, behavior, nowMs).replicas).toBe(c.expected.stabilizedReplicas);
    if (c.expected.storedRecommendationValuesInOrder !== undefined) expect(log.map((r) => r.replicas)).toEqual(c.expected.storedRecommendationValuesInOrder);
  });

  test.each(byCategory("behavior-event-store").map((c) => [c.id, c]))("%s", (_id, c) => {
    const i = c.input;
    const events = eventsOf(i.previousEvents);
    expect(replicasChangePerPeriod(60, events, nowMs)).toBe(c.expected.replicasChangeInLast60s);
    if (!i.behaviorIsNil) storeScaleEvent(events, i.replicaChange, rulesOf(i.rules, 0), nowMs);
    expect(events.map((e) => ({ replicaChange: e.replicaChange, outdated: e.outdated }))).toEqual(c.expected.eventsAfterStore);
  });
});

describe("controller clamps", () => {
  test.each(byCategory("controller-clamp").map((c) => [c.id, c]))("%s", (_id, c) => {
    const i = c.input;
    const hpa: HorizontalPodAutoscaler = {
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "hpa", namespace: "default", uid: "u", labels: {}, creationMs: 0 },
      spec: { scaleTargetRef: { kind: "Deployment", name: "d" }, minReplicas: i.minReplicas, maxReplicas: i.maxReplicas, metrics: [] },
      status: { currentReplicas: i.statusReplicas, desiredReplicas: 0, currentMetrics: [], conditions: [] },
    };
    const noMetrics = { resource: () => new Map(), pods: () => undefined, object: () => undefined, external: () => undefined };
    const history = emptyHistory();
    const r = syncHpa({ hpa, scale: { ok: true, specReplicas: i.specReplicas, statusReplicas: i.statusReplicas, selector: { matchLabels: { a: "b" } } }, pods: [], metrics: noMetrics, history, nowMs, options: hpaDefaults });
    expect(r.desiredReplicas).toBe(c.expected.desiredReplicas);
    expect(r.rescale).toBe(true);
    const status = recordRescale(hpa, r, history, nowMs, hpaDefaults);
    const [type, rest] = (c.expected.condition as string).split("=");
    const [condStatus, reason] = (rest ?? "").split(" ");
    expect(status.conditions.find((x) => x.type === type)).toMatchObject({ status: condStatus, reason });
  });
});

/** The team's shared vectors sit beside the repository (../shared), or beside the worktrees' folder. */
function sharedVectors(): string | undefined {
  for (const up of ["../../../shared/vectors/hpa.json", "../../../../shared/vectors/hpa.json"]) {
    try {
      return readFileSync(new URL(up, import.meta.url), "utf8");
    } catch {
      // not there: try the next place
    }
  }
  return undefined;
}

const shared = sharedVectors();

test("every case ran", () => {
  const ran = ["replica-calculation", "behavior-rate-limit", "behavior-limit-function", "legacy-rate-limit", "legacy-stabilization", "behavior-stabilization", "behavior-event-store", "controller-clamp"];
  expect(cases.filter((c) => !ran.includes(c.category))).toEqual([]);
  expect(cases.length).toBe(74);
  expect(cases.every((c) => c.source !== undefined)).toBe(true);
});

test.skipIf(shared === undefined)("the fixture is the shared vector file, unchanged (skipped: ../shared/vectors/hpa.json is not beside the repository)", () => {
  expect(readFileSync(new URL("../fixtures/vectors/hpa.json", import.meta.url), "utf8")).toBe(shared);
});
