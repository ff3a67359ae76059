/**
 * scenarios/llm-inference-trace.yaml: real request arrivals (the Azure LLM inference trace) as a
 * load curve, and the HPA following them. The numbers its header gives, measured here.
 */
import { describe, expect, it } from "vitest";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { loadScenarioFile } from "../../src/scenario/load.ts";
import { runScenario } from "../../src/sim/run.ts";

const loaded = loadScenarioFile("scenarios/llm-inference-trace.yaml");
if (!loaded.ok) throw new Error(loaded.error.message);
const plan = loaded.plan;
const run = (variant: string) => runScenario(plan, { seed: plan.seed, variant, sink: new MemorySink({ keepRecords: false }) }).summary;
const runningAt = (s: ReturnType<typeof run>, atMs: number) => [...s.series].reverse().find((p) => p.atMs <= atMs)?.running;

describe("llm-inference-trace: the Azure code trace's arrivals behind an HPA", () => {
  it("the curve is the trace counted in 30 s windows, ×20: 116 steps, mean ≈ 51 requests/s, bursts to 336, nothing after 57m30s", () => {
    const curve = plan.load?.[0]?.curve;
    expect(curve?.kind).toBe("step");
    if (curve?.kind !== "step") return;
    const rates = curve.steps.map((s) => s.requestsPerSecond);
    expect(curve.steps.length).toBe(116);
    expect(Math.max(...rates)).toBe(336);
    expect(rates.reduce((a, b) => a + b, 0) / rates.length).toBeCloseTo(50.7, 0);
    // 8,819 arrivals: every one of them is in some window (rate × 30 s / 20)
    expect(rates.reduce((a, b) => a + (b * 30) / 20, 0)).toBeCloseTo(8819, 6);
    expect(curve.steps.at(-1)).toEqual({ atMs: 3_450_000, requestsPerSecond: 0 });
  });

  const baseline = run("baseline");
  it("baseline: the replicas follow the bursts up to the 20-pod ceiling and down to 3; the last burst leaves 12 at 1h (the downscale window)", () => {
    const peak = Math.max(...baseline.series.map((p) => p.running));
    expect(peak).toBe(20);
    expect(runningAt(baseline, 5 * 60_000 + 10_000)).toBe(15);
    expect(Math.min(...baseline.series.filter((p) => p.atMs > 45 * 60_000 && p.atMs < 55 * 60_000).map((p) => p.running))).toBe(3);
    expect(runningAt(baseline, 58 * 60_000 + 30_000)).toBe(12);
    expect(baseline.workloads[0]).toMatchObject({ ready: 12, desired: 12 });
    const t = baseline.traffic?.[0];
    expect(t !== undefined && t.droppedRequests / t.offeredRequests).toBeLessThan(0.001);
  });

  it("tuned ends at the minimum after the trace ends; fixed keeps its 8 pods throughout", () => {
    expect(run("tuned").workloads[0]).toMatchObject({ ready: 2, desired: 2 });
    const fixed = run("fixed");
    expect(new Set(fixed.series.filter((p) => p.atMs > 60_000).map((p) => p.running))).toEqual(new Set([8]));
  });
});
