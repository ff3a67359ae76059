import { describe, expect, test } from "vitest";
import { defaultProfile, mergeProfile } from "../../src/policies/scheduling/profile.ts";
import { buildFramework } from "../../src/policies/scheduling/registry.ts";
import { createScheduler, validateSchedulerConfig } from "../../src/policies/scheduling/scheduler.ts";

function frameworkOf(profile: Parameters<typeof mergeProfile>[0]) {
  const built = buildFramework(mergeProfile(profile));
  if (built.kind !== "Ok") throw new Error(built.errors.join("; "));
  return built.framework;
}

describe("profiles", () => {
  test("the default profile has upstream's plugins and score weights", () => {
    const fw = frameworkOf(defaultProfile);
    expect(fw.filter.map((p) => p.name)).toEqual([
      "NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity", "NodePorts", "NodeResourcesFit",
      "VolumeBinding", "VolumeZone", "PodTopologySpread", "InterPodAffinity",
    ]);
    expect(fw.score.map((s) => `${s.plugin.name}:${s.weight}`)).toEqual([
      "TaintToleration:3", "NodeAffinity:2", "NodeResourcesFit:1", "PodTopologySpread:2", "InterPodAffinity:2", "NodeResourcesBalancedAllocation:1",
    ]);
    expect(fw.postFilter.map((p) => p.name)).toEqual(["DefaultPreemption"]);
    expect(fw.queueSort.name).toBe("PrioritySort");
  });

  test("a user profile disables, re-weights and configures over the defaults", () => {
    const fw = frameworkOf({
      schedulerName: "custom",
      plugins: {
        score: { enabled: [{ name: "NodeResourcesFit", weight: 5 }], disabled: [{ name: "NodeResourcesBalancedAllocation" }] },
        postFilter: { disabled: [{ name: "*" }] },
      },
      pluginConfig: [{ name: "NodeResourcesFit", args: { scoringStrategy: { type: "MostAllocated" } } }],
    });
    expect(fw.score.map((s) => `${s.plugin.name}:${s.weight}`)).toEqual([
      "NodeResourcesFit:5", "TaintToleration:3", "NodeAffinity:2", "PodTopologySpread:2", "InterPodAffinity:2",
    ]);
    expect(fw.postFilter).toEqual([]);
    const args = fw.args.get("NodeResourcesFit") as { scoringStrategy: { type: string; resources: unknown[] } };
    expect(args.scoringStrategy.type).toBe("MostAllocated");
    expect(args.scoringStrategy.resources).toEqual([{ name: "cpu", weight: 1 }, { name: "memory", weight: 1 }]);
  });

  test("invalid configs are reported with the profile and plugin", () => {
    const errors = validateSchedulerConfig({
      profiles: [
        { schedulerName: "a", plugins: { filter: { enabled: [{ name: "Nope" }] } } },
        { schedulerName: "a" },
        { schedulerName: "b", pluginConfig: [{ name: "NodeResourcesFit", args: { scoringStrategy: { type: "RequestedToCapacityRatio" } } }] },
      ],
    });
    expect(errors).toContain('profiles[a]: plugin "Nope" does not exist');
    expect(errors).toContain('duplicate profile with scheduler name "a"');
    expect(errors.some((e) => e.startsWith("profiles[b]: NodeResourcesFit: scoringStrategy.requestedToCapacityRatio.shape"))).toBe(true);
    expect(() => createScheduler({ profiles: [{ schedulerName: "x", plugins: { score: { enabled: [{ name: "Nope" }] } } }] })).toThrow(/Nope/);
  });
});
