/** Trace lifecycles beside the twin's pods: owners found through the run's events, pods paired in start order. */
import { expect, test } from "vitest";
import { compareLifecycles } from "../../src/import/lifecycle-comparison.ts";
import { twinPodLifecycles } from "../../src/import/twin-pod-lifecycles.ts";
import type { ClusterEvent } from "../../src/model/cluster-event.ts";

const meta = (name: string, uid: string, owner?: { kind: string; name: string; uid: string }) => ({
  name, namespace: "default", uid, labels: {}, creationMs: 0, ...(owner ? { ownerReferences: [{ ...owner, controller: true }] } : {}),
});

test("a CronJob's pods are found through its Jobs; start Δ pairs pods in start order; run times from start to exit", () => {
  const e = (atMs: number, event: unknown) => ({ atMs, event: event as ClusterEvent });
  const events = [
    e(0, { kind: "ObjectCreated", object: { kind: "CronJob", metadata: meta("hello", "c1") } }),
    e(60_000, { kind: "ObjectCreated", object: { kind: "Job", metadata: meta("hello-1", "j1", { kind: "CronJob", name: "hello", uid: "c1" }) } }),
    e(60_010, { kind: "PodCreated", pod: { metadata: meta("hello-1-a", "p1", { kind: "Job", name: "hello-1", uid: "j1" }) } }),
    e(64_000, { kind: "PodRunning", key: "default/hello-1-a" }),
    e(94_000, { kind: "ContainerExited", key: "default/hello-1-a", exitCode: 0, phase: "Succeeded", backOffMs: 0 }),
    e(120_000, { kind: "ObjectCreated", object: { kind: "Job", metadata: meta("hello-2", "j2", { kind: "CronJob", name: "hello", uid: "c1" }) } }),
    e(120_010, { kind: "PodCreated", pod: { metadata: meta("hello-2-a", "p2", { kind: "Job", name: "hello-2", uid: "j2" }) } }),
    e(126_000, { kind: "PodRunning", key: "default/hello-2-a" }),
    e(150_000, { kind: "PodRemoved", key: "default/hello-2-a" }),
    e(130_000, { kind: "PodCreated", pod: { metadata: meta("bare", "p3") } }),
  ];
  const twin = twinPodLifecycles(events);
  expect([...twin.keys()].sort()).toEqual(["CronJob/default/hello", "Pod/default/bare"]);
  const originS = 1_000;
  const rows = compareLifecycles(
    [
      { ownerGvk: "batch/v1.CronJob", owner: "default/hello", bySpecHash: [{ podSpecHash: 1n, lifecycles: [{ kind: "Finished", startS: 1_121, endS: 1_151 }, { kind: "Finished", startS: 1_061, endS: 1_091 }, { kind: "Running", startS: 1_181 }] }] },
      { ownerGvk: "apps/v1.Deployment", owner: "default/web", bySpecHash: [{ podSpecHash: 2n, lifecycles: [{ kind: "Running", startS: 1_005 }] }] },
    ],
    originS,
    twin,
  );
  expect(rows).toEqual([
    // trace starts 61 s, 121 s, 181 s; twin 64 s, 126 s: Δ +3 s, +5 s
    { owner: "CronJob default/hello", podSpecs: 1, tracePods: 3, twinPods: 2, paired: 2, startDeltaMsMedian: 3000, startDeltaMsMin: 3000, startDeltaMsMax: 5000, traceRunMsMedian: 30_000, twinRunMsMedian: 24_000 },
    { owner: "Deployment default/web", podSpecs: 1, tracePods: 1, twinPods: 0, paired: 0, startDeltaMsMedian: undefined, startDeltaMsMin: undefined, startDeltaMsMax: undefined, traceRunMsMedian: undefined, twinRunMsMedian: undefined },
  ]);
});
