/** Scenario variants that swap kube-scheduler profiles change placements; a bad profile is bad input. */
import { describe, expect, test } from "vitest";
import { loadScenarioFile, loadScenarioText } from "../../src/scenario/load.ts";
import { MemorySink } from "../../src/log/memory-sink.ts";
import type { ScenarioPlan } from "../../src/sim/plan.ts";
import { runScenario } from "../../src/sim/run.ts";
import { readFileSync } from "node:fs";

function plan(): ScenarioPlan {
  const loaded = loadScenarioFile("scenarios/binpack-vs-spread.yaml");
  if (!loaded.ok) throw new Error(loaded.error.message);
  return loaded.plan;
}

/** Nodes in use at the end of a run (bin-packing should use fewer). */
function nodesUsed(variant: string, seed: number): number {
  const { state } = runScenario(plan(), { seed, variant, sink: new MemorySink({ keepRecords: false }) });
  let used = 0;
  for (const keys of state.podsByNode.values()) if (keys.size > 0) used++;
  return used;
}

describe("scheduler profiles in scenarios", () => {
  test("the profile variant decodes into a KubeSchedulerConfiguration profile", () => {
    const v = plan().variants["binpack"];
    expect(v?.parameters.scheduler?.profiles?.[0]?.plugins?.multiPoint?.disabled).toEqual([{ name: "PodTopologySpread" }]);
  });

  // The story the scenario tells: spreading ends on 7 of 8 nodes (general-0 comes back empty),
  // bin-packing on 3 (the fewest that hold 9.2 cpu of requests on 4-cpu nodes), and MostAllocated
  // alone does not pack because the default topology spreading outweighs it.
  test.each([1, 2, 3, 4, 5])("seed %i: spread ends on 7 nodes, binpack on 3, mostallocated alone on 7", (seed) => {
    expect(nodesUsed("baseline", seed)).toBe(7);
    expect(nodesUsed("binpack", seed)).toBe(3);
    expect(nodesUsed("mostallocated", seed)).toBe(7);
  });

  test("a profile naming an unknown plugin is a scenario error naming the variant", () => {
    const text = readFileSync("scenarios/binpack-vs-spread.yaml", "utf8").replace("disabled: [{name: PodTopologySpread}]", "enabled: [{name: PodTopologySpreed}]");
    const loaded = loadScenarioText(text, "scenarios/binpack-vs-spread.yaml", "scenarios");
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.error.path).toBe("spec.variants.binpack.parameters.scheduler");
    expect(loaded.error.message).toMatch(/invalid scheduler configuration: .*PodTopologySpreed/);
  });
});
