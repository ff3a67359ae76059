/** Node pools that are Karpenter NodePools (`provisioner`), the SpotInterruption fault, and one node autoscaler per scenario: decoded and checked. */
import { describe, expect, test } from "vitest";
import { loadText, validScenario } from "./helpers.ts";
import type { ScenarioError } from "../../src/scenario/load.ts";
import { applyVariant } from "../../src/sim/plan.ts";
import { builtInInstanceTypes } from "../../src/policies/autoscaling/provisioner/instance-types.ts";

const pool = `      - name: pool
        count: 3
        zones: [zone-a, zone-b]
        allocatable: {cpu: "4", memory: 16Gi}
`;

function withPools(extra: string, faults = ""): string {
  expect(validScenario.split(pool)).toHaveLength(2);
  const text = validScenario.replace(pool, pool + extra);
  return faults === "" ? text : text.replace("  faults:\n", `  faults:\n${faults}`);
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

const karp = `      - name: karp
        zones: [zone-a]
        provisioner:
          requirements: [{key: karpenter.sh/capacity-type, operator: In, values: [spot, on-demand]}]
          limits: {cpu: "32"}
          disruption: {consolidationPolicy: WhenEmpty, consolidateAfter: 2m, budgets: [{nodes: "20%"}, {nodes: "3"}]}
`;

describe("provisioner pools", () => {
  test("the NodePool's fields reach the plan, with the built-in catalogue and Karpenter's defaults", () => {
    const p = planOf(withPools(karp)).nodePools[1];
    expect(p).toMatchObject({ name: "karp", count: 0, provisioner: { weight: 0, limits: { cpu: 32_000 }, consolidationPolicy: "WhenEmpty", consolidateAfterMs: 120_000, budgets: [{ nodes: "20%" }, { nodes: "3" }] } });
    expect(p?.provisioner?.instanceTypes.map((t) => t.name)).toEqual(builtInInstanceTypes.map((t) => t.name));
    const bare = planOf(withPools("      - {name: karp, provisioner: {}}\n")).nodePools[1]?.provisioner;
    expect(bare).toMatchObject({ consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfterMs: 0, budgets: [{ nodes: "10%" }], requirements: [] });
    expect(planOf(withPools("      - {name: karp, provisioner: {disruption: {consolidateAfter: Never}}}\n")).nodePools[1]?.provisioner?.consolidateAfterMs).toBeUndefined();
  });

  test("a scenario's own instance types replace the catalogue", () => {
    const p = planOf(withPools("      - {name: karp, provisioner: {instanceTypes: [{name: big, cpu: '16', memory: 64Gi, price: {onDemand: 0.8, spot: 0.3}, zones: [zone-a]}]}}\n")).nodePools[1];
    expect(p?.provisioner?.instanceTypes).toEqual([{ name: "big", allocatable: { cpu: 16_000, memory: 64 * 1024 ** 3, pods: 110 }, onDemandPerHour: 0.8, spotPerHour: 0.3, zones: ["zone-a"] }]);
  });

  test("a provisioner pool has no fixed shape; its durations, budgets and requirements are checked", () => {
    expect(errorOf(withPools("      - {name: karp, count: 2, provisioner: {}}\n"))).toMatchObject({ path: "spec.cluster.nodePools[1].count" });
    expect(errorOf(withPools("      - {name: karp, allocatable: {cpu: '2', memory: 1Gi}, provisioner: {}}\n")).message).toContain('remove "allocatable"');
    expect(errorOf(withPools("      - {name: karp, provisioner: {disruption: {consolidateAfter: soon}}}\n"))).toMatchObject({ path: "spec.cluster.nodePools[1].provisioner.disruption.consolidateAfter" });
    expect(errorOf(withPools("      - {name: karp, provisioner: {disruption: {budgets: [{nodes: ten}]}}}\n"))).toMatchObject({ path: "spec.cluster.nodePools[1].provisioner.disruption.budgets[0].nodes" });
    const none = errorOf(withPools("      - {name: karp, provisioner: {requirements: [{key: node.kubernetes.io/instance-type, operator: In, values: [nope]}]}}\n"));
    expect(none.path).toBe("spec.cluster.nodePools[1].provisioner.requirements");
    expect(errorOf(withPools("      - {name: karp, provisioner: {instanceTypes: [{name: a, cpu: '1', memory: 1Gi, price: {onDemand: 1}}, {name: a, cpu: '2', memory: 1Gi, price: {onDemand: 1}}]}}\n")).message).toContain('duplicate instance type "a"');
  });

  test("one node autoscaler per scenario; a variant may swap the cluster autoscaler for the provisioner", () => {
    const group = "      - {name: group, count: 0, allocatable: {cpu: '2', memory: 8Gi}, autoscaling: {minCount: 0, maxCount: 4}}\n";
    expect(errorOf(withPools(group + karp)).message).toContain("one node autoscaler per scenario");
    const swap = withPools(group) + "    karpenter:\n      nodePools:\n        remove: [group]\n        add: [{name: karp, provisioner: {}}]\n";
    const plan = planOf(swap);
    const v = applyVariant(plan, "karpenter");
    expect(v.nodePools.map((p) => [p.name, p.provisioner !== undefined, p.autoscaling !== undefined])).toEqual([["pool", false, false], ["karp", true, false]]);
    const both = withPools(group) + "    both:\n      nodePools:\n        add: [{name: karp, provisioner: {}}]\n";
    expect(errorOf(both).message).toContain("one node autoscaler per scenario");
  });
});

describe("parameters.provisioner", () => {
  test("Karpenter's batch settings and the disruption poll reach the plan, in a variant too", () => {
    const text = withPools(karp).replace("  variants:\n", "  parameters:\n    provisioner: {batchIdleDuration: 2s, batchMaxDuration: 30s}\n  variants:\n    slow-poll:\n      parameters: {provisioner: {disruptionPollPeriod: 1m}}\n");
    const plan = planOf(text);
    expect(plan.parameters.provisioner).toEqual({ batchIdleMs: 2_000, batchMaxMs: 30_000 });
    expect(applyVariant(plan, "slow-poll").parameters.provisioner).toEqual({ batchIdleMs: 2_000, batchMaxMs: 30_000, disruptionPollMs: 60_000 });
    expect(errorOf(text.replace("batchIdleDuration: 2s", "batchIdleDuration: 0s")).path).toBe("spec.parameters.provisioner.batchIdleDuration");
  });
});

describe("SpotInterruption fault", () => {
  test("a node of a provisioner pool (launched later) or a pool with a count is a target; unknown ones are refused", () => {
    const plan = planOf(withPools(karp, "    - {at: 10m, type: SpotInterruption, node: karp-3}\n    - {at: 12m, type: SpotInterruption, pool: karp, count: 2}\n"));
    expect(plan.faults.filter((f) => f.kind === "SpotInterruption").map((f) => [f.atMs, "target" in f ? f.target : undefined, f.label])).toEqual([
      [600_000, { node: "karp-3" }, "spot interruption of node karp-3"],
      [720_000, { pool: "karp", count: 2 }, "spot interruption of 2 nodes of pool karp"],
    ]);
    expect(errorOf(withPools(karp, "    - {at: 10m, type: SpotInterruption, node: other-1}\n"))).toMatchObject({ path: "spec.faults[0].node" });
    expect(errorOf(withPools(karp, "    - {at: 10m, type: SpotInterruption, pool: nope}\n"))).toMatchObject({ path: "spec.faults[0].pool" });
    expect(errorOf(withPools(karp, "    - {at: 10m, type: SpotInterruption, node: karp-1, pool: karp}\n")).message).toContain("exactly one target");
  });
});
