/**
 * The wiring the simulator's scheduler actor follows, as a given-when-then script: pop → scheduleOne
 * → bind (done) or onPodUnschedulable; cluster events re-queue parked pods; timers at nextWakeMs.
 */
import { expect, test } from "vitest";
import { evolve } from "../../src/model/evolve.ts";
import { Prng } from "../../src/model/prng.ts";
import type { ClusterState } from "../../src/model/state.ts";
import { add, createSchedulingQueue, done, nextWakeMs, onClusterEvent, onPodUnschedulable, pop, queueSizes, type SchedulingQueue } from "../../src/policies/scheduling/queue.ts";
import { createScheduler, type Scheduler } from "../../src/policies/scheduling/scheduler.ts";
import { clusterOf, makeNode, makePod } from "./builders.ts";

/** Drains the active queue at `nowMs`, applying binds to the state. Returns the bound keys. */
function drain(state: ClusterState, q: SchedulingQueue, scheduler: Scheduler, nowMs: number): string[] {
  const bound: string[] = [];
  for (let entry = pop(q, nowMs); entry !== undefined; entry = pop(q, nowMs)) {
    const r = scheduler.scheduleOne(state, entry.key, Prng.fromSeed(7).fork(entry.key));
    if (r.kind === "Bind") {
      evolve(state, { kind: "PodBound", key: entry.key, nodeName: r.nodeName }, nowMs);
      done(q, entry.key);
      bound.push(entry.key);
    } else {
      onPodUnschedulable(q, entry.key, nowMs, r.explanation.rejectedPlugins);
    }
  }
  return bound;
}

test("pending pods wait for capacity and are scheduled, highest priority first, when a node joins", () => {
  const state = clusterOf([makeNode().name("n1").cpuMilli(1000).memoryMi(2048).obj()]);
  const scheduler = createScheduler({ profiles: [] });
  const q = createSchedulingQueue({ less: scheduler.framework("default-scheduler")?.queueSort.less });
  const pods = [makePod().name("low").priority(1).cpuMilli(800).obj(), makePod().name("high").priority(10).cpuMilli(800).obj(), makePod().name("mid").priority(5).cpuMilli(800).obj()];
  for (const pod of pods) {
    evolve(state, { kind: "PodCreated", pod }, 0);
    add(q, { key: `default/${pod.metadata.name}`, priority: pod.spec.priority ?? 0 }, 0);
  }
  expect(drain(state, q, scheduler, 0)).toEqual(["default/high"]);
  expect(queueSizes(q).unschedulable).toBe(2);
  expect(nextWakeMs(q)).toBe(300_000); // nothing to do until the 5-minute flush

  evolve(state, { kind: "NodeAdded", node: makeNode().name("n2").cpuMilli(1000).memoryMi(2048).obj() }, 500);
  onClusterEvent(q, "NodeAdded", 500);
  expect(drain(state, q, scheduler, 500)).toEqual([]); // still backing off (1 s after the first attempt)
  expect(nextWakeMs(q)).toBe(1000);
  expect(drain(state, q, scheduler, 1000)).toEqual(["default/mid"]);
  expect(queueSizes(q)).toEqual({ active: 0, backoff: 0, unschedulable: 1, inFlight: 0 });
});
