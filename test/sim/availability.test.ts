/** Availability counts from the first moment a workload had every desired replica ready. */
import { describe, expect, test } from "vitest";
import { availabilityOf } from "../../src/sim/observe/availability.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { runScenario } from "../../src/sim/run.ts";
import { smallPlan } from "./plan-fixture.ts";

const s = (atMs: number, ready: number, desired: number) => ({ atMs, ready, desired });

describe("availabilityOf", () => {
  test("the first rollout is not an outage", () => {
    expect(availabilityOf([s(0, 0, 3), s(10, 1, 3), s(20, 3, 3), s(30, 3, 3)])).toEqual({ minReadyRatio: 1, degradedMs: 0, availableFromMs: 20 });
  });

  test("a loss after the first full availability counts", () => {
    expect(availabilityOf([s(0, 0, 2), s(10, 2, 2), s(20, 1, 2), s(30, 1, 2), s(40, 2, 2)])).toEqual({ minReadyRatio: 0.5, degradedMs: 20, availableFromMs: 10 });
  });

  test("a workload that never had all its replicas ready reads 0 and says so", () => {
    expect(availabilityOf([s(0, 0, 2), s(10, 1, 2)])).toEqual({ minReadyRatio: 0, degradedMs: 0, availableFromMs: null });
  });
});

describe("a run without faults", () => {
  test("reads 100% min ready and no degraded time for every workload", () => {
    const plan = smallPlan({ nodes: 3, deployments: 4, replicas: 3, durationMs: 10 * 60_000, faults: [] });
    const { summary } = runScenario(plan, { seed: 2, variant: "baseline", sink: new MemorySink() });
    expect(summary.workloads).toHaveLength(4);
    for (const w of summary.workloads) {
      expect(w.minReadyRatio).toBe(1);
      expect(w.degradedMs).toBe(0);
      expect(w.availableFromMs).not.toBeNull();
    }
  });
});
