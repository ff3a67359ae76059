/**
 * The Job controller's parts: completion index intervals (indexed_job_utils.go), the failure
 * back-off (backoff_utils.go), the pod failure policy's matching and messages
 * (pod_failure_policy.go).
 */
import { fc, test as prop } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import type { Job, PodFailurePolicyRule } from "../../src/model/job.ts";
import type { Pod } from "../../src/model/objects.ts";
import { newBackoffRecord, remainingBackoffMs } from "../../src/policies/controllers/job-backoff.ts";
import { firstPendingIndexes, formatIntervals, parseIntervals, totalOf, withIndexes } from "../../src/policies/controllers/job-indexes.ts";
import { isPodFailed, matchPodFailurePolicy } from "../../src/policies/controllers/job-pod-failure.ts";
import { failureCountAnnotations, isIndexFailed, remainingIndexBackoffMs } from "../../src/policies/controllers/job-backoff-per-index.ts";

describe("completion indexes", () => {
  test("upstream's string form: a run of two is written with a comma, longer runs with a dash", () => {
    expect(formatIntervals(withIndexes([], [0, 2, 3, 5, 6, 7, 9]))).toBe("0,2,3,5-7,9");
    expect(formatIntervals(withIndexes(parseIntervals("1,3-5", 10), [2, 6]))).toBe("1-6");
  });
  test("parsing drops indexes at or above completions and corrupted intervals, and joins adjacent ones", () => {
    expect(parseIntervals("0,1-3,x,5-9", 7)).toEqual([{ first: 0, last: 3 }, { first: 5, last: 6 }]);
    expect(parseIntervals("", 3)).toEqual([]);
  });
  test("firstPendingIndexes skips what is succeeded or active", () => {
    expect(firstPendingIndexes(withIndexes(parseIntervals("2,4,5,7-9", 20), [0, 3]), 6, 20)).toEqual([1, 6, 10, 11, 12, 13]);
    expect(firstPendingIndexes(parseIntervals("0-2", 4), 5, 4)).toEqual([3]);
  });
  prop.prop([fc.uniqueArray(fc.nat({ max: 60 }), { maxLength: 30 })])("the string round-trips and counts each index once", (indexes) => {
    const sorted = [...indexes].sort((a, b) => a - b);
    const intervals = withIndexes([], sorted);
    expect(totalOf(intervals)).toBe(sorted.length);
    expect(parseIntervals(formatIntervals(intervals), 61)).toEqual(intervals);
  });
});

function pod(phase: Pod["status"]["phase"], finishedMs: number, extra: Partial<Pod["status"]> = {}): Pod {
  return {
    kind: "Pod",
    metadata: { name: "mypod", namespace: "default", uid: `u-${finishedMs}`, labels: {}, creationMs: 0 },
    spec: { schedulerName: "default-scheduler", restartPolicy: "Never", containers: [{ name: "main-container", requests: {}, limits: {} }] },
    status: { phase, ready: false, finishedMs, ...extra },
  };
}

describe("failure back-off", () => {
  test("10 s doubling per failure since the last success, at most 6 min, counted from the last failure", () => {
    expect(remainingBackoffMs({ failuresAfterLastSuccess: 0 }, 0)).toBe(0);
    expect(remainingBackoffMs({ failuresAfterLastSuccess: 1, lastFailureMs: 1000 }, 1000)).toBe(10_000);
    expect(remainingBackoffMs({ failuresAfterLastSuccess: 3, lastFailureMs: 0 }, 5_000)).toBe(35_000);
    expect(remainingBackoffMs({ failuresAfterLastSuccess: 12, lastFailureMs: 0 }, 0)).toBe(360_000);
    expect(remainingBackoffMs({ failuresAfterLastSuccess: 2, lastFailureMs: 0 }, 30_000)).toBe(0);
  });
  test("a success resets the count to the failures that finished after it", () => {
    const old = { failuresAfterLastSuccess: 4, lastFailureMs: 100 };
    expect(newBackoffRecord(old, [], [pod("Failed", 200), pod("Failed", 150)])).toEqual({ failuresAfterLastSuccess: 6, lastFailureMs: 200 });
    expect(newBackoffRecord(old, [pod("Succeeded", 300)], [])).toEqual({ failuresAfterLastSuccess: 0 });
    expect(newBackoffRecord(old, [pod("Succeeded", 300)], [pod("Failed", 250), pod("Failed", 400), pod("Failed", 500)])).toEqual({ failuresAfterLastSuccess: 2, lastFailureMs: 500 });
  });
});

function jobWith(rules: PodFailurePolicyRule[]): Job {
  return {
    kind: "Job",
    metadata: { name: "j", namespace: "default", uid: "j", labels: {}, creationMs: 0 },
    spec: { parallelism: 1, completions: 1, backoffLimit: 6, completionMode: "NonIndexed", suspend: false, podReplacementPolicy: "Failed", template: { labels: {}, spec: { schedulerName: "s", containers: [] } }, podFailurePolicy: { rules } },
    status: { active: 0, succeeded: 0, failed: 0, ready: 0, terminating: 0, conditions: [] },
  };
}

describe("podFailurePolicy", () => {
  const failed = pod("Failed", 10, { lastExitCode: 2 });
  test("FailJob on an exit code: upstream's message names the container, pod, code and rule index", () => {
    const job = jobWith([{ action: "Ignore", onExitCodes: { operator: "In", values: [1] } }, { action: "FailJob", onExitCodes: { operator: "In", values: [2, 3] } }]);
    expect(matchPodFailurePolicy(job, failed)).toEqual({ countFailed: true, action: "FailJob", failJobMessage: "Container main-container for pod default/mypod failed with exit code 2 matching FailJob rule at index 1" });
  });
  test("the first matching rule wins; NotIn matches other codes; 0 never matches; no match counts", () => {
    const job = jobWith([{ action: "Count", onExitCodes: { operator: "NotIn", values: [2] } }, { action: "Ignore", onExitCodes: { operator: "NotIn", values: [5] } }]);
    expect(matchPodFailurePolicy(job, failed)).toEqual({ countFailed: false, action: "Ignore" });
    expect(matchPodFailurePolicy(job, pod("Failed", 1, { lastExitCode: 0 }))).toEqual({ countFailed: true });
    expect(matchPodFailurePolicy(jobWith([{ action: "Ignore", onExitCodes: { containerName: "other", operator: "In", values: [2] } }]), failed)).toEqual({ countFailed: true });
  });
  test("onPodConditions: a pod deleted by the taint manager has DisruptionTarget=True", () => {
    const evicted = pod("Failed", 10, { reason: "DeletionByTaintManager" });
    const job = jobWith([{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }]);
    expect(matchPodFailurePolicy(job, evicted)).toEqual({ countFailed: false, action: "Ignore" });
    expect(matchPodFailurePolicy(jobWith([{ action: "FailJob", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }]), evicted).failJobMessage).toBe(
      "Pod default/mypod has condition DisruptionTarget matching FailJob rule at index 0",
    );
  });
  test("isPodFailed: a deleted pod counts as failed unless only failed pods are replaced", () => {
    const deleting = pod("Running", 0);
    deleting.metadata.deletionMs = 5;
    const job = jobWith([]);
    expect(isPodFailed(deleting, job)).toBe(false);
    delete job.spec.podFailurePolicy;
    job.spec.podReplacementPolicy = "TerminatingOrFailed";
    expect(isPodFailed(deleting, job)).toBe(true);
  });
});

describe("backoffLimitPerIndex parts", () => {
  const withCount = (n: number, extra: Partial<Pod["status"]> = {}) => {
    const p = pod("Failed", 100, { lastExitCode: 3, ...extra });
    p.metadata.annotations = { "batch.kubernetes.io/job-index-failure-count": String(n) };
    return p;
  };
  test("an index fails once a counted failure happens with its failure count at the limit, or on a FailIndex rule", () => {
    const job = jobWith([{ action: "Ignore", onExitCodes: { operator: "In", values: [7] } }]);
    job.spec.backoffLimitPerIndex = 2;
    expect(isIndexFailed(job, withCount(1))).toBe(false);
    expect(isIndexFailed(job, withCount(2))).toBe(true);
    expect(isIndexFailed(job, withCount(5, { lastExitCode: 7 }))).toBe(false); // ignored failures never fail the index
    const failIndex = jobWith([{ action: "FailIndex", onExitCodes: { operator: "In", values: [3] } }]);
    failIndex.spec.backoffLimitPerIndex = 2;
    expect(isIndexFailed(failIndex, withCount(0))).toBe(true);
  });
  test("the replacement counts the replaced pod's failure (or its ignored failure); the back-off counts from its finish", () => {
    const job = jobWith([{ action: "Ignore", onExitCodes: { operator: "In", values: [7] } }]);
    expect(failureCountAnnotations(job, undefined)).toEqual({ "batch.kubernetes.io/job-index-failure-count": "0" });
    expect(failureCountAnnotations(job, withCount(1))).toEqual({ "batch.kubernetes.io/job-index-failure-count": "2" });
    expect(failureCountAnnotations(job, withCount(1, { lastExitCode: 7 }))).toEqual({ "batch.kubernetes.io/job-index-failure-count": "1", "batch.kubernetes.io/job-index-ignored-failure-count": "1" });
    expect(remainingIndexBackoffMs(withCount(1), 100)).toBe(20_000);
    expect(remainingIndexBackoffMs(undefined, 100)).toBe(0);
  });
});
