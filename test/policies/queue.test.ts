import { describe, expect, test } from "vitest";
import {
  add,
  backoffDurationMs,
  createSchedulingQueue,
  done,
  flush,
  nextWakeMs,
  onClusterEvent,
  onPodError,
  onPodUnschedulable,
  pop,
  queueSizes,
} from "../../src/policies/scheduling/queue.ts";

describe("scheduling queue", () => {
  test("pops by priority, then by queue time, then by key", () => {
    const q = createSchedulingQueue();
    add(q, { key: "ns/late-low", priority: 0 }, 20);
    add(q, { key: "ns/early-low", priority: 0 }, 10);
    add(q, { key: "ns/high", priority: 100 }, 30);
    add(q, { key: "ns/b-low", priority: 0 }, 10);
    expect([pop(q, 40), pop(q, 40), pop(q, 40), pop(q, 40)].map((e) => e?.key)).toEqual(["ns/high", "ns/b-low", "ns/early-low", "ns/late-low"]);
    expect(pop(q, 40)).toBeUndefined();
  });

  test("backoff doubles from 1 s to at most 10 s per attempt", () => {
    const q = createSchedulingQueue();
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDurationMs(q, a))).toEqual([1000, 2000, 4000, 8000, 10000, 10000]);
  });

  test("an unschedulable pod waits for a useful event, then backs off before it is retried", () => {
    const q = createSchedulingQueue();
    add(q, { key: "ns/p", priority: 0 }, 0);
    expect(pop(q, 0)?.key).toBe("ns/p");
    onPodUnschedulable(q, "ns/p", 100, ["NodeResourcesFit"]);
    expect(queueSizes(q).unschedulable).toBe(1);
    onClusterEvent(q, "PodBound", 200); // cannot help a resource-fit rejection
    expect(queueSizes(q).unschedulable).toBe(1);
    onClusterEvent(q, "NodeAdded", 300); // attempt 1 → backoff until 100 + 1000
    expect(queueSizes(q).backoff).toBe(1);
    expect(pop(q, 1099)).toBeUndefined();
    expect(nextWakeMs(q)).toBe(1100);
    const again = pop(q, 1100);
    expect(again?.key).toBe("ns/p");
    expect(again?.attempts).toBe(2);
  });

  test("an event during the pod's own cycle sends it to backoff, not to the unschedulable pool", () => {
    const q = createSchedulingQueue();
    add(q, { key: "ns/p", priority: 0 }, 0);
    pop(q, 0);
    onClusterEvent(q, "PodRemoved", 5);
    onPodUnschedulable(q, "ns/p", 10);
    expect(queueSizes(q)).toEqual({ active: 0, backoff: 1, unschedulable: 0, inFlight: 0 });
  });

  test("pods parked for 5 minutes are flushed back; bound or deleted pods are dropped", () => {
    const q = createSchedulingQueue();
    add(q, { key: "ns/p", priority: 0 }, 0);
    add(q, { key: "ns/q", priority: 0 }, 0);
    pop(q, 0);
    onPodUnschedulable(q, "ns/p", 0);
    flush(q, 299_999);
    expect(queueSizes(q).unschedulable).toBe(1);
    flush(q, 300_000);
    expect(queueSizes(q).unschedulable).toBe(0);
    done(q, "ns/q");
    expect(pop(q, 300_000)?.key).toBe("ns/p");
    onPodError(q, "ns/p", 300_000);
    expect(nextWakeMs(q)).toBe(302_000);
    done(q, "ns/p");
    expect(queueSizes(q)).toEqual({ active: 0, backoff: 0, unschedulable: 0, inFlight: 0 });
  });
});
