/**
 * The observer's kept pod counts (PodPhaseCounts) equal a scan of the state after any sequence
 * of pod events, and check() notices a pod event it was not told about.
 */
import { fc, test } from "@fast-check/vitest";
import { expect, test as plainTest } from "vitest";
import type { ClusterEvent } from "../../src/model/cluster-event.ts";
import { evolve } from "../../src/model/evolve.ts";
import { emptyState } from "../../src/model/state.ts";
import { PodPhaseCounts, recountPods } from "../../src/sim/observe/pod-phase-counts.ts";
import { makePod } from "../policies/builders.ts";

const stepArb = fc.record({
  op: fc.constantFrom("create", "bind", "running", "ready", "unready", "deleting", "fail", "remove"),
  pod: fc.integer({ min: 0, max: 5 }),
});

function eventOf(op: string, key: string, name: string): ClusterEvent {
  switch (op) {
    case "create":
      return { kind: "PodCreated", pod: makePod().name(name).obj() };
    case "bind":
      return { kind: "PodBound", key, nodeName: "n0" };
    case "running":
      return { kind: "PodRunning", key };
    case "ready":
      return { kind: "PodReadyChanged", key, ready: true };
    case "unready":
      return { kind: "PodReadyChanged", key, ready: false };
    case "deleting":
      return { kind: "PodDeleting", key, reason: "test" };
    case "fail":
      return { kind: "PodFailed", key, reason: "test" };
    default:
      return { kind: "PodRemoved", key };
  }
}

test.prop([fc.array(stepArb, { maxLength: 60 })])("kept pod counts equal a recount after any pod events", (steps) => {
  const state = emptyState();
  const counts = new PodPhaseCounts(state);
  steps.forEach((step, atMs) => {
    const name = `p${step.pod}`;
    const pod = makePod().name(name).obj();
    const key = `${pod.metadata.namespace}/${name}`;
    const exists = state.pods.has(key);
    if ((step.op === "create") === exists) return; // the api server admits only events on live pods
    if (step.op === "bind" && state.pods.get(key)?.spec.nodeName !== undefined) return; // and binds a pod once
    evolve(state, eventOf(step.op, key, name), atMs);
    counts.onApplied(state, key);
    expect(counts.counts()).toEqual(recountPods(state));
  });
  counts.check(state);
});

plainTest("check() fails when a pod changed without onApplied", () => {
  const state = emptyState();
  const counts = new PodPhaseCounts(state);
  const pod = makePod().name("p0").obj();
  evolve(state, { kind: "PodCreated", pod }, 0);
  expect(() => counts.check(state)).toThrow(/observer counts 0 pods/);
});
