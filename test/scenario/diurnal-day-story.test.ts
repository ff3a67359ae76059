/**
 * scenarios/diurnal-day.yaml: a day of real bursts (the Azure LLM conversation trace, looped under
 * a diurnal envelope) and three autoscaling policies. The figures its header gives, on its seed.
 */
import { describe, expect, it } from "vitest";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { loadScenarioFile } from "../../src/scenario/load.ts";
import { runScenario } from "../../src/sim/run.ts";

const loaded = loadScenarioFile("scenarios/diurnal-day.yaml");
if (!loaded.ok) throw new Error(loaded.error.message);
const plan = loaded.plan;
const run = (variant: string) => runScenario(plan, { seed: plan.seed, variant, sink: new MemorySink({ keepRecords: false }) }).summary;
const runningAt = (s: ReturnType<typeof run>, hours: number) => [...s.series].reverse().find((p) => p.atMs <= hours * 3_600_000)?.running;

describe("diurnal-day: cluster autoscaler, provisioner and a tuned HPA on a day of real bursts", () => {
  const baseline = run("baseline");
  const provisioner = run("provisioner");
  const tuned = run("tuned-hpa");

  it("the load follows the envelope: about 220 requests/s on average, the replicas low at night and high at the 14h peak", () => {
    const t = baseline.traffic?.[0];
    expect((t?.offeredRequests ?? 0) / 86_400).toBeGreaterThan(200);
    expect((t?.offeredRequests ?? 0) / 86_400).toBeLessThan(240);
    expect(runningAt(baseline, 2)).toBeLessThanOrEqual(5);
    expect(runningAt(baseline, 14)).toBeGreaterThanOrEqual(25);
    expect(runningAt(baseline, 24)).toBeLessThanOrEqual(8);
    expect(Math.max(...baseline.series.map((p) => p.running))).toBe(40);
    expect(baseline.nodeGroups?.find((g) => g.pool === "general")?.nodesPeak).toBe(8);
  });

  it("the provisioner is cheaper by about a fifth, at the price of churn: more pods created, longer degraded", () => {
    const cost = (s: typeof baseline) => s.nodeCost ?? 0;
    expect(cost(baseline)).toBeCloseTo(13.5, 0);
    expect(cost(provisioner)).toBeCloseTo(10.5, 0);
    expect(cost(provisioner) / cost(baseline)).toBeLessThan(0.85);
    expect(provisioner.podsCreated).toBeGreaterThan(baseline.podsCreated);
    const degraded = (s: typeof baseline) => s.workloads.find((w) => w.key === "default/chat")?.degradedMs ?? 0;
    expect(degraded(provisioner)).toBeGreaterThan(degraded(baseline));
  });

  it("the tuned HPA drops more requests to full queues and costs no less", () => {
    expect(tuned.traffic?.[0]?.droppedSaturatedRequests ?? 0).toBeGreaterThan(baseline.traffic?.[0]?.droppedSaturatedRequests ?? 0);
    expect(tuned.traffic?.[0]?.droppedRequests ?? 0).toBeGreaterThan(baseline.traffic?.[0]?.droppedRequests ?? 0);
    expect(tuned.nodeCost ?? 0).toBeGreaterThanOrEqual(baseline.nodeCost ?? 0);
    expect([baseline, provisioner, tuned].every((s) => s.expectations.every((e) => e.passed))).toBe(true);
  });
});
