/** Scenario variants that swap kube-scheduler profiles change placements; a bad profile is bad input. */
import { describe, expect, test } from "vitest";
import { loadScenarioFile, loadScenarioText } from "../../src/scenario/load.ts";
import { MemorySink } from "../../src/sim/log/memory-sink.ts";
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
    const v = plan().variants["binpack-profile"];
    expect(v?.parameters.scheduler?.profiles?.[0]?.plugins?.multiPoint?.disabled).toEqual([{ name: "PodTopologySpread" }]);
  });

  test("bin-packing profiles pack pods onto no more nodes than spreading does", () => {
    for (const seed of [1, 2, 3]) {
      const spread = nodesUsed("baseline", seed);
      expect(nodesUsed("binpack-profile", seed)).toBeLessThanOrEqual(spread);
    }
  });

  test("a profile naming an unknown plugin is a scenario error naming the variant", () => {
    const text = readFileSync("scenarios/binpack-vs-spread.yaml", "utf8").replace("disabled: [{name: PodTopologySpread}]", "enabled: [{name: PodTopologySpreed}]");
    const loaded = loadScenarioText(text, "scenarios/binpack-vs-spread.yaml", "scenarios");
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.error.path).toBe("spec.variants.binpack-profile.parameters.scheduler");
    expect(loaded.error.message).toMatch(/invalid scheduler configuration: .*PodTopologySpreed/);
  });
});
