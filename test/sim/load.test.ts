/**
 * The load model: rate curves, round-robin shares over ready endpoints, Poisson arrivals from the
 * load's own stream, and the metrics pipeline's rates (a pod's CPU over the window between two
 * scrapes, the first scrape giving nothing); the scenario's `spec.load` is checked at its line.
 */
import { describe, expect, test } from "vitest";
import { Prng } from "../../src/model/prng.ts";
import { rateAt, type RateCurve } from "../../src/sim/load/load-plan.ts";
import { poisson, roundRobinShares } from "../../src/sim/load/traffic.ts";
import { formatScenarioError, loadScenarioText } from "../../src/scenario/load.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MemorySink } from "../../src/log/memory-sink.ts";
import { runScenario } from "../../src/sim/run.ts";
import type { PodMetrics } from "../../src/model/autoscaling-objects.ts";
import type { ClusterEvent } from "../../src/model/cluster-event.ts";

const min = 60_000;

describe("rate curves", () => {
  test("constant, step, spike and diurnal give the rate at a time", () => {
    expect(rateAt({ kind: "constant", requestsPerSecond: 7 }, 123)).toBe(7);
    const step: RateCurve = { kind: "step", requestsPerSecond: 10, steps: [{ atMs: 5 * min, requestsPerSecond: 20 }, { atMs: 9 * min, requestsPerSecond: 5 }] };
    expect([0, 5 * min - 1, 5 * min, 9 * min, 20 * min].map((t) => rateAt(step, t))).toEqual([10, 10, 20, 5, 5]);
    const spike: RateCurve = { kind: "spike", requestsPerSecond: 30, atMs: 10 * min, durationMs: 10 * min, factor: 10 };
    expect([10 * min - 1, 10 * min, 20 * min - 1, 20 * min].map((t) => rateAt(spike, t))).toEqual([30, 300, 300, 30]);
    const day: RateCurve = { kind: "diurnal", requestsPerSecond: 100, amplitude: 0.5, periodMs: 24 * 60 * min, peakAtMs: 14 * 60 * min };
    expect(rateAt(day, 14 * 60 * min)).toBeCloseTo(150, 9);
    expect(rateAt(day, 2 * 60 * min)).toBeCloseTo(50, 9);
  });
});

describe("round robin", () => {
  test("whole requests: equal shares, the remainder one each from the offset on, nothing lost", () => {
    expect(roundRobinShares(10, 3, 0)).toEqual([4, 3, 3]);
    expect(roundRobinShares(10, 3, 2)).toEqual([3, 3, 4]);
    expect(roundRobinShares(11, 3, 2)).toEqual([4, 3, 4]);
    for (let n = 1; n <= 7; n++) for (let q = 0; q < 30; q++) {
      const shares = roundRobinShares(q, n, q % n);
      expect(shares.reduce((a, b) => a + b, 0)).toBe(q);
      expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
    }
  });

  test("a fractional (noise-free) rate is spread evenly", () => {
    expect(roundRobinShares(7.5, 3, 1)).toEqual([2.5, 2.5, 2.5]);
  });
});

describe("Poisson arrivals", () => {
  test.each([0.5, 5, 29, 30, 300])("mean %d: the sample mean and variance are the mean", (mean) => {
    const prng = Prng.fromSeed(7).fork("load/test");
    const n = 4000;
    const xs = Array.from({ length: n }, () => poisson(prng, mean));
    const avg = xs.reduce((a, b) => a + b, 0) / n;
    const variance = xs.reduce((a, b) => a + (b - avg) ** 2, 0) / n;
    expect(Math.abs(avg - mean)).toBeLessThan(4 * Math.sqrt(mean / n) + 0.01);
    expect(Math.abs(variance - mean) / mean).toBeLessThan(0.12);
    for (const x of xs) expect(Number.isInteger(x) && x >= 0).toBe(true);
  });
});

describe("the metrics pipeline in a run", () => {
  const text = readFileSync(join(import.meta.dirname, "../../scenarios/hpa-spike.yaml"), "utf8").replace("duration: 40m", "duration: 3m").replace("at: 10m, duration: 10m", "at: 2m59s, duration: 10m");
  const loaded = loadScenarioText(text, "scenarios/hpa-spike.yaml", join(import.meta.dirname, "../../scenarios"));
  if (!loaded.ok) throw new Error(formatScenarioError(loaded.error));
  const sink = new MemorySink();
  runScenario(loaded.plan, { seed: 3, variant: "baseline", sink });
  const metrics = sink.records.flatMap((r) => {
    const e = JSON.parse(r.payload) as ClusterEvent;
    return (e.kind === "ObjectCreated" || e.kind === "ObjectUpdated") && e.object.kind === "PodMetrics" ? [{ atMs: r.atMs, exogenous: r.exogenous, m: e.object as PodMetrics }] : [];
  });

  test("PodMetrics every 15 s per running pod, endogenous, averaged over the window since the previous scrape", () => {
    expect(metrics.length).toBeGreaterThan(0);
    for (const { atMs, exogenous, m } of metrics) {
      expect(atMs % 15_000).toBe(0);
      expect(exogenous).toBe(false);
      expect(m.timestampMs).toBe(atMs);
      expect(m.windowMs).toBe(15_000);
    }
    // A pod's first scrape gives no sample: the first PodMetrics come at the second scrape after it runs.
    expect(Math.min(...metrics.map((x) => x.atMs))).toBeGreaterThanOrEqual(30_000);
    // 30 rps × 10m per request over 3 pods + 20m idle = 120m each, give or take the noise.
    const late = metrics.filter((x) => x.atMs >= 60_000).map((x) => x.m.containers[0]?.usage.cpu ?? 0);
    const avg = late.reduce((a, b) => a + b, 0) / late.length;
    expect(avg).toBeGreaterThan(110);
    expect(avg).toBeLessThan(130);
  });
});

describe("spec.load in a scenario", () => {
  const base = readFileSync(join(import.meta.dirname, "../../scenarios/hpa-spike.yaml"), "utf8");
  const load = (text: string) => loadScenarioText(text, "scenarios/hpa-spike.yaml", join(import.meta.dirname, "../../scenarios"));

  test("a load naming an unknown Service is an error at its line", () => {
    const r = load(base.replace("- service: web", "- service: shop"));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const message = formatScenarioError(r.error);
    expect(message).toContain(`no Service "default/shop" in this scenario (Services: default/web)`);
    expect(message).toContain(`:${base.split("\n").findIndex((l) => l.includes("- service: web")) + 1}:`);
  });

  test("a spike after the end of the run, or an unknown curve field, is refused", () => {
    expect(load(base.replace("at: 10m, duration: 10m", "at: 50m, duration: 10m")).ok).toBe(false);
    expect(load(base.replace("factor: 10", "factor: 10, shape: square")).ok).toBe(false);
    const ok = load(base);
    expect(ok.ok && ok.plan.load).toEqual([{ service: "default/web", curve: { kind: "spike", requestsPerSecond: 30, atMs: 10 * min, durationMs: 10 * min, factor: 10 }, noise: "poisson", cpuMilliPerRequest: 10, baseCpuMilli: 20 }]);
  });
});
