/**
 * The observer's workload samples stay as long as the changes they record, not as long as the run:
 * a run of equal samples keeps its first, its latest, and the first at or after each expectation's
 * start (run-observer.ts keepSample). What availability and the expectations read stays exact.
 */
import { expect, test } from "vitest";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { loadScenarioFile } from "../../src/scenario/load.ts";
import { availabilityOf } from "../../src/sim/observe/availability.ts";
import type { WorkloadSample } from "../../src/sim/observe/run-observer.ts";
import { applyVariant } from "../../src/sim/plan.ts";
import { buildWorld } from "../../src/sim/world.ts";

const same = (a: WorkloadSample, b: WorkloadSample) => a.ready === b.ready && a.desired === b.desired;

test("a long quiet stretch keeps two samples; every kept middle sample of an equal run is an expectation's first", () => {
  const loaded = loadScenarioFile("scenarios/zone-outage.yaml");
  if (!loaded.ok) throw new Error(loaded.error.message);
  const plan = { ...applyVariant(loaded.plan, "baseline"), durationMs: 6 * 3_600_000 };
  const boundaries = plan.expectations.flatMap((e) => (e.kind === "Availability" ? [e.afterMs] : []));
  const world = buildWorld(plan, 1, new MemorySink({ keepRecords: false }));
  world.engine.runUntil({ atMsMax: 3 * 3_600_000, stepsMax: 1e8 });
  const lengthsAt3h = new Map([...world.observer.workloadSamples].map(([k, l]) => [k, l.length]));
  world.engine.runUntil({ atMsMax: 6 * 3_600_000, stepsMax: 1e8 });
  for (const [key, list] of world.observer.workloadSamples) {
    // the zone outage is over long before 3h: the last three hours add no sample, only move the tail
    expect(list.length, key).toBe(lengthsAt3h.get(key));
    expect(list.at(-1)?.atMs, key).toBeGreaterThan(5.9 * 3_600_000);
    for (let i = 1; i + 1 < list.length; i++) {
      const a = list[i - 1] as WorkloadSample;
      const b = list[i] as WorkloadSample;
      const c = list[i + 1] as WorkloadSample;
      if (same(a, b) && same(b, c)) expect(boundaries.some((t) => t > a.atMs && t <= b.atMs), `${key} sample ${i}`).toBe(true);
      expect(b.atMs).toBeGreaterThanOrEqual(a.atMs);
    }
    // 10 s samples over 6 hours would be 2,160 per workload
    expect(list.length, key).toBeLessThan(100);
    const figures = availabilityOf(list);
    expect(figures.degradedMs).toBeGreaterThanOrEqual(0);
  }
});
