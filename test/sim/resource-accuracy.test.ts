/**
 * The accuracy score's arithmetic on hand-made load slices: under-provisioned and throttled time,
 * slack and shortfall in core-seconds and byte-seconds, slack as a share of the request, the
 * per-container split (the load shows on the first container, memory is half the request), and
 * the 10-minute buckets an expectation reads from a time on.
 */
import { describe, expect, test } from "vitest";
import { scoreOf, ResourceAccuracyObservations, accuracyBucketMs } from "../../src/sim/observe/resource-accuracy.ts";
import type { PodSliceUsage } from "../../src/sim/load/load-actor.ts";
import { clusterOf, makePod } from "../policies/builders.ts";

const pod = makePod().name("p").node("n1").containers({ cpu: 100, memory: 100e6 }, { cpu: 50 }).obj();
const slice = (usageMilli: number, demandMilli: number) => new Map<string, PodSliceUsage>([["default/p", { pod, usageMilli, demandMilli, requests: 0 }]]);

describe("resource accuracy", () => {
  const o = new ResourceAccuracyObservations(clusterOf([], [pod]));
  o.onSlice(0, 5000, slice(80, 80)); // 20m of slack
  o.onSlice(5000, 5000, slice(150, 300)); // 50m above the request, capped at a 150m limit
  o.onSlice(accuracyBucketMs, 5000, slice(100, 100)); // exactly the request, in the second bucket

  test("a bare pod's containers are keyed pod/<ns>/<name>/<container>", () => {
    expect([...o.byContainer.keys()]).toEqual(["pod/default/p/c0", "pod/default/p/c1"]);
  });

  test("the first container: half its time under-provisioned and throttled, 0.1 core-seconds of slack, 10% of the request", () => {
    const s = scoreOf(o.totalsFrom("pod/default/p/c0", 0));
    expect(s.observedHours).toBeCloseTo(15 / 3600, 12);
    expect(s.cpuUnderProvisionedPercent).toBeCloseTo(100 / 3, 10);
    expect(s.cpuThrottledPercent).toBeCloseTo(100 / 3, 10);
    expect(s.cpuSlackCoreSeconds).toBeCloseTo(0.1, 12);
    expect(s.cpuShortfallCoreSeconds).toBeCloseTo(0.25, 12);
    expect(s.cpuSlackPercent).toBeCloseTo((100 * 0.1) / 1.5, 10);
    // memory is the stand-in, half the request: never short, half of it slack
    expect([s.memoryUnderProvisionedPercent, s.memorySlackPercent, s.memorySlackByteSeconds]).toEqual([0, 50, 50e6 * 15]);
  });

  test("the second container gets none of the load: all its request is slack, never throttled", () => {
    const s = scoreOf(o.totalsFrom("pod/default/p/c1", 0));
    expect([s.cpuUnderProvisionedPercent, s.cpuThrottledPercent, s.cpuSlackPercent]).toEqual([0, 0, 100]);
    expect(s.cpuSlackCoreSeconds).toBeCloseTo(0.75, 12);
  });

  test("from the second bucket on only the last slice counts: usage equal to the request is neither under nor slack", () => {
    const s = scoreOf(o.totalsFrom("pod/default/p/c0", accuracyBucketMs));
    expect(s.observedHours).toBeCloseTo(5 / 3600, 12);
    expect([s.cpuUnderProvisionedPercent, s.cpuSlackPercent, s.cpuShortfallCoreSeconds]).toEqual([0, 0, 0]);
  });
});
