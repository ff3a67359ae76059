/** Node pools as node groups (autoscaling, price, provisioning delay, spot) and `parameters.clusterAutoscaler`: decoded and checked. */
import { describe, expect, test } from "vitest";
import { loadText, validScenario } from "./helpers.ts";
import type { ScenarioError } from "../../src/scenario/load.ts";
import { applyVariant } from "../../src/sim/plan.ts";
import { makeNode } from "../../src/sim/world.ts";

const pool = `      - name: pool
        count: 3
        zones: [zone-a, zone-b]
        allocatable: {cpu: "4", memory: 16Gi}
`;

function withPool(extra: string, count = 3): string {
  expect(validScenario.split(pool)).toHaveLength(2);
  return validScenario.replace(pool, pool.replace("count: 3", `count: ${count}`) + extra);
}

function errorOf(text: string): ScenarioError {
  const result = loadText(text);
  if (result.ok) throw new Error("expected an error, the scenario loaded");
  return result.error;
}

function planOf(text: string) {
  const result = loadText(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.plan;
}

describe("node groups", () => {
  test("autoscaling, price, a provisioning delay range and spot reach the plan; spot nodes are labelled", () => {
    const plan = planOf(withPool("        autoscaling: {minCount: 1, maxCount: 8}\n        pricePerHour: 0.45\n        provisioningDelay: {min: 30s, max: 2m}\n        spot: true\n"));
    const p = plan.nodePools[0];
    expect(p).toMatchObject({ autoscaling: { minCount: 1, maxCount: 8 }, pricePerHour: 0.45, provisioningDelayMs: { minMs: 30_000, maxMs: 120_000 }, spot: true });
    expect(makeNode(p!, 0).metadata.labels["kubetwin.io/spot"]).toBe("true");
    expect(planOf(withPool("        provisioningDelay: 90s\n")).nodePools[0]?.provisioningDelayMs).toEqual({ minMs: 90_000, maxMs: 90_000 });
  });

  test("an autoscaled pool may start empty; a fixed one may not", () => {
    const spare = withPool("      - {name: spare, count: 0, allocatable: {cpu: '2', memory: 8Gi}, autoscaling: {minCount: 0, maxCount: 4}}\n");
    expect(planOf(spare).nodePools[1]).toMatchObject({ name: "spare", count: 0, autoscaling: { minCount: 0, maxCount: 4 } });
    const e = errorOf(withPool("", 0));
    expect(e).toMatchObject({ path: "spec.cluster.nodePools[0].count", message: "expected a value greater than or equal to 1, got 0" });
  });

  test("minCount ≤ count ≤ maxCount, with the field named", () => {
    expect(errorOf(withPool("        autoscaling: {minCount: 5, maxCount: 4}\n"))).toMatchObject({ path: "spec.cluster.nodePools[0].autoscaling.minCount", message: "expected minCount (5) ≤ maxCount (4)" });
    expect(errorOf(withPool("        autoscaling: {minCount: 4, maxCount: 6}\n"))).toMatchObject({ path: "spec.cluster.nodePools[0].count", message: "expected count (3) ≥ autoscaling.minCount (4)" });
    expect(errorOf(withPool("        autoscaling: {minCount: 1, maxCount: 2}\n"))).toMatchObject({ path: "spec.cluster.nodePools[0].count", message: "expected count (3) ≤ autoscaling.maxCount (2)" });
    expect(errorOf(withPool("        autoscaling: {minCount: 1, maxCount: 0}\n")).path).toBe("spec.cluster.nodePools[0].autoscaling.maxCount");
    expect(errorOf(withPool("        provisioningDelay: {min: 2m, max: 1m}\n"))).toMatchObject({ path: "spec.cluster.nodePools[0].provisioningDelay.min", message: "expected min (2m) not above max (1m)" });
    expect(errorOf(withPool("        pricePerHour: -1\n")).path).toBe("spec.cluster.nodePools[0].pricePerHour");
  });

  test("maxCount counts toward the nodes limit", () => {
    const result = loadText(withPool("        autoscaling: {minCount: 1, maxCount: 6000}\n"));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ path: "spec.cluster.nodePools[0].autoscaling.maxCount" });
    if (!result.ok) expect(result.error.message).toMatch(/^too many nodes: the pools hold 6000 in all/);
  });
});

describe("parameters.clusterAutoscaler", () => {
  const withParams = (text: string) => validScenario.replace("  variants:\n", `  parameters:\n    clusterAutoscaler: ${text}\n  variants:\n`);

  test("upstream's flags by name, durations without their unit; a variant overrides them", () => {
    const plan = planOf(withParams("{expander: 'priority,least-waste', scaleDownUnneededTime: 5m, maxNodesTotal: 20, priorities: {'10': [pool]}}"));
    expect(plan.parameters.clusterAutoscaler).toEqual({ expanders: ["priority", "least-waste"], scaleDownUnneededTimeMs: 300_000, maxNodesTotal: 20, priorities: { "10": ["pool"] } });
    const varied = validScenario.replace("parameters: {scheduler: {scoringStrategy: MostAllocated}, watchLatency: 100ms}", "parameters: {clusterAutoscaler: {expander: price, scanInterval: 30s}}");
    expect(applyVariant(planOf(varied), "binpack").parameters.clusterAutoscaler).toEqual({ expanders: ["price"], scanIntervalMs: 30_000 });
  });

  test("an unknown expander, a priority that is not an integer or an expression that does not compile is an error at its line", () => {
    expect(errorOf(withParams("{expander: 'least-waste,cheapest'}"))).toMatchObject({ path: "spec.parameters.clusterAutoscaler.expander", message: 'unknown expander "cheapest"; expected one of: least-waste, random, most-pods, price, priority (or a comma-separated chain of them)' });
    expect(errorOf(withParams("{priorities: {high: [pool]}}"))).toMatchObject({ path: "spec.parameters.clusterAutoscaler.priorities.high", message: 'expected an integer priority, got "high"' });
    expect(errorOf(withParams("{priorities: {'10': ['pool(']}}"))).toMatchObject({ path: "spec.parameters.clusterAutoscaler.priorities[\"10\"][0]", message: 'not a valid regular expression: "pool("' });
    expect(errorOf(withParams("{scaleDownUtilizationThreshold: 1.5}")).path).toBe("spec.parameters.clusterAutoscaler.scaleDownUtilizationThreshold");
    expect(errorOf(withParams("{scanIntervl: 5s}")).message).toMatch(/unknown field "scanIntervl"/);
  });
});
