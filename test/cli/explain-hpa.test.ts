/**
 * `kubetwin explain hpa`: the example input's JSON and text are a contract (the golden files are
 * checked in; this test never writes them), the numbers follow upstream's replica calculator and
 * behavior rules (worked by hand in the comments), and bad input names the field.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { explainHpa, formatHpaExplanation } from "../../src/cli/explain-hpa.ts";

const dir = new URL("../fixtures/explain/", import.meta.url);
const example = () => JSON.parse(readFileSync(new URL("hpa-spike.json", dir), "utf8"));

describe("explain hpa", () => {
  test("hpa-spike: JSON and text match the golden files", () => {
    const result = explainHpa(example());
    expect(JSON.stringify(result, null, 2) + "\n").toBe(readFileSync(new URL("hpa-spike.golden.json", dir), "utf8"));
    expect(formatHpaExplanation(result, 3)).toBe(readFileSync(new URL("hpa-spike.golden.txt", dir), "utf8"));
    expect(Object.keys(result)).toEqual(["desiredReplicas", "recommendation", "stabilizedRecommendation", "limitedBy", "metrics", "conditions"]);
  });

  test("the cpu proposal counts the starting pod as 0 on a scale-up; the Pods metric does not look at readiness", () => {
    const r = explainHpa(example());
    // web-a 900m + web-b 950m over 400m requested = 462 %; web-c (25 s old, unready) is set to 0:
    // 1850m / 600m = 308 % → ratio 5.13 → ceil(5.13 × 3) = 16.
    expect(r.metrics[0]).toEqual({ type: "Resource", name: "cpu", replicas: 16, utilizationPercent: 462, averageValue: "925m" });
    // (140 + 150 + 2) / 3 = 97.333 → ratio 1.95 → ceil(1.95 × 3) = 6.
    expect(r.metrics[1]).toMatchObject({ replicas: 6, averageValue: "97333m" });
    expect(r.metrics[2]?.error).toContain("queue_depth");
    // The largest proposal wins; the scale-up policy (4 pods per 60 s) allows 3 + 4 = 7.
    expect(r).toMatchObject({ recommendation: 16, stabilizedRecommendation: 16, desiredReplicas: 7, limitedBy: "ScaleUpLimit" });
  });

  test("recent scale-ups use up the policy's budget; without behavior the legacy cap applies", () => {
    const input = example();
    input.history.scaleUpEvents = [{ timestamp: "2026-01-01T12:09:30Z", replicaChange: 3 }];
    // periodStart = 3 - 3 = 0 → limit 0 + 4 = 4.
    expect(explainHpa(input)).toMatchObject({ desiredReplicas: 4, limitedBy: "ScaleUpLimit" });
    delete input.hpa.spec.behavior;
    // max(2 × 3, 4) = 6.
    expect(explainHpa(input)).toMatchObject({ desiredReplicas: 6, limitedBy: "ScaleUpLimit" });
  });

  test("a scale-down inside the stabilization window keeps the highest recent recommendation", () => {
    const input = example();
    input.podMetrics = input.podMetrics.map((m: { containers: { usage: { cpu: string } }[] }) => ({ ...m, containers: [{ ...m.containers[0], usage: { cpu: "30m", memory: "1Mi" } }] }));
    input.hpa.spec.metrics = [input.hpa.spec.metrics[0]];
    input.hpa.status.currentReplicas = 10;
    input.history.recommendations = [{ timestamp: "2026-01-01T12:07:00Z", replicas: 9 }];
    const r = explainHpa(input);
    expect(r.stabilizedRecommendation).toBe(9);
    expect(r.desiredReplicas).toBe(9);
    expect(r.conditions.find((c) => c.type === "AbleToScale")).toMatchObject({ reason: "ScaleDownStabilized" });
    input.options = { downscaleStabilizationWindow: "1m" };
    expect(explainHpa(input).stabilizedRecommendation).toBeLessThan(9);
  });

  test("bad input names the field", () => {
    const input = example();
    input.hpa.spec.maxReplicas = 0;
    expect(() => explainHpa(input)).toThrow(/^hpa: spec\.maxReplicas: /);
    const noTime = example();
    noTime.now = "yesterday";
    expect(() => explainHpa(noTime)).toThrow(/^input: now: expected a time/);
    const badMetric = example();
    badMetric.podMetrics[0].containers[0].usage.cpu = "lots";
    expect(() => explainHpa(badMetric)).toThrow(/podMetrics\[0\]\.containers\[0\]\.usage\.cpu: expected a quantity/);
  });
});
