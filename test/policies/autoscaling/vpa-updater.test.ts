/**
 * The VPA updater's pure parts, with the cases of upstream's tests (vertical-pod-autoscaler/pkg/
 * updater): priority/priority_processor_test.go TestGetUpdatePriority, priority/
 * update_priority_calculator_test.go (TestSortPriority…TestLessPodPriority, with the fake
 * processor's priorities given directly), restriction/pods_restriction_factory_test.go
 * TestDisruptReplicatedByController and restriction/pods_eviction_restriction_test.go
 * (TestEvictTooFewReplicas, TestEvictionTolerance, TestEvictAtLeastOne). CPU in millicores
 * ("2" = 2000), memory in bytes ("10M" = 10,000,000).
 */
import { describe, expect, test } from "vitest";
import type { VpaContainerRecommendation } from "../../../src/model/autoscaling-objects.ts";
import type { Pod, ResourceList } from "../../../src/model/objects.ts";
import { canEvict, evictionRestrictionOf, recordEviction } from "../../../src/policies/autoscaling/vpa/eviction-restriction.ts";
import { acceptsUpdate, defaultUpdateConfig, isQuickOom, priorityLess, sortedByPriority, updatePriorityOf, type PodPriority } from "../../../src/policies/autoscaling/vpa/update-priority.ts";
import { makePod } from "../builders.ts";

const M = 1_000_000;
const cores = (n: number) => n * 1000;

function rec(containerName: string, target: ResourceList, lowerBound: ResourceList = {}, upperBound: ResourceList = {}): VpaContainerRecommendation {
  return { containerName, target, lowerBound, upperBound, uncappedTarget: target };
}

describe("GetUpdatePriority (priority_processor_test.go TestGetUpdatePriority)", () => {
  const one = (requests: ResourceList) => makePod().name("POD1").containers(requests).obj();
  const two = (a: ResourceList, b: ResourceList) => makePod().name("POD1").containers(a, b).obj();
  test.each([
    ["simple scale up", one({ cpu: cores(2) }), [rec("c0", { cpu: cores(10) })], { outsideRecommendedRange: false, resourceDiff: 4, scaleUp: true }],
    ["simple scale down", one({ cpu: cores(4) }), [rec("c0", { cpu: cores(2) })], { outsideRecommendedRange: false, resourceDiff: 0.5, scaleUp: false }],
    ["no resource diff", one({ cpu: cores(2) }), [rec("c0", { cpu: cores(2) })], { outsideRecommendedRange: false, resourceDiff: 0, scaleUp: false }],
    ["scale up on milliquanitites", one({ cpu: 10 }), [rec("c0", { cpu: 900 })], { outsideRecommendedRange: false, resourceDiff: 89, scaleUp: true }],
    ["scale up outside recommended range", one({ cpu: cores(4) }), [rec("c0", { cpu: cores(10) }, { cpu: cores(6) }, { cpu: cores(14) })], { outsideRecommendedRange: true, resourceDiff: 1.5, scaleUp: true }],
    ["scale down outside recommended range", one({ cpu: cores(8) }), [rec("c0", { cpu: cores(2) }, { cpu: cores(1) }, { cpu: cores(3) })], { outsideRecommendedRange: true, resourceDiff: 0.75, scaleUp: false }],
    ["multiple resources, both scale up", one({ cpu: cores(3), memory: 10 * M }), [rec("c0", { cpu: cores(6), memory: 20 * M })], { outsideRecommendedRange: false, resourceDiff: 2, scaleUp: true }],
    ["multiple resources, only one scale up", one({ cpu: cores(4), memory: 10 * M }), [rec("c0", { cpu: cores(2), memory: 20 * M })], { outsideRecommendedRange: false, resourceDiff: 1.5, scaleUp: true }],
    ["multiple resources, both scale down", one({ cpu: cores(4), memory: 20 * M }), [rec("c0", { cpu: cores(2), memory: 10 * M })], { outsideRecommendedRange: false, resourceDiff: 1, scaleUp: false }],
    ["multiple resources, one outside recommended range", one({ cpu: cores(4), memory: 20 * M }), [rec("c0", { cpu: cores(2), memory: 10 * M }, { cpu: cores(1), memory: 5 * M }, { cpu: cores(3), memory: 30 * M })], { outsideRecommendedRange: true, resourceDiff: 1, scaleUp: false }],
    ["multiple containers, both scale up", two({ cpu: cores(1) }, { cpu: cores(2) }), [rec("c0", { cpu: cores(4) }), rec("c1", { cpu: cores(8) })], { outsideRecommendedRange: false, resourceDiff: 3, scaleUp: true }],
    ["multiple containers, both scale down", two({ cpu: cores(3) }, { cpu: cores(7) }), [rec("c0", { cpu: cores(1) }), rec("c1", { cpu: cores(2) })], { outsideRecommendedRange: false, resourceDiff: 0.7, scaleUp: false }],
    ["multiple containers, both scale up, one outside range", two({ cpu: cores(1) }, { cpu: cores(2) }), [rec("c0", { cpu: cores(4) }, { cpu: cores(1) }), rec("c1", { cpu: cores(8) }, { cpu: cores(3) }, { cpu: cores(10) })], { outsideRecommendedRange: true, resourceDiff: 3, scaleUp: true }],
    ["multiple containers, multiple resources", two({ cpu: cores(6), memory: 10 * M }, { cpu: cores(4), memory: 30 * M }), [rec("c0", { cpu: cores(8), memory: 20 * M }), rec("c1", { cpu: cores(7), memory: 30 * M })], { outsideRecommendedRange: false, resourceDiff: 0.75, scaleUp: true }],
  ] as const)("%s", (_name, pod, recommendations, expected) => {
    const p = updatePriorityOf(pod, recommendations);
    expect({ ...p, resourceDiff: Math.round(p.resourceDiff * 1e9) / 1e9 }).toEqual(expected);
  });

  test("no recommendation for the container: no priority (TestGetUpdatePriority_NoRecommendationForContainer)", () => {
    expect(updatePriorityOf(makePod().containers({ cpu: cores(5), memory: 10 }).obj(), [])).toEqual({ outsideRecommendedRange: false, scaleUp: false, resourceDiff: 0 });
  });

  test("a recommended resource without a request is outside the range and a scale-up", () => {
    expect(updatePriorityOf(makePod().containers({ cpu: cores(1) }).obj(), [rec("c0", { cpu: cores(1), memory: 10 * M })])).toMatchObject({ outsideRecommendedRange: true, scaleUp: true });
  });
});

describe("UpdatePriorityCalculator (update_priority_calculator_test.go)", () => {
  const hourMs = 3_600_000;
  const startedMs = 0;
  type Case = { name: string; priority: PodPriority };
  const pods = (list: [string, Partial<PodPriority>][]): Case[] => list.map(([name, p]) => ({ name, priority: { outsideRecommendedRange: false, scaleUp: false, resourceDiff: 0, ...p } }));
  const accepted = (cases: Case[], nowMs: number, minChangePriority: number, quickOom = false) =>
    sortedByPriority(cases.filter((c) => acceptsUpdate(c.priority, startedMs, quickOom, nowMs, { ...defaultUpdateConfig, minChangePriority }))).map((c) => c.name);

  test("TestSortPriority: larger resource diff first", () => {
    expect(accepted(pods([["POD1", { resourceDiff: 4 }], ["POD2", { resourceDiff: 1.5 }], ["POD3", { resourceDiff: 9 }], ["POD4", { resourceDiff: 2.33 }]]), 24 * hourMs, 0.1)).toEqual(["POD3", "POD1", "POD4", "POD2"]);
  });

  test("TestSortPriorityResourcesDecrease: a scale-up before larger scale-downs", () => {
    expect(accepted(pods([["POD1", { scaleUp: true, resourceDiff: 0.25 }], ["POD2", { resourceDiff: 0.25 }], ["POD3", { resourceDiff: 0.5 }]]), 24 * hourMs, 0.1)).toEqual(["POD1", "POD3", "POD2"]);
  });

  test("TestUpdateNotRequired: no diff, no update", () => {
    expect(accepted(pods([["POD1", { resourceDiff: 0 }]]), 24 * hourMs, 0.1)).toEqual([]);
  });

  test("TestUpdateLonglivedPods: after 13 h, outside the range or a diff ≥ MinChangePriority", () => {
    const cases = pods([["POD1", { scaleUp: true, resourceDiff: 0.25 }], ["POD2", { scaleUp: true, resourceDiff: 4 }], ["POD3", { outsideRecommendedRange: true, resourceDiff: 0.25 }]]);
    expect(accepted(cases, 13 * hourMs, 0.5)).toEqual(["POD2", "POD3"]);
  });

  test("TestUpdateShortlivedPods: before 12 h, only outside the range", () => {
    const cases = pods([["POD1", { scaleUp: true, resourceDiff: 0.25 }], ["POD2", { scaleUp: true, resourceDiff: 0 }], ["POD3", { outsideRecommendedRange: true, resourceDiff: 0.9 }]]);
    expect(accepted(cases, 11 * hourMs, 0.5)).toEqual(["POD3"]);
  });

  const nowMs = 11 * hourMs;
  const oom = (ranMin: number) => ({ reason: "OOMKilled", startedMs: nowMs - (3 + ranMin) * 60_000, finishedMs: nowMs - 3 * 60_000 });

  test("TestUpdatePodWithQuickOOM: an OOM 2 min after start updates a short-lived pod", () => {
    const quick = isQuickOom(oom(2), defaultUpdateConfig.evictAfterOomThresholdMs);
    expect(quick).toBe(true);
    expect(accepted(pods([["POD1", { scaleUp: true, resourceDiff: 0.25 }]]), nowMs, 0.5, quick)).toEqual(["POD1"]);
  });

  test("TestDontUpdatePodWithQuickOOMNoResourceChange", () => {
    expect(accepted(pods([["POD1", { scaleUp: true, resourceDiff: 0 }]]), nowMs, 0.1, isQuickOom(oom(2), defaultUpdateConfig.evictAfterOomThresholdMs))).toEqual([]);
  });

  test("TestDontUpdatePodWithOOMAfterLongRun: an OOM after 57 min is not quick", () => {
    const quick = isQuickOom(oom(57), defaultUpdateConfig.evictAfterOomThresholdMs);
    expect(quick).toBe(false);
    expect(accepted(pods([["POD1", { scaleUp: true, resourceDiff: 0 }]]), nowMs, 0.5, quick)).toEqual([]);
  });

  test("a termination that is not an OOM kill is not quick OOM", () => {
    expect(isQuickOom({ ...oom(2), reason: "Error" }, defaultUpdateConfig.evictAfterOomThresholdMs)).toBe(false);
  });

  test("a pod without a start time is updated only outside the range", () => {
    const p: PodPriority = { outsideRecommendedRange: false, scaleUp: true, resourceDiff: 5 };
    expect(acceptsUpdate(p, undefined, false, 24 * hourMs, defaultUpdateConfig)).toBe(false);
    expect(acceptsUpdate({ ...p, outsideRecommendedRange: true }, undefined, false, 0, defaultUpdateConfig)).toBe(true);
  });

  test.each([
    ["scale down more than empty", { scaleUp: false, resourceDiff: 0.1 }, {}, false],
    ["scale up more than empty", { scaleUp: true, resourceDiff: 0.1 }, {}, false],
    ["two scale ups", { scaleUp: true, resourceDiff: 0.1 }, { scaleUp: true, resourceDiff: 1 }, true],
    ["two scale downs", { scaleUp: false, resourceDiff: 0.9 }, { scaleUp: false, resourceDiff: 0.1 }, false],
  ] as const)("TestLessPodPriority: %s", (_name, prio, other, isLess) => {
    const full = (p: Partial<PodPriority>): PodPriority => ({ outsideRecommendedRange: false, scaleUp: false, resourceDiff: 0, ...p });
    expect(priorityLess(full(prio), full(other))).toBe(isLess);
    expect(priorityLess(full(other), full(prio))).toBe(!isLess);
  });
});

describe("eviction restriction (pods_restriction_factory_test.go TestDisruptReplicatedByController)", () => {
  let index = 0;
  const pod = (phase: "Running" | "Pending" = "Running"): Pod => {
    const p = makePod().name(`test-${++index}`).node("n1").obj();
    p.status.phase = phase;
    p.metadata.ownerReferences = [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: "rs-uid", controller: true }];
    return p;
  };
  const running = (n: number) => Array.from({ length: n }, () => pod());

  /** canEvict for each pod first, then Evict one after the other (CanEvict, then count it). */
  function run(pods: Pod[], replicas: number, tolerance: number, minReplicas = 2) {
    const r = evictionRestrictionOf(pods, () => replicas, minReplicas, tolerance);
    const can = pods.map((p) => canEvict(r, p));
    const evicted = pods.map((p) => {
      if (!canEvict(r, p)) return false;
      recordEviction(r, p);
      return true;
    });
    return { can, evicted };
  }

  test.each([
    ["Evict only first pod (half of 3).", running(3), 3, 0.5, [true, true, true], [true, false, false]],
    ["Evict two pods (half of 4).", running(4), 4, 0.5, [true, true, true, true], [true, true, false, false]],
    ["Half of the population can be evicted. One pod is missing already.", running(3), 4, 0.5, [true, true, true], [true, false, false]],
    ["For small eviction tolerance at least one pod is evicted.", running(3), 3, 0.1, [true, true, true], [true, false, false]],
    ["Only 2 pods in replica of 3 and tolerance is 0. None of pods can be evicted.", running(2), 3, 0.1, [false, false], [false, false]],
    ["Only pending pod can be evicted without violation of tolerance.", [pod(), pod("Pending"), pod()], 3, 0.5, [false, true, false], [false, true, false]],
    ["Pending pods are always evictable.", [pod(), pod("Pending"), pod("Pending"), pod("Pending")], 4, 0.5, [false, true, true, true], [false, true, true, true]],
    ["Cannot evict a single Pod under default settings.", running(1), 1, 0.5, [false], [false]],
  ] as const)("%s", (_name, pods, replicas, tolerance, can, evicted) => {
    expect(run([...pods], replicas, tolerance)).toEqual({ can, evicted });
  });

  test("Can evict even a single Pod using PodUpdatePolicy.MinReplicas.", () => {
    expect(run(running(1), 1, 0.5, 1)).toEqual({ can: [true], evicted: [true] });
  });

  test("TestEvictTooFewReplicas: 5 live pods, min replicas 10: none", () => {
    expect(run(running(5), 5, 0.5, 10).evicted).toEqual([false, false, false, false, false]);
  });

  test("TestEvictionTolerance: tolerance 0.8 of 5 evicts 4", () => {
    expect(run(running(5), 5, 0.8)).toEqual({ can: [true, true, true, true, true], evicted: [true, true, true, true, false] });
  });

  test("TestEvictAtLeastOne: tolerance 0.1 of 5 still evicts 1", () => {
    expect(run(running(5), 5, 0.1)).toEqual({ can: [true, true, true, true, true], evicted: [true, false, false, false, false] });
  });

  test("a pod without a controller, or whose controller's replicas cannot be read, is never evicted", () => {
    const orphan = makePod().name("orphan").node("n1").obj();
    const r = evictionRestrictionOf([orphan, ...running(3)], () => undefined, 2, 0.5);
    expect(canEvict(r, orphan)).toBe(false);
    expect(r.groups.size).toBe(0);
  });
});
